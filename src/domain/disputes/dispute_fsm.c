/* The dispute case's state machine: one table of rules (action, states, roles, result, guard,
 * effects). wg_case_step and wg_case_allowed read the same rows, so the 409 list and
 * allowed_actions never disagree with what a step accepts. */
#include "domain/disputes/dispute_fsm.h"

#include <stdio.h>
#include <string.h>

static const char *const state_names[WG_CASE_STATE_COUNT] = {
    [WG_CASE_REGISTERED] = "registered",
    [WG_CASE_ACCEPTED] = "accepted",
    [WG_CASE_INVESTIGATING] = "investigating",
    [WG_CASE_MEDIATING] = "mediating",
    [WG_CASE_AGREED] = "agreed",
    [WG_CASE_PERFORMED] = "performed",
    [WG_CASE_FOLLOWED_UP] = "followed_up",
    [WG_CASE_ARCHIVED] = "archived",
    [WG_CASE_REFUSED] = "refused",
    [WG_CASE_REFERRED] = "referred",
};

static const char *const action_names[WG_CASE_ACTION_COUNT] = {
    [WG_CASE_ACCEPT] = "accept",
    [WG_CASE_REFUSE] = "refuse",
    [WG_CASE_INVESTIGATE] = "investigate",
    [WG_CASE_MEDIATE] = "mediate",
    [WG_CASE_SESSION] = "session",
    [WG_CASE_AGREE] = "agree",
    [WG_CASE_ESCALATE] = "escalate",
    [WG_CASE_REFER] = "refer",
    [WG_CASE_CONFIRM] = "confirm",
    [WG_CASE_PERFORM] = "perform",
    [WG_CASE_FOLLOW_UP] = "follow_up",
    [WG_CASE_ARCHIVE] = "archive",
    [WG_CASE_TAKE] = "take",
    [WG_CASE_SUPERVISE] = "supervise",
    [WG_CASE_NOTE] = "note",
    [WG_CASE_ASSIGN] = "assign",
    [WG_CASE_PARTY] = "party",
};

static const char *const level_names[WG_CASE_LEVEL_COUNT] = {
    [WG_CASE_GRID] = "grid",
    [WG_CASE_VILLAGE] = "village",
    [WG_CASE_TOWN] = "town",
    [WG_CASE_COUNTY] = "county",
};

#define S(x) (1u << WG_CASE_##x)
#define R(x) (1u << WG_ROLE_##x)
/* Where a case is still worked: not yet archived, refused or handed over. */
#define OPEN                                                                                       \
    (S(REGISTERED) | S(ACCEPTED) | S(INVESTIGATING) | S(MEDIATING) | S(AGREED) | S(PERFORMED) |    \
     S(FOLLOWED_UP))
/* Before an agreement: where a case may still go up a level or be handed over. */
#define UNRESOLVED (S(ACCEPTED) | S(INVESTIGATING) | S(MEDIATING))
/* Who decides for a mediation body: whether it takes a case, hands it over, closes the file —
 * the mediators, the village committee's staff and the governance centre. */
#define DECIDERS (R(SUPERVISOR) | R(COMMUNITY) | R(MEDIATOR))
/* Who mediates: the deciders and, at the grid, its workers (调解在网格). */
#define WORKERS (DECIDERS | R(GRIDWORKER))
/* Everyone who works on cases may write on the timeline. The administrators are not here, as
 * they are not for orders (等保 keeps them apart from the business), nor are departments'
 * handlers, who see a case only through its order. */
#define NOTERS (WORKERS | R(AGENT) | R(LEADER))

enum { KEEP = -1 }; /* a recorded event: the state stays */

typedef const char *guard_fn(const struct wg_case_ctx *c);

struct rule {
    enum wg_case_action action;
    unsigned from;  /* states, one bit each */
    unsigned roles; /* roles, one bit each */
    int to;         /* a state, or KEEP */
    guard_fn *guard;
    unsigned effects;
};

static const char *g_escalate(const struct wg_case_ctx *c)
{
    return c->level >= WG_CASE_COUNTY ? "a case at the county centre is referred, not escalated"
                                      : NULL;
}

static const char *g_confirm(const struct wg_case_ctx *c)
{
    return c->confirm_closed ? "judicial confirmation is applied for within 30 days of the "
                               "agreement (People's Mediation Law art. 33)"
                             : NULL;
}

