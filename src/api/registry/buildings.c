/* Buildings and houses of the registry: GET/POST /api/v1/buildings, GET/PUT
 * /api/v1/buildings/{code}, GET/POST /api/v1/buildings/{code}/houses, GET/PUT
 * /api/v1/houses/{id} (domain/registry/building.h). Outside the caller's scope a building
 * or house answers 404 as a missing one; a change needs If-Match with the version read, and
 * every write is recorded in the audit log, refused or not. */
#include <time.h>

#include "api/app.h"
#include "api/handlers.h"
#include "core/param.h"
#include "domain/accounts/session.h"
#include "domain/map/region.h"
#include "domain/registry/building.h"

#define LIST_DEFAULT 50
#define LIST_MAX     200

static const struct wg_scope *scope_of(struct wg_req *req)
{
    const struct wg_actor *a = req->actor;
    return a ? &a->scope : NULL;
}

static json_t *building_json(const struct wg_building_row *b)
{
    json_t *point =
        b->has_point ? json_pack("{s:f,s:f}", "lon", b->lon, "lat", b->lat) : json_null();
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:i,s:s,s:I,s:I,s:I}", "code", b->code, "name",
                     b->name, "grid", b->grid, "grid_name", b->grid_name, "address", b->address,
                     "point", point, "floors", b->floors, "use", b->use, "version",
                     (json_int_t)b->version, "created_at", (json_int_t)b->created_at, "updated_at",
                     (json_int_t)b->updated_at);
}

static json_t *house_json(const struct wg_house_row *h)
{
    return json_pack("{s:I,s:s,s:s,s:i,s:s,s:s,s:s,s:i,s:I,s:I,s:I}", "id", (json_int_t)h->id,
                     "building", h->building, "unit", h->unit, "floor", h->floor, "room", h->room,
                     "address", h->address, "use", h->use, "tenants", h->tenants, "version",
                     (json_int_t)h->version, "created_at", (json_int_t)h->created_at, "updated_at",
                     (json_int_t)h->updated_at);
}

/* ---- keyset cursors: the last key of a page, hex-encoded behind "1" ---- */
static void cursor_encode(const char *key, char *out, size_t n)
{
    size_t o = 0;
    out[o++] = '1';
    for (const unsigned char *p = (const unsigned char *)key; *p && o + 3 < n; p++)
        o += (size_t)snprintf(out + o, n - o, "%02x", *p);
    out[o] = '\0';
}

static enum wg_rc cursor_decode(const char *text, char *key, size_t n, struct wg_err *err)
{
    size_t len = text ? strlen(text) : 0, o = 0;
    *key = '\0';
    if (!text)
        return WG_OK;
    if (len < 3 || text[0] != '1' || len % 2 == 0 || (len - 1) / 2 >= n)
        goto bad;
    for (size_t i = 1; i < len; i += 2) {
        unsigned v;
        if (!strchr("0123456789abcdef", text[i]) || !strchr("0123456789abcdef", text[i + 1]) ||
            sscanf(text + i, "%2x", &v) != 1 || v < 0x20)
            goto bad;
        key[o++] = (char)v;
    }
    key[o] = '\0';
    return WG_OK;
bad:
    return wg_err_set(err, WG_EINVAL,
                      "'cursor' is not a cursor of this list; pass the next_cursor of the page "
                      "before");
}

static enum wg_rc page_limit(struct wg_req *req, long long *limit, struct wg_err *err)
{
    *limit = LIST_DEFAULT;
    return wg_param_count(wg_req_query(req, "limit"), "limit", 1, LIST_MAX, limit, err);
}

/* The code prefix a list reads: the caller's scope narrowed by the query's region; 0 when
 * the two do not meet (nothing to list). */
static int list_prefix(const struct wg_scope *s, const char *region, char *out, size_t n)
{
    const char *mine = s && !strcmp(s->kind, "region") ? s->code : "";
    region = region ? region : "";
    if (!strncmp(region, mine, strlen(mine)))
        snprintf(out, n, "%s", region);
    else if (!strncmp(mine, region, strlen(region)))
        snprintf(out, n, "%s", mine);
    else
        return 0;
    return 1;
}

struct page {
    json_t *arr;
    long long limit;
    char last[WG_BUILDING_CODE_MAX + 1];
    int more;
};

