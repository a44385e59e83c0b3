/* Regions: GET /api/v1/regions/{code} (the node, its ancestors, its children),
 * GET /api/v1/regions?q=兰山 (search by name), GET /api/v1/regions/{code}/grids.geojson. */
#include "api/app.h"
#include "api/handlers.h"
#include "core/param.h"
#include "domain/map/grid.h"
#include "domain/map/region.h"
#include "domain/accounts/session.h"
#include "store/map/map_q.h"

static json_t *region_json(const struct wg_region_row *r)
{
    json_t *j = json_pack("{s:s,s:s,s:s}", "code", r->code, "name", r->name, "level", r->level);
    if (r->parent[0])
        json_object_set_new(j, "parent", json_string(r->parent));
    return j;
}

static int add_region(const struct wg_region_row *r, void *ctx)
{
    json_array_append_new(ctx, region_json(r));
    return 0;
}

struct scoped {
    const struct wg_req *req;
    json_t *arr;
};

static int add_scoped_region(const struct wg_region_row *r, void *ctx)
{
    struct scoped *s = ctx;
    if (wg_api_in_scope(s->req, r->code))
        json_array_append_new(s->arr, region_json(r));
    return 0;
}

struct child_grids {
    json_t *arr;
};

static int add_grid(const struct wg_grid_row *g, void *ctx)
{
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:f}", "code", g->code, "name", g->name, "level",
                          "grid", "kind", g->kind, "area_m2", g->area_m2);
    if (g->subtype[0])
        json_object_set_new(o, "subtype", json_string(g->subtype));
    json_array_append_new(ctx, o);
    return 0;
}

