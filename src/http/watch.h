/* The server's watch over its open connections, apart from the HTTP engine: a request's
 * head (its line and headers) must arrive within a deadline however slowly it is trickled,
 * and a stopping server closes the connections that wait for a request. A connection is
 * "between requests" from its start, and again once each answer went out, until its next
 * request's head is complete. Bytes received are the kernel's (TCP_INFO), looked at by one
 * thread once a second, so nothing is added to a request's own path but two stores. */
#ifndef WG_HTTP_WATCH_H
#define WG_HTTP_WATCH_H

#include <stdatomic.h>
#include <stdint.h>

struct wg_watched {
    int fd;
    atomic_int waiting;      /* 1: between requests (its next head not complete) */
    atomic_uint phase;       /* counts the requests answered */
    unsigned seen_phase;     /* the watcher's: the phase it last looked at */
    uint64_t baseline;       /* bytes received when that phase was first seen */
    long long head_since_ms; /* when bytes of the next head were first seen; 0: none yet */
    struct wg_watched *prev, *next;
};

struct wg_conn_watch;

/* head_timeout in seconds; the watcher's thread starts at once (NULL: it could not start). */
struct wg_conn_watch *wg_conn_watch_new(unsigned head_timeout);
void wg_conn_watch_free(struct wg_conn_watch *w); /* NULL: nothing */

/* A new connection on fd; returns its record, owned by the watch until removed. */
struct wg_watched *wg_conn_watch_add(struct wg_conn_watch *w, int fd);
/* The connection is closing: called before its descriptor is closed. */
void wg_conn_watch_remove(struct wg_conn_watch *w, struct wg_watched *c);

/* The head of the connection's request is complete. */
static inline void wg_watched_head_done(struct wg_watched *c)
{
    atomic_store_explicit(&c->waiting, 0, memory_order_relaxed);
}

/* The connection's request was answered: it waits for the next one. */
static inline void wg_watched_answered(struct wg_watched *c)
{
    atomic_fetch_add_explicit(&c->phase, 1, memory_order_relaxed);
    atomic_store_explicit(&c->waiting, 1, memory_order_release);
}

/* Shuts down every connection waiting for a request (a stopping server's); returns how
 * many. The engine then sees them end and closes them. */
unsigned wg_conn_watch_close_waiting(struct wg_conn_watch *w);

/* Connections closed so far because their head was late. */
unsigned long long wg_conn_watch_late_heads(struct wg_conn_watch *w);

#endif
