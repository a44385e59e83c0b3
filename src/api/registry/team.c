/* The grid team (domain/registry/team.h): GET/PUT /api/v1/grids/{code}/team in the caller's
 * scope — a PUT replaces the team whole, needs If-Match with the version read ("0" for a grid
 * with no team yet) and is recorded in the audit log, refused or not — and the public grid
 * card GET /api/v1/public/grid?lon=&lat= for residents, throttled per address as the portal's
 * other public routes are. */
#include "api/app.h"
#include "api/handlers.h"
#include "api/registry/registry.h"

#include <time.h>

#include "core/civil.h"
#include "core/param.h"
#include "domain/portal/portal.h"
#include "domain/registry/team.h"

static enum wg_rc reply_team(struct wg_req *req, int status, const struct wg_team *t)
{
    return wg_api_reply_versioned(req, status, t->row.version,
                                  wg_team_json(t, wg_cst_day((long long)time(NULL))));
}

enum wg_rc wg_api_grid_team_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_team t;
    struct wg_db *db;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_team_load(db, wg_api_registry_scope(req), req->params[0], &t, err)))
        return rc;
    rc = reply_team(req, 200, &t);
    wg_team_release(&t);
    return rc;
}

enum wg_rc wg_api_grid_team_put(struct wg_req *req, struct wg_err *err)
{
    const struct wg_actor *a = req->actor;
    struct wg_team t;
    struct wg_db *db;
    long long version = 0;
    char detail[48];
    enum wg_rc rc;
    /* a grid outside the scope is not there: nothing to record */
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_team_load(db, wg_api_registry_scope(req), req->params[0], &t, err)))
        return rc;
    wg_team_release(&t);
    rc = wg_api_if_match(req, "a version", 0, INT64_MAX, &version, err);
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL,
                          "the If-Match header with the team's version is required (\"0\" for a "
                          "grid with no team yet), so that two people cannot change it at once");
    if (rc)
        return rc;
    rc = wg_team_put(db, wg_api_registry_scope(req), req->params[0], version, req->json,
                     (long long)time(NULL), a ? a->username : "", &t, err);
    snprintf(detail, sizeof detail, "%zu members", rc ? (size_t)0 : t.n);
    rc = wg_api_audit(req, db, NULL, "team.update", "grid", req->params[0], rc ? NULL : detail, rc,
                      err);
    if (!rc)
        rc = reply_team(req, 200, &t);
    wg_team_release(&t);
    return rc;
}

/* GET /api/v1/public/grid?lon=&lat=[&crs=]: the card of the grid holding the point. Every
 * lookup counts against the caller's address (portal_cards_per_address), so the teams of a
 * district cannot be read off in bulk. */
enum wg_rc wg_api_public_grid(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    long long now = (long long)time(NULL);
    struct wg_locate_result r;
    struct wg_locator *loc;
    struct wg_db *db;
    json_t *out = NULL;
    double lon, lat;
    enum wg_crs crs;
    enum wg_rc rc;
    if ((rc = wg_param_coord(wg_req_query(req, "lon"), "lon", -180, 180, &lon, err)) ||
        (rc = wg_param_coord(wg_req_query(req, "lat"), "lat", -90, 90, &lat, err)))
        return rc;
    if ((rc = wg_crs_parse(wg_req_query(req, "crs"), &crs, err))) {
        wg_err_prefix(err, "'crs'");
        return rc;
    }
    if ((rc = wg_api_lookup_throttle(req, "card:address", app->portal.cards,
                                     app->portal.card_window, err)))
        return rc;
    loc = wg_locator_acquire(&app->locator);
    if (!loc)
        return wg_err_set(err, WG_EUNAVAIL, "the locate index is not built yet");
    rc = wg_locator_locate(loc, lon, lat, crs, &r, err);
    if (rc == WG_ENOTFOUND)
        rc = wg_err_set(err, WG_ENOTFOUND,
                        "point (%.6f, %.6f) lies in no grid of this district: pick a point "
                        "inside it",
                        r.lon, r.lat);
    if (!rc && !(rc = wg_api_db(req, &db, err)))
        rc = wg_team_card(db, &r, wg_cst_day(now), &out, err);
    wg_locator_release(loc);
    return rc ? rc : wg_reply_json(req, 200, out);
}
