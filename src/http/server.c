/* libmicrohttpd glue (the only includer of microhttpd.h): request lifecycle, body
 * collection with a cap per route and a budget for the whole server, dispatch through the
 * route table, error rendering, access log. */
#include "http/server.h"
#include "core/assert.h"
#include "core/alloc.h"

#include <arpa/inet.h>
#include <malloc.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <sodium.h>

#include "core/clock.h"
#include "core/jfield.h"
#include "core/log.h"
#include "core/utf8.h"
#include "http/metrics.h"
#include "http/watch.h"

struct wg_server {
    struct MHD_Daemon *d;
    struct wg_server_config cfg;
    const struct wg_route *routes;
    size_t nroutes;
    void *app;
    unsigned port;
    atomic_int stopping;
    atomic_int suspended; /* requests suspended and not yet resumed */
    atomic_int open;      /* connections started and not yet closed */
    int max_open;         /* max_connections */
    /* the key of the hashes logs show for credentials in paths: new at every start, so a
     * hash tells two requests with one code apart from others, and nothing more */
    unsigned char log_key[crypto_generichash_KEYBYTES];
    /* The request bodies' memory: each body reserves what it may hold before any of it is
     * read and gives it back when its request ends. Callers the router has not identified
     * (public routes) may hold half of the budget at most, so they never crowd out the rest. */
    pthread_mutex_t body_mu;
    size_t body_budget, body_held, strangers_held;
    atomic_llong body_warned; /* when the budget's refusals were last logged */
    struct wg_http_metrics *metrics;
    struct wg_conn_watch *watch; /* heads' deadline; idle connections at a stop */
};

struct ctx {
    struct wg_req req; /* first: a request is its context */
    struct wg_server *srv;
    const struct wg_route *route; /* matched when the head arrived; NULL: answered then */
    char *body;                   /* what came of the body, len bytes and a NUL, in alloc */
    size_t len, alloc;
    size_t cap;      /* the route's body cap in bytes */
    size_t want;     /* the body's declared length, or the cap when it has none */
    size_t reserved; /* of the server's body budget */
    int stranger;    /* the router identified no caller */
    int chunked;     /* the body came without a length */
    uint64_t start_us;
    int started;                /* the head is in and the request was set up (on_request) */
    int framing;                /* 414 or 400: the request line was refused when it came (on_uri) */
    size_t discarded;           /* body bytes over the cap, read and dropped */
    struct wg_watched *watched; /* the connection's record in srv->watch */
    int too_big;
    int status_logged;
};