enum wg_rc wg_api_region_get(struct wg_req *req, struct wg_err *err)
{
    const char *code = req->params[0];
    struct wg_db *db;
    struct wg_region_row r;
    json_t *ancestors, *children, *out;
    char parent[16];
    enum wg_level lvl = wg_region_level(code, err);
    enum wg_rc rc;
    if (lvl == WG_LEVEL_NONE)
        return WG_EINVAL;
    if (lvl > WG_LEVEL_VILLAGE)
        return wg_err_set(err, WG_EINVAL, "'%s' is a grid code; see /api/v1/grids/%s", code, code);
    if (!wg_api_in_scope(req, code))
        return wg_err_set(err, WG_ENOTFOUND, "region '%s' does not exist", code);
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    if ((rc = wg_store_region_get(db, code, &r, err)))
        return rc;
    ancestors = wg_api_keep(req, json_array());
    snprintf(parent, sizeof parent, "%s", r.code);
    while (!rc && wg_region_parent(parent, parent, sizeof parent)) {
        struct wg_region_row a;
        rc = wg_store_region_get(db, parent, &a, err);
        if (!rc)
            json_array_insert_new(ancestors, 0, region_json(&a));
        else if (rc == WG_ENOTFOUND) { /* a level the imported divisions leave out */
            wg_err_clear(err);
            rc = WG_OK;
        }
    }
    if (rc)
        return rc;
    children = wg_api_keep(req, json_array());
    if ((rc = lvl == WG_LEVEL_VILLAGE
                  ? wg_store_grid_each(db, code, add_grid, children, err)
                  : wg_store_region_children(db, code, add_region, children, err)))
        return rc;
    out = region_json(&r);
    json_object_set(out, "ancestors", ancestors);
    json_object_set(out, "children", children);
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_regions_search(struct wg_req *req, struct wg_err *err)
{
    const char *q = wg_req_query(req, "q");
    const char *lim = wg_req_query(req, "limit");
    long long limit = 50;
    struct wg_db *db;
    json_t *arr;
    enum wg_rc rc;
    if (!q || !*q)
        return wg_err_set(err, WG_EINVAL,
                          "query parameter 'q' (part of a region's name) is "
                          "required, e.g. /api/v1/regions?q=兰山");
    if (strlen(q) > 200)
        return wg_err_set(err, WG_EINVAL, "query parameter 'q' is longer than 200 bytes");
    if ((rc = wg_param_count(lim, "limit", 1, 500, &limit, err)))
        return rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    arr = wg_api_keep(req, json_array());
    struct scoped sc = {req, arr};
    if ((rc = wg_store_region_search(db, q, (int)limit, add_scoped_region, &sc, err)))
        return rc;
    return wg_reply_json(req, 200, json_pack("{s:s,s:O}", "q", q, "regions", arr));
}

enum wg_rc wg_api_region_grids(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    char *text;
    size_t len;
    enum wg_rc rc;
    if (!wg_api_in_scope(req, req->params[0]))
        return wg_err_set(err, WG_ENOTFOUND, "region '%s' does not exist", req->params[0]);
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_grid_export(db, req->params[0], &text, &len, err);
    if (rc)
        return rc;
    return wg_reply_owned(req, 200, "application/geo+json; charset=utf-8", text, len);
}

enum wg_rc wg_api_grid_get(struct wg_req *req, struct wg_err *err)
{
    const char *code = req->params[0];
    struct wg_db *db;
    struct wg_grid_row g;
    char *geometry = NULL;
    json_t *out, *geom;
    enum wg_level lvl = wg_region_level(code, err);
    enum wg_rc rc;
    if (lvl == WG_LEVEL_NONE)
        return WG_EINVAL;
    if (lvl < WG_LEVEL_GRID)
        return wg_err_set(err, WG_EINVAL, "'%s' is a %s code; see /api/v1/regions/%s", code,
                          wg_level_name(lvl), code);
    if (!wg_api_in_scope(req, code))
        return wg_err_set(err, WG_ENOTFOUND, "grid '%s' does not exist", code);
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_store_grid_current(db, code, &g, &geometry, err);
    if (rc)
        return rc;
    geom = json_loads(geometry, 0, NULL);
    free(geometry);
    out = json_pack("{s:s,s:s,s:s,s:i,s:s,s:s,s:f,s:s,s:o}", "code", g.code, "name", g.name, "kind",
                    g.kind, "version", g.version, "village", g.village, "crs", g.crs, "area_m2",
                    g.area_m2, "valid_from", g.valid_from, "geometry", geom ? geom : json_null());
    if (g.subtype[0])
        json_object_set_new(out, "subtype", json_string(g.subtype));
    if (g.households >= 0)
        json_object_set_new(out, "households", json_integer(g.households));
    if (g.population >= 0)
        json_object_set_new(out, "population", json_integer(g.population));
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_grids_import(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_import_report rep;
    struct wg_db *db;
    enum wg_rc rc;
    json_t *j;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    const struct wg_actor *actor = req->actor;
    struct wg_import_opts io = {0};
    io.scope = actor ? actor->scope.code : NULL;
    rc = wg_grid_import(db, req->body, req->body_len, &io, &rep, err);
    char detail[160];
    snprintf(detail, sizeof detail,
             "%zu features: %zu added, %zu changed, %zu unchanged, %zu errors", rep.features,
             rep.added, rep.changed, rep.unchanged, rep.nerrors);
    rc = wg_api_audit(req, db, NULL, "grid.import", "grid", "", detail, rc, err);
    if (rc && rc != WG_EINVAL) {
        wg_import_report_release(&rep);
        return rc;
    }
    j = wg_import_report_json(&rep);
    wg_import_report_release(&rep);
    if (rc) {
        json_t *e = json_pack("{s:{s:s,s:s,s:o}}", "error", "code", wg_rc_code(rc), "message",
                              err->msg, "report", j);
        return wg_reply_json(req, 400, e);
    }
    /* publish the new index before answering, so a client's next locate sees the grids */
    wg_api_release(req); /* the rebuild takes a connection of its own */
    if ((rc = wg_app_locator_refresh(app, 0, err)))
        return rc;
    return wg_reply_json(req, 200, j);
}
