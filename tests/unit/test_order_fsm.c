/* The work-order state machine, against a second statement of the contract (t_fsm_table.h:
 * what each role may do in each state, written per role and state where the code's table is
 * written per action), swept over every (state, action, role) under many order facts, then
 * walks of the whole loop as the order module would drive it. */
#include "t.h"

#include <stdlib.h>

#include "domain/accounts/account.h"
#include "domain/orders/order_fsm.h"
#include "t_fsm_table.h"

/* The actions expected to be allowed, as the refusal message lists them ("none" if none). */
static void expected_list(int s, int r, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = 0;
    for (int a = 0; a < NA; a++)
        if (expect[s][a][r] >= 0 || expect[s][a][r] == X_INVALID)
            len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? ", " : "", ACTIONS[a]);
    if (!len)
        snprintf(out, cap, "none");
}

static void sweep(const struct variant *v)
{
    static int printed;
    struct wg_fsm_ctx c = base_ctx();
    load_base();
    for (size_t i = 0; i < sizeof v->delta / sizeof v->delta[0] && v->delta[i]; i++)
        put_delta(v->delta[i]);
    v->set(&c);
    for (int s = 0; s < NS; s++)
        for (int r = 0; r < NR; r++) {
            char want[512], tail[600];
            expected_list(s, r, want, sizeof want);
            snprintf(tail, sizeof tail, "; allowed for %s: %s", ROLES[r], want);

            enum wg_order_action got[NA + 1];
            size_t n = wg_fsm_allowed((enum wg_order_state)s, (enum wg_role_id)r, &c, got, NA);
            size_t nwant = 0;
            for (int a = 0; a < NA; a++)
                if (expect[s][a][r] >= 0 || expect[s][a][r] == X_INVALID)
                    T_EQ_STR(nwant < n ? wg_fsm_action_name(got[nwant++]) : "(missing)",
                             ACTIONS[a]);
            T_EQ_INT(n, nwant);

            for (int a = 0; a < NA; a++) {
                struct wg_err err = {0};
                enum wg_order_state next = WG_STATE_COUNT;
                int before = t_failed;
                enum wg_rc rc = wg_fsm_check((enum wg_order_state)s, (enum wg_order_action)a,
                                             (enum wg_role_id)r, &c, &next, &err);
                int x = expect[s][a][r];
                if (x == X_FORBID) {
                    T_EQ_INT(rc, WG_EFORBIDDEN);
                    T_CHECK(strstr(err.msg, ROLES[r]) && strstr(err.msg, ACTIONS[a]));
                } else if (x == X_INVALID) {
                    T_EQ_INT(rc, WG_EINVAL);
                    T_CHECK(strstr(err.msg, "satisfaction") != NULL);
                } else if (x == X_CONFLICT) {
                    size_t ml = strlen(err.msg), tl = strlen(tail);
                    T_EQ_INT(rc, WG_ECONFLICT);
                    T_CHECK(ml >= tl && !strcmp(err.msg + ml - tl, tail));
                    T_CHECK(strstr(err.msg, STATES[s]) != NULL);
                } else {
                    T_EQ_INT(rc, WG_OK);
                    T_EQ_STR(wg_fsm_state_name(next), STATES[x]);
                }
                if (t_failed > before && printed++ < 20)
                    fprintf(stderr, "  (%s: %s in '%s' by %s: %s)\n", v->name, ACTIONS[a],
                            STATES[s], ROLES[r], err.msg);
            }
        }
}

static void test_every_triple(void)
{
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++)
        sweep(&variants[i]);
}

