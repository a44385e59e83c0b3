/* Each action's own part, as a table by action (order_act.h): the body fields the state
 * machine's outcome depends on, what the action changes beside the state, and the rows it
 * writes after the order's. An action without a row is only the state machine's step. */
#include "domain/disputes/dispute.h"
#include "domain/orders/order_act.h"
#include "domain/orders/order_replay.h"

#include "core/assert.h"
#include "core/civil.h"

#include "store/catalog/catalog_q.h"
#include "store/orders/orders_q.h"

/* ---- before the step: the body fields the outcome depends on ---- */

static enum wg_rc verify_before(struct wg_act *a, struct wg_err *err)
{
    json_t *v = json_object_get(a->body, "passed");
    if (!json_is_boolean(v))
        return wg_err_set(err, WG_EINVAL, "verify needs 'passed': true or false");
    a->ctx.verify_passed = json_is_true(v);
    return WG_OK;
}

static enum wg_rc callback_before(struct wg_act *a, struct wg_err *err)
{
    json_t *v = json_object_get(a->body, "reached");
    if (v && !json_is_boolean(v))
        return wg_err_set(err, WG_EINVAL, "'reached' must be true or false");
    a->ctx.reached = !v || json_is_true(v);
    if (a->ctx.reached &&
        wg_fsm_satisfaction_parse(json_string_value(json_object_get(a->body, "satisfaction")),
                                  &a->ctx.satisfaction, err))
        return WG_EINVAL;
    return WG_OK;
}

/* The resident's rating is kept beside the order (once: the table's key says so too). */
static enum wg_rc rate_before(struct wg_act *a, struct wg_err *err)
{
    struct wg_rating_row r;
    if (wg_fsm_satisfaction_parse(json_string_value(json_object_get(a->body, "satisfaction")),
                                  &a->ctx.satisfaction, err)) {
        wg_err_prefix(err, "'satisfaction'");
        return WG_EINVAL;
    }
    return wg_store_rating_get(a->db, a->o.row.id, &r, &a->ctx.rated, err);
}

/* ---- after the step: what the action changes beside the state ---- */

enum wg_rc wg_order_deadlines(const struct wg_order_env *env, const struct wg_order_row *o,
                              long long now, long long *sign, long long *reply, long long *contact,
                              struct wg_err *err)
{
    struct wg_catalog_limits lim = {120, 900, 2250, 4500};
    int64_t s = 0, r = 0, c = 0;
    enum wg_rc rc;
    *contact = 0;
    if (!env->calendar) /* sign and reply as they were */
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
    if ((rc = wg_calendar_add_working_minutes(env->calendar, now, lim.sign, &s, err)))
        return rc;
    if (!strcmp(o->urgency, "critical"))
        rc = wg_calendar_default_deadline(env->calendar, WG_LIMIT_CRITICAL, now, &r, err);
    else if (!strcmp(o->urgency, "urgent"))
        rc = wg_calendar_default_deadline(env->calendar, WG_LIMIT_URGENT, now, &r, err);
    else
        rc = wg_calendar_add_working_minutes(env->calendar, now, lim.reply, &r, err);
    *sign = s;
    *reply = r;
    /* the contact is due by the close of the next working day; nobody to contact when
     * the reporter is anonymous */
    if (!rc && !o->anonymous && !(rc = wg_calendar_next_day_close(env->calendar, now, &c, err)))
        *contact = c;
    return rc;
}

/* Sign, reply and contact deadlines from the moment of dispatch (wg_order_deadlines). */
static enum wg_rc set_deadlines(struct wg_act *a, struct wg_err *err)
{
    a->f.dispatched_at = a->now;
    /* a dispatch owes the reporter its own contact: the one before it was another unit's */
    a->f.contacted_at = 0;
    a->f.contact_reached = 0;
    a->f.contact_means[0] = '\0';
    return wg_order_deadlines(a->env, &a->o.row, a->now, &a->f.sign_deadline, &a->f.reply_deadline,
                              &a->f.contact_deadline, err);
}

