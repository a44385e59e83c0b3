/* Households of the registry (person.h): a body applied and checked, the address sealed, the
 * head, the paired worker and the members kept consistent; answered masked. */
#include "domain/registry/person.h"
#include "core/alloc.h"
#include "core/param.h"
#include "store/accounts/accounts_q.h"
#include "store/map/map_q.h"
#include "store/registry/registry_q.h"

#include <sodium.h>

void wg_household_release(struct wg_household *h)
{
    wg_pii_wipe(h->address);
    sodium_memzero(h, sizeof *h);
}

static enum wg_rc code_field(json_t *body, const char *key, const char *chars, char *out, size_t n,
                             int required, struct wg_err *err)
{
    json_t *v = json_object_get(body, key);
    const char *s;
    if (!v)
        return WG_OK;
    s = json_is_null(v) && !required ? "" : json_string_value(v);
    if (!s || (required && !*s) || strlen(s) >= n || strspn(s, chars) != strlen(s))
        return wg_err_set(err, WG_EINVAL, "'%s' must be %s of at most %zu characters", key,
                          required ? "a code" : "a name or null", n - 1);
    snprintf(out, n, "%s", s);
    return WG_OK;
}

#define NUMBER_CHARS "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-"
#define NAME_CHARS   NUMBER_CHARS "_."

enum wg_rc wg_household_apply(struct wg_household *h, json_t *body, json_t **members,
                              struct wg_err *err)
{
    json_t *addr = json_object_get(body, "address"), *head = json_object_get(body, "head");
    json_t *m = json_object_get(body, "members"), *e;
    size_t i;
    enum wg_rc rc;
    *members = NULL;
    if ((rc = code_field(body, "number", NUMBER_CHARS, h->number, 33, 1, err)) ||
        (rc = code_field(body, "grid", "0123456789", h->grid, 31, 1, err)) ||
        (rc = code_field(body, "worker", NAME_CHARS, h->worker, sizeof h->worker, 0, err)))
        return rc;
    if (addr) {
        const char *a = json_string_value(addr);
        if (!a || strlen(a) > 200)
            return wg_err_set(err, WG_EINVAL, "'address' must be a text of at most 200 bytes");
        wg_pii_wipe(h->address);
        h->address = wg_strdup(a);
    }
    if (head) {
        if (json_is_null(head))
            h->head = 0;
        else if (!json_is_integer(head) || json_integer_value(head) < 1)
            return wg_err_set(err, WG_EINVAL, "'head' must be a person's id or null");
        else
            h->head = json_integer_value(head);
    }
    if (m) {
        if (!json_is_array(m) || json_array_size(m) > 100)
            return wg_err_set(err, WG_EINVAL, "'members' must be a list of at most 100 person ids");
        json_array_foreach(
            m, i, e) if (!json_is_integer(e) ||
                         json_integer_value(e) <
                             1) return wg_err_set(err, WG_EINVAL,
                                                  "'members' item %zu must be a person's id", i);
        *members = m;
    }
    if (!h->number[0])
        return wg_err_set(err, WG_EINVAL, "'number' is required");
    if (!h->grid[0])
        return wg_err_set(err, WG_EINVAL, "'grid' is required");
    if (!h->address || !*h->address)
        return wg_err_set(err, WG_EINVAL, "'address' is required");
    return WG_OK;
}

struct open_h {
    const struct wg_pii_keys *keys;
    struct wg_household *h;
    enum wg_rc rc;
    struct wg_err *err;
};

static int open_one(const struct wg_household_row *r, void *ctx)
{
    struct open_h *o = ctx;
    struct wg_household *h = o->h;
    h->id = r->id;
    snprintf(h->number, sizeof h->number, "%s", r->number);
    snprintf(h->grid, sizeof h->grid, "%s", r->grid);
    snprintf(h->worker, sizeof h->worker, "%s", r->worker);
    h->head = r->head;
    h->created_at = r->created_at;
    h->updated_at = r->updated_at;
    h->version = r->version;
    if (!o->keys)
        h->address = wg_strdup("");
    else
        o->rc = wg_pii_decrypt(o->keys, r->address, "household.address", &h->address, o->err);
    return o->rc != WG_OK;
}

enum wg_rc wg_household_load(struct wg_db *db, const struct wg_pii_keys *keys,
                             const struct wg_scope *scope, long long id, struct wg_household *out,
                             struct wg_err *err)
{
    struct open_h o = {keys, out, WG_OK, err};
    memset(out, 0, sizeof *out);
    enum wg_rc rc = wg_store_household_get(db, id, open_one, &o, err);
    if (!rc)
        rc = o.rc;
    if (!rc && !wg_registry_covers(scope, out->grid))
        rc = wg_err_set(err, WG_ENOTFOUND, "household %lld does not exist", id);
    if (rc)
        wg_household_release(out);
    return rc;
}

