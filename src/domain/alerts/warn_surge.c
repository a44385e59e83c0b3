/* 突发 (warn_detect.h): per town × item, the counts of its last 64 days (China time) in a
 * ring and the ids of the day's orders. The first order of a day works out the baseline of
 * the days before it, lambda = (their count + 1) / days, and the smallest count n at or
 * above min_orders whose Poisson upper tail P(X >= n) is below p; later orders of the day
 * compare their count with it, so an order costs one look-up and a compare. */
#include "domain/alerts/warn_detect.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/civil.h"

#define DAYS    64
#define DAY_IDS 64 /* the day's newest ids kept */

/* Summed upward from n: term(n) = exp(n ln lambda - lambda - lgamma(n + 1)), each next term
 * the one before times lambda / (k + 1). For n > lambda the ratio is below 1 and falls, so
 * the sum converges fast and every term is positive: no cancellation, unlike 1 - CDF. For
 * n <= lambda the tail is over a half and the complement is summed the same way downward. */
double wg_warn_poisson_tail(long long n, double lambda)
{
    if (n <= 0)
        return 1.0;
    if (lambda <= 0)
        return 0.0;
    double lt = (double)n * log(lambda) - lambda - lgamma((double)n + 1.0);
    if ((double)n > lambda) {
        double sum = 1.0, term = 1.0;
        for (long long k = n + 1; k < n + 100000; k++) {
            term *= lambda / (double)k;
            sum += term;
            if (term < sum * 1e-17)
                break;
        }
        return exp(lt + log(sum));
    }
    /* P(X <= n - 1), summed downward from n - 1, then its complement */
    double ltm = lt + log((double)n / lambda), sum = 1.0, term = 1.0;
    for (long long k = n - 1; k > 0; k--) {
        term *= (double)k / lambda;
        sum += term;
        if (term < sum * 1e-17)
            break;
    }
    double cdf = exp(ltm + log(sum));
    return cdf >= 1.0 ? 0.0 : 1.0 - cdf;
}

struct cell {
    int last_day, thr_day, thr;
    double lambda;
    unsigned short counts[DAYS];
    int nids;
    long long ids[DAY_IDS];
};

struct wg_warn_surge {
    double p;
    int days, min;
    struct wg_warn_map map;
    struct cell *cells;
    size_t n, cap;
    long long ids[WG_WARN_HIT_IDS];
};

struct wg_warn_surge *wg_warn_surge_new(const struct wg_warn_rules *r)
{
    struct wg_warn_surge *c = wg_calloc(1, sizeof *c);
    c->p = r->surge_p;
    c->days = r->surge_days;
    c->min = r->surge_min;
    return c;
}

void wg_warn_surge_free(struct wg_warn_surge *c)
{
    if (!c)
        return;
    free(c->cells);
    wg_warn_map_release(&c->map);
    free(c);
}

/* The day's baseline and the smallest count that is a surge over it. */
static void threshold(const struct wg_warn_surge *c, struct cell *cl, int day)
{
    long long base = 0;
    for (int i = 1; i <= c->days; i++)
        base += cl->counts[(day - i) % DAYS];
    cl->lambda = ((double)base + 1.0) / c->days;
    int n = c->min;
    if (n < (int)cl->lambda)
        n = (int)cl->lambda;
    while (wg_warn_poisson_tail(n, cl->lambda) >= c->p && n < 1000000)
        n++;
    cl->thr = n;
    cl->thr_day = day;
}

int wg_warn_surge_feed(struct wg_warn_surge *c, uint32_t item, uint32_t town,
                       const struct wg_warn_order *o, struct wg_warn_hit *h)
{
    int fresh = 0;
    uint64_t key = ((uint64_t)(item + 1) << 32) | town;
    uint32_t s = wg_warn_map_get(&c->map, key, (uint32_t)c->n, &fresh);
    if (fresh) {
        wg_grow(&c->cells, &c->cap, c->n, sizeof c->cells[0], 1024);
        memset(&c->cells[c->n++], 0, sizeof c->cells[0]);
    }
    struct cell *cl = &c->cells[s];
    int d = wg_cst_day(o->at);
    if (fresh) {
        cl->last_day = d;
        cl->thr_day = -1;
    } else if (d > cl->last_day) {
        for (int i = 1; i <= d - cl->last_day && i <= DAYS; i++)
            cl->counts[(cl->last_day + i) % DAYS] = 0;
        cl->last_day = d;
        cl->nids = 0;
    }
    if (cl->last_day - d >= DAYS)
        return 0;
    if (cl->counts[d % DAYS] < 65535)
        cl->counts[d % DAYS]++;
    if (d != cl->last_day)
        return 0; /* a late order counts in its day's baseline, and raises nothing */
    if (cl->nids < DAY_IDS)
        cl->ids[cl->nids++] = o->id;
    else
        cl->ids[(cl->nids++) % DAY_IDS] = o->id;
    int n = cl->counts[d % DAYS];
    if (n < c->min)
        return 0;
    if (cl->thr_day != d)
        threshold(c, cl, d);
    if (n < cl->thr)
        return 0;
    double p = wg_warn_poisson_tail(n, cl->lambda);
    int nids = cl->nids < DAY_IDS ? cl->nids : DAY_IDS;
    memcpy(c->ids, cl->ids, (size_t)nids * sizeof c->ids[0]);
    h->kind = WG_WARN_SURGE;
    h->level = p < c->p * 1e-4 ? WG_WARN_RED : p < c->p * 1e-2 ? WG_WARN_YELLOW : WG_WARN_BLUE;
    h->trigger = o->id;
    h->at = o->at;
    snprintf(h->item, sizeof h->item, "%s", o->item);
    snprintf(h->scope, sizeof h->scope, "%.9s", o->grid);
    snprintf(h->key, sizeof h->key, "%.9s", o->grid);
    h->has_point = o->has_point;
    h->lon = o->lon;
    h->lat = o->lat;
    h->match_m = 0;
    h->count = n;
    char date[11];
    wg_civil_format_date(d, date);
    snprintf(h->detail, sizeof h->detail,
             "{\"day\":\"%s\",\"orders\":%d,\"baseline\":%.3f,\"p\":%.3g,\"threshold\":%d}", date,
             n, cl->lambda, p, cl->thr);
    h->ids = c->ids;
    h->nids = nids;
    return 1;
}

size_t wg_warn_surge_bytes(const struct wg_warn_surge *c, size_t *entries)
{
    *entries = c->n;
    return c->cap * sizeof c->cells[0] + c->map.cap * sizeof(struct wg_warn_slot);
}
