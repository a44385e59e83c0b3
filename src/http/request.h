/* What a handler sees of an HTTP request, and how it answers. Handlers (src/api/) never
 * touch libmicrohttpd: the router parses the path, the query, the body (JSON when the route
 * says so) and renders errors, so a handler only reads fields and sets one reply. */
#ifndef WG_HTTP_REQUEST_H
#define WG_HTTP_REQUEST_H

#include <stddef.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/form.h"

#define WG_MAX_PATH_PARAMS 4

struct wg_req {
    struct wg_arena *arena; /* lives until the response is sent */
    void *app;              /* the server's application context (struct wg_app) */
    const char *method;
    const char *path;
    const char *log_path; /* the path as logs show it: a credential in it (a route's
                           * WG_R_SECRET capture) as "#" and a short keyed hash */
    const char *params[WG_MAX_PATH_PARAMS]; /* {name} captures of the route pattern */
    int nparams;
    const char *body;
    size_t body_len;
    json_t *json;         /* parsed body, for routes that take JSON; owned by the arena */
    struct wg_form *form; /* the form's fields, for routes that take forms (WG_R_FORM) */
    const char *remote_addr;
    void *actor; /* who is calling (struct wg_actor), set by the authorize hook */
    void *db;    /* the request's store connection while a handler holds one (api/app.h) */

    /* the reply */
    int status;
    const char *content_type;
    char *out; /* owned by the arena */
    size_t out_len;
    const char *extra_header_name, *extra_header_value;
    const char *cache_control;    /* NULL: no-store */
    const char *content_encoding; /* "gzip" for a precompressed file; NULL: none */

    /* a suspended request's answer (wg_req_suspend) */
    enum wg_rc (*then)(struct wg_req *req, void *ctx, struct wg_err *err);
    void *then_ctx;

    void *conn; /* the libmicrohttpd connection (http/ only) */
};

const char *wg_req_query(struct wg_req *req, const char *name); /* NULL when absent */
const char *wg_req_header(struct wg_req *req, const char *name);
/* 1 when the caller is this host itself (127.0.0.0/8, ::1) and no proxy forwarded the request
 * (no Forwarded, X-Forwarded-For or X-Real-IP header): a proxy on the same host would
 * otherwise make everyone it forwards look local. */
int wg_req_from_loopback(struct wg_req *req);
struct wg_buf;
/* The server's own metrics in Prometheus's text format (http/metrics.h), with its open
 * connections and suspended requests. */
void wg_req_metrics(struct wg_req *req, struct wg_buf *out);

/* Takes ownership of j. */
enum wg_rc wg_reply_json(struct wg_req *req, int status, json_t *j);
/* body is copied into the arena. */
enum wg_rc wg_reply_raw(struct wg_req *req, int status, const char *content_type, const char *body,
                        size_t len);
/* Takes ownership of a malloc'd body (handed to the response without a copy). */
enum wg_rc wg_reply_owned(struct wg_req *req, int status, const char *content_type, char *body,
                          size_t len);
void wg_reply_error(struct wg_req *req, const struct wg_err *err);

/* Parks the request without an answer and without holding its thread, which goes on with
 * other connections. The handler calls it before it hands the work that will end with
 * wg_req_resume to another thread, and then returns WG_OK without a reply. Once resumed,
 * then(req, ctx, err) runs on a request thread and answers as a handler does (a reply, or
 * an error in err). wg_req_resume may be called from any thread, once; the request may be
 * answered and gone as soon as it returns. A server stops only once every suspended
 * request was resumed. */
void wg_req_suspend(struct wg_req *req,
                    enum wg_rc (*then)(struct wg_req *req, void *ctx, struct wg_err *err),
                    void *ctx);
void wg_req_resume(struct wg_req *req);

#endif
