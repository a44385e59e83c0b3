/* Houses of a building: their fields read and checked, made and changed (building.h). */
#include "domain/registry/building.h"

#include <ctype.h>

#include "core/jfield.h"
#include "core/utf8.h"

static enum wg_rc text_of(const json_t *body, const char *field, size_t min, size_t max, char *dst,
                          size_t size, struct wg_err *err)
{
    const char *v;
    enum wg_rc rc;
    if (!json_object_get(body, field) && !min)
        return WG_OK;
    if ((rc = wg_jf_text(body, field, min, max, &v, err)))
        return rc;
    if (v && strlen(v) >= size)
        return wg_err_set(err, WG_EINVAL, "'%s' is longer than %zu bytes", field, size - 1);
    snprintf(dst, size, "%s", v ? v : "");
    return WG_OK;
}

static enum wg_rc whole_of(const json_t *body, const char *field, int required, int *out,
                           struct wg_err *err)
{
    json_t *v = json_object_get(body, field);
    if (!v && !required)
        return WG_OK;
    if (!v || json_is_null(v))
        return wg_err_set(err, WG_EINVAL, "'%s' is required", field);
    if (!json_is_integer(v) || json_integer_value(v) < -1000 || json_integer_value(v) > 1000)
        return wg_err_set(err, WG_EINVAL, "'%s' must be a whole number", field);
    *out = (int)json_integer_value(v);
    return WG_OK;
}

enum wg_rc wg_house_apply(const json_t *body, struct wg_house_row *h, struct wg_err *err)
{
    int new = h->id == 0;
    const char *use;
    enum wg_rc rc;
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "a house must be a JSON object");
    if ((rc = text_of(body, "unit", 0, WG_HOUSE_ROOM_CHARS, h->unit, sizeof h->unit, err)) ||
        (rc = whole_of(body, "floor", new, &h->floor, err)) ||
        (rc = text_of(body, "room", json_object_get(body, "room") || new, WG_HOUSE_ROOM_CHARS,
                      h->room, sizeof h->room, err)) ||
        (rc = text_of(body, "address", 0, WG_HOUSE_ADDRESS_CHARS, h->address, sizeof h->address,
                      err)) ||
        (rc = whole_of(body, "tenants", 0, &h->tenants, err)))
        return rc;
    if (new || json_object_get(body, "use")) {
        if ((rc = wg_jf_one_of(body, "use", wg_house_uses, NULL, &use, err)))
            return rc;
        snprintf(h->use, sizeof h->use, "%s", use);
        if (strcmp(use, "rented") && !json_object_get(body, "tenants"))
            h->tenants = 0; /* no longer let: its tenants have gone */
    }
    /* a unit or room changed without an address: the address follows them */
    if (!new && !json_object_get(body, "address") &&
        (json_object_get(body, "unit") || json_object_get(body, "room")))
        h->address[0] = '\0';
    return WG_OK;
}

static int digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return 0;
    return 1;
}

enum wg_rc wg_house_check(const struct wg_building_row *b, struct wg_house_row *h,
                          struct wg_err *err)
{
    if (h->floor == 0)
        return wg_err_set(err, WG_EINVAL,
                          "'floor' 0 is no floor: floors count from 1 up, basements from -1 "
                          "down to %d",
                          WG_HOUSE_BASEMENT_MIN);
    if (h->floor > b->floors)
        return wg_err_set(err, WG_EINVAL, "'floor' %d is above the %d floors of building '%s'",
                          h->floor, b->floors, b->code);
    if (h->floor < WG_HOUSE_BASEMENT_MIN)
        return wg_err_set(err, WG_EINVAL, "'floor' %d is below the lowest basement, %d", h->floor,
                          WG_HOUSE_BASEMENT_MIN);
    if (!h->room[0])
        return wg_err_set(err, WG_EINVAL, "'room' is required");
    if (strcmp(h->use, "rented") && h->tenants)
        return wg_err_set(err, WG_EINVAL, "'tenants' is for a rented house only ('use' is '%s')",
                          h->use);
    if (h->tenants < 0 || h->tenants > WG_HOUSE_TENANTS_MAX)
        return wg_err_set(err, WG_EINVAL, "'tenants' must be a whole number from 0 to %d",
                          WG_HOUSE_TENANTS_MAX);
    if (!h->address[0]) {
        /* the building's address, the unit (2 → 2单元) and the room (301 → 301室) */
        int n = snprintf(h->address, sizeof h->address, "%s%s%s%s%s", b->address, h->unit,
                         digits(h->unit) ? "单元" : "", h->room, digits(h->room) ? "室" : "");
        if (n < 0 || (size_t)n >= sizeof h->address ||
            wg_utf8_chars(h->address) > WG_HOUSE_ADDRESS_CHARS) {
            h->address[0] = '\0';
            return wg_err_set(err, WG_EINVAL,
                              "'address': the building's address with the unit and room is "
                              "over %d characters; give the house's 'address'",
                              WG_HOUSE_ADDRESS_CHARS);
        }
    }
    return WG_OK;
}

static enum wg_rc write_house(struct wg_db *db, struct wg_house_row *h, long long expect,
                              struct wg_house_row *out, struct wg_err *err)
{
    int own = !wg_db_in_tx(db); /* else the caller's transaction, an import's */
    enum wg_rc rc = own ? wg_db_begin(db, err) : WG_OK;
    if (rc)
        return rc;
    rc = expect ? wg_store_house_update(db, h, expect, err) : wg_store_house_insert(db, h, err);
    if (!rc && own)
        rc = wg_db_commit(db, err);
    if (rc) {
        if (own)
            wg_db_rollback(db);
        return rc;
    }
    return wg_store_house_get(db, h->id, out, err);
}

enum wg_rc wg_house_create(struct wg_db *db, const struct wg_scope *scope, const char *building,
                           const json_t *body, long long now, struct wg_house_row *out,
                           struct wg_err *err)
{
    struct wg_building_row b;
    struct wg_house_row h;
    enum wg_rc rc;
    memset(&h, 0, sizeof h);
    if ((rc = wg_building_get(db, scope, building, &b, err)) ||
        (rc = wg_house_apply(body, &h, err)) || (rc = wg_house_check(&b, &h, err)))
        return rc;
    snprintf(h.building, sizeof h.building, "%s", b.code);
    h.created_at = h.updated_at = now;
    return write_house(db, &h, 0, out, err);
}

enum wg_rc wg_house_get(struct wg_db *db, const struct wg_scope *scope, long long id,
                        struct wg_house_row *out, struct wg_err *err)
{
    enum wg_rc rc = wg_store_house_get(db, id, out, err);
    if (!rc && scope && !wg_scope_covers(scope, out->grid))
        return wg_err_set(err, WG_ENOTFOUND, "house %lld does not exist", id);
    return rc;
}

enum wg_rc wg_house_update(struct wg_db *db, const struct wg_scope *scope, long long id,
                           long long expect, const json_t *body, long long now,
                           struct wg_house_row *out, struct wg_err *err)
{
    struct wg_building_row b;
    struct wg_house_row h;
    enum wg_rc rc;
    char text[24];
    if ((rc = wg_house_get(db, scope, id, &h, err)))
        return rc;
    snprintf(text, sizeof text, "%lld", id);
    if (h.version != expect)
        return wg_registry_stale("house", text, expect, err);
    if ((rc = wg_store_building_get(db, h.building, &b, err)) ||
        (rc = wg_house_apply(body, &h, err)) || (rc = wg_house_check(&b, &h, err)))
        return rc;
    h.updated_at = now;
    return write_house(db, &h, expect, out, err);
}