static void test_names(void)
{
    struct wg_err err = {0};
    enum wg_order_state s;
    enum wg_order_action a;
    enum wg_role_id r;
    enum wg_satisfaction sat;
    for (int i = 0; i < NS; i++) {
        T_EQ_STR(wg_fsm_state_name((enum wg_order_state)i), STATES[i]);
        T_CHECK(wg_fsm_state_parse(STATES[i], &s, &err) == WG_OK && (int)s == i);
    }
    for (int i = 0; i < NA; i++) {
        T_EQ_STR(wg_fsm_action_name((enum wg_order_action)i), ACTIONS[i]);
        T_CHECK(wg_fsm_action_parse(ACTIONS[i], &a, &err) == WG_OK && (int)a == i);
    }
    for (int i = 0; i < NR; i++) {
        T_EQ_STR(wg_role_name((enum wg_role_id)i), ROLES[i]);
        T_CHECK(wg_role_parse(ROLES[i], &r, &err) == WG_OK && (int)r == i);
        /* the accounts' role table knows every role the machine names but the resident,
         * who has no account */
        T_CHECK((wg_role_find(ROLES[i]) != NULL) == (strcmp(ROLES[i], "resident") != 0));
    }
    T_EQ_INT(WG_STATE_COUNT, NS);
    T_EQ_INT(WG_ACTION_COUNT, NA);
    T_EQ_INT(WG_ROLE_APIKEY, NR); /* the machine's roles; an API key's is after them */
    T_CHECK(wg_fsm_state_name(WG_STATE_COUNT) == NULL);
    T_CHECK(wg_fsm_action_name((enum wg_order_action) - 1) == NULL);

    T_EQ_INT(wg_fsm_action_parse("close", &a, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "'close'") && strstr(err.msg, "route_line"));
    T_EQ_INT(wg_fsm_state_parse("Received", &s, &err), WG_EINVAL);
    T_EQ_INT(wg_fsm_state_parse(NULL, &s, &err), WG_EINVAL);
    T_EQ_INT(wg_role_parse("nobody", &r, &err), WG_EINVAL);
    T_CHECK(wg_role_parse("resident", &r, &err) == WG_OK && r == WG_ROLE_RESIDENT);
    T_CHECK(wg_role_parse("apikey", &r, &err) == WG_OK && r == WG_ROLE_APIKEY);
    /* an integration key operates no order: nothing is ever allowed, everything is 403 */
    struct wg_fsm_ctx c = base_ctx();
    for (int st = 0; st < NS; st++) {
        enum wg_order_action got[NA + 1];
        T_EQ_INT(wg_fsm_allowed((enum wg_order_state)st, WG_ROLE_APIKEY, &c, got, NA), 0);
        for (int ac = 0; ac < NA; ac++) {
            enum wg_order_state next;
            T_EQ_INT(wg_fsm_check((enum wg_order_state)st, (enum wg_order_action)ac, WG_ROLE_APIKEY,
                                  &c, &next, &err),
                     WG_EFORBIDDEN);
        }
    }

    T_CHECK(wg_fsm_satisfaction_parse("basically_satisfied", &sat, &err) == WG_OK &&
            sat == WG_SAT_BASICALLY_SATISFIED);
    T_CHECK(wg_fsm_satisfaction_parse("unsatisfied", &sat, &err) == WG_OK &&
            sat == WG_SAT_UNSATISFIED);
    T_EQ_INT(wg_fsm_satisfaction_parse("none", &sat, &err), WG_EINVAL);
    T_EQ_STR(wg_fsm_satisfaction_name(WG_SAT_SATISFIED), "satisfied");
}

static void test_bad_input(void)
{
    struct wg_err err = {0};
    enum wg_order_state next;
    struct wg_fsm_ctx c = base_ctx();
    enum wg_role_id agent = WG_ROLE_AGENT;
    T_EQ_INT(wg_fsm_check(WG_STATE_COUNT, WG_ACTION_NOTE, agent, &c, &next, &err), WG_EINVAL);
    T_EQ_INT(wg_fsm_check(WG_STATE_SIGNED, WG_ACTION_COUNT, agent, &c, &next, &err), WG_EINVAL);
    T_EQ_INT(wg_fsm_check(WG_STATE_SIGNED, WG_ACTION_NOTE, WG_ROLE_COUNT, &c, &next, &err),
             WG_EINVAL);
    T_EQ_INT(wg_fsm_allowed(WG_STATE_COUNT, agent, &c, NULL, 0), 0);
    /* a NULL ctx is the plain order */
    T_EQ_INT(wg_fsm_check(WG_STATE_RECEIVED, WG_ACTION_DISPATCH, agent, NULL, &next, &err), WG_OK);
    T_EQ_INT(next, WG_STATE_DISPATCHED);
    /* allowed counts beyond max, writes at most max */
    enum wg_order_action two[2];
    T_EQ_INT(wg_fsm_allowed(WG_STATE_RECEIVED, agent, NULL, two, 2), 7);
    T_EQ_INT(two[1], WG_ACTION_SUSPEND);

    /* body fields that contradict each other are the request's fault, not the state's */
    c.satisfaction = WG_SAT_NONE;
    T_EQ_INT(wg_fsm_check(WG_STATE_VERIFIED, WG_ACTION_CALLBACK, agent, &c, &next, &err),
             WG_EINVAL);
    T_CHECK(strstr(err.msg, "satisfaction") != NULL);
    c.reached = 0;
    c.satisfaction = WG_SAT_SATISFIED;
    T_EQ_INT(wg_fsm_check(WG_STATE_VERIFIED, WG_ACTION_CALLBACK, agent, &c, &next, &err),
             WG_EINVAL);
    c.reached = 1;
    c.no_reporter = 1;
    T_EQ_INT(wg_fsm_check(WG_STATE_VERIFIED, WG_ACTION_CALLBACK, agent, &c, &next, &err),
             WG_EINVAL);
    T_CHECK(strstr(err.msg, "anonymous") != NULL);
    c = base_ctx();
    c.satisfaction = (enum wg_satisfaction)9;
    T_EQ_INT(wg_fsm_check(WG_STATE_VERIFIED, WG_ACTION_CALLBACK, agent, &c, &next, &err),
             WG_EINVAL);
}

static void test_predicates(void)
{
    struct wg_fsm_ctx c = {0};
    T_CHECK(wg_fsm_verifier_ok(&c));
    T_CHECK(wg_fsm_verifier_ok(NULL));
    c.self_handled = 1;
    T_CHECK(wg_fsm_verifier_ok(&c));
    c.actor_is_self_handler = 1;
    T_CHECK(!wg_fsm_verifier_ok(&c));

    c = (struct wg_fsm_ctx){0};
    T_CHECK(wg_fsm_reply_changes_state(&c));
    T_CHECK(wg_fsm_reply_changes_state(NULL));
    c.assisting = 1;
    T_CHECK(!wg_fsm_reply_changes_state(&c));

    static const int open_master[NS] = {1, 1, 1, 1, 1, 0, 1, 1, 0, 0};
    for (int s = 0; s < NS; s++)
        T_EQ_INT(wg_fsm_can_merge_into((enum wg_order_state)s), open_master[s]);
    T_CHECK(!wg_fsm_can_merge_into(WG_STATE_COUNT));
}

