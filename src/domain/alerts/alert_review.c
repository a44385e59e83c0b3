/* The review desk (alert.h): alerts read in the caller's scope, and a reviewer's order or
 * dismissal under the version read. */
#include "domain/alerts/alert.h"
#include "core/param.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/jfield.h"

const char *const wg_alert_review_fields[] = {"action", "item", "urgency", "note", NULL};
static const char *const review_actions[] = {"order", "dismiss", NULL};

int wg_alert_visible(const struct wg_scope *scope, const char *grid, const char *unit)
{
    if (wg_scope_is_unit(scope))
        return !strcmp(scope->code, unit);
    return wg_scope_covers(scope, grid);
}

json_t *wg_alert_json(const struct wg_alert_row *a)
{
    char first[32], last[32];
    int t = wg_alert_type_index(a->type);
    wg_clock_iso(a->first_seen, first);
    wg_clock_iso(a->last_seen, last);
    json_t *j = json_pack(
        "{s:I,s:s,s:s,s:s,s:s,s:s,s:{s:f,s:f},s:f,s:s,s:s,s:I,s:s,s:s,s:s,s:s,s:I}", "id",
        (json_int_t)a->id, "device", a->device, "type", a->type, "name",
        t >= 0 ? wg_alert_types[t].zh : a->type, "grid", a->grid, "unit", a->unit, "point", "lon",
        a->lon, "lat", a->lat, "confidence", a->confidence, "first_seen", first, "last_seen", last,
        "count", (json_int_t)a->count, "snapshot", a->snapshot, "state", a->state, "note", a->note,
        "reviewed_by", a->reviewed_by, "version", (json_int_t)a->version);
    json_object_set_new(j, "order_id", a->order_id ? json_integer(a->order_id) : json_null());
    return j;
}

static int on_alert(const struct wg_alert_row *a, void *ctx)
{
    json_array_append_new(ctx, wg_alert_json(a));
    return 0;
}

enum wg_rc wg_alert_list(struct wg_db *db, const struct wg_scope *scope,
                         const struct wg_alert_query *q, json_t **out, struct wg_err *err)
{
    int unit = wg_scope_is_unit(scope);
    struct wg_alert_filter f = {unit ? "" : scope->code,
                                unit ? scope->code : "",
                                q->state ? q->state : "",
                                q->type ? q->type : "",
                                q->grid ? q->grid : "",
                                0,
                                0,
                                0};
    long long total = 0;
    enum wg_rc rc;
    *out = NULL;
    int ok = !*f.state;
    for (const char *const *s = wg_alert_states; !ok && *s; s++)
        ok = !strcmp(*s, f.state);
    if (!ok)
        return wg_err_set(err, WG_EINVAL,
                          "'state' is one of review, ordered, dismissed, "
                          "ignored, pending");
    if (*f.type && wg_alert_type_index(f.type) < 0)
        return wg_err_set(err, WG_EINVAL, "'type': '%s' is not a type of alert", f.type);
    if (strspn(f.grid, "0123456789") != strlen(f.grid) || strlen(f.grid) > 19)
        return wg_err_set(err, WG_EINVAL, "'grid' is a grid or region code of digits");
    if (q->since && *q->since && (f.since = wg_alert_parse_time(q->since)) < 0)
        return wg_err_set(
            err, WG_EINVAL,
            "'since' is an ISO 8601 time with its offset (2026-12-07T00:00:00+08:00)");
    f.limit = 50;
    f.offset = 0;
    if ((rc = wg_param_count(q->limit, "limit", 1, WG_ALERT_LIST_MAX, &f.limit, err)) ||
        (rc = wg_param_count(q->offset, "offset", 0, 1000000000, &f.offset, err)))
        return rc;
    json_t *arr = json_array();
    if ((rc = wg_store_alert_list(db, &f, on_alert, arr, err)) ||
        (rc = wg_store_alert_count(db, &f, &total, err))) {
        json_decref(arr);
        return rc;
    }
    *out = json_pack("{s:o,s:I,s:I,s:I}", "alerts", arr, "total", (json_int_t)total, "limit",
                     (json_int_t)f.limit, "offset", (json_int_t)f.offset);
    return WG_OK;
}