const char *wg_req_query(struct wg_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *wg_req_header(struct wg_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

int wg_req_from_loopback(struct wg_req *req)
{
    static const char *const forwarded[] = {"Forwarded", "X-Forwarded-For", "X-Real-IP"};
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;
    int loopback = 0;
    if (sa && sa->sa_family == AF_INET)
        loopback = (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
    else if (sa && sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
        loopback = IN6_IS_ADDR_LOOPBACK(a) || (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
    }
    /* a proxy on this host makes every caller look local: what it forwarded is not */
    for (size_t i = 0; loopback && i < sizeof forwarded / sizeof *forwarded; i++)
        if (MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, forwarded[i]))
            loopback = 0;
    return loopback;
}

void wg_req_metrics(struct wg_req *req, struct wg_buf *out)
{
    struct wg_server *srv = ((struct ctx *)req)->srv;
    const union MHD_DaemonInfo *di =
        MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    size_t held, strangers;
    pthread_mutex_lock(&srv->body_mu);
    held = srv->body_held;
    strangers = srv->strangers_held;
    pthread_mutex_unlock(&srv->body_mu);
    wg_http_metrics_render(srv->metrics, out);
    wg_buf_addf(out,
                "# HELP wangge_http_body_bytes Request body memory reserved now, by all callers "
                "and by callers not logged in.\n"
                "# TYPE wangge_http_body_bytes gauge\n"
                "wangge_http_body_bytes{callers=\"all\"} %zu\n"
                "wangge_http_body_bytes{callers=\"strangers\"} %zu\n"
                "# HELP wangge_http_body_budget_bytes The memory all request bodies may hold at "
                "once.\n"
                "# TYPE wangge_http_body_budget_bytes gauge\n"
                "wangge_http_body_budget_bytes %zu\n",
                held, strangers, srv->body_budget);
    wg_buf_addf(out,
                "# HELP wangge_http_connections Open client connections.\n"
                "# TYPE wangge_http_connections gauge\n"
                "wangge_http_connections %u\n"
                "# HELP wangge_http_suspended_requests Requests waiting for the group commit "
                "without a thread.\n"
                "# TYPE wangge_http_suspended_requests gauge\n"
                "wangge_http_suspended_requests %d\n",
                di ? di->num_connections : 0, atomic_load(&srv->suspended));
}

enum wg_rc wg_reply_raw(struct wg_req *req, int status, const char *content_type, const char *body,
                        size_t len)
{
    char *p = wg_arena_alloc(req->arena, len + 1);
    memcpy(p, body, len);
    req->out = p;
    req->out_len = len;
    req->status = status;
    req->content_type = content_type;
    return WG_OK;
}

enum wg_rc wg_reply_owned(struct wg_req *req, int status, const char *content_type, char *body,
                          size_t len)
{
    wg_arena_defer(req->arena, free, body);
    req->out = body;
    req->out_len = len;
    req->status = status;
    req->content_type = content_type;
    return WG_OK;
}

enum wg_rc wg_reply_json(struct wg_req *req, int status, json_t *j)
{
    char *s;
    if (!j) /* a json_pack given text that is not UTF-8, say */
        return WG_EINTERNAL;
    s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    return wg_reply_owned(req, status, "application/json; charset=utf-8", s, strlen(s));
}

void wg_reply_error(struct wg_req *req, const struct wg_err *err)
{
    int status = wg_rc_http_status(err->rc);
    char clean[3 * sizeof err->msg];
    const char *msg = clean;
    wg_utf8_scrub(err->msg, clean, sizeof clean); /* a message may quote what was sent */
    /* Internal failures are logged in full; the client gets no internals. */
    if (status >= 500) {
        wg_error("%s %s: %s", req->method, req->log_path,
                 err->msg[0] ? err->msg : "internal error");
        msg = "the server could not complete the request; the details are in its log";
    }
    json_t *j = json_pack("{s:{s:s,s:s}}", "error", "code", wg_rc_code(err->rc), "message",
                          msg[0] ? msg : wg_rc_code(err->rc));
    if (wg_reply_json(req, status, j))
        wg_reply_raw(req, 500, "application/json; charset=utf-8",
                     "{\"error\":{\"code\":\"internal\",\"message\":\"internal error\"}}", 56);
}

/* Gives back what the request held while its handler ran (the API's store connection). */
static void release(struct wg_server *srv, struct wg_req *req)
{
    if (srv->cfg.release)
        srv->cfg.release(req);
}

void wg_req_suspend(struct wg_req *req,
                    enum wg_rc (*then)(struct wg_req *req, void *ctx, struct wg_err *err),
                    void *ctx)
{
    struct ctx *c = (struct ctx *)req;
    release(c->srv, req); /* nothing is held while the request waits */
    req->then = then;
    req->then_ctx = ctx;
    atomic_fetch_add(&c->srv->suspended, 1);
    MHD_suspend_connection(req->conn);
}

void wg_req_resume(struct wg_req *req)
{
    struct wg_server *srv = ((struct ctx *)req)->srv;
    /* the request may be answered and freed once the connection is resumed */
    MHD_resume_connection(req->conn);
    atomic_fetch_sub(&srv->suspended, 1);
}

/* A resumed request answers through its continuation. */
static void answer_resumed(struct ctx *c)
{
    struct wg_req *req = &c->req;
    struct wg_err err = {0};
    enum wg_rc (*then)(struct wg_req *, void *, struct wg_err *) = req->then;
    req->then = NULL;
    if (then(req, req->then_ctx, &err) != WG_OK || !req->out) {
        if (!err.rc)
            wg_err_set(&err, WG_EINTERNAL, "a resumed request for '%s' gave no answer", req->path);
        wg_reply_error(req, &err);
    }
    release(c->srv, req);
}

static enum MHD_Result form_field(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *filename, const char *content_type,
                                  const char *transfer_encoding, const char *data, uint64_t off,
                                  size_t size)
{
    (void)kind;
    (void)transfer_encoding;
    return wg_form_chunk(cls, key, filename, content_type, data, off, size) ? MHD_NO : MHD_YES;
}

static void form_free(void *p)
{
    wg_form_release(p);
}

/* Reads the buffered body with libmicrohttpd's post processor, which takes the encoding and
 * the multipart boundary from the request's Content-Type. */
static void read_form(struct wg_req *req, size_t value_max)
{
    struct wg_form *f = wg_arena_alloc(req->arena, sizeof *f);
    struct MHD_PostProcessor *pp;
    wg_form_init(f);
    f->max_value = value_max;
    wg_arena_defer(req->arena, form_free, f);
    req->form = f;
    if (!req->body_len)
        return;
    pp = MHD_create_post_processor(req->conn, 32 * 1024, form_field, f);
    if (!pp) {
        f->rc = WG_EINVAL;
        snprintf(f->msg, sizeof f->msg,
                 "the body must be a form: Content-Type "
                 "application/x-www-form-urlencoded or multipart/form-data");
        return;
    }
    if (MHD_post_process(pp, req->body, req->body_len) != MHD_YES && !f->rc) {
        f->rc = WG_EINVAL;
        snprintf(f->msg, sizeof f->msg, "the form could not be read: it is malformed");
    }
    MHD_destroy_post_processor(pp);
}

/* The refusal of a body over the route's cap, before or while it is read. */
static void refuse_body(struct ctx *c)
{
    struct wg_err err = {0};
    if (!c->cap)
        wg_err_set(&err, WG_ETOOBIG, "%s %s takes no request body", c->req.method,
                   c->route->pattern);
    else
        wg_err_set(&err, WG_ETOOBIG,
                   "the request body is larger than %s %s takes: at most %zu "
                   "bytes",
                   c->req.method, c->route->pattern, c->cap);
    wg_reply_error(&c->req, &err);
}

/* The path as logs show it: the route's credential capture (WG_R_SECRET: a tracking code,
 * an Open311 token) replaced by "#" and 8 hex digits of a keyed hash. Captures are cut from
 * the path in order, so the first one starts where the pattern's first '{' does. */
static void redact_path(struct wg_server *srv, struct wg_req *req, const struct wg_route *r)
{
    unsigned char h[8];
    char hex[17], *out;
    size_t at = strcspn(r->pattern, "{"), n;
    if (!(r->flags & WG_R_SECRET) || req->nparams < 1 || strncmp(req->path, r->pattern, at))
        return;
    n = strlen(req->params[0]);
    if (strncmp(req->path + at, req->params[0], n))
        return;
    crypto_generichash(h, sizeof h, (const unsigned char *)req->params[0], n, srv->log_key,
                       sizeof srv->log_key);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    out = wg_arena_alloc(req->arena, strlen(req->path) + 16);
    snprintf(out, strlen(req->path) + 16, "%.*s#%.8s%s", (int)at, req->path, hex,
             req->path + at + n);
    req->log_path = out;
}

/* Takes n bytes of the body budget for c, or answers 0 when they are not there. */
static int budget_take(struct wg_server *srv, struct ctx *c, size_t n)
{
    int ok;
    pthread_mutex_lock(&srv->body_mu);
    ok = n <= srv->body_budget - srv->body_held &&
         (!c->stranger || n <= srv->body_budget / 2 - srv->strangers_held);
    if (ok) {
        srv->body_held += n;
        if (c->stranger)
            srv->strangers_held += n;
        c->reserved += n;
    }
    pthread_mutex_unlock(&srv->body_mu);
    return ok;
}

static void budget_give_back(struct wg_server *srv, struct ctx *c)
{
    if (!c->reserved)
        return;
    pthread_mutex_lock(&srv->body_mu);
    srv->body_held -= c->reserved;
    if (c->stranger)
        srv->strangers_held -= c->reserved;
    pthread_mutex_unlock(&srv->body_mu);
    c->reserved = 0;
}

/* The budget is spent: 503 from the head, the body unread; logged at most once a minute. */
static void refuse_busy(struct wg_server *srv, struct ctx *c)
{
    static const char plain[] = "{\"error\":{\"code\":\"unavailable\",\"message\":\"busy\"}}";
    struct wg_req *req = &c->req;
    long long now = (long long)time(NULL), last = atomic_load(&srv->body_warned);
    char msg[256];
    snprintf(msg, sizeof msg,
             "the server is reading as many request bodies%s as it holds at once (%zu MiB); "
             "send this one again in a moment",
             c->stranger ? " from callers not logged in" : "",
             (c->stranger ? srv->body_budget / 2 : srv->body_budget) >> 20);
    if (now - last >= 60 && atomic_compare_exchange_strong(&srv->body_warned, &last, now))
        wg_warn("request bodies: %s of body_memory (%zu MiB) is taken; %s %s of %zu bytes "
                "refused with 503 (said once a minute)",
                c->stranger ? "the half for callers not logged in" : "all", srv->body_budget >> 20,
                req->method, c->route->pattern, c->want);
    if (wg_reply_json(req, 503,
                      json_pack("{s:{s:s,s:s}}", "error", "code", "unavailable", "message", msg)))
        wg_reply_raw(req, 503, "application/json; charset=utf-8", plain, sizeof plain - 1);
    req->extra_header_name = "Retry-After";
    req->extra_header_value = "1";
}

/* Appends a piece of the body within what it reserved (its declared length, or the route's
 * cap); nonzero when it is over that. */
static int body_add(struct ctx *c, const char *p, size_t n)
{
    if (n > c->want - c->len)
        return -1;
    if (c->len + n + 1 > c->alloc) {
        /* a declared length at once; a body without one doubles up to its cap */
        size_t a = c->alloc ? 2 * c->alloc : c->chunked ? 16384 : c->want + 1;
        if (a < c->len + n + 1)
            a = c->len + n + 1;
        if (a > c->want + 1)
            a = c->want + 1;
        c->body = wg_realloc(c->body, a);
        c->alloc = a;
    }
    memcpy(c->body + c->len, p, n);
    c->len += n;
    c->body[c->len] = '\0';
    return 0;
}

/* Once the request's head is in, before any of its body is read: the route, the body's
 * declared size against the route's cap, the caller's right to the route, and room in the
 * server's body budget for the body (its declared length, or the route's cap when it comes
 * in chunks; twice that for a form, which is read into fields as well). Any of them failing
 * is answered at once, and the body is never read. */
static void begin(struct wg_server *srv, struct ctx *c)
{
    struct wg_req *req = &c->req;
    struct wg_err err = {0};
    int path_matched;
    const char *cl, *te;
    c->route =
        wg_route_match(srv->routes, srv->nroutes, req->method, req->path, req, &path_matched);
    if (!c->route) {
        if (path_matched)
            wg_err_set(&err, WG_EINVAL, "method %s is not allowed on '%s'", req->method, req->path);
        else
            wg_err_set(&err, WG_ENOTFOUND, "no such endpoint: '%s'", req->path);
        wg_reply_error(req, &err);
        if (path_matched)
            req->status = 405;
        return;
    }
    redact_path(srv, req, c->route);
    c->cap = wg_body_cap_bytes(c->route->body, srv->cfg.body_max);
    cl = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Content-Length");
    te = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Transfer-Encoding");
    if (cl) {
        char *end;
        unsigned long long n = strtoull(cl, &end, 10);
        if (*end == '\0' && n > c->cap) {
            refuse_body(c);
            return;
        }
        c->want = *end == '\0' ? (size_t)n : c->cap;
    } else if (te && strcasecmp(te, "identity")) {
        c->want = c->cap;
        c->chunked = 1;
    }
    if (srv->cfg.authorize && srv->cfg.authorize(req, c->route, &err) != WG_OK)
        wg_reply_error(req, &err);
    release(srv, req); /* a slow upload holds nothing of the store's */
    if (req->out || !c->want)
        return;
    c->stranger = !req->actor;
    if (!budget_take(srv, c, (c->route->flags & WG_R_FORM) ? 2 * c->want : c->want))
        refuse_busy(srv, c);
}

/* A JSON body holding a key its route does not take, whatever the handler would make of
 * it: a misspelt field is refused, never silently dropped. */
static int keys_refused(struct wg_req *req, const struct wg_body_keys *k, struct wg_err *err)
{
    const char *what = k->what;
    const char *const *names = k->of ? k->of(req, &what) : k->names;
    return names && wg_jf_known(req->json, names, what ? what : "the body", err) != WG_OK;
}

/* The body is in: parse it as the route says and run the handler. */
static void dispatch(struct wg_server *srv, struct ctx *c)
{
    struct wg_req *req = &c->req;
    const struct wg_route *r = c->route;
    struct wg_err err = {0};
    if (c->too_big) {
        refuse_body(c);
        return;
    }
    req->body = c->body ? c->body : "";
    req->body_len = c->len;
    if (r->flags & WG_R_FORM) {
        read_form(req, c->cap);
    } else if ((r->flags & WG_R_JSON_OPT) && !req->body_len) {
        req->json = json_object();
        wg_arena_defer(req->arena, (void (*)(void *))json_decref, req->json);
    } else if (r->flags & (WG_R_JSON | WG_R_JSON_OPT)) {
        json_error_t je;
        if (!req->body_len) {
            wg_err_set(&err, WG_EINVAL, "request body is empty; a JSON object was expected");
            wg_reply_error(req, &err);
            return;
        }
        req->json = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &je);
        if (!req->json) {
            wg_err_set(&err, WG_EINVAL, "malformed JSON at line %d, column %d (byte %d): %s",
                       je.line, je.column, je.position, je.text);
            wg_reply_error(req, &err);
            return;
        }
        wg_arena_defer(req->arena, (void (*)(void *))json_decref, req->json);
    }
    if (req->json && r->keys && keys_refused(req, r->keys, &err)) {
        wg_reply_error(req, &err);
        return;
    }
    enum wg_rc rc = r->handler(req, &err);
    if (req->then) {
        if (rc == WG_OK && !req->out)
            return; /* suspended: answered once resumed */
        /* a broken handler: whatever resumes the request would find it answered and gone */
        WG_ASSERT(!"a handler answered or failed a request it had suspended");
    }
    if (rc != WG_OK || !req->out) {
        if (!err.rc)
            wg_err_set(&err, WG_EINTERNAL, "handler for '%s' gave no answer", r->pattern);
        wg_reply_error(req, &err);
    }
    release(srv, req);
}

static enum MHD_Result send_reply(struct wg_server *srv, struct MHD_Connection *conn, struct ctx *c)
{
    struct wg_req *req = &c->req;
    struct MHD_Response *resp;
    enum MHD_Result ret;
    resp = MHD_create_response_from_buffer(req->out_len, req->out, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type",
                            req->content_type ? req->content_type : "application/json");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Cache-Control",
                            req->cache_control ? req->cache_control : "no-store");
    if (req->content_encoding)
        MHD_add_response_header(resp, "Content-Encoding", req->content_encoding);
    if (req->cache_control) /* static files: the answer depends on Accept-Encoding */
        MHD_add_response_header(resp, "Vary", "Accept-Encoding");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    if (!req->extra_header_name || strcmp(req->extra_header_name, "Content-Security-Policy"))
        MHD_add_response_header(resp, "Content-Security-Policy",
                                "default-src 'none'; frame-ancestors 'none'");
    if (req->extra_header_name)
        MHD_add_response_header(resp, req->extra_header_name, req->extra_header_value);
    if (atomic_load(&srv->stopping))
        MHD_add_response_header(resp, "Connection", "close");
    ret = MHD_queue_response(conn, (unsigned)req->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* The request line is in, before libmicrohttpd parses its query: a URL over WG_URL_MAX or a
 * query of more than WG_QUERY_PARAMS_MAX fields is refused (answered once the head is in),
 * and its query is cut off here so that none of it is parsed. (Left to libmicrohttpd, ~480
 * fields used up the connection's memory and it answered nothing.) The request's context
 * starts here. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct ctx *c = wg_calloc(1, sizeof *c);
    const char *q = strchr(uri, '?');
    (void)cls;
    (void)conn;
    c->start_us = wg_clock_us();
    c->framing = wg_uri_refusal(uri);
    /* uri is the connection's own buffer, which libmicrohttpd parses next */
    if (c->framing && q)
        ((char *)q)[1] = '\0';
    return c;
}

/* A head that was refused as it came in, or is over WG_HEAD_MAX: answered with the usual
 * error body, no route looked at and no body read. */
static int refuse_framing(struct ctx *c, struct MHD_Connection *conn)
{
    struct wg_err err = {0};
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
    int status = c->framing;
    if (status == 414)
        wg_err_set(&err, WG_EINVAL, "the URL is longer than %d bytes", WG_URL_MAX);
    else if (status == 400)
        wg_err_set(&err, WG_EINVAL, "the query has more than %d parameters", WG_QUERY_PARAMS_MAX);
    else if (ci && ci->header_size > WG_HEAD_MAX) {
        status = 431;
        wg_err_set(&err, WG_EINVAL,
                   "the request line and headers take %zu bytes; at most %d are read",
                   ci->header_size, WG_HEAD_MAX);
    } else
        return 0;
    wg_reply_error(&c->req, &err);
    c->req.status = status;
    return 1;
}

/* The first query parameter whose name or value is not UTF-8 (after its %-escapes). */
struct bad_text {
    const char *key; /* NULL: none; "": a name that is not UTF-8 itself */
};

static enum MHD_Result first_bad_text(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *value)
{
    struct bad_text *b = cls;
    (void)kind;
    if (key && !wg_utf8_valid(key))
        b->key = "";
    else if (value && !wg_utf8_valid(value))
        b->key = key;
    return b->key ? MHD_NO : MHD_YES;
}

/* Text is UTF-8 throughout wangge: a path or query parameter that is not (%FF, a cut or
 * overlong sequence) is refused here, once for every route, before any handler, message or
 * log line could carry it; the log shows such a path with U+FFFD for each stray byte. */
static int refuse_text(struct ctx *c, struct MHD_Connection *conn)
{
    struct wg_err err = {0};
    struct bad_text b = {NULL};
    if (!wg_utf8_valid(c->req.path)) {
        size_t n = 3 * strlen(c->req.path) + 1;
        char *shown = wg_arena_alloc(c->req.arena, n);
        wg_utf8_scrub(c->req.path, shown, n);
        c->req.log_path = shown;
        wg_err_set(&err, WG_EINVAL, "the path is not UTF-8 text once its %%-escapes are undone");
    } else {
        MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, first_bad_text, &b);
        if (!b.key)
            return 0;
        if (*b.key)
            wg_err_set(&err, WG_EINVAL,
                       "query parameter '%.40s' is not UTF-8 text once its %%-escapes are undone",
                       b.key);
        else
            wg_err_set(&err, WG_EINVAL,
                       "a query parameter's name is not UTF-8 text once its %%-escapes are undone");
    }
    wg_reply_error(&c->req, &err);
    c->req.status = 400;
    return 1;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct wg_server *srv = cls;
    struct ctx *c = *con_cls;
    (void)version;
    if (!c) /* no request line seen (on_uri): cannot happen, but costs nothing */
        *con_cls = c = on_uri(NULL, url, conn);
    if (!c->started) {
        c->started = 1;
        c->req.arena = wg_arena_new();
        c->req.app = srv->app;
        c->req.conn = conn;
        c->srv = srv;
        c->req.method = wg_arena_strdup(c->req.arena, method);
        c->req.path = c->req.log_path = wg_arena_strdup(c->req.arena, url);
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        char addr[INET6_ADDRSTRLEN] = "-";
        if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, addr,
                      sizeof addr);
        else if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, addr,
                      sizeof addr);
        c->req.remote_addr = wg_arena_strdup(c->req.arena, addr);
        ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
        if (ci && (c->watched = ci->socket_context))
            wg_watched_head_done(c->watched);
        if (!refuse_framing(c, conn) && !refuse_text(c, conn))
            begin(srv, c);
        return c->req.out ? send_reply(srv, conn, c) : MHD_YES;
    }
    if (*upload_data_size) {
        /* a body sent without a length is cut at the cap too: answered 413 once it ends,
         * and the connection is closed unanswered when it goes on past a further cap's
         * worth (at least 1 MiB) — a chunk declared at 2^64-1 bytes, say. (libmicrohttpd
         * 0.9.75 takes no answer in the middle of a body.) */
        if (!c->too_big && body_add(c, upload_data, *upload_data_size))
            c->too_big = 1;
        if (c->too_big) {
            c->discarded += *upload_data_size;
            if (c->discarded > (c->cap > (1u << 20) ? c->cap : (1u << 20)))
                return MHD_NO;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (c->req.out) /* answered when its head came in */
        return MHD_YES;
    if (c->req.then) /* called again once resumed */
        answer_resumed(c);
    else
        dispatch(srv, c);
    if (c->req.then) /* suspended */
        return MHD_YES;
    return send_reply(srv, conn, c);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct wg_server *srv = cls;
    struct ctx *c = *con_cls;
    (void)conn;
    if (!c)
        return;
    if (!c->started) { /* its head never completed */
        free(c);
        *con_cls = NULL;
        return;
    }
    wg_http_metrics_count(srv->metrics, c->route, c->req.status, wg_clock_us() - c->start_us);
    if (srv->cfg.access_log)
        wg_log_request(c->req.method, c->req.log_path, c->req.status,
                       (unsigned long long)(wg_clock_us() - c->start_us),
                       toe != MHD_REQUEST_TERMINATED_COMPLETED_OK);
    if (c->watched)
        wg_watched_answered(c->watched);
    free(c->body);
    budget_give_back(srv, c);
    wg_arena_free(c->req.arena);
    free(c);
    *con_cls = NULL;
}

/* Each connection is watched from its start to its close (http/watch.h). libmicrohttpd
 * says a connection is closed before it closes its descriptor. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct wg_server *srv = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        *socket_context = ci ? wg_conn_watch_add(srv->watch, ci->connect_fd) : NULL;
        atomic_fetch_add(&srv->open, 1);
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        wg_conn_watch_remove(srv->watch, *socket_context);
        *socket_context = NULL;
        atomic_fetch_sub(&srv->open, 1);
    }
}

/* A stopping server takes no new connections. (Not libmicrohttpd's quiesce: in 0.9.75 it
 * removes the listening socket from each worker's epoll set while the worker may be doing
 * the same, and the loser aborts the process — often, once resumed requests keep the
 * workers busy.) Nor one over max_connections, counted here for the whole server: the
 * limit libmicrohttpd is given is split evenly between its threads, and connections are
 * not, so it is set as high as each thread could need. (A few may pass at once, one per
 * thread at most.) */
static enum MHD_Result accept_policy(void *cls, const struct sockaddr *addr, socklen_t len)
{
    struct wg_server *srv = cls;
    (void)addr;
    (void)len;
    return atomic_load(&srv->stopping) || atomic_load(&srv->open) >= srv->max_open ? MHD_NO
                                                                                   : MHD_YES;
}

static int hex_digit(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Percent-decoding of the path and of query values, in place — except "%00", which stays as
 * it was sent: a NUL would end the text early, and "/api/v1/orders/1%00" would be order 1.
 * As three plain characters it matches nothing ("1%00" is no order id, no date). */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
    char *r = s, *w = s;
    (void)cls;
    (void)conn;
    while (*r) {
        int hi, lo;
        if (r[0] == '%' && (hi = hex_digit(r[1])) >= 0 && (lo = hex_digit(r[2])) >= 0 &&
            (hi | lo)) {
            *w++ = (char)(hi * 16 + lo);
            r += 3;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
    return (size_t)(w - s);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    char line[512];
    (void)cls;
    vsnprintf(line, sizeof line, fmt, ap);
    line[strcspn(line, "\n")] = '\0';
    wg_warn("http: %s", line);
}

enum wg_rc wg_server_start(const struct wg_server_config *cfg, const struct wg_route *routes,
                           size_t nroutes, void *app, struct wg_server **out, struct wg_err *err)
{
    struct wg_server *srv = wg_calloc(1, sizeof *srv);
    struct sockaddr_in sa;
    const union MHD_DaemonInfo *di;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)cfg->port);
    if (inet_pton(AF_INET, cfg->host, &sa.sin_addr) != 1) {
        free(srv);
        return wg_err_set(err, WG_EINVAL, "listen address '%s' is not an IPv4 address", cfg->host);
    }
    srv->cfg = *cfg;
    randombytes_buf(srv->log_key, sizeof srv->log_key);
    pthread_mutex_init(&srv->body_mu, NULL);
    /* Blocks of 1 MiB or more (bodies, the forms read from them) get a mapping of their own,
     * given back to the system when freed. Left alone, glibc raises that threshold to the
     * largest block freed so far (up to 32 MiB), and bodies then grow in the threads' arenas,
     * which keep what they had: 300 chunked bodies from strangers, at most 64 MiB of them at
     * once, left the server at 400 MB. */
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    srv->body_budget = cfg->body_memory ? cfg->body_memory : WG_BODY_MEMORY_DEFAULT;
    if (srv->body_budget < cfg->body_max) /* a grid import of body_max always fits */
        srv->body_budget = cfg->body_max;
    srv->routes = routes;
    srv->nroutes = nroutes;
    srv->app = app;
    srv->metrics = wg_http_metrics_new(routes, nroutes);
    if (!(srv->watch = wg_conn_watch_new(cfg->head_timeout))) {
        wg_http_metrics_free(srv->metrics);
        pthread_mutex_destroy(&srv->body_mu);
        free(srv);
        return wg_err_set(err, WG_EIO, "cannot start the connection watch's thread");
    }
    srv->max_open = (int)(cfg->max_connections ? cfg->max_connections : 10000);
    /* Each connection's memory is libmicrohttpd's default, 32 KB: a request line and headers
     * of up to about 16 KB fit (more is answered 431). libmicrohttpd zeroes all of it at
     * every request: with 64 KB that was 3.7% of the server's CPU under intake, with 32 KB
     * 2.2% (bench/intake). */
    srv->d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG |
            MHD_ALLOW_SUSPEND_RESUME,
        (uint16_t)cfg->port, accept_policy, srv, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER,
        mhd_log, NULL, MHD_OPTION_SOCK_ADDR, &sa, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)(cfg->threads ? cfg->threads : 4), MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)(cfg->idle_timeout ? cfg->idle_timeout : 30),
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024), MHD_OPTION_LISTEN_BACKLOG_SIZE,
        (unsigned)1024, MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)srv->max_open * (cfg->threads ? cfg->threads : 4),
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_address, MHD_OPTION_NOTIFY_CONNECTION,
        on_connection, srv, MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv, MHD_OPTION_END);
    if (!srv->d) {
        wg_conn_watch_free(srv->watch);
        pthread_mutex_destroy(&srv->body_mu);
        wg_http_metrics_free(srv->metrics);
        free(srv);
        return wg_err_set(err, WG_EIO, "cannot listen on %s:%u (address in use or not permitted)",
                          cfg->host, cfg->port);
    }
    di = MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = di ? di->port : cfg->port;
    *out = srv;
    return WG_OK;
}

