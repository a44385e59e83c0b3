/* A stairwell team's households and visits (stairwell.h): the households matched to the
 * stairwell's houses by address, a visit (or a phone's batch) written to the registry's
 * visits and the team's own in one transaction, and the team's month with its coverage. */
#include "domain/partake/stairwell_well.h"

#include <math.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/jfield.h"
#include "domain/accounts/pii.h"
#include "domain/registry/visit.h"
#include "store/registry/registry_q.h"

const char *const wg_stair_visit_fields[] = {
    "household", "house", "visited_at", "by", "content", "findings", "client_key", "visits", NULL};
static const char *const item_fields[] = {"household", "house",    "visited_at", "by",
                                          "content",   "findings", "client_key", NULL};
static const char *const role_names[] = {"楼道长", "信息员", "保障员"};

void wg_well_release(struct wg_well *w)
{
    free(w->homes);
    memset(w, 0, sizeof *w);
}

struct opening {
    const struct wg_pii_keys *keys;
    json_t *homes;
    char after_grid[32];
    long long after_id;
    int n;
    enum wg_rc rc;
    struct wg_err *err;
};

static int on_household(const struct wg_household_row *h, void *ctx)
{
    struct opening *o = ctx;
    char *address = NULL;
    o->n++;
    snprintf(o->after_grid, sizeof o->after_grid, "%s", h->grid);
    o->after_id = h->id;
    if ((o->rc = wg_pii_decrypt(o->keys, h->address, "household.address", &address, o->err)))
        return 1;
    json_t *a = json_object_get(o->homes, address);
    if (!a) {
        a = json_array();
        json_object_set_new(o->homes, address, a);
    }
    json_array_append_new(a, json_pack("[I,s]", (json_int_t)h->id, h->number));
    wg_pii_wipe(address);
    return 0;
}

enum wg_rc wg_well_households(struct wg_db *db, const struct wg_pii_keys *keys, const char *grid,
                              json_t **out, struct wg_err *err)
{
    struct opening o = {keys, json_object(), "", 0, 0, WG_OK, err};
    char hi[40];
    enum wg_rc rc;
    snprintf(hi, sizeof hi, "%s0", grid);
    do {
        o.n = 0;
        rc = wg_store_household_list(db, grid, hi, o.after_grid, o.after_id, 500, on_household, &o,
                                     err);
        if (!rc)
            rc = o.rc;
    } while (!rc && o.n == 500);
    if (rc) {
        json_decref(o.homes);
        return rc;
    }
    *out = o.homes;
    return WG_OK;
}

struct counting {
    const json_t *homes;
    long long n;
};

static int count_house(const struct wg_stair_house *h, void *ctx)
{
    struct counting *c = ctx;
    c->n += (long long)json_array_size(json_object_get(c->homes, h->address));
    return 0;
}

enum wg_rc wg_well_count(struct wg_db *db, const json_t *homes, const char *building,
                         const char *unit, long long *n, struct wg_err *err)
{
    struct counting c = {homes, 0};
    enum wg_rc rc = wg_store_stair_houses(db, building, unit, count_house, &c, err);
    *n = c.n;
    return rc;
}

struct filling {
    const json_t *homes;
    struct wg_well *w;
    size_t cap;
};

static int fill_house(const struct wg_stair_house *h, void *ctx)
{
    struct filling *f = ctx;
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(f->homes, h->address), i, v)
    {
        if ((size_t)f->w->n == f->cap) {
            f->cap = f->cap ? 2 * f->cap : 16;
            f->w->homes = wg_realloc(f->w->homes, f->cap * sizeof *f->w->homes);
        }
        struct wg_well_home *m = &f->w->homes[f->w->n++];
        memset(m, 0, sizeof *m);
        m->household = json_integer_value(json_array_get(v, 0));
        m->house = h->id;
        m->floor = h->floor;
        snprintf(m->number, sizeof m->number, "%s", json_string_value(json_array_get(v, 1)));
        snprintf(m->room, sizeof m->room, "%s", h->room);
        wg_pii_mask_address(h->address, m->address, sizeof m->address);
    }
    return 0;
}

