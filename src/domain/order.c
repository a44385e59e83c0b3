/* Work-order intake and rendering. */
#include "domain/order.h"

#include <math.h>

#include <sodium.h>

#include "core/buf.h"

#include "domain/notify.h"
#include "domain/order_fsm.h"
#include "domain/photo.h"
#include "domain/region.h"
#include "domain/stats.h"

const char *const wg_order_channels[] = {"hotline", "web",    "app",     "gridworker",
                                         "window",  "mailbox", "video",  "sensor",
                                         "open311", "transfer", NULL};
const char *const wg_order_types[] = {"consult", "help",   "complaint", "report",
                                      "suggestion", "praise", "wish",   NULL};
const char *const wg_order_urgencies[] = {"normal", "urgent", "critical", NULL};

static int in_list(const char *const *list, const char *s)
{
    for (; s && *list; list++)
        if (!strcmp(*list, s))
            return 1;
    return 0;
}

static enum wg_rc one_of(const json_t *body, const char *field, const char *const *list,
                         const char *dflt, const char **out, struct wg_err *err)
{
    json_t *v = json_object_get(body, field);
    struct wg_buf b;
    if (!v && dflt) {
        *out = dflt;
        return WG_OK;
    }
    *out = json_string_value(v);
    if (in_list(list, *out))
        return WG_OK;
    wg_buf_init(&b, 512);
    for (const char *const *p = list; *p; p++)
        wg_buf_addf(&b, "%s%s", p == list ? "" : ", ", *p);
    wg_err_set(err, WG_EINVAL, "'%s' must be one of %s", field, wg_buf_str(&b));
    wg_buf_release(&b);
    return WG_EINVAL;
}

static enum wg_rc text(const json_t *body, const char *field, size_t min, size_t max,
                       const char **out, struct wg_err *err)
{
    json_t *v = json_object_get(body, field);
    *out = NULL;
    if (!v || json_is_null(v)) {
        if (min)
            return wg_err_set(err, WG_EINVAL, "'%s' is required", field);
        return WG_OK;
    }
    if (!json_is_string(v))
        return wg_err_set(err, WG_EINVAL, "'%s' must be a string", field);
    *out = json_string_value(v);
    if (strlen(*out) < min || strlen(*out) > max)
        return wg_err_set(err, WG_EINVAL, "'%s' must be %zu to %zu bytes, not %zu", field, min,
                          max, strlen(*out));
    return WG_OK;
}

static enum wg_rc flag(const json_t *body, const char *field, int *out, struct wg_err *err)
{
    json_t *v = json_object_get(body, field);
    *out = 0;
    if (!v)
        return WG_OK;
    if (!json_is_boolean(v))
        return wg_err_set(err, WG_EINVAL, "'%s' must be true or false", field);
    *out = json_is_true(v);
    return WG_OK;
}

