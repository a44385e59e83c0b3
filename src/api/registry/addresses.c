/* GET /api/v1/addresses?q=&limit=: where a place named in words lies — standard addresses
 * of buildings and houses, buildings' names, towns and villages — each with a point and its
 * grid (domain/registry/address.h); intake places an appeal with it. When the registry
 * holds nothing for the words and the deployment set a 天地图 key, its geocoder is asked
 * (domain/map/geocoder.h); its point answers only in a grid of the caller's scope. */
#include "api/app.h"
#include "api/handlers.h"
#include "core/log.h"
#include "core/param.h"
#include "core/utf8.h"
#include "domain/accounts/session.h"
#include "domain/map/geocoder.h"
#include "domain/registry/address.h"
#include "domain/registry/person.h"

/* The geocoder's point as a hit, when it lies in a grid of the caller's scope: a point in
 * none places no appeal here. */
static json_t *geocoded(const struct wg_app *app, const struct wg_locator *loc,
                        const struct wg_actor *a, const char *q)
{
    struct wg_geocoded g;
    struct wg_locate_result r;
    struct wg_err err = {0};
    if (wg_geocode(&app->geocoder, q, &g, &err)) {
        if (err.rc != WG_ENOTFOUND)
            wg_log(WG_LOG_WARN, "address search: the outside geocoder failed: %s", err.msg);
        return NULL;
    }
    if (!loc || wg_locator_locate(loc, g.lon, g.lat, WG_CRS_WGS84, &r, NULL) || !r.grid ||
        (a && !wg_registry_covers(&a->scope, r.grid->code)))
        return NULL;
    return json_pack("{s:s,s:s,s:s,s:s,s:{s:f,s:f},s:{s:s,s:s},s:s,s:i,s:s}", "kind", "geocoded",
                     "id", "", "name", q, "address", q, "point", "lon", g.lon, "lat", g.lat, "grid",
                     "code", r.grid->code, "name", r.grid->name, "source", "tianditu", "score",
                     g.score, "level", g.level);
}

enum wg_rc wg_api_addresses(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    const struct wg_actor *a = req->actor;
    long long limit = WG_ADDRESS_LIMIT_DEFAULT;
    struct wg_locator *loc;
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_param_count(wg_req_query(req, "limit"), "limit", 1, WG_ADDRESS_LIMIT_MAX, &limit,
                             err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    loc = wg_locator_acquire(&app->locator);
    rc = wg_address_search(db, loc, a ? &a->scope : NULL, wg_req_query(req, "q"), (int)limit, &out,
                           err);
    if (!rc && !json_array_size(out) && wg_geocoder_enabled(&app->geocoder) &&
        wg_utf8_chars(wg_req_query(req, "q")) >= 2) {
        wg_api_release(req); /* no store connection held while the outside service answers */
        json_t *hit = geocoded(app, loc, a, wg_req_query(req, "q"));
        if (hit)
            json_array_append_new(out, hit);
    }
    if (loc)
        wg_locator_release(loc);
    return rc ? rc : wg_reply_json(req, 200, json_pack("{s:o}", "addresses", out));
}
