/* Dispute cases as answered (dispute.h): a case with its parties masked, its timeline and what
 * the caller may do to it now; the cases of a scope newest first. */
#include "domain/disputes/dispute.h"

#include <stdint.h>
#include <stdlib.h>

#include "core/param.h"
#include "domain/accounts/pii.h"
#include "domain/disputes/case_clock.h"
#include "domain/disputes/case_row.h"
#include "domain/registry/person.h"
#include "store/disputes/dispute_q.h"

#define CONFIRM_DAYS 30 /* People's Mediation Law art. 33 */

int wg_case_row_copy(const struct wg_dispute_row *r, void *ctx)
{
    struct wg_dispute_row *out = ctx;
    *out = *r;
    out->description = NULL;
    return 1;
}

/* The clock, the body and the mediator as answered. */
static void clock_json(json_t *j, const struct wg_case_env *env, const struct wg_dispute_row *r,
                       long long now)
{
    const char *light = wg_case_light(env, r->clock_at, r->due_at, now);
    json_object_set_new(j, "accepted_at",
                        r->accepted_at ? json_integer(r->accepted_at) : json_null());
    json_object_set_new(j, "due_at", json_integer(r->due_at));
    json_object_set_new(j, "light", light ? json_string(light) : json_null());
    json_object_set_new(j, "supervised", json_boolean(r->supervised));
    json_object_set_new(
        j, "body",
        r->body ? json_pack("{s:I,s:s}", "id", (json_int_t)r->body, "name", r->body_name)
                : json_null());
    json_object_set_new(j, "mediator", *r->mediator ? json_string(r->mediator) : json_null());
}

static json_t *case_json(const struct wg_case_env *env, const struct wg_dispute_row *r,
                         long long now)
{
    json_t *j = json_pack(
        "{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:f,s:i,s:s,s:s,s:s,s:I,s:s,s:I,s:I}", "id",
        (json_int_t)r->id, "number", r->number, "county", r->county, "source", r->source, "type",
        r->type, "risk", r->risk, "description", r->description ? r->description : "", "amount",
        (double)r->amount_fen / 100.0, "people", r->people, "grid", r->grid, "state", r->state,
        "level", r->level, "version", (json_int_t)r->version, "created_by", r->created_by,
        "created_at", (json_int_t)r->created_at, "updated_at", (json_int_t)r->updated_at);
    json_object_set_new(j, "lon", r->has_point ? json_real(r->lon) : json_null());
    json_object_set_new(j, "lat", r->has_point ? json_real(r->lat) : json_null());
    json_object_set_new(j, "order", r->order_id ? json_integer(r->order_id) : json_null());
    json_object_set_new(j, "end_level", *r->end_level ? json_string(r->end_level) : json_null());
    json_object_set_new(j, "taken_by", *r->taken_by ? json_string(r->taken_by) : json_null());
    json_object_set_new(j, "agreed_at", r->agreed_at ? json_integer(r->agreed_at) : json_null());
    clock_json(j, env, r, now);
    return j;
}

void wg_case_facts(const struct wg_dispute_row *r, long long now, struct wg_case_ctx *c,
                   enum wg_case_state *state)
{
    struct wg_err err = {0};
    enum wg_case_level level = WG_CASE_GRID;
    memset(c, 0, sizeof *c);
    if (wg_case_level_parse(r->level, &level, &err))
        level = WG_CASE_GRID;
    if (wg_case_state_parse(r->state, state, &err))
        *state = WG_CASE_ARCHIVED;
    c->level = level;
    c->red = !strcmp(r->risk, "red");
    c->taken = r->taken_by[0] != '\0';
    c->confirm_closed = r->agreed_at && now > r->agreed_at + CONFIRM_DAYS * 86400LL;
}

struct view {
    const struct wg_case_env *env;
    const struct wg_pii_keys *keys;
    const struct wg_scope *scope;
    long long now;
    json_t *out, *parties, *timeline;
    struct wg_dispute_row row;
    int found;
    enum wg_rc rc;
    struct wg_err *err;
};

