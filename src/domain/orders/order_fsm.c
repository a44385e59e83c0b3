/* The work-order state machine: one table of rules (action, states, roles, unit, result)
 * and the few outcome and guard functions for results that depend on the order or on the
 * action's fields. wg_fsm_check, wg_fsm_step and wg_fsm_allowed all read the same rows, so
 * the 409 list and allowed_actions can never disagree with what a step accepts. */
#include "domain/orders/order_fsm.h"

#include <stdio.h>
#include <string.h>

/* The SPEC §9 spellings, by value. */
static const char *const state_names[WG_STATE_COUNT] = {
    [WG_STATE_RECEIVED] = "received",   [WG_STATE_DISPATCHED] = "dispatched",
    [WG_STATE_SIGNED] = "signed",       [WG_STATE_REPLIED] = "replied",
    [WG_STATE_VERIFIED] = "verified",   [WG_STATE_CLOSED] = "closed",
    [WG_STATE_RETURNING] = "returning", [WG_STATE_SUSPENDED] = "suspended",
    [WG_STATE_MERGED] = "merged",       [WG_STATE_INVALID] = "invalid",
};

static const char *const action_names[WG_ACTION_COUNT] = {
    [WG_ACTION_DISPATCH] = "dispatch",
    [WG_ACTION_SIGN] = "sign",
    [WG_ACTION_RETURN] = "return",
    [WG_ACTION_APPROVE_RETURN] = "approve_return",
    [WG_ACTION_REJECT_RETURN] = "reject_return",
    [WG_ACTION_EXTEND] = "extend",
    [WG_ACTION_APPROVE_EXTENSION] = "approve_extension",
    [WG_ACTION_REJECT_EXTENSION] = "reject_extension",
    [WG_ACTION_SUSPEND] = "suspend",
    [WG_ACTION_RESUME] = "resume",
    [WG_ACTION_ANSWER] = "answer",
    [WG_ACTION_SELF_HANDLE] = "self_handle",
    [WG_ACTION_REPLY] = "reply",
    [WG_ACTION_VERIFY] = "verify",
    [WG_ACTION_CALLBACK] = "callback",
    [WG_ACTION_REOPEN] = "reopen",
    [WG_ACTION_MERGE] = "merge",
    [WG_ACTION_INVALIDATE] = "invalidate",
    [WG_ACTION_SUPERVISE] = "supervise",
    [WG_ACTION_URGE] = "urge",
    [WG_ACTION_INSTRUCT] = "instruct",
    [WG_ACTION_NOTE] = "note",
    [WG_ACTION_ROUTE_LINE] = "route_line",
    [WG_ACTION_RATE] = "rate",
    [WG_ACTION_CONTACT] = "contact",
};

static const char *const satisfaction_names[WG_SAT_COUNT] = {
    [WG_SAT_NONE] = "none",
    [WG_SAT_SATISFIED] = "satisfied",
    [WG_SAT_BASICALLY_SATISFIED] = "basically_satisfied",
    [WG_SAT_UNSATISFIED] = "unsatisfied",
};

#define S(x)       (1u << WG_STATE_##x)
#define R(x)       (1u << WG_ROLE_##x)
#define ALL_STATES ((1u << WG_STATE_COUNT) - 1)
/* Where work is still alive: merged orders follow their master and invalid ones are dead,
 * so instructions and special lines go elsewhere. */
#define LIVE (ALL_STATES & ~(S(MERGED) | S(INVALID)))
/* Before a reply exists: the states the centre may stop, merge or void. */
#define SUSPENDABLE (S(RECEIVED) | S(DISPATCHED) | S(SIGNED))
/* The 综治中心: agents take and dispatch, supervisors push; both run the centre's desk, so
 * either may take every centre decision (one of them is always on duty). */
#define CENTRE (R(AGENT) | R(SUPERVISOR))
/* Everyone who works on orders. The three administrators are not here: 等保 keeps system,
 * security and audit administration apart from the business, so sysadmin (accounts and
 * configuration), secadmin (keys) and auditor (reads the log) operate no order at all. */
