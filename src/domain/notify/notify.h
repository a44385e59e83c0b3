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
 *   kind             dispatch, urge, supervise, return, red_light.
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
 * Delivery. The worker claims one due row at a time with one UPDATE ... RETURNING. On
 * PostgreSQL the row is picked FOR UPDATE SKIP LOCKED, so several servers sharing one store
 * never claim the same row; SQLite has a single writer, so the claim is atomic there too,
 * and a SQLite data directory is served by one process anyway. The claimed row's envelope
 * (wg_notify_envelope) is POSTed as JSON to the webhook: HTTP/1.1 over a plain TCP socket to
 * an http://host[:port]/path URL, with a timeout for connecting and for the answer. There is
 * no TLS and no libcurl: a deployment that must reach an HTTPS endpoint (or SMS and push
 * gateways) runs a local relay and points webhook_url at it. A 2xx answer delivers the row.
 * Anything else (another status, refused, timed out) is retried after
 * backoff × 2^(attempts − 1) seconds, at most an hour (10 s, 20 s, 40 s ... by default),
 * until the attempt limit (default 8), when the row is dead with its last error. Several
 * URLs are alternatives tried in order within one attempt (a primary and a standby relay),
 * not a fan-out. Delivery is at least once: a server stopped between the POST and recording
 * its answer sends that row again, so receivers drop repeats by the envelope's "id" (also
 * sent as the X-Wangge-Delivery header). With no webhook configured the worker leaves the
 * rows pending and says so once in the log. */
#ifndef WG_DOMAIN_NOTIFY_H
#define WG_DOMAIN_NOTIFY_H

#include <stdatomic.h>
#include <stddef.h>

#include <jansson.h>

#include "core/err.h"
#include "domain/accounts/session.h"
#include "store/store.h"
#include "store/notify/notify_q.h"
#include "store/orders/orders_q.h"

#define WG_NOTIFY_MAX_URLS      4
#define WG_NOTIFY_URL_MAX       1024 /* bytes of a webhook URL */
#define WG_NOTIFY_PAYLOAD_MAX   (64 * 1024)
#define WG_NOTIFY_RECIPIENT_MAX 128
#define WG_NOTIFY_BACKOFF_CAP   3600 /* seconds: the longest wait between attempts */
#define WG_NOTIFY_ATTEMPTS      8
#define WG_NOTIFY_BACKOFF       10
#define WG_NOTIFY_TIMEOUT_MS    10000
#define WG_NOTIFY_LIST_DEFAULT  50
#define WG_NOTIFY_LIST_MAX      1000

/* ---- producing ---- */

/* Enqueues a notification for recipient (a username or "unit:ID") of kind (lower case
 * letters and '_') about order_id (0: none) with payload_json (a JSON object), due now, on
 * the webhook channel. Call it inside the transaction of the change that causes it; outside
 * a transaction the row commits on its own. */
enum wg_rc wg_notify(struct wg_db *db, const char *recipient, const char *kind, long long order_id,
                     const char *payload_json, struct wg_err *err);

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

/* The notifications of an order action, inside the action's transaction: dispatch, urge and
 * supervise go to the unit holding the order ("unit:" + unit), return to the order's creator
 * (the centre's agent who took it in). Other actions notify nobody. unit and next_state are
 * the order's after the action; f its facts after it (the deadlines set at dispatch). */
enum wg_rc wg_notify_order_action(struct wg_db *db, const char *action,
                                  const struct wg_order_row *o, const char *unit,
                                  const char *next_state, const struct wg_order_facts *f,
                                  const struct wg_actor *actor, const json_t *body, long long now,
                                  struct wg_err *err);

/* A dispatch's assisting units (协办) each hear of their part ("assist"), beside the lead's
 * dispatch notification; inside the dispatch's transaction. */
enum wg_rc wg_notify_order_assist(struct wg_db *db, const struct wg_order_row *o,
                                  const char *lead, const struct wg_order_facts *f,
                                  const char *const *units, size_t n,
                                  const struct wg_actor *actor, const json_t *body, long long now,
                                  struct wg_err *err);

/* An order's light turned red: a red_light notification to the unit holding it, for the
 * red-light sweep to call inside its transaction (beside the automatic supervision). An
 * order no unit holds notifies nobody (*queued 0); queued may be NULL. */
