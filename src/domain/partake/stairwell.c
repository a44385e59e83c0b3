/* 一长二员 stairwell teams (stairwell.h): a team made and changed as a whole under its version,
 * a grid's stairwells with their teams, and the helpers the partake files share. The
 * households of a stairwell and the visits are in stairwell_visit.c. */
#include "domain/partake/stairwell.h"

#include <math.h>
#include <stdlib.h>

#include "core/civil.h"
#include "core/jfield.h"
#include "domain/accounts/pii.h"
#include "domain/registry/building.h"
#include "domain/registry/person.h"
#include "domain/partake/stairwell_well.h"

const char *const wg_stair_roles[] = {"head", "info", "guard", NULL};
const char *const wg_stair_fields[] = {"building",   "unit",         "head",        "head.person",
                                       "head.since", "info",         "info.person", "info.since",
                                       "guard",      "guard.person", "guard.since", NULL};
const char *const wg_stair_update_fields[] = {
    "head",       "head.person", "head.since",   "info",        "info.person",
    "info.since", "guard",       "guard.person", "guard.since", NULL};

/* ---- shared helpers ---- */

void wg_partake_person_masked(struct wg_db *db, const struct wg_pii_keys *keys, long long person,
                              char *out, size_t n)
{
    struct wg_person p;
    struct wg_err err = {0};
    out[0] = '\0';
    if (wg_person_load(db, keys, NULL, person, &p, &err))
        return;
    wg_pii_mask_name(p.name ? p.name : "", out, n);
    wg_person_release(&p);
}

void wg_partake_month_of(long long t, char out[8])
{
    int y, m, d;
    wg_civil_date(wg_cst_day(t), &y, &m, &d);
    snprintf(out, 8, "%04d-%02d", y % 10000, m % 100);
}

enum wg_rc wg_partake_month_param(const char *s, long long now, char out[8], struct wg_err *err)
{
    if (!s || !*s) {
        wg_partake_month_of(now, out);
        return WG_OK;
    }
    if (strlen(s) != 7 || wg_civil_parse_month(s) < 0)
        return wg_err_set(err, WG_EINVAL, "'month' must be a month YYYY-MM");
    snprintf(out, 8, "%s", s);
    return WG_OK;
}

enum wg_rc wg_partake_jf_id(const json_t *obj, const char *field, int required, long long *out,
                            struct wg_err *err)
{
    json_t *v = json_is_object(obj) ? json_object_get(obj, field) : NULL;
    *out = 0;
    if (!v || json_is_null(v)) {
        if (required)
            return wg_err_set(err, WG_EINVAL, "'%s' is required: an id (a whole number)", field);
        return WG_OK;
    }
    if (!json_is_integer(v) || json_integer_value(v) <= 0)
        return wg_err_set(err, WG_EINVAL, "'%s' must be an id (a whole number above 0)", field);
    *out = json_integer_value(v);
    return WG_OK;
}

/* ---- members ---- */

static enum wg_rc member_of(struct wg_db *db, const struct wg_pii_keys *keys,
                            const struct wg_actor *a, const json_t *body, int i, long long now,
                            struct wg_stair_row *t, struct wg_err *err)
{
    const char *role = wg_stair_roles[i], *since = NULL;
    json_t *m = json_object_get(body, role);
    char field[24];
    struct wg_person p;
    enum wg_rc rc;
    if (!json_is_object(m))
        return wg_err_set(err, WG_EINVAL, "'%s' is required: {person, since}", role);
    snprintf(field, sizeof field, "%s.person", role);
    if ((rc = wg_partake_jf_id(m, "person", 1, &t->person[i], err)))
        return wg_err_set(err, WG_EINVAL, "'%s' is required: a registry person's id", field);
    rc = wg_person_load(db, keys, &a->scope, t->person[i], &p, err);
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL, "'%s': person %lld does not exist", field, t->person[i]);
    if (rc)
        return rc;
    wg_person_release(&p);
    for (int k = 0; k < i; k++)
        if (t->person[k] == t->person[i])
            return wg_err_set(err, WG_EINVAL, "'%s': person %lld is the team's %s already", field,
                              t->person[i], wg_stair_roles[k]);
    if (wg_jf_text(m, "since", 0, 10, &since, err))
        return wg_err_set(err, WG_EINVAL, "'%s.since' must be a date YYYY-MM-DD", role);
    int today = wg_cst_day(now), day = since ? wg_civil_parse_date(since) : today;
    if (day < 0 || day > today)
        return wg_err_set(err, WG_EINVAL, "'%s.since' must be a date YYYY-MM-DD not after today",
                          role);
    wg_civil_format_date(day, t->since[i]);
    return WG_OK;
}