enum wg_rc wg_order_parse(const json_t *body, struct wg_order_input *in, struct wg_err *err)
{
    json_t *lon, *lat, *rep;
    enum wg_rc rc;
    memset(in, 0, sizeof *in);
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "body must be a JSON object");
    if ((rc = one_of(body, "channel", wg_order_channels, NULL, &in->channel, err)) ||
        (rc = one_of(body, "type", wg_order_types, NULL, &in->type, err)) ||
        (rc = one_of(body, "urgency", wg_order_urgencies, "normal", &in->urgency, err)) ||
        (rc = text(body, "item", 0, 15, &in->item, err)) ||
        (rc = text(body, "title", 1, 200, &in->title, err)) ||
        (rc = text(body, "content", 1, 10000, &in->content, err)) ||
        (rc = text(body, "address", 0, 500, &in->address, err)) ||
        (rc = text(body, "county", 0, 6, &in->county, err)) ||
        (rc = flag(body, "anonymous", &in->anonymous, err)) ||
        (rc = flag(body, "confidential", &in->confidential, err)))
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
        if (!isfinite(in->lon) || !isfinite(in->lat) || fabs(in->lon) > 180 ||
            fabs(in->lat) > 90)
            return wg_err_set(err, WG_EINVAL, "'lon' must be within ±180 and 'lat' within ±90");
        in->has_point = 1;
        if ((rc = wg_crs_parse(json_string_value(json_object_get(body, "crs")), &in->crs, err)))
            return rc;
    }
    if (!in->has_point && !in->county)
        return wg_err_set(err, WG_EINVAL, "give the place: 'lon' and 'lat' (located to a grid), "
                                          "or at least 'county'");
    if (in->county && wg_region_level(in->county, err) != WG_LEVEL_COUNTY)
        return wg_err_set(err, WG_EINVAL, "'county' must be a 6-digit county code");
    rep = json_object_get(body, "reporter");
    if (rep && !json_is_object(rep))
        return wg_err_set(err, WG_EINVAL, "'reporter' must be an object {name, phone}");
    if (rep && !in->anonymous) {
        if ((rc = text(rep, "name", 0, 100, &in->reporter_name, err)) ||
            (rc = text(rep, "phone", 0, 40, &in->reporter_phone, err))) {
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

/* yyyymmdd of a UTC time in China Standard Time (UTC+8, no daylight saving). */
static void cst_day(long long now, char out[9])
{
    time_t t = (time_t)(now + 8 * 3600);
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, 9, "%04d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static void iso_of(long long now, char out[32])
{
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
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
    snprintf(d->actor_role, sizeof d->actor_role, "%s", actor->role);
    iso_of(now, o->created_at);
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
        snprintf(o->county, sizeof o->county, "%.6s", where.grid->code);
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
    cst_day(now, d->day);
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
    if ((rc = wg_store_order_event(db, o->id, &ev, err)))
        return rc;
    /* the indicators' counters change in the same transaction (domain/stats.h) */
    struct wg_stats_change ch = {.leaf = o->grid[0] ? o->grid : o->county,
                                 .item = o->item,
                                 .channel = o->channel,
                                 .created_day = wg_stats_day_of_iso(o->created_at),
                                 .create = 1,
                                 .after = {.state = "received", .unit = ""},
                                 .at = wg_stats_time_of_iso(o->created_at)};
    return wg_stats_apply(db, &ch, err);
}

enum wg_rc wg_order_index(struct wg_db *db, const struct wg_order_draft *d, struct wg_err *err)
{
    return wg_store_order_index_text(db, d->row.id, d->row.title, d->row.content, err);
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
        if ((rc = wg_order_insert(db, &d, err)) || (rc = wg_order_index(db, &d, err)) ||
            (rc = wg_db_commit(db, err)))
            wg_db_rollback(db);
    }
    *id = rc ? 0 : d.row.id;
    wg_order_draft_release(&d);
    return rc;
}

static int add_event(const struct wg_order_event_row *e, void *ctx)
{
    json_t *o = json_pack("{s:i,s:s,s:s,s:s,s:s}", "seq", e->seq, "at", e->at, "actor", e->actor,
                          "role", e->role, "action", e->action);
    if (e->from_state[0])
        json_object_set_new(o, "from", json_string(e->from_state));
    if (e->to_state[0])
        json_object_set_new(o, "to", json_string(e->to_state));
    if (e->detail[0])
        json_object_set_new(o, "detail", json_string(e->detail));
    json_array_append_new(ctx, o);
    return 0;
}

static void facts_ctx(const struct wg_order_facts *f, const struct wg_order_row *o,
                      const struct wg_actor *actor, struct wg_fsm_ctx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->extension_pending = f->extension_pending;
    ctx->direct_answer = f->direct_answer;
    ctx->self_handled = f->self_handler[0] != 0;
    ctx->actor_is_self_handler = !strcmp(f->self_handler, actor->username);
    ctx->reopened_before = f->reopened;
    ctx->no_reporter = o->anonymous;
    ctx->callback_attempts = f->callback_attempts;
    if (f->before_suspend[0])
        wg_fsm_state_parse(f->before_suspend, &ctx->before_suspend, NULL);
}

static json_t *allowed_json(const struct wg_actor *actor, const struct wg_order_row *o,
                            const struct wg_order_facts *f)
{
    struct wg_fsm_ctx ctx;
    enum wg_order_state st;
    enum wg_fsm_role role;
    enum wg_order_action acts[WG_ACTION_COUNT];
    json_t *arr = json_array();
    size_t n;
    if (!f || wg_fsm_role_parse(actor->role, &role, NULL) ||
        wg_fsm_state_parse(o->state, &st, NULL))
        return arr;
    facts_ctx(f, o, actor, &ctx);
    n = wg_fsm_allowed(st, role, &ctx, acts, WG_ACTION_COUNT);
    for (size_t i = 0; i < n && i < WG_ACTION_COUNT; i++)
        json_array_append_new(arr, json_string(wg_fsm_action_name(acts[i])));
    return arr;
}

static void iso_of(long long t, char out[32]);

/* Deadlines, and the light of the reply limit while a unit holds the order. */
static void clock_json(const struct wg_order_env *env, const struct wg_order_row *o,
                       const struct wg_order_facts *f, json_t *j)
{
    char a[32], b[32];
    if (!f || !f->reply_deadline)
        return;
    iso_of(f->sign_deadline, a);
    iso_of(f->reply_deadline, b);
    json_object_set_new(j, "deadlines", json_pack("{s:s,s:s}", "sign", a, "reply", b));
    if (env->calendar && (!strcmp(o->state, "dispatched") || !strcmp(o->state, "signed") ||
                          !strcmp(o->state, "returning"))) {
        long long now = (long long)time(NULL);
        int natural = !strcmp(o->urgency, "urgent") || !strcmp(o->urgency, "critical");
        enum wg_light l =
            natural ? wg_calendar_light_natural(f->dispatched_at, f->reply_deadline, now)
                    : wg_calendar_light(env->calendar, f->dispatched_at, f->reply_deadline, now);
        json_object_set_new(j, "light", json_string(wg_calendar_light_name(l)));
    }
}

/* The reporter as this caller may see it, from the clear values (NULL: none). */
static json_t *masked_reporter(const struct wg_order_row *o, const struct wg_actor *actor,
                               const char *name, const char *phone)
{
    char mname[160] = "", mphone[64] = "";
    if (o->anonymous)
        return json_pack("{s:b}", "anonymous", 1);
    /* a confidential order never shows its reporter to units */
    if (o->confidential && !strcmp(actor->role, "handler"))
        return json_pack("{s:b}", "confidential", 1);
    if (name)
        wg_pii_mask_name(name, mname, sizeof mname);
    if (phone)
        wg_pii_mask_phone(phone, mphone, sizeof mphone);
    return json_pack("{s:s,s:s}", "name", mname, "phone", mphone);
}

static json_t *stored_reporter(const struct wg_pii_keys *keys, const struct wg_order_row *o,
                               const struct wg_actor *actor)
{
    char *name = NULL, *phone = NULL;
    json_t *j;
    if (o->anonymous || (o->confidential && !strcmp(actor->role, "handler")))
        return masked_reporter(o, actor, NULL, NULL);
    if (o->reporter_name[0])
        wg_pii_decrypt(keys, o->reporter_name, "order.reporter_name", &name, NULL);
    if (o->reporter_phone[0])
        wg_pii_decrypt(keys, o->reporter_phone, "order.reporter_phone", &phone, NULL);
    j = masked_reporter(o, actor, name, phone);
    wg_pii_wipe(name);
    wg_pii_wipe(phone);
    return j;
}

/* The order's answer from its row and facts (NULL when they could not be read). */
static json_t *render(const struct wg_order_env *env, const struct wg_actor *actor,
                      const struct wg_order_row *o, const struct wg_order_facts *f,
                      json_t *reporter)
{
    json_t *j =
        json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:s,s:o}", "id",
                  (json_int_t)o->id, "number", o->number, "county", o->county, "channel",
                  o->channel, "type", o->type, "title", o->title, "content", o->content, "urgency",
                  o->urgency, "state", o->state, "created_by", o->created_by, "version", o->version,
                  "created_at", o->created_at, "updated_at", o->updated_at, "reporter", reporter);
    if (!j)
        return NULL;
    if (o->item[0])
        json_object_set_new(j, "item", json_string(o->item));
    if (o->address && o->address[0])
        json_object_set_new(j, "address", json_string(o->address));
    if (o->grid[0])
        json_object_set_new(j, "grid", json_string(o->grid));
    if (o->has_point)
        json_object_set_new(
            j, "point", json_pack("{s:f,s:f,s:s}", "lon", o->lon, "lat", o->lat, "crs", o->crs));
    json_object_set_new(j, "confidential", json_boolean(o->confidential));
    json_object_set_new(j, "allowed_actions", allowed_json(actor, o, f));
    clock_json(env, o, f, j);
    if (o->unit[0])
        json_object_set_new(j, "unit", json_string(o->unit));
    return j;
}

