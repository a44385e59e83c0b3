/* The HTTP server's request counters and their Prometheus text (metrics.h). */
#include "http/metrics.h"

#include <stdatomic.h>

#include "core/alloc.h"

#define STATUS_FIRST 100
#define STATUS_SLOTS 501 /* 100..599, and slot 500 for a request that got no status */
#define NBOUNDS      14

/* Upper bounds of the latency buckets, in seconds: from a cached read to a slow import. */
static const double bounds[NBOUNDS] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                       0.1,    0.25,  0.5,    1,     2.5,  5,     10};

struct route_counts {
    atomic_ullong status[STATUS_SLOTS];
    atomic_ullong le[NBOUNDS + 1]; /* each bucket's own count; the last is over 10 s */
    atomic_ullong us;              /* the sum of the durations */
};

struct wg_http_metrics {
    const struct wg_route *routes;
    size_t nroutes;
    struct route_counts *per; /* nroutes + 1: the last for requests no route matched */
};

struct wg_http_metrics *wg_http_metrics_new(const struct wg_route *routes, size_t nroutes)
{
    struct wg_http_metrics *m = wg_calloc(1, sizeof *m);
    m->routes = routes;
    m->nroutes = nroutes;
    m->per = wg_calloc(nroutes + 1, sizeof *m->per);
    return m;
}

void wg_http_metrics_free(struct wg_http_metrics *m)
{
    if (!m)
        return;
    free(m->per);
    free(m);
}

void wg_http_metrics_count(struct wg_http_metrics *m, const struct wg_route *route, int status,
                           uint64_t us)
{
    size_t r = route ? (size_t)(route - m->routes) : m->nroutes, b = 0;
    int slot = status >= STATUS_FIRST && status < STATUS_FIRST + STATUS_SLOTS - 1
                   ? status - STATUS_FIRST
                   : STATUS_SLOTS - 1;
    struct route_counts *c;
    if (r > m->nroutes)
        r = m->nroutes;
    c = &m->per[r];
    while (b < NBOUNDS && (double)us > bounds[b] * 1e6)
        b++;
    atomic_fetch_add_explicit(&c->status[slot], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&c->le[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&c->us, us, memory_order_relaxed);
}

void wg_metrics_histogram(struct wg_buf *out, const char *name, const char *labels,
                          const double *le, const unsigned long long *counts, size_t n, double sum)
{
    const char *comma = *labels ? "," : "";
    unsigned long long total = 0;
    for (size_t i = 0; i <= n; i++) {
        total += counts[i];
        if (i < n)
            wg_buf_addf(out, "%s_bucket{%s%sle=\"%g\"} %llu\n", name, labels, comma, le[i], total);
        else
            wg_buf_addf(out, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", name, labels, comma, total);
    }
    if (*labels)
        wg_buf_addf(out, "%s_sum{%s} %.6f\n%s_count{%s} %llu\n", name, labels, sum, name, labels,
                    total);
    else
        wg_buf_addf(out, "%s_sum %.6f\n%s_count %llu\n", name, sum, name, total);
}

/* A route's labels: its method and pattern (never the path a client sent, which would make
 * a series of every order id). Requests no route matched are route="(none)". */
static void labels_of(const struct wg_http_metrics *m, size_t r, char *out, size_t n)
{
    if (r == m->nroutes)
        snprintf(out, n, "method=\"\",route=\"(none)\"");
    else
        snprintf(out, n, "method=\"%s\",route=\"%s\"", m->routes[r].method, m->routes[r].pattern);
}

void wg_http_metrics_render(const struct wg_http_metrics *m, struct wg_buf *out)
{
    char labels[512];
    wg_buf_adds(out, "# HELP wangge_http_requests_total Requests answered, by route and status.\n"
                     "# TYPE wangge_http_requests_total counter\n");
    for (size_t r = 0; r <= m->nroutes; r++) {
        labels_of(m, r, labels, sizeof labels);
        for (int s = 0; s < STATUS_SLOTS; s++) {
            unsigned long long v = atomic_load_explicit(&m->per[r].status[s], memory_order_relaxed);
            if (!v)
                continue;
            if (s == STATUS_SLOTS - 1)
                wg_buf_addf(out, "wangge_http_requests_total{%s,status=\"none\"} %llu\n", labels,
                            v);
            else
                wg_buf_addf(out, "wangge_http_requests_total{%s,status=\"%d\"} %llu\n", labels,
                            s + STATUS_FIRST, v);
        }
    }
    wg_buf_adds(out, "# HELP wangge_http_request_duration_seconds Time from a request's head to "
                     "its answer, by route.\n"
                     "# TYPE wangge_http_request_duration_seconds histogram\n");
    for (size_t r = 0; r <= m->nroutes; r++) {
        unsigned long long le[NBOUNDS + 1], any = 0;
        for (size_t b = 0; b <= NBOUNDS; b++)
            any += le[b] = atomic_load_explicit(&m->per[r].le[b], memory_order_relaxed);
        if (!any)
            continue;
        labels_of(m, r, labels, sizeof labels);
        wg_metrics_histogram(
            out, "wangge_http_request_duration_seconds", labels, bounds, le, NBOUNDS,
            (double)atomic_load_explicit(&m->per[r].us, memory_order_relaxed) / 1e6);
    }
}
