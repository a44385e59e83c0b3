/* The grid workers' patrols (domain/registry/patrol.h): POST/GET /api/v1/patrols, GET
 * /api/v1/patrols/coverage and /checklist, GET /api/v1/patrols/{id}, POST …/{id}/points,
 * …/{id}/stop and …/{id}/order. A patrol is its worker's to record; everyone with the
 * registry in scope reads it. Starts, stops and orders are audited; track batches are not
 * (their keys make them idempotent, and the patrol's summary counts them). */
#include "api/app.h"
#include "api/handlers.h"
#include "api/registry/registry.h"

#include <time.h>

#include "domain/registry/patrol.h"
#include "domain/registry/visit.h"

static enum wg_rc reply_patrol(struct wg_req *req, struct wg_db *db, int status,
                               const struct wg_patrol *p, int with_track, struct wg_err *err)
{
    struct wg_app *app = req->app;
    json_t *out = NULL;
    enum wg_rc rc = wg_patrol_json(db, app->keys, p, with_track, &out, err);
    return rc ? rc : wg_reply_json(req, status, out);
}

static enum wg_rc audited(struct wg_req *req, const char *action, const char *id,
                          const char *detail, enum wg_rc rc, struct wg_err *err)
{
    struct wg_db *db;
    enum wg_rc arc = wg_api_db(req, &db, NULL);
    if (arc)
        return rc ? rc : wg_err_set(err, arc, "the audit log could not be reached");
    return wg_api_audit(req, db, NULL, action, "patrol", id, detail, rc, err);
}

enum wg_rc wg_api_patrols_start(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_patrol p = {0};
    struct wg_db *db;
    char id[24] = "";
    int existed = 0;
    enum wg_rc rc = wg_api_db(req, &db, err);
    if (!rc)
        rc = wg_patrol_start(db, app->keys, req->actor, req->json, (long long)time(NULL), &p,
                             &existed, err);
    if (existed) {
        rc = reply_patrol(req, db, 200, &p, 0, err);
        wg_patrol_release(&p);
        return rc;
    }
    if (!rc)
        snprintf(id, sizeof id, "%lld", p.id);
    rc = audited(req, "patrol.start", id, rc ? NULL : p.grid, rc, err);
    if (!rc && !(rc = wg_api_db(req, &db, err)))
        rc = reply_patrol(req, db, 201, &p, 0, err);
    wg_patrol_release(&p);
    return rc;
}

enum wg_rc wg_api_patrols_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_patrol p;
    struct wg_db *db;
    long long id;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "patrol", &id, err)) ||
        (rc = wg_api_db(req, &db, err)) ||
        (rc = wg_patrol_load(db, app->keys, wg_api_registry_scope(req), id, &p, err)))
        return rc;
    rc = reply_patrol(req, db, 200, &p, 1, err);
    wg_patrol_release(&p);
    return rc;
}

enum wg_rc wg_api_patrols_list(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_visit_query q = {wg_req_query(req, "grid"),
                               wg_req_query(req, "region"),
                               wg_req_query(req, "worker"),
                               NULL,
                               NULL,
                               wg_req_query(req, "from"),
                               wg_req_query(req, "to"),
                               wg_req_query(req, "limit"),
                               wg_req_query(req, "cursor"),
                               NULL};
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_patrol_list(db, app->keys, wg_api_registry_scope(req), &q, &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_patrols_points(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_patrol p;
    struct wg_db *db;
    long long id;
    int added = 0;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "patrol", &id, err)) ||
        (rc = wg_api_db(req, &db, err)) ||
        (rc = wg_patrol_points(db, app->keys, req->actor, id, req->json, (long long)time(NULL),
                               &added, err)) ||
        (rc = wg_patrol_load(db, app->keys, NULL, id, &p, err)))
        return rc;
    json_t *out = json_pack("{s:I,s:b,s:I,s:f}", "id", (json_int_t)id, "added", added, "points",
                            (json_int_t)p.points, "distance_m", p.distance_m);
    wg_patrol_release(&p);
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_patrols_stop(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_patrol p;
    struct wg_db *db;
    long long id;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "patrol", &id, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_patrol_stop(db, app->keys, &app->patrol, req->actor, id, req->json,
                        (long long)time(NULL), err);
    if (rc != WG_ENOTFOUND)
        rc = audited(req, "patrol.stop", req->params[0], NULL, rc, err);
    if (rc || (rc = wg_api_db(req, &db, err)) ||
        (rc = wg_patrol_load(db, app->keys, NULL, id, &p, err)))
        return rc;
    rc = reply_patrol(req, db, 200, &p, 0, err);
    wg_patrol_release(&p);
    return rc;
}

/* The order and its link to the patrol, written in the intake's transaction. */
struct link {
    struct wg_order_draft *draft;
    long long patrol, now;
};

static enum wg_rc link_tx(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct link *l = ctx;
    return wg_store_patrol_order_add(db, l->draft->row.id, l->patrol, l->now, err);
}

/* POST /api/v1/patrols/{id}/order {type, item, title, content, urgency, lon, lat} */
enum wg_rc wg_api_patrols_order(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_order_env env = wg_api_order_env(req);
    struct wg_order_input in;
    struct wg_order_draft draft;
    struct wg_patrol p;
    struct wg_db *db;
    struct wg_locator *loc;
    json_t *lon = json_object_get(req->json, "lon"), *lat = json_object_get(req->json, "lat");
    long long id, now = (long long)time(NULL);
    char county[8];
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "patrol", &id, err)) ||
        (rc = wg_api_db(req, &db, err)) ||
        (rc = wg_patrol_load(db, app->keys, wg_api_registry_scope(req), id, &p, err)))
        return rc;
    if ((lon || lat) && (!json_is_number(lon) || !json_is_number(lat)))
        rc = wg_err_set(err, WG_EINVAL, "'lon' and 'lat' must both be numbers (WGS 84)");
    else
        rc = wg_visit_order_input(req->json, "巡查发现的问题", NULL, p.grid, lon != NULL,
                                  json_number_value(lon), json_number_value(lat), &in, county, err);
    if (!rc) {
        loc = wg_locator_acquire(&app->locator);
        rc = wg_order_prepare(&env, loc, req->actor, &in, now, &draft, err);
        wg_locator_release(loc);
        if (!rc) {
            struct link l = {&draft, id, now};
            rc = wg_api_intake(req, &draft, "gridworker", link_tx, &l, err);
        }
    }
    char number[40] = "";
    long long order_id = rc ? 0 : draft.row.id;
    if (!rc) {
        snprintf(number, sizeof number, "%s", draft.row.number);
        wg_order_draft_release(&draft);
    }
    wg_patrol_release(&p);
    rc = audited(req, "patrol.order", req->params[0], number[0] ? number : NULL, rc, err);
    if (rc)
        return rc;
    return wg_reply_json(req, 201,
                         json_pack("{s:I,s:{s:I,s:s}}", "patrol", (json_int_t)id, "order", "id",
                                   (json_int_t)order_id, "number", number));
}

enum wg_rc wg_api_patrols_coverage(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_patrol_coverage(db, wg_api_registry_scope(req), wg_req_query(req, "grid"),
                                 wg_req_query(req, "month"), &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_patrols_checklist(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    json_t *places = json_array();
    (void)err;
    for (int i = 0; i < app->patrol.nplaces; i++)
        json_array_append_new(places, json_string(app->patrol.places[i]));
    return wg_reply_json(
        req, 200, json_pack("{s:o,s:i}", "places", places, "track_days", app->patrol.track_days));
}
