/* Things of the registry (部件): their codes, a body applied and checked, stored, and the
 * orders linked to them (thing.h). */
#include "domain/registry/thing.h"

#include <ctype.h>

#include "core/jfield.h"
#include "domain/accounts/audit.h"
#include "domain/map/region.h"
#include "domain/registry/org.h"
#include "domain/registry/person.h"
#include "store/catalog/catalog_q.h"

const char *const wg_thing_states[] = {"intact", "damaged", "lost", "abandoned", "removed", NULL};
const char *const wg_thing_classes[] = {"public_facilities",
                                        "roads_traffic",
                                        "appearance_environment",
                                        "gardens_greenery",
                                        "housing_land",
                                        "other",
                                        NULL};
const char *const wg_thing_fields[] = {"code",       "class", "name", "state", "owner_unit",
                                       "maint_unit", "grid",  "lon",  "lat",   NULL};

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

/* "MMNN": a major class 01-06 and a minor class 01-99. */
static enum wg_rc check_class(const char *field, const char *k, struct wg_err *err)
{
    if (!digits(k, 4) || k[0] != '0' || k[1] < '1' || k[1] > '6')
        return wg_err_set(err, WG_EINVAL,
                          "'%s': the major class (2 digits) must be 01 to 06 (public facilities, "
                          "roads and traffic, appearance and environment, gardens and greenery, "
                          "housing and land, other)",
                          field);
    if (k[2] == '0' && k[3] == '0')
        return wg_err_set(err, WG_EINVAL, "'%s': the minor class (2 digits) must be 01 to 99",
                          field);
    return WG_OK;
}

enum wg_rc wg_thing_check_code(const char *field, const char *code, struct wg_err *err)
{
    size_t n = strlen(code);
    enum wg_rc rc;
    if (n != WG_THING_CODE_LEN || !digits(code, n))
        return wg_err_set(err, WG_EINVAL,
                          "'%s' must be 14 digits: county (6), major and minor class (2 + 2), "
                          "sequence (4)",
                          field);
    char county[7];
    snprintf(county, sizeof county, "%.6s", code);
    if (wg_region_level(county, NULL) != WG_LEVEL_COUNTY || !strncmp(code + 4, "00", 2) ||
        !strncmp(code + 2, "00", 2))
        return wg_err_set(err, WG_EINVAL,
                          "'%s': its first 6 digits '%.6s' are not a county's division code", field,
                          code);
    if ((rc = check_class(field, code + 6, err)))
        return rc;
    if (!strcmp(code + 10, "0000"))
        return wg_err_set(err, WG_EINVAL, "'%s': the sequence (last 4 digits) must be 0001 to 9999",
                          field);
    return WG_OK;
}

static enum wg_rc text_into(const json_t *body, const char *key, int required, size_t max,
                            char *dst, size_t size, struct wg_err *err)
{
    const char *v;
    enum wg_rc rc;
    if (!json_object_get(body, key) && !required)
        return WG_OK;
    if ((rc = wg_jf_text(body, key, 1, max, &v, err)))
        return rc;
    if (strlen(v) >= size)
        return wg_err_set(err, WG_EINVAL, "'%s' is longer than %zu bytes", key, size - 1);
    snprintf(dst, size, "%s", v);
    return WG_OK;
}

enum wg_rc wg_thing_apply(struct wg_thing_row *t, const json_t *body, char klass[5],
                          struct wg_err *err)
{
    int new = !t->version;
    const char *state;
    enum wg_rc rc;
    klass[0] = '\0';
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "a thing must be a JSON object");
    if (new &&json_object_get(body, "code")) {
        if ((rc = text_into(body, "code", 1, 14, t->code, sizeof t->code, err)) ||
            (rc = wg_thing_check_code("code", t->code, err)))
            return rc;
    } else if (!new &&json_object_get(body, "code")) {
        const char *same = json_string_value(json_object_get(body, "code"));
        if (!same || strcmp(same, t->code))
            return wg_err_set(err, WG_EINVAL, "'code' of thing '%s' cannot be changed", t->code);
    }
    if (json_object_get(body, "class")) {
        if ((rc = text_into(body, "class", 1, 4, klass, 5, err)) ||
            (rc = check_class("class", klass, err)))
            return rc;
        if (!new || (t->code[0] && strncmp(t->code + 6, klass, 4)))
            return wg_err_set(err, WG_EINVAL,
                              "'class' '%s' is not the class of code '%s' (digits 7 to 10)", klass,
                              t->code);
    } else if (new && !t->code[0]) {
        return wg_err_set(err, WG_EINVAL,
                          "'class' (4 digits, major and minor) is required when no 'code' is "
                          "given");
    }
    if ((rc = text_into(body, "name", new, 40, t->name, sizeof t->name, err)) ||
        (rc = text_into(body, "owner_unit", new, 63, t->owner_unit, sizeof t->owner_unit, err)) ||
        (rc = text_into(body, "maint_unit", new, 63, t->maint_unit, sizeof t->maint_unit, err)) ||
        (rc = text_into(body, "grid", new, 18, t->grid, sizeof t->grid, err)) ||
        (rc = wg_registry_point(body, &t->has_point, &t->lon, &t->lat, err)))
        return rc;
    if (new || json_object_get(body, "state")) {
        if ((rc = wg_jf_one_of(body, "state", wg_thing_states, "intact", &state, err)))
            return rc;
        snprintf(t->state, sizeof t->state, "%s", state);
    }
    return WG_OK;
}

static enum wg_rc unit_exists(struct wg_db *db, const char *field, const char *id,
                              struct wg_err *err)
{
    struct wg_unit_row u;
    enum wg_rc rc = wg_store_unit_get(db, id, &u, err);
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL, "'%s': unit '%s' does not exist", field, id);
    return rc;
}