static const char *g_take(const struct wg_case_ctx *c)
{
    if (!c->red)
        return "only a red case is taken by a leader";
    return c->taken ? "a leader has taken the case already" : NULL;
}

/* Each row says why it is there. */
static const struct rule rules[] = {
    /* the body of the case's level takes it (at the grid, its worker: 就地化解), or says why
     * mediation is not the way */
    {WG_CASE_ACCEPT, S(REGISTERED), WORKERS, WG_CASE_ACCEPTED, NULL, 0},
    {WG_CASE_REFUSE, S(REGISTERED), DECIDERS, WG_CASE_REFUSED, NULL, 0},
    /* the facts first, or mediation at once when they are plain */
    {WG_CASE_INVESTIGATE, S(ACCEPTED), WORKERS, WG_CASE_INVESTIGATING, NULL, 0},
    {WG_CASE_MEDIATE, S(ACCEPTED) | S(INVESTIGATING), WORKERS, WG_CASE_MEDIATING, NULL, 0},
    {WG_CASE_SESSION, S(MEDIATING), WORKERS, KEEP, NULL, 0},
    /* an agreement ends the case at its level, a success */
    {WG_CASE_AGREE, S(MEDIATING), WORKERS, WG_CASE_AGREED, NULL,
     WG_CASE_FX_ENDED | WG_CASE_FX_SUCCESS},
    /* not agreed: one level up the hourglass, registered there for that level's body to
     * take; or handed over, which ends it at this level */
    {WG_CASE_ESCALATE, UNRESOLVED, WORKERS, WG_CASE_REGISTERED, g_escalate, WG_CASE_FX_LEVEL_UP},
    {WG_CASE_REFER, UNRESOLVED, DECIDERS, WG_CASE_REFERRED, NULL, WG_CASE_FX_ENDED},
    /* judicial confirmation of the agreement, while performing it or after */
    {WG_CASE_CONFIRM, S(AGREED) | S(PERFORMED), R(MEDIATOR) | R(SUPERVISOR), KEEP, g_confirm, 0},
    {WG_CASE_PERFORM, S(AGREED), WORKERS, WG_CASE_PERFORMED, NULL, 0},
    {WG_CASE_FOLLOW_UP, S(PERFORMED), WORKERS, WG_CASE_FOLLOWED_UP, NULL, 0},
    /* the file is closed after the follow-up, or once the case is handed over */
    {WG_CASE_ARCHIVE, S(FOLLOWED_UP) | S(REFERRED), DECIDERS, WG_CASE_ARCHIVED, NULL, 0},
    /* a red case: a leader takes it (包案); the centre and leaders push open cases */
    {WG_CASE_TAKE, OPEN, R(LEADER), KEEP, g_take, 0},
    {WG_CASE_SUPERVISE, OPEN, R(SUPERVISOR) | R(LEADER), KEEP, NULL, 0},
    {WG_CASE_NOTE, OPEN | S(REFERRED), NOTERS, KEEP, NULL, 0},
    /* the deciders give a case to a mediation body and a mediator, or another, until it is
     * agreed or handed over */
    {WG_CASE_ASSIGN, S(REGISTERED) | UNRESOLVED, DECIDERS, KEEP, NULL, 0},
    /* a party found after the case was recorded (a case an order opened names its reporter
     * alone): added while it is worked, before an agreement names them all */
    {WG_CASE_PARTY, S(REGISTERED) | UNRESOLVED, WORKERS, KEEP, NULL, 0},
};
#define NRULES (sizeof rules / sizeof rules[0])

const char *wg_case_state_name(enum wg_case_state s)
{
    return (unsigned)s < WG_CASE_STATE_COUNT ? state_names[s] : NULL;
}

const char *wg_case_action_name(enum wg_case_action a)
{
    return (unsigned)a < WG_CASE_ACTION_COUNT ? action_names[a] : NULL;
}

const char *wg_case_level_name(enum wg_case_level l)
{
    return (unsigned)l < WG_CASE_LEVEL_COUNT ? level_names[l] : NULL;
}

static enum wg_rc parse(const char *what, const char *const *names, int n, const char *name,
                        int *out, struct wg_err *err)
{
    char list[256] = "";
    for (int i = 0; i < n; i++) {
        if (name && !strcmp(name, names[i])) {
            *out = i;
            return WG_OK;
        }
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", names[i]);
    }
    return wg_err_set(err, WG_EINVAL, "'%s' is not a %s; one of: %s", name ? name : "", what, list);
}