/* dispatch's 'assisting': other existing units, each once, at most WG_ORDER_ASSIST_MAX. */
static enum wg_rc parse_assisting(struct wg_act *a, const char *lead, struct wg_err *err)
{
    json_t *arr = json_object_get(a->body, "assisting"), *v;
    size_t i;
    a->nassist = 0;
    if (!arr || json_is_null(arr))
        return WG_OK;
    if (!json_is_array(arr))
        return wg_err_set(err, WG_EINVAL, "'assisting' must be an array of unit ids");
    if (json_array_size(arr) > WG_ORDER_ASSIST_MAX)
        return wg_err_set(err, WG_EINVAL, "'assisting' names %zu units; at most %d",
                          json_array_size(arr), WG_ORDER_ASSIST_MAX);
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
        for (size_t k = 0; k < a->nassist; k++)
            if (!strcmp(a->assisting[k], u))
                return wg_err_set(err, WG_EINVAL, "assisting[%zu]: unit '%s' is named twice", i, u);
        if ((rc = wg_store_unit_get(a->db, u, &row, err))) {
            if (rc == WG_ENOTFOUND)
                rc = wg_err_set(err, WG_EINVAL, "assisting[%zu]: unit '%s' does not exist", i, u);
            return rc;
        }
        a->assisting[a->nassist++] = u;
    }
    return WG_OK;
}

static enum wg_rc dispatch_apply(struct wg_act *a, struct wg_err *err)
{
    const char *u = json_string_value(json_object_get(a->body, "unit"));
    struct wg_unit_row ur;
    enum wg_rc rc;
    if (!u || !*u || strlen(u) >= sizeof a->unit)
        return wg_err_set(err, WG_EINVAL, "dispatch needs 'unit': the handling unit");
    if ((rc = wg_store_unit_get(a->db, u, &ur, err))) {
        if (rc == WG_ENOTFOUND)
            rc = wg_err_set(err, WG_EINVAL, "unit '%s' does not exist", u);
        return rc;
    }
    if ((rc = parse_assisting(a, u, err)))
        return rc;
    a->set_assist = 1;
    snprintf(a->unit, sizeof a->unit, "%s", u);
    return set_deadlines(a, err);
}

static enum wg_rc approve_extension_apply(struct wg_act *a, struct wg_err *err)
{
    json_t *days = json_object_get(a->body, "days");
    int64_t d = 0;
    enum wg_rc rc;
    a->f.extension_pending = 0;
    if (!json_is_integer(days) || json_integer_value(days) < 1 || json_integer_value(days) > 10)
        return wg_err_set(err, WG_EINVAL, "approve_extension needs 'days': 1 to 10 working days");
    if (a->f.reply_deadline && a->env->calendar &&
        (rc = wg_calendar_extend(a->env->calendar, a->f.reply_deadline,
                                 (int)json_integer_value(days), &d, err)))
        return rc;
    if (d)
        a->f.reply_deadline = d;
    return WG_OK;
}

static enum wg_rc approve_return_apply(struct wg_act *a, struct wg_err *err)
{
    (void)err;
    a->unit[0] = '\0';
    a->set_assist = 1; /* back to the centre: nobody holds it, nobody assists */
    a->f.dispatched_at = a->f.sign_deadline = a->f.reply_deadline = 0;
    a->f.contact_deadline = a->f.contacted_at = 0;
    a->f.contact_reached = 0;
    a->f.contact_means[0] = '\0';
    return WG_OK;
}

static enum wg_rc suspend_apply(struct wg_act *a, struct wg_err *err)
{
    (void)err;
    snprintf(a->f.before_suspend, sizeof a->f.before_suspend, "%s", a->o.row.state);
    return WG_OK;
}

static enum wg_rc resume_apply(struct wg_act *a, struct wg_err *err)
{
    (void)err;
    a->f.before_suspend[0] = '\0';
    return WG_OK;
}

static enum wg_rc self_handle_apply(struct wg_act *a, struct wg_err *err)
{
    (void)err;
    snprintf(a->f.self_handler, sizeof a->f.self_handler, "%s", a->actor->username);
    return WG_OK;
}

