/* Locator snapshots: loading current grids from the store into two grid indexes, chain
 * lookup, and the reference-counted slot. */
#include "domain/map/locate.h"

#include <stdatomic.h>

#include "core/alloc.h"

#include "domain/map/region.h"
#include "geo/gindex.h"
#include "geo/shape.h"
#include "store/map/map_q.h"

struct layer {
    size_t n, cap;
    struct wg_loc_grid *grids;
    struct wg_shape *shapes;
    struct wg_gindex *ix;
};

struct wg_locator {
    struct wg_snap snap; /* always version 0: a newer build always replaces */
    struct layer base, overlay;
    size_t nregions;
    struct wg_loc_region *regions; /* sorted by code */
    double extent[4];              /* the base grids' box (the portal's map opens on it) */
};

static void free_shapes(struct layer *l)
{
    if (!l->shapes)
        return;
    for (size_t i = 0; i < l->n; i++)
        wg_shape_release(&l->shapes[i]);
    free(l->shapes);
    l->shapes = NULL;
}

static void layer_release(struct layer *l)
{
    free_shapes(l);
    free(l->grids);
    wg_gindex_free(l->ix);
}

static enum wg_rc layer_add(struct layer *l, const struct wg_grid_row *g, struct wg_err *err)
{
    json_error_t je;
    json_t *geom;
    enum wg_rc rc;
    size_t shapes_cap = l->cap;
    wg_grow(&l->shapes, &shapes_cap, l->n, sizeof *l->shapes, 256);
    wg_grow(&l->grids, &l->cap, l->n, sizeof *l->grids, 256);
    geom = json_loads(g->geometry, 0, &je);
    if (!geom)
        return wg_err_set(err, WG_EDB, "grid '%s': stored geometry is not JSON: %s", g->code,
                          je.text);
    wg_shape_init(&l->shapes[l->n]);
    rc = wg_shape_from_geojson(geom, &l->shapes[l->n], err);
    json_decref(geom);
    if (rc) {
        wg_err_prefix(err, "grid '%s'", g->code);
        return rc;
    }
    struct wg_loc_grid *lg = &l->grids[l->n++];
    snprintf(lg->code, sizeof lg->code, "%s", g->code);
    snprintf(lg->name, sizeof lg->name, "%s", g->name);
    snprintf(lg->kind, sizeof lg->kind, "%s", g->kind);
    snprintf(lg->subtype, sizeof lg->subtype, "%s", g->subtype);
    return WG_OK;
}

struct load {
    struct wg_locator *loc;
    struct wg_err *err;
    enum wg_rc rc;
};

static int on_grid(const struct wg_grid_row *g, void *ctx)
{
    struct load *l = ctx;
    struct layer *layer = !strcmp(g->kind, "base") ? &l->loc->base : &l->loc->overlay;
    l->rc = layer_add(layer, g, l->err);
    return l->rc != WG_OK;
}

static int by_code(const void *a, const void *b)
{
    return strcmp(((const struct wg_loc_region *)a)->code, ((const struct wg_loc_region *)b)->code);
}

static const struct wg_loc_region *find_region(const struct wg_locator *loc, const char *code)
{
    struct wg_loc_region key;
    snprintf(key.code, sizeof key.code, "%s", code);
    return bsearch(&key, loc->regions, loc->nregions, sizeof key, by_code);
}