enum wg_rc wg_notify_red(struct wg_db *db, long long order_id, long long now, int *queued,
                         struct wg_err *err);

/* The caller's own notifications (their username, and their unit when scoped unit:ID),
 * newest first: {"notifications": [{id, recipient, channel, kind, order_id, state,
 * attempts, created_at, delivered_at, next_attempt_at, payload}], limit, offset}. The last
 * error stays in the server's log and the store: it is about the relay, not the work. */
enum wg_rc wg_notify_list(struct wg_db *db, const struct wg_actor *actor, long long limit,
                          long long offset, json_t **out, struct wg_err *err);

/* ---- delivering ---- */

/* A parsed webhook URL: http://host[:port][/path][?query]. */
struct wg_url {
    char host[256];               /* a name, an IPv4 address, or an IPv6 address without brackets */
    char port[6];                 /* "80" when not given */
    char path[WG_NOTIFY_URL_MAX]; /* from the first '/', with the query; "/" when none */
    char authority[264];          /* for the Host header: host (bracketed for IPv6) and ":port" */
};
/* Accepts only http:// URLs of printable ASCII without credentials or a fragment; https is
 * refused with a message pointing to the relay. */
enum wg_rc wg_notify_url_parse(const char *text, struct wg_url *out, struct wg_err *err);

/* Seconds to wait after failed attempt n (1, 2, ...): base × 2^(n − 1), at most
 * WG_NOTIFY_BACKOFF_CAP. */
long long wg_notify_backoff(int attempt, int base_seconds);

/* The status of an HTTP/1.x status line at the start of buf: 100 to 599; 0 when the line is
 * not complete yet; -1 when it is not a status line. */
int wg_notify_http_status(const char *buf, size_t len);

/* POSTs len bytes of JSON to url, with delivery_id as X-Wangge-Delivery, within timeout_ms
 * for connecting and timeout_ms for the rest. *status is the answer's status; no answer
 * (refused, timed out, closed, not HTTP) is WG_EIO saying why. abort (may be NULL) is
 * watched and ends the exchange early. */
enum wg_rc wg_notify_http_post(const struct wg_url *url, const char *body, size_t len,
                               long long delivery_id, int timeout_ms, const atomic_int *abort,
                               int *status, struct wg_err *err);

/* What the webhook receives for a row, as owned JSON text (free()): {"id", "recipient",
 * "channel", "kind", "order_id" (when there is one), "created_at", "attempt", "payload"}. */
char *wg_notify_envelope(const struct wg_outbox_row *r);

struct wg_notify_config {
    char urls[WG_NOTIFY_MAX_URLS][WG_NOTIFY_URL_MAX];
    size_t nurls;
    int attempts;        /* WG_NOTIFY_ATTEMPTS */
    int backoff_seconds; /* WG_NOTIFY_BACKOFF */
    int timeout_ms;      /* WG_NOTIFY_TIMEOUT_MS */
    int poll_ms;         /* how often the worker looks for due rows; 500 */
};
void wg_notify_config_init(struct wg_notify_config *c);
/* Checks and appends a webhook URL (WG_EINVAL for a bad one or a fifth). */
enum wg_rc wg_notify_config_add_url(struct wg_notify_config *c, const char *url,
                                    struct wg_err *err);

/* Delivers the rows due at now, one claim at a time, until none is due or abort is set;
 * *handled counts the rows tried. The worker's loop; tests call it directly. */
enum wg_rc wg_notify_deliver_due(struct wg_store *st, const struct wg_notify_config *cfg,
                                 long long now, const atomic_int *abort, int *handled,
                                 struct wg_err *err);

struct wg_notify_worker;
/* Starts the delivery thread over st with a copy of cfg. Without URLs no thread runs: the
 * rows stay pending and a warning is logged once. */
enum wg_rc wg_notify_worker_start(struct wg_store *st, const struct wg_notify_config *cfg,
                                  struct wg_notify_worker **out, struct wg_err *err);
/* Stops the thread (a POST in flight is cut short and retried later) and frees w; NULL is a
 * no-op. */
void wg_notify_worker_stop(struct wg_notify_worker *w);

#endif
