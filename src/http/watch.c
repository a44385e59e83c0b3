/* The connection watch (watch.h): a list of open connections under one lock, and a thread
 * that looks at those between requests once a second. */
#include "http/watch.h"
#include "core/alloc.h"

#include <netinet/in.h>
#include <linux/tcp.h> /* tcp_info with tcpi_bytes_received */
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>

#include "core/clock.h"
#include "core/log.h"

struct wg_conn_watch {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct wg_watched *head; /* every open connection */
    long long timeout_ms;
    int stop;
    pthread_t tid;
    atomic_ullong late;
    long long warned_ms; /* when late heads were last logged */
};

static long long now_ms(void)
{
    return (long long)(wg_clock_us() / 1000);
}

/* The bytes the kernel received on fd; 0 when it cannot say. */
static uint64_t received(int fd)
{
    struct tcp_info ti;
    socklen_t n = sizeof ti;
    memset(&ti, 0, sizeof ti);
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &n))
        return 0;
    return ti.tcpi_bytes_received;
}

/* One connection between requests: has the next head begun, and is it late? The first
 * look at a phase takes the bytes so far as its baseline (a new connection's is 0: all it
 * sent is its first head); a later look that finds more marks the head as begun. */
static int late(struct wg_conn_watch *w, struct wg_watched *c, long long now)
{
    unsigned phase = atomic_load_explicit(&c->phase, memory_order_acquire);
    uint64_t got;
    if (!atomic_load_explicit(&c->waiting, memory_order_acquire))
        return 0;
    got = received(c->fd);
    if (phase != c->seen_phase) {
        c->seen_phase = phase;
        c->baseline = got;
        c->head_since_ms = 0;
        return 0;
    }
    if (!c->head_since_ms && got != c->baseline)
        c->head_since_ms = now;
    return c->head_since_ms && now - c->head_since_ms >= w->timeout_ms;
}

static void *watch_main(void *arg)
{
    struct wg_conn_watch *w = arg;
    pthread_mutex_lock(&w->mu);
    while (!w->stop) {
        struct timespec at = wg_clock_after_ms(CLOCK_REALTIME, 1000);
        long long now = now_ms();
        unsigned closed = 0;
        for (struct wg_watched *c = w->head; c; c = c->next)
            if (late(w, c, now)) {
                /* the engine sees the end of its input and closes the connection */
                shutdown(c->fd, SHUT_RDWR);
                c->head_since_ms = 0;
                closed++;
            }
        if (closed) {
            atomic_fetch_add(&w->late, closed);
            if (now - w->warned_ms >= 60000) {
                w->warned_ms = now;
                wg_warn("closed %u connections whose request head took over %lld s (said once "
                        "a minute; head_timeout)",
                        closed, w->timeout_ms / 1000);
            }
        }
        pthread_cond_timedwait(&w->cv, &w->mu, &at);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

struct wg_conn_watch *wg_conn_watch_new(unsigned head_timeout)
{
    struct wg_conn_watch *w = wg_calloc(1, sizeof *w);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    w->timeout_ms = (long long)(head_timeout ? head_timeout : 10) * 1000;
    w->warned_ms = -60000;
    if (pthread_create(&w->tid, NULL, watch_main, w)) {
        pthread_cond_destroy(&w->cv);
        pthread_mutex_destroy(&w->mu);
        free(w);
        return NULL;
    }
    return w;
}

void wg_conn_watch_free(struct wg_conn_watch *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->tid, NULL);
    while (w->head) {
        struct wg_watched *c = w->head;
        w->head = c->next;
        free(c);
    }
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    free(w);
}

struct wg_watched *wg_conn_watch_add(struct wg_conn_watch *w, int fd)
{
    struct wg_watched *c = wg_calloc(1, sizeof *c);
    c->fd = fd;
    atomic_store(&c->waiting, 1);
    pthread_mutex_lock(&w->mu);
    c->next = w->head;
    if (w->head)
        w->head->prev = c;
    w->head = c;
    pthread_mutex_unlock(&w->mu);
    return c;
}

void wg_conn_watch_remove(struct wg_conn_watch *w, struct wg_watched *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&w->mu);
    if (c->prev)
        c->prev->next = c->next;
    else
        w->head = c->next;
    if (c->next)
        c->next->prev = c->prev;
    pthread_mutex_unlock(&w->mu);
    free(c);
}

unsigned wg_conn_watch_close_waiting(struct wg_conn_watch *w)
{
    unsigned n = 0;
    pthread_mutex_lock(&w->mu);
    for (struct wg_watched *c = w->head; c; c = c->next)
        if (atomic_load(&c->waiting)) {
            shutdown(c->fd, SHUT_RDWR);
            n++;
        }
    pthread_mutex_unlock(&w->mu);
    return n;
}

unsigned long long wg_conn_watch_late_heads(struct wg_conn_watch *w)
{
    return atomic_load(&w->late);
}
