/* The address search (address.h): candidates from each source, best first, merged. */
#include "domain/registry/address.h"

#include <stdlib.h>

#include "core/alloc.h"
#include "core/utf8.h"
#include "store/registry/places_q.h"

enum kind { K_TOWN, K_VILLAGE, K_BUILDING, K_HOUSE, K_ORG };
static const char *const kind_names[] = {"town", "village", "building", "house", "org"};

struct hit {
    enum kind kind;
    int rank; /* 0: the text begins with the query; 1: holds it */
    size_t len;
    json_t *j;
};

struct hits {
    struct hit *v;
    size_t n, cap;
    const char *q;
    int limit;
    enum kind kind;
    struct wg_db *db;
    const struct wg_locator *loc;
    enum wg_rc rc;
    struct wg_err *err;
};

static int starts(const char *s, const char *q)
{
    return !strncmp(s, q, strlen(q));
}

static void add(struct hits *hs, enum kind kind, const char *id, int rank, const char *text,
                json_t *j)
{
    for (size_t i = 0; i < hs->n; i++) /* a building found by prefix and by substring */
        if (hs->v[i].kind == kind &&
            !strcmp(json_string_value(json_object_get(hs->v[i].j, "id")), id)) {
            json_decref(j);
            return;
        }
    wg_grow(&hs->v, &hs->cap, hs->n, sizeof *hs->v, 32);
    hs->v[hs->n++] = (struct hit){kind, rank, wg_utf8_chars(text), j};
}

static json_t *point_json(int has, double lon, double lat)
{
    return has ? json_pack("{s:f,s:f}", "lon", lon, "lat", lat) : json_null();
}

static int add_place(const struct wg_addr_hit *h, void *ctx)
{
    struct hits *hs = ctx;
    int has = h->has_point || h->has_box;
    json_t *j = json_pack(
        "{s:s,s:s,s:s,s:s,s:o,s:o}", "kind", kind_names[hs->kind], "id", h->id, "name", h->name,
        "address", h->address, "point",
        point_json(has, h->has_point ? h->lon : h->box_lon, h->has_point ? h->lat : h->box_lat),
        "grid", json_pack("{s:s,s:s}", "code", h->grid, "name", h->grid_name));
    int named = hs->kind == K_BUILDING || hs->kind == K_ORG;
    int rank = !(starts(h->address, hs->q) || (named && starts(h->name, hs->q)));
    add(hs, hs->kind, h->id, rank, hs->kind == K_ORG ? h->name : h->address, j);
    return 0;
}

static int add_region(const char *code, const char *name, const char *level, void *ctx)
{
    struct hits *hs = ctx;
    double box[4];
    long long n = 0;
    json_t *point = json_null(), *grid = json_null();
    hs->rc = wg_store_addr_region_box(hs->db, code, box, &n, hs->err);
    if (hs->rc)
        return 1;
    if (n) {
        double lon = (box[0] + box[2]) / 2, lat = (box[1] + box[3]) / 2;
        struct wg_locate_result r;
        struct wg_err ignored = {0};
        json_decref(point);
        point = point_json(1, lon, lat);
        if (hs->loc && !wg_locator_locate(hs->loc, lon, lat, WG_CRS_WGS84, &r, &ignored)) {
            json_decref(grid);
            grid = json_pack("{s:s,s:s}", "code", r.grid->code, "name", r.grid->name);
        }
    }
    enum kind k = strcmp(level, "town") ? K_VILLAGE : K_TOWN;
    add(hs, k, code, !starts(name, hs->q), name,
        json_pack("{s:s,s:s,s:s,s:s,s:o,s:o}", "kind", kind_names[k], "id", code, "name", name,
                  "address", name, "point", point, "grid", grid));
    return 0;
}

static int by_rank(const void *a, const void *b)
{
    const struct hit *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank - y->rank;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    if (x->kind != y->kind)
        return (int)x->kind - (int)y->kind;
    return strcmp(json_string_value(json_object_get(x->j, "id")),
                  json_string_value(json_object_get(y->j, "id")));
}

/* Each source's best, up to the page: prefixes from the address indexes first, then the
 * buildings holding the word and their houses (through the bigram index) while the prefixes
 * have not filled the page. */
static enum wg_rc gather(struct hits *hs, const char *prefix, struct wg_err *err)
{
    static const struct {
        enum wg_addr_source src;
        enum kind kind;
    } order[] = {{WG_ADDR_ORG_NAME, K_ORG}, /* named places: few, and sought by name */
                 {WG_ADDR_BUILDING_PREFIX, K_BUILDING},
                 {WG_ADDR_HOUSE_PREFIX, K_HOUSE},
                 {WG_ADDR_BUILDING_SUBSTR, K_BUILDING},
                 {WG_ADDR_HOUSE_SUBSTR, K_HOUSE}};
    enum wg_rc rc = wg_store_addr_regions(hs->db, hs->q, prefix, hs->limit, add_region, hs, err);
    if (!rc)
        rc = hs->rc;
    for (size_t i = 0; !rc && i < sizeof order / sizeof order[0]; i++) {
        int prefixes = order[i].src == WG_ADDR_BUILDING_PREFIX ||
                       order[i].src == WG_ADDR_HOUSE_PREFIX || order[i].src == WG_ADDR_ORG_NAME;
        size_t have = 0;
        for (size_t k = 0; k < hs->n; k++)
            have += hs->v[k].rank == 0;
        if (!prefixes && have >= (size_t)hs->limit)
            break;
        /* a page of places and buildings already: their houses' addresses, longer, would
         * rank after them */
        if (order[i].src == WG_ADDR_HOUSE_SUBSTR && hs->n >= (size_t)hs->limit)
            break;
        hs->kind = order[i].kind;
        rc = wg_store_addr_find(hs->db, order[i].src, hs->q, prefix, hs->limit, add_place, hs, err);
    }
    return rc;
}

enum wg_rc wg_address_search(struct wg_db *db, const struct wg_locator *loc,
                             const struct wg_scope *scope, const char *q, int limit, json_t **out,
                             struct wg_err *err)
{
    struct hits hs = {.q = q, .limit = limit, .db = db, .loc = loc, .err = err};
    const char *prefix = scope && !strcmp(scope->kind, "region") ? scope->code : "";
    size_t chars = q ? wg_utf8_chars(q) : 0;
    enum wg_rc rc;
    *out = NULL;
    if (!q || !*q || strspn(q, " \t") == strlen(q))
        return wg_err_set(err, WG_EINVAL,
                          "query parameter 'q' is required: a part of an address "
                          "or a place's name");
    if (chars > WG_ADDRESS_QUERY_CHARS)
        return wg_err_set(err, WG_EINVAL, "query parameter 'q' is %zu characters; at most %d",
                          chars, WG_ADDRESS_QUERY_CHARS);
    if (limit < 1 || limit > WG_ADDRESS_LIMIT_MAX)
        return wg_err_set(err, WG_EINVAL, "query parameter 'limit' must be from 1 to %d",
                          WG_ADDRESS_LIMIT_MAX);
    rc = gather(&hs, prefix, err);
    if (!rc) {
        if (hs.n) /* qsort takes no NULL array, even empty */
            qsort(hs.v, hs.n, sizeof *hs.v, by_rank);
        *out = json_array();
        for (size_t i = 0; i < hs.n && i < (size_t)limit; i++)
            json_array_append(*out, hs.v[i].j);
    }
    for (size_t i = 0; i < hs.n; i++)
        json_decref(hs.v[i].j);
    free(hs.v);
    return rc;
}
