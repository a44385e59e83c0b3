/* The party overlay of the registry: party organizations on their places, their members,
 * central households and those they serve (party.h). */
#include "domain/registry/party.h"

#include "core/alloc.h"
#include "core/jfield.h"
#include "core/param.h"
#include "domain/map/region.h"
#include "domain/registry/org.h"
#include "domain/registry/person.h"
#include "store/map/map_q.h"
#include "store/registry/places_q.h"
#include "store/registry/registry_q.h"

const char *const wg_party_kinds[] = {"committee", "general_branch", "branch", "group", NULL};
const char *const wg_party_roles[] = {"secretary", "deputy_secretary", "committee_member", "member",
                                      NULL};
const char *const wg_party_org_fields[] = {"name",     "kind",   "region", "grid",
                                           "building", "parent", NULL};
const char *const wg_party_member_fields[] = {"person", "role", "joined", NULL};
const char *const wg_party_centre_fields[] = {"household", "party_org", "member", "serves", NULL};

static int rank_of(const char *kind)
{
    for (int i = 0; wg_party_kinds[i]; i++)
        if (!strcmp(wg_party_kinds[i], kind))
            return i;
    return -1;
}

/* An id field: a whole number from 1 (null gives 0 where allow_null). */
static enum wg_rc id_field(const json_t *body, const char *key, int allow_null, long long *out,
                           struct wg_err *err)
{
    json_t *v = json_object_get(body, key);
    if (allow_null && json_is_null(v)) {
        *out = 0;
        return WG_OK;
    }
    if (!json_is_integer(v) || json_integer_value(v) < 1)
        return wg_err_set(err, WG_EINVAL, "'%s' must be an id (a whole number from 1)%s", key,
                          allow_null ? " or null" : "");
    *out = json_integer_value(v);
    return WG_OK;
}

/* ---- organizations ---- */

enum wg_rc wg_party_org_apply(struct wg_party_org_row *p, const json_t *body, struct wg_err *err)
{
    static const char *const places[] = {"region", "grid", "building"};
    const char *v;
    int new = !p->id, given = 0;
    enum wg_rc rc;
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "a party organization must be a JSON object");
    if (new || json_object_get(body, "name")) {
        if ((rc = wg_jf_text(body, "name", 1, 60, &v, err)))
            return rc;
        snprintf(p->name, sizeof p->name, "%s", v);
    }
    if (new || json_object_get(body, "kind")) {
        if ((rc = wg_jf_one_of(body, "kind", wg_party_kinds, NULL, &v, err)))
            return rc;
        snprintf(p->kind, sizeof p->kind, "%s", v);
    }
    for (size_t i = 0; i < 3; i++) {
        if (!json_object_get(body, places[i]))
            continue;
        if (given++)
            return wg_err_set(err, WG_EINVAL,
                              "'%s': give one place, a 'region', a 'grid' or a 'building'",
                              places[i]);
        if ((rc = wg_jf_text(body, places[i], 1, 32, &v, err)))
            return rc;
        snprintf(p->place_kind, sizeof p->place_kind, "%s", places[i]);
        snprintf(p->place, sizeof p->place, "%s", v);
    }
    if (new && !given)
        return wg_err_set(err, WG_EINVAL,
                          "'region', 'grid' or 'building' is required: the place the party "
                          "organization is bound to");
    if (json_object_get(body, "parent") && (rc = id_field(body, "parent", 1, &p->parent, err)))
        return rc;
    return WG_OK;
}

/* The place the kind allows, in scope: settles p->area. */
static enum wg_rc check_place(struct wg_db *db, const struct wg_scope *scope,
                              struct wg_party_org_row *p, struct wg_err *err)
{
    static const char *const allowed[] = {"region", "region", "grid", "building grid"};
    int rank = rank_of(p->kind);
    enum wg_rc rc;
    if (!strstr(allowed[rank], p->place_kind))
        return wg_err_set(err, WG_EINVAL, "'%s': a %s is bound to a %s", p->place_kind, p->kind,
                          rank == 3 ? "building or a grid" : allowed[rank]);
    if (!strcmp(p->place_kind, "grid")) {
        snprintf(p->area, sizeof p->area, "%s", p->place);
        return wg_registry_grid_code_check(db, scope, "grid", p->place, err);
    }
    if (!strcmp(p->place_kind, "building")) {
        struct wg_building_row b;
        rc = wg_store_building_get(db, p->place, &b, err);
        if (rc == WG_ENOTFOUND || (!rc && !wg_registry_covers(scope, b.grid)))
            return wg_err_set(err, WG_EINVAL, "'building': '%s' does not exist", p->place);
        if (!rc)
            snprintf(p->area, sizeof p->area, "%s", b.grid);
        return rc;
    }
    struct wg_region_row r;
    enum wg_level lvl = wg_region_level(p->place, NULL);
    if (lvl != WG_LEVEL_VILLAGE && (lvl != WG_LEVEL_TOWN || rank != 0))
        return wg_err_set(err, WG_EINVAL, "'region' '%s' is not a %s's code", p->place,
                          rank ? "village (community)" : "town's or village");
    rc = wg_store_region_get(db, p->place, &r, err);
    if (rc == WG_ENOTFOUND || (!rc && !wg_registry_covers(scope, p->place)))
        return wg_err_set(err, WG_EINVAL, "'region': '%s' %s", p->place,
                          rc ? "does not exist" : "is outside your scope");
    snprintf(p->area, sizeof p->area, "%s", p->place);
    return rc;
}

