/* The work-order state machine's contract stated a second time, for test_order_fsm.c: what
 * each role may do in each state of a plain order (written per role and state, where the
 * code's table is written per action), the order facts that change it as deltas on that base,
 * and the reader that turns both into expect[state][action][role]. */
#ifndef WG_TESTS_T_FSM_TABLE_H
#define WG_TESTS_T_FSM_TABLE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/accounts/account.h"
#include "domain/orders/order_fsm.h"

static const char *const STATES[] = {"received", "dispatched", "signed",    "replied", "verified",
                                     "closed",   "returning",  "suspended", "merged",  "invalid"};
static const char *const ACTIONS[] = {"dispatch",
                                      "sign",
                                      "return",
                                      "approve_return",
                                      "reject_return",
                                      "extend",
                                      "approve_extension",
                                      "reject_extension",
                                      "suspend",
                                      "resume",
                                      "answer",
                                      "self_handle",
                                      "reply",
                                      "verify",
                                      "callback",
                                      "reopen",
                                      "merge",
                                      "invalidate",
                                      "supervise",
                                      "urge",
                                      "instruct",
                                      "note",
                                      "route_line",
                                      "rate",
                                      "contact"};
static const char *const ROLES[] = {"sysadmin",   "secadmin", "auditor",    "agent",
                                    "supervisor", "handler",  "gridworker", "community",
                                    "mediator",   "leader",   "resident"};
#define NS 10
#define NA 25
#define NR 11

/* What each role may ever do; everything else is 403 in every state. */
static const char *const MAY[NR] = {
    /* sysadmin  */ "",
    /* secadmin  */ "",
    /* auditor   */ "",
    /* agent     */
    "dispatch approve_return reject_return approve_extension reject_extension "
    "suspend resume answer verify callback reopen merge invalidate supervise urge "
    "note route_line",
    /* supervisor*/
    "dispatch approve_return reject_return approve_extension reject_extension "
    "suspend resume verify callback reopen merge invalidate supervise urge note "
    "route_line",
    /* handler   */ "sign return extend reply note contact",
    /* gridworker*/ "self_handle verify note",
    /* community */ "note",
    /* mediator  */ "note",
    /* leader    */ "instruct note",
    /* resident  */ "rate",
};

/* What each role may do now in each state of a plain order (lead unit, nothing pending, never
 * reopened, suspended from signed), with the result: a state, or "=" for unchanged. The body
 * fields are the happy ones: verify passed, callback reached and satisfied. */
static const char *const CENTRE_BASE[NS] = {
    /* received   */ "dispatch>dispatched suspend>suspended merge>merged invalidate>invalid "
                     "note>= route_line>=",
    /* dispatched */
    "suspend>suspended merge>merged invalidate>invalid supervise>= urge>= "
    "note>= route_line>=",
    /* signed     */
    "suspend>suspended merge>merged invalidate>invalid supervise>= urge>= "
    "note>= route_line>=",
    /* replied    */ "verify>verified note>= route_line>=",
    /* verified   */ "callback>closed note>= route_line>=",
    /* closed     */ "reopen>dispatched note>= route_line>=",
    /* returning  */
    "approve_return>received reject_return>signed invalidate>invalid note>= "
    "route_line>=",
    /* suspended  */ "resume>signed invalidate>invalid note>= route_line>=",
    /* merged     */ "note>=",
    /* invalid    */ "note>=",
};
static const char *const HANDLER_BASE[NS] = {
    "note>=",
    "sign>signed return>returning note>= contact>=",
    "return>returning extend>= reply>replied note>= contact>=",
    "note>=",
    "note>=",
    "note>=",
    "note>=",
    "note>=",
    "note>=",
    "note>=",
};
static const char *const GRIDWORKER_BASE[NS] = {
    "self_handle>replied note>=",
    "note>=",
    "note>=",
    "verify>verified note>=",
    "note>=",
    "note>=",
    "note>=",
    "note>=",
    "note>=",
    "note>=",
};
static const char *const LEADER_BASE[NS] = {
    "instruct>= note>=",
    "instruct>= note>=",
    "instruct>= note>=",
    "instruct>= note>=",
    "instruct>= note>=",
    "instruct>= note>=",
    "instruct>= note>=",
    "instruct>= note>=",
    "note>=",
    "note>=",
};

