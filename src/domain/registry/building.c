/* Buildings and houses: their fields read and checked, made and changed (building.h). */
#include "domain/registry/building.h"

#include <ctype.h>
#include <math.h>

#include "core/jfield.h"
#include "core/utf8.h"
#include "domain/map/region.h"
#include "store/map/map_q.h"

const char *const wg_building_uses[] = {"residential", "commercial", "mixed", "office",
                                        "industrial",  "public",     NULL};
const char *const wg_house_uses[] = {"owner_occupied", "rented", "empty", "business", NULL};
const char *const wg_building_fields[] = {"code", "name",   "grid", "address", "lon",
                                          "lat",  "floors", "use",  NULL};
const char *const wg_house_fields[] = {"unit", "floor", "room", "address", "use", "tenants", NULL};

/* A text field into dst when the body holds it: required ones must be there when new. */
static enum wg_rc text_field(const json_t *body, const char *field, int required, size_t max,
                             char *dst, size_t size, struct wg_err *err)
{
    const char *v;
    enum wg_rc rc;
    if (!required && !json_object_get(body, field))
        return WG_OK;
    if ((rc = wg_jf_text(body, field, required ? 1 : 0, max, &v, err)))
        return rc;
    if (v && strlen(v) >= size)
        return wg_err_set(err, WG_EINVAL, "'%s' is longer than %zu bytes", field, size - 1);
    snprintf(dst, size, "%s", v ? v : "");
    return WG_OK;
}

/* A whole-number field into *out when the body holds it (or, required, must). */
static enum wg_rc int_field(const json_t *body, const char *field, int required, long long lo,
                            long long hi, int *out, struct wg_err *err)
{
    json_t *v = json_object_get(body, field);
    if (!v && !required)
        return WG_OK;
    if (!v || json_is_null(v))
        return wg_err_set(err, WG_EINVAL, "'%s' is required", field);
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return wg_err_set(err, WG_EINVAL, "'%s' must be a whole number from %lld to %lld", field,
                          lo, hi);
    *out = (int)json_integer_value(v);
    return WG_OK;
}

static enum wg_rc use_field(const json_t *body, const char *const *list, int required, char *dst,
                            size_t size, struct wg_err *err)
{
    const char *v;
    enum wg_rc rc;
    if (!required && !json_object_get(body, "use"))
        return WG_OK;
    if ((rc = wg_jf_one_of(body, "use", list, NULL, &v, err)))
        return rc;
    snprintf(dst, size, "%s", v);
    return WG_OK;
}

static enum wg_rc code_check(const char *code, struct wg_err *err)
{
    size_t n = strlen(code);
    if (n < 1 || n > WG_BUILDING_CODE_MAX)
        return wg_err_set(err, WG_EINVAL, "'code' must be 1 to %d characters",
                          WG_BUILDING_CODE_MAX);
    for (const char *p = code; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-')
            return wg_err_set(err, WG_EINVAL, "'code' '%s' may hold only letters, digits, _ and -",
                              code);
    return WG_OK;
}

/* "lon" and "lat" together: two numbers (WGS-84), or both null to take the point away. */
static enum wg_rc point_fields(const json_t *body, int new, struct wg_building_row *b,
                               struct wg_err *err)
{
    json_t *lon = json_object_get(body, "lon"), *lat = json_object_get(body, "lat");
    if (!lon && !lat && !new)
        return WG_OK;
    if (!lon != !lat)
        return wg_err_set(err, WG_EINVAL, "'%s' is given without '%s': send both, or both null",
                          lon ? "lon" : "lat", lon ? "lat" : "lon");
    if ((!lon || json_is_null(lon)) && (!lat || json_is_null(lat))) {
        b->has_point = 0;
        b->lon = b->lat = 0;
        return WG_OK;
    }
    if (!json_is_number(lon) || !json_is_number(lat))
        return wg_err_set(err, WG_EINVAL, "'%s' must be a number beside '%s' (WGS-84 degrees)",
                          json_is_number(lon) ? "lat" : "lon", json_is_number(lon) ? "lon" : "lat");
    b->lon = json_number_value(lon);
    b->lat = json_number_value(lat);
    if (!(b->lon >= -180 && b->lon <= 180))
        return wg_err_set(err, WG_EINVAL, "'lon' %g is not a longitude (-180 to 180)", b->lon);
    if (!(b->lat >= -90 && b->lat <= 90))
        return wg_err_set(err, WG_EINVAL, "'lat' %g is not a latitude (-90 to 90)", b->lat);
    b->has_point = 1;
    return WG_OK;
}

enum wg_rc wg_building_apply(const json_t *body, int new, struct wg_building_row *b,
                             struct wg_err *err)
{
    enum wg_rc rc;
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "a building must be a JSON object");
    if (new &&json_object_get(body, "code")) {
        if ((rc =
                 text_field(body, "code", 1, WG_BUILDING_CODE_MAX, b->code, sizeof b->code, err)) ||
            (rc = code_check(b->code, err)))
            return rc;
    }
    int name = new || json_object_get(body, "name"),
        address = new || json_object_get(body, "address");
    if ((rc = text_field(body, "name", name, WG_BUILDING_NAME_CHARS, b->name, sizeof b->name,
                         err)) ||
        (rc = text_field(body, "grid", 0, 18, b->grid, sizeof b->grid, err)) ||
        (rc = text_field(body, "address", address, WG_BUILDING_ADDRESS_CHARS, b->address,
                         sizeof b->address, err)) ||
        (rc = point_fields(body, new, b, err)) ||
        (rc = int_field(body, "floors", new, 1, WG_BUILDING_FLOORS_MAX, &b->floors, err)) ||
        (rc = use_field(body, wg_building_uses, new, b->use, sizeof b->use, err)))
        return rc;
    return WG_OK;
}

