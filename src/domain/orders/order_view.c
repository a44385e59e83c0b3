/* An order as a caller may see it: its answer with the reporter masked (hidden from units on
 * a confidential order), deadlines and light, allowed actions, timeline, photos, duplicates
 * and lines; and the answer to an intake, written from the draft without reading back. */
#include "store/registry/visit_q.h"
#include "store/disputes/dispute_q.h"
#include "domain/orders/order_ctx.h"
#include "core/assert.h"

#include "core/buf.h"
#include "core/clock.h"
#include "core/jsonw.h"
#include "domain/orders/duplicates.h"
#include "domain/orders/photo.h"
#include "store/open311/open311_q.h"
#include "store/orders/orders_q.h"

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
static json_t *allowed_json(const struct wg_actor *actor, enum wg_order_state st,
                            const struct wg_fsm_ctx *ctx)
{
    enum wg_order_action acts[WG_ACTION_COUNT];
    json_t *arr = json_array();
    size_t n = wg_fsm_allowed(st, actor->role, ctx, acts, WG_ACTION_COUNT);
    for (size_t i = 0; i < n && i < WG_ACTION_COUNT; i++)
        json_array_append_new(arr, json_string(wg_fsm_action_name(acts[i])));
    return arr;
}
/* Deadlines, and the light of the reply limit while a unit holds the order. */
static void clock_json(const struct wg_order_env *env, const struct wg_order *ord,
                       const struct wg_order_facts *f, json_t *j)
{
    const struct wg_order_row *o = &ord->row;
    char a[32], b[32];
    json_t *d;
    int l;
    if (f->contacted_at) { /* the latest dispatch's first contact with the reporter */
        wg_clock_iso(f->contacted_at, a);
        json_object_set_new(
            j, "first_contact",
            json_pack("{s:s,s:b,s:s,s:b}", "at", a, "reached", f->contact_reached, "means",
                      f->contact_means, "on_time",
                      f->contact_deadline && f->contacted_at <= f->contact_deadline));
    }
    if (!f->reply_deadline)
        return;
    wg_clock_iso(f->sign_deadline, a);
    wg_clock_iso(f->reply_deadline, b);
    json_object_set_new(j, "deadlines", d = json_pack("{s:s,s:s}", "sign", a, "reply", b));
    if (f->contact_deadline) {
        wg_clock_iso(f->contact_deadline, a);
        json_object_set_new(d, "contact", json_string(a));
    }
    l = wg_order_light(env, ord->state, o->urgency, f->dispatched_at, f->reply_deadline,
                       (long long)time(NULL));
    if (l >= 0) {
        json_object_set_new(j, "light", json_string(wg_calendar_light_name((enum wg_light)l)));
        /* while the reply clock runs: its deadline and the working time left or past */
        wg_order_remaining_json(env->calendar, o->urgency, f->reply_deadline, (long long)time(NULL),
                                j);
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
    if (o->confidential && actor->role == WG_ROLE_HANDLER)
        return json_pack("{s:b}", "confidential", 1);
    enum wg_rc may;
    if (name)
        wg_pii_mask_name(name, mname, sizeof mname);
    if (phone)
        wg_pii_mask_phone(phone, mphone, sizeof mphone);
    return json_pack("{s:s,s:s,s:b}", "name", mname, "phone", mphone, "revealable",
                     !wg_order_reveal_refusal(o, actor, &may));
}
/* The reporter as this caller may see it, opened from the sealed values; a value that does
 * not open (altered, or sealed under a key this server lacks) is an error, not a blank. */
static enum wg_rc stored_reporter(const struct wg_pii_keys *keys, const struct wg_order_row *o,
                                  const struct wg_actor *actor, json_t **out, struct wg_err *err)
{
    char *name = NULL, *phone = NULL;
    enum wg_rc rc = WG_OK;
    if (!o->anonymous && !(o->confidential && actor->role == WG_ROLE_HANDLER)) {
        if (o->reporter_name[0])
            rc = wg_pii_decrypt(keys, o->reporter_name, "order.reporter_name", &name, err);
        if (!rc && o->reporter_phone[0])
            rc = wg_pii_decrypt(keys, o->reporter_phone, "order.reporter_phone", &phone, err);
    }
    if (!rc)
        *out = masked_reporter(o, actor, name, phone);
    else
        wg_err_prefix(err, "order %lld's reporter", o->id);
    wg_pii_wipe(name);
    wg_pii_wipe(phone);
    return rc;
}
/* The order's answer from its row, facts and the caller's context. */
static json_t *render(const struct wg_order_env *env, const struct wg_actor *actor,
                      const struct wg_order *ord, const struct wg_order_facts *f,
                      const struct wg_fsm_ctx *ctx, json_t *reporter)
{
    const struct wg_order_row *o = &ord->row;
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
    json_object_set_new(j, "allowed_actions", allowed_json(actor, ord->state, ctx));
    clock_json(env, ord, f, j);
    wg_order_marks_json(env, o, j);
    if (o->unit[0])
        json_object_set_new(j, "unit", json_string(o->unit));
    return j;
}

/* The candidates found at intake, as add_details() shows them (their states just read). */
static void add_draft_duplicates(const struct wg_actor *actor, const struct wg_order_draft *d,
                                 struct wg_jw *w)
{
    json_t *arr;
    char *s;
    if (!d->dups_all)
        return;
    arr = wg_order_draft_duplicates(actor, d);
    if (json_array_size(arr) && (s = json_dumps(arr, JSON_COMPACT))) {
        wg_jw_raw(w, "duplicates", s);
        free(s);
    }
    json_decref(arr);
}

/* The answer to an intake is written as text, member for member what render() and the
 * timeline make of the same order (the unit test holds the two together): building a
 * jansson tree and dumping it was a fifth of a create's CPU. */
char *wg_order_draft_text(const struct wg_order_env *env, const struct wg_actor *actor,
                          const struct wg_order_draft *d, size_t *len)
{
    const struct wg_order_row *o = &d->row;
    const struct wg_order ord = {*o, WG_STATE_RECEIVED}; /* borrows the draft's strings */
    struct wg_order_facts f;                             /* a new order's: all unset */
    struct wg_fsm_ctx ctx;
    struct wg_buf b;
    struct wg_jw w;
    (void)env; /* the clock's light needs the calendar; a new order has no clock yet */
    memset(&f, 0, sizeof f);
    /* nobody has a unit's relation to a new order: no unit holds it */
    wg_order_fsm_ctx(&f, &ord, actor, WG_REL_REGION, &ctx);
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
    } else if (o->confidential && actor->role == WG_ROLE_HANDLER) {
        wg_jw_bool(&w, "confidential", 1);
    } else {
        char mname[160] = "", mphone[64] = "";
        if (d->name)
            wg_pii_mask_name(d->name, mname, sizeof mname);
        if (o->reporter_phone)
            wg_pii_mask_phone(d->phone, mphone, sizeof mphone);
        enum wg_rc may;
        wg_jw_str(&w, "name", mname);
        wg_jw_str(&w, "phone", mphone);
        wg_jw_bool(&w, "revealable", !wg_order_reveal_refusal(o, actor, &may));
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
    enum wg_order_action acts[WG_ACTION_COUNT];
    size_t n = wg_fsm_allowed(ord.state, actor->role, &ctx, acts, WG_ACTION_COUNT);
    for (size_t i = 0; i < n && i < WG_ACTION_COUNT; i++)
        wg_jw_str(&w, NULL, wg_fsm_action_name(acts[i]));
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
    add_draft_duplicates(actor, d, &w);
    wg_jw_close(&w, '}');
    WG_ASSERT(!wg_buf_rc(&b)); /* the fields' own caps keep it far under the buffer's */
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
static json_t *assist_json(const struct wg_order_assist *a)
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
enum wg_rc wg_order_add_duplicates(struct wg_db *db, const struct wg_actor *actor, long long id,
                                   json_t *j, struct wg_err *err)
{
    char *kept = NULL;
    json_t *arr = NULL;
    enum wg_rc rc = wg_store_dup_get(db, id, &kept, err);
    if (!rc && kept && !(rc = wg_order_duplicates_json(db, actor, kept, &arr, err)))
        set_nonempty(j, "duplicates", arr);
    free(kept);
    return rc;
}
/* What hangs on the order, for its detail: the timeline, photos, an Open311 client's answers,
 * its master or the duplicates merged into it, its special lines. Added to j, which owns
 * them; every read's failure is the answer's. */
static enum wg_rc add_details(struct wg_db *db, const struct wg_actor *actor,
                              const struct wg_order *o, const struct wg_order_facts *f,
                              const struct wg_fsm_ctx *ctx, json_t *j, struct wg_err *err)
{
    long long id = o->row.id;
    json_t *timeline = json_array(), *merged = json_array(), *lines = json_array(), *photos;
    char *attrs = NULL;
    enum wg_rc rc;
    json_object_set_new(j, "timeline", timeline);
    if ((rc = wg_store_order_events(db, id, add_event, timeline, err)) ||
        (rc = wg_photo_list_json(db, id, &photos, err)) ||
        (json_object_set_new(j, "photos", photos),
         rc = wg_store_open311_attributes(db, id, &attrs, err)) ||
        (rc = wg_store_order_children_callback(db, id, add_child, merged, err)) ||
        (rc = wg_store_order_lines(db, id, add_line, lines, err)))
        goto out;
    if (attrs) { /* what an Open311 client answered to the service definition's questions */
        json_error_t je;
        json_t *given = json_loads(attrs, 0, &je);
        if (!given) {
            rc = wg_err_set(err, WG_EDB, "order %lld's Open311 answers are not JSON: %s", id,
                            je.text);
            goto out;
        }
        json_object_set_new(j, "open311", json_pack("{s:o}", "attributes", given));
    }
    /* duplicates follow their master: each side shows the other */
    if (f->master_id) {
        json_object_set_new(j, "master", json_integer(f->master_id));
        if (o->state == WG_STATE_MERGED)
            json_object_set_new(j, "master_state",
                                json_string(wg_fsm_state_name(ctx->master_state)));
    }
    set_nonempty(j, "merged", merged);
    set_nonempty(j, "lines", lines);
    merged = lines = NULL;
    rc = wg_order_add_duplicates(db, actor, id, j, err);
out:
    free(attrs);
    json_decref(merged);
    json_decref(lines);
    return rc;
}

static int add_case(long long id, const char *number, const char *state, const char *end_level,
                    void *ctx)
{
    json_t *j = json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "number", number, "state", state);
    json_object_set_new(j, "end_level", *end_level ? json_string(end_level) : json_null());
    json_array_append_new(ctx, j);
    return 0;
}

/* The dispute cases its joint conference or judicial line opened (domain/disputes/):
 * "disputes" lists them, and each case names the order. */
static enum wg_rc add_cases(struct wg_db *db, long long id, json_t *j, struct wg_err *err)
{
    json_t *cases = json_array();
    enum wg_rc rc = wg_store_dispute_of_order(db, id, add_case, cases, err);
    if (!rc && json_array_size(cases))
        json_object_set(j, "disputes", cases);
    json_decref(cases);
    return rc;
}

/* A visit's or a patrol's finding made the order (domain/registry/visit.h): "source" names it. */
static enum wg_rc add_source(struct wg_db *db, long long id, json_t *j, struct wg_err *err)
{
    char kind[8];
    long long ref = 0;
    enum wg_rc rc = wg_store_order_field_source(db, id, kind, &ref, err);
    if (!rc && kind[0])
        json_object_set_new(j, "source",
                            json_pack("{s:s,s:I}", "kind", kind, "id", (json_int_t)ref));
    return rc;
}

enum wg_rc wg_order_json(struct wg_db *db, const struct wg_order_env *env,
                         const struct wg_actor *actor, long long id, int with_timeline,
                         json_t **out, struct wg_err *err)
{
    struct wg_order o;
    struct wg_order_facts f;
    struct wg_fsm_ctx ctx;
    struct wg_order_assist a;
    enum wg_order_relation rel;
    json_t *j = NULL, *reporter = NULL;
    enum wg_rc rc = wg_order_load(db, id, &o, err);
    if (rc)
        return rc;
    if ((rc = wg_order_relate(db, actor, &o.row, &a, &rel, err)) ||
        (rc = wg_store_order_facts(db, id, &f, err)))
        goto out;
    wg_order_fsm_ctx(&f, &o, actor, rel, &ctx);
    if ((rc = wg_order_merge_ctx(db, &o, &f, &ctx, err)) ||
        (rc = stored_reporter(env->keys, &o.row, actor, &reporter, err)))
        goto out;
    if (!(j = render(env, actor, &o, &f, &ctx, reporter))) {
        rc = wg_err_set(err, WG_EINTERNAL, "order %lld could not be rendered as JSON", id);
        goto out;
    }
    set_nonempty(j, "assisting", assist_json(&a));
    if (with_timeline && ((rc = add_details(db, actor, &o, &f, &ctx, j, err)) ||
                          (rc = add_source(db, id, j, err)) || (rc = add_cases(db, id, j, err))))
        goto out;
    *out = j;
    j = NULL;
out:
    json_decref(j);
    wg_order_unload(&o);
    return rc;
}