static int mark_visited(const struct wg_stair_visit_row *r, void *ctx)
{
    struct wg_well *w = ctx;
    for (long long i = 0; i < w->n; i++)
        if (w->homes[i].household == r->household && !w->homes[i].visited) {
            w->homes[i].visited = 1;
            w->visited++;
        }
    return 0;
}

enum wg_rc wg_well_load(struct wg_db *db, const struct wg_pii_keys *keys,
                        const struct wg_stair_row *t, const char *month, struct wg_well *w,
                        struct wg_err *err)
{
    json_t *homes = NULL;
    memset(w, 0, sizeof *w);
    enum wg_rc rc = wg_well_households(db, keys, t->grid, &homes, err);
    struct filling f = {homes, w, 0};
    if (!rc)
        rc = wg_store_stair_houses(db, t->building, t->unit, fill_house, &f, err);
    if (!rc && month && *month)
        rc = wg_store_stair_visit_month(db, t->id, month, mark_visited, w, err);
    json_decref(homes);
    if (rc)
        wg_well_release(w);
    return rc;
}

/* ---- recording visits ---- */

struct recording {
    struct wg_db *db;
    const struct wg_pii_keys *keys;
    const struct wg_actor *actor;
    const struct wg_stair_row *team;
    const struct wg_well *well;
    long long now;
    json_t *out;
    int created;
};

static json_t *visit_json(const struct wg_stair_visit_row *r, int repeated)
{
    return json_pack("{s:I,s:I,s:I,s:I,s:s,s:I,s:s,s:b}", "id", (json_int_t)r->id, "visit",
                     (json_int_t)r->visit, "household", (json_int_t)r->household, "house",
                     (json_int_t)r->house, "member", r->member, "visited_at",
                     (json_int_t)r->visited_at, "month", r->month, "repeated", repeated);
}