static int add_building(const struct wg_building_row *b, void *ctx)
{
    struct page *p = ctx;
    if ((long long)json_array_size(p->arr) == p->limit) {
        p->more = 1;
        return 1;
    }
    json_array_append_new(p->arr, building_json(b));
    snprintf(p->last, sizeof p->last, "%s", b->code);
    return 0;
}

static json_t *page_json(const char *key, struct page *p)
{
    char next[2 * WG_BUILDING_CODE_MAX + 4];
    cursor_encode(p->last, next, sizeof next);
    return json_pack("{s:o,s:o}", key, p->arr, "next_cursor",
                     p->more ? json_string(next) : json_null());
}

/* GET /api/v1/buildings?grid=&region=&q=&limit=&cursor= */
enum wg_rc wg_api_buildings_list(struct wg_req *req, struct wg_err *err)
{
    const char *grid = wg_req_query(req, "grid"), *region = wg_req_query(req, "region");
    const char *q = wg_req_query(req, "q");
    char after[WG_BUILDING_CODE_MAX + 1], prefix[32];
    struct page p = {0};
    struct wg_db *db;
    enum wg_rc rc;
    if ((rc = page_limit(req, &p.limit, err)) ||
        (rc = cursor_decode(wg_req_query(req, "cursor"), after, sizeof after, err)))
        return rc;
    if (grid && wg_region_level(grid, NULL) != WG_LEVEL_GRID &&
        wg_region_level(grid, NULL) != WG_LEVEL_MICRO)
        return wg_err_set(err, WG_EINVAL,
                          "query parameter 'grid' '%.20s' is not a grid code (15 or 18 digits)",
                          grid);
    if (region && wg_region_level(region, NULL) == WG_LEVEL_NONE)
        return wg_err_set(err, WG_EINVAL, "query parameter 'region' '%.20s' is not a region code",
                          region);
    if (q && (rc = wg_param_text(q, "q", 4 * 60, err)))
        return rc;
    p.arr = json_array();
    wg_api_keep(req, p.arr);
    if (list_prefix(scope_of(req), region, prefix, sizeof prefix)) {
        if ((rc = wg_api_db(req, &db, err)) ||
            (rc = wg_store_building_list(db, after, grid ? grid : "", prefix, q ? q : "",
                                         (int)p.limit + 1, add_building, &p, err)))
            return rc;
    }
    json_incref(p.arr);
    return wg_reply_json(req, 200, page_json("buildings", &p));
}

static enum wg_rc locator_of(struct wg_req *req, struct wg_locator **loc)
{
    struct wg_app *app = req->app;
    *loc = wg_locator_acquire(&app->locator);
    return WG_OK;
}

enum wg_rc wg_api_buildings_create(struct wg_req *req, struct wg_err *err)
{
    struct wg_building_row b;
    struct wg_locator *loc;
    struct wg_db *db;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    locator_of(req, &loc);
    rc = wg_building_create(db, loc, scope_of(req), req->json, (long long)time(NULL), &b, err);
    if (loc)
        wg_locator_release(loc);
    rc = wg_api_audit(req, db, NULL, "building.create", "building",
                      rc ? wg_api_field(req, "code") : b.code, rc ? NULL : b.address, rc, err);
    return rc ? rc : wg_api_reply_versioned(req, 201, b.version, building_json(&b));
}

enum wg_rc wg_api_buildings_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_building_row b;
    struct wg_db *db;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_building_get(db, scope_of(req), req->params[0], &b, err)))
        return rc;
    return wg_api_reply_versioned(req, 200, b.version, building_json(&b));
}

/* The version the client read; required, so that two people cannot change it at once. */
static enum wg_rc if_match(struct wg_req *req, const char *what, long long *version,
                           struct wg_err *err)
{
    enum wg_rc rc = wg_api_if_match(req, what, 1, 1LL << 53, version, err);
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL,
                          "the If-Match header with the version read (its ETag) is required, so "
                          "that two people cannot change it at once");
    return rc;
}

