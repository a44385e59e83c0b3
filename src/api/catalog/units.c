/* Units and routing rules (administration), and routing suggestions, of an order
 * and before one exists: GET/POST /api/v1/units, GET/POST /api/v1/routing-rules,
 * GET /api/v1/orders/{id}/route, GET /api/v1/routing-rules/match. */
#include "api/app.h"
#include "api/handlers.h"
#include "domain/orders/order_ctx.h"
#include "core/param.h"

#include "domain/catalog/unit.h"
#include "domain/map/region.h"
#include "domain/orders/order.h"
#include "store/catalog/catalog_q.h"
#include "store/map/map_q.h"

static const char *str(json_t *j, const char *k)
{
    return json_string_value(json_object_get(j, k));
}

struct units {
    struct wg_db *db;
    json_t *arr;
    enum wg_rc rc; /* a failed read of a unit's regions, which stops the walk */
    struct wg_err *err;
};

static int add_region(const char *region, void *ctx)
{
    json_array_append_new(ctx, json_string(region));
    return 0;
}

static int add_unit(const struct wg_unit_row *u, void *ctx)
{
    struct units *us = ctx;
    json_t *regions = json_array();
    us->rc = wg_store_unit_regions(us->db, u->id, add_region, regions, us->err);
    json_array_append_new(us->arr, json_pack("{s:s,s:s,s:s,s:o}", "id", u->id, "name", u->name,
                                             "kind", u->kind, "regions", regions));
    return us->rc != WG_OK;
}

static enum wg_rc fill_units(struct wg_req *req, struct wg_db *db, json_t *arr, struct wg_err *err)
{
    struct units us = {db, arr, WG_OK, err};
    enum wg_rc rc = wg_store_unit_each(db, add_unit, &us, err);
    (void)req;
    return rc ? rc : us.rc;
}

enum wg_rc wg_api_units_list(struct wg_req *req, struct wg_err *err)
{
    return wg_api_reply_list(req, "units", fill_units, err);
}

enum wg_rc wg_api_units_create(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_unit_create(db, str(req->json, "id"), str(req->json, "name"), str(req->json, "kind"),
                        json_object_get(req->json, "regions"), err);
    rc = wg_api_audit(req, db, NULL, "unit.create", "unit", str(req->json, "id"),
                      str(req->json, "name"), rc, err);
    return rc ? rc : wg_reply_json(req, 201, json_deep_copy(req->json));
}

/* A rule's assisting units ("a,b") as the array of ids they were given as. */
static json_t *assisting_ids(const char *list)
{
    json_t *arr = json_array();
    while (list && *list) {
        const char *comma = strchr(list, ',');
        size_t n = comma ? (size_t)(comma - list) : strlen(list);
        if (n)
            json_array_append_new(arr, json_stringn(list, n));
        list = comma ? comma + 1 : NULL;
    }
    return arr;
}

static int add_rule(const struct wg_rule_row *r, void *ctx)
{
    json_array_append_new(ctx, json_pack("{s:I,s:s,s:s,s:s,s:o}", "id", (json_int_t)r->id, "item",
                                         r->item, "region", r->region, "lead", r->lead, "assisting",
                                         assisting_ids(r->assisting)));
    return 0;
}

static enum wg_rc fill_rules(struct wg_req *req, struct wg_db *db, json_t *arr, struct wg_err *err)
{
    (void)req;
    return wg_store_rule_each(db, add_rule, arr, err);
}

enum wg_rc wg_api_rules_list(struct wg_req *req, struct wg_err *err)
{
    return wg_api_reply_list(req, "rules", fill_rules, err);
}