#define OPERATORS (CENTRE | R(HANDLER) | R(GRIDWORKER) | R(COMMUNITY) | R(MEDIATOR) | R(LEADER))

enum unit { ANY, LEAD, ASSISTING }; /* which handlers a row is for (co-handling) */

enum { KEEP = -1, DEPENDS = -2 }; /* results that are not a fixed state */

typedef const char *guard_fn(enum wg_order_state from, const struct wg_fsm_ctx *c);
typedef enum wg_rc outcome_fn(enum wg_order_state from, const struct wg_fsm_ctx *c,
                              struct wg_fsm_result *r, struct wg_err *err);

struct rule {
    enum wg_order_action action;
    unsigned from;  /* states, one bit each */
    unsigned roles; /* roles, one bit each */
    enum unit unit;
    int to;              /* a state, KEEP (a recorded event) or DEPENDS (outcome decides) */
    guard_fn *guard;     /* NULL, or the reason the order's facts refuse the action now */
    outcome_fn *outcome; /* when to == DEPENDS */
};

/* Rework and reopen go back to whoever answered: to the lead unit (dispatched: it signs for
 * the rework as for new work); a direct answer or a self-handling had no unit, so the order
 * goes back to the centre (received) to be dispatched — or self-handled again. */
static enum wg_order_state back_to(const struct wg_fsm_ctx *c)
{
    return c->direct_answer || c->self_handled ? WG_STATE_RECEIVED : WG_STATE_DISPATCHED;
}

static const char *g_extend(enum wg_order_state from, const struct wg_fsm_ctx *c)
{
    (void)from;
    return c->extension_pending ? "an extension request is already pending" : NULL;
}

static const char *g_decide_extension(enum wg_order_state from, const struct wg_fsm_ctx *c)
{
    (void)from;
    return c->extension_pending ? NULL : "no extension request is pending";
}

static const char *g_resume(enum wg_order_state from, const struct wg_fsm_ctx *c)
{
    (void)from;
    if ((unsigned)c->before_suspend >= WG_STATE_COUNT || !(SUSPENDABLE & (1u << c->before_suspend)))
        return "the state before suspend is not one an order is suspended from";
    return NULL;
}

static const char *g_self_handle(enum wg_order_state from, const struct wg_fsm_ctx *c)
{
    (void)from;
    return c->self_handle_barred ? "the catalog item does not allow self-handling" : NULL;
}

static const char *g_verify(enum wg_order_state from, const struct wg_fsm_ctx *c)
{
    (void)from;
    if (c->direct_answer)
        return "a direct answer has nothing to check on site; it is called back";
    if (!wg_fsm_verifier_ok(c))
        return "a self-handled order is verified by someone other than its self-handler";
    return NULL;
}

static const char *g_callback(enum wg_order_state from, const struct wg_fsm_ctx *c)
{
    /* A unit's or a grid worker's work is checked before the resident is asked; a direct
     * answer has nothing to check, so it is called back straight from replied. */
    if (from == WG_STATE_REPLIED && !c->direct_answer)
        return "a reply is verified before the callback";
    /* Every reporter of a merged duplicate is asked too, once the master's work is done. */
    if (from == WG_STATE_MERGED && c->master_state != WG_STATE_VERIFIED &&
        c->master_state != WG_STATE_CLOSED)
        return "a merged order is called back once its master is verified";
    if (from == WG_STATE_MERGED && c->called_back)
        return "its reporter has been called back already";
    /* The master closes last: its duplicates' reporters are asked while it is still open. */
    if (from != WG_STATE_MERGED && c->merged_pending)
        return "the reporters of the orders merged into it are called back first";
    return NULL;
}

static const char *g_merge(enum wg_order_state from, const struct wg_fsm_ctx *c)
{
    (void)from;
    return c->has_merged ? "other orders are merged into it; a master is not merged into another"
                         : NULL;
}