static enum wg_rc members(struct wg_db *db, const struct wg_pii_keys *keys,
                          const struct wg_actor *a, const json_t *body, long long now,
                          struct wg_stair_row *t, struct wg_err *err)
{
    enum wg_rc rc = WG_OK;
    for (int i = 0; i < 3 && !rc; i++)
        rc = member_of(db, keys, a, body, i, now, t, err);
    return rc;
}

static int has_houses(const struct wg_stair_house *h, void *ctx)
{
    (void)h;
    ++*(int *)ctx;
    return 1;
}

static enum wg_rc create(struct wg_db *db, const struct wg_pii_keys *keys, const struct wg_actor *a,
                         const json_t *body, long long now, long long *id, struct wg_err *err)
{
    const char *code = NULL, *unit = NULL;
    struct wg_building_row b;
    struct wg_stair_row t;
    long long other = 0;
    int n = 0;
    enum wg_rc rc;
    memset(&t, 0, sizeof t);
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the body of a stairwell team is a JSON object");
    if ((rc = wg_jf_known(body, wg_stair_fields, "a stairwell team", err)) ||
        (rc = wg_jf_text(body, "building", 1, 32, &code, err)) ||
        (rc = wg_jf_text(body, "unit", 0, 8, &unit, err)))
        return rc;
    rc = wg_building_get(db, &a->scope, code, &b, err);
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL, "'building': building '%s' does not exist", code);
    if (rc || (rc = wg_store_stair_houses(db, b.code, unit ? unit : "", has_houses, &n, err)))
        return rc;
    if (!n)
        return wg_err_set(err, WG_EINVAL, "'unit': building %s has no houses in unit '%s'", b.code,
                          unit ? unit : "");
    if ((rc = members(db, keys, a, body, now, &t, err)) ||
        (rc = wg_store_stair_at(db, b.code, unit ? unit : "", &other, err)))
        return rc;
    if (other)
        return wg_err_set(err, WG_ECONFLICT,
                          "'unit': unit '%s' of building %s has a team already (team %lld)",
                          unit ? unit : "", b.code, other);
    snprintf(t.building, sizeof t.building, "%s", b.code);
    snprintf(t.unit, sizeof t.unit, "%s", unit ? unit : "");
    snprintf(t.grid, sizeof t.grid, "%s", b.grid);
    snprintf(t.updated_by, sizeof t.updated_by, "%s", a->username);
    t.created_at = t.updated_at = now;
    return wg_store_stair_insert(db, &t, id, err);
}

enum wg_rc wg_stair_create(struct wg_db *db, const struct wg_pii_keys *keys,
                           const struct wg_actor *actor, const json_t *body, long long now,
                           long long *id, struct wg_err *err)
{
    int own = !wg_db_in_tx(db);
    enum wg_rc rc;
    *id = 0;
    if (own && (rc = wg_db_begin(db, err)))
        return rc;
    rc = create(db, keys, actor, body, now, id, err);
    if (own && !rc)
        rc = wg_db_commit(db, err);
    if (own && rc)
        wg_db_rollback(db);
    if (rc)
        *id = 0;
    return rc;
}

/* The team id in actor's scope; outside it WG_ENOTFOUND as a missing one. */
enum wg_rc wg_stair_load(struct wg_db *db, const struct wg_actor *actor, long long id,
                         struct wg_stair_row *t, struct wg_err *err)
{
    enum wg_rc rc = wg_store_stair_get(db, id, t, err);
    if (!rc && !wg_registry_covers(&actor->scope, t->grid))
        rc = wg_err_set(err, WG_ENOTFOUND, "stairwell team %lld does not exist", id);
    return rc;
}