/* An order as the order module keeps it: the state, the facts, the counters; act() steps it
 * and applies the effects the way the module must. */
struct sim {
    enum wg_order_state state;
    struct wg_fsm_ctx c;
    int rework, reopens, special_team, unreached, called_back;
    char msg[512];
};

static struct sim sim_new(void)
{
    struct sim o;
    memset(&o, 0, sizeof o);
    o.state = WG_STATE_RECEIVED;
    o.c.verify_passed = 1;
    o.c.reached = 1;
    o.c.satisfaction = WG_SAT_SATISFIED;
    return o;
}

/* The new state, or -rc when refused (o is then unchanged and o->msg says why). */
static int act(struct sim *o, const char *action, const char *role)
{
    struct wg_err err = {0};
    enum wg_order_action a;
    enum wg_role_id r;
    struct wg_fsm_result res;
    if (wg_fsm_action_parse(action, &a, &err) || wg_role_parse(role, &r, &err))
        return -100;
    enum wg_rc rc = wg_fsm_step(o->state, a, r, &o->c, &res, &err);
    snprintf(o->msg, sizeof o->msg, "%s", err.msg);
    if (rc != WG_OK)
        return -(int)rc;
    if (a == WG_ACTION_SUSPEND)
        o->c.before_suspend = o->state;
    if (a == WG_ACTION_EXTEND)
        o->c.extension_pending = 1;
    if (a == WG_ACTION_APPROVE_EXTENSION || a == WG_ACTION_REJECT_EXTENSION)
        o->c.extension_pending = 0;
    if (a == WG_ACTION_ANSWER)
        o->c.direct_answer = 1;
    if (a == WG_ACTION_SELF_HANDLE)
        o->c.self_handled = 1;
    if (a == WG_ACTION_DISPATCH)
        o->c.direct_answer = o->c.self_handled = 0;
    if (res.effects & WG_FSM_REWORK)
        o->rework++;
    if (res.effects & WG_FSM_REOPENED) {
        o->reopens++;
        o->c.reopened_before = 1;
    }
    if (res.effects & WG_FSM_ATTEMPT)
        o->c.callback_attempts++;
    if (res.effects & WG_FSM_SPECIAL_TEAM)
        o->special_team = 1;
    if (res.effects & WG_FSM_UNREACHED)
        o->unreached = 1;
    if (a == WG_ACTION_CALLBACK && o->state == WG_STATE_MERGED &&
        (o->c.reached || (res.effects & WG_FSM_UNREACHED)))
        o->c.called_back = 1;
    if (a == WG_ACTION_RATE)
        o->c.rated = 1;
    if (res.effects & WG_FSM_CALLED_BACK)
        o->called_back++;
    if (res.next != WG_STATE_SIGNED)
        o->c.extension_pending = 0; /* a pending request lapses when signed is left */
    o->state = res.next;
    return (int)res.next;
}

#define REFUSED(rc) (-(int)(rc))

static void walk_normal(void)
{
    struct sim o = sim_new();
    T_EQ_INT(act(&o, "dispatch", "agent"), WG_STATE_DISPATCHED);
    T_EQ_INT(act(&o, "dispatch", "supervisor"), REFUSED(WG_ECONFLICT)); /* never twice */
    T_EQ_INT(act(&o, "sign", "handler"), WG_STATE_SIGNED);
    T_EQ_INT(act(&o, "reply", "handler"), WG_STATE_REPLIED);
    T_EQ_INT(act(&o, "verify", "agent"), WG_STATE_VERIFIED);
    T_EQ_INT(act(&o, "callback", "agent"), WG_STATE_CLOSED);
    T_EQ_INT(o.rework + o.reopens + o.special_team + o.unreached, 0);
    /* a closed order: the handler can only write notes */
    T_EQ_INT(act(&o, "reply", "handler"), REFUSED(WG_ECONFLICT));
    T_EQ_STR(o.msg, "the action 'reply' is not allowed in state 'closed'; allowed for handler: "
                    "note");
    T_EQ_INT(act(&o, "dispatch", "handler"), REFUSED(WG_EFORBIDDEN));
    T_EQ_STR(o.msg, "the role 'handler' may not take the action 'dispatch'");
    T_EQ_INT(act(&o, "note", "sysadmin"), REFUSED(WG_EFORBIDDEN));
    T_EQ_INT(act(&o, "note", "auditor"), REFUSED(WG_EFORBIDDEN));
}

