/* Units, routing rules and suggestions. */
#include "domain/catalog/unit.h"

#include <ctype.h>

#include "domain/map/region.h"
#include "store/catalog/catalog_q.h"
#include "store/map/map_q.h"

const char *const wg_unit_kinds[] = {"department", "town_office", "community_office",
                                     "special_team", NULL};

enum wg_rc wg_unit_id_check(const char *id, struct wg_err *err)
{
    size_t n = id ? strlen(id) : 0;
    if (n < 2 || n > 63)
        return wg_err_set(err, WG_EINVAL, "unit 'id' must be 2 to 63 characters");
    for (const char *p = id; *p; p++)
        if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_' && *p != '-')
            return wg_err_set(err, WG_EINVAL,
                              "unit id '%s' may hold only lower-case letters, digits, _ and -", id);
    return WG_OK;
}

enum wg_rc wg_unit_create(struct wg_db *db, const char *id, const char *name, const char *kind,
                          const json_t *regions, struct wg_err *err)
{
    struct wg_unit_row u;
    enum wg_rc rc;
    size_t i;
    json_t *r;
    int known = 0;
    if ((rc = wg_unit_id_check(id, err)))
        return rc;
    if (!name || !*name || strlen(name) >= sizeof u.name)
        return wg_err_set(err, WG_EINVAL, "unit 'name' must be 1 to 127 bytes");
    for (const char *const *k = wg_unit_kinds; kind && *k; k++)
        known |= !strcmp(*k, kind);
    if (!known)
        return wg_err_set(err, WG_EINVAL,
                          "unit 'kind' must be one of department, town_office, "
                          "community_office, special_team");
    if (regions && !json_is_array(regions))
        return wg_err_set(err, WG_EINVAL, "'regions' must be an array of region codes");
    memset(&u, 0, sizeof u);
    snprintf(u.id, sizeof u.id, "%s", id);
    snprintf(u.name, sizeof u.name, "%s", name);
    snprintf(u.kind, sizeof u.kind, "%s", kind);
    if ((rc = wg_db_begin(db, err)))
        return rc;
    rc = wg_store_unit_insert(db, &u, err);
    json_array_foreach(regions, i, r)
    {
        struct wg_region_row reg;
        const char *code = json_string_value(r);
        if (rc)
            break;
        if (!code) {
            rc = wg_err_set(err, WG_EINVAL, "regions[%zu] is not a string", i);
            break;
        }
        if ((rc = wg_store_region_get(db, code, &reg, err))) {
            if (rc == WG_ENOTFOUND)
                rc =
                    wg_err_set(err, WG_EINVAL, "regions[%zu]: region '%s' does not exist", i, code);
            break;
        }
        rc = wg_store_unit_add_region(db, id, code, err);
    }
    if (!rc)
        rc = wg_db_commit(db, err);
    if (rc)
        wg_db_rollback(db);
    return rc;
}

static enum wg_rc unit_exists(struct wg_db *db, const char *id, const char *what,
                              struct wg_err *err)
{
    struct wg_unit_row u;
    enum wg_rc rc = wg_store_unit_get(db, id ? id : "", &u, err);
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL, "%s unit '%s' does not exist", what, id ? id : "");
    return rc;
}

enum wg_rc wg_route_rule_create(struct wg_db *db, const struct wg_catalog *cat, const char *item,
                                const char *region, const char *lead, const json_t *assisting,
                                long long *id, struct wg_err *err)
{
    struct wg_rule_row r;
    enum wg_rc rc;
    size_t i;
    json_t *a;
    memset(&r, 0, sizeof r);
    item = item ? item : "";
    region = region ? region : "";
    if (*item && (!cat || !wg_catalog_find(cat, item)))
        return wg_err_set(err, WG_EINVAL, "item '%s' is not in the dispatch catalog", item);
    if (*region) {
        struct wg_region_row reg;
        if (wg_store_region_get(db, region, &reg, err))
            return wg_err_set(err, WG_EINVAL, "region '%s' does not exist", region);
    }
    if ((rc = unit_exists(db, lead, "lead", err)))
        return rc;
    if (assisting && !json_is_array(assisting))
        return wg_err_set(err, WG_EINVAL, "'assisting' must be an array of unit ids");
    json_array_foreach(assisting, i, a)
    {
        const char *u = json_string_value(a);
        size_t len = strlen(r.assisting);
        if (!u || !strcmp(u, lead) || (rc = unit_exists(db, u, "assisting", err)))
            return rc ? rc
                      : wg_err_set(err, WG_EINVAL, "assisting[%zu] must be another unit's id", i);
        if (len + strlen(u) + 2 > sizeof r.assisting)
            return wg_err_set(err, WG_EINVAL, "too many assisting units");
        snprintf(r.assisting + len, sizeof r.assisting - len, "%s%s", len ? "," : "", u);
    }
    snprintf(r.item, sizeof r.item, "%s", item);
    snprintf(r.region, sizeof r.region, "%s", region);
    snprintf(r.lead, sizeof r.lead, "%s", lead);
    return wg_store_rule_insert(db, &r, id, err);
}

static int first_rule(const struct wg_rule_row *r, void *ctx)
{
    struct wg_route_suggestion *s = ctx;
    s->rule = *r;
    s->found = 1;
    return 1;
}

enum wg_rc wg_route_suggest(struct wg_db *db, const char *item, const char *place,
                            struct wg_route_suggestion *out, struct wg_err *err)
{
    enum wg_rc rc;
    memset(out, 0, sizeof *out);
    item = item ? item : "";
    place = place ? place : "";
    if ((rc = wg_store_rule_match(db, item, place, first_rule, out, err)))
        return rc;
    if (!out->found) {
        snprintf(out->why, sizeof out->why, "no rule matches item %s in %s: dispatch by hand",
                 *item ? item : "(none)", *place ? place : "(no place)");
        return WG_OK;
    }
    if ((rc = wg_store_unit_get(db, out->rule.lead, &out->lead, err)))
        return rc;
    enum wg_level lvl =
        out->rule.region[0] ? wg_region_level(out->rule.region, NULL) : WG_LEVEL_NONE;
    snprintf(out->why, sizeof out->why, "item %s in %s%s%s → unit %s %s by rule %lld",
             out->rule.item[0] ? out->rule.item : "(any)",
             lvl == WG_LEVEL_NONE ? "any place" : wg_level_name(lvl),
             lvl == WG_LEVEL_NONE ? "" : " ", out->rule.region, out->lead.id, out->lead.name,
             out->rule.id);
    return WG_OK;
}
