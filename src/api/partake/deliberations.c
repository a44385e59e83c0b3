/* Deliberations (一事一议, domain/partake/deliberation.h): GET/POST /api/v1/deliberations,
 * one deliberation (with its ETag), its steps under If-Match, the communities' needs,
 * resources and projects lists, and the public board GET /api/v1/public/notices. Every write
 * is audited, refusals too, naming the deliberation. */
#include "api/app.h"
#include "api/handlers.h"
#include "api/registry/registry.h"

#include <time.h>

#include "domain/partake/deliberation.h"

static struct wg_delib_env env_of(struct wg_req *req)
{
    struct wg_app *app = req->app;
    struct wg_delib_env env = {app->keys, app->calendar};
    return env;
}

static enum wg_rc reply_delib(struct wg_req *req, struct wg_db *db, long long id, int status,
                              struct wg_err *err)
{
    json_t *out = NULL;
    long long version = 0;
    enum wg_rc rc = wg_delib_view(db, req->actor, id, &out, &version, err);
    if (rc)
        return rc;
    return wg_api_reply_versioned(req, status, version, out);
}

enum wg_rc wg_api_delibs_list(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_delib_list(db, req->actor, wg_req_query(req, "state"), wg_req_query(req, "limit"),
                            wg_req_query(req, "cursor"), &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_delibs_create(struct wg_req *req, struct wg_err *err)
{
    struct wg_delib_env env = env_of(req);
    struct wg_db *db;
    long long id = 0;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_delib_create(db, &env, req->actor, req->json, (long long)time(NULL), &id, err);
    rc = wg_api_audit(req, db, NULL, "deliberation.create", "deliberation",
                      id ? wg_arena_printf(req->arena, "%lld", id) : NULL,
                      wg_api_field(req, "place"), rc, err);
    return rc ? rc : reply_delib(req, db, id, 201, err);
}

enum wg_rc wg_api_delibs_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "deliberation", &id, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    return reply_delib(req, db, id, 200, err);
}

enum wg_rc wg_api_delibs_step(struct wg_req *req, struct wg_err *err)
{
    struct wg_delib_env env = env_of(req);
    struct wg_db *db;
    long long id = 0, version = 0;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "deliberation", &id, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_api_registry_version(req, "deliberation", &version, err);
    if (!rc)
        rc =
            wg_delib_step(db, &env, req->actor, id, version, req->json, (long long)time(NULL), err);
    rc = wg_api_audit(req, db, NULL, "deliberation.step", "deliberation", req->params[0],
                      wg_api_field(req, "step"), rc, err);
    return rc ? rc : reply_delib(req, db, id, 200, err);
}

enum wg_rc wg_api_delibs_lists(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_partake_items(db, req->actor, wg_req_query(req, "community"),
                               wg_req_query(req, "kind"), &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_delibs_list_add(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id = 0;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_partake_item_add(db, req->actor, req->json, (long long)time(NULL), &id, err);
    rc = wg_api_audit(req, db, NULL, "partake_list.add", "partake_list",
                      id ? wg_arena_printf(req->arena, "%lld", id) : NULL,
                      wg_api_field(req, "kind"), rc, err);
    return rc ? rc
              : wg_reply_json(req, 201,
                              json_pack("{s:I,s:s?,s:s?,s:s?}", "id", (json_int_t)id, "community",
                                        wg_api_field(req, "community"), "kind",
                                        wg_api_field(req, "kind"), "title",
                                        wg_api_field(req, "title")));
}

enum wg_rc wg_api_public_notices(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_delib_notices(db, wg_req_query(req, "grid"), wg_req_query(req, "village"),
                               (long long)time(NULL), &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}