static void walk_direct_answer(void)
{
    struct sim o = sim_new();
    T_EQ_INT(act(&o, "answer", "supervisor"), REFUSED(WG_EFORBIDDEN));
    T_EQ_INT(act(&o, "answer", "agent"), WG_STATE_REPLIED);
    T_EQ_INT(act(&o, "verify", "agent"), REFUSED(WG_ECONFLICT));
    T_EQ_STR(o.msg, "the action 'verify' is not allowed in state 'replied': a direct answer has "
                    "nothing to check on site; it is called back; allowed for agent: callback, "
                    "note, route_line");
    o.c.satisfaction = WG_SAT_BASICALLY_SATISFIED;
    T_EQ_INT(act(&o, "callback", "agent"), WG_STATE_CLOSED);

    /* unsatisfied with a direct answer: reopened to the centre, which dispatches it now */
    o = sim_new();
    T_EQ_INT(act(&o, "answer", "agent"), WG_STATE_REPLIED);
    o.c.satisfaction = WG_SAT_UNSATISFIED;
    T_EQ_INT(act(&o, "callback", "supervisor"), WG_STATE_RECEIVED);
    T_EQ_INT(o.reopens, 1);
    T_EQ_INT(act(&o, "dispatch", "agent"), WG_STATE_DISPATCHED);
    T_CHECK(!o.c.direct_answer);
}

static void walk_self_handled(void)
{
    struct sim o = sim_new();
    T_EQ_INT(act(&o, "self_handle", "handler"), REFUSED(WG_EFORBIDDEN));
    T_EQ_INT(act(&o, "self_handle", "gridworker"), WG_STATE_REPLIED);
    o.c.actor_is_self_handler = 1; /* the same grid worker comes back to verify */
    T_EQ_INT(act(&o, "verify", "gridworker"), REFUSED(WG_ECONFLICT));
    T_EQ_STR(o.msg, "the action 'verify' is not allowed in state 'replied': a self-handled order "
                    "is verified by someone other than its self-handler; allowed for gridworker: "
                    "note");
    T_EQ_INT(o.state, WG_STATE_REPLIED);
    o.c.actor_is_self_handler = 0; /* another grid worker */
    T_EQ_INT(act(&o, "verify", "gridworker"), WG_STATE_VERIFIED);
    T_EQ_INT(act(&o, "callback", "agent"), WG_STATE_CLOSED);

    /* failed on site: back to the centre, which may let a grid worker try again */
    o = sim_new();
    T_EQ_INT(act(&o, "self_handle", "gridworker"), WG_STATE_REPLIED);
    o.c.verify_passed = 0;
    T_EQ_INT(act(&o, "verify", "supervisor"), WG_STATE_RECEIVED);
    T_EQ_INT(o.rework, 1);
    T_EQ_INT(act(&o, "self_handle", "gridworker"), WG_STATE_REPLIED);

    /* the catalog item may forbid it */
    o = sim_new();
    o.c.self_handle_barred = 1;
    T_EQ_INT(act(&o, "self_handle", "gridworker"), REFUSED(WG_ECONFLICT));
    T_CHECK(strstr(o.msg, "catalog item") != NULL);
}

static void walk_return(void)
{
    struct sim o = sim_new();
    T_EQ_INT(act(&o, "dispatch", "agent"), WG_STATE_DISPATCHED);
    T_EQ_INT(act(&o, "return", "handler"), WG_STATE_RETURNING); /* before signing */
    T_EQ_INT(act(&o, "sign", "handler"), REFUSED(WG_ECONFLICT));
    T_EQ_STR(o.msg, "the action 'sign' is not allowed in state 'returning'; allowed for handler: "
                    "note");
    T_EQ_INT(act(&o, "reject_return", "supervisor"), WG_STATE_SIGNED); /* it is theirs */
    T_EQ_INT(act(&o, "return", "handler"), WG_STATE_RETURNING);        /* after signing */
    T_EQ_INT(act(&o, "approve_return", "agent"), WG_STATE_RECEIVED);
    T_EQ_INT(act(&o, "dispatch", "agent"), WG_STATE_DISPATCHED); /* 改派 */
    T_EQ_INT(act(&o, "sign", "handler"), WG_STATE_SIGNED);
    T_EQ_INT(act(&o, "approve_return", "handler"), REFUSED(WG_EFORBIDDEN));
}

static void walk_extension(void)
{
    struct sim o = sim_new();
    T_EQ_INT(act(&o, "dispatch", "agent"), WG_STATE_DISPATCHED);
    T_EQ_INT(act(&o, "extend", "handler"), REFUSED(WG_ECONFLICT)); /* sign first */
    T_EQ_INT(act(&o, "sign", "handler"), WG_STATE_SIGNED);
    T_EQ_INT(act(&o, "approve_extension", "agent"), REFUSED(WG_ECONFLICT));
    T_CHECK(strstr(o.msg, "no extension request is pending") != NULL);
    T_EQ_INT(act(&o, "extend", "handler"), WG_STATE_SIGNED);
    T_EQ_INT(act(&o, "extend", "handler"), REFUSED(WG_ECONFLICT));
    T_EQ_STR(o.msg, "the action 'extend' is not allowed in state 'signed': an extension request "
                    "is already pending; allowed for handler: return, reply, note, contact");
    T_EQ_INT(act(&o, "approve_extension", "supervisor"), WG_STATE_SIGNED);
    T_EQ_INT(act(&o, "extend", "handler"), WG_STATE_SIGNED);
    T_EQ_INT(act(&o, "reject_extension", "agent"), WG_STATE_SIGNED);
    T_EQ_INT(act(&o, "reject_extension", "agent"), REFUSED(WG_ECONFLICT));
    T_EQ_INT(act(&o, "approve_extension", "handler"), REFUSED(WG_EFORBIDDEN));
    T_EQ_INT(act(&o, "reply", "handler"), WG_STATE_REPLIED);
}

