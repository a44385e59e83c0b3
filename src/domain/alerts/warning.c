/* The loop of a warning (warning.h): its list in scope, its view with the orders behind it and
 * its timeline, and its steps — judged, handled by a special order or a task, closed, or a
 * false alarm — each under the version read and on its timeline. */
#include "domain/alerts/warning.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/civil.h"
#include "core/param.h"
#include "core/utf8.h"
#include "domain/accounts/pii.h"
#include "domain/registry/person.h"
#include "store/accounts/accounts_q.h"
#include "store/alerts/warning_q.h"

#define NOTE_CONTEXT "warning.note"

static const char *const actions[] = {"judge", "handle", "close", "false_alarm", NULL};
const char *const wg_warning_action_fields[] = {"action", "version", "owner",
                                                "note",   "order",   NULL};

static int one_of(const char *const *list, const char *s)
{
    for (int i = 0; s && list[i]; i++)
        if (!strcmp(list[i], s))
            return i;
    return -1;
}

static json_t *row_json(const struct wg_warning_row *r)
{
    json_t *detail = json_loads(r->detail, 0, NULL);
    json_t *j = json_pack(
        "{s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:o,s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I}", "id",
        (json_int_t)r->id, "kind", r->kind, "level", r->level, "state", r->state, "item", r->item,
        "scope", r->scope, "count", (json_int_t)r->count, "detail", detail ? detail : json_object(),
        "phone", r->phone, "owner", r->owner, "handled_kind", r->handled_kind, "handled_ref",
        (json_int_t)r->handled_ref, "first_at", (json_int_t)r->first_at, "last_at",
        (json_int_t)r->last_at, "version", (json_int_t)r->version, "created_at",
        (json_int_t)r->created_at, "updated_at", (json_int_t)r->updated_at);
    json_object_set_new(j, "point",
                        r->has_point ? json_pack("{s:f,s:f}", "lon", r->lon, "lat", r->lat)
                                     : json_null());
    return j;
}

/* ---- the list ---- */

static int on_row(const struct wg_warning_row *r, void *ctx)
{
    json_array_append_new(ctx, row_json(r));
    return 0;
}

static enum wg_rc check_filter(const char *v, const char *name, const char *const *list,
                               const char *allowed, struct wg_err *err)
{
    if (v && *v && one_of(list, v) < 0)
        return wg_err_set(err, WG_EINVAL, "'%s' (%.40s) is not one of %s", name, v, allowed);
    return WG_OK;
}

enum wg_rc wg_warning_list(struct wg_db *db, const struct wg_scope *scope,
                           const struct wg_warn_query *q, json_t **out, struct wg_err *err)
{
    static const char *const kinds[] = {"cluster", "recurrence", "surge",
                                        "caller",  "keyword",    NULL};
    static const char *const levels[] = {"blue", "yellow", "red", NULL};
    static const char *const filter_states[] = {"new",         "judged", "handled", "closed",
                                                "false_alarm", "open",   NULL};
    char lo[32], hi[33];
    long long limit = 50, before = INT64_MAX;
    struct wg_warn_range r = {0};
    enum wg_rc rc;
    *out = NULL;
    if ((rc = check_filter(q->kind, "kind", kinds, "cluster, recurrence, surge, caller, keyword",
                           err)) ||
        (rc = check_filter(q->level, "level", levels, "blue, yellow, red", err)) ||
        (rc = check_filter(q->state, "state", filter_states,
                           "new, judged, handled, closed, false_alarm, open", err)) ||
        (rc = wg_param_count(q->limit, "limit", 1, 200, &limit, err)))
        return rc;
    if (q->item && strlen(q->item) > 31)
        return wg_err_set(err, WG_EINVAL, "'item' (%.40s…) is longer than a catalog item's code",
                          q->item);
    if (q->cursor && *q->cursor && wg_param_id(q->cursor, 1, INT64_MAX, &before))
        return wg_err_set(err, WG_EINVAL, "'cursor' (%.40s) is not a warning id from a page before",
                          q->cursor);
    if (q->since && *q->since) {
        int d = wg_civil_parse_date(q->since);
        if (d < 0)
            return wg_err_set(err, WG_EINVAL, "'since' (%.40s) is not a date YYYY-MM-DD", q->since);
        r.since = wg_cst_midnight(d);
    }
    if (scope && wg_scope_is_unit(scope)) /* a unit's account: the places' warnings are
                                                  not its work, an empty range */
        snprintf(lo, sizeof lo, "~"), snprintf(hi, sizeof hi, "~");
    else if ((rc = wg_registry_range(scope, NULL, NULL, lo, hi, err)))
        return rc;
    r.lo = lo, r.hi = hi;
    r.kind = q->kind ? q->kind : "";
    r.level = q->level ? q->level : "";
    r.state = q->state ? q->state : "";
    r.item = q->item ? q->item : "";
    r.before = before;
    r.limit = (int)limit + 1;
    json_t *arr = json_array();
    if ((rc = wg_store_warn_list(db, &r, on_row, arr, err))) {
        json_decref(arr);
        return rc;
    }
    json_t *next = json_null();
    if ((long long)json_array_size(arr) > limit) {
        json_t *last = json_array_get(arr, (size_t)limit - 1);
        next = json_sprintf("%lld", (long long)json_integer_value(json_object_get(last, "id")));
        json_array_remove(arr, (size_t)limit);
    }
    *out = json_pack("{s:o,s:I,s:o}", "warnings", arr, "limit", (json_int_t)limit, "next_cursor",
                     next);
    return WG_OK;
}