static enum wg_rc answer_apply(struct wg_act *a, struct wg_err *err)
{
    (void)err;
    a->f.direct_answer = 1;
    return WG_OK;
}

static enum wg_rc extend_apply(struct wg_act *a, struct wg_err *err)
{
    (void)err;
    a->f.extension_pending = 1;
    return WG_OK;
}

static enum wg_rc reject_extension_apply(struct wg_act *a, struct wg_err *err)
{
    (void)err;
    a->f.extension_pending = 0;
    return WG_OK;
}

static enum wg_rc callback_apply(struct wg_act *a, struct wg_err *err)
{
    (void)err;
    if (a->ctx.reached)
        snprintf(a->f.satisfaction, sizeof a->f.satisfaction, "%s",
                 wg_fsm_satisfaction_name(a->ctx.satisfaction));
    return WG_OK;
}

static int count_all(const struct wg_order_child *c, void *ctx)
{
    (void)c;
    ++*(int *)ctx;
    return 0;
}

/* merge's 'into': another order the caller can see, still able to take duplicates. A
 * master never becomes a duplicate itself: its own duplicates would follow nobody. */
static enum wg_rc merge_apply(struct wg_act *a, struct wg_err *err)
{
    json_t *v = json_object_get(a->body, "into");
    long long id = a->o.row.id, into;
    struct wg_order m;
    struct wg_order_assist ma;
    enum wg_order_relation rel;
    int children = 0;
    enum wg_rc rc;
    if (!json_is_integer(v) || json_integer_value(v) == id || json_integer_value(v) < 1)
        return wg_err_set(err, WG_EINVAL, "merge needs 'into': the id of another order");
    into = (long long)json_integer_value(v);
    if ((rc = wg_order_load(a->db, into, &m, err)) == WG_OK) {
        rc = wg_order_relate(a->db, a->actor, &m.row, &ma, &rel, err);
        if (!rc && !wg_fsm_can_merge_into(m.state))
            rc = wg_err_set(err, WG_EINVAL,
                            "order %lld is %s: duplicates are merged into an order still being "
                            "handled",
                            into, m.row.state);
        wg_order_unload(&m);
    }
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL, "merge 'into': order %lld does not exist", into);
    if (rc)
        return rc;
    if ((rc = wg_store_order_children_callback(a->db, id, count_all, &children, err)))
        return rc;
    if (children)
        return wg_err_set(err, WG_ECONFLICT,
                          "order %lld has %d order%s merged into it; a master is not merged "
                          "into another order",
                          id, children, children == 1 ? "" : "s");
    a->f.master_id = into;
    return WG_OK;
}

long long wg_order_contact_time(const char *s)
{
    long long t = wg_civil_time_of_iso(s);
    const char *p = s && t >= 0 ? s + 19 : NULL;
    if (!p)
        return -1;
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            ;
    if (!strcmp(p, "Z"))
        return t;
    if (!strcmp(p, "+08:00"))
        return t - 8 * 3600;
    return -1;
}

/* contact: reached or not, by what means, when (now by default: never ahead of now, never
 * before the dispatch it answers), and a note. The first contact after a dispatch is kept on
 * the order; every one is on the timeline. */
static enum wg_rc contact_apply(struct wg_act *a, struct wg_err *err)
{
    json_t *reached = json_object_get(a->body, "reached"), *at = json_object_get(a->body, "at");
    const char *means = json_string_value(json_object_get(a->body, "means"));
    long long when = a->now;
    if (!json_is_boolean(reached))
        return wg_err_set(err, WG_EINVAL, "contact needs 'reached': true or false");
    if (!means || !wg_order_value_in(wg_order_contact_means, means))
        return wg_err_set(err, WG_EINVAL, "contact needs 'means': phone, visit, sms or other");
    if (at && (when = wg_order_contact_time(json_string_value(at))) < 0)
        return wg_err_set(err, WG_EINVAL,
                          "contact 'at' must be an ISO 8601 time in UTC (2026-03-02T06:30:00Z) "
                          "or China time (2026-03-02T14:30:00+08:00)");
    if (when > a->now)
        return wg_err_set(err, WG_EINVAL,
                          "contact 'at' %s is later than now: record a contact "
                          "once it has happened",
                          json_string_value(at));
    if (when < a->f.dispatched_at)
        return wg_err_set(err, WG_EINVAL, "contact 'at' %s is before order %lld was dispatched",
                          json_string_value(at), a->o.row.id);
    if (!a->f.contacted_at) {
        a->f.contacted_at = when;
        a->f.contact_reached = json_is_true(reached);
        snprintf(a->f.contact_means, sizeof a->f.contact_means, "%s", means);
    }
    return WG_OK;
}

