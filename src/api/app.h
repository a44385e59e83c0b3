/* The server's application context, shared by every handler — the store, the snapshots in
 * force (locate index, dispatch catalog), the settings the handlers need — and what every
 * handler shares: its request's store connection and the common answers. The server's
 * threads and start-up are src/server/'s. */
#ifndef WG_API_APP_H
#define WG_API_APP_H

#include <pthread.h>
#include <stdatomic.h>

#include "domain/map/locate.h"
#include "domain/calendar/calendar.h"
#include "domain/catalog/catalog.h"
#include "domain/catalog/catalog_store.h"
#include "domain/disputes/dispute.h"
#include "domain/accounts/login_limit.h"
#include "domain/accounts/pii.h"
#include "domain/accounts/pwpool.h"
#include "domain/portal/portal.h"
#include "domain/registry/patrol.h"
#include "domain/registry/visit.h"
#include "domain/disputes/screening.h"
#include "domain/accounts/session.h"
#include "domain/stats/stats_cube.h"
#include "domain/orders/order.h"
#include "domain/orders/text_index.h"
#include "http/route.h"
#include "domain/map/geocoder.h"
#include "store/store.h"

struct wg_warn_follower;
struct wg_app {
    struct wg_store *store;
    struct wg_committer *committer;   /* group commit of intake (store.h) */
    struct wg_text_index *text_index; /* the text index behind intake (text_index.h) */
    struct wg_slot locator;
    long long grid_epoch; /* the epoch the current locator was built at */
    pthread_t watcher;
    atomic_int stop;
    int watcher_running;
    struct wg_session_limits limits;
    struct wg_pii_keys *keys;             /* sealing personal fields; loaded by serve */
    struct wg_slot catalogs;              /* the dispatch catalog in force (catalog_store.h) */
    struct wg_calendar *calendar;         /* working days and hours; read-only once serving */
    unsigned sweep_seconds;               /* how often red orders are looked for (60) */
    const char *data_dir;                 /* photos and key files live under it */
    struct wg_portal_config portal;       /* the residents' portal: throttles, photos */
    struct wg_cadence cadence;            /* visits' cadence (domain/registry/visit.h) */
    struct wg_patrol_config patrol;       /* patrols' checklist and track retention (patrol.h) */
    struct wg_case_boxes case_boxes;      /* disputes' time boxes (domain/disputes/dispute.h) */
    struct wg_screening_config screening; /* dispute screening's cadence (screening.h) */
    int call_proxy; /* reveal queues a call through a virtual-number service (api/orders/reveal.c)
                     */
    /* the console (api/console/console.c): its built directory, base map tiles, its CSP */
    char console_dir[4096]; /* resolved; "" when there is none */
    char tiles_url[1024];   /* "" draws grids on a plain background */
    char tiles_attribution[256];
    char tiles_subdomains[32];
    char console_csp[1400];
    struct wg_geocoder geocoder;       /* the address search's outside geocoder; none by default */
    struct wg_stats_cube *stats;       /* the indicators' roll-ups (domain/stats/stats_cube.h) */
    struct wg_login_limit logins;      /* failed logins per source address */
    struct wg_pwpool *pwpool;          /* checks and hashes passwords (pwpool.h) */
    struct wg_dup_cache *dups;         /* intake's window of duplicate candidates (dup_cache.h) */
    struct wg_warn_follower *warnings; /* early warning behind intake (warn_feed.h) */
};

/* The request's store connection: taken from the pool at the first call, kept for the rest
 * of the request's authorization or handler, and given back by the HTTP layer after each of
 * them and when the request suspends (wg_api_release). Handlers never put it back. */
enum wg_rc wg_api_db(struct wg_req *req, struct wg_db **out, struct wg_err *err);
void wg_api_release(struct wg_req *req);
/* Runs fn(db, ctx) in the group committer's next batch and waits until it is durable
 * (wg_committer_run), having given back the request's connection first. */
enum wg_rc wg_api_commit(struct wg_req *req, wg_commit_fn fn, void *ctx, struct wg_err *err);
/* Password work — checking or hashing one (domain/accounts/pwpool.h) — off the request's
 * thread and its store connection: the request is suspended, work(ctx) runs on the password
 * pool, then then(req, ctx, err) answers on a request thread as a handler does (taking a
 * store connection of its own when it needs one). The handler returns what this returns:
 * WG_OK, the request suspended. */
enum wg_rc wg_api_pw_then(struct wg_req *req, void (*work)(void *ctx),
                          enum wg_rc (*then)(struct wg_req *req, void *ctx, struct wg_err *err),
                          void *ctx);
/* Makes j the request's: released when the request ends. Returns j. */
json_t *wg_api_keep(struct wg_req *req, json_t *j);
/* If-Match: "3", 3 or W/"3" — the version the client read (GET answers it as the ETag) —
 * into *version, within lo..hi; WG_ENOTFOUND (err untouched) when the header is absent,
 * WG_EINVAL naming what it should be ("an order version") otherwise. */
enum wg_rc wg_api_if_match(struct wg_req *req, const char *what, long long lo, long long hi,
                           long long *version, struct wg_err *err);
/* Answers j (taking it) with version as the ETag, the value a change sends back as If-Match. */
enum wg_rc wg_api_reply_versioned(struct wg_req *req, int status, long long version, json_t *j);
/* What order operations need for this request: the keys, the catalog it holds, the
 * calendar (domain/orders/order.h). */