enum wg_rc wg_api_buildings_put(struct wg_req *req, struct wg_err *err)
{
    struct wg_building_row b;
    struct wg_locator *loc;
    struct wg_db *db;
    long long version;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_building_get(db, scope_of(req), req->params[0], &b, err)) ||
        (rc = if_match(req, "a building version", &version, err)))
        return rc;
    locator_of(req, &loc);
    rc = wg_building_update(db, loc, scope_of(req), req->params[0], version, req->json,
                            (long long)time(NULL), &b, err);
    if (loc)
        wg_locator_release(loc);
    rc = wg_api_audit(req, db, NULL, "building.update", "building", req->params[0], NULL, rc, err);
    return rc ? rc : wg_api_reply_versioned(req, 200, b.version, building_json(&b));
}

/* ---- houses ---- */
struct house_page {
    json_t *arr;
    long long limit, last;
    int more;
};

static int add_house(const struct wg_house_row *h, void *ctx)
{
    struct house_page *p = ctx;
    if ((long long)json_array_size(p->arr) == p->limit) {
        p->more = 1;
        return 1;
    }
    json_array_append_new(p->arr, house_json(h));
    p->last = h->id;
    return 0;
}

enum wg_rc wg_api_houses_list(struct wg_req *req, struct wg_err *err)
{
    struct wg_building_row b;
    struct house_page p = {0};
    char after[24], next[64], last[24];
    long long from = 0;
    struct wg_db *db;
    enum wg_rc rc;
    if ((rc = page_limit(req, &p.limit, err)) ||
        (rc = cursor_decode(wg_req_query(req, "cursor"), after, sizeof after, err)))
        return rc;
    if (*after && wg_param_id(after, 1, 1LL << 62, &from))
        return wg_err_set(err, WG_EINVAL,
                          "'cursor' is not a cursor of this list; pass the "
                          "next_cursor of the page before");
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_building_get(db, scope_of(req), req->params[0], &b, err)))
        return rc;
    p.arr = wg_api_keep(req, json_array());
    if ((rc = wg_store_house_list(db, b.code, from, (int)p.limit + 1, add_house, &p, err)))
        return rc;
    snprintf(last, sizeof last, "%lld", p.last);
    cursor_encode(last, next, sizeof next);
    return wg_reply_json(req, 200,
                         json_pack("{s:O,s:o}", "houses", p.arr, "next_cursor",
                                   p.more ? json_string(next) : json_null()));
}

enum wg_rc wg_api_houses_create(struct wg_req *req, struct wg_err *err)
{
    struct wg_house_row h;
    struct wg_db *db;
    char id[24] = "";
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_house_create(db, scope_of(req), req->params[0], req->json, (long long)time(NULL), &h,
                         err);
    if (rc == WG_ENOTFOUND) /* no building of the caller's: nothing to record */
        return rc;
    if (!rc)
        snprintf(id, sizeof id, "%lld", h.id);
    rc = wg_api_audit(req, db, NULL, "house.create", "house", id, rc ? req->params[0] : h.address,
                      rc, err);
    return rc ? rc : wg_api_reply_versioned(req, 201, h.version, house_json(&h));
}

/* A house id in a path, exactly as written; anything else is a house that does not exist. */
static enum wg_rc house_id(const char *s, long long *id, struct wg_err *err)
{
    if (wg_param_id(s, 1, 1LL << 62, id))
        return wg_err_set(err, WG_ENOTFOUND, "house '%.24s' does not exist", s);
    return WG_OK;
}

enum wg_rc wg_api_houses_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_house_row h;
    struct wg_db *db;
    long long id;
    enum wg_rc rc;
    if ((rc = house_id(req->params[0], &id, err)) || (rc = wg_api_db(req, &db, err)) ||
        (rc = wg_house_get(db, scope_of(req), id, &h, err)))
        return rc;
    return wg_api_reply_versioned(req, 200, h.version, house_json(&h));
}

enum wg_rc wg_api_houses_put(struct wg_req *req, struct wg_err *err)
{
    struct wg_house_row h;
    struct wg_db *db;
    long long id, version;
    enum wg_rc rc;
    if ((rc = house_id(req->params[0], &id, err)) || (rc = wg_api_db(req, &db, err)) ||
        (rc = wg_house_get(db, scope_of(req), id, &h, err)) ||
        (rc = if_match(req, "a house version", &version, err)))
        return rc;
    rc = wg_house_update(db, scope_of(req), id, version, req->json, (long long)time(NULL), &h, err);
    rc = wg_api_audit(req, db, NULL, "house.update", "house", req->params[0], NULL, rc, err);
    return rc ? rc : wg_api_reply_versioned(req, 200, h.version, house_json(&h));
}