/* ---- one warning ---- */

struct loaded {
    struct wg_warning_row r;
    char detail[512];
    char *note; /* sealed, owned */
    int found;
};

static int on_load(const struct wg_warning_row *r, void *ctx)
{
    struct loaded *l = ctx;
    l->r = *r;
    snprintf(l->detail, sizeof l->detail, "%s", r->detail);
    l->r.detail = l->detail;
    l->note = wg_strdup(r->note);
    l->r.note = l->note;
    l->found = 1;
    return 0;
}

static enum wg_rc load(struct wg_db *db, const struct wg_scope *scope, long long id,
                       struct loaded *l, struct wg_err *err)
{
    memset(l, 0, sizeof *l);
    enum wg_rc rc = wg_store_warn_get(db, id, on_load, l, err);
    if (!rc && !wg_registry_covers(scope, l->r.scope)) {
        free(l->note);
        l->note = NULL;
        rc = wg_err_set(err, WG_ENOTFOUND, "warning %lld does not exist", id);
    }
    return rc;
}

static int on_order(const struct wg_warn_order_brief *o, void *ctx)
{
    json_array_append_new(ctx, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)o->id,
                                         "number", o->number, "title", o->title, "created_at",
                                         o->created_at, "grid", o->grid, "state", o->state, "item",
                                         o->item));
    return 0;
}

struct timeline {
    json_t *arr;
    const struct wg_pii_keys *keys;
};

static int on_event(const struct wg_warn_event_row *e, void *ctx)
{
    struct timeline *t = ctx;
    json_t *detail = NULL, *note = NULL;
    if (!strcmp(e->action, "raised") || !strcmp(e->action, "escalated"))
        detail = json_loads(e->detail, 0, NULL);
    else if (*e->detail)
        detail = json_string(e->detail);
    if (*e->note && t->keys) { /* a step's note, sealed */
        char *clear = NULL;
        struct wg_err err = {0};
        if (!wg_pii_decrypt(t->keys, e->note, NOTE_CONTEXT, &clear, &err)) {
            note = json_string(clear);
            wg_pii_wipe(clear);
        }
    }
    json_array_append_new(t->arr, json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:o,s:o}", "seq",
                                            (json_int_t)e->seq, "at", (json_int_t)e->at, "actor",
                                            e->actor, "action", e->action, "from", e->from, "to",
                                            e->to, "detail", detail ? detail : json_null(), "note",
                                            note ? note : json_null()));
    return 0;
}

enum wg_rc wg_warning_view(struct wg_db *db, const struct wg_pii_keys *keys,
                           const struct wg_scope *scope, long long id, json_t **out,
                           long long *version, struct wg_err *err)
{
    struct loaded l;
    *out = NULL;
    enum wg_rc rc = load(db, scope, id, &l, err);
    if (rc)
        return rc;
    json_t *j = row_json(&l.r), *orders = json_array();
    struct timeline t = {json_array(), keys};
    json_t *note = json_null();
    if (*l.r.note && keys) {
        char *clear = NULL;
        if ((rc = wg_pii_decrypt(keys, l.r.note, NOTE_CONTEXT, &clear, err)))
            goto out;
        note = json_string(clear);
        wg_pii_wipe(clear);
    }
    json_object_set_new(j, "note", note);
    if ((rc = wg_store_warn_orders(db, id, 500, on_order, orders, err)) ||
        (rc = wg_store_warn_events(db, id, on_event, &t, err)))
        goto out;
    json_object_set(j, "orders", orders);
    json_object_set(j, "timeline", t.arr);
    *version = l.r.version;
    *out = j;
    j = NULL;
out:
    json_decref(j);
    json_decref(orders);
    json_decref(t.arr);
    free(l.note);
    return rc;
}

