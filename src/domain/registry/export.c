/* Exports of the registry as CSV (import.h): the records of one's scope, masked exactly as
 * the list routes answer them — the persons and households through those lists' own
 * functions, page by page — under the import's column names, so a file's header reads
 * back in. A cell a spreadsheet would run as a formula is written with a leading quote. */
#include "domain/registry/import.h"

#include <stdlib.h>

#include "core/buf.h"
#include "domain/registry/building.h"
#include "domain/registry/org.h"
#include "domain/registry/person.h"
#include "domain/registry/thing.h"
#include "store/registry/orgs_q.h"

#define EXPORT_MAX ((size_t)256 << 20)

static void csv_cell(struct wg_buf *b, const char *s)
{
    int quote = strpbrk(s, ",\"\r\n") != NULL || *s == ' ';
    /* =, +, @ and a - before a non-digit start a formula in a spreadsheet */
    int formula = *s == '=' || *s == '+' || *s == '@' || *s == '\t' ||
                  (*s == '-' && s[1] && (s[1] < '0' || s[1] > '9'));
    if (quote)
        wg_buf_add(b, "\"", 1);
    if (formula)
        wg_buf_add(b, "'", 1);
    for (; *s; s++) {
        if (*s == '"')
            wg_buf_add(b, "\"", 1);
        wg_buf_add(b, s, 1);
    }
    if (quote)
        wg_buf_add(b, "\"", 1);
}

/* One record (a JSON object) as a CSV line of the columns' keys: a list joined by ';',
 * null and absent as empty. */
static void csv_line(struct wg_buf *b, const char *const *keys, json_t *o)
{
    char num[64];
    for (int i = 0; keys[i]; i++) {
        json_t *v = json_object_get(o, keys[i]);
        if (i)
            wg_buf_add(b, ",", 1);
        if (json_is_string(v)) {
            csv_cell(b, json_string_value(v));
        } else if (json_is_integer(v)) {
            snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
            csv_cell(b, num);
        } else if (json_is_real(v)) {
            snprintf(num, sizeof num, "%.7f", json_real_value(v));
            csv_cell(b, num);
        } else if (json_is_array(v)) {
            struct wg_buf l;
            size_t k;
            json_t *e;
            wg_buf_init(&l, 4096);
            wg_buf_add(&l, "", 0);
            json_array_foreach(v, k, e)
            {
                if (k)
                    wg_buf_add(&l, ";", 1);
                wg_buf_adds(&l, json_string_value(e) ? json_string_value(e) : "");
            }
            csv_cell(b, l.ptr ? l.ptr : "");
            wg_buf_release(&l);
        }
    }
    wg_buf_add(b, "\r\n", 2);
}

static void csv_header(struct wg_buf *b, const char *const *keys)
{
    wg_buf_add(b, "\xEF\xBB\xBF", 3); /* so a spreadsheet reads the file as UTF-8 */
    for (int i = 0; keys[i]; i++) {
        if (i)
            wg_buf_add(b, ",", 1);
        wg_buf_adds(b, keys[i]);
    }
    wg_buf_add(b, "\r\n", 2);
}

static const char *const person_keys[] = {
    "id_type",   "id_number", "name", "gender",  "birth_date",  "phone", "residence",
    "political", "grid",      "care", "special", "mental_risk", NULL};
static const char *const household_keys[] = {"number", "grid", "address", "worker", NULL};
static const char *const building_keys[] = {"code", "name",   "grid", "address", "lon",
                                            "lat",  "floors", "use",  NULL};
static const char *const house_keys[] = {"building", "unit", "floor",   "room",
                                         "address",  "use",  "tenants", NULL};
static const char *const org_keys[] = {"credit_code",  "name", "kind",     "person_name",
                                       "person_phone", "grid", "building", "address",
                                       "lon",          "lat",  "hazards",  NULL};
static const char *const thing_keys[] = {"code", "name", "state", "owner_unit", "maint_unit",
                                         "grid", "lon",  "lat",   NULL};

/* A record's point as the columns lon and lat. */
static void flat_point(json_t *o)
{
    json_t *p = json_object_get(o, "point");
    if (json_is_object(p)) {
        json_object_set(o, "lon", json_object_get(p, "lon"));
        json_object_set(o, "lat", json_object_get(p, "lat"));
    }
}

