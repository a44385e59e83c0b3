/* Organizations of the registry: the credit code's checks, a body applied and checked, the
 * responsible person sealed and opened, lists in scope (org.h). */
#include "domain/registry/org.h"

#include <ctype.h>

#include "core/alloc.h"
#include "core/jfield.h"
#include "core/param.h"
#include "domain/map/region.h"
#include "domain/registry/person.h"
#include "store/map/map_q.h"
#include "store/registry/places_q.h"

const char *const wg_org_kinds[] = {
    "enterprise",         "individual_business", "social_organization", "school", "hospital",
    "public_institution", "party_organization",  "property_company",    "other",  NULL};
const char *const wg_org_hazards[] = {
    "hazardous_chemicals", "crowded_place",  "fire_key_unit",     "gas_user",
    "construction_site",   "confined_space", "special_equipment", NULL};
const char *const wg_org_fields[] = {"credit_code",  "name", "kind",     "person_name",
                                     "person_phone", "grid", "building", "address",
                                     "lon",          "lat",  "hazards",  NULL};

/* ---- the unified social credit code (GB 32100-2015) ---- */

static const char CHARSET[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int WEIGHTS[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

enum wg_rc wg_org_check_credit_code(const char *code, struct wg_err *err)
{
    size_t n = code ? strlen(code) : 0;
    int sum = 0, osum = 0;
    if (n != 18)
        return wg_err_set(err, WG_EINVAL,
                          "'credit_code' must be 18 characters (a unified social credit code), "
                          "not %zu",
                          n);
    for (size_t i = 0; i < 18; i++) {
        const char *at = code[i] ? strchr(CHARSET, code[i]) : NULL;
        if (!at)
            return wg_err_set(err, WG_EINVAL,
                              "'credit_code': character %zu is not one of 0-9 A-H J-N P-R T U "
                              "W-Y (upper case; I, O, S, V and Z are never used)",
                              i + 1);
        if (i < 17)
            sum += (int)(at - CHARSET) * WEIGHTS[i];
    }
    for (size_t i = 2; i < 8; i++)
        if (!isdigit((unsigned char)code[i]))
            return wg_err_set(err, WG_EINVAL,
                              "'credit_code': characters 3 to 8 are the division code, 6 digits");
    /* the organization code (GB 11714): 8 characters, letters worth 10 to 35, and a check */
    static const int OW[8] = {3, 7, 9, 10, 5, 8, 4, 2};
    for (size_t i = 0; i < 8; i++) {
        char c = code[8 + i];
        osum += (isdigit((unsigned char)c) ? c - '0' : c - 'A' + 10) * OW[i];
    }
    int oc = 11 - osum % 11;
    char ocheck = oc == 10 ? 'X' : oc == 11 ? '0' : (char)('0' + oc);
    if (code[16] != ocheck)
        return wg_err_set(err, WG_EINVAL,
                          "'credit_code': the organization code (characters 9 to 17) fails its "
                          "check (GB 11714): character 17 should be '%c'",
                          ocheck);
    int c = 31 - sum % 31;
    char check = CHARSET[c == 31 ? 0 : c];
    if (code[17] != check)
        return wg_err_set(err, WG_EINVAL,
                          "'credit_code': the check character (18th) should be '%c', not '%c': "
                          "a character was mistyped",
                          check, code[17]);
    return WG_OK;
}

void wg_org_release(struct wg_org *o)
{
    wg_pii_wipe(o->person_name);
    wg_pii_wipe(o->person_phone);
    o->person_name = o->person_phone = NULL;
}

/* ---- a body applied ---- */

static enum wg_rc text_into(const json_t *body, const char *key, size_t min, size_t max, char *dst,
                            size_t size, struct wg_err *err)
{
    const char *v;
    enum wg_rc rc;
    if (!json_object_get(body, key) && !min)
        return WG_OK;
    if ((rc = wg_jf_text(body, key, min, max, &v, err)))
        return rc;
    if (v && strlen(v) >= size)
        return wg_err_set(err, WG_EINVAL, "'%s' is longer than %zu bytes", key, size - 1);
    snprintf(dst, size, "%s", v ? v : "");
    return WG_OK;
}

static enum wg_rc sealed_into(const json_t *body, const char *key, int required, char **dst,
                              struct wg_err *err)
{
    const char *v;
    enum wg_rc rc;
    if (!json_object_get(body, key) && !required)
        return WG_OK;
    if ((rc = wg_jf_text(body, key, required ? 1 : 0, 40, &v, err)))
        return rc;
    wg_pii_wipe(*dst);
    *dst = wg_strdup(v ? v : "");
    return WG_OK;
}

static enum wg_rc hazards_of(const json_t *body, unsigned *out, struct wg_err *err)
{
    json_t *v = json_object_get(body, "hazards"), *h;
    size_t i;
    if (!v)
        return WG_OK;
    if (!json_is_array(v))
        return wg_err_set(err, WG_EINVAL, "'hazards' must be a list of hazard names");
    *out = 0;
    json_array_foreach(v, i, h)
    {
        const char *name = json_string_value(h);
        size_t k = 0;
        while (name && wg_org_hazards[k] && strcmp(wg_org_hazards[k], name))
            k++;
        if (!name || !wg_org_hazards[k])
            return wg_err_set(err, WG_EINVAL,
                              "'hazards' item %zu is not one of hazardous_chemicals, "
                              "crowded_place, fire_key_unit, gas_user, construction_site, "
                              "confined_space, special_equipment",
                              i + 1);
        *out |= 1u << k;
    }
    return WG_OK;
}

enum wg_rc wg_registry_point(const json_t *body, int *has_point, double *lon, double *lat,
                             struct wg_err *err)
{
    json_t *x = json_object_get(body, "lon"), *y = json_object_get(body, "lat");
    if (!x && !y)
        return WG_OK;
    if (!x != !y)
        return wg_err_set(err, WG_EINVAL, "'%s' is given without '%s': send both, or both null",
                          x ? "lon" : "lat", x ? "lat" : "lon");
    if (json_is_null(x) && json_is_null(y)) {
        *has_point = 0;
        *lon = *lat = 0;
        return WG_OK;
    }
    if (!json_is_number(x) || !(json_number_value(x) >= -180 && json_number_value(x) <= 180))
        return wg_err_set(err, WG_EINVAL, "'lon' must be a longitude, -180 to 180 (WGS-84)");
    if (!json_is_number(y) || !(json_number_value(y) >= -90 && json_number_value(y) <= 90))
        return wg_err_set(err, WG_EINVAL, "'lat' must be a latitude, -90 to 90 (WGS-84)");
    *has_point = 1;
    *lon = json_number_value(x);
    *lat = json_number_value(y);
    return WG_OK;
}

enum wg_rc wg_org_apply(struct wg_org *o, const json_t *body, struct wg_err *err)
{
    int new = !o->id;
    const char *kind;
    enum wg_rc rc;
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "an organization must be a JSON object");
    if ((rc =
             text_into(body, "credit_code", new, 18, o->credit_code, sizeof o->credit_code, err)) ||
        (rc = wg_org_check_credit_code(o->credit_code, err)) ||
        (rc = text_into(body, "name", new, WG_ORG_NAME_CHARS, o->name, sizeof o->name, err)) ||
        (rc = sealed_into(body, "person_name", new, &o->person_name, err)) ||
        (rc = sealed_into(body, "person_phone", 0, &o->person_phone, err)) ||
        (rc = text_into(body, "grid", 0, 18, o->grid, sizeof o->grid, err)) ||
        (rc = text_into(body, "building", 0, WG_BUILDING_CODE_MAX, o->building, sizeof o->building,
                        err)) ||
        (rc = text_into(body, "address", 0, WG_ORG_ADDRESS_CHARS, o->address, sizeof o->address,
                        err)) ||
        (rc = wg_registry_point(body, &o->has_point, &o->lon, &o->lat, err)) ||
        (rc = hazards_of(body, &o->hazards, err)))
        return rc;
    if (!new &&json_object_get(body, "building") && !json_object_get(body, "grid") &&
        o->building[0])
        o->grid[0] = '\0'; /* moved into a building: its grid is the organization's */
    if (new || json_object_get(body, "kind")) {
        if ((rc = wg_jf_one_of(body, "kind", wg_org_kinds, NULL, &kind, err)))
            return rc;
        snprintf(o->kind, sizeof o->kind, "%s", kind);
    }
    if (!o->person_name || !*o->person_name)
        return wg_err_set(err, WG_EINVAL, "'person_name' (the responsible person) is required");
    if (!o->person_phone)
        o->person_phone = wg_strdup("");
    if (*o->person_phone && (rc = wg_pii_check_phone(o->person_phone, err)))
        return wg_err_set(err, WG_EINVAL, "'person_phone': %s", err->msg);
    if (!o->grid[0] && !o->building[0])
        return wg_err_set(err, WG_EINVAL, "'grid' is required (or a 'building' whose grid it is)");
    return WG_OK;
}

/* ---- references, sealing, storing ---- */

enum wg_rc wg_registry_grid_code_check(struct wg_db *db, const struct wg_scope *scope,
                                       const char *field, const char *grid, struct wg_err *err)
{
    enum wg_level lvl = wg_region_level(grid, NULL);
    if (lvl != WG_LEVEL_GRID && lvl != WG_LEVEL_MICRO)
        return wg_err_set(err, WG_EINVAL, "'%s' '%s' is not a grid code (15 or 18 digits)", field,
                          grid);
    return wg_registry_grid_check(db, scope, field, grid, err);
}

static enum wg_rc check_refs(struct wg_db *db, const struct wg_scope *scope, struct wg_org *o,
                             struct wg_err *err)
{
    struct wg_building_row b;
    enum wg_rc rc;
    if (o->building[0]) {
        rc = wg_store_building_get(db, o->building, &b, err);
        if (rc == WG_ENOTFOUND || (!rc && !wg_registry_covers(scope, b.grid)))
            return wg_err_set(err, WG_EINVAL, "'building': '%s' does not exist", o->building);
        if (rc)
            return rc;
        if (o->grid[0] && strcmp(o->grid, b.grid))
            return wg_err_set(err, WG_EINVAL, "'grid' '%s' is not the grid of building '%s' (%s)",
                              o->grid, o->building, b.grid);
        snprintf(o->grid, sizeof o->grid, "%s", b.grid);
        if (!o->address[0])
            snprintf(o->address, sizeof o->address, "%s", b.address);
    }
    return wg_registry_grid_code_check(db, scope, "grid", o->grid, err);
}

enum wg_rc wg_org_save(struct wg_db *db, const struct wg_pii_keys *keys,
                       const struct wg_scope *scope, struct wg_org *o, long long expect,
                       long long now, struct wg_err *err)
{
    struct wg_org_row r;
    char nphone[64] = "", blind[WG_PII_BLIND_HEX] = "";
    char *sname = NULL, *sphone = NULL;
    long long other = 0;
    enum wg_rc rc;
    if ((rc = check_refs(db, scope, o, err)) ||
        (rc = wg_store_org_by_code(db, o->credit_code, &other, err)))
        return rc;
    if (other && other != o->id)
        return wg_err_set(err, WG_ECONFLICT,
                          "'credit_code' '%s' is another organization's already (organization "
                          "%lld)",
                          o->credit_code, other);
    if ((*o->person_phone &&
         ((rc = wg_pii_normalize(WG_PII_PHONE, o->person_phone, nphone, sizeof nphone, err)) ||
          (rc = wg_pii_blind(keys, WG_PII_PHONE, nphone, blind, err)) ||
          (rc = wg_pii_encrypt(keys, nphone, "org.person_phone", &sphone, err)))) ||
        (rc = wg_pii_encrypt(keys, o->person_name, "org.person_name", &sname, err)))
        goto out;
    memset(&r, 0, sizeof r);
    r.id = o->id;
    snprintf(r.credit_code, sizeof r.credit_code, "%s", o->credit_code);
    snprintf(r.name, sizeof r.name, "%s", o->name);
    snprintf(r.kind, sizeof r.kind, "%s", o->kind);
    r.person_name = sname;
    r.person_phone = sphone ? sphone : "";
    r.phone_blind = blind;
    snprintf(r.grid, sizeof r.grid, "%s", o->grid);
    snprintf(r.building, sizeof r.building, "%s", o->building);
    snprintf(r.address, sizeof r.address, "%s", o->address);
    r.has_point = o->has_point;
    r.lon = o->lon;
    r.lat = o->lat;
    r.hazards = o->hazards;
    if (!o->id) {
        rc = wg_store_org_insert(db, &r, now, &o->id, err);
        o->version = 1;
        o->created_at = now;
    } else {
        rc = wg_store_org_update(db, &r, now, expect, err);
        o->version = expect + 1;
    }
    o->updated_at = now;
out:
    free(sname);
    free(sphone);
    return rc;
}

struct opened {
    const struct wg_pii_keys *keys;
    struct wg_org *o;
    enum wg_rc rc;
    struct wg_err *err;
};

static enum wg_rc open_row(const struct wg_pii_keys *keys, const struct wg_org_row *r,
                           struct wg_org *o, struct wg_err *err)
{
    enum wg_rc rc;
    memset(o, 0, sizeof *o);
    o->id = r->id;
    snprintf(o->credit_code, sizeof o->credit_code, "%s", r->credit_code);
    snprintf(o->name, sizeof o->name, "%s", r->name);
    snprintf(o->kind, sizeof o->kind, "%s", r->kind);
    snprintf(o->grid, sizeof o->grid, "%s", r->grid);
    snprintf(o->building, sizeof o->building, "%s", r->building);
    snprintf(o->address, sizeof o->address, "%s", r->address);
    o->has_point = r->has_point;
    o->lon = r->lon;
    o->lat = r->lat;
    o->hazards = r->hazards;
    o->version = r->version;
    o->created_at = r->created_at;
    o->updated_at = r->updated_at;
    if ((rc = wg_pii_decrypt(keys, r->person_name, "org.person_name", &o->person_name, err)) ||
        (rc = *r->person_phone
                  ? wg_pii_decrypt(keys, r->person_phone, "org.person_phone", &o->person_phone, err)
                  : WG_OK)) {
        wg_org_release(o);
        return rc;
    }
    if (!o->person_phone)
        o->person_phone = wg_strdup("");
    return WG_OK;
}

static int open_one(const struct wg_org_row *r, void *ctx)
{
    struct opened *op = ctx;
    op->rc = open_row(op->keys, r, op->o, op->err);
    return 1;
}

enum wg_rc wg_org_load(struct wg_db *db, const struct wg_pii_keys *keys,
                       const struct wg_scope *scope, long long id, struct wg_org *out,
                       struct wg_err *err)
{
    struct opened op = {keys, out, WG_OK, err};
    enum wg_rc rc = wg_store_org_get(db, id, open_one, &op, err);
    if (rc || (rc = op.rc))
        return rc;
    if (!wg_registry_covers(scope, out->grid)) {
        wg_org_release(out);
        return wg_err_set(err, WG_ENOTFOUND, "organization %lld does not exist", id);
    }
    return WG_OK;
}

json_t *wg_org_json(const struct wg_org *o)
{
    char name[64], phone[64];
    json_t *hazards = json_array();
    wg_pii_mask_name(o->person_name, name, sizeof name);
    wg_pii_mask_phone(o->person_phone, phone, sizeof phone);
    for (size_t i = 0; wg_org_hazards[i]; i++)
        if (o->hazards & (1u << i))
            json_array_append_new(hazards, json_string(wg_org_hazards[i]));
    json_t *point =
        o->has_point ? json_pack("{s:f,s:f}", "lon", o->lon, "lat", o->lat) : json_null();
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:I,s:I,s:I}", "id",
                     (json_int_t)o->id, "credit_code", o->credit_code, "name", o->name, "kind",
                     o->kind, "person_name", name, "person_phone", phone, "grid", o->grid,
                     "building", o->building, "address", o->address, "point", point, "hazards",
                     hazards, "version", (json_int_t)o->version, "created_at",
                     (json_int_t)o->created_at, "updated_at", (json_int_t)o->updated_at);
}