static enum wg_rc update(struct wg_db *db, const struct wg_pii_keys *keys, const struct wg_actor *a,
                         long long id, long long expect, const json_t *body, long long now,
                         struct wg_err *err)
{
    struct wg_stair_row t;
    int changed = 0;
    enum wg_rc rc;
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the body of a stairwell team is a JSON object");
    if ((rc = wg_jf_known(body, wg_stair_update_fields, "a stairwell team's members", err)) ||
        (rc = wg_stair_load(db, a, id, &t, err)))
        return rc;
    if (t.version != expect)
        return wg_err_set(err, WG_ECONFLICT,
                          "stairwell team %lld is at version %lld, not %lld: read it again", id,
                          t.version, expect);
    if ((rc = members(db, keys, a, body, now, &t, err)))
        return rc;
    snprintf(t.updated_by, sizeof t.updated_by, "%s", a->username);
    t.updated_at = now;
    if ((rc = wg_store_stair_update(db, &t, expect, &changed, err)))
        return rc;
    if (!changed)
        return wg_err_set(err, WG_ECONFLICT, "stairwell team %lld changed meanwhile", id);
    return WG_OK;
}

enum wg_rc wg_stair_update(struct wg_db *db, const struct wg_pii_keys *keys,
                           const struct wg_actor *actor, long long id, long long expect,
                           const json_t *body, long long now, struct wg_err *err)
{
    int own = !wg_db_in_tx(db);
    enum wg_rc rc;
    if (own && (rc = wg_db_begin(db, err)))
        return rc;
    rc = update(db, keys, actor, id, expect, body, now, err);
    if (own && !rc)
        rc = wg_db_commit(db, err);
    if (own && rc)
        wg_db_rollback(db);
    return rc;
}

/* ---- reading ---- */

json_t *wg_stair_json(struct wg_db *db, const struct wg_pii_keys *keys,
                      const struct wg_stair_row *t)
{
    json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:s,s:I,s:s,s:I}", "id", (json_int_t)t->id, "building",
                          t->building, "building_name", t->building_name, "unit", t->unit, "grid",
                          t->grid, "version", (json_int_t)t->version, "updated_by", t->updated_by,
                          "updated_at", (json_int_t)t->updated_at);
    for (int i = 0; i < 3; i++) {
        char name[64];
        wg_partake_person_masked(db, keys, t->person[i], name, sizeof name);
        json_object_set_new(j, wg_stair_roles[i],
                            json_pack("{s:I,s:s,s:s}", "person", (json_int_t)t->person[i], "name",
                                      name, "since", t->since[i]));
    }
    return j;
}

static double ratio(long long a, long long b)
{
    return b ? round(1000.0 * (double)a / (double)b) / 1000.0 : 0.0;
}

enum wg_rc wg_stair_view(struct wg_db *db, const struct wg_pii_keys *keys,
                         const struct wg_actor *actor, long long id, long long now, json_t **out,
                         long long *version, struct wg_err *err)
{
    struct wg_stair_row t;
    struct wg_well w;
    char month[8];
    enum wg_rc rc;
    *out = NULL;
    wg_partake_month_of(now, month);
    if ((rc = wg_stair_load(db, actor, id, &t, err)) ||
        (rc = wg_well_load(db, keys, &t, month, &w, err)))
        return rc;
    *out = wg_stair_json(db, keys, &t);
    json_object_set_new(*out, "month",
                        json_pack("{s:s,s:I,s:I,s:f}", "month", month, "households",
                                  (json_int_t)w.n, "visited", (json_int_t)w.visited, "coverage",
                                  ratio(w.visited, w.n)));
    *version = t.version;
    wg_well_release(&w);
    return WG_OK;
}

/* ---- a grid's list ---- */

struct listing {
    struct wg_db *db;
    const struct wg_pii_keys *keys;
    json_t *teams, *wells, *visited, *without;
    long long nwells;
};

static int on_team(const struct wg_stair_row *t, void *ctx)
{
    struct listing *l = ctx;
    json_t *j = wg_stair_json(l->db, l->keys, t);
    char key[96];
    snprintf(key, sizeof key, "%s\x1f%s", t->building, t->unit);
    json_object_set_new(j, "_key", json_string(key));
    json_array_append_new(l->teams, j);
    return 0;
}

