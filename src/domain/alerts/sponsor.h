/* Leaders' 帮包 (包联, seed 000: the 65 compounds with most hotline orders get a leader each,
 * 38 leaders between them). The registry has no compound (小区) entity — buildings carry
 * addresses but belong to nothing smaller than a grid — so the places ranked and assigned
 * are grids (a base grid is drawn round a compound or a few streets of one): by=compound is
 * answered with the grids' ranking and a note saying so.
 *
 *   ranking      a month's places in a scope by the hotline orders received in them (the
 *                indicator counters, received per grid and day), with the month before's
 *                count and the 帮包 running that month.
 *   sponsorship  a leader's account (role leader, working, whose region scope covers the
 *                place) assigned to a current grid in the assigner's scope for the months
 *                month_from to month_to (YYYY-MM, at most 24 of them); a place has at most one
 *                leader in any month (WG_ECONFLICT naming the other). Assigned by alert_review.
 *   notes        the leader's progress notes, 1 to 1,000 characters, by the assigned leader
 *                or alert_review in scope; read newest first.
 *
 * A list shows each 帮包 with its place's orders in the six months to its last (or the
 * current) month, and a leader's own come first. */
#ifndef WG_DOMAIN_ALERTS_SPONSOR_H
#define WG_DOMAIN_ALERTS_SPONSOR_H

#include <jansson.h>

#include "core/err.h"
#include "domain/accounts/pii_keys.h"
#include "domain/accounts/session.h"
#include "store/store.h"

#define WG_SPONSOR_MONTHS_MAX  24
#define WG_SPONSOR_NOTE_MAX    1000 /* characters */
#define WG_SPONSOR_NOTES_SHOWN 20

extern const char *const wg_sponsor_fields[];      /* place, leader, month, from, to, note */
extern const char *const wg_sponsor_note_fields[]; /* note */

/* GET /api/v1/sponsorships/ranking: month (YYYY-MM, required), by (grid or compound),
 * scope (a code in the actor's), limit (1–500, 65). {month, by, note, places: [{rank,
 * place, name, orders, last_month, sponsorship: {id, leader} or null}]}. */
enum wg_rc wg_sponsor_ranking(struct wg_db *db, const struct wg_actor *actor, const char *month,
                              const char *by, const char *scope, const char *limit, json_t **out,
                              struct wg_err *err);

/* POST /api/v1/sponsorships: {place, leader, month | from and to, note} checked (see above)
 * and stored by actor at now, the leader told through the outbox ("sponsorship_assigned");
 * *id its id. */
enum wg_rc wg_sponsor_create(struct wg_db *db, const struct wg_actor *actor, const json_t *body,
                             long long now, long long *id, struct wg_err *err);

/* GET /api/v1/sponsorships: month (running in it), leader, scope, limit (1–200, 100).
 * {sponsorships: [{id, place, place_name, leader, month_from, month_to, note, created_by,
 * created_at, trend: [{month, orders}], notes: [{at, author, note}]}]}. */
struct wg_sponsor_query {
    const char *month, *leader, *scope, *limit;
};
enum wg_rc wg_sponsor_list(struct wg_db *db, const struct wg_pii_keys *keys,
                           const struct wg_actor *actor, const struct wg_sponsor_query *q,
                           long long now, json_t **out, struct wg_err *err);

/* POST /api/v1/sponsorships/{id}/notes: {note} (sealed with keys: it may name people) by the
 * assigned leader or a reviewer in scope (else WG_EFORBIDDEN); a 帮包 outside the actor's scope is
 * WG_ENOTFOUND. */
enum wg_rc wg_sponsor_note(struct wg_db *db, const struct wg_pii_keys *keys,
                           const struct wg_actor *actor, long long id, const json_t *body,
                           long long now, struct wg_err *err);

#endif