static enum wg_rc check_refs(struct wg_db *db, const struct wg_scope *scope,
                             const struct wg_household *h, struct wg_err *err)
{
    struct wg_account_row a;
    long long other = 0;
    enum wg_rc rc = wg_registry_grid_check(db, scope, "grid", h->grid, err);
    if (rc || (rc = wg_store_household_by_number(db, h->number, &other, err)))
        return rc;
    if (other && other != h->id)
        return wg_err_set(err, WG_ECONFLICT,
                          "'number': household '%s' is already recorded (household %lld)",
                          h->number, other);
    if (h->worker[0]) {
        rc = wg_store_account_get(db, h->worker, &a, err);
        if (rc == WG_ENOTFOUND)
            return wg_err_set(err, WG_EINVAL, "'worker': there is no account '%s'", h->worker);
        if (rc)
            return rc;
    }
    return WG_OK;
}

/* A person the household names (its head, a member): existing, in scope. */
static enum wg_rc check_person(struct wg_db *db, const struct wg_pii_keys *keys,
                               const struct wg_scope *scope, long long id, const char *what,
                               struct wg_err *err)
{
    struct wg_person p;
    enum wg_rc rc = wg_person_load(db, keys, scope, id, &p, err);
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL, "%s: person %lld does not exist", what, id);
    if (!rc)
        wg_person_release(&p);
    return rc;
}

struct ids {
    long long v[100];
    int n;
};

static int add_member_id(const struct wg_person_row *r, void *ctx)
{
    struct ids *m = ctx;
    if (m->n < 100)
        m->v[m->n++] = r->id;
    return 0;
}

static int has(const struct ids *m, long long id)
{
    for (int i = 0; i < m->n; i++)
        if (m->v[i] == id)
            return 1;
    return 0;
}

static enum wg_rc set_members(struct wg_db *db, const struct wg_pii_keys *keys,
                              const struct wg_scope *scope, const struct wg_household *h,
                              json_t *members, long long now, struct wg_err *err)
{
    struct ids want = {.n = 0}, now_in = {.n = 0};
    json_t *e;
    size_t i;
    char what[32];
    enum wg_rc rc;
    if (members)
        json_array_foreach(members, i, e)
        {
            snprintf(what, sizeof what, "'members' item %zu", i);
            if ((rc = check_person(db, keys, scope, json_integer_value(e), what, err)))
                return rc;
            if (!has(&want, json_integer_value(e)))
                want.v[want.n++] = json_integer_value(e);
        }
    if ((rc = wg_store_person_members(db, h->id, add_member_id, &now_in, err)))
        return rc;
    if (!members) /* the members stay; the head joins them */
        want = now_in;
    if (h->head && !has(&want, h->head) && want.n < 100)
        want.v[want.n++] = h->head;
    for (int k = 0; !rc && k < now_in.n; k++)
        if (!has(&want, now_in.v[k]))
            rc = wg_store_person_set_household(db, now_in.v[k], 0, now, err);
    for (int k = 0; !rc && k < want.n; k++)
        if (!has(&now_in, want.v[k]))
            rc = wg_store_person_set_household(db, want.v[k], h->id, now, err);
    return rc;
}

enum wg_rc wg_household_store(struct wg_db *db, const struct wg_pii_keys *keys,
                              const struct wg_scope *scope, struct wg_household *h, json_t *members,
                              long long now, struct wg_err *err)
{
    char *sealed = NULL;
    int changed = 0;
    enum wg_rc rc = check_refs(db, scope, h, err);
    if (!rc && h->head)
        rc = check_person(db, keys, scope, h->head, "'head'", err);
    if (rc || (rc = wg_pii_encrypt(keys, h->address, "household.address", &sealed, err)))
        return rc;
    struct wg_household_row r = {
        .id = h->id, .address = sealed, .head = h->head, .version = h->version};
    snprintf(r.number, sizeof r.number, "%s", h->number);
    snprintf(r.grid, sizeof r.grid, "%s", h->grid);
    snprintf(r.worker, sizeof r.worker, "%s", h->worker);
    if (!h->id) {
        rc = wg_store_household_insert(db, &r, now, &h->id, err);
        h->version = 1;
        h->created_at = now;
    } else {
        rc = wg_store_household_update(db, &r, now, &changed, err);
        if (!rc && !changed)
            rc = wg_err_set(err, WG_EPRECOND,
                            "household %lld was changed by someone else since version %lld; "
                            "read it again",
                            h->id, h->version);
        h->version++;
    }
    h->updated_at = now;
    free(sealed);
    if (!rc)
        rc = set_members(db, keys, scope, h, members, now, err);
    return rc;
}