enum wg_rc wg_api_rules_create(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id = 0;
    char idtext[24] = "";
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_route_rule_create(db, wg_api_catalog(req), str(req->json, "item"),
                              str(req->json, "region"), str(req->json, "lead"),
                              json_object_get(req->json, "assisting"), &id, err);
    if (!rc)
        snprintf(idtext, sizeof idtext, "%lld", id);
    rc = wg_api_audit(req, db, NULL, "route_rule.create", "route_rule", idtext, NULL, rc, err);
    if (rc)
        return rc;
    json_t *out = json_deep_copy(req->json);
    json_object_set_new(out, "id", json_integer(id));
    return wg_reply_json(req, 201, out);
}

/* The name of a region or grid code, "" when it has none (a prefix no region or grid has). */
static enum wg_rc place_name(struct wg_db *db, const char *code, enum wg_level lvl, char *out,
                             size_t size, struct wg_err *err)
{
    enum wg_rc rc;
    *out = '\0';
    if (lvl == WG_LEVEL_NONE)
        return WG_OK;
    if (lvl >= WG_LEVEL_GRID) {
        struct wg_grid_row g;
        if (!(rc = wg_store_grid_current(db, code, &g, NULL, err)))
            snprintf(out, size, "%s", g.name);
    } else {
        struct wg_region_row r;
        if (!(rc = wg_store_region_get(db, code, &r, err)))
            snprintf(out, size, "%s", r.name);
    }
    if (rc == WG_ENOTFOUND) {
        wg_err_clear(err);
        rc = WG_OK;
    }
    return rc;
}

/* The suggestion's reasons as data a console words in its own language: {item, item_name,
 * region, level, region_name} of the rule that matched (or of the question when none did:
 * the item and the place asked about), and the unit and rule when one matched. */
static enum wg_rc because_json(struct wg_req *req, struct wg_db *db,
                               const struct wg_route_suggestion *s, const char *item,
                               const char *place, json_t **out, struct wg_err *err)
{
    const char *it = s->found ? s->rule.item : item;
    const char *where = s->found ? s->rule.region : place;
    enum wg_level lvl = *where ? wg_region_level(where, NULL) : WG_LEVEL_NONE;
    const struct wg_catalog_item *ci = *it ? wg_catalog_find(wg_api_catalog(req), it) : NULL;
    char name[192];
    enum wg_rc rc = place_name(db, where, lvl, name, sizeof name, err);
    if (rc)
        return rc;
    *out = json_pack("{s:s,s:s,s:s,s:s,s:s}", "item", it, "item_name", ci ? ci->name : "", "region",
                     where, "level", lvl == WG_LEVEL_NONE ? "" : wg_level_name(lvl), "region_name",
                     name);
    if (s->found) {
        json_object_set_new(*out, "unit", json_string(s->lead.id));
        json_object_set_new(*out, "rule", json_integer(s->rule.id));
    }
    return WG_OK;
}

/* Answers the routing suggestion for an item at a place (a grid or region code, "" for
 * none): {found, explanation} and, when a rule matched, the lead and assisting units, the rule
 * and the body of the dispatch that follows it. */
static enum wg_rc reply_suggestion(struct wg_req *req, struct wg_db *db, const char *item,
                                   const char *place, struct wg_err *err)
{
    struct wg_route_suggestion s;
    json_t *out;
    enum wg_rc rc = wg_route_suggest(db, item, place, &s, err);
    if (rc)
        return rc;
    json_t *because;
    if ((rc = because_json(req, db, &s, item ? item : "", place ? place : "", &because, err)))
        return rc;
    out = wg_api_keep(req, json_pack("{s:b,s:s,s:o}", "found", s.found, "explanation", s.why,
                                     "because", because));
    if (s.found) {
        /* the assisting units as they are now (one removed since is left out), and the
         * body of the dispatch that follows the suggestion */
        json_t *ids = wg_api_keep(req, assisting_ids(s.rule.assisting));
        json_t *units = json_array(), *v;
        json_t *body = json_pack("{s:s,s:[]}", "unit", s.lead.id, "assisting");
        json_object_set_new(out, "assisting", units);
        json_object_set_new(out, "dispatch", body);
        size_t i;
        json_array_foreach(ids, i, v)
        {
            struct wg_unit_row u;
            rc = wg_store_unit_get(db, json_string_value(v), &u, err);
            if (rc == WG_ENOTFOUND) { /* removed since the rule was written */
                wg_err_clear(err);
                rc = WG_OK;
            } else if (rc) {
                break;
            } else {
                json_array_append_new(units, json_pack("{s:s,s:s}", "id", u.id, "name", u.name));
                json_array_append(json_object_get(body, "assisting"), v);
            }
        }
        if (rc)
            return rc;
        json_object_set_new(out, "lead",
                            json_pack("{s:s,s:s}", "id", s.lead.id, "name", s.lead.name));
        json_object_set_new(out, "rule", json_integer(s.rule.id));
    }
    return wg_reply_json(req, 200, json_incref(out));
}

