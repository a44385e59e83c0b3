/* Mobilisation (动员, seed 003: 平战结合 — in an emergency the 一长二员 and volunteer teams are
 * called out at once): a task broadcast to every team in a scope, each acknowledging it and
 * reporting it done.
 *
 *   mobilisation  a title (1 to 60 characters), content (1 to 2,000), a deadline (a date from
 *                 today to a year on: due at the close of its working day on the working
 *                 calendar), a scope (a region or grid in the caller's) and the kinds of teams
 *                 it calls (kinds: a list of stairwell and/or volunteer). Made by
 *                 partake_write; every team of those kinds in the scope at that moment is a
 *                 recipient — fixed then: a team made later is not called — and there must be
 *                 at least one. In the same transaction the grid workers whose scope covers a
 *                 recipient's place are told through the outbox ("mobilisation").
 *   recipient     a team (kind and id), its name and place; acknowledged (acked_at, by) and
 *                 done (done_at, by, a note of at most 500 characters), each once: a second
 *                 is WG_ECONFLICT; done acknowledges too. Recorded by the team's grid staff:
 *                 partake_write with the team's place in scope (else WG_EFORBIDDEN).
 *   progress      acknowledged, done and outstanding (not done) recipients; after the due
 *                 time the outstanding are overdue.
 *
 * A mobilisation is seen by whoever's scope covers its scope or lies inside it (a grid worker
 * sees the district's call).
 *
 * Every write runs in a transaction of its own, or joins the caller's (the demo, a fuzz
 * target): then a failure is the caller's to roll back. */
#ifndef WG_DOMAIN_PARTAKE_MOBILISE_H
#define WG_DOMAIN_PARTAKE_MOBILISE_H

#include <jansson.h>

#include "core/err.h"
#include "domain/accounts/session.h"
#include "domain/calendar/calendar.h"
#include "store/partake/mobilise_q.h"
#include "store/store.h"

#define WG_MOB_RECIPIENTS_MAX 5000

extern const char *const wg_mob_fields[];        /* title, content, deadline, scope, kinds */
extern const char *const wg_mob_report_fields[]; /* kind, team, step, note */

/* POST /api/v1/mobilisations; *id its id, *recipients how many teams were called. */
enum wg_rc wg_mob_create(struct wg_db *db, const struct wg_calendar *cal,
                         const struct wg_actor *actor, const json_t *body, long long now,
                         long long *id, int *recipients, struct wg_err *err);
/* GET /api/v1/mobilisations?limit=&cursor=: newest first, each with its progress. */
enum wg_rc wg_mob_list(struct wg_db *db, const struct wg_actor *actor, const char *limit,
                       const char *cursor, long long now, json_t **out, struct wg_err *err);
/* GET /api/v1/mobilisations/{id}: with every recipient's state. */
enum wg_rc wg_mob_view(struct wg_db *db, const struct wg_actor *actor, long long id, long long now,
                       json_t **out, struct wg_err *err);
/* POST /api/v1/mobilisations/{id}/reports {kind, team, step: ack or done, note}. */
enum wg_rc wg_mob_report(struct wg_db *db, const struct wg_actor *actor, long long id,
                         const json_t *body, long long now, struct wg_err *err);

#endif
