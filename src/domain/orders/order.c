/* Work-order intake and rendering. */
#include "domain/orders/order.h"
#include "core/civil.h"

#include <math.h>

#include <sodium.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/jsonw.h"

#include "domain/notify/notify.h"
#include "domain/orders/order_fsm.h"
#include "domain/orders/photo.h"
#include "domain/map/region.h"
#include "domain/stats/stats.h"
#include "store/catalog/catalog_q.h"
#include "store/open311/open311_q.h"
#include "store/orders/orders_q.h"

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
                                 .created_day = wg_cst_day_of_iso(o->created_at),
                                 .create = 1,
                                 .after = {.state = "received", .unit = ""},
                                 .at = wg_civil_time_of_iso(o->created_at)};
    return wg_stats_apply(db, &ch, err);
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

/* How the caller stands to an order. Accounts scoped to a region act for the centre (or,
 * as handlers, for the lead unit); an account scoped to a unit is the lead, an assisting
 * unit (协办), or a stranger to whom the order does not exist. */
enum relation { REL_REGION, REL_LEAD, REL_ASSISTING, REL_NONE };

#define ASSIST_MAX 16 /* assisting units of one order */

struct assist {
    char unit[ASSIST_MAX][64];
    char signed_at[ASSIST_MAX][32], replied_at[ASSIST_MAX][32];
    int n;
};

static int take_assist(const char *unit, const char *signed_at, const char *replied_at,
                       void *ctx)
{
    struct assist *a = ctx;
    if (a->n < ASSIST_MAX) {
        snprintf(a->unit[a->n], sizeof a->unit[0], "%s", unit);
        snprintf(a->signed_at[a->n], sizeof a->signed_at[0], "%s", signed_at);
        snprintf(a->replied_at[a->n], sizeof a->replied_at[0], "%s", replied_at);
        a->n++;
    }
    return 0;
}

static enum relation relation_of(const struct wg_actor *actor, const struct wg_order_row *o,
                                 const struct assist *a)
{
    if (strcmp(actor->scope.kind, "unit"))
        return wg_scope_covers(&actor->scope, o->grid[0] ? o->grid : o->county) ? REL_REGION
                                                                                : REL_NONE;
    if (o->unit[0] && !strcmp(o->unit, actor->scope.code))
        return REL_LEAD;
    for (int i = 0; i < a->n; i++)
        if (!strcmp(a->unit[i], actor->scope.code))
            return REL_ASSISTING;
    return REL_NONE;
}

/* The order's assisting units and the caller's relation to it; WG_ENOTFOUND (as for a
 * missing order) when the caller may not see it. */
static enum wg_rc relate(struct wg_db *db, const struct wg_actor *actor,
                         const struct wg_order_row *o, struct assist *a, enum relation *rel,
                         struct wg_err *err)
{
    enum wg_rc rc;
    memset(a, 0, sizeof *a);
    if ((rc = wg_store_order_assist_each(db, o->id, take_assist, a, err)))
        return rc;
    *rel = relation_of(actor, o, a);
    if (*rel == REL_NONE)
        return wg_err_set(err, WG_ENOTFOUND, "order %lld does not exist", o->id);
    return WG_OK;
}

static void facts_ctx(const struct wg_order_facts *f, const struct wg_order_row *o,
                      const struct wg_actor *actor, enum relation rel, struct wg_fsm_ctx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->assisting = rel == REL_ASSISTING;
    ctx->extension_pending = f->extension_pending;
    ctx->direct_answer = f->direct_answer;
    ctx->self_handled = f->self_handler[0] != 0;
    ctx->actor_is_self_handler = !strcmp(f->self_handler, actor->username);
    ctx->reopened_before = f->reopened;
    ctx->no_reporter = o->anonymous;
    ctx->callback_attempts = f->callback_attempts;
    ctx->called_back = f->satisfaction[0] != 0 || f->unreached;
    if (f->before_suspend[0])
        wg_fsm_state_parse(f->before_suspend, &ctx->before_suspend, NULL);
}

static int count_all(const struct wg_order_child *c, void *ctx)
{
    (void)c;
    ++*(int *)ctx;
    return 0;
}

static int count_pending(const struct wg_order_child *c, void *ctx)
{
    struct wg_fsm_ctx *x = ctx;
    x->has_merged = 1;
    if (!c->anonymous && !c->satisfaction[0] && !c->unreached)
        x->merged_pending++;
    return 0;
}

/* The facts that come from other orders: a merged order's master's state, and how many
 * reporters of the orders merged into this one are still to be called back. */
