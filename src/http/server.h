/* The HTTP/1.1 server: libmicrohttpd with a thread pool, one arena per request, an access
 * log line per request, body caps (413) and a budget for all bodies at once (503), JSON
 * bodies parsed before the handler (400 naming the position), and a graceful stop that lets
 * in-flight requests finish. */
#ifndef WG_HTTP_SERVER_H
#define WG_HTTP_SERVER_H

#include <stddef.h>

#include "core/err.h"
#include "http/route.h"

struct wg_server_config {
    char host[64];             /* "127.0.0.1" */
    unsigned port;             /* 0 picks a free port (see wg_server_port) */
    unsigned threads;          /* thread pool size */
    size_t body_max;           /* the body cap of import routes (WG_BODY_IMPORT) in bytes */
    size_t body_memory;        /* what all bodies may hold at once; 0: the default */
    unsigned idle_timeout;     /* seconds a keep-alive connection may sit idle */
    unsigned head_timeout;     /* seconds a request's line and headers may take; 0: 10 */
    unsigned max_connections;  /* client connections held at once; 0: 10,000 */
    unsigned per_address;      /* of them from one address; 0: no cap of its own */
    int access_log;            /* 1: one log line per request */
    wg_authorize_fn authorize; /* NULL: every route is public */
    /* Gives back what the request held while its authorization or handler ran (the API's
     * store connection): after each of them, and when a handler suspends. NULL: nothing. */
    void (*release)(struct wg_req *req);
};

/* The request bodies being read or handled hold body_memory bytes at most (never less than
 * body_max), callers the router did not identify half of it: a body that finds no room is
 * answered 503 from its head, unread. */
#define WG_BODY_MEMORY_DEFAULT ((size_t)128 << 20)

struct wg_server;

enum wg_rc wg_server_start(const struct wg_server_config *cfg, const struct wg_route *routes,
                           size_t nroutes, void *app, struct wg_server **out, struct wg_err *err);
unsigned wg_server_port(const struct wg_server *srv);
/* Stops accepting, waits up to grace_ms for in-flight requests, then stops. */
void wg_server_stop(struct wg_server *srv, unsigned grace_ms);

#endif