json_t *wg_order_draft_json(const struct wg_order_env *env, const struct wg_actor *actor,
                            const struct wg_order_draft *d)
{
    struct wg_order_facts f; /* a new order's: all unset */
    struct wg_order_event_row ev = {
        1,  d->row.created_at, d->row.created_by, d->actor_role, "create",
        "", "received",        d->row.channel};
    json_t *j, *timeline = json_array();
    memset(&f, 0, sizeof f);
    j = render(env, actor, &d->row, &f,
               masked_reporter(&d->row, actor, d->name, d->row.reporter_phone ? d->phone : NULL));
    if (!j || !timeline) {
        json_decref(j);
        json_decref(timeline);
        return NULL;
    }
    add_event(&ev, timeline);
    json_object_set_new(j, "timeline", timeline);
    json_object_set_new(j, "photos", json_array()); /* none yet */
    return j;
}

static int add_child(long long id, const char *number, void *ctx)
{
    json_array_append_new(ctx, json_pack("{s:I,s:s}", "id", (json_int_t)id, "number", number));
    return 0;
}

enum wg_rc wg_order_json(struct wg_db *db, const struct wg_order_env *env,
                         const struct wg_actor *actor, long long id, int with_timeline,
                         json_t **out, struct wg_err *err)
{
    struct wg_order_row o;
    struct wg_order_facts f;
    json_t *j, *timeline;
    int have_facts;
    enum wg_rc rc = wg_store_order_get(db, id, &o, err);
    if (rc)
        return rc;
    if (!wg_scope_covers(&actor->scope, o.grid[0] ? o.grid : o.county)) {
        wg_store_order_release(&o);
        return wg_err_set(err, WG_ENOTFOUND, "order %lld does not exist", id);
    }
    have_facts = wg_store_order_facts(db, id, &f, NULL) == WG_OK;
    j = render(env, actor, &o, have_facts ? &f : NULL, stored_reporter(env->keys, &o, actor));
    wg_store_order_release(&o);
    if (!j)
        return wg_err_set(err, WG_ENOMEM, "out of memory");
    if (with_timeline) {
        timeline = json_array();
        if ((rc = wg_store_order_events(db, id, add_event, timeline, err))) {
            json_decref(timeline);
            json_decref(j);
            return rc;
        }
        json_object_set_new(j, "timeline", timeline);
        json_object_set_new(j, "photos", wg_photo_list_json(db, id));
        /* duplicates follow their master: each side shows the other */
        if (have_facts && f.master_id)
            json_object_set_new(j, "master", json_integer(f.master_id));
        json_t *merged = json_array();
        wg_store_order_children(db, id, add_child, merged, NULL);
        if (json_array_size(merged))
            json_object_set_new(j, "merged", merged);
        else
            json_decref(merged);
    }
    *out = j;
    return WG_OK;
}