enum wg_rc wg_alert_view(struct wg_db *db, const struct wg_scope *scope, long long id, json_t **out,
                         long long *version, struct wg_err *err)
{
    struct wg_alert_row a;
    struct wg_device_row d;
    struct wg_err e = {0};
    *out = NULL;
    enum wg_rc rc = wg_store_alert_get(db, id, &a, err);
    if (!rc && !wg_alert_visible(scope, a.grid, a.unit))
        rc = wg_err_set(err, WG_ENOTFOUND, "alert %lld does not exist", id);
    if (rc)
        return rc;
    json_t *j = wg_alert_json(&a);
    if (!wg_store_device_get(db, a.device, &d, &e))
        json_object_set_new(j, "device_info",
                            json_pack("{s:s,s:s,s:s,s:s,s:b}", "name", d.name, "kind", d.kind,
                                      "address", d.address, "unit", d.unit, "retired", d.retired));
    *version = a.version;
    *out = j;
    return WG_OK;
}

enum wg_rc wg_alert_review_check(struct wg_db *db, const struct wg_order_env *env,
                                 const struct wg_locator *loc, const struct wg_actor *actor,
                                 long long id, long long version, const json_t *body, long long now,
                                 struct wg_alert_review *rv, struct wg_err *err)
{
    const char *action, *item, *urgency, *note;
    struct wg_alert_rules rules;
    struct wg_device_row dev;
    struct wg_err e = {0};
    enum wg_rc rc;
    memset(rv, 0, sizeof *rv);
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL,
                          "a review is a JSON object {action, item, urgency, "
                          "note}");
    if ((rc = wg_jf_known(body, wg_alert_review_fields, "a review", err)) ||
        (rc = wg_jf_one_of(body, "action", review_actions, NULL, &action, err)) ||
        (rc = wg_jf_text(body, "item", 0, 15, &item, err)) ||
        (rc = wg_jf_one_of(body, "urgency", wg_order_urgencies, "", &urgency, err)) ||
        (rc = wg_jf_text(body, "note", 0, 500, &note, err)))
        return rc;
    rc = wg_store_alert_get(db, id, &rv->row, err);
    if (!rc && !wg_alert_visible(&actor->scope, rv->row.grid, rv->row.unit))
        rc = wg_err_set(err, WG_ENOTFOUND, "alert %lld does not exist", id);
    if (rc)
        return rc;
    if (version != rv->row.version)
        return wg_err_set(err, WG_ECONFLICT,
                          "alert %lld is at version %lld, not %lld: read it again", id,
                          rv->row.version, version);
    if (!strcmp(rv->row.state, "ordered") || !strcmp(rv->row.state, "dismissed"))
        return wg_err_set(err, WG_ECONFLICT, "alert %lld is %s already", id, rv->row.state);
    rv->id = id;
    rv->version = version;
    rv->note = note ? note : "";
    rv->actor = actor->username;
    rv->order = !strcmp(action, "order");
    if (!rv->order)
        return WG_OK;
    if ((rc = wg_alert_rules_load(db, &rules, err)))
        return rc;
    const struct wg_alert_rule_row *r = &rules.r[wg_alert_type_index(rv->row.type)];
    snprintf(rv->item, sizeof rv->item, "%s", item && *item ? item : r->item);
    snprintf(rv->urgency, sizeof rv->urgency, "%s", urgency && *urgency ? urgency : r->urgency);
    if (wg_store_device_get(db, rv->row.device, &dev, &e))
        memset(&dev, 0, sizeof dev);
    wg_alert_order_text(&rv->row, dev.name, rv->title, sizeof rv->title, rv->content,
                        sizeof rv->content);
    snprintf(rv->channel, sizeof rv->channel, "%s",
             !strcmp(dev.kind, "sensor") ? "sensor" : "video");
    snprintf(rv->address, sizeof rv->address, "%s", dev.address);
    struct wg_order_input in = {.channel = rv->channel,
                                .type = "report",
                                .item = rv->item,
                                .title = rv->title,
                                .content = rv->content,
                                .address = rv->address,
                                .urgency = rv->urgency,
                                .has_point = 1,
                                .lon = rv->row.lon,
                                .lat = rv->row.lat,
                                .crs = WG_CRS_WGS84,
                                .anonymous = 1};
    if ((rc = wg_order_prepare(env, loc, actor, &in, now, &rv->draft, err))) {
        if (rc == WG_EINVAL && strstr(err->msg, "item '"))
            wg_err_prefix(err, "'item'");
        return rc;
    }
    return WG_OK;
}

enum wg_rc wg_alert_review_write(struct wg_db *db, struct wg_alert_review *rv, long long now,
                                 struct wg_err *err)
{
    struct wg_alert_row a = rv->row;
    snprintf(a.state, sizeof a.state, "%s", rv->order ? "ordered" : "dismissed");
    a.order_id = rv->order ? rv->draft.row.id : 0;
    snprintf(a.note, sizeof a.note, "%s", rv->note);
    snprintf(a.reviewed_by, sizeof a.reviewed_by, "%s", rv->actor);
    a.version = rv->version;
    return wg_store_alert_review(db, &a, now, err);
}