/* The resident rates from the reply on; the rating is the callback once the centre could
 * call back (verified), recorded beside the loop before that and after closing. */
static const char *const RESIDENT_BASE[NS] = {
    "", "", "", "rate>=", "rate>closed", "rate>=", "", "", "", "",
};

/* Expected outcome of one triple: -1 forbidden, -2 conflict, -3 allowed now but refused for
 * its body fields (400), else the next state. */
#define X_FORBID   (-1)
#define X_CONFLICT (-2)
#define X_INVALID  (-3)
static int expect[NS][NA][NR];

static int idx(const char *const *names, int n, const char *s, size_t len)
{
    for (int i = 0; i < n; i++)
        if (strlen(names[i]) == len && !strncmp(names[i], s, len))
            return i;
    fprintf(stderr, "test table: unknown name '%.*s'\n", (int)len, s);
    exit(2);
}

/* "a>b c>=": sets expect[state][a][role] to b (or to state for "="). */
static void put_list(int state, int role, const char *list)
{
    for (const char *p = list; *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *gt = strchr(p, '>'), *end = strchr(p, ' ');
        if (!end)
            end = p + strlen(p);
        int a = idx(ACTIONS, NA, p, (size_t)(gt - p));
        const char *to = gt + 1;
        expect[state][a][role] = *to == '='   ? state
                                 : *to == '!' ? X_INVALID
                                              : idx(STATES, NS, to, (size_t)(end - to));
        p = end;
    }
}

static int role_of(const char *name)
{
    return idx(ROLES, NR, name, strlen(name));
}