/* ---- the loop ---- */

enum wg_rc wg_warning_action_read(const json_t *body, const char **action, long long *version,
                                  const char **owner, const char **note, const char **order,
                                  struct wg_err *err)
{
    json_t *a = json_object_get(body, "action"), *v = json_object_get(body, "version");
    json_t *o = json_object_get(body, "owner"), *n = json_object_get(body, "note");
    json_t *ord = json_object_get(body, "order");
    *action = *owner = *note = *order = NULL;
    *version = 0;
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "a warning action must be a JSON object");
    if (!json_is_string(a) || one_of(actions, json_string_value(a)) < 0)
        return wg_err_set(err, WG_EINVAL,
                          "'action' must be one of judge, handle, close, false_alarm");
    *action = json_string_value(a);
    if (!json_is_integer(v) || json_integer_value(v) < 1)
        return wg_err_set(
            err, WG_EINVAL,
            "'version' must be the warning's version as read (a whole number from 1)");
    *version = json_integer_value(v);
    if (o && (!json_is_string(o) || !*json_string_value(o) || json_string_length(o) > 63))
        return wg_err_set(err, WG_EINVAL, "'owner' must be an account's username");
    if (n && (!json_is_string(n) || !wg_utf8_valid(json_string_value(n)) ||
              wg_utf8_chars(json_string_value(n)) > WG_WARN_NOTE_MAX))
        return wg_err_set(err, WG_EINVAL, "'note' must be a text of at most %d characters",
                          WG_WARN_NOTE_MAX);
    if (ord && (!json_is_string(ord) || !*json_string_value(ord) || json_string_length(ord) > 40))
        return wg_err_set(err, WG_EINVAL, "'order' must be an order's number");
    *owner = o ? json_string_value(o) : NULL;
    *note = n ? json_string_value(n) : NULL;
    *order = ord ? json_string_value(ord) : NULL;
    if (!strcmp(*action, "judge") && !*owner)
        return wg_err_set(err, WG_EINVAL, "'owner' is required to judge a warning");
    if ((!strcmp(*action, "judge") || !strcmp(*action, "false_alarm")) && (!*note || !**note))
        return wg_err_set(err, WG_EINVAL, "'note' is required to %s a warning",
                          !strcmp(*action, "judge") ? "judge" : "call false_alarm on");
    if (!strcmp(*action, "handle") && !*order)
        return wg_err_set(err, WG_EINVAL,
                          "'order' (a special order's number) is required to handle a warning");
    if (strcmp(*action, "handle") && *order)
        return wg_err_set(err, WG_EINVAL, "'order' is taken only to handle a warning");
    if (strcmp(*action, "judge") && *owner)
        return wg_err_set(err, WG_EINVAL, "'owner' is taken only to judge a warning");
    return WG_OK;
}

/* The state an action moves from -> to, or NULL when the state does not allow it. */
static const char *next_state(const char *action, const char *state)
{
    if (!strcmp(action, "judge"))
        return !strcmp(state, "new") ? "judged" : NULL;
    if (!strcmp(action, "handle"))
        return !strcmp(state, "judged") ? "handled" : NULL;
    if (!strcmp(action, "close"))
        return !strcmp(state, "handled") ? "closed" : NULL;
    return !strcmp(state, "new") || !strcmp(state, "judged") ? "false_alarm" : NULL;
}

