/* The grid workers' visits (domain/registry/visit.h): POST/GET /api/v1/visits, GET
 * /api/v1/visits/due, GET /api/v1/visits/{id}, POST /api/v1/visits/{id}/order. In one's
 * scope; a finding becomes an order through intake (api/orders/orders.c, channel
 * gridworker), the visit and the order written together; a phone's repeated upload under the
 * same client key answers the visit it made. Every write is audited, refusals too. */
#include "api/app.h"
#include "api/handlers.h"
#include "api/registry/registry.h"

#include <time.h>

#include "domain/accounts/session.h"
#include "domain/registry/visit.h"

#define FINDING_TITLE "走访发现的问题"

/* The visit and, when it carries one, its order: written in the intake's transaction. */
struct with_order {
    struct wg_visit *v;
    const struct wg_pii_keys *keys;
    struct wg_order_draft *draft;
    long long now;
    int link; /* an existing visit gets the order (else the visit is inserted) */
};

static enum wg_rc visit_tx(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct with_order *x = ctx;
    int changed = 0;
    enum wg_rc rc;
    x->v->order_id = x->draft ? x->draft->row.id : 0;
    if (x->draft)
        snprintf(x->v->order_number, sizeof x->v->order_number, "%s", x->draft->row.number);
    if (!x->link)
        return wg_visit_insert(db, x->keys, x->v, x->now, err);
    rc = wg_store_visit_set_order(db, x->v->id, x->v->order_id, &changed, err);
    if (!rc && !changed)
        rc = wg_err_set(err, WG_ECONFLICT, "visit %lld made an order already", x->v->id);
    return rc;
}

/* Takes the order of v's findings in (obj: the order's fields, or true) with the visit's
 * write (x) as the intake's own rows. */
static enum wg_rc take_order(struct wg_req *req, const json_t *obj, struct with_order *x,
                             struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_order_env env = wg_api_order_env(req);
    struct wg_order_input in;
    struct wg_order_draft draft;
    struct wg_locator *loc;
    char county[8];
    enum wg_rc rc;
    const struct wg_actor *a = req->actor;
    if (!a || !(a->perms & WG_P_ORDER_CREATE))
        return wg_err_set(err, WG_EFORBIDDEN,
                          "'order': making an order needs the order_create permission");
    if ((rc = wg_visit_order_input(obj, FINDING_TITLE, x->v->findings, x->v->grid, x->v->has_point,
                                   x->v->lon, x->v->lat, &in, county, err)))
        return rc;
    loc = wg_locator_acquire(&app->locator);
    rc = wg_order_prepare(&env, loc, req->actor, &in, x->now, &draft, err);
    wg_locator_release(loc);
    if (rc) {
        wg_err_prefix(err, "order");
        return rc;
    }
    x->draft = &draft;
    rc = wg_api_intake(req, &draft, "gridworker", visit_tx, x, err);
    x->draft = NULL;
    wg_order_draft_release(&draft);
    return rc;
}

/* The caller's username, whom a visit's content is shown to when they made it. */
static const char *viewer(const struct wg_req *req)
{
    const struct wg_actor *a = req->actor;
    return a ? a->username : NULL;
}

static enum wg_rc reply_visit(struct wg_req *req, int status, const struct wg_visit *v)
{
    return wg_reply_json(req, status, wg_visit_json(v, viewer(req)));
}

/* A repeated upload: the visit the caller recorded under this key, answered as it is. */
static enum wg_rc repeated(struct wg_req *req, struct wg_db *db, const struct wg_visit *v,
                           int *done, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_visit old;
    long long id = 0;
    const struct wg_actor *a = req->actor;
    enum wg_rc rc = WG_OK;
    *done = 0;
    if (!v->client_key[0] ||
        (rc = wg_visit_by_client(db, a ? a->username : "", v->client_key, &id, err)) || !id)
        return rc;
    if ((rc = wg_visit_load(db, app->keys, NULL, id, &old, err)))
        return rc;
    *done = 1;
    rc = reply_visit(req, 200, &old);
    wg_visit_release(&old);
    return rc;
}

enum wg_rc wg_api_visits_create(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_visit v;
    struct wg_db *db;
    json_t *order = NULL;
    long long now = (long long)time(NULL);
    char id[24];
    int done = 0;
    enum wg_rc rc = wg_visit_parse(&v, req->json, now, &order, err);
    if (!rc && !(rc = wg_api_db(req, &db, err)) && !(rc = repeated(req, db, &v, &done, err)) &&
        !done)
        rc = wg_visit_check(db, req->actor, &v, err);
    if (done) {
        wg_visit_release(&v);
        return rc;
    }
    struct with_order x = {&v, app->keys, NULL, now, 0};
    if (!rc && order) {
        rc = take_order(req, order, &x, err);
    } else if (!rc && !(rc = wg_db_begin(db, err))) {
        if ((rc = wg_visit_insert(db, app->keys, &v, now, err)) || (rc = wg_db_commit(db, err)))
            wg_db_rollback(db);
    }
    snprintf(id, sizeof id, "%lld", v.id);
    enum wg_rc arc = wg_api_db(req, &db, err);
    /* the record names the visit and its subject, never what was said */
    if (!arc)
        rc = wg_api_audit(req, db, NULL, "visit.create", "visit", v.id ? id : "",
                          v.subject_kind[0] ? v.subject_kind : NULL, rc, err);
    else if (!rc)
        rc = arc;
    if (!rc)
        rc = reply_visit(req, 201, &v);
    wg_visit_release(&v);
    return rc;
}

