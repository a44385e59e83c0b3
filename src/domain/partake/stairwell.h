/* 一长二员 stairwell teams (seed 003): the smallest unit of a grid's work is a stairwell — a
 * registry building's unit (单元, house.unit; "" for a building without units) — and each
 * has a three-person team: a head 楼道长 who leads it, an information member 信息员 who
 * keeps the stairwell's records, and a support member 保障员 who organizes the neighbours.
 *
 *   team      one per stairwell: its building (in the caller's scope) and unit (a unit the
 *             building has houses in), and its three members, each a registry person with a
 *             since date (YYYY-MM-DD, not after today; today when absent). A person is at
 *             most once in a team. The members are set as a whole under a version: 1 when
 *             made, one more at each change; a change naming another version is
 *             WG_ECONFLICT. Members' names and phones stay sealed in the registry: a team
 *             shows each member's person id and masked name only.
 *   households of a stairwell
 *             the registry households living in its houses: a household lives in the house
 *             whose standard address is its (sealed) address. Households whose address names
 *             no house are in no stairwell.
 *   visit     the monthly full-coverage visit (每月全覆盖走访): a member (by: head, info or
 *             guard) visits a household of the stairwell (household, or house: the household
 *             living there) at visited_at (unix seconds, not in the future), with content and
 *             findings. Recorded by the team's grid staff (partake_write, the building in
 *             scope), each visit is written to the registry's visits (domain/registry/
 *             visit.h: subject the household, method "stair", content and findings sealed
 *             there, the recorder its worker) in the same transaction, so the registry shows
 *             it and the household's due day moves; a finding becomes an order through the
 *             registry's POST /api/v1/visits/{id}/order, as any visit's does. A phone may
 *             upload a batch ({"visits": [...]}, at most WG_STAIR_BATCH_MAX) with a client
 *             key on each: a key met again answers the visit stored under it, changing
 *             nothing. A bad visit in a batch refuses the whole batch naming its index.
 *   month     a team's month (YYYY-MM, China time): coverage = households of the stairwell
 *             visited by the team that month / households of the stairwell; the unvisited
 *             listed with their house and masked address.
 *
 * A grid's list gives its stairwells (the units its buildings have houses in) with a team /
 * all, and each team's coverage this month. Outside a caller's scope a team does not exist.
 *
 * Every write runs in a transaction of its own, or joins the caller's (the demo, a fuzz
 * target): then a failure is the caller's to roll back. */
#ifndef WG_DOMAIN_PARTAKE_STAIRWELL_H
#define WG_DOMAIN_PARTAKE_STAIRWELL_H

#include <jansson.h>

#include "core/err.h"
#include "domain/accounts/pii_keys.h"
#include "domain/accounts/session.h"
#include "store/partake/stairwell_q.h"
#include "store/store.h"

#define WG_STAIR_BATCH_MAX   200
#define WG_STAIR_CONTENT_MAX 2000 /* characters of content and of findings */

extern const char *const wg_stair_roles[]; /* head, info, guard */
extern const char
    *const wg_stair_fields[]; /* building, unit, head, info, guard (.person, .since) */
extern const char *const wg_stair_update_fields[]; /* head, info, guard */
extern const char *const wg_stair_visit_fields[];  /* household, house, visited_at, by, ... */

/* POST /api/v1/stairwell-teams: a team made of body by actor at now; *id its id. A second
 * team of the stairwell is WG_ECONFLICT naming the first. */
enum wg_rc wg_stair_create(struct wg_db *db, const struct wg_pii_keys *keys,
                           const struct wg_actor *actor, const json_t *body, long long now,
                           long long *id, struct wg_err *err);
/* PUT /api/v1/stairwell-teams/{id}: the three members of body (all three required) if the
 * team is still at version expect. */
enum wg_rc wg_stair_update(struct wg_db *db, const struct wg_pii_keys *keys,
                           const struct wg_actor *actor, long long id, long long expect,
                           const json_t *body, long long now, struct wg_err *err);
/* GET /api/v1/stairwell-teams/{id}: the team, its version into *version, and this month's
 * coverage. */
enum wg_rc wg_stair_view(struct wg_db *db, const struct wg_pii_keys *keys,
                         const struct wg_actor *actor, long long id, long long now, json_t **out,
                         long long *version, struct wg_err *err);
/* GET /api/v1/stairwell-teams?grid=&month=: a grid's stairwells (the caller's own grid when
 * its scope is one), {grid, month, stairwells, with_team, teams: [...], without_team: [...]}. */
enum wg_rc wg_stair_list(struct wg_db *db, const struct wg_pii_keys *keys,
                         const struct wg_actor *actor, const char *grid, const char *month,
                         long long now, json_t **out, struct wg_err *err);
/* POST /api/v1/stairwell-teams/{id}/visits: one visit or a batch, in one transaction;
 * {"visits": [{id, visit, household, house, member, visited_at, repeated}]}. *created says
 * how many were new. */
enum wg_rc wg_stair_visit(struct wg_db *db, const struct wg_pii_keys *keys,
                          const struct wg_actor *actor, long long id, const json_t *body,
                          long long now, json_t **out, int *created, struct wg_err *err);
/* GET /api/v1/stairwell-teams/{id}/month?month=YYYY-MM (this month when absent). */
enum wg_rc wg_stair_month(struct wg_db *db, const struct wg_pii_keys *keys,
                          const struct wg_actor *actor, long long id, const char *month,
                          long long now, json_t **out, struct wg_err *err);

/* ---- shared by the partake files ---- */
/* A registry person's masked name ("张*"), or "" when the person cannot be opened. */
void wg_partake_person_masked(struct wg_db *db, const struct wg_pii_keys *keys, long long person,
                              char *out, size_t n);
/* The month "YYYY-MM" (China time) of unix seconds t. */
void wg_partake_month_of(long long t, char out[8]);
/* A month parameter: "" or NULL the month of now, else "YYYY-MM"; WG_EINVAL naming month. */
enum wg_rc wg_partake_month_param(const char *s, long long now, char out[8], struct wg_err *err);
/* An id in a JSON body: a positive whole number at field (NULL: absent, *out 0). */
enum wg_rc wg_partake_jf_id(const json_t *obj, const char *field, int required, long long *out,
                            struct wg_err *err);

#endif