static enum wg_rc check_parent(struct wg_db *db, const struct wg_scope *scope,
                               const struct wg_party_org_row *p, struct wg_err *err)
{
    struct wg_party_org_row up;
    enum wg_rc rc;
    if (!p->parent)
        return WG_OK;
    rc = wg_party_org_get(db, scope, p->parent, &up, err);
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL, "'parent': party organization %lld does not exist",
                          p->parent);
    if (rc)
        return rc;
    if (rank_of(up.kind) >= rank_of(p->kind))
        return wg_err_set(err, WG_EINVAL, "'parent': a %s cannot be under a %s", p->kind, up.kind);
    if (strncmp(p->area, up.area, strlen(up.area)))
        return wg_err_set(err, WG_EINVAL,
                          "'parent': party organization %lld's place (%s) does not hold %s", up.id,
                          up.area, p->area);
    return WG_OK;
}

enum wg_rc wg_party_org_save(struct wg_db *db, const struct wg_scope *scope,
                             struct wg_party_org_row *p, long long expect, long long now,
                             struct wg_err *err)
{
    enum wg_rc rc;
    if ((rc = check_place(db, scope, p, err)) || (rc = check_parent(db, scope, p, err)))
        return rc;
    if (!p->id) {
        rc = wg_store_party_org_insert(db, p, now, &p->id, err);
        p->version = 1;
        p->created_at = now;
    } else {
        rc = wg_store_party_org_update(db, p, now, expect, err);
        p->version = expect + 1;
    }
    p->updated_at = now;
    return rc;
}

enum wg_rc wg_party_org_get(struct wg_db *db, const struct wg_scope *scope, long long id,
                            struct wg_party_org_row *out, struct wg_err *err)
{
    enum wg_rc rc = wg_store_party_org_get(db, id, out, err);
    if (!rc && !wg_registry_covers(scope, out->area))
        return wg_err_set(err, WG_ENOTFOUND, "party organization %lld does not exist", id);
    return rc;
}

json_t *wg_party_org_json(const struct wg_party_org_row *p)
{
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:I,s:I,s:I}", "id", (json_int_t)p->id, "name",
                     p->name, "kind", p->kind, "place_kind", p->place_kind, "place", p->place,
                     "area", p->area, "parent", p->parent ? json_integer(p->parent) : json_null(),
                     "version", (json_int_t)p->version, "created_at", (json_int_t)p->created_at,
                     "updated_at", (json_int_t)p->updated_at);
}

struct page {
    json_t *arr;
    long long limit, last;
    int more;
};

static int add_org(const struct wg_party_org_row *p, void *ctx)
{
    struct page *pg = ctx;
    if ((long long)json_array_size(pg->arr) == pg->limit) {
        pg->more = 1;
        return 1;
    }
    json_array_append_new(pg->arr, wg_party_org_json(p));
    pg->last = p->id;
    return 0;
}

static int add_centre(const struct wg_party_centre_row *c, void *ctx);

