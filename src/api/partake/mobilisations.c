/* Mobilisations (domain/partake/mobilise.h): GET and POST /api/v1/mobilisations, GET
 * /api/v1/mobilisations/{id} and POST …/{id}/reports. Every write is audited, refusals too. */
#include "api/app.h"
#include "api/handlers.h"
#include "api/registry/registry.h"

#include <time.h>

#include "domain/accounts/session.h"
#include "domain/partake/mobilise.h"

enum wg_rc wg_api_mobilisations_list(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_mob_list(db, req->actor, wg_req_query(req, "limit"), wg_req_query(req, "cursor"),
                          (long long)time(NULL), &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

static enum wg_rc reply_mob(struct wg_req *req, struct wg_db *db, long long id, int status,
                            struct wg_err *err)
{
    json_t *out = NULL;
    enum wg_rc rc = wg_mob_view(db, req->actor, id, (long long)time(NULL), &out, err);
    return rc ? rc : wg_reply_json(req, status, out);
}

enum wg_rc wg_api_mobilisations_create(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_db *db;
    long long id = 0;
    int n = 0;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_mob_create(db, app->calendar, req->actor, req->json, (long long)time(NULL), &id, &n,
                       err);
    rc = wg_api_audit(req, db, NULL, "mobilisation.create", "mobilisation",
                      id ? wg_arena_printf(req->arena, "%lld", id) : NULL,
                      rc ? NULL : wg_arena_printf(req->arena, "%d teams", n), rc, err);
    return rc ? rc : reply_mob(req, db, id, 201, err);
}

enum wg_rc wg_api_mobilisations_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "mobilisation", &id, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    return reply_mob(req, db, id, 200, err);
}

enum wg_rc wg_api_mobilisations_report(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id = 0;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "mobilisation", &id, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_mob_report(db, req->actor, id, req->json, (long long)time(NULL), err);
    rc = wg_api_audit(req, db, NULL, "mobilisation.report", "mobilisation", req->params[0],
                      rc ? NULL
                         : wg_arena_printf(req->arena, "%s %s", wg_api_field(req, "kind"),
                                           wg_api_field(req, "step")),
                      rc, err);
    return rc ? rc : reply_mob(req, db, id, 200, err);
}
