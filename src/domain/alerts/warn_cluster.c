/* 群发 (warn_detect.h): the window's points of each item in a spatial hash of cells twice as
 * wide as the radius, so that the points within the radius of a new one lie in the 2 × 2
 * cells around the quarter of its cell it falls in (four look-ups, not nine). Points older than the
 * window are dropped from a cell when it is next looked at, and from every cell once every 65,536
 * orders. */
#include "domain/alerts/warn_detect.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

struct pt {
    double x, y;
    long long t, id;
};

struct cell {
    struct pt *p;
    size_t n, cap;
};

struct wg_warn_cluster {
    int min;
    double r, r2, kx, ky;
    long long span;
    int have_lat0;
    struct wg_warn_map map;
    struct cell *cells;
    size_t ncells, capcells;
    unsigned long feeds;
    long long ids[WG_WARN_HIT_IDS];
};

struct wg_warn_cluster *wg_warn_cluster_new(const struct wg_warn_rules *r)
{
    struct wg_warn_cluster *c = wg_calloc(1, sizeof *c);
    c->min = r->cluster_min;
    c->r = r->cluster_radius_m;
    c->r2 = c->r * c->r;
    c->span = (long long)r->cluster_hours * 3600;
    c->ky = 110574.0; /* metres a degree of latitude */
    return c;
}

void wg_warn_cluster_free(struct wg_warn_cluster *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->ncells; i++)
        free(c->cells[i].p);
    free(c->cells);
    wg_warn_map_release(&c->map);
    free(c);
}

static uint64_t cell_key(uint32_t item, long long cx, long long cy)
{
    return ((uint64_t)(item + 1) & 0xffff) << 48 | ((uint64_t)(cx + (1 << 23)) & 0xffffff) << 24 |
           ((uint64_t)(cy + (1 << 23)) & 0xffffff);
}

static void prune(struct cell *cl, long long oldest)
{
    size_t k = 0;
    for (size_t i = 0; i < cl->n; i++)
        if (cl->p[i].t >= oldest)
            cl->p[k++] = cl->p[i];
    cl->n = k;
}

int wg_warn_cluster_feed(struct wg_warn_cluster *c, uint32_t item, const struct wg_warn_order *o,
                         struct wg_warn_hit *h)
{
    if (!c->have_lat0) { /* one local projection for the district: metres east and north */
        c->kx = 111320.0 * cos(o->lat * 3.14159265358979323846 / 180.0);
        c->have_lat0 = 1;
    }
    double x = o->lon * c->kx, y = o->lat * c->ky;
    double fx = x / (2 * c->r), fy = y / (2 * c->r);
    long long cx = (long long)floor(fx), cy = (long long)floor(fy);
    /* the neighbour column and row on the side of the quarter the point lies in */
    int sx = fx - (double)cx < 0.5 ? -1 : 1, sy = fy - (double)cy < 0.5 ? -1 : 1;
    long long oldest = o->at - c->span, count = 1;
    int nids = 0;
    if (++c->feeds % 65536 == 0)
        for (size_t i = 0; i < c->ncells; i++)
            prune(&c->cells[i], oldest);
    c->ids[nids++] = o->id;
    for (int dx = 0; dx != 2 * sx; dx += sx)
        for (int dy = 0; dy != 2 * sy; dy += sy) {
            uint32_t s = wg_warn_map_find(&c->map, cell_key(item, cx + dx, cy + dy));
            if (s == UINT32_MAX)
                continue;
            struct cell *cl = &c->cells[s];
            prune(cl, oldest);
            for (size_t i = 0; i < cl->n; i++) {
                double ex = cl->p[i].x - x, ey = cl->p[i].y - y;
                if (ex * ex + ey * ey > c->r2 || cl->p[i].t > o->at + c->span)
                    continue;
                count++;
                if (nids < WG_WARN_HIT_IDS)
                    c->ids[nids++] = cl->p[i].id;
            }
        }
    int fresh = 0;
    uint32_t s = wg_warn_map_get(&c->map, cell_key(item, cx, cy), (uint32_t)c->ncells, &fresh);
    if (fresh) {
        wg_grow(&c->cells, &c->capcells, c->ncells, sizeof c->cells[0], 256);
        memset(&c->cells[c->ncells++], 0, sizeof c->cells[0]);
    }
    struct cell *mine = &c->cells[s];
    wg_grow(&mine->p, &mine->cap, mine->n, sizeof mine->p[0], 4);
    mine->p[mine->n++] = (struct pt){x, y, o->at, o->id};
    if (count < c->min)
        return 0;
    h->kind = WG_WARN_CLUSTER;
    h->level = wg_warn_level_by_size(count, c->min);
    h->trigger = o->id;
    h->at = o->at;
    snprintf(h->item, sizeof h->item, "%s", o->item);
    wg_warn_scope_of(o, h->scope);
    h->key[0] = '\0';
    h->has_point = 1;
    h->lon = o->lon;
    h->lat = o->lat;
    h->match_m = 2 * c->r;
    h->count = count;
    snprintf(h->detail, sizeof h->detail, "{\"radius_m\":%g,\"hours\":%lld,\"orders\":%lld}", c->r,
             c->span / 3600, count);
    h->ids = c->ids;
    h->nids = nids;
    return 1;
}

size_t wg_warn_cluster_bytes(const struct wg_warn_cluster *c, size_t *entries)
{
    size_t b = c->capcells * sizeof c->cells[0] + c->map.cap * sizeof(struct wg_warn_slot), n = 0;
    for (size_t i = 0; i < c->ncells; i++) {
        b += c->cells[i].cap * sizeof(struct pt);
        n += c->cells[i].n;
    }
    *entries = n;
    return b;
}