enum wg_rc wg_api_visits_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_visit v;
    struct wg_db *db;
    long long id;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "visit", &id, err)) ||
        (rc = wg_api_db(req, &db, err)) ||
        (rc = wg_visit_load(db, app->keys, wg_api_registry_scope(req), id, &v, err)))
        return rc;
    rc = reply_visit(req, 200, &v);
    wg_visit_release(&v);
    return rc;
}

enum wg_rc wg_api_visits_list(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_visit_query q = {wg_req_query(req, "grid"),       wg_req_query(req, "region"),
                               wg_req_query(req, "worker"),     wg_req_query(req, "subject_kind"),
                               wg_req_query(req, "subject_id"), wg_req_query(req, "from"),
                               wg_req_query(req, "to"),         wg_req_query(req, "limit"),
                               wg_req_query(req, "cursor"),     viewer(req)};
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_visit_list(db, app->keys, wg_api_registry_scope(req), &q, &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_visits_due(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_due_query q = {wg_req_query(req, "grid"), wg_req_query(req, "region"),
                             wg_req_query(req, "status"), wg_req_query(req, "limit"),
                             wg_req_query(req, "cursor")};
    struct wg_db *db;
    json_t *out = NULL;
    int sensitive = 0;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_api_registry_sensitive(req, db, &sensitive, err)) ||
        (rc = wg_visit_due_list(db, app->keys, app->calendar, &app->cadence,
                                wg_api_registry_scope(req), &q, sensitive, (long long)time(NULL),
                                &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

/* GET /api/v1/visits/due/grids?grid=|region=: the overdue visits by grid, for the map. */
enum wg_rc wg_api_visits_due_grids(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_visit_due_grids(db, app->keys, app->calendar, &app->cadence,
                                 wg_api_registry_scope(req), wg_req_query(req, "grid"),
                                 wg_req_query(req, "region"), (long long)time(NULL), &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

/* POST /api/v1/visits/{id}/order {type, item, title, content, urgency}: the visit's findings
 * as an order, once. */
enum wg_rc wg_api_visits_order(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_visit v;
    struct wg_db *db;
    long long id;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "visit", &id, err)) ||
        (rc = wg_api_db(req, &db, err)) ||
        (rc = wg_visit_load(db, app->keys, wg_api_registry_scope(req), id, &v, err)))
        return rc;
    struct with_order x = {&v, app->keys, NULL, (long long)time(NULL), 1};
    if (v.order_id)
        rc = wg_err_set(err, WG_ECONFLICT, "visit %lld made order %s already", id, v.order_number);
    else
        rc = take_order(req, req->json, &x, err);
    if (!(wg_api_db(req, &db, NULL)))
        rc = wg_api_audit(req, db, NULL, "visit.order", "visit", req->params[0],
                          v.order_number[0] ? v.order_number : NULL, rc, err);
    if (!rc)
        rc = reply_visit(req, 201, &v);
    wg_visit_release(&v);
    return rc;
}

/* POST /api/v1/visits/{id}/reveal {"field": "content" or "findings", "reason": "…"}: what was
 * said or found, in clear, to someone in scope who did not make the visit; on the record
 * before it leaves, a refusal too. */
enum wg_rc wg_api_visits_reveal(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    const char *field = wg_api_field(req, "field"), *reason = NULL;
    struct wg_visit v;
    struct wg_db *db;
    long long id;
    int loaded = 0;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "visit", &id, err)) ||
        (rc = wg_api_reveal_reason(req, &reason, err)) || (rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_visit_load(db, app->keys, wg_api_registry_scope(req), id, &v, err);
    loaded = rc == WG_OK;
    if (!rc && (!field || (strcmp(field, "content") && strcmp(field, "findings"))))
        rc = wg_err_set(err, WG_EINVAL, "'field' must be content or findings");
    if (!rc)
        out = json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "field", field, "value",
                        !strcmp(field, "content") ? v.content : v.findings);
    rc = wg_api_reveal_audit(req, db, "visit", req->params[0], field ? field : "(none)", reason, rc,
                             err);
    if (loaded)
        wg_visit_release(&v);
    if (rc) {
        json_decref(out);
        return rc;
    }
    return wg_reply_json(req, 200, out);
}
