/* The HTTP/1.1 server on H2O's event loop (libh2o-evloop), built instead of server.c with
 * `make HTTP_ENGINE=h2o`: one event loop per thread, each with its own listening socket on
 * the port (SO_REUSEPORT), one arena per request freed with H2O's request pool, and
 * suspended requests resumed through a per-loop message queue. What lies above the engine
 * (routes, checks, reply, suspend/resume) behaves as in server.c. */
#include "http/server.h"
#include "core/assert.h"
#include "core/alloc.h"

#include <arpa/inet.h>
#include <malloc.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define H2O_USE_EPOLL 1
#include <h2o.h>
#include <sodium.h>

#include "core/clock.h"
#include "core/jfield.h"
#include "core/log.h"
#include "http/metrics.h"

struct loop;

struct wg_server {
    struct wg_server_config cfg;
    const struct wg_route *routes;
    size_t nroutes;
    void *app;
    unsigned port;
    atomic_int stopping;
    atomic_int suspended;   /* requests suspended and not yet resumed */
    atomic_int connections; /* open client connections */
    atomic_int inflight;    /* requests begun and not yet answered */
    unsigned char log_key[crypto_generichash_KEYBYTES];
    pthread_mutex_t body_mu;
    size_t body_budget, body_held, strangers_held;
    atomic_llong body_warned;
    struct wg_http_metrics *metrics;
    h2o_globalconf_t config;
    struct loop *loops;
    unsigned nloops;
    pthread_mutex_t start_mu; /* the loops say they are ready */
    pthread_cond_t start_cv;
    unsigned started;
};

/* One thread's event loop: its H2O context, listening socket and the queue through which
 * other threads resume its suspended requests. */
struct loop {
    struct wg_server *srv;
    pthread_t tid;
    h2o_context_t ctx;
    h2o_accept_ctx_t accept_ctx;
    h2o_socket_t *listener;
    int fd;
    h2o_multithread_queue_t *queue;
    h2o_multithread_receiver_t resumed; /* messages: struct ctx's msg */
    h2o_multithread_receiver_t control; /* a message: stop listening */
    h2o_multithread_message_t stop_msg;
    atomic_int exit;
};

struct ctx {
    struct wg_req req; /* first: a request is its context */
    struct wg_server *srv;
    struct loop *loop;
    h2o_req_t *hreq;
    h2o_multithread_message_t msg; /* in the loop's queue once resumed */
    h2o_generator_t gen;
    const struct wg_route *route;
    size_t cap;
    size_t reserved;
    int stranger;
    uint64_t start_us;
    struct wg_form *query; /* the query's fields, parsed on first use */
};

static size_t unescape(char *s);

/* The query's fields ("a=1&b=%20x"), '+' read as a space and percent-decoded as the path. */
static void parse_query(struct ctx *c)
{
    h2o_req_t *h = c->hreq;
    struct wg_form *f = wg_arena_alloc(c->req.arena, sizeof *f);
    wg_form_init(f);
    wg_arena_defer(c->req.arena, (void (*)(void *))wg_form_release, f);
    c->query = f;
    if (h->query_at == SIZE_MAX)
        return;
    size_t n = h->path.len - h->query_at - 1;
    char *q = wg_arena_alloc(c->req.arena, n + 1);
    memcpy(q, h->path.base + h->query_at + 1, n);
    for (char *p = q, *next; p && *p; p = next) {
        char *amp = strchr(p, '&'), *eq;
        next = amp ? amp + 1 : NULL;
        if (amp)
            *amp = '\0';
        for (char *s = p; *s; s++)
            if (*s == '+')
                *s = ' ';
        eq = strchr(p, '=');
        if (eq)
            *eq++ = '\0';
        unescape(p);
        if (eq)
            unescape(eq);
        wg_form_chunk(f, p, NULL, NULL, eq ? eq : "", 0, eq ? strlen(eq) : 0);
    }
}

const char *wg_req_query(struct wg_req *req, const char *name)
{
    struct ctx *c = (struct ctx *)req;
    if (!c->query)
        parse_query(c);
    return wg_form_value(c->query, name);
}

