/* The detectors' engine (warn_detect.h): the maps and interned names they share, and one
 * order fed to each detector in turn. */
#include "domain/alerts/warn_detect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

uint64_t wg_warn_hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a, then a final mix */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h ? h : 1;
}

static size_t slot_of(uint64_t key, size_t cap)
{
    uint64_t h = key * 0x9e3779b97f4a7c15ULL;
    return (size_t)(h >> 17) & (cap - 1);
}

static void map_grow(struct wg_warn_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 1024;
    struct wg_warn_slot *at = wg_calloc(cap, sizeof *at);
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->at[i].key)
            continue;
        size_t j = slot_of(m->at[i].key, cap);
        while (at[j].key)
            j = (j + 1) & (cap - 1);
        at[j] = m->at[i];
    }
    free(m->at);
    m->at = at;
    m->cap = cap;
}

uint32_t wg_warn_map_get(struct wg_warn_map *m, uint64_t key, uint32_t next, int *fresh)
{
    if ((m->n + 1) * 2 > m->cap)
        map_grow(m);
    size_t j = slot_of(key, m->cap);
    while (m->at[j].key) {
        if (m->at[j].key == key) {
            *fresh = 0;
            return m->at[j].val;
        }
        j = (j + 1) & (m->cap - 1);
    }
    m->at[j].key = key;
    m->at[j].val = next;
    m->n++;
    *fresh = 1;
    return next;
}

uint32_t wg_warn_map_find(const struct wg_warn_map *m, uint64_t key)
{
    if (!m->cap)
        return UINT32_MAX;
    size_t j = slot_of(key, m->cap);
    while (m->at[j].key) {
        if (m->at[j].key == key)
            return m->at[j].val;
        j = (j + 1) & (m->cap - 1);
    }
    return UINT32_MAX;
}

void wg_warn_map_release(struct wg_warn_map *m)
{
    free(m->at);
    memset(m, 0, sizeof *m);
}

uint32_t wg_warn_name(struct wg_warn_names *t, const char *s, size_t len)
{
    int fresh = 0;
    uint32_t v =
        wg_warn_map_get(&t->map, wg_warn_hash(s, len > 64 ? 64 : len), (uint32_t)t->n, &fresh);
    if (fresh)
        t->n++;
    return v;
}

enum wg_warn_level wg_warn_level_by_size(long long size, long long threshold)
{
    if (threshold < 1)
        threshold = 1;
    return size >= 3 * threshold   ? WG_WARN_RED
           : size >= 2 * threshold ? WG_WARN_YELLOW
                                   : WG_WARN_BLUE;
}

void wg_warn_scope_of(const struct wg_warn_order *o, char out[32])
{
    snprintf(out, 32, "%s", *o->grid ? o->grid : o->county);
}

struct wg_warn_engine {
    struct wg_warn_rules rules;
    struct wg_warn_names items, grids, towns;
    struct wg_warn_cluster *cluster;
    struct wg_warn_recur *recur;
    struct wg_warn_surge *surge;
    struct wg_warn_caller *caller;
    struct wg_warn_hit hits[WG_WARN_KINDS];
};

struct wg_warn_engine *wg_warn_engine_new(const struct wg_warn_rules *r)
{
    struct wg_warn_engine *e = wg_calloc(1, sizeof *e);
    e->rules = *r;
    e->cluster = wg_warn_cluster_new(r);
    e->recur = wg_warn_recur_new(r);
    e->surge = wg_warn_surge_new(r);
    e->caller = wg_warn_caller_new(r);
    return e;
}

void wg_warn_engine_free(struct wg_warn_engine *e)
{
    if (!e)
        return;
    wg_warn_cluster_free(e->cluster);
    wg_warn_recur_free(e->recur);
    wg_warn_surge_free(e->surge);
    wg_warn_caller_free(e->caller);
    wg_warn_map_release(&e->items.map);
    wg_warn_map_release(&e->grids.map);
    wg_warn_map_release(&e->towns.map);
    free(e);
}

int wg_warn_engine_feed(struct wg_warn_engine *e, const struct wg_warn_order *o,
                        const struct wg_warn_hit **hits)
{
    const struct wg_warn_rules *r = &e->rules;
    int n = 0;
    *hits = e->hits;
    if (*o->item) {
        uint32_t item = wg_warn_name(&e->items, o->item, strlen(o->item));
        if (r->on[WG_WARN_CLUSTER] && o->has_point &&
            wg_warn_cluster_feed(e->cluster, item, o, &e->hits[n]))
            n++;
        if (*o->grid) {
            size_t gl = strlen(o->grid);
            uint32_t grid = wg_warn_name(&e->grids, o->grid, gl);
            uint32_t town = wg_warn_name(&e->towns, o->grid, gl < 9 ? gl : 9);
            if (r->on[WG_WARN_RECUR] && wg_warn_recur_feed(e->recur, item, grid, o, &e->hits[n]))
                n++;
            if (r->on[WG_WARN_SURGE] && wg_warn_surge_feed(e->surge, item, town, o, &e->hits[n]))
                n++;
        }
    }
    if (r->on[WG_WARN_CALLER] && *o->phone_blind && wg_warn_caller_feed(e->caller, o, &e->hits[n]))
        n++;
    if (r->on[WG_WARN_WORDS] && r->nwords && wg_warn_words_feed(r, o, &e->hits[n]))
        n++;
    return n;
}

void wg_warn_engine_size(const struct wg_warn_engine *e, size_t *entries, size_t *bytes)
{
    size_t n[4] = {0};
    *bytes = wg_warn_cluster_bytes(e->cluster, &n[0]) + wg_warn_recur_bytes(e->recur, &n[1]) +
             wg_warn_surge_bytes(e->surge, &n[2]) + wg_warn_caller_bytes(e->caller, &n[3]) +
             (e->items.map.cap + e->grids.map.cap + e->towns.map.cap) * sizeof(struct wg_warn_slot);
    *entries = n[0] + n[1] + n[2] + n[3];
}

int wg_warn_engine_window_days(const struct wg_warn_rules *r)
{
    int d = (r->cluster_hours + 23) / 24;
    if (r->recur_weeks * 7 > d)
        d = r->recur_weeks * 7;
    if (r->surge_days + 1 > d)
        d = r->surge_days + 1;
    if (r->caller_days > d)
        d = r->caller_days;
    return d;
}
