/* People of the registry as answered (person.h): masked, the special populations only for
 * the registry_sensitive grant; the lists by grid or region from a keyset cursor, and the
 * lookups by the blind index of an ID number or a phone. */
#include "domain/registry/person.h"
#include "core/alloc.h"
#include "core/param.h"
#include "store/registry/registry_q.h"

#include <stdint.h>

static const char *const care_names[] = {
    "alone",    "empty_nest", "over80", "left_behind_child", "left_behind_elderly",
    "disabled", "hardship"};
static const char *const special_names[] = {"released", "correction", "drug", "mental",
                                            "key_youth"};

static json_t *names_of(unsigned set, const char *const *names, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        if (set & (1u << i))
            json_array_append_new(a, json_string(names[i]));
    return a;
}

json_t *wg_person_json(const struct wg_person *p, int sensitive)
{
    char name[160], phone[64], id[80], birth[12];
    wg_pii_mask_name(p->name, name, sizeof name);
    wg_pii_mask_phone(p->phone, phone, sizeof phone);
    wg_pii_mask_id(p->id_number, id, sizeof id);
    snprintf(birth, sizeof birth, "%.4s%s", p->birth_date, *p->birth_date ? "-**-**" : "");
    json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:I,s:I,s:I}", "id",
                          (json_int_t)p->id, "id_type", p->id_type, "id_number", id, "name", name,
                          "gender", p->gender, "birth_date", birth, "phone", phone, "residence",
                          p->residence, "political", p->political, "grid", p->grid, "care",
                          names_of(p->care, care_names, 7), "household",
                          p->household ? json_integer(p->household) : json_null(), "created_at",
                          (json_int_t)p->created_at, "updated_at", (json_int_t)p->updated_at,
                          "version", (json_int_t)p->version);
    if (sensitive) {
        json_object_set_new(o, "special", names_of(p->special, special_names, 5));
        json_object_set_new(o, "mental_risk",
                            p->mental_risk >= 0 ? json_integer(p->mental_risk) : json_null());
    }
    return o;
}

enum wg_rc wg_person_field(const struct wg_person *p, const char *field, int sensitive, char **out,
                           struct wg_err *err)
{
    *out = NULL;
    if (!field)
        field = "";
    if (!strcmp(field, "id_number"))
        *out = wg_strdup(p->id_number);
    else if (!strcmp(field, "name"))
        *out = wg_strdup(p->name);
    else if (!strcmp(field, "phone"))
        *out = wg_strdup(p->phone);
    else if (!strcmp(field, "birth_date"))
        *out = wg_strdup(p->birth_date);
    else if (!strcmp(field, "special")) {
        if (!sensitive)
            return wg_err_set(err, WG_EFORBIDDEN,
                              "'field': the special populations need the registry_sensitive "
                              "permission");
        json_t *a = names_of(p->special, special_names, 5);
        *out = json_dumps(a, JSON_COMPACT);
        json_decref(a);
    } else
        return wg_err_set(err, WG_EINVAL,
                          "'field' must be one of id_number, name, phone, birth_date, special");
    return WG_OK;
}

/* ---- lists ---- */

enum wg_rc wg_registry_range(const struct wg_scope *scope, const char *grid, const char *region,
                             char lo[32], char hi[33], struct wg_err *err)
{
    const char *want = grid && *grid ? grid : region && *region ? region : "";
    const char *key = grid && *grid ? "grid" : "region";
    const char *mine = scope ? scope->code : "";
    if (grid && *grid && region && *region)
        return wg_err_set(err, WG_EINVAL, "'grid' and 'region': give one of them, not both");
    if (strlen(want) > 30 || strspn(want, "0123456789") != strlen(want))
        return wg_err_set(err, WG_EINVAL, "'%s' must be a code (digits)", key);
    if (scope && wg_scope_is_unit(scope))
        return wg_err_set(err, WG_ENOTFOUND, "a unit's account sees no registry");
    if (strncmp(want, mine, strlen(mine)) && strncmp(mine, want, strlen(want)))
        return wg_err_set(err, WG_ENOTFOUND, "%s '%s' is outside your scope", key, want);
    const char *prefix = strlen(want) >= strlen(mine) ? want : mine;
    snprintf(lo, 32, "%s", prefix);
    /* '!' sorts before every digit: [g, g!) is grid g alone; '~' after them: a prefix */
    snprintf(hi, 33, "%s%s", prefix, grid && *grid && !strcmp(prefix, grid) ? "!" : "~");
    return WG_OK;
}

enum wg_rc wg_registry_cursor(const char *text, char grid[32], long long *id, struct wg_err *err)
{
    const char *dot = text ? strchr(text, '.') : NULL;
    grid[0] = '\0';
    *id = 0;
    if (!text || !*text)
        return WG_OK;
    if (!dot || dot == text || dot - text > 30 ||
        strspn(text, "0123456789") != (size_t)(dot - text) ||
        wg_param_id(dot + 1, 1, INT64_MAX, id))
        return wg_err_set(err, WG_EINVAL,
                          "'cursor' is not a cursor of this list; pass the next_cursor of the "
                          "page before");
    snprintf(grid, 32, "%.*s", (int)(dot - text), text);
    return WG_OK;
}

struct page {
    const struct wg_pii_keys *keys;
    const struct wg_scope *scope;
    unsigned special;
    int sensitive, want, taken, read;
    json_t *arr;
    char last_grid[32];
    long long last_id;
    enum wg_rc rc;
    struct wg_err *err;
};