/* The organizations of the scope, through their list's pages (masked as it answers). */
static enum wg_rc orgs(struct wg_db *db, const struct wg_pii_keys *keys,
                       const struct wg_scope *scope, const struct wg_export_query *eq,
                       struct wg_buf *b, size_t *rows, struct wg_err *err)
{
    char cursor[64] = "";
    enum wg_rc rc;
    csv_header(b, org_keys);
    do {
        struct wg_org_query q = {eq->grid, eq->region, NULL,
                                 NULL,     "200",      cursor[0] ? cursor : NULL};
        json_t *page = NULL, *o;
        size_t i;
        if ((rc = wg_org_list(db, keys, scope, &q, &page, err)))
            return rc;
        json_array_foreach(json_object_get(page, "orgs"), i, o)
        {
            flat_point(o);
            csv_line(b, org_keys, o);
            ++*rows;
        }
        const char *next = json_string_value(json_object_get(page, "next_cursor"));
        snprintf(cursor, sizeof cursor, "%s", next ? next : "");
        json_decref(page);
        if (wg_buf_rc(b))
            return wg_err_set(err, WG_ETOOBIG,
                              "the export is over %zu bytes: narrow it with grid or region",
                              EXPORT_MAX);
    } while (cursor[0]);
    return WG_OK;
}

struct thing_page {
    struct wg_buf *b;
    size_t *rows, n;
    char last[WG_THING_CODE_LEN + 1];
};

static int add_thing(const struct wg_thing_row *t, void *ctx)
{
    struct thing_page *p = ctx;
    json_t *o = wg_thing_json(t);
    flat_point(o);
    csv_line(p->b, thing_keys, o);
    json_decref(o);
    snprintf(p->last, sizeof p->last, "%s", t->code);
    ++*p->rows;
    p->n++;
    return 0;
}

/* The things of the scope, by code. */
static enum wg_rc things(struct wg_db *db, const struct wg_scope *scope,
                         const struct wg_export_query *eq, struct wg_buf *b, size_t *rows,
                         struct wg_err *err)
{
    struct thing_page p = {b, rows, 0, ""};
    char lo[32], hi[33];
    enum wg_rc rc = wg_registry_range(scope, eq->grid, eq->region, lo, hi, err);
    if (rc)
        return rc;
    csv_header(b, thing_keys);
    do {
        p.n = 0;
        if ((rc = wg_store_thing_list(db, lo, hi, p.last, "", "", "", 200, add_thing, &p, err)))
            return rc;
        if (wg_buf_rc(b))
            return wg_err_set(err, WG_ETOOBIG,
                              "the export is over %zu bytes: narrow it with grid or region",
                              EXPORT_MAX);
    } while (p.n == 200);
    return WG_OK;
}

/* The persons or households of the scope, through their list's pages. */
static enum wg_rc people(struct wg_db *db, const struct wg_pii_keys *keys,
                         const struct wg_scope *scope, int sensitive, int households,
                         const struct wg_export_query *eq, struct wg_buf *b, size_t *rows,
                         struct wg_err *err)
{
    const char *const *cols = households ? household_keys : person_keys;
    const char *const nonsensitive[] = {"id_type",    "id_number", "name",      "gender",
                                        "birth_date", "phone",     "residence", "political",
                                        "grid",       "care",      NULL};
    char cursor[96] = "";
    enum wg_rc rc = WG_OK;
    if (!households && !sensitive)
        cols = nonsensitive;
    csv_header(b, cols);
    do {
        struct wg_person_query q = {
            eq->grid, eq->region, NULL, NULL, "200", cursor[0] ? cursor : NULL, NULL, NULL, NULL};
        json_t *page = NULL, *e;
        size_t i;
        rc = households ? wg_household_list(db, keys, scope, &q, &page, err)
                        : wg_person_list(db, keys, scope, &q, sensitive, &page, err);
        if (rc)
            break;
        json_array_foreach(json_object_get(page, households ? "households" : "persons"), i, e)
        {
            csv_line(b, cols, e);
            (*rows)++;
        }
        const char *next = json_string_value(json_object_get(page, "next_cursor"));
        snprintf(cursor, sizeof cursor, "%s", next ? next : "");
        json_decref(page);
        if (wg_buf_rc(b))
            rc = wg_err_set(err, WG_ETOOBIG,
                            "the export is over %zu bytes: narrow it with grid or region",
                            EXPORT_MAX);
    } while (!rc && cursor[0]);
    return rc;
}