static enum wg_rc merge_ctx(struct wg_db *db, const struct wg_order_row *o,
                            const struct wg_order_facts *f, struct wg_fsm_ctx *ctx,
                            struct wg_err *err)
{
    enum wg_rc rc;
    if (!strcmp(o->state, "merged") && f->master_id) {
        struct wg_order_row m;
        if ((rc = wg_store_order_get(db, f->master_id, &m, err)))
            return rc;
        wg_fsm_state_parse(m.state, &ctx->master_state, NULL);
        wg_store_order_release(&m);
        return WG_OK;
    }
    return wg_store_order_children_callback(db, o->id, count_pending, ctx, err);
}

static json_t *allowed_json(const struct wg_actor *actor, const struct wg_order_row *o,
                            const struct wg_fsm_ctx *ctx)
{
    enum wg_order_state st;
    enum wg_fsm_role role;
    enum wg_order_action acts[WG_ACTION_COUNT];
    json_t *arr = json_array();
    size_t n;
    if (!ctx || wg_fsm_role_parse(actor->role, &role, NULL) ||
        wg_fsm_state_parse(o->state, &st, NULL))
        return arr;
    n = wg_fsm_allowed(st, role, ctx, acts, WG_ACTION_COUNT);
    for (size_t i = 0; i < n && i < WG_ACTION_COUNT; i++)
        json_array_append_new(arr, json_string(wg_fsm_action_name(acts[i])));
    return arr;
}


/* The light of the reply clock at now while a unit holds the order (dispatched, signed,
 * returning), on working time — natural time for urgent and critical orders; -1 when no
 * clock runs. The list filter and the order's answer both use this. */
static int light_of(const struct wg_order_env *env, const char *state, const char *urgency,
                    long long dispatched_at, long long deadline, long long now)
{
    if (!env->calendar || !deadline ||
        (strcmp(state, "dispatched") && strcmp(state, "signed") && strcmp(state, "returning")))
        return -1;
    if (!strcmp(urgency, "urgent") || !strcmp(urgency, "critical"))
        return (int)wg_calendar_light_natural(dispatched_at, deadline, now);
    return (int)wg_calendar_light(env->calendar, dispatched_at, deadline, now);
}

/* Deadlines, and the light of the reply limit while a unit holds the order. */
static void clock_json(const struct wg_order_env *env, const struct wg_order_row *o,
                       const struct wg_order_facts *f, json_t *j)
{
    char a[32], b[32];
    int l;
    if (!f || !f->reply_deadline)
        return;
    wg_clock_iso(f->sign_deadline, a);
    wg_clock_iso(f->reply_deadline, b);
    json_object_set_new(j, "deadlines", json_pack("{s:s,s:s}", "sign", a, "reply", b));
    l = light_of(env, o->state, o->urgency, f->dispatched_at, f->reply_deadline,
                 (long long)time(NULL));
    if (l >= 0)
        json_object_set_new(j, "light", json_string(wg_calendar_light_name((enum wg_light)l)));
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

/* The order's answer from its row, facts and the caller's context (f and ctx NULL when
 * they could not be read: no clock, no allowed actions). */
static json_t *render(const struct wg_order_env *env, const struct wg_actor *actor,
                      const struct wg_order_row *o, const struct wg_order_facts *f,
                      const struct wg_fsm_ctx *ctx, json_t *reporter)
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
    json_object_set_new(j, "allowed_actions", allowed_json(actor, o, ctx));
    clock_json(env, o, f, j);
    if (o->unit[0])
        json_object_set_new(j, "unit", json_string(o->unit));
    return j;
}

/* The answer to an intake is written as text, member for member what render() and the
 * timeline make of the same order (the unit test holds the two together): building a
 * jansson tree and dumping it was a fifth of a create's CPU. */