static const char *const states[] = {"received", "dispatched", "signed",    "replied",
                                     "verified", "closed",     "returning", "suspended",
                                     "merged",   "invalid",    NULL};

static enum wg_rc build_filter(const struct wg_pii_keys *keys, const struct wg_actor *actor,
                               const struct wg_order_query *q, struct wg_order_filter *f,
                               char blind[WG_PII_BLIND_HEX], struct wg_err *err)
{
    char *end;
    memset(f, 0, sizeof *f);
    f->scope = !strcmp(actor->scope.kind, "region") ? actor->scope.code : "";
    if (q->state && *q->state && !in_list(states, q->state))
        return wg_err_set(err, WG_EINVAL, "'state' '%.20s' is not an order state", q->state);
    if (q->channel && *q->channel && !in_list(wg_order_channels, q->channel))
        return wg_err_set(err, WG_EINVAL, "'channel' '%.20s' is not a channel", q->channel);
    if (q->grid && *q->grid && wg_region_level(q->grid, err) == WG_LEVEL_NONE) {
        wg_err_prefix(err, "'grid'");
        return WG_EINVAL;
    }
    f->state = q->state;
    f->channel = q->channel;
    f->item = q->item;
    f->grid = q->grid;
    f->since = q->since;
    f->until = q->until;
    f->text = q->q;
    f->limit = 50;
    if (q->limit) {
        f->limit = strtoll(q->limit, &end, 10);
        if (!*q->limit || *end || f->limit < 1 || f->limit > 1000)
            return wg_err_set(err, WG_EINVAL, "'limit' must be 1 to 1000");
    }
    if (q->offset) {
        f->offset = strtoll(q->offset, &end, 10);
        if (!*q->offset || *end || f->offset < 0)
            return wg_err_set(err, WG_EINVAL, "'offset' must be 0 or more");
    }
    if (q->phone && *q->phone) {
        char n[64];
        enum wg_rc rc;
        if ((rc = wg_pii_normalize(WG_PII_PHONE, q->phone, n, sizeof n, err)) ||
            (rc = wg_pii_blind(keys, WG_PII_PHONE, n, blind, err))) {
            wg_err_prefix(err, "'phone'");
            return rc;
        }
        f->phone_blind = blind;
    }
    return WG_OK;
}