const char *wg_req_header(struct wg_req *req, const char *name)
{
    struct ctx *c = (struct ctx *)req;
    ssize_t i = h2o_find_header_by_str(&c->hreq->headers, name, strlen(name), -1);
    /* H2O keeps names in lower case, and a value as sent: the handler wants it as text */
    if (i == -1) {
        char lower[64];
        size_t n = strlen(name);
        if (n >= sizeof lower)
            return NULL;
        for (size_t k = 0; k <= n; k++)
            lower[k] = (char)(name[k] >= 'A' && name[k] <= 'Z' ? name[k] + 32 : name[k]);
        i = h2o_find_header_by_str(&c->hreq->headers, lower, n, -1);
        if (i == -1)
            return NULL;
    }
    h2o_iovec_t v = c->hreq->headers.entries[i].value;
    char *s = wg_arena_alloc(req->arena, v.len + 1);
    memcpy(s, v.base, v.len);
    return s;
}

int wg_req_from_loopback(struct wg_req *req)
{
    static const char *const forwarded[] = {"Forwarded", "X-Forwarded-For", "X-Real-IP"};
    struct ctx *c = (struct ctx *)req;
    struct sockaddr_storage ss;
    const struct sockaddr *sa = (const struct sockaddr *)&ss;
    int loopback = 0;
    if (!c->hreq->conn->callbacks->get_peername(c->hreq->conn, (struct sockaddr *)&ss))
        return 0;
    if (sa->sa_family == AF_INET)
        loopback = (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
    else if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
        loopback = IN6_IS_ADDR_LOOPBACK(a) || (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
    }
    for (size_t i = 0; loopback && i < sizeof forwarded / sizeof *forwarded; i++)
        if (wg_req_header(req, forwarded[i]))
            loopback = 0;
    return loopback;
}

void wg_req_metrics(struct wg_req *req, struct wg_buf *out)
{
    struct wg_server *srv = ((struct ctx *)req)->srv;
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
                "wangge_http_connections %d\n"
                "# HELP wangge_http_suspended_requests Requests waiting for the group commit "
                "without a thread.\n"
                "# TYPE wangge_http_suspended_requests gauge\n"
                "wangge_http_suspended_requests %d\n",
                atomic_load(&srv->connections), atomic_load(&srv->suspended));
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
    if (!j)
        return WG_EINTERNAL;
    s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    return wg_reply_owned(req, status, "application/json; charset=utf-8", s, strlen(s));
}

void wg_reply_error(struct wg_req *req, const struct wg_err *err)
{
    int status = wg_rc_http_status(err->rc);
    const char *msg = err->msg;
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
    release(c->srv, req);
    req->then = then;
    req->then_ctx = ctx;
    atomic_fetch_add(&c->srv->suspended, 1);
}

void wg_req_resume(struct wg_req *req)
{
    struct ctx *c = (struct ctx *)req;
    /* answered on its own loop's thread, which may free it at once */
    h2o_multithread_send_message(&c->loop->resumed, &c->msg);
}

static void send_reply(struct ctx *c);

static void answer_resumed(struct ctx *c)
{
    struct wg_req *req = &c->req;
    struct wg_err err = {0};
    enum wg_rc (*then)(struct wg_req *, void *, struct wg_err *) = req->then;
    req->then = NULL;
    atomic_fetch_sub(&c->srv->suspended, 1);
    enum wg_rc rc = then(req, req->then_ctx, &err);
    if (req->then && rc == WG_OK && !req->out)
        return; /* suspended again */
    if (rc != WG_OK || !req->out) {
        if (!err.rc)
            wg_err_set(&err, WG_EINTERNAL, "a resumed request for '%s' gave no answer", req->path);
        wg_reply_error(req, &err);
    }
    release(c->srv, req);
    send_reply(c);
}

static void on_resumed(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    (void)receiver;
    while (!h2o_linklist_is_empty(messages)) {
        h2o_multithread_message_t *m =
            H2O_STRUCT_FROM_MEMBER(h2o_multithread_message_t, link, messages->next);
        struct ctx *c = H2O_STRUCT_FROM_MEMBER(struct ctx, msg, m);
        h2o_linklist_unlink(&m->link);
        answer_resumed(c);
    }
}

static void read_form(struct wg_req *req, size_t value_max)
{
    struct wg_form *f = wg_arena_alloc(req->arena, sizeof *f);
    wg_form_init(f);
    f->max_value = value_max;
    wg_arena_defer(req->arena, (void (*)(void *))wg_form_release, f);
    req->form = f;
    if (!req->body_len)
        return;
    f->rc = WG_EINVAL;
    snprintf(f->msg, sizeof f->msg, "forms are not read by this build's HTTP engine");
}

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

static int keys_refused(struct wg_req *req, const struct wg_body_keys *k, struct wg_err *err)
{
    const char *what = k->what;
    const char *const *names = k->of ? k->of(req, &what) : k->names;
    return names && wg_jf_known(req->json, names, what ? what : "the body", err) != WG_OK;
}