char *wg_order_draft_text(const struct wg_order_env *env, const struct wg_actor *actor,
                          const struct wg_order_draft *d, size_t *len)
{
    const struct wg_order_row *o = &d->row;
    struct wg_order_facts f; /* a new order's: all unset */
    struct wg_fsm_ctx ctx;
    enum wg_order_state st;
    enum wg_fsm_role role;
    struct wg_buf b;
    struct wg_jw w;
    (void)env; /* the clock's light needs the calendar; a new order has no clock yet */
    memset(&f, 0, sizeof f);
    /* nobody has a unit's relation to a new order: no unit holds it */
    facts_ctx(&f, o, actor, REL_REGION, &ctx);
    wg_buf_init(&b, 0);
    wg_buf_reserve(&b, 1024 + strlen(o->title) + strlen(o->content) +
                           (o->address ? strlen(o->address) : 0));
    wg_jw_init(&w, &b);
    wg_jw_open(&w, NULL, '{');
    wg_jw_int(&w, "id", o->id);
    wg_jw_str(&w, "number", o->number);
    wg_jw_str(&w, "county", o->county);
    wg_jw_str(&w, "channel", o->channel);
    wg_jw_str(&w, "type", o->type);
    wg_jw_str(&w, "title", o->title);
    wg_jw_str(&w, "content", o->content);
    wg_jw_str(&w, "urgency", o->urgency);
    wg_jw_str(&w, "state", o->state);
    wg_jw_str(&w, "created_by", o->created_by);
    wg_jw_int(&w, "version", o->version);
    wg_jw_str(&w, "created_at", o->created_at);
    wg_jw_str(&w, "updated_at", o->updated_at);
    wg_jw_open(&w, "reporter", '{'); /* as masked_reporter() */
    if (o->anonymous) {
        wg_jw_bool(&w, "anonymous", 1);
    } else if (o->confidential && !strcmp(actor->role, "handler")) {
        wg_jw_bool(&w, "confidential", 1);
    } else {
        char mname[160] = "", mphone[64] = "";
        if (d->name)
            wg_pii_mask_name(d->name, mname, sizeof mname);
        if (o->reporter_phone)
            wg_pii_mask_phone(d->phone, mphone, sizeof mphone);
        wg_jw_str(&w, "name", mname);
        wg_jw_str(&w, "phone", mphone);
    }
    wg_jw_close(&w, '}');
    if (o->item[0])
        wg_jw_str(&w, "item", o->item);
    if (o->address && o->address[0])
        wg_jw_str(&w, "address", o->address);
    if (o->grid[0])
        wg_jw_str(&w, "grid", o->grid);
    if (o->has_point) {
        wg_jw_open(&w, "point", '{');
        wg_jw_real(&w, "lon", o->lon);
        wg_jw_real(&w, "lat", o->lat);
        wg_jw_str(&w, "crs", o->crs);
        wg_jw_close(&w, '}');
    }
    wg_jw_bool(&w, "confidential", o->confidential);
    wg_jw_open(&w, "allowed_actions", '['); /* as allowed_json() */
    if (!wg_fsm_role_parse(actor->role, &role, NULL) && !wg_fsm_state_parse(o->state, &st, NULL)) {
        enum wg_order_action acts[WG_ACTION_COUNT];
        size_t n = wg_fsm_allowed(st, role, &ctx, acts, WG_ACTION_COUNT);
        for (size_t i = 0; i < n && i < WG_ACTION_COUNT; i++)
            wg_jw_str(&w, NULL, wg_fsm_action_name(acts[i]));
    }
    wg_jw_close(&w, ']');
    /* no deadlines and no light yet: a new order's facts have no reply clock (clock_json) */
    if (o->unit[0])
        wg_jw_str(&w, "unit", o->unit);
    wg_jw_open(&w, "timeline", '['); /* its first event, as add_event() */
    wg_jw_open(&w, NULL, '{');
    wg_jw_int(&w, "seq", 1);
    wg_jw_str(&w, "at", o->created_at);
    wg_jw_str(&w, "actor", o->created_by);
    wg_jw_str(&w, "role", d->actor_role);
    wg_jw_str(&w, "action", "create");
    wg_jw_str(&w, "to", "received");
    if (o->channel[0])
        wg_jw_str(&w, "detail", o->channel);
    wg_jw_close(&w, '}');
    wg_jw_close(&w, ']');
    wg_jw_open(&w, "photos", '['); /* none yet */
    wg_jw_close(&w, ']');
    wg_jw_close(&w, '}');
    if (wg_buf_rc(&b)) {
        wg_buf_release(&b);
        return NULL;
    }
    return wg_buf_detach(&b, len);
}

json_t *wg_order_draft_json(const struct wg_order_env *env, const struct wg_actor *actor,
                            const struct wg_order_draft *d)
{
    size_t len;
    char *s = wg_order_draft_text(env, actor, d, &len);
    json_t *j = s ? json_loadb(s, len, 0, NULL) : NULL;
    free(s);
    return j;
}

static int add_child(const struct wg_order_child *c, void *ctx)
{
    json_t *j = json_pack("{s:I,s:s,s:b}", "id", (json_int_t)c->id, "number", c->number,
                          "called_back", c->satisfaction[0] || c->unreached);
    if (c->satisfaction[0])
        json_object_set_new(j, "satisfaction", json_string(c->satisfaction));
    if (c->anonymous)
        json_object_set_new(j, "anonymous", json_true());
    json_array_append_new(ctx, j);
    return 0;
}

