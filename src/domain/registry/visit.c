/* Visits (visit.h): a body read and checked, the subject and the worker checked against the
 * store, the content and findings sealed, a visit opened and answered, lists in scope. */
#include "domain/registry/visit.h"

#include <math.h>
#include <stdlib.h>

#include <sodium.h>

#include "core/alloc.h"
#include "core/jfield.h"
#include "core/param.h"
#include "domain/orders/order.h"
#include "store/accounts/accounts_q.h"
#include "store/registry/orgs_q.h"
#include "store/registry/registry_q.h"

/* The subjects a visit may have: each kind here and in subject_grid below, nowhere else. */
const char *const wg_visit_subject_kinds[] = {"person", "household", "org", NULL};
const char *const wg_visit_methods[] = {"door", "phone", "video", NULL};
const char *const wg_visit_fields[] = {
    "client_key", "subject",    "subject.kind", "subject.id",    "worker",        "visited_at",
    "lon",        "lat",        "method",       "content",       "findings",      "order",
    "order.type", "order.item", "order.title",  "order.content", "order.urgency", NULL};
const char *const wg_visit_order_fields[] = {"type", "item", "title", "content", "urgency", NULL};

void wg_visit_release(struct wg_visit *v)
{
    wg_pii_wipe(v->content);
    wg_pii_wipe(v->findings);
    sodium_memzero(v, sizeof *v);
}