static const char *g_reopen(enum wg_order_state from, const struct wg_fsm_ctx *c)
{
    (void)from;
    return c->reopened_before ? "the order has already been reopened once" : NULL;
}

static const char *g_rate(enum wg_order_state from, const struct wg_fsm_ctx *c)
{
    (void)from;
    return c->rated ? "the resident has already rated it" : NULL;
}

static const char *g_contact(enum wg_order_state from, const struct wg_fsm_ctx *c)
{
    (void)from;
    return c->no_reporter ? "an anonymous order has nobody to contact" : NULL;
}

static enum wg_rc o_resume(enum wg_order_state from, const struct wg_fsm_ctx *c,
                           struct wg_fsm_result *r, struct wg_err *err)
{
    (void)from, (void)err;
    r->next = c->before_suspend; /* g_resume has checked it */
    return WG_OK;
}

static enum wg_rc o_verify(enum wg_order_state from, const struct wg_fsm_ctx *c,
                           struct wg_fsm_result *r, struct wg_err *err)
{
    (void)from, (void)err;
    if (c->verify_passed) {
        r->next = WG_STATE_VERIFIED;
    } else {
        r->next = back_to(c);
        r->effects |= WG_FSM_REWORK;
    }
    return WG_OK;
}

static enum wg_rc o_callback(enum wg_order_state from, const struct wg_fsm_ctx *c,
                             struct wg_fsm_result *r, struct wg_err *err)
{
    if ((unsigned)c->satisfaction >= WG_SAT_COUNT)
        return wg_err_set(err, WG_EINVAL, "callback satisfaction %d is out of range",
                          (int)c->satisfaction);
    if (c->reached && c->satisfaction == WG_SAT_NONE)
        return wg_err_set(err, WG_EINVAL,
                          "a callback that reached the resident needs a "
                          "satisfaction: satisfied, basically_satisfied or "
                          "unsatisfied");
    if (!c->reached && c->satisfaction != WG_SAT_NONE)
        return wg_err_set(err, WG_EINVAL,
                          "a callback that did not reach the resident has no "
                          "satisfaction");
    if (c->reached && c->no_reporter)
        return wg_err_set(err, WG_EINVAL, "an anonymous order has nobody to call back");
    r->next = from;
    if (!c->reached) {
        r->effects |= WG_FSM_ATTEMPT;
        /* An anonymous order has nobody to try three times. A merged duplicate never moves:
         * its attempts are counted, its master closes. */
        if (c->no_reporter || c->callback_attempts + 1 >= WG_FSM_CALLBACK_ATTEMPTS) {
            if (from != WG_STATE_MERGED)
                r->next = WG_STATE_CLOSED;
            r->effects |= WG_FSM_UNREACHED;
        }
        return WG_OK;
    }
    if (from == WG_STATE_MERGED)
        return WG_OK; /* recorded for 满意率; the master's own callback decides any reopen */
    if (c->satisfaction != WG_SAT_UNSATISFIED) {
        r->next = WG_STATE_CLOSED;
    } else if (c->reopened_before) {
        r->next = WG_STATE_CLOSED; /* the second 不满意: the special team takes it from here */
        r->effects |= WG_FSM_SPECIAL_TEAM;
    } else {
        r->next = back_to(c); /* 重办, once */
        r->effects |= WG_FSM_REOPENED;
    }
    return WG_OK;
}

/* The resident's own rating (portal). Where the centre's callback could be taken now —
 * verified, or a direct answer at replied, and no merged duplicate's reporter still to be
 * asked — the rating is that callback, reached: it closes the order or reopens it once, as
 * o_callback does. Otherwise (before verification, while duplicates wait, after closing)
 * it is recorded beside the loop, and the centre sees it when it verifies or calls back. */
