/* Things of the registry (部件, domain/registry/thing.h): GET/POST /api/v1/things, GET/PUT
 * /api/v1/things/{code}, GET/POST /api/v1/things/{code}/orders (the orders linked to it).
 * Read in one's scope; a change needs If-Match with the version read; every write is
 * audited, refusals too, and a change of state says so in its record. */
#include "api/app.h"
#include "api/handlers.h"
#include "api/registry/registry.h"

#include <time.h>

#include "core/param.h"
#include "domain/registry/thing.h"

static enum wg_rc reply_thing(struct wg_req *req, int status, const struct wg_thing_row *t)
{
    return wg_api_reply_versioned(req, status, t->version, wg_thing_json(t));
}

struct page {
    json_t *arr;
    long long limit;
    char last[WG_THING_CODE_LEN + 1];
    int more;
};

static int add_thing(const struct wg_thing_row *t, void *ctx)
{
    struct page *p = ctx;
    if ((long long)json_array_size(p->arr) == p->limit) {
        p->more = 1;
        return 1;
    }
    json_array_append_new(p->arr, wg_thing_json(t));
    snprintf(p->last, sizeof p->last, "%s", t->code);
    return 0;
}

/* GET /api/v1/things?grid=&region=&state=&q=&limit=&cursor= (the cursor: the last code) */
enum wg_rc wg_api_things_list(struct wg_req *req, struct wg_err *err)
{
    const char *state = wg_req_query(req, "state"), *q = wg_req_query(req, "q");
    const char *cursor = wg_req_query(req, "cursor");
    struct page p = {NULL, 50, "", 0};
    char lo[32], hi[33];
    struct wg_db *db;
    enum wg_rc rc;
    if ((rc = wg_param_count(wg_req_query(req, "limit"), "limit", 1, 200, &p.limit, err)))
        return rc;
    if (cursor &&
        (strlen(cursor) != WG_THING_CODE_LEN || strspn(cursor, "0123456789") != WG_THING_CODE_LEN))
        return wg_err_set(err, WG_EINVAL,
                          "'cursor' is not a cursor of this list; pass the next_cursor of the "
                          "page before");
    if (state) {
        size_t k = 0;
        while (wg_thing_states[k] && strcmp(wg_thing_states[k], state))
            k++;
        if (!wg_thing_states[k])
            return wg_err_set(err, WG_EINVAL,
                              "'state' must be intact, damaged, lost, abandoned or removed");
    }
    if ((q && (rc = wg_param_text(q, "q", 4 * 40, err))) ||
        (rc = wg_registry_range(wg_api_registry_scope(req), wg_req_query(req, "grid"),
                                wg_req_query(req, "region"), lo, hi, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    p.arr = wg_api_keep(req, json_array());
    if ((rc = wg_store_thing_list(db, lo, hi, cursor ? cursor : "", "", state ? state : "",
                                  q ? q : "", (int)p.limit + 1, add_thing, &p, err)))
        return rc;
    return wg_reply_json(req, 200,
                         json_pack("{s:O,s:o}", "things", p.arr, "next_cursor",
                                   p.more ? json_string(p.last) : json_null()));
}

/* Applies the body and stores it in one transaction; audited with the state's change. */
static enum wg_rc save(struct wg_req *req, struct wg_db *db, struct wg_thing_row *t,
                       long long expect, const char *action, struct wg_err *err)
{
    char klass[5], was[12], detail[96];
    enum wg_rc rc;
    snprintf(was, sizeof was, "%s", t->state);
    rc = wg_thing_apply(t, req->json, klass, err);
    if (!rc && !(rc = wg_db_begin(db, err))) {
        rc = wg_thing_save(db, wg_api_registry_scope(req), t, klass, expect, (long long)time(NULL),
                           err);
        if (!rc)
            rc = wg_db_commit(db, err);
        if (rc)
            wg_db_rollback(db);
    }
    if (!*was)
        snprintf(detail, sizeof detail, "state %s", t->state);
    else if (strcmp(was, t->state))
        snprintf(detail, sizeof detail, "state %s -> %s", was, t->state);
    else
        detail[0] = '\0';
    return wg_api_audit(req, db, NULL, action, "thing", t->code, rc ? NULL : detail, rc, err);
}

enum wg_rc wg_api_things_create(struct wg_req *req, struct wg_err *err)
{
    struct wg_thing_row t;
    struct wg_db *db;
    enum wg_rc rc;
    memset(&t, 0, sizeof t);
    if ((rc = wg_api_db(req, &db, err)) || (rc = save(req, db, &t, 0, "thing.create", err)))
        return rc;
    return reply_thing(req, 201, &t);
}

enum wg_rc wg_api_things_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_thing_row t;
    struct wg_db *db;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_thing_get(db, wg_api_registry_scope(req), req->params[0], &t, err)))
        return rc;
    return reply_thing(req, 200, &t);
}

