/* GET /api/v1/locate?lon=..&lat=..&crs=wgs84|cgcs2000|gcj02|bd09: the grid holding a point,
 * its exclusive grids, and the region chain above it. */
#include <math.h>

#include "api/app.h"
#include "api/handlers.h"
#include "core/param.h"
#include "domain/map/locate.h"

json_t *wg_api_locate_json(const struct wg_locate_result *r)
{
    json_t *chain = json_array(), *excl = json_array(), *micro = json_array();
    for (size_t i = 0; i < r->nchain; i++)
        json_array_append_new(chain, json_pack("{s:s,s:s,s:s}", "level", r->chain[i]->level, "code",
                                               r->chain[i]->code, "name", r->chain[i]->name));
    json_array_append_new(chain, json_pack("{s:s,s:s,s:s}", "level", "grid", "code", r->grid->code,
                                           "name", r->grid->name));
    for (size_t i = 0; i < r->noverlay; i++) {
        const struct wg_loc_grid *g = r->overlay[i];
        json_t *o = json_pack("{s:s,s:s,s:s}", "code", g->code, "name", g->name, "kind", g->kind);
        if (g->subtype[0])
            json_object_set_new(o, "subtype", json_string(g->subtype));
        json_array_append_new(strcmp(g->kind, "micro") ? excl : micro, o);
    }
    json_t *out = json_pack("{s:{s:s,s:s,s:s},s:o,s:o,s:{s:f,s:f}}", "grid", "code", r->grid->code,
                            "name", r->grid->name, "kind", r->grid->kind, "exclusive", excl,
                            "chain", chain, "point", "lon", r->lon, "lat", r->lat);
    if (json_array_size(micro))
        json_object_set_new(out, "micro", micro);
    else
        json_decref(micro);
    return out;
}

enum wg_rc wg_api_locate(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_locate_result r;
    struct wg_locator *loc;
    double lon, lat;
    enum wg_crs crs;
    enum wg_rc rc;
    if ((rc = wg_param_coord(wg_req_query(req, "lon"), "lon", -180, 180, &lon, err)) ||
        (rc = wg_param_coord(wg_req_query(req, "lat"), "lat", -90, 90, &lat, err)) ||
        (rc = wg_crs_parse(wg_req_query(req, "crs"), &crs, err)))
        return rc;
    loc = wg_locator_acquire(&app->locator);
    if (!loc)
        return wg_err_set(err, WG_EUNAVAIL, "the locate index is not built yet");
    rc = wg_locator_locate(loc, lon, lat, crs, &r, err);
    if (!rc && !wg_api_in_scope(req, r.grid->code))
        rc = wg_err_set(err, WG_ENOTFOUND, "point (%.6f, %.6f) lies in no grid", r.lon, r.lat);
    if (!rc)
        rc = wg_reply_json(req, 200, wg_api_locate_json(&r));
    wg_locator_release(loc);
    return rc;
}

#define BATCH_MAX 10000

/* POST /api/v1/locate {"points": [[lon, lat], ...], "crs": "gcj02"}: many points at once
 * (camera alerts, imports of addresses). Each result is a locate answer or an error. */
enum wg_rc wg_api_locate_batch(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    json_t *points = json_object_get(req->json, "points"), *pt, *results;
    const char *crsname = json_string_value(json_object_get(req->json, "crs"));
    struct wg_locator *loc;
    enum wg_crs crs;
    size_t i;
    if (!json_is_object(req->json))
        return wg_err_set(err, WG_EINVAL, "body must be a JSON object with a 'points' array");
    if (json_object_get(req->json, "crs") && !crsname)
        return wg_err_set(err, WG_EINVAL, "'crs' must be a string");
    if (wg_crs_parse(crsname, &crs, err))
        return WG_EINVAL;
    if (!json_is_array(points))
        return wg_err_set(err, WG_EINVAL, "'points' must be an array of [lon, lat] pairs");
    if (json_array_size(points) > BATCH_MAX)
        return wg_err_set(err, WG_ETOOBIG, "%zu points; at most %d in one request",
                          json_array_size(points), BATCH_MAX);
    json_array_foreach(points, i, pt)
    {
        json_t *x = json_array_get(pt, 0), *y = json_array_get(pt, 1);
        if (!json_is_array(pt) || json_array_size(pt) != 2 || !json_is_number(x) ||
            !json_is_number(y))
            return wg_err_set(err, WG_EINVAL, "points[%zu] is not a [lon, lat] pair of numbers", i);
        if (fabs(json_number_value(x)) > 180 || fabs(json_number_value(y)) > 90)
            return wg_err_set(err, WG_EINVAL,
                              "points[%zu] is out of range: lon must be within "
                              "±180 and lat within ±90",
                              i);
    }
    loc = wg_locator_acquire(&app->locator);
    if (!loc)
        return wg_err_set(err, WG_EUNAVAIL, "the locate index is not built yet");
    results = json_array();
    json_array_foreach(points, i, pt)
    {
        struct wg_locate_result r;
        struct wg_err e = {0};
        if (wg_locator_locate(loc, json_number_value(json_array_get(pt, 0)),
                              json_number_value(json_array_get(pt, 1)), crs, &r, &e) == WG_OK &&
            !wg_api_in_scope(req, r.grid->code))
            wg_err_set(&e, WG_ENOTFOUND, "point (%.6f, %.6f) lies in no grid", r.lon, r.lat);
        if (!e.rc)
            json_array_append_new(results, wg_api_locate_json(&r));
        else
            json_array_append_new(results, json_pack("{s:{s:s,s:s}}", "error", "code",
                                                     wg_rc_code(e.rc), "message", e.msg));
    }
    wg_locator_release(loc);
    return wg_reply_json(req, 200, json_pack("{s:o}", "results", results));
}