static enum wg_rc act_tx(struct wg_db *db, const struct wg_warning_act *by, const json_t *body,
                         const char **action, struct wg_err *err)
{
    const char *owner, *note, *order;
    long long version;
    struct loaded l = {0};
    char *sealed = NULL;
    enum wg_rc rc = wg_warning_action_read(body, action, &version, &owner, &note, &order, err);
    if (rc || (rc = load(db, by->scope, by->id, &l, err)))
        goto out;
    if (owner) {
        struct wg_account_row acc;
        rc = wg_store_account_get(db, owner, &acc, err);
        if (rc == WG_ENOTFOUND)
            rc = wg_err_set(err, WG_EINVAL, "'owner': '%s' is not an account", owner);
        if (rc)
            goto out;
    }
    long long ref = 0;
    if (order) {
        char grid[32], county[16];
        if ((rc = wg_store_warn_order_by_number(db, order, &ref, grid, county, err)))
            goto out;
        if (!ref || !wg_registry_covers(by->scope, *grid ? grid : county)) {
            rc = wg_err_set(err, WG_EINVAL, "'order': '%s' is not an order in your scope", order);
            goto out;
        }
    }
    const char *to = next_state(*action, l.r.state);
    if (!to) {
        rc = wg_err_set(err, WG_ECONFLICT, "warning %lld is %s: it cannot be %s", by->id, l.r.state,
                        !strcmp(*action, "judge")    ? "judged"
                        : !strcmp(*action, "handle") ? "handled"
                        : !strcmp(*action, "close")  ? "closed"
                                                     : "called a false alarm");
        goto out;
    }
    if (note && *note && by->keys &&
        (rc = wg_pii_encrypt(by->keys, note, NOTE_CONTEXT, &sealed, err)))
        goto out;
    struct wg_warning_row r = l.r;
    r.version = version;
    snprintf(r.state, sizeof r.state, "%s", to);
    if (owner)
        snprintf(r.owner, sizeof r.owner, "%s", owner);
    if (sealed && strcmp(*action, "close")) /* the judgement's (or false alarm's) note stays */
        r.note = sealed;
    if (order) {
        snprintf(r.handled_kind, sizeof r.handled_kind, "order");
        r.handled_ref = ref;
    }
    if ((rc = wg_store_warn_move(db, &r, by->now, err)))
        goto out;
    char detail_ref[64] = "";
    if (order)
        snprintf(detail_ref, sizeof detail_ref, "%s", order);
    rc = wg_store_warn_event(db, by->id, by->now, by->actor, *action, l.r.state, to, detail_ref,
                             sealed ? sealed : "", err);
out:
    free(sealed);
    free(l.note);
    return rc;
}

enum wg_rc wg_warning_act(struct wg_db *db, const struct wg_warning_act *by, const json_t *body,
                          const char **action, struct wg_err *err)
{
    enum wg_rc rc = wg_db_begin(db, err);
    *action = NULL;
    if (rc)
        return rc;
    if ((rc = act_tx(db, by, body, action, err)) || (rc = wg_db_commit(db, err)))
        wg_db_rollback(db);
    return rc;
}

enum wg_rc wg_warning_handled_by(struct wg_db *db, const struct wg_scope *scope, long long id,
                                 const char *kind, long long ref, const char *who,
                                 struct wg_err *err)
{
    struct loaded l;
    int own = !wg_db_in_tx(db);
    enum wg_rc rc;
    if (strcmp(kind, "task") && strcmp(kind, "order"))
        return wg_err_set(err, WG_EINVAL, "a warning is handled by a task or an order, not '%s'",
                          kind);
    if (own && (rc = wg_db_begin(db, err)))
        return rc;
    if ((rc = load(db, scope, id, &l, err)))
        goto out;
    if (strcmp(l.r.state, "new") && strcmp(l.r.state, "judged")) {
        rc = wg_err_set(err, WG_ECONFLICT, "warning %lld is %s: it cannot be handled", id,
                        l.r.state);
        goto out;
    }
    char detail[48];
    snprintf(detail, sizeof detail, "%s %lld", kind, ref);
    struct wg_warning_row r = l.r;
    snprintf(r.state, sizeof r.state, "handled");
    snprintf(r.handled_kind, sizeof r.handled_kind, "%s", kind);
    r.handled_ref = ref;
    long long now = (long long)time(NULL);
    if (!(rc = wg_store_warn_move(db, &r, now, err)))
        rc = wg_store_warn_event(db, id, now, who, "handle", l.r.state, "handled", detail, "", err);
out:
    free(l.note);
    if (own) {
        if (!rc)
            rc = wg_db_commit(db, err);
        if (rc)
            wg_db_rollback(db);
    }
    return rc;
}