struct listing {
    json_t *arr;
};

static int add_summary(const struct wg_order_row *o, void *ctx)
{
    struct listing *l = ctx;
    json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:s}", "id", (json_int_t)o->id,
                          "number", o->number, "channel", o->channel, "type", o->type, "title",
                          o->title, "state", o->state, "urgency", o->urgency, "version",
                          o->version, "created_at", o->created_at);
    if (o->item[0])
        json_object_set_new(j, "item", json_string(o->item));
    if (o->grid[0])
        json_object_set_new(j, "grid", json_string(o->grid));
    json_array_append_new(l->arr, j);
    return 0;
}

enum wg_rc wg_order_list(struct wg_db *db, const struct wg_order_env *env,
                         const struct wg_actor *actor, const struct wg_order_query *q,
                         json_t **out, struct wg_err *err)
{
    struct wg_order_filter f;
    char blind[WG_PII_BLIND_HEX];
    struct listing l = {json_array()};
    enum wg_rc rc = build_filter(env->keys, actor, q, &f, blind, err);
    if (!rc)
        rc = wg_store_order_list(db, &f, add_summary, &l, err);
    if (rc) {
        json_decref(l.arr);
        return rc;
    }
    *out = json_pack("{s:o,s:I,s:I}", "orders", l.arr, "limit", (json_int_t)f.limit, "offset",
                     (json_int_t)f.offset);
    return WG_OK;
}

static void csv_field(struct wg_buf *b, const char *s, int last)
{
    wg_buf_add(b, "\"", 1);
    for (; *s; s++) {
        if (*s == '"')
            wg_buf_add(b, "\"", 1);
        wg_buf_add(b, s, 1);
    }
    wg_buf_adds(b, last ? "\"\r\n" : "\",");
}

static int add_csv(const struct wg_order_row *o, void *ctx)
{
    struct wg_buf *b = ctx;
    const char *fields[] = {o->number, o->created_at, o->channel, o->type, o->item,
                            o->title,  o->state,      o->urgency, o->grid, o->address};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        csv_field(b, fields[i], i + 1 == sizeof fields / sizeof fields[0]);
    return wg_buf_rc(b) != WG_OK;
}

enum wg_rc wg_order_csv(struct wg_db *db, const struct wg_order_env *env,
                        const struct wg_actor *actor, const struct wg_order_query *q, char **out,
                        size_t *len, struct wg_err *err)
{
    static const char *const head[] = {"工单编号", "受理时间", "渠道", "类型", "事项",
                                       "标题",     "状态",     "紧急程度", "网格", "地址"};
    struct wg_order_filter f;
    char blind[WG_PII_BLIND_HEX];
    struct wg_buf b;
    enum wg_rc rc = build_filter(env->keys, actor, q, &f, blind, err);
    if (rc)
        return rc;
    if (!q->limit)
        f.limit = 1000;
    wg_buf_init(&b, (size_t)64 << 20);
    wg_buf_add(&b, "\xEF\xBB\xBF", 3); /* the BOM tells Excel the file is UTF-8 */
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        csv_field(&b, head[i], i + 1 == sizeof head / sizeof head[0]);
    rc = wg_store_order_list(db, &f, add_csv, &b, err);
    if (!rc && wg_buf_rc(&b))
        rc = wg_err_set(err, WG_ETOOBIG, "the export is larger than 64 MiB; narrow the filters");
    if (rc) {
        wg_buf_release(&b);
        return rc;
    }
    *out = wg_buf_detach(&b, len);
    return *out ? WG_OK : wg_err_set(err, WG_ENOMEM, "out of memory");
}