enum wg_rc wg_api_orders_route(struct wg_req *req, struct wg_err *err)
{
    struct wg_order o;
    struct wg_order_assist a;
    enum wg_order_relation rel;
    struct wg_db *db;
    long long id;
    enum wg_rc rc;
    if ((rc = wg_api_order_id(req->params[0], &id, err)) || (rc = wg_api_db(req, &db, err)) ||
        (rc = wg_order_load(db, id, &o, err)))
        return rc;
    /* outside the caller's sight the order does not exist; nothing personal is opened */
    if (!(rc = wg_order_relate(db, req->actor, &o.row, &a, &rel, err)))
        rc = reply_suggestion(req, db, o.row.item, o.row.grid[0] ? o.row.grid : o.row.county, err);
    wg_order_unload(&o);
    return rc;
}

/* The place of a suggestion asked for before an order exists: a region or grid code that
 * exists and that the caller's scope covers (outside it, a code is as unknown as a missing
 * one). */
static enum wg_rc check_place(struct wg_req *req, struct wg_db *db, const char *code,
                              struct wg_err *err)
{
    enum wg_level lvl = wg_region_level(code, err);
    enum wg_rc rc;
    if (lvl == WG_LEVEL_NONE) {
        wg_err_prefix(err, "query parameter 'region'");
        return WG_EINVAL;
    }
    if (!wg_api_in_scope(req, code))
        rc = WG_ENOTFOUND;
    else if (lvl >= WG_LEVEL_GRID) {
        struct wg_grid_row g;
        rc = wg_store_grid_current(db, code, &g, NULL, err);
    } else {
        struct wg_region_row r;
        rc = wg_store_region_get(db, code, &r, err);
    }
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL, "query parameter 'region': %s '%s' does not exist",
                          wg_level_name(lvl), code);
    return rc;
}

/* GET /api/v1/routing-rules/match?item=06028[&region=371302001001001]: the suggestion for an
 * order not taken in yet, decided as the order's own route would be. */
enum wg_rc wg_api_rules_match(struct wg_req *req, struct wg_err *err)
{
    const struct wg_catalog *cat = wg_api_catalog(req);
    const char *item = wg_req_query(req, "item"), *region = wg_req_query(req, "region");
    struct wg_db *db;
    enum wg_rc rc;
    if ((rc = wg_param_text(item, "item", WG_CATALOG_CODE_MAX, err)) ||
        (region && (rc = wg_param_text(region, "region", wg_level_code_len(WG_LEVEL_MICRO), err))))
        return rc;
    if (!cat)
        return wg_err_set(err, WG_EUNAVAIL, "the catalog is not loaded yet");
    if (!wg_catalog_find(cat, item))
        return wg_err_set(err, WG_EINVAL,
                          "query parameter 'item': '%s' is not in the dispatch catalog", item);
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = region ? check_place(req, db, region, err) : WG_OK;
    if (!rc)
        rc = reply_suggestion(req, db, item, region ? region : "", err);
    return rc;
}
