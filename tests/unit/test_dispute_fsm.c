/* The dispute case's state machine (domain/disputes/dispute_fsm.h), every (state, action,
 * role) triple against the contract stated a second time here — per state what may happen
 * and per role what it may ever do, where the code's table is written per action — in the
 * plain case and with each fact that changes it: a case at the county, a red case before and
 * after a leader takes it, the agreement's 30 days passed. Also: the levels escalation
 * climbs, the effects that record where a case ended, the 403 and 409 messages, and names. */
#include "t.h"

#include <stdio.h>
#include <string.h>

#include "domain/disputes/dispute_fsm.h"

/* What each role may ever do; everything else is 403 in every state. */
static const char *const MAY[WG_ROLE_COUNT] = {
    [WG_ROLE_AGENT] = "note",
    [WG_ROLE_SUPERVISOR] = "accept refuse investigate mediate session agree escalate refer "
                           "confirm perform follow_up archive supervise note assign party",
    [WG_ROLE_GRIDWORKER] = "accept investigate mediate session agree escalate perform follow_up "
                           "note party",
    [WG_ROLE_COMMUNITY] = "accept refuse investigate mediate session agree escalate refer "
                          "perform follow_up archive note assign party",
    [WG_ROLE_MEDIATOR] = "accept refuse investigate mediate session agree escalate refer "
                         "confirm perform follow_up archive note assign party",
    [WG_ROLE_LEADER] = "take supervise note",
};

/* What may happen in each state of a plain case (below the county, not red, within the 30
 * days): action>next, or the action alone where the state stays. */
static const char *const CAN[WG_CASE_STATE_COUNT] = {
    [WG_CASE_REGISTERED] = "accept>accepted refuse>refused supervise note assign party",
    [WG_CASE_ACCEPTED] = "investigate>investigating mediate>mediating escalate>registered "
                         "refer>referred supervise note assign party",
    [WG_CASE_INVESTIGATING] = "mediate>mediating escalate>registered refer>referred supervise "
                              "note assign party",
    [WG_CASE_MEDIATING] = "session agree>agreed escalate>registered refer>referred supervise note "
                          "assign party",
    [WG_CASE_AGREED] = "confirm perform>performed supervise note",
    [WG_CASE_PERFORMED] = "confirm follow_up>followed_up supervise note",
    [WG_CASE_FOLLOWED_UP] = "archive>archived supervise note",
    [WG_CASE_ARCHIVED] = "",
    [WG_CASE_REFUSED] = "",
    [WG_CASE_REFERRED] = "archive>archived note",
};

static int has_word(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; (p = strstr(p, word)); p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '>' || !p[n]))
            return 1;
    return 0;
}

/* The next state the contract gives for action in state (-1: not allowed in it). */
static int can(enum wg_case_state s, const char *action)
{
    const char *p = CAN[s];
    size_t n = strlen(action);
    for (; (p = strstr(p, action)); p += n) {
        if ((p != CAN[s] && p[-1] != ' ') || (p[n] != ' ' && p[n] != '>' && p[n]))
            continue;
        if (p[n] != '>')
            return (int)s;
        char next[32];
        sscanf(p + n + 1, "%31s", next);
        enum wg_case_state to;
        struct wg_err err = {0};
        T_EQ_INT(wg_case_state_parse(next, &to, &err), WG_OK);
        return (int)to;
    }
    return -1;
}

struct facts {
    const char *name;
    struct wg_case_ctx ctx;
};

/* The contract with a fact applied: which (state, action) it adds or takes away. */
static int expected(const struct facts *f, enum wg_case_state s, enum wg_case_action a)
{
    const char *name = wg_case_action_name(a);
    int to = can(s, name);
    int open = !wg_case_final(s) && s != WG_CASE_REFERRED;
    if (a == WG_CASE_TAKE) /* a red case not yet taken: a leader takes it while it is open */
        return f->ctx.red && !f->ctx.taken && open ? (int)s : -1;
    if (a == WG_CASE_ESCALATE && f->ctx.level == WG_CASE_COUNTY)
        return -1;
    if (a == WG_CASE_CONFIRM && f->ctx.confirm_closed)
        return -1;
    return to;
}

