/* Actions on an order (POST /api/v1/orders/{id}/actions/{name}): the state machine's step,
 * each action's own part (order_actions.c), the facts, timeline, counters and notifications
 * written in the caller's transaction; and the sweep that supervises red orders. */
#include "domain/orders/order_act.h"
#include "domain/orders/order_replay.h"

#include <pthread.h>
#include <stdatomic.h>

#include "core/alloc.h"
#include "core/assert.h"
#include "core/civil.h"
#include "core/clock.h"
#include "domain/notify/notify.h"
#include "domain/registry/thing.h"
#include "domain/stats/stats.h"
#include "store/orders/orders_q.h"

void wg_order_past_init(struct wg_order_past *x)
{
    memset(x, 0, sizeof *x);
    x->p.finished_unit = x->finished_unit;
}

void wg_order_past_step(struct wg_order_past *x, const struct wg_order_event_row *e)
{
    const char *a = e->action;
    if (!strcmp(a, "dispatch")) {
        json_t *d = e->detail && e->detail[0] ? json_loads(e->detail, 0, NULL) : NULL;
        const char *u = json_string_value(json_object_get(d, "unit"));
        snprintf(x->unit, sizeof x->unit, "%s", u ? u : "");
        json_decref(d);
        x->p.signed_since = x->p.returned_since = 0;
    } else if (!strcmp(a, "approve_return")) {
        x->unit[0] = '\0';
    } else if (!strcmp(a, "sign") && !strcmp(e->from_state, "dispatched") &&
               !strcmp(e->to_state, "signed")) {
        x->p.signed_since = 1;
    } else if (!strcmp(a, "return") && !strcmp(e->to_state, "returning")) {
        x->p.returned_since = 1;
    } else if (!strcmp(a, "answer")) {
        x->p.answered = 1;
    }
    if (!x->p.finished_at && e->to_state && !strcmp(e->to_state, "replied") &&
        (!e->from_state || strcmp(e->from_state, "replied"))) {
        x->p.finished_at = wg_civil_time_of_iso(e->at);
        snprintf(x->finished_unit, sizeof x->finished_unit, "%s", x->unit);
    }
}

static int past_event(const struct wg_order_event_row *e, void *ctx)
{
    wg_order_past_step(ctx, e);
    return 0;
}

/* Reads the past for the actions whose counts lie in an earlier cohort; before the action's
 * own event is written. */
static enum wg_rc read_past(const struct wg_act *a, struct wg_order_past *x, struct wg_err *err)
{
    wg_order_past_init(x);
    switch (a->action) {
    case WG_ACTION_SIGN:
    case WG_ACTION_RETURN:
    case WG_ACTION_ANSWER:
    case WG_ACTION_VERIFY:
    case WG_ACTION_CALLBACK:
    case WG_ACTION_RATE:
    case WG_ACTION_REOPEN:
        return wg_store_order_events(a->db, a->o.row.id, past_event, x, err);
    default:
        return WG_OK;
    }
}

long long wg_order_handling_minutes(const struct wg_order_env *env, long long dispatched_at,
                                    long long now)
{
    long long m;
    if (now <= dispatched_at)
        return 0;
    m = env->calendar ? wg_calendar_working_minutes_between(env->calendar, dispatched_at, now) : -1;
    return m < 0 ? (now - dispatched_at) / 60 : m; /* no calendar, or a year without a table */
}

