/* Work orders: POST /api/v1/orders (intake from every channel), GET /api/v1/orders/{id}. */
#include "api/app.h"
#include "api/handlers.h"

#include <time.h>

#include "domain/order.h"

static enum wg_rc parse_id(const char *s, long long *id, struct wg_err *err)
{
    char *end;
    *id = strtoll(s, &end, 10);
    if (!*s || *end || *id <= 0)
        return wg_err_set(err, WG_ENOTFOUND, "order '%.20s' does not exist", s);
    return WG_OK;
}

enum wg_rc wg_api_orders_create(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_order_env env = {app->keys, &app->catalog, app->calendar};
    const struct wg_actor *actor = req->actor;
    struct wg_order_input in;
    struct wg_locator *loc;
    struct wg_db *db;
    long long id = 0;
    json_t *out = NULL;
    char idtext[24];
    enum wg_rc rc;
    if ((rc = wg_order_parse(req->json, &in, err)))
        return rc;
    if ((rc = wg_store_get(app->store, &db, err)))
        return rc;
    loc = wg_locator_acquire(&app->locator);
    rc = wg_order_create(db, &env, loc, actor, &in, (long long)time(NULL), &id, err);
    wg_locator_release(loc);
    snprintf(idtext, sizeof idtext, "%lld", id);
    rc = wg_api_audit(req, db, NULL, "order.create", "order", rc ? "" : idtext, in.channel, rc,
                      err);
    if (!rc)
        rc = wg_order_json(db, &env, actor, id, 1, &out, err);
    wg_store_put(db);
    return rc ? rc : wg_reply_json(req, 201, out);
}

enum wg_rc wg_api_orders_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_order_env env = {app->keys, &app->catalog, app->calendar};
    struct wg_db *db;
    json_t *out = NULL;
    long long id;
    enum wg_rc rc;
    if ((rc = parse_id(req->params[0], &id, err)) || (rc = wg_store_get(app->store, &db, err)))
        return rc;
    rc = wg_order_json(db, &env, req->actor, id, 1, &out, err);
    wg_store_put(db);
    if (rc)
        return rc;
    /* the ETag is the version: send it back as If-Match with a change */
    req->extra_header_name = "ETag";
    req->extra_header_value =
        wg_arena_printf(req->arena, "\"%lld\"", json_integer_value(json_object_get(out, "version")));
    return wg_reply_json(req, 200, out);
}

static void query_of(struct wg_req *req, struct wg_order_query *q)
{
    q->state = wg_req_query(req, "state");
    q->channel = wg_req_query(req, "channel");
    q->item = wg_req_query(req, "item");
    q->grid = wg_req_query(req, "grid");
    q->phone = wg_req_query(req, "phone");
    q->since = wg_req_query(req, "since");
    q->until = wg_req_query(req, "until");
    q->q = wg_req_query(req, "q");
    q->limit = wg_req_query(req, "limit");
    q->offset = wg_req_query(req, "offset");
}

enum wg_rc wg_api_orders_list(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_order_env env = {app->keys, &app->catalog, app->calendar};
    struct wg_order_query q;
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    query_of(req, &q);
    if ((rc = wg_store_get(app->store, &db, err)))
        return rc;
    rc = wg_order_list(db, &env, req->actor, &q, &out, err);
    wg_store_put(db);
    return rc ? rc : wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_orders_csv(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_order_env env = {app->keys, &app->catalog, app->calendar};
    struct wg_order_query q;
    struct wg_db *db;
    char *csv = NULL;
    size_t len = 0;
    enum wg_rc rc;
    query_of(req, &q);
    if ((rc = wg_store_get(app->store, &db, err)))
        return rc;
    rc = wg_order_csv(db, &env, req->actor, &q, &csv, &len, err);
    wg_store_put(db);
    if (rc)
        return rc;
    req->extra_header_name = "Content-Disposition";
    req->extra_header_value = "attachment; filename=\"orders.csv\"";
    return wg_reply_owned(req, 200, "text/csv; charset=utf-8", csv, len);
}

/* If-Match: "3", 3 or W/"3" — the version the client read (GET answers it as the ETag). */
static enum wg_rc if_match(struct wg_req *req, int *version, struct wg_err *err)
{
    const char *h = wg_req_header(req, "If-Match");
    char *end;
    long v;
    if (!h)
        return wg_err_set(err, WG_EINVAL, "the If-Match header with the order's version is "
                                          "required, so that two people cannot change it at once");
    if (!strncmp(h, "W/", 2))
        h += 2;
    if (*h == '"')
        h++;
    v = strtol(h, &end, 10);
    if (end == h || (*end && strcmp(end, "\"")) || v < 1 || v > 1000000000)
        return wg_err_set(err, WG_EINVAL, "If-Match '%.20s' is not an order version", h);
    *version = (int)v;
    return WG_OK;
}

enum wg_rc wg_api_orders_act(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_order_env env = {app->keys, &app->catalog, app->calendar};
    struct wg_db *db;
    json_t *out = NULL;
    long long id;
    int version = 0;
    char action[64];
    enum wg_rc rc;
    if ((rc = parse_id(req->params[0], &id, err)) || (rc = if_match(req, &version, err)))
        return rc;
    if ((rc = wg_store_get(app->store, &db, err)))
        return rc;
    rc = wg_order_act(db, &env, req->actor, id, req->params[1], req->json, version,
                      (long long)time(NULL), &out, err);
    snprintf(action, sizeof action, "order.%s", req->params[1]);
    if (rc != WG_ENOTFOUND && rc != WG_EINVAL) /* every attempt on a real order is on record */
        rc = wg_api_audit(req, db, NULL, rc ? "order.action_refused" : action, "order",
                          req->params[0], rc ? req->params[1] : NULL, rc, err);
    wg_store_put(db);
    if (rc) {
        json_decref(out);
        return rc;
    }
    return wg_reply_json(req, 200, out);
}