static int add_line(const char *line, const char *at, const char *actor, void *ctx)
{
    json_array_append_new(ctx, json_pack("{s:s,s:s,s:s}", "line", line, "at", at, "by", actor));
    return 0;
}

static json_t *assist_json(const struct assist *a)
{
    json_t *arr = json_array();
    for (int i = 0; i < a->n; i++) {
        json_t *u = json_pack("{s:s}", "unit", a->unit[i]);
        if (a->signed_at[i][0])
            json_object_set_new(u, "signed_at", json_string(a->signed_at[i]));
        if (a->replied_at[i][0])
            json_object_set_new(u, "replied_at", json_string(a->replied_at[i]));
        json_array_append_new(arr, u);
    }
    return arr;
}

/* Moves the array into j under key when it has anything. */
static void set_nonempty(json_t *j, const char *key, json_t *arr)
{
    if (json_array_size(arr))
        json_object_set_new(j, key, arr);
    else
        json_decref(arr);
}

enum wg_rc wg_order_json(struct wg_db *db, const struct wg_order_env *env,
                         const struct wg_actor *actor, long long id, int with_timeline,
                         json_t **out, struct wg_err *err)
{
    struct wg_order_row o;
    struct wg_order_facts f;
    struct wg_fsm_ctx ctx;
    struct assist a;
    enum relation rel;
    json_t *j, *timeline;
    int have_facts;
    enum wg_rc rc = wg_store_order_get(db, id, &o, err);
    if (rc)
        return rc;
    if ((rc = relate(db, actor, &o, &a, &rel, err))) {
        wg_store_order_release(&o);
        return rc;
    }
    have_facts = wg_store_order_facts(db, id, &f, NULL) == WG_OK;
    if (have_facts) {
        facts_ctx(&f, &o, actor, rel, &ctx);
        have_facts = merge_ctx(db, &o, &f, &ctx, NULL) == WG_OK;
    }
    j = render(env, actor, &o, have_facts ? &f : NULL, have_facts ? &ctx : NULL,
               stored_reporter(env->keys, &o, actor));
    if (!j) {
        wg_store_order_release(&o);
        return wg_err_set(err, WG_ENOMEM, "out of memory");
    }
    set_nonempty(j, "assisting", assist_json(&a));
    if (with_timeline) {
        timeline = json_array();
        if ((rc = wg_store_order_events(db, id, add_event, timeline, err))) {
            json_decref(timeline);
            json_decref(j);
            wg_store_order_release(&o);
            return rc;
        }
        json_object_set_new(j, "timeline", timeline);
        json_object_set_new(j, "photos", wg_photo_list_json(db, id));
        /* what an Open311 client answered to the service definition's questions */
        char *attrs = NULL;
        if (wg_store_open311_attributes(db, id, &attrs, NULL) == WG_OK && attrs) {
            json_t *given = json_loads(attrs, 0, NULL);
            if (given)
                json_object_set_new(j, "open311", json_pack("{s:o}", "attributes", given));
            free(attrs);
        }
        /* duplicates follow their master: each side shows the other */
        if (have_facts && f.master_id) {
            json_object_set_new(j, "master", json_integer(f.master_id));
            if (!strcmp(o.state, "merged"))
                json_object_set_new(j, "master_state",
                                    json_string(wg_fsm_state_name(ctx.master_state)));
        }
        json_t *merged = json_array(), *lines = json_array();
        wg_store_order_children_callback(db, id, add_child, merged, NULL);
        set_nonempty(j, "merged", merged);
        wg_store_order_lines(db, id, add_line, lines, NULL);
        set_nonempty(j, "lines", lines);
    }
    wg_store_order_release(&o);
    *out = j;
    return WG_OK;
}

static const char *const states[] = {"received", "dispatched", "signed",    "replied",
                                     "verified", "closed",     "returning", "suspended",
                                     "merged",   "invalid",    NULL};

const char *const wg_order_lines[] = {"special_team", "judicial", "joint_conference",
                                      "assistance", NULL};
static const char *const lights[] = {"green", "yellow", "red", NULL};

/* Unit ids hold only [a-z0-9_-]: this one matches no order (a unit's account asking for
 * another unit's work gets an empty list, as a region's does for a grid outside it). */
#define NO_UNIT "!"