/* The route, the body against its cap, the caller's right to it; then the body parsed as
 * the route says and the handler run. */
static void dispatch(struct wg_server *srv, struct ctx *c)
{
    struct wg_req *req = &c->req;
    struct wg_err err = {0};
    int path_matched;
    const struct wg_route *r =
        wg_route_match(srv->routes, srv->nroutes, req->method, req->path, req, &path_matched);
    c->route = r;
    if (!r) {
        if (path_matched)
            wg_err_set(&err, WG_EINVAL, "method %s is not allowed on '%s'", req->method, req->path);
        else
            wg_err_set(&err, WG_ENOTFOUND, "no such endpoint: '%s'", req->path);
        wg_reply_error(req, &err);
        if (path_matched)
            req->status = 405;
        return;
    }
    redact_path(srv, req, r);
    c->cap = wg_body_cap_bytes(r->body, srv->cfg.body_max);
    if (c->hreq->entity.len > c->cap) {
        refuse_body(c);
        return;
    }
    if (srv->cfg.authorize && srv->cfg.authorize(req, r, &err) != WG_OK) {
        wg_reply_error(req, &err);
        release(srv, req);
        return;
    }
    req->body = c->hreq->entity.base ? c->hreq->entity.base : "";
    req->body_len = c->hreq->entity.len;
    if (r->flags & WG_R_FORM) {
        read_form(req, c->cap);
    } else if ((r->flags & WG_R_JSON_OPT) && !req->body_len) {
        req->json = json_object();
        wg_arena_defer(req->arena, (void (*)(void *))json_decref, req->json);
    } else if (r->flags & (WG_R_JSON | WG_R_JSON_OPT)) {
        json_error_t je;
        if (!req->body_len) {
            wg_err_set(&err, WG_EINVAL, "request body is empty; a JSON object was expected");
            goto refused;
        }
        req->json = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &je);
        if (!req->json) {
            wg_err_set(&err, WG_EINVAL, "malformed JSON at line %d, column %d (byte %d): %s",
                       je.line, je.column, je.position, je.text);
            goto refused;
        }
        wg_arena_defer(req->arena, (void (*)(void *))json_decref, req->json);
    }
    if (req->json && r->keys && keys_refused(req, r->keys, &err))
        goto refused;
    enum wg_rc rc = r->handler(req, &err);
    if (req->then) {
        if (rc == WG_OK && !req->out)
            return;
        WG_ASSERT(!"a handler answered or failed a request it had suspended");
    }
    if (rc != WG_OK || !req->out) {
        if (!err.rc)
            wg_err_set(&err, WG_EINTERNAL, "handler for '%s' gave no answer", r->pattern);
        wg_reply_error(req, &err);
    }
    release(srv, req);
    return;
refused:
    wg_reply_error(req, &err);
    release(srv, req);
}

static const char *reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 303:
        return "See Other";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 412:
        return "Precondition Failed";
    case 413:
        return "Payload Too Large";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Entity";
    case 428:
        return "Precondition Required";
    case 429:
        return "Too Many Requests";
    case 503:
        return "Service Unavailable";
    default:
        return status >= 500 ? "Internal Server Error" : "Status";
    }
}

static void add(h2o_req_t *h, const char *name, const char *value)
{
    h2o_add_header_by_str(&h->pool, &h->res.headers, name, strlen(name), 1, NULL, value,
                          strlen(value));
}

static void send_reply(struct ctx *c)
{
    struct wg_req *req = &c->req;
    h2o_req_t *h = c->hreq;
    h2o_iovec_t body = h2o_iovec_init(req->out, req->out_len);
    h->res.status = req->status;
    h->res.reason = reason(req->status);
    h->res.content_length = req->out_len;
    add(h, "content-type", req->content_type ? req->content_type : "application/json");
    add(h, "x-content-type-options", "nosniff");
    add(h, "cache-control", req->cache_control ? req->cache_control : "no-store");
    if (req->content_encoding)
        add(h, "content-encoding", req->content_encoding);
    if (req->cache_control)
        add(h, "vary", "Accept-Encoding");
    add(h, "x-frame-options", "DENY");
    add(h, "referrer-policy", "no-referrer");
    if (!req->extra_header_name || strcmp(req->extra_header_name, "Content-Security-Policy"))
        add(h, "content-security-policy", "default-src 'none'; frame-ancestors 'none'");
    if (req->extra_header_name)
        add(h, req->extra_header_name, req->extra_header_value);
    if (atomic_load(&c->srv->stopping))
        h->http1_is_persistent = 0;
    atomic_fetch_sub(&c->srv->inflight, 1);
    h2o_start_response(h, &c->gen);
    if (h2o_memis(h->method.base, h->method.len, H2O_STRLIT("HEAD")))
        h2o_send(h, NULL, 0, H2O_SEND_STATE_FINAL);
    else
        h2o_send(h, &body, 1, H2O_SEND_STATE_FINAL);
}

