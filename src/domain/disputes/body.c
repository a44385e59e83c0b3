/* Mediation bodies (body.h): checked, stored with their members, read in scope. */
#include "domain/disputes/body.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/jfield.h"
#include "domain/accounts/profile.h"
#include "domain/disputes/dispute.h"
#include "store/accounts/accounts_q.h"
#include "store/disputes/body_q.h"
#include "store/map/map_q.h"

const char *const wg_body_kinds[] = {
    "village_committee", "town_committee", "county_centre", "trade", "police_desk",
    "court_desk",        "studio",         "lawyer_rota",   NULL};
const char *const wg_body_fields[] = {"name",
                                      "kind",
                                      "region",
                                      "address",
                                      "phone",
                                      "members",
                                      "members.username",
                                      "members.full_time",
                                      "members.specialities",
                                      NULL};
const char *const wg_body_member_fields[] = {"username", "full_time", "specialities", NULL};

/* A region code lies in the scope, or the scope lies in it (a town's staff see the county's
 * centre). */
static int readable(const struct wg_scope *scope, const char *region)
{
    return wg_scope_covers(scope, region) ||
           (!strcmp(scope->kind, "region") && !strncmp(scope->code, region, strlen(region)));
}

static enum wg_rc specialities(const json_t *v, int i, char **out, struct wg_err *err)
{
    *out = NULL;
    if (!v || json_is_null(v)) {
        *out = wg_strdup("[]");
        return WG_OK;
    }
    if (!json_is_array(v) || json_array_size(v) > 14)
        return wg_err_set(err, WG_EINVAL, "'members[%d].specialities' is a list of dispute types",
                          i);
    for (size_t k = 0; k < json_array_size(v); k++) {
        const char *t = json_string_value(json_array_get(v, k));
        int known = 0;
        for (const char *const *p = wg_case_types; t && *p; p++)
            known |= !strcmp(*p, t);
        if (!known)
            return wg_err_set(err, WG_EINVAL,
                              "'members[%d].specialities[%zu]' is not a type of dispute (the "
                              "types: marriage_family, neighbours, house_land, damages, debt, "
                              "contract, labour, property, medical, traffic, land_taking, "
                              "forest_land, pollution, other)",
                              i, k);
    }
    *out = json_dumps(v, JSON_COMPACT);
    return WG_OK;
}

/* A member's shape: an object of a username, full_time and specialities. */
static enum wg_rc member_shape(int i, const json_t *m, struct wg_err *err)
{
    const char *username = NULL;
    char what[40], *spec = NULL;
    int full_time = 0;
    enum wg_rc rc;
    snprintf(what, sizeof what, "members[%d]", i);
    if (!json_is_object(m))
        return wg_err_set(err, WG_EINVAL, "'%s' is an object {username, full_time, specialities}",
                          what);
    if ((rc = wg_jf_known(m, wg_body_member_fields, what, err)) ||
        (rc = wg_jf_text(m, "username", 1, 63, &username, err)) ||
        (rc = wg_jf_bool(m, "full_time", &full_time, err))) {
        wg_err_prefix(err, "%s", what);
        return rc;
    }
    rc = specialities(json_object_get(m, "specialities"), i, &spec, err);
    free(spec);
    return rc;
}

/* A member stored: an account of the mediator role, once in the body. */
static enum wg_rc member(struct wg_db *db, long long body, int i, const json_t *m,
                         struct wg_err *err)
{
    struct wg_body_member_row row = {.pos = i};
    struct wg_account_row a;
    const char *username = json_string_value(json_object_get(m, "username"));
    char *spec = NULL;
    int twice = 0;
    row.full_time = json_is_true(json_object_get(m, "full_time"));
    enum wg_rc rc = wg_store_account_get(db, username, &a, err);
    if (rc == WG_ENOTFOUND || (!rc && strcmp(a.role, "mediator")))
        return wg_err_set(err, WG_EINVAL,
                          "'members[%d].username': '%s' is not an account of a mediator", i,
                          username);
    if (rc || (rc = specialities(json_object_get(m, "specialities"), i, &spec, err)))
        return rc;
    snprintf(row.username, sizeof row.username, "%s", username);
    row.specialities = spec;
    rc = wg_store_mediation_is_member(db, body, username, &twice, err);
    if (!rc && twice)
        rc =
            wg_err_set(err, WG_EINVAL, "'members[%d].username': '%s' is listed twice", i, username);
    if (!rc)
        rc = wg_store_mediation_member_insert(db, body, &row, err);
    free(spec);
    return rc;
}