static int add_person(const struct wg_person_row *r, void *ctx)
{
    struct page *pg = ctx;
    struct wg_person p;
    pg->read++;
    snprintf(pg->last_grid, sizeof pg->last_grid, "%s", r->grid);
    pg->last_id = r->id;
    if (!wg_registry_covers(pg->scope, r->grid))
        return 0;
    if ((pg->rc = wg_person_open_row(pg->keys, r, &p, pg->err)))
        return 1;
    if (!pg->special || (p.special & pg->special)) {
        json_array_append_new(pg->arr, wg_person_json(&p, pg->sensitive));
        pg->taken++;
    }
    wg_person_release(&p);
    return pg->taken >= pg->want;
}

static enum wg_rc lookup(struct wg_db *db, struct page *pg, const struct wg_person_query *q,
                         struct wg_err *err)
{
    char blind[WG_PII_BLIND_HEX];
    enum wg_rc rc;
    if (q->id_number && *q->id_number) {
        const char *type = q->id_type && *q->id_type ? q->id_type : "resident_id";
        struct wg_person key = {.id_number = (char *)q->id_number};
        long long id = 0;
        snprintf(key.id_type, sizeof key.id_type, "%s", type);
        if (strcmp(type, "resident_id") && strcmp(type, "passport") && strcmp(type, "other"))
            return wg_err_set(err, WG_EINVAL,
                              "'id_type' must be one of resident_id, passport, other");
        rc = strcmp(type, "resident_id")
                 ? WG_OK
                 : wg_pii_blind(pg->keys, WG_PII_ID, q->id_number, blind, err);
        if (!rc && strcmp(type, "resident_id")) {
            char v[128];
            snprintf(v, sizeof v, "%s:%.60s", type, q->id_number);
            rc = wg_pii_blind(pg->keys, WG_PII_ID, v, blind, err);
        }
        if (rc) {
            wg_err_prefix(err, "'id_number'");
            return rc;
        }
        if ((rc = wg_store_person_by_id_blind(db, blind, &id, err)) || !id)
            return rc;
        return wg_store_person_get(db, id, add_person, pg, err);
    }
    if ((rc = wg_pii_check_phone(q->phone, err)) ||
        (rc = wg_pii_blind(pg->keys, WG_PII_PHONE, q->phone, blind, err))) {
        wg_err_prefix(err, "'phone'");
        return rc;
    }
    return wg_store_person_by_phone(db, blind, pg->want, add_person, pg, err);
}

enum wg_rc wg_person_list(struct wg_db *db, const struct wg_pii_keys *keys,
                          const struct wg_scope *scope, const struct wg_person_query *q,
                          int sensitive, json_t **out, struct wg_err *err)
{
    char lo[32], hi[33], after_grid[32];
    long long limit = 50, after_id = 0;
    unsigned care = 0;
    struct page pg = {keys, scope, 0, sensitive, 0, 0, 0, NULL, "", 0, WG_OK, err};
    enum wg_rc rc;
    *out = NULL;
    if (q->special && *q->special) {
        if (!sensitive)
            return wg_err_set(err, WG_EFORBIDDEN,
                              "'special': filtering by special population needs the "
                              "registry_sensitive permission");
        if (!(pg.special = wg_special_parse(q->special)))
            return wg_err_set(err, WG_EINVAL,
                              "'special' must be one of released, correction, drug, mental, "
                              "key_youth");
    }
    if (q->care && *q->care && !(care = wg_care_parse(q->care)))
        return wg_err_set(err, WG_EINVAL,
                          "'care' must be one of alone, empty_nest, over80, left_behind_child, "
                          "left_behind_elderly, disabled, hardship");
    if ((rc = wg_param_count(q->limit, "limit", 1, 200, &limit, err)) ||
        (rc = wg_registry_cursor(q->cursor, after_grid, &after_id, err)))
        return rc;
    if (scope && wg_scope_is_unit(scope))
        return wg_err_set(err, WG_ENOTFOUND, "a unit's account sees no registry");
    pg.want = (int)limit;
    pg.arr = json_array();
    if ((q->id_number && *q->id_number) || (q->phone && *q->phone)) {
        rc = lookup(db, &pg, q, err);
        if (!rc)
            rc = pg.rc;
        if (!rc)
            *out = json_pack("{s:o,s:I,s:n}", "persons", pg.arr, "limit", (json_int_t)limit,
                             "next_cursor");
        else
            json_decref(pg.arr);
        return rc;
    }
    if ((rc = wg_registry_range(scope, q->grid, q->region, lo, hi, err))) {
        json_decref(pg.arr);
        return rc;
    }
    /* a special population is sought among the rows read: pages are read on until the
     * list has its rows or the range ends */
    int more = 1;
    while (!rc && more && pg.taken < pg.want) {
        int batch = pg.special ? 200 : pg.want - pg.taken;
        pg.read = 0;
        rc = wg_store_person_list(db, lo, hi, pg.last_id ? pg.last_grid : after_grid,
                                  pg.last_id ? pg.last_id : after_id, care, batch, add_person, &pg,
                                  err);
        if (!rc)
            rc = pg.rc;
        more = pg.read == batch;
    }
    if (rc) {
        json_decref(pg.arr);
        return rc;
    }
    json_t *next = json_null();
    if (pg.taken >= pg.want && pg.last_id) { /* the page is full: there may be more */
        char cur[64];
        snprintf(cur, sizeof cur, "%s.%lld", pg.last_grid, pg.last_id);
        next = json_string(cur);
    }
    *out = json_pack("{s:o,s:I,s:o}", "persons", pg.arr, "limit", (json_int_t)limit, "next_cursor",
                     next);
    return WG_OK;
}