/* A page of either list, by id from a cursor. */
static enum wg_rc list(struct wg_db *db, const struct wg_scope *scope, const char *grid,
                       const char *region, const char *kind, const char *limit, const char *cursor,
                       const char *key, json_t **out, struct wg_err *err)
{
    struct page pg = {NULL, 50, 0, 0};
    char lo[32], hi[33], next[24];
    long long after = 0;
    enum wg_rc rc;
    *out = NULL;
    if ((rc = wg_param_count(limit, "limit", 1, 200, &pg.limit, err)))
        return rc;
    if (cursor && wg_param_id(cursor, 1, INT64_MAX, &after))
        return wg_err_set(err, WG_EINVAL,
                          "'cursor' is not a cursor of this list; pass the next_cursor of the "
                          "page before");
    if (kind && rank_of(kind) < 0)
        return wg_err_set(err, WG_EINVAL,
                          "'kind' must be committee, general_branch, branch or group");
    if ((rc = wg_registry_range(scope, grid, region, lo, hi, err)))
        return rc;
    pg.arr = json_array();
    rc =
        strcmp(key, "party_orgs")
            ? wg_store_party_centre_list(db, lo, hi, after, (int)pg.limit + 1, add_centre, &pg, err)
            : wg_store_party_org_list(db, lo, hi, after, kind ? kind : "", (int)pg.limit + 1,
                                      add_org, &pg, err);
    if (rc) {
        json_decref(pg.arr);
        return rc;
    }
    snprintf(next, sizeof next, "%lld", pg.last);
    *out = json_pack("{s:o,s:o}", key, pg.arr, "next_cursor",
                     pg.more ? json_string(next) : json_null());
    return WG_OK;
}

enum wg_rc wg_party_org_list(struct wg_db *db, const struct wg_scope *scope, const char *grid,
                             const char *region, const char *kind, const char *limit,
                             const char *cursor, json_t **out, struct wg_err *err)
{
    return list(db, scope, grid, region, kind, limit, cursor, "party_orgs", out, err);
}

/* ---- members ---- */

struct person_facts {
    int found;
    char political[16], grid[32];
    long long household;
};

static int take_person(const struct wg_person_row *r, void *ctx)
{
    struct person_facts *f = ctx;
    f->found = 1;
    snprintf(f->political, sizeof f->political, "%s", r->political);
    snprintf(f->grid, sizeof f->grid, "%s", r->grid);
    f->household = r->household;
    return 1;
}

/* A person in scope who is a party member (or probationary); field names it in errors. */
static enum wg_rc party_person(struct wg_db *db, const struct wg_scope *scope, const char *field,
                               long long id, struct person_facts *f, struct wg_err *err)
{
    enum wg_rc rc = wg_store_person_get(db, id, take_person, f, err);
    if (rc == WG_ENOTFOUND || (!rc && !wg_registry_covers(scope, f->grid)))
        return wg_err_set(err, WG_EINVAL, "'%s': person %lld does not exist", field, id);
    if (rc)
        return rc;
    if (strcmp(f->political, "party_member") && strcmp(f->political, "probationary"))
        return wg_err_set(err, WG_EINVAL,
                          "'%s': person %lld's political status is '%s', not party_member or "
                          "probationary",
                          field, id, f->political);
    return WG_OK;
}

enum wg_rc wg_party_member_add(struct wg_db *db, const struct wg_scope *scope, long long org,
                               const json_t *body, long long now, long long *person,
                               struct wg_err *err)
{
    struct wg_party_org_row p;
    struct person_facts f = {0};
    const char *role, *joined = NULL;
    int y, m, d;
    enum wg_rc rc;
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "a member must be a JSON object");
    if ((rc = id_field(body, "person", 0, person, err)) ||
        (rc = wg_jf_one_of(body, "role", wg_party_roles, "member", &role, err)) ||
        (rc = wg_jf_text(body, "joined", 0, 10, &joined, err)))
        return rc;
    if (joined && (sscanf(joined, "%4d-%2d-%2d", &y, &m, &d) != 3 || strlen(joined) != 10 ||
                   y < 1921 || m < 1 || m > 12 || d < 1 || d > 31))
        return wg_err_set(err, WG_EINVAL, "'joined' must be a date, YYYY-MM-DD");
    if ((rc = wg_party_org_get(db, scope, org, &p, err)) ||
        (rc = party_person(db, scope, "person", *person, &f, err)))
        return rc;
    return wg_store_party_member_add(db, org, *person, role, joined ? joined : "", now, err);
}

enum wg_rc wg_party_member_remove(struct wg_db *db, const struct wg_scope *scope, long long org,
                                  long long person, struct wg_err *err)
{
    struct wg_party_org_row p;
    int removed = 0;
    enum wg_rc rc;
    if ((rc = wg_party_org_get(db, scope, org, &p, err)) ||
        (rc = wg_store_party_member_remove(db, org, person, &removed, err)))
        return rc;
    if (!removed)
        return wg_err_set(err, WG_ENOTFOUND,
                          "person %lld is not a member of party organization "
                          "%lld",
                          person, org);
    return WG_OK;
}