enum wg_rc wg_body_parse(const json_t *in, struct wg_body_input *b, struct wg_err *err)
{
    enum wg_rc rc;
    memset(b, 0, sizeof *b);
    if (!json_is_object(in))
        return wg_err_set(err, WG_EINVAL, "a mediation body is a JSON object");
    if ((rc = wg_jf_known(in, wg_body_fields, "a mediation body", err)) ||
        (rc = wg_jf_text(in, "name", 1, 100, &b->name, err)) ||
        (rc = wg_jf_one_of(in, "kind", wg_body_kinds, NULL, &b->kind, err)) ||
        (rc = wg_jf_text(in, "region", 1, 12, &b->region, err)) ||
        (rc = wg_jf_text(in, "address", 0, 200, &b->address, err)) ||
        (rc = wg_jf_text(in, "phone", 0, 30, &b->phone, err)))
        return rc;
    if (strspn(b->region, "0123456789") != strlen(b->region))
        return wg_err_set(err, WG_EINVAL, "'region' is a region code of digits");
    b->members = json_object_get(in, "members");
    if (b->members && json_is_null(b->members))
        b->members = NULL;
    if (b->members &&
        (!json_is_array(b->members) || json_array_size(b->members) > WG_BODY_MEMBERS_MAX))
        return wg_err_set(err, WG_EINVAL, "'members' is a list of at most %d members",
                          WG_BODY_MEMBERS_MAX);
    for (size_t i = 0; b->members && i < json_array_size(b->members); i++)
        if ((rc = member_shape((int)i, json_array_get(b->members, i), err)))
            return rc;
    return WG_OK;
}

static enum wg_rc read_body(struct wg_db *db, const struct wg_scope *scope, const json_t *in,
                            struct wg_body_row *b, const json_t **members, struct wg_err *err)
{
    struct wg_body_input p;
    struct wg_region_row r;
    enum wg_rc rc = wg_body_parse(in, &p, err);
    if (rc)
        return rc;
    rc = wg_store_region_get(db, p.region, &r, err);
    if (rc == WG_ENOTFOUND || (!rc && !wg_scope_covers(scope, p.region)))
        return wg_err_set(err, WG_EINVAL, "'region': %s is not a region in your scope", p.region);
    if (rc)
        return rc;
    snprintf(b->name, sizeof b->name, "%s", p.name);
    snprintf(b->kind, sizeof b->kind, "%s", p.kind);
    snprintf(b->region, sizeof b->region, "%s", p.region);
    snprintf(b->address, sizeof b->address, "%s", p.address ? p.address : "");
    snprintf(b->phone, sizeof b->phone, "%s", p.phone ? p.phone : "");
    *members = p.members;
    return WG_OK;
}

static enum wg_rc save(struct wg_db *db, const struct wg_scope *scope, const json_t *in,
                       long long id, long long version, const char *actor, long long now,
                       long long *out_id, struct wg_err *err)
{
    struct wg_body_row b, old;
    enum wg_rc rc;
    memset(&b, 0, sizeof b);
    if (id) {
        rc = wg_store_mediation_body_get(db, id, &old, err);
        if (!rc && !wg_scope_covers(scope, old.region))
            rc = wg_err_set(err, WG_ENOTFOUND, "mediation body %lld does not exist", id);
        if (rc)
            return rc;
    }
    const json_t *members = NULL;
    if ((rc = read_body(db, scope, in, &b, &members, err)))
        return rc;
    snprintf(b.created_by, sizeof b.created_by, "%s", actor);
    b.id = id, b.version = version;
    rc = id ? wg_store_mediation_body_update(db, &b, now, err)
            : wg_store_mediation_body_insert(db, &b, now, &id, err);
    if (!rc)
        rc = wg_store_mediation_members_clear(db, id, err);
    for (size_t i = 0; !rc && members && i < json_array_size(members); i++)
        rc = member(db, id, (int)i, json_array_get(members, i), err);
    *out_id = id;
    return rc;
}

enum wg_rc wg_body_save(struct wg_db *db, const struct wg_scope *scope, const json_t *in,
                        long long id, long long version, const char *actor, long long now,
                        long long *out_id, struct wg_err *err)
{
    int own = !wg_db_in_tx(db);
    enum wg_rc rc = own ? wg_db_begin(db, err) : WG_OK;
    if (rc)
        return rc;
    rc = save(db, scope, in, id, version, actor, now, out_id, err);
    if (own && !rc)
        rc = wg_db_commit(db, err);
    if (own && rc)
        wg_db_rollback(db);
    return rc;
}

/* ---- reading ---- */

static json_t *body_json(const struct wg_body_row *b)
{
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:I}", "id", (json_int_t)b->id, "name", b->name,
                     "kind", b->kind, "region", b->region, "address", b->address, "phone", b->phone,
                     "version", (json_int_t)b->version, "updated_at", (json_int_t)b->updated_at);
}

struct members {
    struct wg_db *db;
    const struct wg_pii_keys *keys;
    json_t *arr;
};