enum wg_rc wg_org_field(const struct wg_org *o, const char *field, char **out, struct wg_err *err)
{
    if (field && !strcmp(field, "person_name"))
        *out = wg_strdup(o->person_name);
    else if (field && !strcmp(field, "person_phone"))
        *out = wg_strdup(o->person_phone);
    else
        return wg_err_set(err, WG_EINVAL, "'field' must be person_name or person_phone");
    return WG_OK;
}

/* ---- lists ---- */

struct page {
    const struct wg_pii_keys *keys;
    json_t *arr;
    long long limit, last;
    int more;
    enum wg_rc rc;
    struct wg_err *err;
};

static int add_org(const struct wg_org_row *r, void *ctx)
{
    struct page *p = ctx;
    struct wg_org o;
    if ((long long)json_array_size(p->arr) == p->limit) {
        p->more = 1;
        return 1;
    }
    if ((p->rc = open_row(p->keys, r, &o, p->err)))
        return 1;
    json_array_append_new(p->arr, wg_org_json(&o));
    wg_org_release(&o);
    p->last = r->id;
    return 0;
}

enum wg_rc wg_org_list(struct wg_db *db, const struct wg_pii_keys *keys,
                       const struct wg_scope *scope, const struct wg_org_query *q, json_t **out,
                       struct wg_err *err)
{
    struct page p = {keys, NULL, 50, 0, 0, WG_OK, err};
    char lo[32], hi[33], next[24];
    long long after = 0;
    const char *kind = q->kind ? q->kind : "";
    enum wg_rc rc;
    *out = NULL;
    if ((rc = wg_param_count(q->limit, "limit", 1, 200, &p.limit, err)))
        return rc;
    if (q->cursor && wg_param_id(q->cursor, 1, INT64_MAX, &after))
        return wg_err_set(err, WG_EINVAL,
                          "'cursor' is not a cursor of this list; pass the next_cursor of the "
                          "page before");
    if (*kind) {
        size_t k = 0;
        while (wg_org_kinds[k] && strcmp(wg_org_kinds[k], kind))
            k++;
        if (!wg_org_kinds[k])
            return wg_err_set(err, WG_EINVAL, "'kind' '%.40s' is not a kind of organization", kind);
    }
    if (q->q && (rc = wg_param_text(q->q, "q", 4 * 60, err)))
        return rc;
    p.arr = json_array();
    /* a filter outside one's scope is 404, as the persons' lists answer it */
    rc = wg_registry_range(scope, q->grid, q->region, lo, hi, err);
    if (!rc) {
        rc = wg_store_org_list(db, lo, hi, after, "", kind, q->q ? q->q : "", (int)p.limit + 1,
                               add_org, &p, err);
        if (!rc)
            rc = p.rc;
    }
    if (rc) {
        json_decref(p.arr);
        return rc;
    }
    snprintf(next, sizeof next, "%lld", p.last);
    *out = json_pack("{s:o,s:o}", "orgs", p.arr, "next_cursor",
                     p.more ? json_string(next) : json_null());
    return WG_OK;
}
