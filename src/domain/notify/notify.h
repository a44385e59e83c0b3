/* Notifications (issue 4 item 6; SPEC §3 and §7): everything someone must act on — a new
 * dispatch, an urge, a supervision, a unit asking to return an order, a red light — becomes a
 * row of the delivery outbox, written inside the transaction of the change that caused it,
 * so a notification exists exactly when its change committed: none for a change rolled
 * back, none lost for one that committed. A background worker delivers the rows.
 *
 * A row, field by field:
 *   recipient        a username, or "unit:ID" for a unit (usernames hold no ':'). An account
 *                    scoped unit:ID reads its unit's rows beside its own.
 *   channel          how it travels: "webhook" now; "sms" and "app" (push) later.
 *   kind             dispatch, assist, urge, supervise, return, extend, red_light, in_grid.
 *   order_id         the order concerned, or none.
 *   payload          a JSON object (wg_notify_order_payload): what happened to which order,
 *                    by whom, when — never the reporter's personal data.
 *   state            pending → sending → delivered; a failed attempt goes back to pending,
 *                    and the last allowed one that fails leaves it dead (the dead letter).
 *   attempts         deliveries tried so far.
 *   next_attempt_at  unix seconds: when a pending row is due; while sending, the end of the
 *                    claim's lease, after which a row whose worker died is taken again.
 *   last_error       why the last attempt failed ("" when none failed).
 *   created_at, delivered_at   UTC ISO 8601.
 *
 * How rows are delivered, retried and given up on: notify_worker.h. */
#ifndef WG_DOMAIN_NOTIFY_H
#define WG_DOMAIN_NOTIFY_H

#include <stddef.h>

#include <jansson.h>

#include "core/err.h"
#include "domain/accounts/session.h"
#include "store/store.h"
#include "store/notify/notify_q.h"
#include "store/orders/orders_q.h"

#define WG_NOTIFY_PAYLOAD_MAX   (64 * 1024)
#define WG_NOTIFY_RECIPIENT_MAX 128
#define WG_NOTIFY_LIST_DEFAULT  50
#define WG_NOTIFY_LIST_MAX      1000
#define WG_NOTIFY_FANOUT_MAX    1000 /* accounts one change tells beside its unit */
#define WG_NOTIFY_MARK_MAX      500  /* ids one mark-read names */

/* ---- producing ---- */

/* Enqueues a notification for recipient (a username or "unit:ID") of kind (lower case
 * letters and '_') about order_id (0: none) with payload_json (a JSON object), due now, on
 * the webhook channel. Call it inside the transaction of the change that causes it; outside
 * a transaction the row commits on its own. */
enum wg_rc wg_notify(struct wg_db *db, const char *recipient, const char *kind, long long order_id,
                     const char *payload_json, struct wg_err *err);

/* Enqueues kind with payload_json, as wg_notify does, for every working account of role whose
 * scope covers place (a region or grid code), at most WG_NOTIFY_FANOUT_MAX of them; *told
 * (may be NULL) how many. The accounts are read first, then the rows written. */
enum wg_rc wg_notify_role_at(struct wg_db *db, const char *role, const char *place,
                             const char *kind, const char *payload_json, int *told,
                             struct wg_err *err);
/* What a payload says about an order. Strings may be NULL or "" (left out). */
struct wg_notify_order {
    long long id;
    const char *number, *title, *item, *urgency, *grid, *unit, *state;
    long long sign_deadline, reply_deadline; /* unix seconds; 0: none */
};
/* The payload of a notification about an order, as owned JSON text (free()), NULL without
 * memory: {"kind", "at" (ISO), "by" (who acted), "order": {id, number, title, item, urgency,
 * grid, unit, state}, "deadlines": {sign, reply}, and from the action's body "note", "level"
 * and "reason" when they are strings (each cut to 1000 bytes at a character boundary)}. */
char *wg_notify_order_payload(const char *kind, const struct wg_notify_order *o, const char *by,
                              long long at, const json_t *body);