static enum wg_rc unknown_grid(const char *grid, struct wg_err *err)
{
    return wg_err_set(err, WG_EINVAL, "'grid': grid '%s' does not exist", grid);
}

static int in_scope(const struct wg_scope *scope, const char *code)
{
    return !scope || wg_scope_covers(scope, code);
}

/* The grid given must be a grid's code, in scope, current. */
static enum wg_rc grid_exists(struct wg_db *db, const struct wg_scope *scope, const char *grid,
                              struct wg_err *err)
{
    struct wg_grid_row g;
    enum wg_level lvl = wg_region_level(grid, NULL);
    enum wg_rc rc;
    if (lvl != WG_LEVEL_GRID && lvl != WG_LEVEL_MICRO)
        return wg_err_set(err, WG_EINVAL, "'grid' '%s' is not a grid code (15 or 18 digits)", grid);
    if (!in_scope(scope, grid))
        return unknown_grid(grid, err);
    rc = wg_store_grid_current(db, grid, &g, NULL, err);
    return rc == WG_ENOTFOUND ? unknown_grid(grid, err) : rc;
}

enum wg_rc wg_building_check(struct wg_db *db, const struct wg_locator *loc,
                             const struct wg_scope *scope, struct wg_building_row *b,
                             struct wg_err *err)
{
    struct wg_locate_result r;
    enum wg_rc rc;
    if (b->floors < 1 || b->floors > WG_BUILDING_FLOORS_MAX)
        return wg_err_set(err, WG_EINVAL, "'floors' must be a whole number from 1 to %d",
                          WG_BUILDING_FLOORS_MAX);
    if (b->grid[0] && (rc = grid_exists(db, scope, b->grid, err)))
        return rc;
    if (!b->has_point) {
        if (!b->grid[0])
            return wg_err_set(err, WG_EINVAL,
                              "'grid' is required when the building has no point ('lon', 'lat')");
        return WG_OK;
    }
    if (!loc)
        return wg_err_set(err, WG_EUNAVAIL, "the locate index is not built yet");
    rc = wg_locator_locate(loc, b->lon, b->lat, WG_CRS_WGS84, &r, err);
    if (rc == WG_ENOTFOUND || (!rc && !b->grid[0] && !in_scope(scope, r.grid->code)))
        return wg_err_set(err, WG_EINVAL, "'lon', 'lat': point (%.6f, %.6f) lies in no grid",
                          b->lon, b->lat);
    if (rc)
        return rc;
    if (!b->grid[0]) {
        snprintf(b->grid, sizeof b->grid, "%s", r.grid->code);
        return WG_OK;
    }
    if (!strcmp(r.grid->code, b->grid))
        return WG_OK;
    for (size_t i = 0; i < r.noverlay; i++)
        if (!strcmp(r.overlay[i]->code, b->grid))
            return WG_OK;
    return wg_err_set(err, WG_EINVAL,
                      "'grid' '%s' does not hold the point (%.6f, %.6f), which lies in grid '%s'",
                      b->grid, b->lon, b->lat, r.grid->code);
}

/* A change made on a version another change has replaced. */
enum wg_rc wg_registry_stale(const char *what, const char *id, long long expect, struct wg_err *err)
{
    return wg_err_set(err, WG_EPRECOND,
                      "%s '%s' changed since version %lld was read: read it again", what, id,
                      expect);
}