static void walk_suspend(void)
{
    static const enum wg_order_state from[] = {WG_STATE_RECEIVED, WG_STATE_DISPATCHED,
                                               WG_STATE_SIGNED};
    for (size_t i = 0; i < 3; i++) {
        struct sim o = sim_new();
        if (from[i] >= WG_STATE_DISPATCHED)
            T_EQ_INT(act(&o, "dispatch", "agent"), WG_STATE_DISPATCHED);
        if (from[i] >= WG_STATE_SIGNED)
            T_EQ_INT(act(&o, "sign", "handler"), WG_STATE_SIGNED);
        T_EQ_INT(act(&o, "suspend", "handler"), REFUSED(WG_EFORBIDDEN));
        T_EQ_INT(act(&o, "suspend", "supervisor"), WG_STATE_SUSPENDED);
        T_EQ_INT(act(&o, "suspend", "agent"), REFUSED(WG_ECONFLICT));
        T_EQ_INT(act(&o, "reply", "handler"), REFUSED(WG_ECONFLICT));
        T_EQ_INT(act(&o, "urge", "agent"), REFUSED(WG_ECONFLICT)); /* the clocks are stopped */
        T_EQ_INT(act(&o, "resume", "agent"), from[i]);
    }
    struct sim o = sim_new();
    T_EQ_INT(act(&o, "answer", "agent"), WG_STATE_REPLIED);
    T_EQ_INT(act(&o, "suspend", "agent"), REFUSED(WG_ECONFLICT)); /* nothing waits */
}

static void walk_rework(void)
{
    struct sim o = sim_new();
    T_EQ_INT(act(&o, "dispatch", "agent"), WG_STATE_DISPATCHED);
    T_EQ_INT(act(&o, "sign", "handler"), WG_STATE_SIGNED);
    T_EQ_INT(act(&o, "reply", "handler"), WG_STATE_REPLIED);
    o.c.verify_passed = 0;
    T_EQ_INT(act(&o, "verify", "gridworker"), WG_STATE_DISPATCHED); /* on site: not done */
    T_EQ_INT(o.rework, 1);
    T_EQ_INT(act(&o, "sign", "handler"), WG_STATE_SIGNED);
    T_EQ_INT(act(&o, "reply", "handler"), WG_STATE_REPLIED);
    T_EQ_INT(act(&o, "verify", "agent"), WG_STATE_DISPATCHED);
    T_EQ_INT(o.rework, 2); /* every failure counts */
    T_EQ_INT(act(&o, "sign", "handler"), WG_STATE_SIGNED);
    T_EQ_INT(act(&o, "reply", "handler"), WG_STATE_REPLIED);
    o.c.verify_passed = 1;
    T_EQ_INT(act(&o, "verify", "agent"), WG_STATE_VERIFIED);
    T_EQ_INT(act(&o, "verify", "agent"), REFUSED(WG_ECONFLICT));
    T_EQ_INT(o.reopens, 0);
}

static void walk_reopen_twice_unsatisfied(void)
{
    struct sim o = sim_new();
    T_EQ_INT(act(&o, "dispatch", "agent"), WG_STATE_DISPATCHED);
    T_EQ_INT(act(&o, "sign", "handler"), WG_STATE_SIGNED);
    T_EQ_INT(act(&o, "reply", "handler"), WG_STATE_REPLIED);
    T_EQ_INT(act(&o, "callback", "agent"), REFUSED(WG_ECONFLICT)); /* verify first */
    T_EQ_STR(o.msg, "the action 'callback' is not allowed in state 'replied': a reply is "
                    "verified before the callback; allowed for agent: verify, note, route_line");
    T_EQ_INT(act(&o, "verify", "agent"), WG_STATE_VERIFIED);
    o.c.satisfaction = WG_SAT_UNSATISFIED;
    T_EQ_INT(act(&o, "callback", "agent"), WG_STATE_DISPATCHED); /* 重办 */
    T_EQ_INT(o.reopens, 1);
    T_EQ_INT(act(&o, "sign", "handler"), WG_STATE_SIGNED);
    T_EQ_INT(act(&o, "reply", "handler"), WG_STATE_REPLIED);
    T_EQ_INT(act(&o, "verify", "agent"), WG_STATE_VERIFIED);
    T_EQ_INT(act(&o, "callback", "agent"), WG_STATE_CLOSED); /* the second 不满意 */
    T_EQ_INT(o.special_team, 1);
    T_EQ_INT(o.reopens, 1);
    T_EQ_INT(act(&o, "reopen", "supervisor"), REFUSED(WG_ECONFLICT));
    T_EQ_STR(o.msg, "the action 'reopen' is not allowed in state 'closed': the order has already "
                    "been reopened once; allowed for supervisor: note, route_line");
    T_EQ_INT(act(&o, "route_line", "supervisor"), WG_STATE_CLOSED); /* to the special team */
}

