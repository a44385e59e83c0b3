/* Actions on an order (POST /api/v1/orders/{id}/actions/{name}): the state machine's step,
 * each action's own part (order_actions.c), the facts, timeline, counters and notifications
 * written in the caller's transaction; and the sweep that supervises red orders. */
#include "domain/orders/order_act.h"

#include "core/assert.h"
#include "core/civil.h"
#include "core/clock.h"
#include "domain/notify/notify.h"
#include "domain/stats/stats.h"
#include "store/orders/orders_q.h"

/* The indicators' counters for one action (domain/stats/stats.h), in the action's transaction. */
static enum wg_rc count_change(const struct wg_act *a, const struct wg_order_facts *f0,
                               const struct wg_fsm_result *res, struct wg_err *err)
{
    const struct wg_order_row *o = &a->o.row;
    const struct wg_order_facts *f1 = &a->f;
    json_t *resolved = json_object_get(a->body, "resolved");
    long long minutes = 0;
    if (res->next == WG_STATE_REPLIED && f0->dispatched_at && a->now > f0->dispatched_at) {
        minutes = a->env->calendar ? wg_calendar_working_minutes_between(a->env->calendar,
                                                                         f0->dispatched_at, a->now)
                                   : -1;
        if (minutes < 0) /* no calendar, or a year it has no table for */
            minutes = (a->now - f0->dispatched_at) / 60;
    }
    struct wg_stats_change ch = {
        .leaf = o->grid[0] ? o->grid : o->county,
        .item = o->item,
        .channel = o->channel,
        .created_day = wg_cst_day_of_iso(o->created_at),
        .action = a->action,
        .before = {a->o.state, o->unit, f0->sign_deadline, f0->reply_deadline, f0->dispatched_at,
                   f0->rework_count, f0->reopened, f0->satisfaction},
        .after = {res->next, a->unit, f1->sign_deadline, f1->reply_deadline, f1->dispatched_at,
                  f1->rework_count, f1->reopened, f1->satisfaction},
        /* the resident's rating counts as a reached callback where it stood as one */
        .reached = (a->action == WG_ACTION_CALLBACK && a->ctx.reached) ||
                   (a->action == WG_ACTION_RATE && (res->effects & WG_FSM_CALLED_BACK)),
        .satisfaction = a->ctx.satisfaction,
        .resolved = json_is_boolean(resolved) ? json_is_true(resolved) : -1,
        .effects = res->effects,
        .at = a->now,
        .handling_minutes = minutes,
    };
    return wg_stats_apply(a->db, &ch, err);
}

/* Reads the order, the caller's relation to it and its facts, and checks the version the
 * caller read (If-Match). */
static enum wg_rc load(struct wg_act *a, long long id, int version, struct wg_err *err)
{
    enum wg_rc rc = wg_order_load(a->db, id, &a->o, err);
    if (rc)
        return rc;
    if ((rc = wg_order_relate(a->db, a->actor, &a->o.row, &a->assist, &a->rel, err)) ||
        (rc = wg_store_order_facts(a->db, id, &a->f, err)))
        return rc;
    if (a->o.row.version != version)
        return wg_err_set(err, WG_EPRECOND,
                          "order %lld is at version %d, not %d: it changed "
                          "since you read it; read it again",
                          id, a->o.row.version, version);
    return WG_OK;
}

/* The step's effects on the facts, beside what the action itself changed. */
static enum wg_rc apply_effects(struct wg_act *a, const struct wg_fsm_result *res,
                                struct wg_err *err)
{
    struct wg_order_facts *f = &a->f;
    /* an assisting unit's signature and reply are its part: recorded, the state is the lead's */
    if (a->rel == WG_REL_ASSISTING &&
        (a->action == WG_ACTION_SIGN || a->action == WG_ACTION_REPLY)) {
        enum wg_rc rc = wg_store_order_assist_mark(a->db, a->o.row.id, a->actor->scope.code,
                                                   a->action == WG_ACTION_REPLY, a->at, err);
        if (rc)
            return rc;
    }
    if (res->effects & WG_FSM_REWORK)
        f->rework_count++;
    if (res->effects & WG_FSM_REOPENED)
        f->reopened = 1;
    if (res->effects & WG_FSM_SPECIAL_TEAM) {
        f->special_team = 1; /* and on the special team's line, as route_line would put it */
        enum wg_rc rc = wg_store_order_line_add(a->db, a->o.row.id, "special_team", a->at,
                                                a->actor->username, NULL, err);
        if (rc)
            return rc;
    }
    if (res->effects & WG_FSM_ATTEMPT)
        f->callback_attempts++;
    if (res->effects & WG_FSM_UNREACHED)
        f->unreached = 1;
    if (res->effects & WG_FSM_CALLED_BACK)
        snprintf(f->satisfaction, sizeof f->satisfaction, "%s",
                 wg_fsm_satisfaction_name(a->ctx.satisfaction));
    return WG_OK;
}

/* Writes the step: the order row (if still at version), the assisting units, the timeline
 * event, the counters, the action's own rows and the notifications. */
