/* One order at one moment (order_ctx.h): loading it, the caller's relation to it, the state
 * machine's facts and the light of its reply clock. */
#include "domain/orders/order_ctx.h"

#include "store/orders/orders_q.h"

enum wg_rc wg_order_load(struct wg_db *db, long long id, struct wg_order *out, struct wg_err *err)
{
    enum wg_rc rc = wg_store_order_get(db, id, &out->row, err);
    if (rc)
        return rc;
    if (wg_fsm_state_parse(out->row.state, &out->state, NULL)) {
        rc = wg_err_set(err, WG_EDB,
                        "order %lld is in state '%s', which this server does not "
                        "know",
                        id, out->row.state);
        wg_store_order_release(&out->row);
    }
    return rc;
}

void wg_order_unload(struct wg_order *o)
{
    wg_store_order_release(&o->row);
}

static int take_assist(const char *unit, const char *signed_at, const char *replied_at, void *ctx)
{
    struct wg_order_assist *a = ctx;
    if (a->n < WG_ORDER_ASSIST_MAX) {
        snprintf(a->unit[a->n], sizeof a->unit[0], "%s", unit);
        snprintf(a->signed_at[a->n], sizeof a->signed_at[0], "%s", signed_at);
        snprintf(a->replied_at[a->n], sizeof a->replied_at[0], "%s", replied_at);
        a->n++;
    }
    return 0;
}

static enum wg_order_relation relation_of(const struct wg_actor *actor,
                                          const struct wg_order_row *o,
                                          const struct wg_order_assist *a)
{
    if (!wg_scope_is_unit(&actor->scope))
        return wg_scope_covers(&actor->scope, o->grid[0] ? o->grid : o->county) ? WG_REL_REGION
                                                                                : WG_REL_NONE;
    if (o->unit[0] && !strcmp(o->unit, actor->scope.code))
        return WG_REL_LEAD;
    for (int i = 0; i < a->n; i++)
        if (!strcmp(a->unit[i], actor->scope.code))
            return WG_REL_ASSISTING;
    return WG_REL_NONE;
}

enum wg_rc wg_order_relate(struct wg_db *db, const struct wg_actor *actor,
                           const struct wg_order_row *o, struct wg_order_assist *a,
                           enum wg_order_relation *rel, struct wg_err *err)
{
    enum wg_rc rc;
    memset(a, 0, sizeof *a);
    if ((rc = wg_store_order_assist_each(db, o->id, take_assist, a, err)))
        return rc;
    *rel = relation_of(actor, o, a);
    if (*rel == WG_REL_NONE)
        return wg_err_set(err, WG_ENOTFOUND, "order %lld does not exist", o->id);
    return WG_OK;
}

enum wg_rc wg_order_visible(struct wg_db *db, const struct wg_actor *actor, long long id,
                            struct wg_err *err)
{
    struct wg_order_row o;
    struct wg_order_assist a;
    enum wg_order_relation rel;
    enum wg_rc rc = wg_store_order_get(db, id, &o, err);
    if (rc)
        return rc;
    rc = wg_order_relate(db, actor, &o, &a, &rel, err);
    wg_store_order_release(&o);
    return rc;
}

const char *wg_order_reveal_refusal(const struct wg_order_row *o, const struct wg_actor *actor,
                                    enum wg_rc *rc)
{
    *rc = WG_EFORBIDDEN;
    switch (actor->role) {
    case WG_ROLE_AGENT:
    case WG_ROLE_SUPERVISOR:
        break;
    case WG_ROLE_HANDLER:
        if (o->confidential)
            return "it is confidential (保密件): its reporter is never shown to units; the "
                   "centre calls the reporter";
        if (!o->unit[0])
            return "no unit holds it: a unit's handlers reveal the reporter of an order "
                   "dispatched to it";
        break;
    default:
        return "only agents, supervisors and the handlers of the unit holding it reveal its "
               "reporter";
    }
    *rc = WG_ECONFLICT;
    if (o->anonymous)
        return "it is anonymous: it keeps no reporter";
    if (!o->reporter_phone || !o->reporter_phone[0])
        return "its reporter left no phone";
    *rc = WG_OK;
    return NULL;
}

void wg_order_fsm_ctx(const struct wg_order_facts *f, const struct wg_order *o,
                      const struct wg_actor *actor, enum wg_order_relation rel,
                      struct wg_fsm_ctx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->assisting = rel == WG_REL_ASSISTING;
    ctx->extension_pending = f->extension_pending;
    ctx->direct_answer = f->direct_answer;
    ctx->self_handled = f->self_handler[0] != 0;
    ctx->actor_is_self_handler = !strcmp(f->self_handler, actor->username);
    ctx->reopened_before = f->reopened;
    ctx->no_reporter = o->row.anonymous;
    ctx->callback_attempts = f->callback_attempts;
    ctx->called_back = f->satisfaction[0] != 0 || f->unreached;
    /* the facts row keeps a state this binary wrote; an unknown one leaves nothing to resume */
    if (f->before_suspend[0])
        wg_fsm_state_parse(f->before_suspend, &ctx->before_suspend, NULL);
}

static int count_pending(const struct wg_order_child *c, void *ctx)
{
    struct wg_fsm_ctx *x = ctx;
    x->has_merged = 1;
    if (!c->anonymous && !c->satisfaction[0] && !c->unreached)
        x->merged_pending++;
    return 0;
}

enum wg_rc wg_order_merge_ctx(struct wg_db *db, const struct wg_order *o,
                              const struct wg_order_facts *f, struct wg_fsm_ctx *ctx,
                              struct wg_err *err)
{
    enum wg_rc rc;
    if (o->state == WG_STATE_MERGED && f->master_id) {
        struct wg_order m;
        if ((rc = wg_order_load(db, f->master_id, &m, err)))
            return rc;
        ctx->master_state = m.state;
        wg_order_unload(&m);
        return WG_OK;
    }
    return wg_store_order_children_callback(db, o->row.id, count_pending, ctx, err);
}

int wg_order_light(const struct wg_order_env *env, enum wg_order_state state, const char *urgency,
                   long long dispatched_at, long long deadline, long long now)
{
    if (!env->calendar || !deadline ||
        (state != WG_STATE_DISPATCHED && state != WG_STATE_SIGNED && state != WG_STATE_RETURNING))
        return -1;
    if (!strcmp(urgency, "urgent") || !strcmp(urgency, "critical"))
        return (int)wg_calendar_light_natural(dispatched_at, deadline, now);
    return (int)wg_calendar_light(env->calendar, dispatched_at, deadline, now);
}