static enum wg_rc o_rate(enum wg_order_state from, const struct wg_fsm_ctx *c,
                         struct wg_fsm_result *r, struct wg_err *err)
{
    if (c->satisfaction <= WG_SAT_NONE || c->satisfaction >= WG_SAT_COUNT)
        return wg_err_set(err, WG_EINVAL,
                          "a rating needs a satisfaction: satisfied, "
                          "basically_satisfied or unsatisfied");
    r->next = from;
    if (from == WG_STATE_CLOSED || (from == WG_STATE_REPLIED && !c->direct_answer) ||
        c->merged_pending)
        return WG_OK;
    r->effects |= WG_FSM_CALLED_BACK;
    if (c->satisfaction != WG_SAT_UNSATISFIED) {
        r->next = WG_STATE_CLOSED;
    } else if (c->reopened_before) {
        r->next = WG_STATE_CLOSED;
        r->effects |= WG_FSM_SPECIAL_TEAM;
    } else {
        r->next = back_to(c);
        r->effects |= WG_FSM_REOPENED;
    }
    return WG_OK;
}

static enum wg_rc o_reopen(enum wg_order_state from, const struct wg_fsm_ctx *c,
                           struct wg_fsm_result *r, struct wg_err *err)
{
    (void)from, (void)err;
    r->next = back_to(c);
    r->effects |= WG_FSM_REOPENED;
    return WG_OK;
}

/* The contract. Rows of one action are tried in order; the first that fits the state, role
 * and unit decides. Change a role here and the 403/409 answers and allowed_actions follow. */