static void test_every_triple(void)
{
    static const struct facts cases[] = {
        {"plain, village", {WG_CASE_VILLAGE, 0, 0, 0}},
        {"grid", {WG_CASE_GRID, 0, 0, 0}},
        {"county", {WG_CASE_COUNTY, 0, 0, 0}},
        {"red", {WG_CASE_TOWN, 1, 0, 0}},
        {"red, taken", {WG_CASE_TOWN, 1, 1, 0}},
        {"30 days passed", {WG_CASE_VILLAGE, 0, 0, 1}},
    };
    int checked = 0;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const struct facts *f = &cases[k];
        for (int s = 0; s < WG_CASE_STATE_COUNT; s++)
            for (int r = 0; r < WG_ROLE_COUNT; r++) {
                enum wg_case_action allowed[WG_CASE_ACTION_COUNT];
                size_t nallowed = wg_case_allowed((enum wg_case_state)s, (enum wg_role_id)r,
                                                  &f->ctx, allowed, WG_CASE_ACTION_COUNT);
                size_t want_allowed = 0;
                for (int a = 0; a < WG_CASE_ACTION_COUNT; a++) {
                    const char *name = wg_case_action_name((enum wg_case_action)a);
                    int may = MAY[r] && has_word(MAY[r], name);
                    int to = expected(f, (enum wg_case_state)s, (enum wg_case_action)a);
                    struct wg_case_result out = {0};
                    struct wg_err err = {0};
                    enum wg_rc rc = wg_case_step((enum wg_case_state)s, (enum wg_case_action)a,
                                                 (enum wg_role_id)r, &f->ctx, &out, &err);
                    enum wg_rc want = !may ? WG_EFORBIDDEN : to < 0 ? WG_ECONFLICT : WG_OK;
                    if (rc != want)
                        fprintf(stderr, "%s: %s %s by %s: %d, expected %d (%s)\n", f->name,
                                wg_case_state_name((enum wg_case_state)s), name,
                                wg_role_name((enum wg_role_id)r), rc, want, err.msg);
                    T_EQ_INT(rc, want);
                    if (rc == WG_OK) {
                        T_EQ_INT(out.next, to);
                        want_allowed++;
                        T_CHECK(nallowed >= want_allowed &&
                                allowed[want_allowed - 1] == (enum wg_case_action)a);
                    }
                    if (rc == WG_ECONFLICT) /* the 409 names what the role can do now */
                        T_CHECK(strstr(err.msg, "allowed for ") != NULL);
                    checked++;
                }
                T_EQ_INT(nallowed, want_allowed);
            }
    }
    T_EQ_INT(checked, 6 * WG_CASE_STATE_COUNT * WG_ROLE_COUNT * WG_CASE_ACTION_COUNT);
}

/* Up the hourglass one level at a time, registered again for the level above; at the county
 * a case is referred. Where a case ends is recorded by agree and refer. */
static void test_levels_and_effects(void)
{
    struct wg_err err = {0};
    struct wg_case_result out;
    struct wg_case_ctx c = {WG_CASE_GRID, 0, 0, 0};
    for (int level = WG_CASE_GRID; level < WG_CASE_COUNTY; level++) {
        c.level = (enum wg_case_level)level;
        T_EQ_INT(
            wg_case_step(WG_CASE_MEDIATING, WG_CASE_ESCALATE, WG_ROLE_MEDIATOR, &c, &out, &err),
            WG_OK);
        T_EQ_INT(out.next, WG_CASE_REGISTERED);
        T_EQ_INT(out.level, level + 1);
        T_EQ_INT(out.effects, WG_CASE_FX_LEVEL_UP);
    }
    c.level = WG_CASE_COUNTY;
    T_EQ_INT(wg_case_step(WG_CASE_MEDIATING, WG_CASE_ESCALATE, WG_ROLE_MEDIATOR, &c, &out, &err),
             WG_ECONFLICT);
    T_CHECK(strstr(err.msg, "referred, not escalated") != NULL);
    T_CHECK(strstr(err.msg, "allowed for mediator: session, agree, refer, note, assign, party") !=
            NULL);
    T_EQ_INT(wg_case_step(WG_CASE_MEDIATING, WG_CASE_REFER, WG_ROLE_MEDIATOR, &c, &out, &err),
             WG_OK);
    T_EQ_INT(out.effects, WG_CASE_FX_ENDED);
    T_EQ_INT(out.level, WG_CASE_COUNTY);
    c.level = WG_CASE_VILLAGE;
    T_EQ_INT(wg_case_step(WG_CASE_MEDIATING, WG_CASE_AGREE, WG_ROLE_GRIDWORKER, &c, &out, &err),
             WG_OK);
    T_EQ_INT(out.effects, WG_CASE_FX_ENDED | WG_CASE_FX_SUCCESS);
    T_EQ_INT(out.level, WG_CASE_VILLAGE);
    /* a recorded event keeps the state and the level */
    T_EQ_INT(wg_case_step(WG_CASE_MEDIATING, WG_CASE_SESSION, WG_ROLE_COMMUNITY, &c, &out, &err),
             WG_OK);
    T_EQ_INT(out.next, WG_CASE_MEDIATING);
    T_EQ_INT(out.effects, 0);
    /* NULL facts are the plain case */
    T_EQ_INT(wg_case_step(WG_CASE_REGISTERED, WG_CASE_ACCEPT, WG_ROLE_MEDIATOR, NULL, &out, &err),
             WG_OK);
    T_EQ_INT(out.level, WG_CASE_GRID);
}