static void load_base(void)
{
    for (int s = 0; s < NS; s++)
        for (int r = 0; r < NR; r++) {
            for (int a = 0; a < NA; a++) {
                const char *may = MAY[r], *hit = NULL;
                size_t n = strlen(ACTIONS[a]);
                for (const char *p = may; (p = strstr(p, ACTIONS[a])); p += n)
                    if ((p == may || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
                        hit = p;
                expect[s][a][r] = hit ? X_CONFLICT : X_FORBID;
            }
        }
    for (int s = 0; s < NS; s++) {
        put_list(s, role_of("agent"), CENTRE_BASE[s]);
        put_list(s, role_of("supervisor"), CENTRE_BASE[s]);
        put_list(s, role_of("handler"), HANDLER_BASE[s]);
        put_list(s, role_of("gridworker"), GRIDWORKER_BASE[s]);
        put_list(s, role_of("community"), "note>=");
        put_list(s, role_of("mediator"), "note>=");
        put_list(s, role_of("leader"), LEADER_BASE[s]);
        put_list(s, role_of("resident"), RESIDENT_BASE[s]);
    }
    /* only the agent answers on the call */
    put_list(0, role_of("agent"), "answer>replied");
}

/* A change from the base: "state role action>result" adds or replaces, "-state role action"
 * removes (back to 409); role "centre" is agent and supervisor. */
static void put_delta(const char *d)
{
    char st[16], role[16], rest[48];
    int remove = d[0] == '-';
    if (sscanf(d + remove, "%15s %15s %47s", st, role, rest) != 3) {
        fprintf(stderr, "test table: bad delta '%s'\n", d);
        exit(2);
    }
    int s = idx(STATES, NS, st, strlen(st));
    int roles[2] = {-1, -1};
    if (!strcmp(role, "centre")) {
        roles[0] = role_of("agent");
        roles[1] = role_of("supervisor");
    } else {
        roles[0] = role_of(role);
    }
    for (int i = 0; i < 2 && roles[i] >= 0; i++) {
        if (remove)
            expect[s][idx(ACTIONS, NA, rest, strlen(rest))][roles[i]] = X_CONFLICT;
        else
            put_list(s, roles[i], rest);
    }
}

/* The plain body: verify passed, callback reached and satisfied, suspended from signed. */
static struct wg_fsm_ctx base_ctx(void)
{
    struct wg_fsm_ctx c = {0};
    c.verify_passed = 1;
    c.reached = 1;
    c.satisfaction = WG_SAT_SATISFIED;
    c.before_suspend = WG_STATE_SIGNED;
    return c;
}

struct variant {
    const char *name;
    void (*set)(struct wg_fsm_ctx *c);
    const char *delta[10];
};

static void v_plain(struct wg_fsm_ctx *c)
{
    (void)c;
}
static void v_ext_pending(struct wg_fsm_ctx *c)
{
    c->extension_pending = 1;
}
static void v_verify_failed(struct wg_fsm_ctx *c)
{
    c->verify_passed = 0;
}
static void v_direct(struct wg_fsm_ctx *c)
{
    c->direct_answer = 1;
}
static void v_self_other_fails(struct wg_fsm_ctx *c)
{
    c->self_handled = 1;
    c->verify_passed = 0;
}
static void v_self_same(struct wg_fsm_ctx *c)
{
    c->self_handled = 1;
    c->actor_is_self_handler = 1;
}
static void v_assisting(struct wg_fsm_ctx *c)
{
    c->assisting = 1;
}
static void v_unsat1(struct wg_fsm_ctx *c)
{
    c->satisfaction = WG_SAT_UNSATISFIED;
}
static void v_unsat2(struct wg_fsm_ctx *c)
{
    c->satisfaction = WG_SAT_UNSATISFIED;
    c->reopened_before = 1;
}
static void v_basic(struct wg_fsm_ctx *c)
{
    c->satisfaction = WG_SAT_BASICALLY_SATISFIED;
}
static void v_unreached1(struct wg_fsm_ctx *c)
{
    c->reached = 0;
    c->satisfaction = WG_SAT_NONE;
}
static void v_unreached3(struct wg_fsm_ctx *c)
{
    v_unreached1(c);
    c->callback_attempts = 2;
}
static void v_anonymous(struct wg_fsm_ctx *c)
{
    v_unreached1(c);
    c->no_reporter = 1;
}
static void v_barred(struct wg_fsm_ctx *c)
{
    c->self_handle_barred = 1;
}
static void v_from_received(struct wg_fsm_ctx *c)
{
    c->before_suspend = WG_STATE_RECEIVED;
}
static void v_from_dispatched(struct wg_fsm_ctx *c)
{
    c->before_suspend = WG_STATE_DISPATCHED;
}
static void v_from_bogus(struct wg_fsm_ctx *c)
{
    c->before_suspend = WG_STATE_CLOSED;
}
static void v_master_verified(struct wg_fsm_ctx *c)
{
    c->master_state = WG_STATE_VERIFIED;
}
static void v_master_closed_unreached(struct wg_fsm_ctx *c)
{
    v_unreached1(c);
    c->master_state = WG_STATE_CLOSED;
}
static void v_master_replied(struct wg_fsm_ctx *c)
{
    c->master_state = WG_STATE_REPLIED;
}
static void v_rated(struct wg_fsm_ctx *c)
{
    c->rated = 1;
}
static void v_direct_unsat(struct wg_fsm_ctx *c)
{
    c->direct_answer = 1;
    c->satisfaction = WG_SAT_UNSATISFIED;
}
static void v_called_back(struct wg_fsm_ctx *c)
{
    c->master_state = WG_STATE_VERIFIED;
    c->called_back = 1;
}
static void v_has_merged(struct wg_fsm_ctx *c)
{
    c->has_merged = 1;
}
static void v_merged_pending(struct wg_fsm_ctx *c)
{
    c->merged_pending = 1;
}

static const struct variant variants[] = {
    {"plain order", v_plain, {NULL}},
    {"extension pending",
     v_ext_pending,
     {"-signed handler extend",
      "signed centre approve_extension>=", "signed centre reject_extension>="}},
    {"verification fails: rework at the unit",
     v_verify_failed,
     {"replied centre verify>dispatched", "replied gridworker verify>dispatched"}},
    {"direct answer: no verification, callback from replied, reopen to the centre",
     v_direct,
     {"-replied centre verify", "-replied gridworker verify", "replied centre callback>closed",
      "closed centre reopen>received", "replied resident rate>closed"}},
    {"self-handled, another verifier, fails: back to the centre",
     v_self_other_fails,
     {"replied centre verify>received", "replied gridworker verify>received",
      "closed centre reopen>received"}},
    {"self-handled, the caller is the self-handler",
     v_self_same,
     {"-replied centre verify", "-replied gridworker verify", "closed centre reopen>received"}},
    {"assisting unit",
     v_assisting,
     {"dispatched handler sign>=", "-dispatched handler return", "dispatched handler reply>=",
      "signed handler sign>=", "-signed handler return", "-signed handler extend",
      "signed handler reply>=", "-dispatched handler contact", "-signed handler contact"}},
    {"callback unsatisfied, first time: 重办",
     v_unsat1,
     {"verified centre callback>dispatched", "verified resident rate>dispatched"}},
    {"callback unsatisfied, reopened before: closed for the special team",
     v_unsat2,
     {"verified centre callback>closed", "-closed centre reopen"}},
    {"callback basically satisfied", v_basic, {NULL}},
    {"callback unreachable, first attempt",
     v_unreached1,
     {"verified centre callback>=", "replied resident rate>!", "verified resident rate>!",
      "closed resident rate>!"}},
    {"callback unreachable, third attempt",
     v_unreached3,
     {"replied resident rate>!", "verified resident rate>!", "closed resident rate>!"}},
    {"anonymous order, nobody to reach",
     v_anonymous,
     {"replied resident rate>!", "verified resident rate>!", "closed resident rate>!",
      "-dispatched handler contact", "-signed handler contact"}},
    {"self-handling barred by the catalog", v_barred, {"-received gridworker self_handle"}},
    {"suspended from received", v_from_received, {"suspended centre resume>received"}},
    {"suspended from dispatched", v_from_dispatched, {"suspended centre resume>dispatched"}},
    {"suspended from a state one cannot suspend from", v_from_bogus, {"-suspended centre resume"}},
    {"merged, master verified", v_master_verified, {"merged centre callback>="}},
    {"merged, master closed, reporter unreachable",
     v_master_closed_unreached,
     {"merged centre callback>=", "verified centre callback>=", "replied resident rate>!",
      "verified resident rate>!", "closed resident rate>!"}},
    {"merged, master only replied", v_master_replied, {NULL}},
    {"merged, its reporter called back already", v_called_back, {NULL}},
    {"a master: others are merged into it",
     v_has_merged,
     {"-received centre merge", "-dispatched centre merge", "-signed centre merge"}},
    {"a master whose duplicates' reporters are still to be called back",
     v_merged_pending,
     {"-verified centre callback", "verified resident rate>="}},
    {"rated once already",
     v_rated,
     {"-replied resident rate", "-verified resident rate", "-closed resident rate"}},
    {"direct answer, the resident unsatisfied: back to the centre",
     v_direct_unsat,
     {"-replied centre verify", "-replied gridworker verify", "replied centre callback>received",
      "closed centre reopen>received", "replied resident rate>received",
      "verified centre callback>received", "verified resident rate>received"}},
};

#endif