/* The joint conference and the court's line open a dispute case of the order (诉调对接,
 * domain/disputes/dispute.h), its reporter the applicant, in the step's transaction: the case
 * answers on the order when it ends. */
static enum wg_rc open_case(struct wg_act *a, struct wg_err *err)
{
    const struct wg_order_row *o = &a->o.row;
    char *name = NULL, *phone = NULL;
    long long id = 0;
    enum wg_rc rc = WG_OK;
    for (const char *const *k = (const char *const[]){"dispute_type", "risk", NULL}; *k; k++) {
        json_t *v = json_object_get(a->body, *k);
        if (v && !json_is_string(v))
            return wg_err_set(err, WG_EINVAL, "'%s' is text", *k);
    }
    if (!o->anonymous && o->reporter_name && *o->reporter_name)
        rc = wg_pii_decrypt(a->env->keys, o->reporter_name, "order.reporter_name", &name, err);
    if (!rc && !o->anonymous && o->reporter_phone && *o->reporter_phone)
        rc = wg_pii_decrypt(a->env->keys, o->reporter_phone, "order.reporter_phone", &phone, err);
    struct wg_case_order co = {o->id,
                               o->grid,
                               o->title,
                               o->content,
                               o->urgency,
                               name,
                               phone,
                               json_string_value(json_object_get(a->body, "dispute_type")),
                               json_string_value(json_object_get(a->body, "risk"))};
    struct wg_case_env env = {a->env->keys, a->env->calendar, NULL};
    struct wg_case_by by = {a->actor->username, a->actor->role, &a->actor->scope,
                            wg_case_level_of(a->actor->role, &a->actor->scope)};
    if (!rc)
        rc = wg_case_from_order(a->db, &env, &co, &by, a->now, &id, err);
    wg_pii_wipe(name), wg_pii_wipe(phone);
    return rc;
}

static enum wg_rc route_line_apply(struct wg_act *a, struct wg_err *err)
{
    const char *line = json_string_value(json_object_get(a->body, "line"));
    int added = 0;
    enum wg_rc rc;
    if (!line || !wg_order_value_in(wg_order_lines, line))
        return wg_err_set(err, WG_EINVAL,
                          "route_line needs 'line': special_team, judicial, "
                          "joint_conference or assistance");
    if ((rc = wg_store_order_line_add(a->db, a->o.row.id, line, a->at, a->actor->username, &added,
                                      err)))
        return rc;
    if (!added)
        return wg_err_set(err, WG_ECONFLICT, "order %lld is already on the %s line", a->o.row.id,
                          line);
    if (strcmp(line, "joint_conference") && strcmp(line, "judicial"))
        return WG_OK;
    return open_case(a, err);
}

/* ---- after the order row: the rating ---- */

static enum wg_rc rate_after(struct wg_act *a, struct wg_err *err)
{
    struct wg_rating_row r;
    const char *comment = json_string_value(json_object_get(a->body, "comment"));
    memset(&r, 0, sizeof r);
    snprintf(r.satisfaction, sizeof r.satisfaction, "%s",
             wg_fsm_satisfaction_name(a->ctx.satisfaction));
    r.resolved = json_is_true(json_object_get(a->body, "resolved"));
    snprintf(r.comment, sizeof r.comment, "%s", comment ? comment : "");
    snprintf(r.rated_at, sizeof r.rated_at, "%s", a->at);
    return wg_store_rating_insert(a->db, a->o.row.id, &r, err);
}

