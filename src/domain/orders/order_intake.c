/* Intake: an appeal's body checked, located, its reporter sealed, then numbered and inserted
 * with its first timeline event and its counters (order.h says which half runs where). */
#include "domain/orders/order.h"

#include <math.h>

#include <sodium.h>

#include "core/buf.h"
#include "core/civil.h"
#include "core/clock.h"
#include "core/jfield.h"
#include "domain/map/region.h"
#include "domain/notify/notify.h"
#include "domain/stats/stats.h"
#include "store/orders/orders_q.h"

const char *const wg_order_fields[] = {"channel",
                                       "type",
                                       "urgency",
                                       "item",
                                       "title",
                                       "content",
                                       "address",
                                       "county",
                                       "lon",
                                       "lat",
                                       "crs",
                                       "anonymous",
                                       "confidential",
                                       "reporter",
                                       "reporter.name",
                                       "reporter.phone",
                                       NULL};

enum wg_rc wg_order_parse(const json_t *body, struct wg_order_input *in, struct wg_err *err)
{
    json_t *lon, *lat, *rep;
    enum wg_rc rc;
    memset(in, 0, sizeof *in);
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "body must be a JSON object");
    if ((rc = wg_jf_one_of(body, "channel", wg_order_channels, NULL, &in->channel, err)) ||
        (rc = wg_jf_one_of(body, "type", wg_order_types, NULL, &in->type, err)) ||
        (rc = wg_jf_one_of(body, "urgency", wg_order_urgencies, "normal", &in->urgency, err)) ||
        (rc = wg_jf_text(body, "item", 0, 15, &in->item, err)) ||
        (rc = wg_jf_text(body, "title", 1, 200, &in->title, err)) ||
        (rc = wg_jf_text(body, "content", 1, 10000, &in->content, err)) ||
        (rc = wg_jf_text(body, "address", 0, 500, &in->address, err)) ||
        (rc = wg_jf_text(body, "county", 0, 6, &in->county, err)) ||
        (rc = wg_jf_bool(body, "anonymous", &in->anonymous, err)) ||
        (rc = wg_jf_bool(body, "confidential", &in->confidential, err)))
        return rc;
    if (in->item)
        for (const char *p = in->item; *p; p++)
            if (*p < '0' || *p > '9')
                return wg_err_set(err, WG_EINVAL, "'item' must be a catalog code of digits");
    lon = json_object_get(body, "lon");
    lat = json_object_get(body, "lat");
    if (lon || lat) {
        if (!json_is_number(lon) || !json_is_number(lat))
            return wg_err_set(err, WG_EINVAL, "'lon' and 'lat' must both be numbers");
        in->lon = json_number_value(lon);
        in->lat = json_number_value(lat);
        if (!isfinite(in->lon) || !isfinite(in->lat) || fabs(in->lon) > 180 || fabs(in->lat) > 90)
            return wg_err_set(err, WG_EINVAL, "'lon' must be within ±180 and 'lat' within ±90");
        in->has_point = 1;
        if ((rc = wg_crs_parse(json_string_value(json_object_get(body, "crs")), &in->crs, err)))
            return rc;
    }
    if (!in->has_point && !in->county)
        return wg_err_set(err, WG_EINVAL,
                          "give the place: 'lon' and 'lat' (located to a grid), "
                          "or at least 'county'");
    if (in->county && wg_region_level(in->county, err) != WG_LEVEL_COUNTY)
        return wg_err_set(err, WG_EINVAL, "'county' must be a 6-digit county code");
    rep = json_object_get(body, "reporter");
    if (rep && !json_is_object(rep))
        return wg_err_set(err, WG_EINVAL, "'reporter' must be an object {name, phone}");
    if (rep && !in->anonymous) {
        if ((rc = wg_jf_text(rep, "name", 0, 100, &in->reporter_name, err)) ||
            (rc = wg_jf_text(rep, "phone", 0, 40, &in->reporter_phone, err))) {
            wg_err_prefix(err, "reporter");
            return rc;
        }
        if (in->reporter_phone && (rc = wg_pii_check_phone(in->reporter_phone, err))) {
            wg_err_prefix(err, "reporter.phone");
            return rc;
        }
    }
    return WG_OK;
}
enum wg_rc wg_order_prepare(const struct wg_order_env *env, const struct wg_locator *loc,
                            const struct wg_actor *actor, const struct wg_order_input *in,
                            long long now, struct wg_order_draft *d, struct wg_err *err)
{
    struct wg_order_row *o = &d->row;
    struct wg_locate_result where;
    char *s_name = NULL, *s_phone = NULL;
    enum wg_rc rc;
    memset(d, 0, sizeof *d);
    if (in->item && env->catalog && !wg_catalog_find(env->catalog, in->item))
        return wg_err_set(err, WG_EINVAL, "item '%s' is not in the dispatch catalog", in->item);
    snprintf(o->channel, sizeof o->channel, "%s", in->channel);
    snprintf(o->type, sizeof o->type, "%s", in->type);
    snprintf(o->item, sizeof o->item, "%s", in->item ? in->item : "");
    snprintf(o->urgency, sizeof o->urgency, "%s", in->urgency);
    o->title = (char *)in->title;
    o->content = (char *)in->content;
    o->address = (char *)in->address;
    o->anonymous = in->anonymous;
    o->confidential = in->confidential;
    snprintf(o->state, sizeof o->state, "received");
    o->version = 1;
    snprintf(o->created_by, sizeof o->created_by, "%s", actor->username);
    snprintf(d->actor_role, sizeof d->actor_role, "%s", wg_role_name(actor->role));
    wg_clock_iso(now, o->created_at);
    memcpy(o->updated_at, o->created_at, sizeof o->updated_at);
    if (in->has_point) {
        if (!loc)
            return wg_err_set(err, WG_EUNAVAIL, "the locate index is not built yet");
        if ((rc = wg_locator_locate(loc, in->lon, in->lat, in->crs, &where, err))) {
            /* a point in no grid is the caller's input, not a missing resource */
            if (rc == WG_ENOTFOUND)
                rc = err ? (err->rc = WG_EINVAL) : WG_EINVAL;
            return rc;
        }
        if (!wg_scope_covers(&actor->scope, where.grid->code))
            return wg_err_set(err, WG_EINVAL, "the point lies in grid '%s', outside your area",
                              where.grid->code);
        o->has_point = 1;
        o->lon = where.lon;
        o->lat = where.lat;
        snprintf(o->crs, sizeof o->crs, "%s", wg_crs_name(in->crs));
        snprintf(o->grid, sizeof o->grid, "%s", where.grid->code);
        o->grid_version = 1;
        wg_region_prefix(where.grid->code, WG_LEVEL_COUNTY, o->county, sizeof o->county);
    } else {
        if (!wg_scope_covers(&actor->scope, in->county) &&
            strncmp(actor->scope.code, in->county, strlen(in->county)))
            return wg_err_set(err, WG_EINVAL, "county '%s' is outside your area", in->county);
        snprintf(o->county, sizeof o->county, "%s", in->county);
    }
    if (in->reporter_phone) {
        if ((rc = wg_pii_normalize(WG_PII_PHONE, in->reporter_phone, d->phone, sizeof d->phone,
                                   err)) ||
            (rc = wg_pii_blind(env->keys, WG_PII_PHONE, d->phone, d->blind, err)) ||
            (rc = wg_pii_encrypt(env->keys, d->phone, "order.reporter_phone", &s_phone, err)))
            goto fail;
    }
    if (in->reporter_name && *in->reporter_name &&
        (rc = wg_pii_encrypt(env->keys, in->reporter_name, "order.reporter_name", &s_name, err)))
        goto fail;
    d->name = s_name ? in->reporter_name : NULL;
    o->reporter_name = s_name;
    o->reporter_phone = s_phone;
    o->reporter_phone_blind = d->blind;
    wg_cst_yyyymmdd(now, d->day);
    return WG_OK;
fail:
    free(s_name);
    free(s_phone);
    wg_order_draft_release(d);
    return rc;
}
void wg_order_draft_release(struct wg_order_draft *d)
{
    free(d->row.reporter_name);
    free(d->row.reporter_phone);
    d->row.reporter_name = d->row.reporter_phone = NULL;
    sodium_memzero(d->phone, sizeof d->phone);
    d->name = NULL;
    free(d->dups);
    d->dups = NULL;
    json_decref(d->dups_all);
    d->dups_all = NULL;
}
enum wg_rc wg_order_insert(struct wg_db *db, struct wg_order_draft *d, struct wg_err *err)
{
    struct wg_order_row *o = &d->row;
    long long seq = 0;
    enum wg_rc rc;
    if ((rc = wg_store_order_next_number(db, o->county, d->day, &seq, err)))
        return rc;
    if (seq > 999999)
        return wg_err_set(err, WG_ECONFLICT, "county %s has used all 999999 numbers of %s",
                          o->county, d->day);
    snprintf(o->number, sizeof o->number, "%s-%s-%06lld", o->county, d->day, seq);
    if ((rc = wg_store_order_insert(db, o, &o->id, err)))
        return rc;
    struct wg_order_event_row ev = {0,        o->created_at, o->created_by, d->actor_role,
                                    "create", NULL,          "received",    o->channel};
    if ((rc = wg_store_order_event_first(db, o->id, &ev, err)) ||
        (d->dups && (rc = wg_store_dup_set(db, o->id, d->dups, err))))
        return rc;
    /* the indicators' counters change in the same transaction (domain/stats/stats.h) */
    struct wg_stats_change ch = {.leaf = o->grid[0] ? o->grid : o->county,
                                 .item = o->item,
                                 .channel = o->channel,
                                 .created_day = wg_cst_day_of_iso(o->created_at),
                                 .create = 1,
                                 .after = {.state = WG_STATE_RECEIVED, .unit = ""},
                                 .at = wg_civil_time_of_iso(o->created_at)};
    if ((rc = wg_stats_apply(db, &ch, err)))
        return rc;
    /* the grid's workers hear of it in the same transaction (domain/notify/notify.h) */
    return wg_notify_order_in_grid(db, o, ch.at, err);
}
enum wg_rc wg_order_index_pending(struct wg_db *db, int limit, int *indexed, struct wg_err *err)
{
    return wg_store_order_fts_catchup(db, limit, indexed, err);
}
enum wg_rc wg_order_create(struct wg_db *db, const struct wg_order_env *env,
                           const struct wg_locator *loc, const struct wg_actor *actor,
                           const struct wg_order_input *in, long long now, long long *id,
                           struct wg_err *err)
{
    struct wg_order_draft d;
    enum wg_rc rc = wg_order_prepare(env, loc, actor, in, now, &d, err);
    if (rc)
        return rc;
    if (!(rc = wg_db_begin(db, err))) {
        if ((rc = wg_order_insert(db, &d, err)) || (rc = wg_db_commit(db, err)))
            wg_db_rollback(db);
    }
    *id = rc ? 0 : d.row.id;
    wg_order_draft_release(&d);
    return rc;
}