static int on_well(const char *building, const char *name, const char *unit, long long houses,
                   void *ctx)
{
    struct listing *l = ctx;
    char key[96];
    snprintf(key, sizeof key, "%s\x1f%s", building, unit);
    l->nwells++;
    json_object_set_new(l->wells, key,
                        json_pack("{s:s,s:s,s:s,s:I}", "building", building, "building_name", name,
                                  "unit", unit, "houses", (json_int_t)houses));
    return 0;
}

static int on_visited(long long team, long long households, void *ctx)
{
    struct listing *l = ctx;
    char key[24];
    snprintf(key, sizeof key, "%lld", team);
    json_object_set_new(l->visited, key, json_integer(households));
    return 0;
}

static enum wg_rc grid_of(const struct wg_actor *a, const char *grid, char out[32],
                          struct wg_err *err)
{
    size_t n = grid ? strlen(grid) : 0;
    if (!n && (strlen(a->scope.code) == 15 || strlen(a->scope.code) == 18) &&
        !wg_scope_is_unit(&a->scope))
        grid = a->scope.code, n = strlen(grid);
    if (!n)
        return wg_err_set(err, WG_EINVAL, "'grid' is required: a grid's code");
    if ((n != 15 && n != 18) || strspn(grid, "0123456789") != n)
        return wg_err_set(err, WG_EINVAL, "'grid' must be a grid's code (15 or 18 digits)");
    if (!wg_registry_covers(&a->scope, grid))
        return wg_err_set(err, WG_ENOTFOUND, "grid '%s' does not exist", grid);
    snprintf(out, 32, "%s", grid);
    return WG_OK;
}

/* Each team's households and visited households this month, from one pass over the grid's
 * households (wg_well_households). */
static enum wg_rc decorate(struct wg_db *db, const struct wg_pii_keys *keys, struct listing *l,
                           const char *grid, struct wg_err *err)
{
    json_t *homes = NULL;
    size_t i;
    json_t *j;
    enum wg_rc rc = wg_well_households(db, keys, grid, &homes, err);
    json_array_foreach(l->teams, i, j)
    {
        if (rc)
            break;
        const char *key = json_string_value(json_object_get(j, "_key"));
        char tid[24];
        long long n = 0;
        snprintf(tid, sizeof tid, "%lld", (long long)json_integer_value(json_object_get(j, "id")));
        rc = wg_well_count(db, homes, json_string_value(json_object_get(j, "building")),
                           json_string_value(json_object_get(j, "unit")), &n, err);
        long long v = json_integer_value(json_object_get(l->visited, tid));
        json_object_set_new(j, "households", json_integer(n));
        json_object_set_new(j, "visited", json_integer(v));
        json_object_set_new(j, "coverage", json_real(ratio(v, n)));
        json_object_del(l->wells, key);
        json_object_del(j, "_key");
    }
    json_decref(homes);
    return rc;
}

enum wg_rc wg_stair_list(struct wg_db *db, const struct wg_pii_keys *keys,
                         const struct wg_actor *actor, const char *grid, const char *month,
                         long long now, json_t **out, struct wg_err *err)
{
    char g[32], hi[40], m[8];
    struct listing l = {db, keys, json_array(), json_object(), json_object(), json_array(), 0};
    enum wg_rc rc;
    const char *key;
    json_t *v;
    *out = NULL;
    if (!(rc = grid_of(actor, grid, g, err)) && !(rc = wg_partake_month_param(month, now, m, err)))
        rc = wg_store_stair_of_grid(db, g, on_well, &l, err);
    snprintf(hi, sizeof hi, "%s0", g);
    if (!rc)
        rc = wg_store_stair_list(db, g, hi, 10000, on_team, &l, err);
    if (!rc)
        rc = wg_store_stair_visited(db, g, m, on_visited, &l, err);
    if (!rc)
        rc = decorate(db, keys, &l, g, err);
    if (!rc) {
        long long with = (long long)json_array_size(l.teams);
        json_object_foreach(l.wells, key, v) json_array_append(l.without, v);
        *out = json_pack("{s:s,s:s,s:I,s:I,s:f,s:O,s:O}", "grid", g, "month", m, "stairwells",
                         (json_int_t)l.nwells, "with_team", (json_int_t)with, "coverage",
                         ratio(with, l.nwells), "teams", l.teams, "without_team", l.without);
    }
    json_decref(l.teams);
    json_decref(l.wells);
    json_decref(l.visited);
    json_decref(l.without);
    return rc;
}
