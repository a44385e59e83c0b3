/* The types of alert and their rules (alert.h): the one table of types with the shipped
 * defaults, and the rules the store holds over them (GET and PUT /api/v1/alert-rules). */
#include "domain/alerts/alert.h"

#include <stdio.h>
#include <string.h>

#include "core/jfield.h"

/* Fire acts at once and critically; what a camera sees for a moment (a car stopping, a
 * crowd passing) must persist before anyone is sent. Items are the shipped catalog's. */
const struct wg_alert_type wg_alert_types[] = {
    {"illegal_parking", "违章停车", 0.6, 300, 3, "order", "09904", "normal"},
    {"smoke_fire", "烟火", 0.5, 0, 0, "order", "3503", "critical"},
    {"standing_water", "积水", 0.6, 600, 2, "order", "10902", "urgent"},
    {"street_vending", "占道经营", 0.6, 600, 3, "review", "09006", "normal"},
    {"illegal_building", "违法建设", 0.7, 0, 0, "review", "2106", "normal"},
    {"straw_burning", "秸秆焚烧", 0.5, 0, 0, "order", "2207", "urgent"},
    {"garbage_overflow", "垃圾满溢", 0.6, 1800, 2, "order", "06906", "normal"},
    {"crowd_gathering", "人员聚集", 0.7, 300, 2, "review", "3501", "urgent"},
    {NULL, NULL, 0, 0, 0, NULL, NULL, NULL}};
const size_t wg_alert_ntypes = sizeof wg_alert_types / sizeof wg_alert_types[0] - 1;
const char *const wg_alert_states[] = {"pending", "ignored",   "review",
                                       "ordered", "dismissed", NULL};
const char *const wg_alert_rule_fields[] = {
    "type", "min_confidence", "dwell_seconds", "dwell_count", "action", "item", "urgency", NULL};
static const char *const actions[] = {"order", "review", NULL};

int wg_alert_type_index(const char *code)
{
    for (size_t i = 0; code && i < wg_alert_ntypes; i++)
        if (!strcmp(wg_alert_types[i].code, code))
            return (int)i;
    return -1;
}

static void defaults(struct wg_alert_rules *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < wg_alert_ntypes; i++) {
        const struct wg_alert_type *t = &wg_alert_types[i];
        struct wg_alert_rule_row *r = &out->r[i];
        snprintf(r->type, sizeof r->type, "%s", t->code);
        r->min_confidence = t->min_confidence;
        r->dwell_seconds = t->dwell_seconds;
        r->dwell_count = t->dwell_count;
        snprintf(r->action, sizeof r->action, "%s", t->action);
        snprintf(r->item, sizeof r->item, "%s", t->item);
        snprintf(r->urgency, sizeof r->urgency, "%s", t->urgency);
    }
}

static int on_rule(const struct wg_alert_rule_row *r, void *ctx)
{
    struct wg_alert_rules *out = ctx;
    int i = wg_alert_type_index(r->type);
    if (i >= 0)
        out->r[i] = *r;
    return 0;
}

enum wg_rc wg_alert_rules_load(struct wg_db *db, struct wg_alert_rules *out, struct wg_err *err)
{
    defaults(out);
    return wg_store_alert_rules(db, on_rule, out, err);
}

enum wg_rc wg_alert_rules_json(struct wg_db *db, json_t **out, struct wg_err *err)
{
    struct wg_alert_rules rs;
    enum wg_rc rc = wg_alert_rules_load(db, &rs, err);
    *out = NULL;
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < wg_alert_ntypes; i++) {
        const struct wg_alert_rule_row *r = &rs.r[i];
        json_array_append_new(
            arr, json_pack("{s:s,s:s,s:f,s:I,s:I,s:s,s:s,s:s,s:I,s:b,s:s}", "type", r->type, "name",
                           wg_alert_types[i].zh, "min_confidence", r->min_confidence,
                           "dwell_seconds", (json_int_t)r->dwell_seconds, "dwell_count",
                           (json_int_t)r->dwell_count, "action", r->action, "item", r->item,
                           "urgency", r->urgency, "version", (json_int_t)r->version, "default",
                           r->version == 0, "updated_by", r->updated_by));
    }
    *out = json_pack("{s:o}", "rules", arr);
    return WG_OK;
}