static enum wg_rc build_filter(const struct wg_pii_keys *keys, const struct wg_actor *actor,
                               const struct wg_order_query *q, struct wg_order_filter *f,
                               char blind[WG_PII_BLIND_HEX], int *light, long long now,
                               struct wg_err *err)
{
    char *end;
    memset(f, 0, sizeof *f);
    *light = -1;
    f->scope = !strcmp(actor->scope.kind, "region") ? actor->scope.code : "";
    if (q->state && *q->state && !in_list(states, q->state))
        return wg_err_set(err, WG_EINVAL, "'state' '%.20s' is not an order state", q->state);
    if (q->channel && *q->channel && !in_list(wg_order_channels, q->channel))
        return wg_err_set(err, WG_EINVAL, "'channel' '%.20s' is not a channel", q->channel);
    if (q->grid && *q->grid && wg_region_level(q->grid, err) == WG_LEVEL_NONE) {
        wg_err_prefix(err, "'grid'");
        return WG_EINVAL;
    }
    if (q->line && *q->line && !in_list(wg_order_lines, q->line))
        return wg_err_set(err, WG_EINVAL,
                          "'line' '%.20s' is not a special line; one of special_team, "
                          "judicial, joint_conference, assistance",
                          q->line);
    if (q->light && *q->light) {
        for (int i = 0; lights[i]; i++)
            if (!strcmp(lights[i], q->light))
                *light = i;
        if (*light < 0)
            return wg_err_set(err, WG_EINVAL, "'light' '%.20s' must be green, yellow or red",
                              q->light);
    }
    f->state = q->state;
    f->channel = q->channel;
    f->item = q->item;
    f->grid = q->grid;
    f->since = q->since;
    f->until = q->until;
    f->text = q->q;
    f->line = q->line;
    f->unit = q->unit;
    if (!strcmp(actor->scope.kind, "unit")) /* a unit's account sees its unit's work */
        f->unit = q->unit && *q->unit && strcmp(q->unit, actor->scope.code) ? NO_UNIT
                                                                            : actor->scope.code;
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
    if (*light >= 0) {
        /* Red is exactly "past the reply deadline"; green and yellow are not red, and the
         * rest of the light is worked out per order on the working calendar. */
        f->clocked = 1;
        if (*light == WG_LIGHT_RED)
            f->deadline_before = now;
        else
            f->deadline_after = now;
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

/* A unit filter names a unit that exists. */
static enum wg_rc check_unit_filter(struct wg_db *db, const struct wg_order_query *q,
                                    struct wg_err *err)
{
    struct wg_unit_row u;
    enum wg_rc rc;
    if (!q->unit || !*q->unit)
        return WG_OK;
    rc = wg_store_unit_get(db, q->unit, &u, err);
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL, "'unit' '%.63s' is not a unit", q->unit);
    return rc;
}

/* Rows of a list pass through here: it works out each one's light, keeps those of the
 * light asked for, and pages them itself when the store could not (green and yellow). */
struct listing {
    const struct wg_order_env *env;
    long long now;
    int light;       /* the light asked for, -1: any */
    long long skip;  /* rows still to skip (offset), when paging here */
    long long left;  /* rows still wanted, when paging here; -1: the store pages */
    int (*emit)(const struct wg_order_row *o, int light, void *out);
    void *out;
};

static int pass(const struct wg_order_row *o, void *ctx)
{
    struct listing *l = ctx;
    int light = light_of(l->env, o->state, o->urgency, o->dispatched_at, o->reply_deadline,
                         l->now);
    if (l->light >= 0 && light != l->light)
        return 0;
    if (l->left >= 0) {
        if (l->skip > 0) {
            l->skip--;
            return 0;
        }
        if (l->left == 0)
            return 1;
        l->left--;
    }
    return l->emit(o, light, l->out);
}

static enum wg_rc run_list(struct wg_db *db, struct wg_order_filter *f, struct listing *l,
                           struct wg_err *err)
{
    l->left = -1;
    if (l->light == WG_LIGHT_GREEN || l->light == WG_LIGHT_YELLOW) {
        l->skip = f->offset;
        l->left = f->limit;
        f->offset = 0;
        f->limit = (long long)1 << 40;
    }
    return wg_store_order_list(db, f, pass, l, err);
}

static int add_summary(const struct wg_order_row *o, int light, void *out)
{
    json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:s}", "id", (json_int_t)o->id,
                          "number", o->number, "channel", o->channel, "type", o->type, "title",
                          o->title, "state", o->state, "urgency", o->urgency, "version",
                          o->version, "created_at", o->created_at);
    if (o->item[0])
        json_object_set_new(j, "item", json_string(o->item));
    if (o->grid[0])
        json_object_set_new(j, "grid", json_string(o->grid));
    if (o->unit[0])
        json_object_set_new(j, "unit", json_string(o->unit));
    if (light >= 0)
        json_object_set_new(j, "light", json_string(wg_calendar_light_name((enum wg_light)light)));
    json_array_append_new(out, j);
    return 0;
}