static void walk_reopen_action(void)
{
    struct sim o = sim_new();
    T_EQ_INT(act(&o, "dispatch", "agent"), WG_STATE_DISPATCHED);
    T_EQ_INT(act(&o, "sign", "handler"), WG_STATE_SIGNED);
    T_EQ_INT(act(&o, "reply", "handler"), WG_STATE_REPLIED);
    T_EQ_INT(act(&o, "verify", "agent"), WG_STATE_VERIFIED);
    T_EQ_INT(act(&o, "callback", "agent"), WG_STATE_CLOSED);
    T_EQ_INT(act(&o, "instruct", "leader"), WG_STATE_CLOSED); /* a leader asks to look again */
    T_EQ_INT(act(&o, "reopen", "handler"), REFUSED(WG_EFORBIDDEN));
    T_EQ_INT(act(&o, "reopen", "supervisor"), WG_STATE_DISPATCHED);
    T_EQ_INT(o.reopens, 1);
    T_EQ_INT(act(&o, "sign", "handler"), WG_STATE_SIGNED);
    T_EQ_INT(act(&o, "reply", "handler"), WG_STATE_REPLIED);
    T_EQ_INT(act(&o, "verify", "agent"), WG_STATE_VERIFIED);
    o.c.satisfaction = WG_SAT_UNSATISFIED; /* the one reopen is spent */
    T_EQ_INT(act(&o, "callback", "agent"), WG_STATE_CLOSED);
    T_EQ_INT(o.special_team, 1);
}

static void walk_unreachable(void)
{
    struct sim o = sim_new();
    T_EQ_INT(act(&o, "dispatch", "agent"), WG_STATE_DISPATCHED);
    T_EQ_INT(act(&o, "sign", "handler"), WG_STATE_SIGNED);
    T_EQ_INT(act(&o, "reply", "handler"), WG_STATE_REPLIED);
    T_EQ_INT(act(&o, "verify", "agent"), WG_STATE_VERIFIED);
    o.c.reached = 0;
    o.c.satisfaction = WG_SAT_NONE;
    T_EQ_INT(act(&o, "callback", "agent"), WG_STATE_VERIFIED);
    T_EQ_INT(act(&o, "callback", "supervisor"), WG_STATE_VERIFIED);
    T_EQ_INT(o.c.callback_attempts, 2);
    T_EQ_INT(o.unreached, 0);
    T_EQ_INT(act(&o, "callback", "agent"), WG_STATE_CLOSED); /* 未回访 */
    T_EQ_INT(o.c.callback_attempts, 3);
    T_EQ_INT(o.unreached, 1);
    T_EQ_INT(o.reopens + o.special_team, 0);

    /* reached on the second try */
    o = sim_new();
    o.state = WG_STATE_VERIFIED;
    o.c.reached = 0;
    o.c.satisfaction = WG_SAT_NONE;
    T_EQ_INT(act(&o, "callback", "agent"), WG_STATE_VERIFIED);
    o.c.reached = 1;
    o.c.satisfaction = WG_SAT_SATISFIED;
    T_EQ_INT(act(&o, "callback", "agent"), WG_STATE_CLOSED);
    T_EQ_INT(o.unreached, 0);

    /* anonymous: nobody to try three times */
    o = sim_new();
    o.state = WG_STATE_VERIFIED;
    o.c.no_reporter = 1;
    o.c.reached = 0;
    o.c.satisfaction = WG_SAT_NONE;
    T_EQ_INT(act(&o, "callback", "agent"), WG_STATE_CLOSED);
    T_EQ_INT(o.unreached, 1);
}

static void walk_merge(void)
{
    struct sim master = sim_new(), child = sim_new();
    T_EQ_INT(act(&master, "dispatch", "agent"), WG_STATE_DISPATCHED);
    T_CHECK(wg_fsm_can_merge_into(master.state));
    T_EQ_INT(act(&child, "merge", "handler"), REFUSED(WG_EFORBIDDEN));
    T_EQ_INT(act(&child, "merge", "agent"), WG_STATE_MERGED);
    T_EQ_INT(act(&child, "dispatch", "agent"), REFUSED(WG_ECONFLICT));
    T_EQ_STR(child.msg, "the action 'dispatch' is not allowed in state 'merged'; allowed for "
                        "agent: note");
    T_EQ_INT(act(&child, "note", "handler"), WG_STATE_MERGED);
    T_EQ_INT(act(&child, "instruct", "leader"), REFUSED(WG_ECONFLICT));
    T_EQ_INT(act(&child, "invalidate", "agent"), REFUSED(WG_ECONFLICT));
    master.c.has_merged = 1; /* a master is nobody's duplicate */
    T_EQ_INT(act(&master, "merge", "agent"), REFUSED(WG_ECONFLICT));
    T_EQ_STR(master.msg, "the action 'merge' is not allowed in state 'dispatched': other orders "
                         "are merged into it; a master is not merged into another; allowed for "
                         "agent: suspend, invalidate, supervise, urge, note, route_line");
    /* the master moves on; the child waits, then its reporter is called back too */
    T_EQ_INT(act(&master, "sign", "handler"), WG_STATE_SIGNED);
    T_EQ_INT(act(&master, "reply", "handler"), WG_STATE_REPLIED);
    child.c.master_state = master.state;
    T_EQ_INT(act(&child, "callback", "agent"), REFUSED(WG_ECONFLICT));
    T_EQ_INT(act(&master, "verify", "agent"), WG_STATE_VERIFIED);
    /* the master is called back last: first every reporter of its duplicates */
    master.c.merged_pending = 1;
    T_EQ_INT(act(&master, "callback", "agent"), REFUSED(WG_ECONFLICT));
    T_EQ_STR(master.msg, "the action 'callback' is not allowed in state 'verified': the reporters "
                         "of the orders merged into it are called back first; allowed for agent: "
                         "note, route_line");
    child.c.master_state = master.state;
    child.c.satisfaction = WG_SAT_UNSATISFIED;
    T_EQ_INT(act(&child, "callback", "agent"), WG_STATE_MERGED); /* recorded, never moves */
    T_EQ_INT(child.reopens, 0);
    T_CHECK(child.c.called_back);
    T_EQ_INT(act(&child, "callback", "agent"), REFUSED(WG_ECONFLICT)); /* once */
    master.c.merged_pending = 0;
    T_EQ_INT(act(&master, "callback", "agent"), WG_STATE_CLOSED);
    /* a duplicate whose reporter cannot be reached: three attempts, and it is done */
    struct sim far = sim_new();
    far.state = WG_STATE_MERGED;
    far.c.master_state = WG_STATE_CLOSED;
    far.c.reached = 0;
    far.c.satisfaction = WG_SAT_NONE;
    for (int i = 0; i < 2; i++)
        T_EQ_INT(act(&far, "callback", "agent"), WG_STATE_MERGED);
    T_EQ_INT(far.unreached, 0);
    T_EQ_INT(act(&far, "callback", "agent"), WG_STATE_MERGED);
    T_EQ_INT(far.unreached, 1);
    T_EQ_INT(far.c.callback_attempts, 3);
    T_EQ_INT(act(&far, "callback", "agent"), REFUSED(WG_ECONFLICT));
    /* nothing merges into a closed, merged or invalid order */
    T_CHECK(!wg_fsm_can_merge_into(master.state));
    T_CHECK(!wg_fsm_can_merge_into(child.state));
}