/* The grid's next free code: its code and a 3-digit sequence. */
static enum wg_rc next_code(struct wg_db *db, struct wg_building_row *b, struct wg_err *err)
{
    struct wg_building_row other;
    long long n;
    enum wg_rc rc = wg_store_building_grid_count(db, b->grid, &n, err);
    for (long long seq = n + 1; !rc && seq <= 999; seq++) {
        snprintf(b->code, sizeof b->code, "%s%03lld", b->grid, seq);
        rc = wg_store_building_get(db, b->code, &other, err);
        if (rc == WG_ENOTFOUND) {
            wg_err_clear(err);
            return WG_OK;
        }
    }
    return rc ? rc
              : wg_err_set(err, WG_ECONFLICT,
                           "grid '%s' has no free building code left: give the building a 'code'",
                           b->grid);
}

/* Ends the write's transaction — its own (own set), or the caller's, which a failure
 * leaves to the caller to roll back — then reads the row back as stored. */
static enum wg_rc finish(struct wg_db *db, int own, enum wg_rc rc, const char *code,
                         struct wg_building_row *out, struct wg_err *err)
{
    if (!rc && own)
        rc = wg_db_commit(db, err);
    if (rc) {
        if (own)
            wg_db_rollback(db);
        return rc;
    }
    return wg_store_building_get(db, code, out, err);
}

enum wg_rc wg_building_create(struct wg_db *db, const struct wg_locator *loc,
                              const struct wg_scope *scope, const json_t *body, long long now,
                              struct wg_building_row *out, struct wg_err *err)
{
    struct wg_building_row b;
    enum wg_rc rc;
    memset(&b, 0, sizeof b);
    if ((rc = wg_building_apply(body, 1, &b, err)) ||
        (rc = wg_building_check(db, loc, scope, &b, err)))
        return rc;
    b.created_at = b.updated_at = now;
    int own = !wg_db_in_tx(db);
    if (own && (rc = wg_db_begin(db, err)))
        return rc;
    if (!b.code[0])
        rc = next_code(db, &b, err);
    if (!rc)
        rc = wg_store_building_insert(db, &b, err);
    return finish(db, own, rc, b.code, out, err);
}

enum wg_rc wg_building_get(struct wg_db *db, const struct wg_scope *scope, const char *code,
                           struct wg_building_row *out, struct wg_err *err)
{
    enum wg_rc rc = wg_store_building_get(db, code, out, err);
    if (!rc && !in_scope(scope, out->grid))
        return wg_err_set(err, WG_ENOTFOUND, "building '%s' does not exist", code);
    return rc;
}

enum wg_rc wg_building_update(struct wg_db *db, const struct wg_locator *loc,
                              const struct wg_scope *scope, const char *code, long long expect,
                              const json_t *body, long long now, struct wg_building_row *out,
                              struct wg_err *err)
{
    struct wg_building_row b;
    int top = 0, bottom = 0;
    enum wg_rc rc;
    if ((rc = wg_building_get(db, scope, code, &b, err)))
        return rc;
    if (b.version != expect)
        return wg_registry_stale("building", code, expect, err);
    char old_address[sizeof b.address];
    snprintf(old_address, sizeof old_address, "%s", b.address);
    const char *same = json_string_value(json_object_get(body, "code"));
    if (json_object_get(body, "code") && (!same || strcmp(same, code)))
        return wg_err_set(err, WG_EINVAL, "'code' of building '%s' cannot be changed", code);
    if ((rc = wg_building_apply(body, 0, &b, err)))
        return rc;
    if (json_object_get(body, "lon") && b.has_point && !json_object_get(body, "grid"))
        b.grid[0] = '\0'; /* moved: the new point says where it stands */
    if ((rc = wg_building_check(db, loc, scope, &b, err)))
        return rc;
    b.updated_at = now;
    int own = !wg_db_in_tx(db);
    if (own && (rc = wg_db_begin(db, err)))
        return rc;
    /* in the write's transaction, so that no house comes between the check and the change */
    if (!(rc = wg_store_building_floor_span(db, code, &top, &bottom, err)) && top > b.floors)
        rc = wg_err_set(err, WG_EINVAL,
                        "'floors' %d is below floor %d, where the building has houses", b.floors,
                        top);
    if (!rc)
        rc = wg_store_building_update(db, &b, expect, err);
    /* the houses whose address is the building's with their unit and room follow it */
    if (!rc && strcmp(old_address, b.address))
        rc = wg_store_house_readdress(db, code, old_address, b.address, now, err);
    return finish(db, own, rc, code, out, err);
}