/* The county and class's next free code. */
static enum wg_rc next_code(struct wg_db *db, struct wg_thing_row *t, const char *klass,
                            struct wg_err *err)
{
    char prefix[11], last[WG_THING_CODE_LEN + 1];
    long long seq = 0;
    enum wg_rc rc;
    snprintf(prefix, sizeof prefix, "%.6s%.4s", t->grid, klass);
    if ((rc = wg_store_thing_last(db, prefix, last, err)))
        return rc;
    if (*last)
        seq = strtoll(last + 10, NULL, 10);
    if (seq >= 9999)
        return wg_err_set(err, WG_ECONFLICT,
                          "'class': county %.6s has no free code left in class %s; give a "
                          "'code'",
                          t->grid, klass);
    snprintf(t->code, sizeof t->code, "%s%04lld", prefix, seq + 1);
    return WG_OK;
}

enum wg_rc wg_thing_save(struct wg_db *db, const struct wg_scope *scope, struct wg_thing_row *t,
                         const char *klass, long long expect, long long now, struct wg_err *err)
{
    enum wg_rc rc;
    if ((rc = wg_registry_grid_code_check(db, scope, "grid", t->grid, err)) ||
        (rc = unit_exists(db, "owner_unit", t->owner_unit, err)) ||
        (rc = unit_exists(db, "maint_unit", t->maint_unit, err)))
        return rc;
    if (t->code[0] && strncmp(t->code, t->grid, 6))
        return wg_err_set(err, WG_EINVAL,
                          "'grid' '%s' is not in county %.6s, the county of code '%s'", t->grid,
                          t->code, t->code);
    if (!t->version) {
        if (!t->code[0] && (rc = next_code(db, t, klass, err)))
            return rc;
        rc = wg_store_thing_insert(db, t, now, err);
        t->version = 1;
        t->created_at = now;
    } else {
        rc = wg_store_thing_update(db, t, now, expect, err);
        t->version = expect + 1;
    }
    t->updated_at = now;
    return rc;
}

enum wg_rc wg_thing_get(struct wg_db *db, const struct wg_scope *scope, const char *code,
                        struct wg_thing_row *out, struct wg_err *err)
{
    enum wg_rc rc = wg_store_thing_get(db, code, out, err);
    if (!rc && !wg_registry_covers(scope, out->grid))
        return wg_err_set(err, WG_ENOTFOUND, "thing '%s' does not exist", code);
    return rc;
}

json_t *wg_thing_json(const struct wg_thing_row *t)
{
    json_t *point =
        t->has_point ? json_pack("{s:f,s:f}", "lon", t->lon, "lat", t->lat) : json_null();
    int major = (t->code[7] - '0') - 1;
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:I,s:I,s:I}", "code", t->code, "class",
                     wg_thing_classes[major >= 0 && major < 6 ? major : 5], "minor",
                     (char[3]){t->code[8], t->code[9], 0}, "name", t->name, "state", t->state,
                     "owner_unit", t->owner_unit, "maint_unit", t->maint_unit, "grid", t->grid,
                     "point", point, "version", (json_int_t)t->version, "created_at",
                     (json_int_t)t->created_at, "updated_at", (json_int_t)t->updated_at);
}

enum wg_rc wg_thing_link(struct wg_db *db, const struct wg_scope *scope, const char *code,
                         long long order, const char *by, long long now, struct wg_err *err)
{
    struct wg_thing_row t;
    int exists = 0;
    enum wg_rc rc;
    if ((rc = wg_thing_get(db, scope, code, &t, err)) ||
        (rc = wg_store_thing_order_exists(db, order, scope ? scope->code : "", &exists, err)))
        return rc;
    if (!exists) /* outside the scope as if it did not exist */
        return wg_err_set(err, WG_EINVAL, "'order' %lld does not exist", order);
    return wg_store_thing_link(db, order, code, by, now, err);
}

enum wg_rc wg_thing_order_closed(struct wg_db *db, long long order, int closes,
                                 const json_t *thing_state, const char *actor, const char *role,
                                 long long now, struct wg_err *err)
{
    char code[WG_THING_CODE_LEN + 1], detail[96];
    const char *want = NULL;
    struct wg_thing_row t;
    enum wg_rc rc;
    if (thing_state) {
        size_t k = 0;
        want = json_string_value(thing_state);
        while (want && wg_thing_states[k] && strcmp(wg_thing_states[k], want))
            k++;
        if (!want || !wg_thing_states[k])
            return wg_err_set(err, WG_EINVAL,
                              "'thing_state' must be intact, damaged, lost, abandoned or removed");
    }
    if ((rc = wg_store_thing_link_of(db, order, code, err)))
        return rc;
    if (!*code)
        return want ? wg_err_set(err, WG_EINVAL, "'thing_state': order %lld is linked to no thing",
                                 order)
                    : WG_OK;
    if (!closes || (rc = wg_store_thing_get(db, code, &t, err)))
        return rc;
    if (!want)
        want = strcmp(t.state, "damaged") && strcmp(t.state, "lost") ? t.state : "intact";
    if (!strcmp(t.state, want))
        return WG_OK;
    snprintf(detail, sizeof detail, "state %s -> %s: order %lld closed", t.state, want, order);
    snprintf(t.state, sizeof t.state, "%s", want);
    if ((rc = wg_store_thing_update(db, &t, now, t.version, err)))
        return rc;
    struct wg_audit_event ev = {actor, role, "order", "thing.state", "thing", code, "ok", detail};
    return wg_audit_record(db, &ev, err);
}
