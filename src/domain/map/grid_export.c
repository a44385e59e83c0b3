/* Grid export: the current grids under a region as a GeoJSON FeatureCollection whose
 * features carry the same properties an import reads, so an export imports back unchanged. */
#include "domain/map/grid.h"

#include "core/assert.h"
#include "core/buf.h"
#include "domain/map/region.h"
#include "store/map/map_q.h"

struct exp {
    struct wg_buf *b;
    size_t n;
};

static int on_grid(const struct wg_grid_row *g, void *ctx)
{
    struct exp *e = ctx;
    json_t *props = json_pack("{s:s,s:s,s:s,s:I,s:s,s:f,s:s}", "code", g->code, "name", g->name,
                              "kind", g->kind, "version", (json_int_t)g->version, "crs", g->crs,
                              "area_m2", g->area_m2, "valid_from", g->valid_from);
    char *ps;
    if (!props)
        return 1;
    if (g->subtype[0])
        json_object_set_new(props, "subtype", json_string(g->subtype));
    if (g->households >= 0)
        json_object_set_new(props, "households", json_integer(g->households));
    if (g->population >= 0)
        json_object_set_new(props, "population", json_integer(g->population));
    ps = json_dumps(props, JSON_COMPACT);
    json_decref(props);
    WG_ASSERT(ps); /* json_pack checked the strings: nothing left to refuse (alloc.h) */
    wg_buf_addf(e->b, "%s{\"type\":\"Feature\",\"properties\":%s,\"geometry\":%s}",
                e->n ? ",\n" : "\n", ps, g->geometry);
    free(ps);
    e->n++;
    return wg_buf_rc(e->b) != WG_OK;
}

enum wg_rc wg_grid_export(struct wg_db *db, const char *code, char **out, size_t *len,
                          struct wg_err *err)
{
    struct wg_buf b;
    struct exp e = {&b, 0};
    enum wg_level lvl = wg_region_level(code, err);
    enum wg_rc rc;
    if (lvl == WG_LEVEL_NONE)
        return WG_EINVAL;
    if (lvl <= WG_LEVEL_VILLAGE) {
        struct wg_region_row r;
        if ((rc = wg_store_region_get(db, code, &r, err)))
            return rc;
    } else {
        struct wg_grid_row g;
        if ((rc = wg_store_grid_current(db, code, &g, NULL, err)))
            return rc;
    }
    wg_buf_init(&b, 0);
    wg_buf_adds(&b, "{\"type\":\"FeatureCollection\",\"features\":[");
    rc = wg_store_grid_each(db, code, on_grid, &e, err);
    wg_buf_adds(&b, "\n]}\n");
    if (!rc && wg_buf_rc(&b))
        rc = wg_err_set(err, wg_buf_rc(&b), "export of '%s' is too large", code);
    if (rc) {
        wg_buf_release(&b);
        return rc;
    }
    *out = wg_buf_detach(&b, len);
    return WG_OK;
}