static int on_case(const struct wg_dispute_row *r, void *ctx)
{
    struct view *v = ctx;
    if (!wg_registry_covers(v->scope, r->grid))
        return 0;
    v->found = 1;
    v->row = *r;
    v->out = case_json(v->env, r, v->now);
    v->row.description = NULL;
    return 0;
}

/* A sealed field opened and masked by mask; "" stays "". */
static json_t *masked(struct view *v, const char *stored, const char *context,
                      size_t (*mask)(const char *, char *, size_t))
{
    char *clear = NULL, out[128];
    if (!*stored)
        return json_string("");
    if (!v->rc)
        v->rc = wg_pii_decrypt(v->keys, stored, context, &clear, v->err);
    if (v->rc)
        return json_string("");
    mask(clear, out, sizeof out);
    wg_pii_wipe(clear);
    return json_string(out);
}

static int on_party(const struct wg_dispute_party_row *p, void *ctx)
{
    struct view *v = ctx;
    json_t *j = json_pack("{s:i,s:s,s:s}", "pos", p->pos, "role", p->role, "id_type", p->id_type);
    json_object_set_new(j, "name", masked(v, p->name, "dispute_party.name", wg_pii_mask_name));
    json_object_set_new(j, "id_number",
                        masked(v, p->id_number, "dispute_party.id_number", wg_pii_mask_id));
    json_object_set_new(j, "phone", masked(v, p->phone, "dispute_party.phone", wg_pii_mask_phone));
    json_array_append_new(v->parties, j);
    return v->rc != WG_OK;
}

static int on_event(const struct wg_dispute_event_row *e, void *ctx)
{
    struct view *v = ctx;
    json_t *j = json_pack("{s:i,s:I,s:s,s:s,s:s,s:s,s:s}", "seq", e->seq, "at", (json_int_t)e->at,
                          "actor", e->actor, "role", e->role, "action", e->action, "to",
                          e->to_state, "level", e->level);
    json_object_set_new(j, "from", *e->from_state ? json_string(e->from_state) : json_null());
    json_t *record = NULL;
    if (*e->detail) {
        char *clear = NULL;
        if (!v->rc)
            v->rc = wg_pii_decrypt(v->keys, e->detail, "dispute_event.detail", &clear, v->err);
        record = clear ? json_loads(clear, 0, NULL) : NULL;
        wg_pii_wipe(clear);
    }
    json_object_set_new(j, "record", record ? record : json_object());
    json_array_append_new(v->timeline, j);
    return v->rc != WG_OK;
}

enum wg_rc wg_case_view(struct wg_db *db, const struct wg_case_env *env,
                        const struct wg_scope *scope, enum wg_role_id role, long long id,
                        long long now, json_t **out, long long *version, struct wg_err *err)
{
    struct view v = {env,          env->keys, scope, now,   NULL, json_array(),
                     json_array(), {0},       0,     WG_OK, err};
    enum wg_rc rc = wg_store_dispute_get(db, id, on_case, &v, err);
    *out = NULL;
    if (!rc && !v.found)
        rc = wg_err_set(err, WG_ENOTFOUND, "dispute case %lld does not exist", id);
    if (!rc)
        rc = wg_store_dispute_parties(db, id, on_party, &v, err);
    if (!rc)
        rc = v.rc;
    if (!rc)
        rc = wg_store_dispute_events(db, id, on_event, &v, err);
    if (!rc)
        rc = v.rc;
    if (rc) {
        json_decref(v.out), json_decref(v.parties), json_decref(v.timeline);
        return rc;
    }
    struct wg_case_ctx c;
    enum wg_case_state state;
    enum wg_case_action can[WG_CASE_ACTION_COUNT];
    wg_case_facts(&v.row, now, &c, &state);
    size_t n = wg_case_allowed(state, role, &c, can, WG_CASE_ACTION_COUNT);
    json_t *allowed = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(allowed, json_string(wg_case_action_name(can[i])));
    json_object_set_new(v.out, "parties", v.parties);
    json_object_set_new(v.out, "timeline", v.timeline);
    json_object_set_new(v.out, "allowed_actions", allowed);
    *version = v.row.version;
    *out = v.out;
    return WG_OK;
}

