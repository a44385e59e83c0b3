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
    rc = wg_order_create(db, app->keys, loc, actor, &in, (long long)time(NULL), &id, err);
    wg_locator_release(loc);
    snprintf(idtext, sizeof idtext, "%lld", id);
    rc = wg_api_audit(req, db, NULL, "order.create", "order", rc ? "" : idtext, in.channel, rc,
                      err);
    if (!rc)
        rc = wg_order_json(db, app->keys, actor, id, 1, &out, err);
    wg_store_put(db);
    return rc ? rc : wg_reply_json(req, 201, out);
}

enum wg_rc wg_api_orders_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_db *db;
    json_t *out = NULL;
    long long id;
    enum wg_rc rc;
    if ((rc = parse_id(req->params[0], &id, err)) || (rc = wg_store_get(app->store, &db, err)))
        return rc;
    rc = wg_order_json(db, app->keys, req->actor, id, 1, &out, err);
    wg_store_put(db);
    return rc ? rc : wg_reply_json(req, 200, out);
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
    struct wg_order_query q;
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    query_of(req, &q);
    if ((rc = wg_store_get(app->store, &db, err)))
        return rc;
    rc = wg_order_list(db, app->keys, req->actor, &q, &out, err);
    wg_store_put(db);
    return rc ? rc : wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_orders_csv(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_order_query q;
    struct wg_db *db;
    char *csv = NULL;
    size_t len = 0;
    enum wg_rc rc;
    query_of(req, &q);
    if ((rc = wg_store_get(app->store, &db, err)))
        return rc;
    rc = wg_order_csv(db, app->keys, req->actor, &q, &csv, &len, err);
    wg_store_put(db);
    if (rc)
        return rc;
    req->extra_header_name = "Content-Disposition";
    req->extra_header_value = "attachment; filename=\"orders.csv\"";
    return wg_reply_owned(req, 200, "text/csv; charset=utf-8", csv, len);
}
