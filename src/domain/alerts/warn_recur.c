/* 多发 (warn_detect.h): per grid × item, the counts of its last 16 weeks (Monday to Sunday,
 * China time) in a ring, and its newest order ids with their weeks; an order shows the
 * situation when at least weeks_hit of the last `weeks` weeks — its own week and those before
 * — each hold per_week orders or more. */
#include "domain/alerts/warn_detect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/civil.h"

#define WEEKS 16
#define KEEP  8 /* newest ids kept per grid × item */

struct cell {
    int last_week;
    unsigned short counts[WEEKS];
    int nkeep, head;
    long long id[KEEP];
    unsigned short week[KEEP]; /* weeks since 1970 fit in 16 bits to the year 3226 */
};

struct wg_warn_recur {
    int hit, weeks, per_week;
    struct wg_warn_map map;
    struct cell *cells;
    size_t n, cap;
    long long ids[WG_WARN_HIT_IDS];
};

struct wg_warn_recur *wg_warn_recur_new(const struct wg_warn_rules *r)
{
    struct wg_warn_recur *c = wg_calloc(1, sizeof *c);
    c->hit = r->recur_hit;
    c->weeks = r->recur_weeks;
    c->per_week = r->recur_per_week;
    return c;
}

void wg_warn_recur_free(struct wg_warn_recur *c)
{
    if (!c)
        return;
    free(c->cells);
    wg_warn_map_release(&c->map);
    free(c);
}

/* Monday-based weeks: day 4 (1970-01-05) was a Monday. */
static int week_of(long long at)
{
    int d = wg_cst_day(at);
    return (d + 3) / 7;
}

int wg_warn_recur_feed(struct wg_warn_recur *c, uint32_t item, uint32_t grid,
                       const struct wg_warn_order *o, struct wg_warn_hit *h)
{
    int fresh = 0;
    uint64_t key = ((uint64_t)(item + 1) << 32) | grid;
    uint32_t s = wg_warn_map_get(&c->map, key, (uint32_t)c->n, &fresh);
    if (fresh) {
        wg_grow(&c->cells, &c->cap, c->n, sizeof c->cells[0], 1024);
        memset(&c->cells[c->n++], 0, sizeof c->cells[0]);
    }
    struct cell *cl = &c->cells[s];
    int w = week_of(o->at);
    if (fresh || w > cl->last_week) { /* the weeks since the last order start empty */
        int gap = fresh ? WEEKS : w - cl->last_week;
        for (int i = 1; i <= gap && i <= WEEKS; i++)
            cl->counts[(cl->last_week + i) % WEEKS] = 0;
        if (fresh)
            memset(cl->counts, 0, sizeof cl->counts);
        cl->last_week = w;
    }
    if (cl->last_week - w >= WEEKS)
        return 0; /* older than anything kept */
    if (cl->counts[w % WEEKS] < 65535)
        cl->counts[w % WEEKS]++;
    cl->id[cl->head] = o->id;
    cl->week[cl->head] = w;
    cl->head = (cl->head + 1) % KEEP;
    if (cl->nkeep < KEEP)
        cl->nkeep++;
    int hit = 0, all = 0;
    for (int i = 0; i < c->weeks; i++) {
        int n = cl->counts[(cl->last_week - i) % WEEKS];
        hit += n >= c->per_week;
        all += n;
    }
    if (hit < c->hit || w != cl->last_week)
        return 0;
    int nids = 0;
    for (int i = 0; i < cl->nkeep && nids < WG_WARN_HIT_IDS; i++) {
        int k = (cl->head - 1 - i + KEEP) % KEEP;
        if (cl->last_week - cl->week[k] < c->weeks)
            c->ids[nids++] = cl->id[k];
    }
    h->kind = WG_WARN_RECUR;
    h->level = hit < c->weeks ? WG_WARN_BLUE : all >= 3 * c->weeks ? WG_WARN_RED : WG_WARN_YELLOW;
    h->trigger = o->id;
    h->at = o->at;
    snprintf(h->item, sizeof h->item, "%s", o->item);
    snprintf(h->scope, sizeof h->scope, "%s", o->grid);
    snprintf(h->key, sizeof h->key, "%s", o->grid);
    h->has_point = o->has_point;
    h->lon = o->lon;
    h->lat = o->lat;
    h->match_m = 0;
    h->count = all;
    snprintf(h->detail, sizeof h->detail,
             "{\"weeks_hit\":%d,\"weeks\":%d,\"per_week\":%d,\"orders\":%d}", hit, c->weeks,
             c->per_week, all);
    h->ids = c->ids;
    h->nids = nids;
    return 1;
}

size_t wg_warn_recur_bytes(const struct wg_warn_recur *c, size_t *entries)
{
    *entries = c->n;
    return c->cap * sizeof c->cells[0] + c->map.cap * sizeof(struct wg_warn_slot);
}