static int on_member(const struct wg_body_member_row *m, void *ctx)
{
    struct members *s = ctx;
    struct wg_profile p = {0};
    struct wg_err e = {0};
    json_t *j = json_pack("{s:s,s:b,s:i}", "username", m->username, "full_time", m->full_time,
                          "open_cases", 0);
    json_t *spec = json_loads(m->specialities, 0, NULL);
    json_object_set_new(j, "specialities", spec ? spec : json_array());
    int named = s->keys && !wg_profile_get(s->db, s->keys, m->username, &p, &e);
    json_object_set_new(j, "name", json_string(named && p.name ? p.name : ""));
    if (named)
        wg_profile_release(&p);
    json_array_append_new(s->arr, j);
    return 0;
}

static int on_open(const char *mediator, long long n, void *ctx)
{
    json_t *body = ctx, *arr = json_object_get(body, "members");
    json_object_set_new(body, "open_cases",
                        json_integer(json_integer_value(json_object_get(body, "open_cases")) + n));
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *m = json_array_get(arr, i);
        if (!strcmp(json_string_value(json_object_get(m, "username")), mediator))
            json_object_set_new(m, "open_cases", json_integer(n));
    }
    return 0;
}

/* A body's members (their names, time, specialities, open cases) and its open cases, added to
 * its JSON. */
static enum wg_rc fill(struct wg_db *db, const struct wg_pii_keys *keys, long long id, json_t *j,
                       struct wg_err *err)
{
    struct members s = {db, keys, json_array()};
    json_object_set_new(j, "open_cases", json_integer(0));
    enum wg_rc rc = wg_store_mediation_members(db, id, on_member, &s, err);
    json_object_set_new(j, "members", s.arr);
    return rc ? rc : wg_store_mediation_open_cases(db, id, on_open, j, err);
}

enum wg_rc wg_body_view(struct wg_db *db, const struct wg_pii_keys *keys,
                        const struct wg_scope *scope, long long id, json_t **out,
                        long long *version, struct wg_err *err)
{
    struct wg_body_row b;
    *out = NULL;
    enum wg_rc rc = wg_store_mediation_body_get(db, id, &b, err);
    if (!rc && !readable(scope, b.region))
        rc = wg_err_set(err, WG_ENOTFOUND, "mediation body %lld does not exist", id);
    if (rc)
        return rc;
    json_t *j = body_json(&b);
    if ((rc = fill(db, keys, id, j, err))) {
        json_decref(j);
        return rc;
    }
    *version = b.version;
    *out = j;
    return WG_OK;
}

struct listing {
    const struct wg_scope *scope;
    const char *region;
    json_t *arr;
};

static int on_body(const struct wg_body_row *b, void *ctx)
{
    struct listing *l = ctx;
    size_t n = strlen(l->region);
    int in_region = !n || !strncmp(b->region, l->region, n) ||
                    !strncmp(l->region, b->region, strlen(b->region));
    if (readable(l->scope, b->region) && in_region)
        json_array_append_new(l->arr, body_json(b));
    return 0;
}

enum wg_rc wg_body_list(struct wg_db *db, const struct wg_pii_keys *keys,
                        const struct wg_scope *scope, const char *region, const char *kind,
                        json_t **out, struct wg_err *err)
{
    struct listing l = {scope, region ? region : "", json_array()};
    enum wg_rc rc = WG_OK;
    *out = NULL;
    int known = !kind || !*kind;
    for (const char *const *k = wg_body_kinds; !known && *k; k++)
        known = !strcmp(*k, kind);
    if (!known)
        rc = wg_err_set(err, WG_EINVAL,
                        "'kind' is one of village_committee, town_committee, county_centre, "
                        "trade, police_desk, court_desk, studio, lawyer_rota");
    if (!rc)
        rc = wg_store_mediation_body_list(db, kind ? kind : "", on_body, &l, err);
    /* after the list is read: its members and cases are each a query of their own */
    for (size_t i = 0; !rc && i < json_array_size(l.arr); i++) {
        json_t *j = json_array_get(l.arr, i);
        rc = fill(db, keys, json_integer_value(json_object_get(j, "id")), j, err);
    }
    if (rc) {
        json_decref(l.arr);
        return rc;
    }
    *out = json_pack("{s:o}", "bodies", l.arr);
    return WG_OK;
}

enum wg_rc wg_body_serves(struct wg_db *db, long long body, const char *grid, const char *mediator,
                          struct wg_err *err)
{
    struct wg_body_row b;
    int is = 0;
    enum wg_rc rc = wg_store_mediation_body_get(db, body, &b, err);
    if (rc == WG_ENOTFOUND || (!rc && strncmp(grid, b.region, strlen(b.region))))
        return wg_err_set(err, WG_EINVAL,
                          "'body': mediation body %lld does not serve grid %s (its region is "
                          "the grid's or above it)",
                          body, grid);
    if (rc || !*mediator)
        return rc;
    if ((rc = wg_store_mediation_is_member(db, body, mediator, &is, err)))
        return rc;
    return is ? WG_OK
              : wg_err_set(err, WG_EINVAL, "'mediator': '%s' is not a member of %s", mediator,
                           b.name);
}
