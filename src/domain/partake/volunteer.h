/* Volunteers (志愿服务, seed 003: 志愿服务时长晾晒和积分兑换): teams, volunteers, the hours they
 * serve, the points those earn and what the points are redeemed for.
 *
 *   team        a name (unique in its place), a place — a region (a community 社区, a town)
 *               or a grid in the caller's scope — a kind (wg_vteam_kinds: party 党员志愿服务队,
 *               women 巾帼志愿服务队, patrol 平安巡防队, elderly 助老, environment 环境, civility
 *               文明实践, other) and a points rate: the points an hour of service earns (1 to
 *               20; 1 when absent).
 *   volunteer   a registry person (in scope; their name and phone stay sealed there, lists
 *               show the masked name) in one team, with skills (at most 10, each 1 to 20
 *               characters) and a since date. A person is a volunteer once (WG_ECONFLICT).
 *               The volunteer's place is the team's: who sees the team sees its members.
 *   hours       a service record {date, hours, activity, team}: a date not in the future nor
 *               more than a year back, hours from 0.1 to 24 in tenths, and at most 24 on one
 *               day for one volunteer; the team is the volunteer's unless another in scope is
 *               named. It earns hours × the team's rate points, added to the volunteer's
 *               earned points in the same transaction.
 *   redemption  {points, what}: points (whole, 1 to 100,000) taken off the balance (earned −
 *               redeemed) in one conditional update, so that the balance never goes below
 *               zero even with two redemptions at once: the one that would is WG_ECONFLICT
 *               and nothing is stored.
 *   rankings    volunteers and teams of a place by hours served on the days from..to.
 *
 * Points and hours are kept in tenths (volunteer_q.h); the API shows them with one decimal.
 * Writes need partake_write with the place in scope; reads partake_read.
 *
 * Every write runs in a transaction of its own, or joins the caller's (the demo, a fuzz
 * target): then a failure is the caller's to roll back. */
#ifndef WG_DOMAIN_PARTAKE_VOLUNTEER_H
#define WG_DOMAIN_PARTAKE_VOLUNTEER_H

#include <jansson.h>

#include "core/err.h"
#include "domain/accounts/pii_keys.h"
#include "domain/accounts/session.h"
#include "store/partake/volunteer_q.h"
#include "store/store.h"

#define WG_VOL_RATE_MAX      20
#define WG_VOL_SKILLS_MAX    10
#define WG_VOL_POINTS_MAX    100000
#define WG_VOL_HISTORY_SHOWN 50

extern const char *const wg_vteam_kinds[];
extern const char *const wg_vteam_fields[];      /* name, place, kind, rate */
extern const char *const wg_volunteer_fields[];  /* person, team, skills, since */
extern const char *const wg_vol_hours_fields[];  /* date, hours, activity, team */
extern const char *const wg_vol_redeem_fields[]; /* points, what */

/* POST /api/v1/volunteer-teams; *id its id. */
enum wg_rc wg_vteam_create(struct wg_db *db, const struct wg_actor *actor, const json_t *body,
                           long long now, long long *id, struct wg_err *err);
/* GET /api/v1/volunteer-teams?scope=&kind=&from=&to=: the teams in scope with their members
 * and the hours served from..to (this year when absent). */
enum wg_rc wg_vteam_list(struct wg_db *db, const struct wg_actor *actor, const char *scope,
                         const char *kind, const char *from, const char *to, long long now,
                         json_t **out, struct wg_err *err);
/* POST /api/v1/volunteers; *id its id. */
enum wg_rc wg_volunteer_create(struct wg_db *db, const struct wg_pii_keys *keys,
                               const struct wg_actor *actor, const json_t *body, long long now,
                               long long *id, struct wg_err *err);
/* GET /api/v1/volunteers?scope=&team=&limit=&cursor=: masked names, balances. */
enum wg_rc wg_volunteer_list(struct wg_db *db, const struct wg_pii_keys *keys,
                             const struct wg_actor *actor, const char *scope, const char *team,
                             const char *limit, const char *cursor, json_t **out,
                             struct wg_err *err);
/* GET /api/v1/volunteers/{id}: the volunteer, balance and the newest history. */
enum wg_rc wg_volunteer_view(struct wg_db *db, const struct wg_pii_keys *keys,
                             const struct wg_actor *actor, long long id, json_t **out,
                             struct wg_err *err);
/* POST /api/v1/volunteers/{id}/hours; *entry the record's id. */
enum wg_rc wg_volunteer_hours(struct wg_db *db, const struct wg_actor *actor, long long id,
                              const json_t *body, long long now, long long *entry,
                              struct wg_err *err);
/* POST /api/v1/volunteers/{id}/redemptions; *entry the redemption's id. */
enum wg_rc wg_volunteer_redeem(struct wg_db *db, const struct wg_actor *actor, long long id,
                               const json_t *body, long long now, long long *entry,
                               struct wg_err *err);
/* GET /api/v1/volunteers/rankings?scope=&from=&to=&limit=. */
enum wg_rc wg_volunteer_rankings(struct wg_db *db, const struct wg_pii_keys *keys,
                                 const struct wg_actor *actor, const char *scope, const char *from,
                                 const char *to, const char *limit, long long now, json_t **out,
                                 struct wg_err *err);

/* Whether registry person is a volunteer, and of which team: 1 with *out filled, 0 when not
 * (or on a store error, which err then holds). For the wish wall's claims. */
struct wg_volunteer_of {
    long long volunteer, team;
    char team_name[164], team_kind[24], place[20];
};
int wg_volunteer_of_person(struct wg_db *db, long long person, struct wg_volunteer_of *out,
                           struct wg_err *err);

/* The scope prefix a read or write covers: want (a region or grid code) within the actor's,
 * or the actor's own; outside it WG_ENOTFOUND naming field. Shared with mobilise.c. */
enum wg_rc wg_partake_scope(const struct wg_actor *actor, const char *field, const char *want,
                            char out[32], struct wg_err *err);
/* A place for a team: a region or a current grid in the actor's scope; else WG_EINVAL
 * naming field. */
enum wg_rc wg_partake_place_check(struct wg_db *db, const struct wg_actor *actor, const char *field,
                                  const char *code, struct wg_err *err);

#endif
