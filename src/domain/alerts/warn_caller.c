/* Repeat callers (warn_detect.h): per phone blind index (the orders' own, never the clear
 * number), its 8 newest orders' ids and times; an order shows the situation when at least
 * min_orders of them, itself too, fall within `days` days. */
#include "domain/alerts/warn_detect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

#define KEEP  8
#define EPOCH 946684800LL /* 2000-01-01: times kept in 32 bits to 2068 */

struct cell {
    int n, head;
    long long id[KEEP];
    int at[KEEP]; /* seconds since 2000-01-01 */
};

struct wg_warn_caller {
    int min;
    long long span;
    struct wg_warn_map map;
    struct cell *cells;
    size_t n, cap;
    long long ids[KEEP];
};

struct wg_warn_caller *wg_warn_caller_new(const struct wg_warn_rules *r)
{
    struct wg_warn_caller *c = wg_calloc(1, sizeof *c);
    c->min = r->caller_min;
    c->span = (long long)r->caller_days * 86400;
    return c;
}

void wg_warn_caller_free(struct wg_warn_caller *c)
{
    if (!c)
        return;
    free(c->cells);
    wg_warn_map_release(&c->map);
    free(c);
}

int wg_warn_caller_feed(struct wg_warn_caller *c, const struct wg_warn_order *o,
                        struct wg_warn_hit *h)
{
    int fresh = 0;
    size_t len = strlen(o->phone_blind);
    uint64_t key = wg_warn_hash(o->phone_blind, len);
    uint32_t s = wg_warn_map_get(&c->map, key, (uint32_t)c->n, &fresh);
    if (fresh) {
        wg_grow(&c->cells, &c->cap, c->n, sizeof c->cells[0], 4096);
        memset(&c->cells[c->n++], 0, sizeof c->cells[0]);
    }
    struct cell *cl = &c->cells[s];
    cl->id[cl->head] = o->id;
    cl->at[cl->head] = (int)(o->at - EPOCH);
    cl->head = (cl->head + 1) % KEEP;
    if (cl->n < KEEP)
        cl->n++;
    int nids = 0;
    for (int i = 0; i < cl->n; i++) {
        int k = (cl->head - 1 - i + KEEP) % KEEP;
        long long at = cl->at[k] + EPOCH;
        if (at >= o->at - c->span && at <= o->at + c->span)
            c->ids[nids++] = cl->id[k];
    }
    if (nids < c->min)
        return 0;
    h->kind = WG_WARN_CALLER;
    h->level = wg_warn_level_by_size(nids, c->min);
    h->trigger = o->id;
    h->at = o->at;
    h->item[0] = '\0';
    wg_warn_scope_of(o, h->scope);
    snprintf(h->key, sizeof h->key, "%.*s", (int)(len < 64 ? len : 64), o->phone_blind);
    h->has_point = o->has_point;
    h->lon = o->lon;
    h->lat = o->lat;
    h->match_m = 0;
    h->count = nids;
    snprintf(h->detail, sizeof h->detail, "{\"orders\":%d,\"days\":%lld}", nids, c->span / 86400);
    h->ids = c->ids;
    h->nids = nids;
    return 1;
}

size_t wg_warn_caller_bytes(const struct wg_warn_caller *c, size_t *entries)
{
    *entries = c->n;
    return c->cap * sizeof c->cells[0] + c->map.cap * sizeof(struct wg_warn_slot);
}