static int add_member(const struct wg_party_member_row *m, void *ctx)
{
    json_t *j = json_pack("{s:I,s:s,s:s,s:I}", "person", (json_int_t)m->person, "role", m->role,
                          "joined", m->joined, "added_at", (json_int_t)m->added_at);
    json_array_append_new(ctx, j);
    return 0;
}

enum wg_rc wg_party_members_json(struct wg_db *db, const struct wg_pii_keys *keys,
                                 const struct wg_scope *scope, long long org, json_t **out,
                                 struct wg_err *err)
{
    struct wg_party_org_row p;
    json_t *arr;
    size_t i;
    json_t *j;
    enum wg_rc rc;
    *out = NULL;
    if ((rc = wg_party_org_get(db, scope, org, &p, err)))
        return rc;
    arr = json_array();
    rc = wg_store_party_member_list(db, org, add_member, arr, err);
    /* each member as the registry shows a person: masked (outside scope: the id alone) */
    json_array_foreach(arr, i, j)
    {
        struct wg_person person;
        long long id = json_integer_value(json_object_get(j, "person"));
        char name[64];
        if (rc)
            break;
        rc = wg_person_load(db, keys, scope, id, &person, err);
        if (rc == WG_ENOTFOUND) {
            wg_err_clear(err);
            rc = WG_OK;
            continue;
        }
        if (rc)
            break;
        wg_pii_mask_name(person.name, name, sizeof name);
        json_object_set_new(j, "name", json_string(name));
        json_object_set_new(j, "grid", json_string(person.grid));
        json_object_set_new(j, "political", json_string(person.political));
        wg_person_release(&person);
    }
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = json_pack("{s:I,s:o}", "party_org", (json_int_t)org, "members", arr);
    return WG_OK;
}

/* ---- central households ---- */

struct household_facts {
    int found;
    char grid[32];
};

static int take_household(const struct wg_household_row *r, void *ctx)
{
    struct household_facts *f = ctx;
    f->found = 1;
    snprintf(f->grid, sizeof f->grid, "%s", r->grid);
    return 1;
}

static enum wg_rc household_in_scope(struct wg_db *db, const struct wg_scope *scope,
                                     const char *field, long long id, char grid[32],
                                     struct wg_err *err)
{
    struct household_facts f = {0};
    enum wg_rc rc = wg_store_household_get(db, id, take_household, &f, err);
    if (rc == WG_ENOTFOUND || (!rc && !wg_registry_covers(scope, f.grid)))
        return wg_err_set(err, WG_EINVAL, "'%s': household %lld does not exist", field, id);
    if (!rc && grid)
        snprintf(grid, 32, "%s", f.grid);
    return rc;
}

/* "serves": up to 50 distinct households in scope, not c's own, none another's. */
static enum wg_rc serves_field(struct wg_db *db, const struct wg_scope *scope, const json_t *body,
                               long long self, long long *ids, size_t *n, struct wg_err *err)
{
    json_t *v = json_object_get(body, "serves"), *h;
    size_t i;
    enum wg_rc rc;
    if (!json_is_array(v) || json_array_size(v) > WG_PARTY_SERVES_MAX)
        return wg_err_set(err, WG_EINVAL, "'serves' must be a list of at most %d household ids",
                          WG_PARTY_SERVES_MAX);
    json_array_foreach(v, i, h)
    {
        long long id = json_integer_value(h), by = 0;
        if (!json_is_integer(h) || id < 1)
            return wg_err_set(err, WG_EINVAL, "'serves' item %zu is not a household id", i + 1);
        if (id == self)
            return wg_err_set(err, WG_EINVAL, "'serves' item %zu is the central household itself",
                              i + 1);
        for (size_t k = 0; k < i; k++)
            if (ids[k] == id)
                return wg_err_set(err, WG_EINVAL, "'serves' lists household %lld twice", id);
        if ((rc = household_in_scope(db, scope, "serves", id, NULL, err)) ||
            (rc = wg_store_party_served_by(db, id, &by, err)))
            return rc;
        if (by && by != self)
            return wg_err_set(err, WG_ECONFLICT,
                              "'serves': household %lld is served by central household %lld", id,
                              by);
        ids[i] = id;
    }
    *n = i;
    return WG_OK;
}

