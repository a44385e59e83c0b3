/* GET /api/v1/addresses?q=&limit=: where a place named in words lies — standard addresses
 * of buildings and houses, buildings' names, towns and villages — each with a point and its
 * grid (domain/registry/address.h); intake places an appeal with it. */
#include "api/app.h"
#include "api/handlers.h"
#include "core/param.h"
#include "domain/accounts/session.h"
#include "domain/registry/address.h"

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
    if (loc)
        wg_locator_release(loc);
    return rc ? rc : wg_reply_json(req, 200, json_pack("{s:o}", "addresses", out));
}