unsigned wg_server_port(const struct wg_server *srv)
{
    return srv->port;
}

void wg_server_stop(struct wg_server *srv, unsigned grace_ms)
{
    unsigned waited = 0;
    if (!srv)
        return;
    /* new connections are refused from here (accept_policy); a request in flight is
     * answered with Connection: close, and a connection waiting for a request is shut */
    atomic_store(&srv->stopping, 1);
    for (; waited < grace_ms; waited += 5) {
        const union MHD_DaemonInfo *di =
            MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
        if (!di || di->num_connections == 0)
            break;
        wg_conn_watch_close_waiting(srv->watch);
        usleep(5000);
    }
    if (waited >= grace_ms)
        wg_warn("stopping: connections still open after %u ms; closing them", grace_ms);
    /* a suspended request is resumed by work in flight elsewhere (the group commit), which
     * goes on until then; libmicrohttpd must not stop with one */
    for (waited = 0; atomic_load(&srv->suspended) > 0; waited++) {
        if (waited == 1000)
            wg_warn("stopping: still waiting for %d suspended requests",
                    atomic_load(&srv->suspended));
        usleep(1000);
    }
    MHD_stop_daemon(srv->d);
    wg_conn_watch_free(srv->watch);
    pthread_mutex_destroy(&srv->body_mu);
    wg_http_metrics_free(srv->metrics);
    free(srv);
}