static const struct rule rules[] = {
    /* One exit (一口出): only the centre dispatches, and only a received order, so two agents
     * can never dispatch one order twice; a wrong unit goes through return (改派). */
    {WG_ACTION_DISPATCH, S(RECEIVED), CENTRE, ANY, WG_STATE_DISPATCHED, NULL, NULL},
    /* The lead unit's signature starts its reply clock. An assisting unit signs for its own
     * part: recorded, the order's state is the lead's. */
    {WG_ACTION_SIGN, S(DISPATCHED), R(HANDLER), LEAD, WG_STATE_SIGNED, NULL, NULL},
    {WG_ACTION_SIGN, S(DISPATCHED) | S(SIGNED), R(HANDLER), ASSISTING, KEEP, NULL, NULL},
    /* A lead unit may send back a wrongly sent order before or after signing (within its
     * 2-working-day limit); an assisting unit speaks to the lead, not for the order. */
    {WG_ACTION_RETURN, S(DISPATCHED) | S(SIGNED), R(HANDLER), LEAD, WG_STATE_RETURNING, NULL, NULL},
    /* Approved: the order goes back to the centre, unit cleared, for re-dispatch (改派). */
    {WG_ACTION_APPROVE_RETURN, S(RETURNING), CENTRE, ANY, WG_STATE_RECEIVED, NULL, NULL},
    /* Rejected: it is the unit's after all. Back to signed, not dispatched: a unit that asked
     * to return it has plainly received it, and sending it to dispatched would restart the
     * sign clock and count a second, late signature. */
    {WG_ACTION_REJECT_RETURN, S(RETURNING), CENTRE, ANY, WG_STATE_SIGNED, NULL, NULL},
    /* The lead unit asks for more time while handling; one request at a time. The centre
     * decides (at most 10 working days, SPEC §3); the deadline, not the state, changes. */
    {WG_ACTION_EXTEND, S(SIGNED), R(HANDLER), LEAD, KEEP, g_extend, NULL},
    {WG_ACTION_APPROVE_EXTENSION, S(SIGNED), CENTRE, ANY, KEEP, g_decide_extension, NULL},
    {WG_ACTION_REJECT_EXTENSION, S(SIGNED), CENTRE, ANY, KEEP, g_decide_extension, NULL},
    /* Suspending stops the clocks, so like an extension it is the centre's call; only before
     * a reply exists (after it, nothing waits on a unit). */
    {WG_ACTION_SUSPEND, SUSPENDABLE, CENTRE, ANY, WG_STATE_SUSPENDED, NULL, NULL},
    {WG_ACTION_RESUME, S(SUSPENDED), CENTRE, ANY, DEPENDS, g_resume, o_resume},
    /* A direct answer happens on the call, at the agent's seat; supervisors take no calls.
     * Not restricted to consultations here: an agent who settles a help request on the
     * line (a number to call) answers it too, and 直办率 counts it. */
    {WG_ACTION_ANSWER, S(RECEIVED), R(AGENT), ANY, WG_STATE_REPLIED, NULL, NULL},
    /* The grid worker who is there fixes it on the spot, when the catalog item allows. */
    {WG_ACTION_SELF_HANDLE, S(RECEIVED), R(GRIDWORKER), ANY, WG_STATE_REPLIED, g_self_handle, NULL},
    /* Co-handling: the order is replied when the lead unit replies; an assisting unit's
     * reply is its part of the answer, recorded (wg_fsm_reply_changes_state). */
    {WG_ACTION_REPLY, S(SIGNED), R(HANDLER), LEAD, WG_STATE_REPLIED, NULL, NULL},
    {WG_ACTION_REPLY, S(DISPATCHED) | S(SIGNED), R(HANDLER), ASSISTING, KEEP, NULL, NULL},
    /* The centre checks, or a grid worker on site (SPEC §3); failure is rework. */
    {WG_ACTION_VERIFY, S(REPLIED), CENTRE | R(GRIDWORKER), ANY, DEPENDS, g_verify, o_verify},
    /* The resident is called back by the centre; the outcome follows satisfaction. */
    {WG_ACTION_CALLBACK, S(REPLIED) | S(VERIFIED) | S(MERGED), CENTRE, ANY, DEPENDS, g_callback,
     o_callback},
    /* The centre may reopen a closed order once (the resident calls again, a spot check
     * fails); it shares the one reopen with the unsatisfied callback. */
    {WG_ACTION_REOPEN, S(CLOSED), CENTRE, ANY, DEPENDS, g_reopen, o_reopen},
    /* Duplicates are merged (并单) before anyone has replied to them; a master stays one,
     * or its own duplicates would follow an order that follows another. */
    {WG_ACTION_MERGE, SUSPENDABLE, CENTRE, ANY, WG_STATE_MERGED, g_merge, NULL},
    /* Voiding is for what was never an appeal; once replied, the work counts and stays. A
     * unit that finds a prank returns it, and the centre voids it from returning. */
    {WG_ACTION_INVALIDATE, SUSPENDABLE | S(RETURNING) | S(SUSPENDED), CENTRE, ANY, WG_STATE_INVALID,
     NULL, NULL},
    /* Supervision and urging push a unit that owes work: while dispatched or signed, the
     * states whose clocks turn yellow and red. */
    {WG_ACTION_SUPERVISE, S(DISPATCHED) | S(SIGNED), CENTRE, ANY, KEEP, NULL, NULL},
    {WG_ACTION_URGE, S(DISPATCHED) | S(SIGNED), CENTRE, ANY, KEEP, NULL, NULL},
    /* Leaders read (SPEC §8) and write one thing, the instruction (批示), on any live order —
     * on a closed one too: that is how a reopen starts. */
    {WG_ACTION_INSTRUCT, LIVE, R(LEADER), ANY, KEEP, NULL, NULL},
    /* A note (and its attachments) harms nothing: everyone on orders, in every state. */
    {WG_ACTION_NOTE, ALL_STATES, OPERATORS, ANY, KEEP, NULL, NULL},
    /* Special lines (专班, judicial, joint conference, assistance) run beside the order's own
     * loop, from the centre, at any point of a live order (a second 不满意 goes to the
     * special team after closing). */
    {WG_ACTION_ROUTE_LINE, LIVE, CENTRE, ANY, KEEP, NULL, NULL},
    /* The resident rates the result once, from the reply on (the public timeline shows the
     * reply): o_rate says when it stands as the callback. */
    {WG_ACTION_RATE, S(REPLIED) | S(VERIFIED) | S(CLOSED), R(RESIDENT), ANY, DEPENDS, g_rate,
     o_rate},
    /* The lead unit talks to the reporter (phone, visit, SMS) by the close of the next working
     * day after dispatch (第2天责任单位与群众协商), and as often after as it needs while it holds
     * the order: recorded; the first one after a dispatch is its response (响应率). An
     * assisting unit speaks to the lead; an anonymous order has nobody to contact. */
    {WG_ACTION_CONTACT, S(DISPATCHED) | S(SIGNED), R(HANDLER), LEAD, KEEP, g_contact, NULL},
};