/* ---- the list ---- */

struct page {
    const struct wg_case_env *env;
    long long now;
    json_t *arr;
};

static int on_row(const struct wg_dispute_row *r, void *ctx)
{
    struct page *p = ctx;
    json_array_append_new(p->arr, case_json(p->env, r, p->now));
    return 0;
}

/* The filter's values checked: each one of its list, or a username. */
static enum wg_rc filter_of(const struct wg_case_query *q, struct wg_dispute_filter *f,
                            long long now, struct wg_err *err)
{
    enum wg_case_state s;
    enum wg_case_level l;
    enum wg_rc rc;
    f->state = q->state ? q->state : "";
    f->risk = q->risk ? q->risk : "";
    f->level = q->level ? q->level : "";
    f->mediator = q->mediator ? q->mediator : "";
    int known = !*f->risk;
    for (const char *const *r = wg_case_risks; *r; r++)
        known |= !strcmp(*r, f->risk);
    if (*f->state && (rc = wg_case_state_parse(f->state, &s, err))) {
        wg_err_prefix(err, "'state'");
        return rc;
    }
    if (*f->level && (rc = wg_case_level_parse(f->level, &l, err))) {
        wg_err_prefix(err, "'level'");
        return rc;
    }
    if (!known)
        return wg_err_set(err, WG_EINVAL, "'risk' must be one of red, orange, yellow, green");
    if (strlen(f->mediator) > 63)
        return wg_err_set(err, WG_EINVAL, "'mediator' is a username");
    const char *o = q->overdue ? q->overdue : "";
    if (*o && strcmp(o, "1") && strcmp(o, "0"))
        return wg_err_set(err, WG_EINVAL, "'overdue' is 1 (only the cases past due) or 0");
    f->overdue_at = !strcmp(o, "1") ? now : 0;
    return WG_OK;
}

enum wg_rc wg_case_list(struct wg_db *db, const struct wg_case_env *env,
                        const struct wg_scope *scope, const struct wg_case_query *q, long long now,
                        json_t **out, struct wg_err *err)
{
    char lo[32], hi[33];
    long long limit = 50, at, id;
    struct wg_dispute_filter f = {lo, hi, "", "", "", "", 0};
    const char *sort = q->sort ? q->sort : "";
    enum wg_rc rc;
    *out = NULL;
    int by_due = !strcmp(sort, "due");
    if (*sort && !by_due && strcmp(sort, "new"))
        return wg_err_set(err, WG_EINVAL, "'sort' is new (newest first) or due (soonest due)");
    if ((rc = filter_of(q, &f, now, err)) ||
        (rc = wg_param_count(q->limit, "limit", 1, 200, &limit, err)) ||
        (rc = wg_param_time_cursor(q->cursor, &at, &id, err)) ||
        (rc = wg_registry_range(scope, q->grid, q->region, lo, hi, err)))
        return rc;
    if (by_due && (!q->cursor || !*q->cursor))
        at = 0, id = 0;
    struct page p = {env, now, json_array()};
    rc = wg_store_dispute_list(db, &f, by_due, at, id, (int)limit + 1, on_row, &p, err);
    if (rc) {
        json_decref(p.arr);
        return rc;
    }
    json_t *next = json_null(), *arr = p.arr;
    if ((long long)json_array_size(arr) > limit) { /* one more than the page: there is a next */
        json_t *last = json_array_get(arr, (size_t)limit - 1);
        next = json_sprintf(
            "%lld.%lld",
            (long long)json_integer_value(json_object_get(last, by_due ? "due_at" : "created_at")),
            (long long)json_integer_value(json_object_get(last, "id")));
        json_array_remove(arr, (size_t)limit);
    }
    *out = json_pack("{s:o,s:I,s:o}", "disputes", arr, "limit", (json_int_t)limit, "next_cursor",
                     next);
    return WG_OK;
}