/* The request pool is cleared: the response went out, or the connection is gone. */
static void on_disposed(void *p)
{
    struct ctx *c = p;
    struct wg_server *srv = c->srv;
    wg_http_metrics_count(srv->metrics, c->route, c->req.status, wg_clock_us() - c->start_us);
    if (srv->cfg.access_log)
        wg_log_request(c->req.method, c->req.log_path, c->req.status,
                       (unsigned long long)(wg_clock_us() - c->start_us), 0);
    wg_arena_free(c->req.arena);
}

static int hex_digit(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Percent-decoding in place, "%00" left as sent (see server.c). */
static size_t unescape(char *s)
{
    char *r = s, *w = s;
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

static int on_req(h2o_handler_t *self, h2o_req_t *h)
{
    (void)self;
    /* every loop's context runs the one handler: the loop is the context's */
    struct loop *l = H2O_STRUCT_FROM_MEMBER(struct loop, ctx, h->conn->ctx);
    struct wg_server *srv = l->srv;
    struct ctx *c = h2o_mem_alloc_shared(&h->pool, sizeof *c, on_disposed);
    struct sockaddr_storage ss;
    char addr[INET6_ADDRSTRLEN] = "-", *path;
    size_t plen = h->query_at == SIZE_MAX ? h->path.len : h->query_at;
    memset(c, 0, sizeof *c);
    c->srv = srv;
    c->loop = l;
    c->hreq = h;
    c->start_us = wg_clock_us();
    c->req.arena = wg_arena_new();
    c->req.app = srv->app;
    c->req.conn = h;
    c->req.method = wg_arena_alloc(c->req.arena, h->method.len + 1);
    memcpy((char *)c->req.method, h->method.base, h->method.len);
    path = wg_arena_alloc(c->req.arena, plen + 1);
    memcpy(path, h->path.base, plen);
    unescape(path);
    c->req.path = c->req.log_path = path;
    if (h->conn->callbacks->get_peername(h->conn, (struct sockaddr *)&ss)) {
        if (ss.ss_family == AF_INET)
            inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, addr, sizeof addr);
        else if (ss.ss_family == AF_INET6)
            inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, addr, sizeof addr);
    }
    c->req.remote_addr = wg_arena_strdup(c->req.arena, addr);
    atomic_fetch_add(&srv->inflight, 1);
    dispatch(srv, c);
    if (c->req.then)
        return 0; /* suspended: answered from on_resumed */
    send_reply(c);
    return 0;
}

static void on_conn_closed(void *data)
{
    struct wg_server *srv = data;
    atomic_fetch_sub(&srv->connections, 1);
}

static void on_accept(h2o_socket_t *listener, const char *err)
{
    struct loop *l = listener->data;
    h2o_socket_t *sock;
    if (err || atomic_load(&l->srv->stopping))
        return;
    if (!(sock = h2o_evloop_socket_accept(listener)))
        return;
    atomic_fetch_add(&l->srv->connections, 1);
    sock->on_close.cb = on_conn_closed;
    sock->on_close.data = l->srv;
    h2o_accept(&l->accept_ctx, sock);
}

static void on_control(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    struct loop *l = H2O_STRUCT_FROM_MEMBER(struct loop, control, receiver);
    while (!h2o_linklist_is_empty(messages))
        h2o_linklist_unlink(messages->next);
    if (l->listener) {
        h2o_socket_read_stop(l->listener);
        h2o_socket_close(l->listener);
        l->listener = NULL;
    }
    h2o_context_request_shutdown(&l->ctx);
}

/* Everything of a loop is made on its own thread: H2O keeps its buffers' free lists per
 * thread, and a socket made on another thread would share that thread's lists. */
static void *loop_main(void *arg)
{
    struct loop *l = arg;
    struct wg_server *srv = l->srv;
    h2o_context_init(&l->ctx, h2o_evloop_create(), &srv->config);
    l->accept_ctx.ctx = &l->ctx;
    l->accept_ctx.hosts = srv->config.hosts;
    l->queue = h2o_multithread_create_queue(l->ctx.loop);
    h2o_multithread_register_receiver(l->queue, &l->resumed, on_resumed);
    h2o_multithread_register_receiver(l->queue, &l->control, on_control);
    l->listener = h2o_evloop_socket_create(l->ctx.loop, l->fd, H2O_SOCKET_FLAG_DONT_READ);
    l->listener->data = l;
    h2o_socket_read_start(l->listener, on_accept);
    pthread_mutex_lock(&srv->start_mu);
    srv->started++;
    pthread_cond_broadcast(&srv->start_cv);
    pthread_mutex_unlock(&srv->start_mu);
    while (!atomic_load(&l->exit))
        h2o_evloop_run(l->ctx.loop, 100);
    return NULL;
}