#define NRULES (sizeof rules / sizeof rules[0])

static const struct wg_fsm_ctx zero_ctx;

static int unit_fits(enum unit u, const struct wg_fsm_ctx *c)
{
    return u == ANY || (u == LEAD) == !c->assisting;
}

/* The first row that lets role take action in state now; NULL when none. *why receives the
 * reason a row that fits the state and role refuses (its guard, or the unit). */
static const struct rule *find(enum wg_order_state state, enum wg_order_action action,
                               enum wg_role_id role, const struct wg_fsm_ctx *c, const char **why)
{
    for (size_t i = 0; i < NRULES; i++) {
        const struct rule *r = &rules[i];
        if (r->action != action || !(r->roles & (1u << role)) || !(r->from & (1u << state)))
            continue;
        if (!unit_fits(r->unit, c)) {
            if (why && !*why && r->unit == LEAD)
                *why = "only the lead unit may take it";
            continue;
        }
        const char *no = r->guard ? r->guard(state, c) : NULL;
        if (!no)
            return r;
        if (why && !*why)
            *why = no;
    }
    return NULL;
}

static int may_ever(enum wg_order_action action, enum wg_role_id role)
{
    for (size_t i = 0; i < NRULES; i++)
        if (rules[i].action == action && (rules[i].roles & (1u << role)))
            return 1;
    return 0;
}

size_t wg_fsm_allowed(enum wg_order_state state, enum wg_role_id role, const struct wg_fsm_ctx *ctx,
                      enum wg_order_action *out, size_t max)
{
    const struct wg_fsm_ctx *c = ctx ? ctx : &zero_ctx;
    size_t n = 0;
    if ((unsigned)state >= WG_STATE_COUNT || (unsigned)role >= WG_ROLE_COUNT)
        return 0;
    for (int a = 0; a < WG_ACTION_COUNT; a++) {
        if (!find(state, (enum wg_order_action)a, role, c, NULL))
            continue;
        if (out && n < max)
            out[n] = (enum wg_order_action)a;
        n++;
    }
    return n;
}

enum wg_rc wg_fsm_step(enum wg_order_state state, enum wg_order_action action, enum wg_role_id role,
                       const struct wg_fsm_ctx *ctx, struct wg_fsm_result *out, struct wg_err *err)
{
    const struct wg_fsm_ctx *c = ctx ? ctx : &zero_ctx;
    const char *why = NULL;
    if ((unsigned)state >= WG_STATE_COUNT)
        return wg_err_set(err, WG_EINVAL, "order state %d is out of range", (int)state);
    if ((unsigned)action >= WG_ACTION_COUNT)
        return wg_err_set(err, WG_EINVAL, "order action %d is out of range", (int)action);
    if ((unsigned)role >= WG_ROLE_COUNT)
        return wg_err_set(err, WG_EINVAL, "role %d is out of range", (int)role);
    if (!may_ever(action, role))
        return wg_err_set(err, WG_EFORBIDDEN, "the role '%s' may not take the action '%s'",
                          wg_role_name(role), action_names[action]);

    const struct rule *r = find(state, action, role, c, &why);
    if (!r) {
        enum wg_order_action list[WG_ACTION_COUNT];
        size_t n = wg_fsm_allowed(state, role, c, list, WG_ACTION_COUNT);
        char names[WG_ACTION_COUNT * 24] = "";
        size_t len = 0;
        for (size_t i = 0; i < n && len < sizeof names; i++)
            len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", i ? ", " : "",
                                    action_names[list[i]]);
        return wg_err_set(err, WG_ECONFLICT,
                          "the action '%s' is not allowed in state '%s'%s%s; allowed for %s: %s",
                          action_names[action], state_names[state], why ? ": " : "", why ? why : "",
                          wg_role_name(role), n ? names : "none");
    }

    struct wg_fsm_result res = {.next = state, .effects = 0};
    if (r->to == DEPENDS) {
        enum wg_rc rc = r->outcome(state, c, &res, err);
        if (rc != WG_OK)
            return rc;
    } else if (r->to != KEEP) {
        res.next = (enum wg_order_state)r->to;
    }
    if (out)
        *out = res;
    return WG_OK;
}

