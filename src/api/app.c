/* The snapshots in force of a running server (api/app.h): the locate index, rebuilt when
 * the grid epoch moves, and the dispatch catalog, reloaded when a newer version is stored;
 * and the catalog a request holds until it ends. */
#include "api/app.h"

#include "core/clock.h"
#include "core/log.h"
#include "store/catalog/catalog_q.h"
#include "store/map/map_q.h"

enum wg_rc wg_app_locator_refresh(struct wg_app *app, int force, struct wg_err *err)
{
    struct wg_db *db;
    struct wg_locator *loc;
    long long epoch = 0;
    uint64_t t0 = wg_clock_us();
    enum wg_rc rc = wg_store_get(app->store, &db, err);
    if (rc)
        return rc;
    rc = wg_store_meta_get(db, "grid_epoch", &epoch, err);
    if (!rc && (force || epoch != app->grid_epoch)) {
        rc = wg_locator_build(db, &loc, err);
        if (!rc) {
            wg_locator_publish(&app->locator, loc);
            app->grid_epoch = epoch;
            wg_info("locate index built: %zu grids in %.1f ms (grid epoch %lld)",
                    wg_locator_grid_count(loc), (double)(wg_clock_us() - t0) / 1000.0, epoch);
        }
    }
    wg_store_put(db);
    return rc;
}

enum wg_rc wg_app_catalog_refresh(struct wg_app *app, struct wg_err *err)
{
    struct wg_db *db;
    struct wg_catalog_snap *snap = NULL;
    long long head = 0;
    enum wg_rc rc = wg_store_get(app->store, &db, err);
    if (rc)
        return rc;
    rc = wg_store_catalog_head(db, &head, err);
    if (!rc) {
        struct wg_catalog_snap *cur = wg_catalog_slot_acquire(&app->catalogs);
        if (!cur || cur->snap.version != head)
            rc = wg_catalog_store_load(db, &snap, err);
        wg_catalog_snap_release(cur);
    }
    wg_store_put(db);
    if (snap) {
        wg_catalog_slot_publish(&app->catalogs, snap);
        wg_info("dispatch catalog version %lld in force (%zu items)", snap->snap.version,
                snap->cat.n);
    }
    return rc;
}

static void drop_snap(void *p)
{
    wg_catalog_snap_release(p);
}

const struct wg_catalog *wg_api_catalog(struct wg_req *req)
{
    struct wg_app *app = req->app;
    struct wg_catalog_snap *snap = wg_catalog_slot_acquire(&app->catalogs);
    if (!snap)
        return NULL;
    wg_arena_defer(req->arena, drop_snap, snap);
    return &snap->cat;
}