struct places {
    struct wg_buf *b;
    struct wg_db *db;
    int houses;
    char last[WG_BUILDING_CODE_MAX + 1];
    size_t n, *rows;
    enum wg_rc rc;
    struct wg_err *err;
    long long after;
};

static int add_house(const struct wg_house_row *h, void *ctx)
{
    struct places *p = ctx;
    json_t *o = json_pack("{s:s,s:s,s:i,s:s,s:s,s:s,s:i}", "building", h->building, "unit", h->unit,
                          "floor", h->floor, "room", h->room, "address", h->address, "use", h->use,
                          "tenants", h->tenants);
    csv_line(p->b, house_keys, o);
    json_decref(o);
    (*p->rows)++;
    p->after = h->id;
    p->n++;
    return 0;
}

static int add_building(const struct wg_building_row *bd, void *ctx)
{
    struct places *p = ctx;
    snprintf(p->last, sizeof p->last, "%s", bd->code);
    p->n++;
    if (p->houses) {
        struct places hp = *p;
        do {
            hp.n = 0;
            p->rc = wg_store_house_list(p->db, bd->code, hp.after, 500, add_house, &hp, p->err);
        } while (!p->rc && hp.n == 500);
        return p->rc != WG_OK;
    }
    json_t *o = json_pack(
        "{s:s,s:s,s:s,s:s,s:o,s:o,s:i,s:s}", "code", bd->code, "name", bd->name, "grid", bd->grid,
        "address", bd->address, "lon", bd->has_point ? json_real(bd->lon) : json_null(), "lat",
        bd->has_point ? json_real(bd->lat) : json_null(), "floors", bd->floors, "use", bd->use);
    csv_line(p->b, building_keys, o);
    json_decref(o);
    (*p->rows)++;
    return 0;
}

static enum wg_rc places(struct wg_db *db, const struct wg_scope *scope, int houses,
                         const struct wg_export_query *eq, struct wg_buf *b, size_t *rows,
                         struct wg_err *err)
{
    struct places p = {b, db, houses, "", 0, rows, WG_OK, err, 0};
    const char *mine = scope && !strcmp(scope->kind, "region") ? scope->code : "";
    const char *region = eq->region ? eq->region : "";
    char prefix[32];
    enum wg_rc rc;
    if (!strncmp(region, mine, strlen(mine)))
        snprintf(prefix, sizeof prefix, "%s", region);
    else if (!strncmp(mine, region, strlen(region)))
        snprintf(prefix, sizeof prefix, "%s", mine);
    else
        return wg_err_set(err, WG_ENOTFOUND, "region '%.32s' does not exist", region);
    csv_header(b, houses ? house_keys : building_keys);
    do {
        p.n = 0;
        rc = wg_store_building_list(db, p.last, eq->grid ? eq->grid : "", prefix, "", 200,
                                    add_building, &p, err);
        if (!rc)
            rc = p.rc;
        if (!rc && wg_buf_rc(b))
            rc = wg_err_set(err, WG_ETOOBIG,
                            "the export is over %zu bytes: narrow it with grid or region",
                            EXPORT_MAX);
    } while (!rc && p.n == 200);
    return rc;
}

enum wg_rc wg_registry_export(struct wg_db *db, const struct wg_pii_keys *keys,
                              const struct wg_scope *scope, int sensitive,
                              const struct wg_import_entity *e, const struct wg_export_query *q,
                              char **csv, size_t *len, size_t *rows, struct wg_err *err)
{
    struct wg_buf b;
    enum wg_rc rc;
    *rows = 0;
    wg_buf_init(&b, EXPORT_MAX);
    if (e == &wg_import_persons || e == &wg_import_households)
        rc = people(db, keys, scope, sensitive, e == &wg_import_households, q, &b, rows, err);
    else if (e == &wg_import_orgs)
        rc = orgs(db, keys, scope, q, &b, rows, err);
    else if (e == &wg_import_things)
        rc = things(db, scope, q, &b, rows, err);
    else
        rc = places(db, scope, e == &wg_import_houses, q, &b, rows, err);
    if (rc) {
        wg_buf_release(&b);
        return rc;
    }
    *csv = wg_buf_detach(&b, len);
    return WG_OK;
}
