/* The wish wall (domain/partake/wish.h): GET/POST /api/v1/wishes, one wish (with its ETag),
 * its claim, fulfilment and withdrawal under If-Match, and the public wall
 * GET /api/v1/public/wishes. Every write is audited, refusals too, naming the wish. */
#include "api/app.h"
#include "api/handlers.h"
#include "api/registry/registry.h"

#include <time.h>

#include "domain/partake/wish.h"

static enum wg_rc reply_wish(struct wg_req *req, struct wg_db *db, long long id, int status,
                             struct wg_err *err)
{
    json_t *out = NULL;
    long long version = 0;
    enum wg_rc rc = wg_wish_view(db, req->actor, id, &out, &version, err);
    if (rc)
        return rc;
    return wg_api_reply_versioned(req, status, version, out);
}

enum wg_rc wg_api_wishes_list(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_wish_list(db, req->actor, wg_req_query(req, "state"), wg_req_query(req, "limit"),
                           wg_req_query(req, "cursor"), &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_wishes_create(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_db *db;
    long long id = 0;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_wish_publish(db, app->keys, req->actor, req->json, (long long)time(NULL), &id, err);
    const json_t *order = json_object_get(req->json, "order");
    rc = wg_api_audit(req, db, NULL, "wish.publish", "wish",
                      id ? wg_arena_printf(req->arena, "%lld", id) : NULL,
                      json_is_integer(order) ? wg_arena_printf(req->arena, "order %lld",
                                                               (long long)json_integer_value(order))
                                             : NULL,
                      rc, err);
    return rc ? rc : reply_wish(req, db, id, 201, err);
}

enum wg_rc wg_api_wishes_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "wish", &id, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    return reply_wish(req, db, id, 200, err);
}

static enum wg_rc act(struct wg_req *req, const char *action, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_db *db;
    long long id = 0, version = 0;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "wish", &id, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_api_registry_version(req, "wish", &version, err);
    if (!rc)
        rc = wg_wish_act(db, app->keys, req->actor, id, version, action, req->json,
                         (long long)time(NULL), err);
    rc = wg_api_audit(req, db, NULL, wg_arena_printf(req->arena, "wish.%s", action), "wish",
                      req->params[0], wg_api_field(req, "as"), rc, err);
    return rc ? rc : reply_wish(req, db, id, 200, err);
}

enum wg_rc wg_api_wishes_claim(struct wg_req *req, struct wg_err *err)
{
    return act(req, "claim", err);
}

enum wg_rc wg_api_wishes_fulfil(struct wg_req *req, struct wg_err *err)
{
    return act(req, "fulfil", err);
}

enum wg_rc wg_api_wishes_withdraw(struct wg_req *req, struct wg_err *err)
{
    return act(req, "withdraw", err);
}

enum wg_rc wg_api_public_wishes(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_wish_public_list(db, wg_req_query(req, "grid"), wg_req_query(req, "village"),
                                  wg_req_query(req, "state"), wg_req_query(req, "limit"),
                                  wg_req_query(req, "cursor"), &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}
