/* Mediation bodies (domain/disputes/body.h): GET and POST /api/v1/mediation-bodies, GET and PUT
 * /api/v1/mediation-bodies/{id} (with If-Match); and the dispute figures, GET
 * /api/v1/stats/disputes (domain/disputes/case_count.h). Every change is audited. */
#include "api/app.h"
#include "api/handlers.h"
#include "api/registry/registry.h"

#include <time.h>

#include "domain/accounts/session.h"
#include "domain/disputes/body.h"
#include "domain/disputes/case_count.h"

static enum wg_rc reply_body(struct wg_req *req, struct wg_db *db, int status, long long id,
                             struct wg_err *err)
{
    struct wg_app *app = req->app;
    json_t *out = NULL;
    long long version = 0;
    const struct wg_actor *a = req->actor;
    enum wg_rc rc = wg_body_view(db, app->keys, &a->scope, id, &out, &version, err);
    if (rc)
        return rc;
    return wg_api_reply_versioned(req, status, version, out);
}

enum wg_rc wg_api_bodies_list(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    const struct wg_actor *a = req->actor;
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_body_list(db, app->keys, &a->scope, wg_req_query(req, "region"),
                           wg_req_query(req, "kind"), &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_bodies_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "mediation body", &id, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    return reply_body(req, db, 200, id, err);
}

static enum wg_rc save(struct wg_req *req, long long id, long long version, int status,
                       struct wg_err *err)
{
    const struct wg_actor *a = req->actor;
    struct wg_db *db;
    char idtext[24] = "";
    long long saved = 0;
    enum wg_rc rc = wg_api_db(req, &db, err);
    if (rc)
        return rc;
    rc = wg_body_save(db, &a->scope, req->json, id, version, a->username, (long long)time(NULL),
                      &saved, err);
    if (saved)
        snprintf(idtext, sizeof idtext, "%lld", saved);
    rc = wg_api_audit(req, db, NULL, id ? "mediation_body.update" : "mediation_body.create",
                      "mediation_body", idtext, NULL, rc, err);
    return rc ? rc : reply_body(req, db, status, saved, err);
}

enum wg_rc wg_api_bodies_create(struct wg_req *req, struct wg_err *err)
{
    return save(req, 0, 0, 201, err);
}

enum wg_rc wg_api_bodies_put(struct wg_req *req, struct wg_err *err)
{
    long long id, version;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "mediation body", &id, err)) ||
        (rc = wg_api_registry_version(req, "mediation body", &version, err)))
        return rc;
    return save(req, id, version, 200, err);
}

enum wg_rc wg_api_dispute_figures(struct wg_req *req, struct wg_err *err)
{
    struct wg_case_figures_query q = {wg_req_query(req, "region"), wg_req_query(req, "from"),
                                      wg_req_query(req, "to"), wg_req_query(req, "by")};
    const struct wg_actor *a = req->actor;
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_case_figures(db, &a->scope, &q, (long long)time(NULL), &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}