static enum wg_rc whole(const json_t *o, const char *field, long long lo, long long hi,
                        long long *out, struct wg_err *err)
{
    json_t *v = json_object_get(o, field);
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return wg_err_set(err, WG_EINVAL, "'%s' is a whole number from %lld to %lld", field, lo,
                          hi);
    *out = json_integer_value(v);
    return WG_OK;
}

static enum wg_rc rule(const struct wg_catalog *catalog, const json_t *o,
                       struct wg_alert_rule_row *r, struct wg_err *err)
{
    const char *type, *action, *item, *urgency;
    json_t *mc;
    enum wg_rc rc;
    if (!json_is_object(o))
        return wg_err_set(err, WG_EINVAL,
                          "is an object {type, min_confidence, dwell_seconds, "
                          "dwell_count, action, item, urgency}");
    if ((rc = wg_jf_known(o, wg_alert_rule_fields, "an alert rule", err)) ||
        (rc = wg_jf_text(o, "type", 1, 23, &type, err)))
        return rc;
    if (wg_alert_type_index(type) < 0)
        return wg_err_set(err, WG_EINVAL, "'type': '%s' is not a type of alert", type);
    mc = json_object_get(o, "min_confidence");
    if (!json_is_number(mc) || json_number_value(mc) < 0 || json_number_value(mc) > 1)
        return wg_err_set(err, WG_EINVAL, "'min_confidence' is a number from 0 to 1");
    if ((rc = whole(o, "dwell_seconds", 0, 7 * 86400, &r->dwell_seconds, err)) ||
        (rc = whole(o, "dwell_count", 0, 10000, &r->dwell_count, err)) ||
        (rc = wg_jf_one_of(o, "action", actions, NULL, &action, err)) ||
        (rc = wg_jf_text(o, "item", 1, 15, &item, err)) ||
        (rc = wg_jf_one_of(o, "urgency", wg_order_urgencies, NULL, &urgency, err)))
        return rc;
    if (catalog && !wg_catalog_find(catalog, item))
        return wg_err_set(err, WG_EINVAL, "'item': '%s' is not in the dispatch catalog", item);
    snprintf(r->type, sizeof r->type, "%s", type);
    r->min_confidence = json_number_value(mc);
    snprintf(r->action, sizeof r->action, "%s", action);
    snprintf(r->item, sizeof r->item, "%s", item);
    snprintf(r->urgency, sizeof r->urgency, "%s", urgency);
    return WG_OK;
}

static enum wg_rc put(struct wg_db *db, const struct wg_catalog *catalog, const json_t *in,
                      const char *actor, long long now, struct wg_err *err)
{
    const json_t *arr = json_is_object(in) ? json_object_get(in, "rules") : NULL;
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > wg_alert_ntypes)
        return wg_err_set(err, WG_EINVAL, "'rules' is a list of 1 to %zu rules, one a type",
                          wg_alert_ntypes);
    int seen[16] = {0};
    for (size_t i = 0; i < json_array_size(arr); i++) {
        struct wg_alert_rule_row r;
        memset(&r, 0, sizeof r);
        enum wg_rc rc = rule(catalog, json_array_get(arr, i), &r, err);
        if (rc) {
            wg_err_prefix(err, "rules[%zu]", i);
            return rc;
        }
        int t = wg_alert_type_index(r.type);
        if (seen[t]++)
            return wg_err_set(err, WG_EINVAL, "rules[%zu]: 'type': '%s' is given twice", i, r.type);
        snprintf(r.updated_by, sizeof r.updated_by, "%s", actor);
        r.updated_at = now;
        if ((rc = wg_store_alert_rule_put(db, &r, err)))
            return rc;
    }
    return WG_OK;
}

enum wg_rc wg_alert_rules_put(struct wg_db *db, const struct wg_catalog *catalog, const json_t *in,
                              const char *actor, long long now, struct wg_err *err)
{
    int own = !wg_db_in_tx(db);
    enum wg_rc rc = own ? wg_db_begin(db, err) : WG_OK;
    if (rc)
        return rc;
    rc = put(db, catalog, in, actor, now, err);
    if (own && !rc)
        rc = wg_db_commit(db, err);
    if (own && rc)
        wg_db_rollback(db);
    return rc;
}