static void walk_invalidate(void)
{
    struct sim o = sim_new();
    T_EQ_INT(act(&o, "invalidate", "handler"), REFUSED(WG_EFORBIDDEN));
    T_EQ_INT(act(&o, "invalidate", "agent"), WG_STATE_INVALID);
    for (int a = 0; a < NA; a++) {
        enum wg_order_state next;
        struct wg_err err = {0};
        enum wg_rc rc = wg_fsm_check(WG_STATE_INVALID, (enum wg_order_action)a, WG_ROLE_SUPERVISOR,
                                     NULL, &next, &err);
        T_CHECK(a == WG_ACTION_NOTE ? rc == WG_OK && next == WG_STATE_INVALID : rc != WG_OK);
    }
    /* a unit that finds a prank returns it, and the centre voids it there */
    o = sim_new();
    T_EQ_INT(act(&o, "dispatch", "agent"), WG_STATE_DISPATCHED);
    T_EQ_INT(act(&o, "return", "handler"), WG_STATE_RETURNING);
    T_EQ_INT(act(&o, "invalidate", "supervisor"), WG_STATE_INVALID);
    /* once replied, the work counts and cannot be voided */
    o = sim_new();
    T_EQ_INT(act(&o, "answer", "agent"), WG_STATE_REPLIED);
    T_EQ_INT(act(&o, "invalidate", "agent"), REFUSED(WG_ECONFLICT));
}

static void walk_cohandling(void)
{
    struct sim lead = sim_new();
    T_EQ_INT(act(&lead, "dispatch", "agent"), WG_STATE_DISPATCHED);
    struct sim assist = lead; /* the same order, seen by an assisting unit's handler */
    assist.c.assisting = 1;
    T_EQ_INT(act(&assist, "sign", "handler"), WG_STATE_DISPATCHED);
    T_EQ_INT(act(&assist, "return", "handler"), REFUSED(WG_ECONFLICT));
    T_EQ_STR(assist.msg, "the action 'return' is not allowed in state 'dispatched': only the lead "
                         "unit may take it; allowed for handler: sign, reply, note");
    T_EQ_INT(act(&lead, "sign", "handler"), WG_STATE_SIGNED);
    assist.state = lead.state;
    T_CHECK(!wg_fsm_reply_changes_state(&assist.c));
    T_EQ_INT(act(&assist, "reply", "handler"), WG_STATE_SIGNED); /* its part, recorded */
    T_EQ_INT(act(&assist, "extend", "handler"), REFUSED(WG_ECONFLICT));
    T_CHECK(wg_fsm_reply_changes_state(&lead.c));
    T_EQ_INT(act(&lead, "reply", "handler"), WG_STATE_REPLIED);
    assist.state = lead.state;
    T_EQ_INT(act(&assist, "reply", "handler"), REFUSED(WG_ECONFLICT)); /* too late */
    T_EQ_INT(act(&assist, "note", "handler"), WG_STATE_REPLIED);
}