/* ---- the body each action takes: what its rule reads, and a note, kept on the timeline ---- */

#define FIELDS(...) ((const char *const[]){__VA_ARGS__, NULL})
static const char *const *const action_fields[WG_ACTION_COUNT] = {
    [WG_ACTION_DISPATCH] = FIELDS("unit", "assisting", "note"),
    [WG_ACTION_SIGN] = FIELDS("note"),
    [WG_ACTION_RETURN] = FIELDS("reason", "note"),
    [WG_ACTION_APPROVE_RETURN] = FIELDS("note"),
    [WG_ACTION_REJECT_RETURN] = FIELDS("reason", "note"),
    [WG_ACTION_EXTEND] = FIELDS("days", "reason", "note"),
    [WG_ACTION_APPROVE_EXTENSION] = FIELDS("days", "note"),
    [WG_ACTION_REJECT_EXTENSION] = FIELDS("reason", "note"),
    [WG_ACTION_SUSPEND] = FIELDS("reason", "note"),
    [WG_ACTION_RESUME] = FIELDS("note"),
    [WG_ACTION_ANSWER] = FIELDS("answer", "note"),
    [WG_ACTION_SELF_HANDLE] = FIELDS("result", "note"),
    [WG_ACTION_REPLY] = FIELDS("result", "note"),
    [WG_ACTION_VERIFY] = FIELDS("passed", "note"),
    /* thing_state: the state the closing callback leaves the order's thing in (thing.h) */
    [WG_ACTION_CALLBACK] = FIELDS("reached", "satisfaction", "resolved", "note", "thing_state"),
    [WG_ACTION_REOPEN] = FIELDS("reason", "note"),
    [WG_ACTION_MERGE] = FIELDS("into", "note"),
    [WG_ACTION_INVALIDATE] = FIELDS("reason", "note"),
    [WG_ACTION_SUPERVISE] = FIELDS("level", "reason", "note"),
    [WG_ACTION_URGE] = FIELDS("note"),
    [WG_ACTION_INSTRUCT] = FIELDS("instruction", "note"),
    [WG_ACTION_NOTE] = FIELDS("note"),
    [WG_ACTION_ROUTE_LINE] = FIELDS("line", "note", "dispute_type", "risk"),
    [WG_ACTION_RATE] = FIELDS("satisfaction", "resolved", "comment"),
    [WG_ACTION_CONTACT] = FIELDS("reached", "means", "at", "note"),
};
#undef FIELDS

const char *const *wg_order_action_fields(enum wg_order_action a)
{
    WG_ASSERT((unsigned)a < WG_ACTION_COUNT && action_fields[a]);
    return action_fields[a];
}

const struct wg_act_rule wg_act_rules[WG_ACTION_COUNT] = {
    [WG_ACTION_DISPATCH] = {NULL, dispatch_apply, NULL},
    [WG_ACTION_APPROVE_RETURN] = {NULL, approve_return_apply, NULL},
    [WG_ACTION_EXTEND] = {NULL, extend_apply, NULL},
    [WG_ACTION_APPROVE_EXTENSION] = {NULL, approve_extension_apply, NULL},
    [WG_ACTION_REJECT_EXTENSION] = {NULL, reject_extension_apply, NULL},
    [WG_ACTION_SUSPEND] = {NULL, suspend_apply, NULL},
    [WG_ACTION_RESUME] = {NULL, resume_apply, NULL},
    [WG_ACTION_ANSWER] = {NULL, answer_apply, NULL},
    [WG_ACTION_SELF_HANDLE] = {NULL, self_handle_apply, NULL},
    [WG_ACTION_VERIFY] = {verify_before, NULL, NULL},
    [WG_ACTION_CALLBACK] = {callback_before, callback_apply, NULL},
    [WG_ACTION_MERGE] = {NULL, merge_apply, NULL},
    [WG_ACTION_ROUTE_LINE] = {NULL, route_line_apply, NULL},
    [WG_ACTION_RATE] = {rate_before, NULL, rate_after},
    [WG_ACTION_CONTACT] = {NULL, contact_apply, NULL},
};