static enum wg_rc client_key(json_t *body, char *out, size_t n, struct wg_err *err)
{
    json_t *k = json_object_get(body, "client_key");
    const char *s = json_string_value(k);
    out[0] = '\0';
    if (!k || json_is_null(k))
        return WG_OK;
    if (!s || strlen(s) < 8 || strlen(s) >= n ||
        strspn(s, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_") != strlen(s))
        return wg_err_set(err, WG_EINVAL,
                          "'client_key' must be 8 to %zu letters, digits, '-' or '_' (a key the "
                          "phone makes once per record)",
                          n - 1);
    snprintf(out, n, "%s", s);
    return WG_OK;
}

static enum wg_rc point(json_t *body, int *has, double *lon, double *lat, struct wg_err *err)
{
    json_t *x = json_object_get(body, "lon"), *y = json_object_get(body, "lat");
    *has = 0;
    if ((!x || json_is_null(x)) && (!y || json_is_null(y)))
        return WG_OK;
    if (!json_is_number(x) || !json_is_number(y))
        return wg_err_set(err, WG_EINVAL, "'lon' and 'lat' must both be numbers (WGS 84)");
    *lon = json_number_value(x);
    *lat = json_number_value(y);
    if (!isfinite(*lon) || !isfinite(*lat) || fabs(*lon) > 180 || fabs(*lat) > 90)
        return wg_err_set(err, WG_EINVAL, "'lon' must be within ±180 and 'lat' within ±90");
    *has = 1;
    return WG_OK;
}

static enum wg_rc when(json_t *body, const char *key, long long now, long long *out,
                       struct wg_err *err)
{
    json_t *t = json_object_get(body, key);
    if (!t || json_is_null(t)) {
        *out = now;
        return WG_OK;
    }
    /* a phone's clock may run a little fast; a year back covers any time without signal */
    if (!json_is_integer(t) || json_integer_value(t) > now + 600 ||
        json_integer_value(t) < now - 366LL * 86400)
        return wg_err_set(err, WG_EINVAL,
                          "'%s' must be a time in unix seconds, not in the future and not more "
                          "than a year ago",
                          key);
    *out = json_integer_value(t);
    return WG_OK;
}

static enum wg_rc text(json_t *body, const char *key, size_t min, char **out, struct wg_err *err)
{
    const char *s = NULL;
    enum wg_rc rc = wg_jf_text(body, key, min, WG_VISIT_TEXT_MAX, &s, err);
    if (!rc)
        *out = wg_strdup(s ? s : "");
    return rc;
}

enum wg_rc wg_visit_parse(struct wg_visit *v, json_t *body, long long now, json_t **order,
                          struct wg_err *err)
{
    json_t *subject = json_object_get(body, "subject"), *o = json_object_get(body, "order");
    json_t *sid = json_object_get(subject, "id");
    const char *kind = NULL, *method = NULL, *worker = NULL;
    enum wg_rc rc;
    memset(v, 0, sizeof *v);
    *order = NULL;
    if (!json_is_object(subject))
        return wg_err_set(err, WG_EINVAL,
                          "'subject' is required: {\"kind\": \"person\", \"household\" or "
                          "\"org\", \"id\": its id}");
    if ((rc = wg_jf_one_of(subject, "kind", wg_visit_subject_kinds, NULL, &kind, err))) {
        wg_err_prefix(err, "subject");
        return rc;
    }
    if (!json_is_integer(sid) || json_integer_value(sid) < 1)
        return wg_err_set(err, WG_EINVAL,
                          "'subject.id' must be the id of the %s (a whole number "
                          "from 1)",
                          kind);
    snprintf(v->subject_kind, sizeof v->subject_kind, "%s", kind);
    v->subject_id = json_integer_value(sid);
    if ((rc = client_key(body, v->client_key, sizeof v->client_key, err)) ||
        (rc = wg_jf_one_of(body, "method", wg_visit_methods, NULL, &method, err)) ||
        (rc = wg_jf_text(body, "worker", 0, 63, &worker, err)) ||
        (rc = when(body, "visited_at", now, &v->visited_at, err)) ||
        (rc = point(body, &v->has_point, &v->lon, &v->lat, err)) ||
        (rc = text(body, "content", 1, &v->content, err)) ||
        (rc = text(body, "findings", 0, &v->findings, err)))
        return rc;
    snprintf(v->method, sizeof v->method, "%s", method);
    snprintf(v->worker, sizeof v->worker, "%s", worker ? worker : "");
    if (o && !json_is_object(o) && !json_is_boolean(o) && !json_is_null(o))
        return wg_err_set(err, WG_EINVAL,
                          "'order' must be true or an object {type, item, title, content, "
                          "urgency}: the findings made an order at once");
    if (json_is_object(o) || json_is_true(o)) {
        if (!*v->findings && !json_object_get(o, "content"))
            return wg_err_set(err, WG_EINVAL,
                              "'findings' are required to make an order of them ('order')");
        *order = o;
    }
    return WG_OK;
}

/* The grid of a visit's subject, which must lie in scope: the one place that knows each kind
 * of subject (an organization's is added here). */
struct grid_of {
    char *grid;
};

static int person_grid(const struct wg_person_row *r, void *ctx)
{
    snprintf(((struct grid_of *)ctx)->grid, 32, "%s", r->grid);
    return 1;
}

static int household_grid(const struct wg_household_row *r, void *ctx)
{
    snprintf(((struct grid_of *)ctx)->grid, 32, "%s", r->grid);
    return 1;
}

static int org_grid(const struct wg_org_row *r, void *ctx)
{
    snprintf(((struct grid_of *)ctx)->grid, 32, "%s", r->grid);
    return 1;
}

static enum wg_rc subject_grid(struct wg_db *db, const struct wg_scope *scope, const char *kind,
                               long long id, char grid[32], struct wg_err *err)
{
    struct grid_of g = {grid};
    enum wg_rc rc;
    grid[0] = '\0';
    if (!strcmp(kind, "person"))
        rc = wg_store_person_get(db, id, person_grid, &g, err);
    else if (!strcmp(kind, "household"))
        rc = wg_store_household_get(db, id, household_grid, &g, err);
    else if (!strcmp(kind, "org"))
        rc = wg_store_org_get(db, id, org_grid, &g, err);
    else
        rc = WG_ENOTFOUND;
    if (rc == WG_ENOTFOUND || (!rc && !wg_registry_covers(scope, grid)))
        return wg_err_set(err, WG_EINVAL, "'subject': %s %lld does not exist", kind, id);
    return rc;
}

enum wg_rc wg_visit_check(struct wg_db *db, const struct wg_actor *actor, struct wg_visit *v,
                          struct wg_err *err)
{
    const struct wg_scope *scope = actor ? &actor->scope : NULL;
    struct wg_account_row a;
    enum wg_rc rc = subject_grid(db, scope, v->subject_kind, v->subject_id, v->grid, err);
    if (rc)
        return rc;
    snprintf(v->created_by, sizeof v->created_by, "%s", actor ? actor->username : "");
    if (!v->worker[0] || (actor && !strcmp(v->worker, actor->username))) {
        snprintf(v->worker, sizeof v->worker, "%s", actor ? actor->username : "");
        return WG_OK;
    }
    rc = wg_store_account_get(db, v->worker, &a, err);
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL, "'worker': there is no account '%s'", v->worker);
    if (rc)
        return rc;
    if (strcmp(a.role, "gridworker") || strcmp(a.scope_kind, "region") ||
        strncmp(v->grid, a.scope, strlen(a.scope)))
        return wg_err_set(err, WG_EINVAL, "'worker': '%s' is not a grid worker of grid %s",
                          v->worker, v->grid);
    if (scope && (strlen(scope->code) >= strlen(a.scope) ||
                  strncmp(a.scope, scope->code, strlen(scope->code))))
        return wg_err_set(err, WG_EINVAL,
                          "'worker': only a writer whose scope is wider than %s's records a "
                          "visit in their name",
                          v->worker);
    return WG_OK;
}

enum wg_rc wg_visit_insert(struct wg_db *db, const struct wg_pii_keys *keys, struct wg_visit *v,
                           long long now, struct wg_err *err)
{
    char *content = NULL, *findings = NULL;
    struct wg_visit_row r = {.subject_id = v->subject_id,
                             .visited_at = v->visited_at,
                             .has_point = v->has_point,
                             .lon = v->lon,
                             .lat = v->lat,
                             .order_id = v->order_id,
                             .created_at = now};
    enum wg_rc rc;
    if ((rc = wg_pii_encrypt(keys, v->content, "visit.content", &content, err)) ||
        (rc = wg_pii_encrypt(keys, v->findings, "visit.findings", &findings, err)))
        goto out;
    r.content = content;
    r.findings = findings;
    snprintf(r.client_key, sizeof r.client_key, "%s", v->client_key);
    snprintf(r.subject_kind, sizeof r.subject_kind, "%s", v->subject_kind);
    snprintf(r.grid, sizeof r.grid, "%s", v->grid);
    snprintf(r.worker, sizeof r.worker, "%s", v->worker);
    snprintf(r.method, sizeof r.method, "%s", v->method);
    snprintf(r.created_by, sizeof r.created_by, "%s", v->created_by);
    if (v->client_key[0]) {
        long long other = 0;
        if ((rc = wg_store_visit_by_client(db, v->created_by, v->client_key, &other, err)))
            goto out;
        if (other) {
            rc = wg_err_set(err, WG_ECONFLICT, "'client_key': visit %lld was recorded with it",
                            other);
            goto out;
        }
    }
    if (!(rc = wg_store_visit_insert(db, &r, &v->id, err)))
        v->created_at = now;
out:
    free(content);
    free(findings);
    return rc;
}

struct opened {
    const struct wg_pii_keys *keys;
    struct wg_visit *v;
    enum wg_rc rc;
    struct wg_err *err;
};

static void copy_row(const struct wg_visit_row *r, struct wg_visit *v)
{
    v->id = r->id;
    snprintf(v->client_key, sizeof v->client_key, "%s", r->client_key);
    snprintf(v->subject_kind, sizeof v->subject_kind, "%s", r->subject_kind);
    v->subject_id = r->subject_id;
    snprintf(v->grid, sizeof v->grid, "%s", r->grid);
    snprintf(v->worker, sizeof v->worker, "%s", r->worker);
    snprintf(v->method, sizeof v->method, "%s", r->method);
    v->visited_at = r->visited_at;
    v->has_point = r->has_point;
    v->lon = r->lon;
    v->lat = r->lat;
    v->order_id = r->order_id;
    snprintf(v->order_number, sizeof v->order_number, "%s", r->order_number);
    snprintf(v->created_by, sizeof v->created_by, "%s", r->created_by);
    v->created_at = r->created_at;
}

static int open_one(const struct wg_visit_row *r, void *ctx)
{
    struct opened *o = ctx;
    memset(o->v, 0, sizeof *o->v);
    copy_row(r, o->v);
    if ((o->rc = wg_pii_decrypt(o->keys, r->content, "visit.content", &o->v->content, o->err)) ||
        (o->rc = wg_pii_decrypt(o->keys, r->findings, "visit.findings", &o->v->findings, o->err)))
        wg_err_prefix(o->err, "visit %lld", r->id);
    return o->rc != WG_OK;
}

enum wg_rc wg_visit_load(struct wg_db *db, const struct wg_pii_keys *keys,
                         const struct wg_scope *scope, long long id, struct wg_visit *out,
                         struct wg_err *err)
{
    struct opened o = {keys, out, WG_OK, err};
    memset(out, 0, sizeof *out);
    enum wg_rc rc = wg_store_visit_get(db, id, open_one, &o, err);
    if (!rc)
        rc = o.rc;
    if (!rc && !wg_registry_covers(scope, out->grid))
        rc = wg_err_set(err, WG_ENOTFOUND, "visit %lld does not exist", id);
    if (rc)
        wg_visit_release(out);
    return rc;
}

enum wg_rc wg_visit_by_client(struct wg_db *db, const char *created_by, const char *key,
                              long long *id, struct wg_err *err)
{
    return wg_store_visit_by_client(db, created_by, key, id, err);
}

json_t *wg_visit_json(const struct wg_visit *v, const char *viewer)
{
    int clear = !viewer || !strcmp(viewer, v->worker) || !strcmp(viewer, v->created_by);
    json_t *j = json_pack("{s:I,s:{s:s,s:I},s:s,s:s,s:I,s:s,s:s,s:s,s:s,s:I}", "id",
                          (json_int_t)v->id, "subject", "kind", v->subject_kind, "id",
                          (json_int_t)v->subject_id, "grid", v->grid, "worker", v->worker,
                          "visited_at", (json_int_t)v->visited_at, "method", v->method, "content",
                          v->content ? v->content : "", "findings", v->findings ? v->findings : "",
                          "created_by", v->created_by, "created_at", (json_int_t)v->created_at);
    if (!clear) {
        json_object_set_new(j, "content", json_null());
        json_object_set_new(j, "findings", json_null());
    }
    json_object_set_new(j, "withheld", json_boolean(!clear));
    json_object_set_new(j, "client_key",
                        v->client_key[0] ? json_string(v->client_key) : json_null());
    json_object_set_new(j, "lon", v->has_point ? json_real(v->lon) : json_null());
    json_object_set_new(j, "lat", v->has_point ? json_real(v->lat) : json_null());
    json_object_set_new(j, "order",
                        v->order_id ? json_pack("{s:I,s:s}", "id", (json_int_t)v->order_id,
                                                "number", v->order_number)
                                    : json_null());
    return j;
}

/* ---- lists ---- */

struct page {
    const struct wg_pii_keys *keys;
    const char *viewer;
    json_t *arr;
    int n;
    long long last_at, last_id;
    enum wg_rc rc;
    struct wg_err *err;
};

static int add_visit(const struct wg_visit_row *r, void *ctx)
{
    struct page *pg = ctx;
    struct wg_visit v;
    struct opened o = {pg->keys, &v, WG_OK, pg->err};
    if (open_one(r, &o)) {
        pg->rc = o.rc;
        return 1;
    }
    json_array_append_new(pg->arr, wg_visit_json(&v, pg->viewer));
    wg_visit_release(&v);
    pg->n++;
    pg->last_at = r->visited_at;
    pg->last_id = r->id;
    return 0;
}

enum wg_rc wg_visit_list(struct wg_db *db, const struct wg_pii_keys *keys,
                         const struct wg_scope *scope, const struct wg_visit_query *q, json_t **out,
                         struct wg_err *err)
{
    char lo[32], hi[33];
    long long limit = 50, subject = 0, from = 0, to = INT64_MAX;
    struct page pg = {keys, q->viewer, NULL, 0, 0, 0, WG_OK, err};
    const char *kind = q->subject_kind && *q->subject_kind ? q->subject_kind : "";
    struct wg_visit_filter f;
    enum wg_rc rc;
    if ((rc = wg_param_count(q->limit, "limit", 1, 200, &limit, err)) ||
        (rc = wg_param_count(q->subject_id, "subject_id", 1, INT64_MAX, &subject, err)) ||
        (rc = wg_param_count(q->from, "from", 0, INT64_MAX, &from, err)) ||
        (rc = wg_param_count(q->to, "to", 0, INT64_MAX, &to, err)))
        return rc;
    if (*kind && !wg_order_value_in(wg_visit_subject_kinds, kind))
        return wg_err_set(err, WG_EINVAL, "'subject_kind' must be person, household or org");
    if (q->worker && (strlen(q->worker) > 63 || !*q->worker))
        return wg_err_set(err, WG_EINVAL, "'worker' must be a username");
    if ((rc = wg_registry_range(scope, q->grid, q->region, lo, hi, err)))
        return rc;
    f = (struct wg_visit_filter){
        lo, hi, q->worker ? q->worker : "", kind, subject, from, to, 0, 0, (int)limit};
    if ((rc = wg_param_time_cursor(q->cursor, &f.before_at, &f.before_id, err)))
        return rc;
    pg.arr = json_array();
    rc = wg_store_visit_list(db, &f, add_visit, &pg, err);
    if (!rc)
        rc = pg.rc;
    if (rc) {
        json_decref(pg.arr);
        return rc;
    }
    *out = json_pack("{s:o,s:I}", "visits", pg.arr, "limit", (json_int_t)limit);
    json_object_set_new(*out, "next_cursor",
                        pg.n == limit ? json_sprintf("%lld.%lld", pg.last_at, pg.last_id)
                                      : json_null());
    return WG_OK;
}

/* ---- an order of a finding ---- */

enum wg_rc wg_visit_order_input(const json_t *obj, const char *default_title, const char *findings,
                                const char *grid, int has_point, double lon, double lat,
                                struct wg_order_input *in, char county[8], struct wg_err *err)
{
    const json_t *o = json_is_object(obj) ? obj : NULL;
    enum wg_rc rc;
    memset(in, 0, sizeof *in);
    in->channel = "gridworker";
    if ((rc = wg_jf_one_of(o, "type", wg_order_types, "report", &in->type, err)) ||
        (rc = wg_jf_one_of(o, "urgency", wg_order_urgencies, "normal", &in->urgency, err)) ||
        (rc = wg_jf_text(o, "item", 0, 15, &in->item, err)) ||
        (rc = wg_jf_text(o, "title", 0, 200, &in->title, err)) ||
        (rc = wg_jf_text(o, "content", 0, 10000, &in->content, err))) {
        wg_err_prefix(err, "order");
        return rc;
    }
    if (in->item && strspn(in->item, "0123456789") != strlen(in->item))
        return wg_err_set(err, WG_EINVAL, "'order.item' must be a catalog code of digits");
    if (!in->title)
        in->title = default_title;
    if (!in->content)
        in->content = findings;
    if (!in->content || !*in->content)
        return wg_err_set(err, WG_EINVAL,
                          "'order.content' is required when there are no "
                          "findings");
    in->has_point = has_point;
    in->lon = lon;
    in->lat = lat;
    in->crs = WG_CRS_WGS84;
    in->anonymous = 1;
    snprintf(county, 8, "%.6s", grid);
    in->county = county;
    return WG_OK;
}