/* The indicators' counters for one action (domain/stats/stats.h), in the action's transaction. */
static enum wg_rc count_change(const struct wg_act *a, const struct wg_order_facts *f0,
                               const struct wg_fsm_result *res, const struct wg_order_past *past,
                               struct wg_err *err)
{
    const struct wg_order_row *o = &a->o.row;
    const struct wg_order_facts *f1 = &a->f;
    json_t *resolved = json_object_get(a->body, "resolved");
    long long minutes = 0;
    if (res->next == WG_STATE_REPLIED && f0->dispatched_at)
        minutes = wg_order_handling_minutes(a->env, f0->dispatched_at, a->now);
    struct wg_stats_change ch = {
        .leaf = o->grid[0] ? o->grid : o->county,
        .item = o->item,
        .channel = o->channel,
        .created_day = wg_cst_day_of_iso(o->created_at),
        .action = a->action,
        .before = {a->o.state, o->unit, f0->sign_deadline, f0->reply_deadline, f0->dispatched_at,
                   f0->rework_count, f0->reopened, f0->satisfaction, f0->contact_deadline,
                   f0->contacted_at},
        .after = {res->next, a->unit, f1->sign_deadline, f1->reply_deadline, f1->dispatched_at,
                  f1->rework_count, f1->reopened, f1->satisfaction, f1->contact_deadline,
                  f1->contacted_at},
        /* the resident's rating counts as a reached callback where it stood as one */
        .reached = (a->action == WG_ACTION_CALLBACK && a->ctx.reached) ||
                   (a->action == WG_ACTION_RATE && (res->effects & WG_FSM_CALLED_BACK)),
        .satisfaction = a->ctx.satisfaction,
        .resolved = json_is_boolean(resolved) ? json_is_true(resolved) : -1,
        .effects = res->effects,
        .at = a->now,
        .handling_minutes = minutes,
        .past = past->p,
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
    struct wg_order_past past;
    enum wg_rc rc;
    if ((rc = read_past(a, &past, err)))
        return rc;
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
    if (rc || (rc = count_change(a, f0, res, &past, err)) ||
        (rule->after && (rc = rule->after(a, err))))
        return rc;
    /* a thing (部件) the order was about is mended when it closes, or left as the closing
     * callback's thing_state says (domain/registry/thing.h) */
    int closes = res->next == WG_STATE_CLOSED && a->o.state != WG_STATE_CLOSED;
    json_t *thing_state = a->body ? json_object_get(a->body, "thing_state") : NULL;
    if ((closes || thing_state) &&
        (rc = wg_thing_order_closed(a->db, id, closes, thing_state, a->actor->username,
                                    wg_role_name(a->actor->role), a->now, err)))
        return rc;
    if (a->action == WG_ACTION_SUPERVISE) {
        char level[72];
        wg_order_supervision_level(a->body, level, sizeof level);
        if ((rc = wg_store_order_supervision(a->db, id, level, a->at, err)))
            return rc;
    }
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

/* ---- the sweep: red orders supervised through the group committer ---- */

#define SWEEP_ROUND  256 /* overdue orders read at a time */
#define SWEEP_WINDOW 4   /* their supervisions in the committer at once */

/* One order's supervision, its mark and its notice: one job of the committer, so all three
 * are kept or none is, whatever batch it joins. */
struct red_job {
    struct sweep *s;
    long long id;
    int version;
    struct wg_err err;
};

struct sweep {
    struct wg_committer *c;
    const struct wg_order_env *env;
    const atomic_int *stop;
    struct wg_actor sys;
    json_t *body;
    long long now;
    pthread_mutex_t mu; /* the counts below, from the committer's thread */
    pthread_cond_t cv;
    int in_flight, supervised;
    enum wg_rc rc; /* the first failure that is not a change come first */
    struct wg_err err;
    struct red_job jobs[SWEEP_ROUND];
    int n;
};

static enum wg_rc red_tx(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct red_job *j = ctx;
    struct sweep *s = j->s;
    int queued = 0;
    enum wg_rc rc = wg_order_act_in(db, s->env, &s->sys, j->id, WG_ACTION_SUPERVISE, s->body,
                                    j->version, s->now, err);
    if (rc || (rc = wg_store_order_mark_supervised(db, j->id, err)))
        return rc;
    return wg_notify_red(db, j->id, s->now, &queued, err);
}

/* On the committer's thread: the job's batch is durable, or the job failed. */
static void red_done(void *arg, enum wg_rc rc)
{
    struct red_job *j = arg;
    struct sweep *s = j->s;
    pthread_mutex_lock(&s->mu);
    s->in_flight--;
    if (!rc)
        s->supervised++;
    /* changed meanwhile (another server's sweep, or its unit's reply): the next sweep sees */
    else if (rc != WG_EPRECOND && rc != WG_ECONFLICT && !s->rc) {
        s->rc = rc;
        s->err = j->err;
    }
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

static int take_due(long long id, int version, void *ctx)
{
    struct sweep *s = ctx;
    s->jobs[s->n] = (struct red_job){s, id, version, {0}};
    return ++s->n == SWEEP_ROUND;
}

/* Hands the round's jobs to the committer, at most SWEEP_WINDOW at a time: a batch never
 * holds more of the sweep's than that, so intake beside it waits no longer than usual. */
static void sweep_round(struct sweep *s)
{
    pthread_mutex_lock(&s->mu);
    for (int i = 0; i < s->n && !s->rc && !(s->stop && atomic_load(s->stop)); i++) {
        struct red_job *j = &s->jobs[i];
        enum wg_rc rc;
        while (s->in_flight >= SWEEP_WINDOW)
            pthread_cond_wait(&s->cv, &s->mu);
        s->in_flight++;
        pthread_mutex_unlock(&s->mu);
        rc = wg_committer_submit(s->c, red_tx, j, &j->err, red_done, j);
        pthread_mutex_lock(&s->mu);
        if (rc) { /* not queued: the committer stops */
            s->in_flight--;
            s->rc = rc;
            s->err = j->err;
        }
    }
    while (s->in_flight > 0)
        pthread_cond_wait(&s->cv, &s->mu);
    pthread_mutex_unlock(&s->mu);
}

enum wg_rc wg_order_sweep_red(struct wg_db *db, struct wg_committer *c,
                              const struct wg_order_env *env, long long now, const atomic_int *stop,
                              int *count, struct wg_err *err)
{
    struct sweep *s = wg_calloc(1, sizeof *s);
    enum wg_rc rc = WG_OK;
    s->c = c;
    s->env = env;
    s->stop = stop;
    s->now = now;
    snprintf(s->sys.username, sizeof s->sys.username, "system");
    s->sys.role = WG_ROLE_SUPERVISOR;
    snprintf(s->sys.scope.kind, sizeof s->sys.scope.kind, "region");
    s->body = json_pack("{s:s,s:b,s:s}", "level", "red", "automatic", 1, "reason",
                        "past the reply deadline");
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    /* every overdue order once, in id order: one that failed is not read again this time */
    for (long long after = 0; !rc && !s->rc;) {
        s->n = 0;
        if ((rc = wg_store_order_overdue(db, now, after, SWEEP_ROUND, take_due, s, err)) || !s->n)
            break;
        after = s->jobs[s->n - 1].id;
        sweep_round(s);
        if (s->n < SWEEP_ROUND || (stop && atomic_load(stop)))
            break;
    }
    if (!rc && s->rc) {
        *err = s->err;
        rc = s->rc;
    }
    *count = s->supervised;
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    json_decref(s->body);
    free(s);
    return rc;
}