enum wg_rc wg_fsm_check(enum wg_order_state state, enum wg_order_action action,
                        enum wg_role_id role, const struct wg_fsm_ctx *ctx,
                        enum wg_order_state *next, struct wg_err *err)
{
    struct wg_fsm_result res;
    enum wg_rc rc = wg_fsm_step(state, action, role, ctx, &res, err);
    if (rc == WG_OK && next)
        *next = res.next;
    return rc;
}

int wg_fsm_verifier_ok(const struct wg_fsm_ctx *ctx)
{
    return !(ctx && ctx->self_handled && ctx->actor_is_self_handler);
}

int wg_fsm_reply_changes_state(const struct wg_fsm_ctx *ctx)
{
    return !(ctx && ctx->assisting);
}

int wg_fsm_can_merge_into(enum wg_order_state master)
{
    return (unsigned)master < WG_STATE_COUNT && master != WG_STATE_CLOSED &&
           master != WG_STATE_MERGED && master != WG_STATE_INVALID;
}

/* Names. */

static const char *name_of(const char *const *names, int count, int v)
{
    return v >= 0 && v < count ? names[v] : NULL;
}

static enum wg_rc parse(const char *const *names, int count, const char *what, const char *name,
                        int *out, struct wg_err *err)
{
    char list[512] = "";
    size_t len = 0;
    for (int i = 0; i < count; i++) {
        if (name && !strcmp(names[i], name)) {
            *out = i;
            return WG_OK;
        }
        if (len < sizeof list)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", names[i]);
    }
    return wg_err_set(err, WG_EINVAL, "unknown %s '%s'; one of %s", what, name ? name : "", list);
}

const char *wg_fsm_state_name(enum wg_order_state s)
{
    return name_of(state_names, WG_STATE_COUNT, (int)s);
}

const char *wg_fsm_action_name(enum wg_order_action a)
{
    return name_of(action_names, WG_ACTION_COUNT, (int)a);
}

const char *wg_fsm_satisfaction_name(enum wg_satisfaction s)
{
    return name_of(satisfaction_names, WG_SAT_COUNT, (int)s);
}

enum wg_rc wg_fsm_state_parse(const char *name, enum wg_order_state *out, struct wg_err *err)
{
    int v;
    enum wg_rc rc = parse(state_names, WG_STATE_COUNT, "order state", name, &v, err);
    if (rc == WG_OK)
        *out = (enum wg_order_state)v;
    return rc;
}

enum wg_rc wg_fsm_action_parse(const char *name, enum wg_order_action *out, struct wg_err *err)
{
    int v;
    enum wg_rc rc = parse(action_names, WG_ACTION_COUNT, "order action", name, &v, err);
    if (rc == WG_OK)
        *out = (enum wg_order_action)v;
    return rc;
}

/* "none" is the value for an unreached resident, not a name the API accepts. */
enum wg_rc wg_fsm_satisfaction_parse(const char *name, enum wg_satisfaction *out,
                                     struct wg_err *err)
{
    int v;
    enum wg_rc rc = parse(satisfaction_names + 1, WG_SAT_COUNT - 1, "satisfaction", name, &v, err);
    if (rc == WG_OK)
        *out = (enum wg_satisfaction)(v + 1);
    return rc;
}