struct members {
    const struct wg_pii_keys *keys;
    int sensitive;
    json_t *arr;
    enum wg_rc rc;
    struct wg_err *err;
};

static int add_member(const struct wg_person_row *r, void *ctx)
{
    struct members *m = ctx;
    struct wg_person p;
    if ((m->rc = wg_person_open_row(m->keys, r, &p, m->err)))
        return 1;
    json_array_append_new(m->arr, wg_person_json(&p, m->sensitive));
    wg_person_release(&p);
    return 0;
}

static json_t *household_json(const struct wg_household *h)
{
    char addr[256];
    wg_pii_mask_address(h->address, addr, sizeof addr);
    return json_pack("{s:I,s:s,s:s,s:s,s:o,s:o,s:I,s:I,s:I}", "id", (json_int_t)h->id, "number",
                     h->number, "grid", h->grid, "address", addr, "head",
                     h->head ? json_integer(h->head) : json_null(), "worker",
                     h->worker[0] ? json_string(h->worker) : json_null(), "created_at",
                     (json_int_t)h->created_at, "updated_at", (json_int_t)h->updated_at, "version",
                     (json_int_t)h->version);
}

enum wg_rc wg_household_json(struct wg_db *db, const struct wg_pii_keys *keys,
                             const struct wg_household *h, int with_members, int sensitive,
                             json_t **out, struct wg_err *err)
{
    struct members m = {keys, sensitive, json_array(), WG_OK, err};
    enum wg_rc rc = WG_OK;
    *out = household_json(h);
    if (with_members) {
        rc = wg_store_person_members(db, h->id, add_member, &m, err);
        if (!rc)
            rc = m.rc;
    }
    if (rc) {
        json_decref(m.arr);
        json_decref(*out);
        *out = NULL;
        return rc;
    }
    if (with_members)
        json_object_set_new(*out, "members", m.arr);
    else
        json_decref(m.arr);
    return WG_OK;
}

struct hpage {
    const struct wg_pii_keys *keys;
    json_t *arr;
    int taken;
    char last_grid[32];
    long long last_id;
    enum wg_rc rc;
    struct wg_err *err;
};

static int add_household(const struct wg_household_row *r, void *ctx)
{
    struct hpage *pg = ctx;
    struct wg_household h;
    struct open_h o = {pg->keys, &h, WG_OK, pg->err};
    memset(&h, 0, sizeof h);
    open_one(r, &o);
    if ((pg->rc = o.rc)) {
        wg_household_release(&h);
        return 1;
    }
    json_array_append_new(pg->arr, household_json(&h));
    wg_household_release(&h);
    snprintf(pg->last_grid, sizeof pg->last_grid, "%s", r->grid);
    pg->last_id = r->id;
    pg->taken++;
    return 0;
}

enum wg_rc wg_household_list(struct wg_db *db, const struct wg_pii_keys *keys,
                             const struct wg_scope *scope, const struct wg_person_query *q,
                             json_t **out, struct wg_err *err)
{
    char lo[32], hi[33], after_grid[32];
    long long limit = 50, after_id = 0;
    struct hpage pg = {keys, NULL, 0, "", 0, WG_OK, err};
    enum wg_rc rc;
    *out = NULL;
    if ((rc = wg_param_count(q->limit, "limit", 1, 200, &limit, err)) ||
        (rc = wg_registry_cursor(q->cursor, after_grid, &after_id, err)) ||
        (rc = wg_registry_range(scope, q->grid, q->region, lo, hi, err)))
        return rc;
    pg.arr = json_array();
    rc = wg_store_household_list(db, lo, hi, after_grid, after_id, (int)limit, add_household, &pg,
                                 err);
    if (!rc)
        rc = pg.rc;
    if (rc) {
        json_decref(pg.arr);
        return rc;
    }
    json_t *next = json_null();
    if (pg.taken >= limit) {
        char cur[64];
        snprintf(cur, sizeof cur, "%s.%lld", pg.last_grid, pg.last_id);
        next = json_string(cur);
    }
    *out = json_pack("{s:o,s:I,s:o}", "households", pg.arr, "limit", (json_int_t)limit,
                     "next_cursor", next);
    return WG_OK;
}