/* Sign and reply deadlines from the moment of dispatch: the item's limits on working time,
 * or natural time for urgent (24 h) and critical (2 h) orders. */
static enum wg_rc set_deadlines(const struct wg_order_env *env, const struct wg_order_row *o,
                                struct wg_order_facts *f, long long now, struct wg_err *err)
{
    struct wg_catalog_limits lim = {120, 900, 2250, 4500};
    int64_t sign = 0, reply = 0;
    enum wg_rc rc;
    f->dispatched_at = now;
    if (!env->calendar)
        return WG_OK;
    if (env->catalog && o->item[0] && (rc = wg_catalog_limits(env->catalog, o->item, &lim, err)))
        return rc;
    if ((rc = wg_calendar_add_working_minutes(env->calendar, now, lim.sign, &sign, err)))
        return rc;
    if (!strcmp(o->urgency, "critical"))
        rc = wg_calendar_default_deadline(env->calendar, WG_LIMIT_CRITICAL, now, &reply, err);
    else if (!strcmp(o->urgency, "urgent"))
        rc = wg_calendar_default_deadline(env->calendar, WG_LIMIT_URGENT, now, &reply, err);
    else
        rc = wg_calendar_add_working_minutes(env->calendar, now, lim.reply, &reply, err);
    f->sign_deadline = sign;
    f->reply_deadline = reply;
    return rc;
}

/* Reads the action's body fields the state machine's outcome depends on. */
static enum wg_rc body_ctx(enum wg_order_action a, const json_t *body, struct wg_fsm_ctx *ctx,
                           struct wg_err *err)
{
    json_t *v;
    if (a == WG_ACTION_VERIFY) {
        v = json_object_get(body, "passed");
        if (!json_is_boolean(v))
            return wg_err_set(err, WG_EINVAL, "verify needs 'passed': true or false");
        ctx->verify_passed = json_is_true(v);
    }
    if (a == WG_ACTION_CALLBACK) {
        v = json_object_get(body, "reached");
        if (v && !json_is_boolean(v))
            return wg_err_set(err, WG_EINVAL, "'reached' must be true or false");
        ctx->reached = !v || json_is_true(v);
        if (ctx->reached && wg_fsm_satisfaction_parse(
                                json_string_value(json_object_get(body, "satisfaction")),
                                &ctx->satisfaction, err))
            return WG_EINVAL;
    }
    return WG_OK;
}

/* The indicators' counters for one action (domain/stats.h), in the action's transaction. */
static enum wg_rc count_change(struct wg_db *db, const struct wg_order_env *env,
                               const struct wg_order_row *o, const struct wg_order_facts *f0,
                               const char *next, const char *unit,
                               const struct wg_order_facts *f1, enum wg_order_action action,
                               const struct wg_fsm_ctx *ctx, unsigned effects,
                               const json_t *body, long long now, struct wg_err *err)
{
    json_t *resolved = json_object_get(body, "resolved");
    long long minutes = 0;
    if (!strcmp(next, "replied") && f0->dispatched_at && now > f0->dispatched_at) {
        minutes = env->calendar
                      ? wg_calendar_working_minutes_between(env->calendar, f0->dispatched_at, now)
                      : -1;
        if (minutes < 0) /* no calendar, or a year it has no table for */
            minutes = (now - f0->dispatched_at) / 60;
    }
    struct wg_stats_change ch = {
        .leaf = o->grid[0] ? o->grid : o->county,
        .item = o->item,
        .channel = o->channel,
        .created_day = wg_stats_day_of_iso(o->created_at),
        .action = action,
        .before = {o->state, o->unit, f0->sign_deadline, f0->reply_deadline, f0->dispatched_at,
                   f0->rework_count, f0->reopened, f0->satisfaction},
        .after = {next, unit, f1->sign_deadline, f1->reply_deadline, f1->dispatched_at,
                  f1->rework_count, f1->reopened, f1->satisfaction},
        .reached = action == WG_ACTION_CALLBACK && ctx->reached,
        .satisfaction = ctx->satisfaction,
        .resolved = json_is_boolean(resolved) ? json_is_true(resolved) : -1,
        .effects = effects,
        .at = now,
        .handling_minutes = minutes,
    };
    return wg_stats_apply(db, &ch, err);
}