enum wg_rc wg_case_state_parse(const char *name, enum wg_case_state *out, struct wg_err *err)
{
    int v = 0;
    enum wg_rc rc = parse("case state", state_names, WG_CASE_STATE_COUNT, name, &v, err);
    *out = (enum wg_case_state)v;
    return rc;
}

enum wg_rc wg_case_action_parse(const char *name, enum wg_case_action *out, struct wg_err *err)
{
    int v = 0;
    enum wg_rc rc = parse("case action", action_names, WG_CASE_ACTION_COUNT, name, &v, err);
    *out = (enum wg_case_action)v;
    return rc;
}

enum wg_rc wg_case_level_parse(const char *name, enum wg_case_level *out, struct wg_err *err)
{
    int v = 0;
    enum wg_rc rc = parse("level", level_names, WG_CASE_LEVEL_COUNT, name, &v, err);
    *out = (enum wg_case_level)v;
    return rc;
}

int wg_case_final(enum wg_case_state s)
{
    return s == WG_CASE_ARCHIVED || s == WG_CASE_REFUSED;
}

/* The row of action for role, or NULL when the role may never take it. */
static const struct rule *row_of(enum wg_case_action action, enum wg_role_id role)
{
    for (size_t i = 0; i < NRULES; i++)
        if (rules[i].action == action && (rules[i].roles & (1u << role)))
            return &rules[i];
    return NULL;
}

/* NULL when the row allows the step from state now, else why not ("" when the state alone
 * is the reason). */
static const char *refusal(const struct rule *r, enum wg_case_state state,
                           const struct wg_case_ctx *c)
{
    if (!(r->from & (1u << state)))
        return "";
    return r->guard ? r->guard(c) : NULL;
}

size_t wg_case_allowed(enum wg_case_state state, enum wg_role_id role,
                       const struct wg_case_ctx *ctx, enum wg_case_action *out, size_t max)
{
    static const struct wg_case_ctx none;
    const struct wg_case_ctx *c = ctx ? ctx : &none;
    size_t n = 0;
    if ((unsigned)state >= WG_CASE_STATE_COUNT || (unsigned)role >= WG_ROLE_COUNT)
        return 0;
    for (int a = 0; a < WG_CASE_ACTION_COUNT; a++) {
        const struct rule *r = row_of((enum wg_case_action)a, role);
        if (r && !refusal(r, state, c)) {
            if (n < max)
                out[n] = (enum wg_case_action)a;
            n++;
        }
    }
    return n;
}

enum wg_rc wg_case_step(enum wg_case_state state, enum wg_case_action action, enum wg_role_id role,
                        const struct wg_case_ctx *ctx, struct wg_case_result *out,
                        struct wg_err *err)
{
    static const struct wg_case_ctx none;
    const struct wg_case_ctx *c = ctx ? ctx : &none;
    if ((unsigned)state >= WG_CASE_STATE_COUNT || (unsigned)action >= WG_CASE_ACTION_COUNT ||
        (unsigned)role >= WG_ROLE_COUNT || (unsigned)c->level >= WG_CASE_LEVEL_COUNT)
        return wg_err_set(err, WG_EINVAL, "a case state, action, role or level is out of range");
    const struct rule *r = row_of(action, role);
    if (!r)
        return wg_err_set(err, WG_EFORBIDDEN, "a %s may not %s a dispute case", wg_role_name(role),
                          action_names[action]);
    const char *why = refusal(r, state, c);
    if (why) {
        enum wg_case_action can[WG_CASE_ACTION_COUNT];
        size_t n = wg_case_allowed(state, role, c, can, WG_CASE_ACTION_COUNT);
        char list[256] = "";
        for (size_t i = 0; i < n; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                     action_names[can[i]]);
        return wg_err_set(err, WG_ECONFLICT, "cannot %s a case that is %s%s%s; allowed for %s: %s",
                          action_names[action], state_names[state], *why ? ": " : "", why,
                          wg_role_name(role), n ? list : "none");
    }
    out->next = r->to == KEEP ? state : (enum wg_case_state)r->to;
    out->level = c->level + ((r->effects & WG_CASE_FX_LEVEL_UP) ? 1 : 0);
    out->effects = r->effects;
    return WG_OK;
}