/* The notifications of an order action, inside the action's transaction: dispatch and urge
 * go to the unit holding the order ("unit:" + unit); supervise to that unit and, at level
 * "red" (the red-light sweep's too), to the supervisors whose scope covers the order's place;
 * return and extend (a unit's requests) to the order's creator (who took it in) and the
 * agents whose scope covers its place. The place is the order's grid, or its county when it
 * has no point. Other actions notify nobody. unit and next_state are the order's after the
 * action; f its facts after it (the deadlines set at dispatch). */
enum wg_rc wg_notify_order_action(struct wg_db *db, const char *action,
                                  const struct wg_order_row *o, const char *unit,
                                  const char *next_state, const struct wg_order_facts *f,
                                  const struct wg_actor *actor, const json_t *body, long long now,
                                  struct wg_err *err);

/* A new order located in a grid tells that grid's workers ("in_grid"): the grid workers whose
 * scope covers the grid (the grid itself, its village, town ...). Inside the intake's
 * transaction; an order without a grid tells nobody. */
enum wg_rc wg_notify_order_in_grid(struct wg_db *db, const struct wg_order_row *o, long long now,
                                   struct wg_err *err);

/* A dispatch's assisting units (协办) each hear of their part ("assist"), beside the lead's
 * dispatch notification; inside the dispatch's transaction. */
enum wg_rc wg_notify_order_assist(struct wg_db *db, const struct wg_order_row *o, const char *lead,
                                  const struct wg_order_facts *f, const char *const *units,
                                  size_t n, const struct wg_actor *actor, const json_t *body,
                                  long long now, struct wg_err *err);

/* An order's light turned red: a red_light notification to the unit holding it, for the
 * red-light sweep to call inside its transaction (beside the automatic supervision). An
 * order no unit holds notifies nobody (*queued 0); queued may be NULL. */
enum wg_rc wg_notify_red(struct wg_db *db, long long order_id, long long now, int *queued,
                         struct wg_err *err);

/* The caller's own notifications (their username, and their unit when scoped unit:ID),
 * newest first: {"notifications": [{id, recipient, channel, kind, order_id, state,
 * attempts, created_at, delivered_at, next_attempt_at, payload, read}], unread, limit,
 * offset}. read is the caller's own: every account of a unit reads its unit's rows for
 * itself. unread_only 1: only those the caller has not read; unread counts them all, in
 * the same snapshot as the page. The last error stays in the server's log and the store: it
 * is about the receiver, not the work. */
enum wg_rc wg_notify_list(struct wg_db *db, const struct wg_actor *actor, int unread_only,
                          long long limit, long long offset, json_t **out, struct wg_err *err);
/* How many of the caller's own notifications they have not read. */
enum wg_rc wg_notify_unread(struct wg_db *db, const struct wg_actor *actor, long long *n,
                            struct wg_err *err);

/* Marking read (POST /api/v1/notifications/read): a body {"ids": [...]} or {"all": true},
 * checked by wg_notify_mark_check on a reading connection — every id must be the caller's own
 * (addressed to their username or their unit), else WG_ENOTFOUND naming the first that is
 * not, and nothing is marked — then written by wg_notify_mark_write in a transaction (the
 * group committer's). A notification's recipient never changes, so what was checked holds.
 * Marking a read one again changes nothing; "all" marks every one the caller has by then. */
struct wg_notify_mark {
    int all;
    long long *ids; /* owned */
    size_t n;
};
enum wg_rc wg_notify_mark_check(struct wg_db *db, const struct wg_actor *actor, const json_t *body,
                                struct wg_notify_mark *m, struct wg_err *err);
void wg_notify_mark_release(struct wg_notify_mark *m);
/* *marked receives how many became read. */
enum wg_rc wg_notify_mark_write(struct wg_db *db, const struct wg_actor *actor,
                                const struct wg_notify_mark *m, long long now, long long *marked,
                                struct wg_err *err);

/* What the webhook receives for a row, as owned JSON text (free()): {"id", "recipient",
 * "channel", "kind", "order_id" (when there is one), "created_at", "attempt", "payload"}. */
char *wg_notify_envelope(const struct wg_outbox_row *r);

#endif