static int by_str(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* Loads the names of every region above the grids' villages: the distinct ancestor codes
 * are collected and sorted first, so the region array comes out sorted. */
static enum wg_rc load_chain(struct wg_db *db, struct wg_locator *loc, struct wg_err *err)
{
    static const int lens[] = {2, 4, 6, 9, 12};
    struct layer *layers[] = {&loc->base, &loc->overlay};
    size_t ngrids = loc->base.n + loc->overlay.n, ncodes = 0;
    char(*codes)[13] = wg_malloc((ngrids * 5 + 1) * sizeof *codes);
    enum wg_rc rc = WG_OK;
    for (int li = 0; li < 2; li++)
        for (size_t i = 0; i < layers[li]->n; i++)
            for (int k = 0; k < 5; k++)
                snprintf(codes[ncodes++], 13, "%.*s", lens[k], layers[li]->grids[i].code);
    qsort(codes, ncodes, sizeof *codes, by_str);
    loc->regions = wg_malloc((ncodes + 1) * sizeof *loc->regions);
    for (size_t i = 0; i < ncodes && !rc; i++) {
        struct wg_region_row r;
        if (i && !strcmp(codes[i], codes[i - 1]))
            continue;
        rc = wg_store_region_get(db, codes[i], &r, err);
        if (rc == WG_ENOTFOUND) { /* a level the store does not know: left out of chains */
            wg_err_clear(err);
            rc = WG_OK;
            continue;
        }
        if (rc)
            break;
        struct wg_loc_region *lr = &loc->regions[loc->nregions++];
        snprintf(lr->code, sizeof lr->code, "%s", r.code);
        snprintf(lr->name, sizeof lr->name, "%s", r.name);
        snprintf(lr->level, sizeof lr->level, "%s", r.level);
    }
    free(codes);
    return rc;
}

static void locator_free(struct wg_snap *s)
{
    struct wg_locator *loc = (struct wg_locator *)s;
    layer_release(&loc->base);
    layer_release(&loc->overlay);
    free(loc->regions);
    free(loc);
}

enum wg_rc wg_locator_build(struct wg_db *db, struct wg_locator **out, struct wg_err *err)
{
    struct wg_locator *loc = wg_calloc(1, sizeof *loc);
    struct load l = {loc, err, WG_OK};
    enum wg_rc rc;
    wg_snap_init(&loc->snap, 0, locator_free);
    rc = wg_store_grid_each(db, "", on_grid, &l, err);
    if (!rc)
        rc = l.rc;
    if (!rc)
        rc = load_chain(db, loc, err);
    if (!rc)
        rc = wg_gindex_build(loc->base.shapes, loc->base.n, &loc->base.ix, err);
    if (!rc)
        rc = wg_gindex_build(loc->overlay.shapes, loc->overlay.n, &loc->overlay.ix, err);
    if (rc) {
        wg_locator_release(loc);
        return rc;
    }
    for (size_t i = 0; i < loc->base.n; i++) {
        const struct wg_shape *s = &loc->base.shapes[i];
        double *e = loc->extent;
        if (!i || s->minx < e[0])
            e[0] = s->minx;
        if (!i || s->miny < e[1])
            e[1] = s->miny;
        if (!i || s->maxx > e[2])
            e[2] = s->maxx;
        if (!i || s->maxy > e[3])
            e[3] = s->maxy;
    }
    /* the indexes keep what they need; the shapes are no longer used */
    free_shapes(&loc->base);
    free_shapes(&loc->overlay);
    *out = loc;
    return WG_OK;
}

void wg_locator_release(struct wg_locator *loc)
{
    wg_snap_release(loc ? &loc->snap : NULL);
}

size_t wg_locator_grid_count(const struct wg_locator *loc)
{
    return loc->base.n + loc->overlay.n;
}

enum wg_rc wg_locator_locate(const struct wg_locator *loc, double lon, double lat, enum wg_crs crs,
                             struct wg_locate_result *out, struct wg_err *err)
{
    uint32_t ids[WG_LOC_MAX_OVERLAY], id;
    size_t n;
    memset(out, 0, sizeof *out);
    wg_crs_to_wgs84(crs, lon, lat, &out->lon, &out->lat);
    id = loc->base.ix ? wg_gindex_locate(loc->base.ix, out->lon, out->lat) : WG_GINDEX_NONE;
    if (id == WG_GINDEX_NONE)
        return wg_err_set(err, WG_ENOTFOUND,
                          "point (%.6f, %.6f) lies in no grid (as %s: %.6f, %.6f)", out->lon,
                          out->lat, wg_crs_name(crs), lon, lat);
    out->grid = &loc->base.grids[id];
    n = loc->overlay.ix
            ? wg_gindex_locate_all(loc->overlay.ix, out->lon, out->lat, ids, WG_LOC_MAX_OVERLAY)
            : 0;
    if (n > WG_LOC_MAX_OVERLAY)
        n = WG_LOC_MAX_OVERLAY;
    for (size_t i = 0; i < n; i++)
        out->overlay[out->noverlay++] = &loc->overlay.grids[ids[i]];
    /* the chain: province → city → county → town → village */
    for (int lvl = WG_LEVEL_PROVINCE; lvl <= WG_LEVEL_VILLAGE; lvl++) {
        char code[WG_CODE_LEN_VILLAGE + 1];
        const struct wg_loc_region *r;
        if (wg_region_prefix(out->grid->code, (enum wg_level)lvl, code, sizeof code) &&
            (r = find_region(loc, code)))
            out->chain[out->nchain++] = r;
    }
    return WG_OK;
}

struct wg_locator *wg_locator_acquire(struct wg_slot *s)
{
    return (struct wg_locator *)wg_slot_acquire(s);
}

void wg_locator_publish(struct wg_slot *s, struct wg_locator *loc)
{
    wg_slot_publish(s, &loc->snap);
}

int wg_locator_extent(const struct wg_locator *loc, double box[4])
{
    if (!loc || !loc->base.n)
        return 0;
    memcpy(box, loc->extent, sizeof loc->extent);
    return 1;
}