enum wg_rc wg_order_list(struct wg_db *db, const struct wg_order_env *env,
                         const struct wg_actor *actor, const struct wg_order_query *q,
                         json_t **out, struct wg_err *err)
{
    struct wg_order_filter f;
    char blind[WG_PII_BLIND_HEX];
    json_t *arr = json_array();
    struct listing l = {env, (long long)time(NULL), -1, 0, -1, add_summary, arr};
    enum wg_rc rc = build_filter(env->keys, actor, q, &f, blind, &l.light, l.now, err);
    long long limit = f.limit, offset = f.offset;
    if (!rc)
        rc = check_unit_filter(db, q, err);
    if (!rc)
        rc = run_list(db, &f, &l, err);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = json_pack("{s:o,s:I,s:I}", "orders", arr, "limit", (json_int_t)limit, "offset",
                     (json_int_t)offset);
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

static int add_csv(const struct wg_order_row *o, int light, void *out)
{
    struct wg_buf *b = out;
    const char *fields[] = {o->number, o->created_at, o->channel, o->type,
                            o->item,   o->title,      o->state,   o->urgency,
                            o->grid,   o->address,    o->unit,
                            light >= 0 ? wg_calendar_light_name((enum wg_light)light) : ""};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        csv_field(b, fields[i], i + 1 == sizeof fields / sizeof fields[0]);
    return wg_buf_rc(b) != WG_OK;
}

enum wg_rc wg_order_csv(struct wg_db *db, const struct wg_order_env *env,
                        const struct wg_actor *actor, const struct wg_order_query *q, char **out,
                        size_t *len, struct wg_err *err)
{
    static const char *const head[] = {"工单编号", "受理时间", "渠道",     "类型",
                                       "事项",     "标题",     "状态",     "紧急程度",
                                       "网格",     "地址",     "承办单位", "亮灯"};
    struct wg_order_filter f;
    char blind[WG_PII_BLIND_HEX];
    struct wg_buf b;
    struct listing l = {env, (long long)time(NULL), -1, 0, -1, add_csv, &b};
    enum wg_rc rc = build_filter(env->keys, actor, q, &f, blind, &l.light, l.now, err);
    if (!rc)
        rc = check_unit_filter(db, q, err);
    if (rc)
        return rc;
    if (!q->limit)
        f.limit = 1000;
    wg_buf_init(&b, (size_t)64 << 20);
    wg_buf_add(&b, "\xEF\xBB\xBF", 3); /* the BOM tells Excel the file is UTF-8 */
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        csv_field(&b, head[i], i + 1 == sizeof head / sizeof head[0]);
    rc = run_list(db, &f, &l, err);
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
    if (env->catalog && o->item[0]) {
        rc = wg_catalog_limits(env->catalog, o->item, &lim, err);
        if (rc == WG_ENOTFOUND) { /* an item since retired from the catalog: its defaults */
            wg_err_clear(err);
            lim = env->catalog->defaults;
        } else if (rc) {
            return rc;
        }
    }
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
    if (a == WG_ACTION_RATE && wg_fsm_satisfaction_parse(
                                   json_string_value(json_object_get(body, "satisfaction")),
                                   &ctx->satisfaction, err)) {
        wg_err_prefix(err, "'satisfaction'");
        return WG_EINVAL;
    }
    return WG_OK;
}

/* The resident's rating is kept beside the order (once: the table's key says so too). */
static enum wg_rc rating_fact(struct wg_db *db, long long id, enum wg_order_action a,
                              struct wg_fsm_ctx *ctx, struct wg_err *err)
{
    struct wg_rating_row r;
    return a == WG_ACTION_RATE ? wg_store_rating_get(db, id, &r, &ctx->rated, err) : WG_OK;
}

static enum wg_rc rating_record(struct wg_db *db, long long id, const json_t *body,
                                const struct wg_fsm_ctx *ctx, const char *at, struct wg_err *err)
{
    struct wg_rating_row r;
    memset(&r, 0, sizeof r);
    snprintf(r.satisfaction, sizeof r.satisfaction, "%s",
             wg_fsm_satisfaction_name(ctx->satisfaction));
    const char *comment = json_string_value(json_object_get(body, "comment"));
    r.resolved = json_is_true(json_object_get(body, "resolved"));
    snprintf(r.comment, sizeof r.comment, "%s", comment ? comment : "");
    snprintf(r.rated_at, sizeof r.rated_at, "%s", at);
    return wg_store_rating_insert(db, id, &r, err);
}

/* dispatch's 'assisting': other existing units, each once, at most ASSIST_MAX. */
static enum wg_rc parse_assisting(struct wg_db *db, const json_t *body, const char *lead,
                                  const char *units[ASSIST_MAX], size_t *n, struct wg_err *err)
{
    json_t *arr = json_object_get(body, "assisting"), *v;
    size_t i;
    *n = 0;
    if (!arr || json_is_null(arr))
        return WG_OK;
    if (!json_is_array(arr))
        return wg_err_set(err, WG_EINVAL, "'assisting' must be an array of unit ids");
    if (json_array_size(arr) > ASSIST_MAX)
        return wg_err_set(err, WG_EINVAL, "'assisting' names %zu units; at most %d",
                          json_array_size(arr), ASSIST_MAX);
    json_array_foreach(arr, i, v)
    {
        const char *u = json_string_value(v);
        struct wg_unit_row row;
        enum wg_rc rc;
        if (!u || !*u || strlen(u) >= sizeof row.id)
            return wg_err_set(err, WG_EINVAL, "assisting[%zu] must be a unit id", i);
        if (!strcmp(u, lead))
            return wg_err_set(err, WG_EINVAL,
                              "assisting[%zu]: unit '%s' is the lead unit; an assisting unit is "
                              "another one",
                              i, u);
        for (size_t k = 0; k < *n; k++)
            if (!strcmp(units[k], u))
                return wg_err_set(err, WG_EINVAL, "assisting[%zu]: unit '%s' is named twice", i,
                                  u);
        if ((rc = wg_store_unit_get(db, u, &row, err))) {
            if (rc == WG_ENOTFOUND)
                rc = wg_err_set(err, WG_EINVAL, "assisting[%zu]: unit '%s' does not exist", i, u);
            return rc;
        }
        units[(*n)++] = u;
    }
    return WG_OK;
}

/* merge's 'into': another order the caller can see, still able to take duplicates. A
 * master never becomes a duplicate itself: its own duplicates would follow nobody. */
static enum wg_rc check_merge(struct wg_db *db, const struct wg_actor *actor, long long id,
                              const json_t *body, long long *into, struct wg_err *err)
{
    json_t *v = json_object_get(body, "into");
    struct wg_order_row m;
    struct assist a;
    enum relation rel;
    enum wg_order_state st;
    int children = 0;
    enum wg_rc rc;
    if (!json_is_integer(v) || json_integer_value(v) == id || json_integer_value(v) < 1)
        return wg_err_set(err, WG_EINVAL, "merge needs 'into': the id of another order");
    *into = (long long)json_integer_value(v);
    if ((rc = wg_store_order_get(db, *into, &m, err)) == WG_OK) {
        rc = relate(db, actor, &m, &a, &rel, err);
        if (!rc && (wg_fsm_state_parse(m.state, &st, err) || !wg_fsm_can_merge_into(st)))
            rc = wg_err_set(err, WG_EINVAL,
                            "order %lld is %s: duplicates are merged into an order still being "
                            "handled",
                            *into, m.state);
        wg_store_order_release(&m);
    }
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL, "merge 'into': order %lld does not exist", *into);
    if (rc)
        return rc;
    if ((rc = wg_store_order_children_callback(db, id, count_all, &children, err)))
        return rc;
    if (children)
        return wg_err_set(err, WG_ECONFLICT,
                          "order %lld has %d order%s merged into it; a master is not merged "
                          "into another order",
                          id, children, children == 1 ? "" : "s");
    return WG_OK;
}

