/* The HTTP server's counters for GET /metrics: requests by route and status, and each
 * route's latency as a histogram, rendered in Prometheus's text exposition format. Counting
 * takes no lock (relaxed atomics: a scrape may see one request's count before its latency,
 * never a torn number). Only what /metrics shows is here: no general metrics library. */
#ifndef WG_HTTP_METRICS_H
#define WG_HTTP_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "http/route.h"

struct wg_http_metrics;

/* Counters for routes[0..nroutes) and for the requests no route matched. */
struct wg_http_metrics *wg_http_metrics_new(const struct wg_route *routes, size_t nroutes);
void wg_http_metrics_free(struct wg_http_metrics *m); /* NULL: nothing */
/* One answered request: its route (NULL: none matched), status and time in microseconds. */
void wg_http_metrics_count(struct wg_http_metrics *m, const struct wg_route *route, int status,
                           uint64_t us);
/* wangge_http_requests_total and wangge_http_request_duration_seconds, every route that
 * took a request. */
void wg_http_metrics_render(const struct wg_http_metrics *m, struct wg_buf *out);

/* A histogram's lines: name_bucket{labels,le="..."} cumulative for each upper bound of
 * le[0..n) and +Inf (counts[n] holds what is over the last bound), then name_sum and
 * name_count. labels is "" or `a="b",...`. */
void wg_metrics_histogram(struct wg_buf *out, const char *name, const char *labels,
                          const double *le, const unsigned long long *counts, size_t n, double sum);

#endif
