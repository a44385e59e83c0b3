/* GET /healthz: the server is up, its store answers, and how many grids it locates. */
#include "api/app.h"
#include "api/handlers.h"
#include "store/map/map_q.h"

enum wg_rc wg_api_healthz(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_db *db;
    struct wg_locator *loc;
    long n = 0;
    enum wg_rc rc = wg_api_db(req, &db, err);
    if (rc)
        return rc;
    rc = wg_store_grid_count(db, "", &n, err);
    if (rc)
        return rc;
    loc = wg_locator_acquire(&app->locator);
    json_t *j = json_pack("{s:s,s:i,s:I,s:I}", "status", "ok", "schema_version",
                          wg_store_schema_version(app->store), "grids", (json_int_t)n,
                          "indexed_grids", (json_int_t)(loc ? wg_locator_grid_count(loc) : 0));
    wg_locator_release(loc);
    return wg_reply_json(req, 200, j);
}
