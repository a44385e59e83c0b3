/* Delivering the outbox (notify.h says what becomes a row). The worker claims one due row
 * at a time with one UPDATE ... RETURNING. On PostgreSQL the row is picked FOR UPDATE SKIP
 * LOCKED, so several servers sharing one store never claim the same row; SQLite has a single
 * writer, so the claim is atomic there too, and a SQLite data directory is served by one
 * process anyway. The claimed row's envelope (wg_notify_envelope) is POSTed as JSON to the
 * webhook, http:// or https:// (http/client.h, on libcurl: an https receiver's certificate
 * must verify against the system's trusted roots), with the timeout to connect and twice
 * it for the whole exchange; redirects are not followed. SMS and push gateways are reached
 * through a relay that takes the same POST. A 2xx answer delivers the row. Anything else
 * (another status, refused, a TLS failure, timed out) is retried after
 * backoff × 2^(attempts − 1) seconds, at most an hour (10 s, 20 s, 40 s ... by default),
 * until the attempt limit (default 8), when the row is dead with its last error. Several
 * URLs are alternatives tried in order within one attempt (a primary and a standby), not a
 * fan-out. Delivery is at least once: a server stopped between the POST and recording its
 * answer sends that row again, so receivers drop repeats by the envelope's "id" (also sent
 * as the X-Wangge-Delivery header). With no webhook configured the worker leaves the rows
 * pending and says so once in the log. */
#ifndef WG_DOMAIN_NOTIFY_WORKER_H
#define WG_DOMAIN_NOTIFY_WORKER_H

#include <stdatomic.h>
#include <stddef.h>

#include "core/err.h"
#include "domain/accounts/pii.h"
#include "http/client.h"
#include "store/store.h"

#define WG_NOTIFY_MAX_URLS    4
#define WG_NOTIFY_URL_MAX     WG_HTTP_URL_MAX /* bytes of a webhook URL */
#define WG_NOTIFY_BACKOFF_CAP 3600            /* seconds: the longest wait between attempts */
#define WG_NOTIFY_ATTEMPTS    8
#define WG_NOTIFY_BACKOFF     10
#define WG_NOTIFY_TIMEOUT_MS  10000

/* Seconds to wait after failed attempt n (1, 2, ...): base × 2^(n − 1), at most
 * WG_NOTIFY_BACKOFF_CAP. */
long long wg_notify_backoff(int attempt, int base_seconds);

struct wg_notify_config {
    char urls[WG_NOTIFY_MAX_URLS][WG_NOTIFY_URL_MAX];
    size_t nurls;
    int attempts;        /* WG_NOTIFY_ATTEMPTS */
    int backoff_seconds; /* WG_NOTIFY_BACKOFF */
    int timeout_ms;      /* WG_NOTIFY_TIMEOUT_MS to connect; twice it for a whole POST */
    int poll_ms;         /* how often the worker looks for due rows; 500 */
    /* NULL, or the keys that open the reporter's phone a call request (kind call_request,
     * domain/orders/order.h) carries sealed: the relay gets it clear as "reporter_phone",
     * and the clear number is never stored. Without them a call request cannot be sent. */
    const struct wg_pii_keys *keys;
};
void wg_notify_config_init(struct wg_notify_config *c);
/* Checks and appends a webhook URL (WG_EINVAL for a bad one, as wg_http_url_parse says, or
 * a fifth). */
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