static void test_messages_and_names(void)
{
    struct wg_err err = {0};
    struct wg_case_result out;
    enum wg_case_state s;
    enum wg_case_action a;
    enum wg_case_level l;
    T_EQ_INT(wg_case_step(WG_CASE_REGISTERED, WG_CASE_ACCEPT, WG_ROLE_HANDLER, NULL, &out, &err),
             WG_EFORBIDDEN);
    T_EQ_STR(err.msg, "a handler may not accept a dispute case");
    T_EQ_INT(wg_case_step(WG_CASE_ARCHIVED, WG_CASE_NOTE, WG_ROLE_AGENT, NULL, &out, &err),
             WG_ECONFLICT);
    T_EQ_STR(err.msg, "cannot note a case that is archived; allowed for agent: none");
    struct wg_case_ctx red = {WG_CASE_TOWN, 1, 1, 0};
    T_EQ_INT(wg_case_step(WG_CASE_ACCEPTED, WG_CASE_TAKE, WG_ROLE_LEADER, &red, &out, &err),
             WG_ECONFLICT);
    T_EQ_STR(err.msg, "cannot take a case that is accepted: a leader has taken the case already; "
                      "allowed for leader: supervise, note");
    struct wg_case_ctx bad = {WG_CASE_LEVEL_COUNT, 0, 0, 0};
    T_EQ_INT(wg_case_step(WG_CASE_ACCEPTED, WG_CASE_NOTE, WG_ROLE_LEADER, &bad, &out, &err),
             WG_EINVAL);
    T_EQ_INT(wg_case_step(WG_CASE_STATE_COUNT, WG_CASE_NOTE, WG_ROLE_LEADER, NULL, &out, &err),
             WG_EINVAL);
    T_EQ_INT(wg_case_allowed(WG_CASE_STATE_COUNT, WG_ROLE_LEADER, NULL, NULL, 0), 0);
    for (int i = 0; i < WG_CASE_STATE_COUNT; i++) {
        T_EQ_INT(wg_case_state_parse(wg_case_state_name((enum wg_case_state)i), &s, &err), WG_OK);
        T_EQ_INT(s, i);
    }
    for (int i = 0; i < WG_CASE_ACTION_COUNT; i++) {
        T_EQ_INT(wg_case_action_parse(wg_case_action_name((enum wg_case_action)i), &a, &err),
                 WG_OK);
        T_EQ_INT(a, i);
    }
    for (int i = 0; i < WG_CASE_LEVEL_COUNT; i++) {
        T_EQ_INT(wg_case_level_parse(wg_case_level_name((enum wg_case_level)i), &l, &err), WG_OK);
        T_EQ_INT(l, i);
    }
    T_EQ_INT(wg_case_action_parse("dispatch", &a, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "'dispatch' is not a case action; one of: accept, refuse") != NULL);
    T_EQ_INT(wg_case_level_parse(NULL, &l, &err), WG_EINVAL);
    T_CHECK(wg_case_state_name(WG_CASE_STATE_COUNT) == NULL);
    T_CHECK(wg_case_action_name(WG_CASE_ACTION_COUNT) == NULL);
    T_CHECK(wg_case_level_name(WG_CASE_LEVEL_COUNT) == NULL);
}

int main(void)
{
    test_every_triple();
    test_levels_and_effects();
    test_messages_and_names();
    return T_DONE("dispute_fsm");
}