static enum wg_rc write(struct wg_act *a, int version, const struct wg_order_facts *f0,
                        const struct wg_fsm_result *res, struct wg_err *err)
{
    const struct wg_act_rule *rule = &wg_act_rules[a->action];
    const char *next = wg_fsm_state_name(res->next), *name = wg_fsm_action_name(a->action);
    long long id = a->o.row.id;
    char *detail = NULL;
    int changed = 0;
    enum wg_rc rc;
    if ((rc =
             wg_store_order_update(a->db, id, version, next, a->unit, &a->f, a->at, &changed, err)))
        return rc;
    if (!changed)
        return wg_err_set(err, WG_EPRECOND, "order %lld changed since you read it; read it again",
                          id);
    if (a->set_assist && (rc = wg_store_order_assist_set(a->db, id, a->assisting, a->nassist, err)))
        return rc;
    if (a->body && json_object_size(a->body))
        detail = json_dumps(a->body, JSON_COMPACT | JSON_SORT_KEYS);
    struct wg_order_event_row ev = {
        0,    a->at, a->actor->username, wg_role_name(a->actor->role), name, a->o.row.state,
        next, detail};
    rc = wg_store_order_event(a->db, id, &ev, err);
    free(detail);
    if (rc || (rc = count_change(a, f0, res, err)) || (rule->after && (rc = rule->after(a, err))))
        return rc;
    if ((rc = wg_notify_order_action(a->db, name, &a->o.row, a->unit, next, &a->f, a->actor,
                                     a->body, a->now, err)))
        return rc;
    if (a->action == WG_ACTION_DISPATCH)
        rc = wg_notify_order_assist(a->db, &a->o.row, a->unit, &a->f, a->assisting, a->nassist,
                                    a->actor, a->body, a->now, err);
    return rc;
}

enum wg_rc wg_order_act_in(struct wg_db *db, const struct wg_order_env *env,
                           const struct wg_actor *actor, long long id, enum wg_order_action action,
                           const json_t *body, int version, long long now, struct wg_err *err)
{
    struct wg_act a = {.db = db, .env = env, .actor = actor, .body = body, .now = now};
    const struct wg_act_rule *rule;
    struct wg_fsm_result res;
    enum wg_rc rc;
    if (body && !json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the action's body must be a JSON object");
    WG_ASSERT((unsigned)action < WG_ACTION_COUNT);
    a.action = action;
    rule = &wg_act_rules[a.action];
    if ((rc = load(&a, id, version, err)))
        goto out;
    const struct wg_order_facts f0 = a.f; /* as it was, for the indicators' counters */
    wg_order_fsm_ctx(&a.f, &a.o, actor, a.rel, &a.ctx);
    if ((rc = wg_order_merge_ctx(db, &a.o, &a.f, &a.ctx, err)) ||
        (rule->before && (rc = rule->before(&a, err))) ||
        (rc = wg_fsm_step(a.o.state, a.action, actor->role, &a.ctx, &res, err)))
        goto out;
    snprintf(a.unit, sizeof a.unit, "%s", a.o.row.unit);
    wg_clock_iso(now, a.at);
    if ((rule->apply && (rc = rule->apply(&a, err))) || (rc = apply_effects(&a, &res, err)))
        goto out;
    rc = write(&a, version, &f0, &res, err);
out:
    wg_order_unload(&a.o);
    return rc;
}

enum wg_rc wg_order_act(struct wg_db *db, const struct wg_order_env *env,
                        const struct wg_actor *actor, long long id, enum wg_order_action action,
                        const json_t *body, int version, long long now, json_t **out,
                        struct wg_err *err)
{
    enum wg_rc rc = wg_db_begin(db, err);
    if (rc)
        return rc;
    if ((rc = wg_order_act_in(db, env, actor, id, action, body, version, now, err)) ||
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
    sys.role = WG_ROLE_SUPERVISOR;
    snprintf(sys.scope.kind, sizeof sys.scope.kind, "region");
    if ((rc = wg_store_order_overdue(db, now, 256, take_due, &d, err)))
        return rc;
    /* each order's supervision, its mark and its notice in one transaction: another server
     * sweeping at the same moment finds it changed (or marked) and leaves it */
    for (int i = 0; i < d.n; i++) {
        json_t *body = json_pack("{s:s,s:b,s:s}", "level", "red", "automatic", 1, "reason",
                                 "past the reply deadline");
        int queued = 0;
        if ((rc = wg_db_begin(db, err))) {
            json_decref(body);
            return rc;
        }
        if (!(rc = wg_order_act_in(db, env, &sys, d.id[i], WG_ACTION_SUPERVISE, body, d.version[i],
                                   now, err)) &&
            !(rc = wg_store_order_mark_supervised(db, d.id[i], err)) &&
            !(rc = wg_notify_red(db, d.id[i], now, &queued, err)))
            rc = wg_db_commit(db, err);
        json_decref(body);
        if (rc)
            wg_db_rollback(db);
        if (rc == WG_EPRECOND || rc == WG_ECONFLICT) { /* changed meanwhile: next sweep */
            wg_err_clear(err);
            continue;
        }
        if (rc)
            return rc;
        ++*count;
    }
    return WG_OK;
}