enum wg_rc wg_api_things_update(struct wg_req *req, struct wg_err *err)
{
    struct wg_thing_row t;
    struct wg_db *db;
    long long version = 0;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_thing_get(db, wg_api_registry_scope(req), req->params[0], &t, err)) ||
        (rc = wg_api_registry_version(req, "thing", &version, err)))
        return rc;
    if (t.version != version) {
        rc = wg_err_set(err, WG_EPRECOND,
                        "thing '%s' is at version %lld, not %lld: someone changed it since you "
                        "read it; read it again",
                        t.code, t.version, version);
        return wg_api_audit(req, db, NULL, "thing.update", "thing", t.code, NULL, rc, err);
    }
    if ((rc = save(req, db, &t, version, "thing.update", err)))
        return rc;
    return reply_thing(req, 200, &t);
}

static int add_link(const struct wg_thing_link_row *l, void *ctx)
{
    json_array_append_new(ctx, json_pack("{s:I,s:s,s:s,s:s,s:I}", "order", (json_int_t)l->order,
                                         "number", l->number, "state", l->state, "linked_by", l->by,
                                         "linked_at", (json_int_t)l->at));
    return 0;
}

/* GET /api/v1/things/{code}/orders: the newest 200 orders linked to it */
enum wg_rc wg_api_things_orders(struct wg_req *req, struct wg_err *err)
{
    struct wg_thing_row t;
    struct wg_db *db;
    json_t *arr;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_thing_get(db, wg_api_registry_scope(req), req->params[0], &t, err)))
        return rc;
    arr = wg_api_keep(req, json_array());
    if ((rc = wg_store_thing_links(db, t.code, 200, add_link, arr, err)))
        return rc;
    return wg_reply_json(req, 200, json_pack("{s:s,s:O}", "thing", t.code, "orders", arr));
}

/* POST /api/v1/things/{code}/orders {"order": id}: the order is about this thing */
enum wg_rc wg_api_things_link(struct wg_req *req, struct wg_err *err)
{
    const struct wg_actor *a = req->actor;
    json_t *v = json_object_get(req->json, "order");
    struct wg_thing_row t;
    struct wg_db *db;
    char detail[48];
    long long order;
    enum wg_rc rc;
    if (!json_is_integer(v) || json_integer_value(v) < 1)
        return wg_err_set(err, WG_EINVAL, "'order' must be an order's id (a whole number)");
    order = json_integer_value(v);
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_thing_get(db, wg_api_registry_scope(req), req->params[0], &t, err)))
        return rc;
    if (!(rc = wg_db_begin(db, err))) {
        rc = wg_thing_link(db, wg_api_registry_scope(req), t.code, order, a ? a->username : "",
                           (long long)time(NULL), err);
        if (!rc)
            rc = wg_db_commit(db, err);
        if (rc)
            wg_db_rollback(db);
    }
    snprintf(detail, sizeof detail, "order %lld", order);
    if ((rc = wg_api_audit(req, db, NULL, "thing.link", "thing", t.code, detail, rc, err)))
        return rc;
    return wg_reply_json(req, 201,
                         json_pack("{s:s,s:I}", "thing", t.code, "order", (json_int_t)order));
}