static enum wg_rc centre_refs(struct wg_db *db, const struct wg_scope *scope,
                              struct wg_party_centre_row *c, struct wg_err *err)
{
    struct wg_party_org_row p;
    struct person_facts f = {0};
    int is = 0;
    enum wg_rc rc = wg_party_org_get(db, scope, c->party_org, &p, err);
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL, "'party_org': party organization %lld does not exist",
                          c->party_org);
    if (rc || (rc = party_person(db, scope, "member", c->member, &f, err)))
        return rc;
    if (f.household != c->household)
        return wg_err_set(err, WG_EINVAL, "'member': person %lld is not of household %lld",
                          c->member, c->household);
    if ((rc = wg_store_party_member_is(db, c->party_org, c->member, &is, err)))
        return rc;
    if (!is)
        return wg_err_set(err, WG_EINVAL,
                          "'member': person %lld is not a member of party organization %lld",
                          c->member, c->party_org);
    return WG_OK;
}

enum wg_rc wg_party_centre_save(struct wg_db *db, const struct wg_scope *scope, long long household,
                                const json_t *body, long long expect, long long now,
                                struct wg_party_centre_row *out, struct wg_err *err)
{
    struct wg_party_centre_row c;
    long long ids[WG_PARTY_SERVES_MAX];
    size_t n = 0;
    int has_serves = json_object_get(body, "serves") != NULL;
    enum wg_rc rc;
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "a central household must be a JSON object");
    memset(&c, 0, sizeof c);
    if (expect) {
        if ((rc = wg_party_centre_get(db, scope, household, &c, err)))
            return rc;
        if (json_object_get(body, "household") &&
            json_integer_value(json_object_get(body, "household")) != household)
            return wg_err_set(err, WG_EINVAL, "'household' of a central household cannot change");
    } else if ((rc = id_field(body, "household", 0, &c.household, err))) {
        return rc;
    }
    if ((!expect || json_object_get(body, "party_org")) &&
        (rc = id_field(body, "party_org", 0, &c.party_org, err)))
        return rc;
    if ((!expect || json_object_get(body, "member")) &&
        (rc = id_field(body, "member", 0, &c.member, err)))
        return rc;
    if ((rc = household_in_scope(db, scope, "household", c.household, c.grid, err)) ||
        (rc = centre_refs(db, scope, &c, err)) ||
        (has_serves && (rc = serves_field(db, scope, body, c.household, ids, &n, err))))
        return rc;
    if (!expect)
        rc = wg_store_party_centre_insert(db, &c, now, err);
    else
        rc = wg_store_party_centre_update(db, &c, now, expect, err);
    if (!rc && has_serves)
        rc = wg_store_party_served_set(db, c.household, ids, n, err);
    if (!rc)
        rc = wg_store_party_centre_get(db, c.household, out, err);
    return rc;
}

enum wg_rc wg_party_centre_get(struct wg_db *db, const struct wg_scope *scope, long long household,
                               struct wg_party_centre_row *out, struct wg_err *err)
{
    enum wg_rc rc = wg_store_party_centre_get(db, household, out, err);
    if (!rc && !wg_registry_covers(scope, out->grid))
        return wg_err_set(err, WG_ENOTFOUND, "central household %lld does not exist", household);
    return rc;
}

static int add_served(long long household, void *ctx)
{
    json_array_append_new(ctx, json_integer(household));
    return 0;
}

static json_t *centre_json(const struct wg_party_centre_row *c, json_t *serves)
{
    return json_pack("{s:I,s:I,s:I,s:s,s:o,s:I,s:I,s:I}", "household", (json_int_t)c->household,
                     "party_org", (json_int_t)c->party_org, "member", (json_int_t)c->member, "grid",
                     c->grid, "serves", serves, "version", (json_int_t)c->version, "created_at",
                     (json_int_t)c->created_at, "updated_at", (json_int_t)c->updated_at);
}

enum wg_rc wg_party_centre_json(struct wg_db *db, const struct wg_party_centre_row *c, json_t **out,
                                struct wg_err *err)
{
    json_t *serves = json_array();
    enum wg_rc rc = wg_store_party_served_list(db, c->household, add_served, serves, err);
    if (rc) {
        json_decref(serves);
        return rc;
    }
    *out = centre_json(c, serves);
    return WG_OK;
}

static int add_centre(const struct wg_party_centre_row *c, void *ctx)
{
    struct page *pg = ctx;
    if ((long long)json_array_size(pg->arr) == pg->limit) {
        pg->more = 1;
        return 1;
    }
    json_array_append_new(pg->arr, centre_json(c, json_null())); /* serves: GET the one */
    pg->last = c->household;
    return 0;
}

enum wg_rc wg_party_centre_list(struct wg_db *db, const struct wg_scope *scope, const char *grid,
                                const char *region, const char *limit, const char *cursor,
                                json_t **out, struct wg_err *err)
{
    return list(db, scope, grid, region, NULL, limit, cursor, "centre_households", out, err);
}