static enum wg_rc client_key(const json_t *item, char out[72], struct wg_err *err)
{
    const char *s = NULL;
    enum wg_rc rc = wg_jf_text(item, "client_key", 0, 64, &s, err);
    out[0] = '\0';
    if (rc || !s)
        return rc;
    if (strlen(s) < 8 ||
        strspn(s, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_") != strlen(s))
        return wg_err_set(err, WG_EINVAL,
                          "'client_key' must be 8 to 64 letters, digits, '-' or '_' (a key the "
                          "phone makes once per visit)");
    snprintf(out, 72, "%s", s);
    return WG_OK;
}

/* Which home of the stairwell the item names (household, house or both). */
static enum wg_rc home_of(const struct recording *x, const json_t *item,
                          const struct wg_well_home **home, struct wg_err *err)
{
    long long hh = 0, house = 0;
    enum wg_rc rc;
    *home = NULL;
    if ((rc = wg_partake_jf_id(item, "household", 0, &hh, err)) ||
        (rc = wg_partake_jf_id(item, "house", 0, &house, err)))
        return rc;
    if (!hh && !house)
        return wg_err_set(err, WG_EINVAL, "'household' or 'house' is required: whom was visited");
    for (long long i = 0; i < x->well->n && !*home; i++) {
        const struct wg_well_home *m = &x->well->homes[i];
        if ((!hh || m->household == hh) && (!house || m->house == house))
            *home = m;
    }
    if (*home)
        return WG_OK;
    if (hh)
        return wg_err_set(err, WG_EINVAL,
                          "'household': household %lld does not live in unit '%s' of building %s"
                          "%s",
                          hh, x->team->unit, x->team->building,
                          house ? " (or not in that house)" : "");
    return wg_err_set(err, WG_EINVAL,
                      "'house': no registry household lives in house %lld of unit "
                      "'%s' of building %s",
                      house, x->team->unit, x->team->building);
}

/* The registry's visit of the household, sealed there, worker the recorder. */
static enum wg_rc registry_visit(const struct recording *x, const struct wg_stair_visit_row *r,
                                 const char *content, const char *findings, long long *id,
                                 struct wg_err *err)
{
    struct wg_visit v;
    int role = !strcmp(r->member, "head") ? 0 : !strcmp(r->member, "info") ? 1 : 2;
    size_t n = strlen(content) + 64;
    enum wg_rc rc;
    memset(&v, 0, sizeof v);
    snprintf(v.subject_kind, sizeof v.subject_kind, "household");
    v.subject_id = r->household;
    v.visited_at = r->visited_at;
    snprintf(v.method, sizeof v.method, "stair");
    v.content = wg_malloc(n);
    snprintf(v.content, n, "【一长二员·%s】%s", role_names[role], content);
    v.findings = wg_strdup(findings ? findings : "");
    if (!(rc = wg_visit_check(x->db, x->actor, &v, err)))
        rc = wg_visit_insert(x->db, x->keys, &v, x->now, err);
    *id = v.id;
    wg_visit_release(&v);
    return rc;
}

static enum wg_rc one(struct recording *x, const json_t *item, struct wg_err *err)
{
    struct wg_stair_visit_row r;
    const struct wg_well_home *home = NULL;
    const char *by = NULL, *content = NULL, *findings = NULL;
    json_t *at = json_object_get(item, "visited_at");
    int found = 0;
    enum wg_rc rc;
    memset(&r, 0, sizeof r);
    if (!json_is_object(item))
        return wg_err_set(err, WG_EINVAL, "a visit is a JSON object");
    if ((rc = wg_jf_known(item, item_fields, "a stairwell visit", err)) ||
        (rc = client_key(item, r.client_key, err)))
        return rc;
    if (r.client_key[0] && (rc = wg_store_stair_visit_by_client(x->db, x->actor->username,
                                                                r.client_key, &r, &found, err)))
        return rc;
    if (found && r.team != x->team->id)
        return wg_err_set(err, WG_ECONFLICT,
                          "'client_key': it was used for a visit of stairwell team %lld", r.team);
    if (found) {
        json_array_append_new(x->out, visit_json(&r, 1));
        return WG_OK;
    }
    if ((rc = home_of(x, item, &home, err)) ||
        (rc = wg_jf_one_of(item, "by", wg_stair_roles, NULL, &by, err)) ||
        (rc = wg_jf_text(item, "content", 1, WG_STAIR_CONTENT_MAX, &content, err)) ||
        (rc = wg_jf_text(item, "findings", 0, WG_STAIR_CONTENT_MAX, &findings, err)))
        return rc;
    if (!json_is_integer(at) || json_integer_value(at) < 946684800 ||
        json_integer_value(at) > x->now + 300)
        return wg_err_set(err, WG_EINVAL,
                          "'visited_at' must be the time of the visit (unix seconds), not in the "
                          "future");
    r.team = x->team->id;
    r.household = home->household;
    r.house = home->house;
    r.visited_at = json_integer_value(at);
    wg_partake_month_of(r.visited_at, r.month);
    snprintf(r.member, sizeof r.member, "%s", by);
    snprintf(r.created_by, sizeof r.created_by, "%s", x->actor->username);
    r.created_at = x->now;
    if ((rc = registry_visit(x, &r, content, findings, &r.visit, err)) ||
        (rc = wg_store_stair_visit_insert(x->db, &r, &r.id, err)))
        return rc;
    json_array_append_new(x->out, visit_json(&r, 0));
    x->created++;
    return WG_OK;
}

static enum wg_rc record(struct recording *x, const json_t *body, struct wg_err *err)
{
    json_t *list = json_object_get(body, "visits"), *item;
    size_t i;
    enum wg_rc rc = WG_OK;
    if (!list)
        return one(x, body, err);
    if (json_object_size(body) != 1)
        return wg_err_set(err, WG_EINVAL, "'visits' (a batch) comes alone in the body");
    if (!json_is_array(list) || !json_array_size(list))
        return wg_err_set(err, WG_EINVAL, "'visits' must be a list of visits");
    if (json_array_size(list) > WG_STAIR_BATCH_MAX)
        return wg_err_set(err, WG_ETOOBIG, "'visits': at most %d visits in a batch, not %zu",
                          WG_STAIR_BATCH_MAX, json_array_size(list));
    json_array_foreach(list, i, item)
    {
        if ((rc = one(x, item, err))) {
            wg_err_prefix(err, "visits[%zu]", i);
            break;
        }
    }
    return rc;
}

enum wg_rc wg_stair_visit(struct wg_db *db, const struct wg_pii_keys *keys,
                          const struct wg_actor *actor, long long id, const json_t *body,
                          long long now, json_t **out, int *created, struct wg_err *err)
{
    struct wg_stair_row t;
    struct wg_well w = {0};
    struct recording x = {db, keys, actor, &t, &w, now, json_array(), 0};
    int own = !wg_db_in_tx(db);
    enum wg_rc rc = WG_OK;
    *out = NULL;
    *created = 0;
    if (!json_is_object(body))
        rc = wg_err_set(err, WG_EINVAL, "the body of a stairwell visit is a JSON object");
    else if (own)
        rc = wg_db_begin(db, err);
    if (rc) {
        json_decref(x.out);
        return rc;
    }
    if (!(rc = wg_stair_load(db, actor, id, &t, err)) &&
        !(rc = wg_well_load(db, keys, &t, NULL, &w, err)))
        rc = record(&x, body, err);
    if (own && !rc)
        rc = wg_db_commit(db, err);
    if (rc) {
        if (own)
            wg_db_rollback(db);
        json_decref(x.out);
    } else {
        *out = json_pack("{s:o}", "visits", x.out);
        *created = x.created;
    }
    wg_well_release(&w);
    return rc;
}

/* ---- the month ---- */

struct month_visits {
    const struct wg_well *w;
    json_t *arr;
};

static int on_month_visit(const struct wg_stair_visit_row *r, void *ctx)
{
    struct month_visits *m = ctx;
    json_t *j = visit_json(r, 0);
    json_object_del(j, "repeated");
    json_object_set_new(j, "created_by", json_string(r->created_by));
    for (long long i = 0; i < m->w->n; i++)
        if (m->w->homes[i].household == r->household) {
            json_object_set_new(j, "number", json_string(m->w->homes[i].number));
            json_object_set_new(j, "room", json_string(m->w->homes[i].room));
            break;
        }
    json_array_append_new(m->arr, j);
    return 0;
}

enum wg_rc wg_stair_month(struct wg_db *db, const struct wg_pii_keys *keys,
                          const struct wg_actor *actor, long long id, const char *month,
                          long long now, json_t **out, struct wg_err *err)
{
    struct wg_stair_row t;
    struct wg_well w;
    char m[8];
    enum wg_rc rc;
    *out = NULL;
    if ((rc = wg_partake_month_param(month, now, m, err)) ||
        (rc = wg_stair_load(db, actor, id, &t, err)) ||
        (rc = wg_well_load(db, keys, &t, m, &w, err)))
        return rc;
    json_t *unvisited = json_array(), *households = json_array();
    struct month_visits mv = {&w, json_array()};
    for (long long i = 0; i < w.n; i++) {
        const struct wg_well_home *h = &w.homes[i];
        json_t *j =
            json_pack("{s:I,s:s,s:I,s:s,s:i,s:s,s:b}", "household", (json_int_t)h->household,
                      "number", h->number, "house", (json_int_t)h->house, "room", h->room, "floor",
                      h->floor, "address", h->address, "visited", h->visited);
        if (!h->visited)
            json_array_append(unvisited, j);
        json_array_append_new(households, j);
    }
    rc = wg_store_stair_visit_month(db, t.id, m, on_month_visit, &mv, err);
    if (!rc) {
        *out = wg_stair_json(db, keys, &t);
        json_object_set_new(*out, "month", json_string(m));
        json_object_set_new(*out, "households", json_integer(w.n));
        json_object_set_new(*out, "visited", json_integer(w.visited));
        json_object_set_new(
            *out, "coverage",
            json_real(w.n ? round(1000.0 * (double)w.visited / (double)w.n) / 1000.0 : 0.0));
        json_object_set_new(*out, "unvisited", unvisited);
        json_object_set_new(*out, "homes", households);
        json_object_set_new(*out, "visits", mv.arr);
    } else {
        json_decref(unvisited);
        json_decref(households);
        json_decref(mv.arr);
    }
    wg_well_release(&w);
    return rc;
}