enum wg_rc wg_order_act_in(struct wg_db *db, const struct wg_order_env *env,
                           const struct wg_actor *actor, long long id, const char *name,
                           const json_t *body, int version, long long now, struct wg_err *err)
{
    struct wg_order_row o;
    struct wg_order_facts f;
    struct wg_fsm_ctx ctx;
    struct wg_fsm_result res;
    enum wg_order_action action;
    enum wg_order_state st;
    enum wg_fsm_role role;
    char unit[64], at[32], *detail = NULL;
    int changed = 0;
    enum wg_rc rc;
    if (body && !json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the action's body must be a JSON object");
    if ((rc = wg_fsm_action_parse(name, &action, err)))
        return rc;
    if ((rc = wg_fsm_role_parse(actor->role, &role, err)))
        return wg_err_set(err, WG_EFORBIDDEN, "'%s' operates no orders", actor->username);
    if ((rc = wg_store_order_get(db, id, &o, err)))
        return rc;
    if (!wg_scope_covers(&actor->scope, o.grid[0] ? o.grid : o.county)) {
        wg_store_order_release(&o);
        return wg_err_set(err, WG_ENOTFOUND, "order %lld does not exist", id);
    }
    if ((rc = wg_store_order_facts(db, id, &f, err)) ||
        (rc = wg_fsm_state_parse(o.state, &st, err)))
        goto out;
    if (o.version != version) {
        rc = wg_err_set(err, WG_EPRECOND, "order %lld is at version %d, not %d: it changed "
                                          "since you read it; read it again",
                        id, o.version, version);
        goto out;
    }
    const struct wg_order_facts f0 = f; /* as it was, for the indicators' counters */
    facts_ctx(&f, &o, actor, &ctx);
    if ((rc = body_ctx(action, body, &ctx, err)) ||
        (rc = wg_fsm_step(st, action, role, &ctx, &res, err)))
        goto out;
    snprintf(unit, sizeof unit, "%s", o.unit);
    switch (action) {
    case WG_ACTION_DISPATCH: {
        const char *u = json_string_value(json_object_get(body, "unit"));
        if (!u || !*u || strlen(u) >= sizeof unit) {
            rc = wg_err_set(err, WG_EINVAL, "dispatch needs 'unit': the handling unit");
            goto out;
        }
        struct wg_unit_row ur;
        if ((rc = wg_store_unit_get(db, u, &ur, err))) {
            if (rc == WG_ENOTFOUND)
                rc = wg_err_set(err, WG_EINVAL, "unit '%s' does not exist", u);
            goto out;
        }
        snprintf(unit, sizeof unit, "%s", u);
        if ((rc = set_deadlines(env, &o, &f, now, err)))
            goto out;
        break;
    }
    case WG_ACTION_APPROVE_EXTENSION: {
        json_t *days = json_object_get(body, "days");
        int64_t d = 0;
        f.extension_pending = 0;
        if (!json_is_integer(days) || json_integer_value(days) < 1 ||
            json_integer_value(days) > 10) {
            rc = wg_err_set(err, WG_EINVAL, "approve_extension needs 'days': 1 to 10 working days");
            goto out;
        }
        if (f.reply_deadline && env->calendar &&
            (rc = wg_calendar_extend(env->calendar, f.reply_deadline,
                                     (int)json_integer_value(days), &d, err)))
            goto out;
        if (d)
            f.reply_deadline = d;
        break;
    }
    case WG_ACTION_APPROVE_RETURN:
        unit[0] = '\0';
        f.dispatched_at = f.sign_deadline = f.reply_deadline = 0;
        break;
    case WG_ACTION_SUSPEND:
        snprintf(f.before_suspend, sizeof f.before_suspend, "%s", o.state);
        break;
    case WG_ACTION_RESUME:
        f.before_suspend[0] = '\0';
        break;
    case WG_ACTION_SELF_HANDLE:
        snprintf(f.self_handler, sizeof f.self_handler, "%s", actor->username);
        break;
    case WG_ACTION_ANSWER:
        f.direct_answer = 1;
        break;
    case WG_ACTION_EXTEND:
        f.extension_pending = 1;
        break;
    case WG_ACTION_REJECT_EXTENSION:
        f.extension_pending = 0;
        break;
    case WG_ACTION_CALLBACK:
        if (ctx.reached)
            snprintf(f.satisfaction, sizeof f.satisfaction, "%s",
                     wg_fsm_satisfaction_name(ctx.satisfaction));
        break;
    case WG_ACTION_MERGE: {
        json_t *into = json_object_get(body, "into");
        if (!json_is_integer(into) || json_integer_value(into) == id) {
            rc = wg_err_set(err, WG_EINVAL, "merge needs 'into': the id of another order");
            goto out;
        }
        f.master_id = (long long)json_integer_value(into);
        break;
    }
    default:
        break;
    }
    if (res.effects & WG_FSM_REWORK)
        f.rework_count++;
    if (res.effects & WG_FSM_REOPENED)
        f.reopened = 1;
    if (res.effects & WG_FSM_SPECIAL_TEAM)
        f.special_team = 1;
    if (res.effects & WG_FSM_ATTEMPT)
        f.callback_attempts++;
    if (res.effects & WG_FSM_UNREACHED)
        f.unreached = 1;
    iso_of(now, at);
    detail = body && json_object_size(body) ? json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS)
                                            : NULL;
    if ((rc = wg_store_order_update(db, id, version, wg_fsm_state_name(res.next), unit, &f, at,
                                    &changed, err)))
        goto out;
    if (!changed) {
        rc = wg_err_set(err, WG_EPRECOND, "order %lld changed since you read it; read it again",
                        id);
        goto out;
    }
    struct wg_order_event_row ev = {0,        at, actor->username, actor->role, name, o.state,
                                    wg_fsm_state_name(res.next), detail};
    if ((rc = wg_store_order_event(db, id, &ev, err)) ||
        (rc = count_change(db, env, &o, &f0, wg_fsm_state_name(res.next), unit, &f, action, &ctx,
                           res.effects, body, now, err)))
        goto out;
    rc = wg_notify_order_action(db, name, &o, unit, wg_fsm_state_name(res.next), &f, actor, body,
                                now, err);
out:
    free(detail);
    wg_store_order_release(&o);
    return rc;
}