static int listen_on(const struct sockaddr_in *sa, int *fd_out, struct wg_err *err)
{
    int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) ||
        bind(fd, (const struct sockaddr *)sa, sizeof *sa) || listen(fd, 1024)) {
        if (fd >= 0)
            close(fd);
        return wg_err_set(err, WG_EIO, "cannot listen on port %u (address in use or not permitted)",
                          ntohs(sa->sin_port));
    }
    *fd_out = fd;
    return WG_OK;
}

enum wg_rc wg_server_start(const struct wg_server_config *cfg, const struct wg_route *routes,
                           size_t nroutes, void *app, struct wg_server **out, struct wg_err *err)
{
    struct wg_server *srv = wg_calloc(1, sizeof *srv);
    struct sockaddr_in sa;
    h2o_hostconf_t *host;
    h2o_pathconf_t *pathconf;
    socklen_t slen = sizeof sa;
    enum wg_rc rc;
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
    pthread_mutex_init(&srv->start_mu, NULL);
    pthread_cond_init(&srv->start_cv, NULL);
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    srv->body_budget = cfg->body_memory ? cfg->body_memory : WG_BODY_MEMORY_DEFAULT;
    if (srv->body_budget < cfg->body_max)
        srv->body_budget = cfg->body_max;
    srv->routes = routes;
    srv->nroutes = nroutes;
    srv->app = app;
    srv->metrics = wg_http_metrics_new(routes, nroutes);
    h2o_config_init(&srv->config);
    srv->config.max_request_entity_size = wg_body_cap_bytes(WG_BODY_UPLOAD, 0) > cfg->body_max
                                              ? wg_body_cap_bytes(WG_BODY_UPLOAD, 0)
                                              : cfg->body_max;
    srv->config.http1.req_timeout = 10000;
    srv->config.server_name = h2o_iovec_init(H2O_STRLIT("wangge"));
    host = h2o_config_register_host(&srv->config, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    pathconf = h2o_config_register_path(host, "/", 0);
    srv->nloops = cfg->threads ? cfg->threads : 4;
    srv->loops = wg_calloc(srv->nloops, sizeof *srv->loops);
    h2o_create_handler(pathconf, sizeof(h2o_handler_t))->on_req = on_req;
    for (unsigned i = 0; i < srv->nloops; i++) {
        struct loop *l = &srv->loops[i];
        l->srv = srv;
        if ((rc = listen_on(&sa, &l->fd, err)))
            return rc; /* a prototype: what was made is left to exit */
        if (i == 0) {
            getsockname(l->fd, (struct sockaddr *)&sa, &slen);
            srv->port = ntohs(sa.sin_port);
        }
        pthread_create(&l->tid, NULL, loop_main, l);
    }
    pthread_mutex_lock(&srv->start_mu);
    while (srv->started < srv->nloops)
        pthread_cond_wait(&srv->start_cv, &srv->start_mu);
    pthread_mutex_unlock(&srv->start_mu);
    *out = srv;
    return WG_OK;
}

unsigned wg_server_port(const struct wg_server *srv)
{
    return srv->port;
}

void wg_server_stop(struct wg_server *srv, unsigned grace_ms)
{
    if (!srv)
        return;
    atomic_store(&srv->stopping, 1);
    for (unsigned i = 0; i < srv->nloops; i++)
        h2o_multithread_send_message(&srv->loops[i].control, &srv->loops[i].stop_msg);
    for (unsigned waited = 0; waited < grace_ms; waited += 10) {
        if (atomic_load(&srv->inflight) == 0 && atomic_load(&srv->connections) == 0)
            break;
        usleep(10000);
    }
    while (atomic_load(&srv->suspended) > 0)
        usleep(1000);
    for (unsigned i = 0; i < srv->nloops; i++) {
        atomic_store(&srv->loops[i].exit, 1);
        pthread_join(srv->loops[i].tid, NULL);
    }
    pthread_mutex_destroy(&srv->body_mu);
    wg_http_metrics_free(srv->metrics);
    free(srv->loops);
    free(srv);
}