static enum wg_rc parse_line(const json_t *body, const char **line, struct wg_err *err)
{
    *line = json_string_value(json_object_get(body, "line"));
    if (!*line || !in_list(wg_order_lines, *line))
        return wg_err_set(err, WG_EINVAL, "route_line needs 'line': special_team, judicial, "
                                          "joint_conference or assistance");
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
        .created_day = wg_cst_day_of_iso(o->created_at),
        .action = action,
        .before = {o->state, o->unit, f0->sign_deadline, f0->reply_deadline, f0->dispatched_at,
                   f0->rework_count, f0->reopened, f0->satisfaction},
        .after = {next, unit, f1->sign_deadline, f1->reply_deadline, f1->dispatched_at,
                  f1->rework_count, f1->reopened, f1->satisfaction},
        /* the resident's rating counts as a reached callback where it stood as one */
        .reached = (action == WG_ACTION_CALLBACK && ctx->reached) ||
                   (action == WG_ACTION_RATE && (effects & WG_FSM_CALLED_BACK)),
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
    struct assist a;
    enum relation rel;
    enum wg_order_action action;
    enum wg_order_state st;
    enum wg_fsm_role role;
    char unit[64], at[32], *detail = NULL;
    const char *assisting[ASSIST_MAX], *line = NULL;
    size_t nassist = 0;
    int changed = 0, set_assist = 0;
    enum wg_rc rc;
    if (body && !json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the action's body must be a JSON object");
    if ((rc = wg_fsm_action_parse(name, &action, err)))
        return rc;
    if ((rc = wg_fsm_role_parse(actor->role, &role, err)))
        return wg_err_set(err, WG_EFORBIDDEN, "'%s' operates no orders", actor->username);
    if ((rc = wg_store_order_get(db, id, &o, err)))
        return rc;
    if ((rc = relate(db, actor, &o, &a, &rel, err)) ||
        (rc = wg_store_order_facts(db, id, &f, err)) ||
        (rc = wg_fsm_state_parse(o.state, &st, err)))
        goto out;
    if (o.version != version) {
        rc = wg_err_set(err, WG_EPRECOND, "order %lld is at version %d, not %d: it changed "
                                          "since you read it; read it again",
                        id, o.version, version);
        goto out;
    }
    const struct wg_order_facts f0 = f; /* as it was, for the indicators' counters */
    facts_ctx(&f, &o, actor, rel, &ctx);
    if ((rc = merge_ctx(db, &o, &f, &ctx, err)) || (rc = body_ctx(action, body, &ctx, err)) ||
        (rc = rating_fact(db, id, action, &ctx, err)) ||
        (rc = wg_fsm_step(st, action, role, &ctx, &res, err)))
        goto out;
    snprintf(unit, sizeof unit, "%s", o.unit);
    wg_clock_iso(now, at);
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
        if ((rc = parse_assisting(db, body, u, assisting, &nassist, err)))
            goto out;
        set_assist = 1;
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
        set_assist = 1; /* back to the centre: nobody holds it, nobody assists */
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
    case WG_ACTION_MERGE:
        if ((rc = check_merge(db, actor, id, body, &f.master_id, err)))
            goto out;
        break;
    case WG_ACTION_ROUTE_LINE: {
        int added = 0;
        if ((rc = parse_line(body, &line, err)) ||
            (rc = wg_store_order_line_add(db, id, line, at, actor->username, &added, err)))
            goto out;
        if (!added) {
            rc = wg_err_set(err, WG_ECONFLICT, "order %lld is already on the %s line", id, line);
            goto out;
        }
        break;
    }
    default:
        break;
    }
    /* an assisting unit's signature and reply are its part: recorded, the state is the lead's */
    if (rel == REL_ASSISTING && (action == WG_ACTION_SIGN || action == WG_ACTION_REPLY) &&
        (rc = wg_store_order_assist_mark(db, id, actor->scope.code, action == WG_ACTION_REPLY, at,
                                         err)))
        goto out;
    if (res.effects & WG_FSM_REWORK)
        f.rework_count++;
    if (res.effects & WG_FSM_REOPENED)
        f.reopened = 1;
    if (res.effects & WG_FSM_SPECIAL_TEAM) {
        f.special_team = 1; /* and on the special team's line, as route_line would put it */
        if ((rc = wg_store_order_line_add(db, id, "special_team", at, actor->username, NULL, err)))
            goto out;
    }
    if (res.effects & WG_FSM_ATTEMPT)
        f.callback_attempts++;
    if (res.effects & WG_FSM_UNREACHED)
        f.unreached = 1;
    if (res.effects & WG_FSM_CALLED_BACK)
        snprintf(f.satisfaction, sizeof f.satisfaction, "%s",
                 wg_fsm_satisfaction_name(ctx.satisfaction));
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
    if (set_assist && (rc = wg_store_order_assist_set(db, id, assisting, nassist, err)))
        goto out;
    struct wg_order_event_row ev = {0,        at, actor->username, actor->role, name, o.state,
                                    wg_fsm_state_name(res.next), detail};
    if ((rc = wg_store_order_event(db, id, &ev, err)) ||
        (rc = count_change(db, env, &o, &f0, wg_fsm_state_name(res.next), unit, &f, action, &ctx,
                           res.effects, body, now, err)) ||
        (action == WG_ACTION_RATE && (rc = rating_record(db, id, body, &ctx, at, err))))
        goto out;
    rc = wg_notify_order_action(db, name, &o, unit, wg_fsm_state_name(res.next), &f, actor, body,
                                now, err);
    if (!rc && action == WG_ACTION_DISPATCH)
        rc = wg_notify_order_assist(db, &o, unit, &f, assisting, nassist, actor, body, now, err);
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