enum wg_rc wg_order_act(struct wg_db *db, const struct wg_order_env *env,
                        const struct wg_actor *actor, long long id, const char *name,
                        const json_t *body, int version, long long now, json_t **out,
                        struct wg_err *err)
{
    enum wg_rc rc = wg_db_begin(db, err);
    if (rc)
        return rc;
    if ((rc = wg_order_act_in(db, env, actor, id, name, body, version, now, err)) ||
        (rc = wg_db_commit(db, err))) {
        wg_db_rollback(db);
        return rc;
    }
    return wg_order_json(db, env, actor, id, 1, out, err);
}

struct due {
    long long id[256];
    int version[256];
    int n;
};

static int take_due(long long id, int version, void *ctx)
{
    struct due *d = ctx;
    d->id[d->n] = id;
    d->version[d->n++] = version;
    return d->n == 256;
}

enum wg_rc wg_order_sweep_red(struct wg_db *db, const struct wg_order_env *env, long long now,
                              int *count, struct wg_err *err)
{
    struct wg_actor sys;
    struct due d = {.n = 0};
    enum wg_rc rc;
    *count = 0;
    memset(&sys, 0, sizeof sys);
    snprintf(sys.username, sizeof sys.username, "system");
    snprintf(sys.role, sizeof sys.role, "supervisor");
    snprintf(sys.scope.kind, sizeof sys.scope.kind, "region");
    if ((rc = wg_store_order_overdue(db, now, 256, take_due, &d, err)))
        return rc;
    for (int i = 0; i < d.n; i++) {
        json_t *body = json_pack("{s:s,s:b,s:s}", "level", "red", "automatic", 1, "reason",
                                 "past the reply deadline"),
               *out = NULL;
        rc = wg_order_act(db, env, &sys, d.id[i], "supervise", body, d.version[i], now, &out,
                          err);
        json_decref(body);
        json_decref(out);
        if (rc == WG_EPRECOND || rc == WG_ECONFLICT) { /* changed meanwhile: next sweep */
            wg_err_clear(err);
            continue;
        }
        int queued = 0;
        if (rc || (rc = wg_store_order_mark_supervised(db, d.id[i], err)) ||
            (rc = wg_notify_red(db, d.id[i], now, &queued, err)))
            return rc;
        ++*count;
    }
    return WG_OK;
}