struct wg_order_env wg_api_order_env(struct wg_req *req);
/* A string field of the request's JSON body; NULL when absent or not a string. */
const char *wg_api_field(const struct wg_req *req, const char *name);

/* 1 when the caller's scope covers a region or grid code. Outside the scope an object
 * answers 404 exactly as a missing one does, so its existence does not leak. */
int wg_api_in_scope(const struct wg_req *req, const char *code);

/* Answers {"<key>": [...]}, the array filled by fill on a store connection; the common
 * shape of the administration lists. */
enum wg_rc wg_api_reply_list(struct wg_req *req, const char *key,
                             enum wg_rc (*fill)(struct wg_req *req, struct wg_db *db, json_t *arr,
                                                struct wg_err *err),
                             struct wg_err *err);

/* An order id from a path, exactly as written (no leading zero, sign or space): anything
 * else is an order that does not exist (404), never a parse error. */
enum wg_rc wg_api_order_id(const char *s, long long *id, struct wg_err *err);
/* Answers 200 with a stored photo (takes ownership of the malloc'd bytes), sandboxed by its
 * Content-Security-Policy so that no image that is really a page runs in the console's
 * origin (api/orders/photos.c). */
enum wg_rc wg_api_reply_photo(struct wg_req *req, const char *mime, char *bytes, size_t len);

/* Records how an API operation ended in the audit log, as the caller (req->actor, or the
 * given actor name for logins) from the request's address; returns rc as
 * wg_audit_outcome does: a change that could not be audited is an error. */
struct wg_db;
enum wg_rc wg_api_audit(struct wg_req *req, struct wg_db *db, const char *actor_name,
                        const char *action, const char *object_type, const char *object_id,
                        const char *detail, enum wg_rc rc, struct wg_err *err);

/* Takes one turn of throttle t at now, in a transaction of its own: WG_ERATE with
 * *retry_after once its window is full. */
enum wg_rc wg_api_throttle_take(struct wg_req *req, struct wg_throttle *t, long long now,
                                int *retry_after, struct wg_err *err);
/* Counts one public lookup of kind `what` (a throttle's name, "card:address") against the
 * caller's address (the portal's reading of it, X-Forwarded-For when trusted) in the store,
 * at most limit per window seconds: WG_ERATE with Retry-After beyond. */
enum wg_rc wg_api_lookup_throttle(struct wg_req *req, const char *what, int limit, int window,
                                  struct wg_err *err);
/* A reveal of a sealed personal value (an account's, an order reporter's) — the one way a
 * clear value leaves the server. wg_api_reveal_reason: the body's "reason", required (at
 * least 4 bytes beside spaces), else 400 naming it. wg_api_reveal_audit: the reveal's
 * record ("pii.reveal", detail "<what>: <reason>", and how it ended), written before the
 * value is answered; returns rc as wg_api_audit does. */
enum wg_rc wg_api_reveal_reason(struct wg_req *req, const char **reason, struct wg_err *err);
enum wg_rc wg_api_reveal_audit(struct wg_req *req, struct wg_db *db, const char *object_type,
                               const char *object_id, const char *what, const char *reason,
                               enum wg_rc rc, struct wg_err *err);

/* The catalog in force for this request: a reference to its snapshot is held until the
 * request ends, so a change published meanwhile never pulls it away. */
const struct wg_catalog *wg_api_catalog(struct wg_req *req);
/* Loads the newest stored catalog version when it is not the one in force (a change made by
 * this or another server sharing the store). */
enum wg_rc wg_app_catalog_refresh(struct wg_app *app, struct wg_err *err);
/* Rebuilds the locate index now if the grid epoch moved (or always, with force); a lookup
 * never waits for it. */
enum wg_rc wg_app_locator_refresh(struct wg_app *app, int force, struct wg_err *err);
/* Takes in a prepared order through the group committer (api/orders/orders.c): the order, the
 * record of its creation and — extra, when not NULL — the channel's own rows, written by
 * extra(db, extra_ctx, err) after the order's, commit together or not at all; a refused
 * intake is recorded too. req->actor is the one taking it in. */
struct wg_order_draft;
enum wg_rc wg_api_intake(struct wg_req *req, struct wg_order_draft *draft, const char *channel,
                         wg_commit_fn extra, void *extra_ctx, struct wg_err *err);

/* The keys of the body of POST /api/v1/orders/{id}/actions/{name}: the named action's
 * (api/orders/orders.c; struct wg_body_keys). */
const char *const *wg_api_action_keys(struct wg_req *req, const char **what);
/* The same for a dispute case's action (api/disputes/disputes.c). */
const char *const *wg_api_dispute_action_keys(struct wg_req *req, const char **what);

/* The authorize hook of the router (api/authorize.c). */
enum wg_rc wg_api_authorize(struct wg_req *req, const struct wg_route *r, struct wg_err *err);

/* The console's defaults and settings (api/console/console.c): the directory of the built console
 * (web/dist beside the binary, or the source tree's when the binary is build/<variant>/),
 * and the base map tiles URL, whose host goes into the console's Content-Security-Policy. */
void wg_console_default_dir(char *out, size_t n);
enum wg_rc wg_console_settings(struct wg_app *app, const char *dir, const char *tiles_url,
                               struct wg_err *err);

extern const struct wg_route wg_routes[];
extern const size_t wg_nroutes;

#endif
