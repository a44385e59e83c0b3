/* Deliberation (一事一议 with 支部先议, seeds 000 and 004; issue 22): a matter of a place
 * brought from the records it started from, discussed by the party branch first, put to the
 * residents' council with the property company and the co-building units, resolved by the
 * council's votes, carried out as a task and published as a public notice.
 *
 *   topic   1 to 100 characters.
 *   place   a grid, village or town code that exists, in the opener's scope.
 *   origin  1 to 20 records, each {kind: order|visit|dispute|warning, id}, each once and
 *           each in the opener's scope.
 *   state   proposed → discussed (branch: date, party_org — an organization of the
 *           registry's party overlay in scope, attendees 1–500, opinion 1–1,000 characters)
 *           → voted (council: date not before the branch's, attendees 1–2,000, units 0–20
 *           co-building units and property_company, units of the unit table, and the votes
 *           for, against, abstain, whose sum is at most the attendees) → resolved or rejected
 *           (resolution: text 1–1,000 characters; it passes when more than half of the
 *           attendees voted for it) → tasked (task, when resolved: what 1–500 characters,
 *           lead_unit or lead_person — a unit, or a registry person in scope — and deadline,
 *           a date from today to two years on, due at its working day's close) → done
 *           (task_done: report 1–1,000 characters) → noticed (notice, from done or
 *           rejected: text 1–2,000 characters, from and until dates, until from today and
 *           at most a year after from) → closed (close, from noticed or rejected).
 *           Dates of meetings are not after today (China time).
 *
 * Each step names the version read (If-Match) and is refused (WG_ECONFLICT naming the state)
 * out of order or on a lost race; a field the step does not take is WG_EINVAL naming it. Each
 * step is a line of the timeline. Staff see the deliberations whose place their scope covers.
 * The public board shows the notices current today: topic, resolution, task and notice,
 * never a person's name (a lead person is shown masked).
 *
 * A community's lists (需求清单, 资源清单, 项目清单, seed 004): entries {community — a
 * village code in scope, kind needs|resources|projects, title 1–100, detail 0–1,000
 * characters} the council draws on. */
#ifndef WG_DOMAIN_PARTAKE_DELIBERATION_H
#define WG_DOMAIN_PARTAKE_DELIBERATION_H

#include <jansson.h>

#include "core/err.h"
#include "domain/accounts/pii.h"
#include "domain/accounts/session.h"
#include "domain/calendar/calendar.h"
#include "store/partake/deliberation_q.h"
#include "store/store.h"

#define WG_DELIB_TOPIC_MAX   100
#define WG_DELIB_ORIGINS_MAX 20
#define WG_DELIB_UNITS_MAX   20

extern const char *const wg_delib_fields[];      /* topic, place, origin */
extern const char *const wg_delib_step_fields[]; /* step and every step's fields */
extern const char *const wg_partake_item_fields[];

struct wg_delib_env {
    const struct wg_pii_keys *keys;
    const struct wg_calendar *cal;
};

/* A new deliberation's body without the store (the fuzz target's entry). */
enum wg_rc wg_delib_read(const json_t *body, const char **topic, const char **place,
                         struct wg_err *err);
/* A step's body without the store: the step's name and that only its fields are given, each
 * of its type and bounds; dates against today (China time at now). */
enum wg_rc wg_delib_step_read(const json_t *body, long long now, const char **step,
                              struct wg_err *err);

enum wg_rc wg_delib_create(struct wg_db *db, const struct wg_delib_env *env,
                           const struct wg_actor *actor, const json_t *body, long long now,
                           long long *id, struct wg_err *err);
enum wg_rc wg_delib_step(struct wg_db *db, const struct wg_delib_env *env,
                         const struct wg_actor *actor, long long id, long long version,
                         const json_t *body, long long now, struct wg_err *err);
enum wg_rc wg_delib_view(struct wg_db *db, const struct wg_actor *actor, long long id, json_t **out,
                         long long *version, struct wg_err *err);
/* {deliberations, limit, next_cursor}: state, limit (1–200, 50), cursor. */
enum wg_rc wg_delib_list(struct wg_db *db, const struct wg_actor *actor, const char *state,
                         const char *limit, const char *cursor, json_t **out, struct wg_err *err);
/* GET /api/v1/public/notices: grid or village; {notices: [...]}, current on now's day. */
enum wg_rc wg_delib_notices(struct wg_db *db, const char *grid, const char *village, long long now,
                            json_t **out, struct wg_err *err);

/* POST /api/v1/deliberations/lists; *id the entry's. */
enum wg_rc wg_partake_item_add(struct wg_db *db, const struct wg_actor *actor, const json_t *body,
                               long long now, long long *id, struct wg_err *err);
/* GET /api/v1/deliberations/lists: community (a village code; absent: the actor's scope),
 * kind. {needs: [...], resources: [...], projects: [...]} */
enum wg_rc wg_partake_items(struct wg_db *db, const struct wg_actor *actor, const char *community,
                            const char *kind, json_t **out, struct wg_err *err);

#endif
