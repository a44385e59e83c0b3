/* Delivering the outbox (notify.h says what becomes a row). The worker claims one due row
 * at a time with one UPDATE ... RETURNING. On PostgreSQL the row is picked FOR UPDATE SKIP
 * LOCKED, so several servers sharing one store never claim the same row; SQLite has a single
 * writer, so the claim is atomic there too, and a SQLite data directory is served by one
 * process anyway. The claimed row's envelope (wg_notify_envelope) is POSTed as JSON to the
 * webhook: HTTP/1.1 over a plain TCP socket to an http://host[:port]/path URL, with a timeout
 * for connecting and for the answer. There is no TLS and no libcurl: a deployment that must
 * reach an HTTPS endpoint (or SMS and push gateways) runs a local relay and points
 * webhook_url at it. A 2xx answer delivers the row. Anything else (another status, refused,
 * timed out) is retried after backoff × 2^(attempts − 1) seconds, at most an hour (10 s,
 * 20 s, 40 s ... by default), until the attempt limit (default 8), when the row is dead with
 * its last error. Several URLs are alternatives tried in order within one attempt (a primary
 * and a standby relay), not a fan-out. Delivery is at least once: a server stopped between
 * the POST and recording its answer sends that row again, so receivers drop repeats by the
 * envelope's "id" (also sent as the X-Wangge-Delivery header). With no webhook configured
 * the worker leaves the rows pending and says so once in the log. */
#ifndef WG_DOMAIN_NOTIFY_WORKER_H
#define WG_DOMAIN_NOTIFY_WORKER_H

#include <stdatomic.h>
#include <stddef.h>

#include "core/err.h"
#include "store/store.h"

#define WG_NOTIFY_MAX_URLS    4
#define WG_NOTIFY_URL_MAX     1024 /* bytes of a webhook URL */
#define WG_NOTIFY_BACKOFF_CAP 3600 /* seconds: the longest wait between attempts */
#define WG_NOTIFY_ATTEMPTS    8
#define WG_NOTIFY_BACKOFF     10
#define WG_NOTIFY_TIMEOUT_MS  10000

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