static void walk_recorded_events(void)
{
    struct sim o = sim_new();
    T_EQ_INT(act(&o, "route_line", "agent"), WG_STATE_RECEIVED);
    T_EQ_INT(act(&o, "supervise", "supervisor"), REFUSED(WG_ECONFLICT)); /* no unit owes it */
    T_EQ_INT(act(&o, "dispatch", "agent"), WG_STATE_DISPATCHED);
    T_EQ_INT(act(&o, "supervise", "supervisor"), WG_STATE_DISPATCHED);
    T_EQ_INT(act(&o, "urge", "agent"), WG_STATE_DISPATCHED);
    T_EQ_INT(act(&o, "sign", "handler"), WG_STATE_SIGNED);
    T_EQ_INT(act(&o, "supervise", "agent"), WG_STATE_SIGNED);
    T_EQ_INT(act(&o, "urge", "supervisor"), WG_STATE_SIGNED);
    T_EQ_INT(act(&o, "instruct", "leader"), WG_STATE_SIGNED);
    T_EQ_INT(act(&o, "instruct", "agent"), REFUSED(WG_EFORBIDDEN));
    T_EQ_INT(act(&o, "supervise", "leader"), REFUSED(WG_EFORBIDDEN));
    T_EQ_INT(act(&o, "route_line", "supervisor"), WG_STATE_SIGNED); /* judicial, say */
    T_EQ_INT(act(&o, "route_line", "mediator"), REFUSED(WG_EFORBIDDEN));
    static const char *const noters[] = {"agent",     "supervisor", "handler", "gridworker",
                                         "community", "mediator",   "leader"};
    for (size_t i = 0; i < sizeof noters / sizeof noters[0]; i++)
        T_EQ_INT(act(&o, "note", noters[i]), WG_STATE_SIGNED);
    T_EQ_INT(act(&o, "note", "secadmin"), REFUSED(WG_EFORBIDDEN));
    T_EQ_INT(o.rework + o.reopens, 0);
}

/* The resident's rating through the portal: not before the reply, once, standing as the
 * callback when the centre could call back, and reopening once when unsatisfied. */
static void walk_resident_rating(void)
{
    struct sim o = sim_new();
    T_EQ_INT(act(&o, "rate", "resident"), REFUSED(WG_ECONFLICT));
    T_CHECK(strstr(o.msg, "allowed for resident: none") != NULL);
    T_EQ_INT(act(&o, "rate", "agent"), REFUSED(WG_EFORBIDDEN));
    T_EQ_INT(act(&o, "note", "resident"), REFUSED(WG_EFORBIDDEN));
    T_EQ_INT(act(&o, "callback", "resident"), REFUSED(WG_EFORBIDDEN));
    act(&o, "dispatch", "agent");
    T_EQ_INT(act(&o, "rate", "resident"), REFUSED(WG_ECONFLICT));
    act(&o, "sign", "handler");
    act(&o, "reply", "handler");
    /* before verification the rating is recorded; the centre still verifies and calls */
    o.c.satisfaction = WG_SAT_UNSATISFIED;
    T_EQ_INT(act(&o, "rate", "resident"), WG_STATE_REPLIED);
    T_EQ_INT(o.called_back + o.reopens, 0);
    T_EQ_INT(act(&o, "rate", "resident"), REFUSED(WG_ECONFLICT));
    T_CHECK(strstr(o.msg, "already rated") != NULL);
    T_EQ_INT(act(&o, "verify", "agent"), WG_STATE_VERIFIED);
    T_EQ_INT(act(&o, "rate", "resident"), REFUSED(WG_ECONFLICT));

    /* verified: the rating is the callback; unsatisfied reopens (重办) once */
    o = sim_new();
    act(&o, "dispatch", "agent");
    act(&o, "sign", "handler");
    act(&o, "reply", "handler");
    act(&o, "verify", "supervisor");
    o.c.satisfaction = WG_SAT_UNSATISFIED;
    T_EQ_INT(act(&o, "rate", "resident"), WG_STATE_DISPATCHED);
    T_EQ_INT(o.called_back, 1);
    T_EQ_INT(o.reopens, 1);
    act(&o, "sign", "handler");
    act(&o, "reply", "handler");
    act(&o, "verify", "agent");
    T_EQ_INT(act(&o, "callback", "agent"), WG_STATE_CLOSED); /* the second 不满意 */
    T_EQ_INT(o.special_team, 1);

    /* a direct answer is rated straight from replied; an anonymous reporter may rate too */
    o = sim_new();
    o.c.no_reporter = 1;
    act(&o, "answer", "agent");
    o.c.satisfaction = WG_SAT_BASICALLY_SATISFIED;
    T_EQ_INT(act(&o, "rate", "resident"), WG_STATE_CLOSED);
    T_EQ_INT(o.called_back, 1);

    /* after the centre closed it, the rating is recorded and changes nothing */
    o = sim_new();
    act(&o, "dispatch", "agent");
    act(&o, "sign", "handler");
    act(&o, "reply", "handler");
    act(&o, "verify", "agent");
    act(&o, "callback", "agent");
    T_EQ_INT(o.state, WG_STATE_CLOSED);
    T_EQ_INT(act(&o, "rate", "resident"), WG_STATE_CLOSED);
    T_EQ_INT(o.called_back + o.reopens, 0);
    o.c.satisfaction = WG_SAT_NONE;
    o.c.rated = 0;
    T_EQ_INT(act(&o, "rate", "resident"), REFUSED(WG_EINVAL));
}

int main(void)
{
    test_names();
    test_bad_input();
    test_predicates();
    test_every_triple();
    walk_normal();
    walk_direct_answer();
    walk_self_handled();
    walk_return();
    walk_extension();
    walk_suspend();
    walk_rework();
    walk_reopen_twice_unsatisfied();
    walk_reopen_action();
    walk_unreachable();
    walk_merge();
    walk_invalidate();
    walk_cohandling();
    walk_recorded_events();
    walk_resident_rating();
    return T_DONE("order_fsm");
}
