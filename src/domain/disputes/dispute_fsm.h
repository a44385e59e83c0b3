/* The dispute case's state machine (SPEC §5, issue 20) as data: which role may take which
 * action in which state, and where it leads. Pure logic, as order_fsm.h is: the disputes
 * module reads the facts below from the case and the caller, asks wg_case_step, and applies
 * the answer (state, level, end, timeline event) in one transaction.
 *
 * States — a case is in exactly one:
 *   registered     登记     recorded (screening, a grid worker, an order's line, a walk-in,
 *                           a court's or the police's referral…); nobody has taken it yet.
 *   accepted       受理     taken by the mediation body of its current level.
 *   investigating  调查     the facts are being gathered.
 *   mediating      调解     in mediation: sessions are recorded while here.
 *   agreed         达成协议 an agreement is signed (written or oral); to be performed.
 *                           Judicial confirmation is applied for within 30 days of it.
 *   performed      已履行   the agreement has been carried out.
 *   followed_up    已回访   the parties were asked afterwards.
 *   archived       归档     final: the file is closed.
 *   refused        不予受理 final: not a dispute for mediation here, with the reason.
 *   referred       已移交   not agreed, and handed over (court, arbitration, administrative
 *                           review, petition office); it is archived from here.
 *
 * Escalation is the hourglass (grid → village → town centre → county centre): a case not
 * agreed at its level goes up one level and is accepted there again; at the county it can
 * only be referred. The level where a case ends (agreed or referred) is recorded. */
#ifndef WG_DOMAIN_DISPUTE_FSM_H
#define WG_DOMAIN_DISPUTE_FSM_H

#include <stddef.h>

#include "core/err.h"
#include "domain/accounts/role.h"

enum wg_case_state {
    WG_CASE_REGISTERED,
    WG_CASE_ACCEPTED,
    WG_CASE_INVESTIGATING,
    WG_CASE_MEDIATING,
    WG_CASE_AGREED,
    WG_CASE_PERFORMED,
    WG_CASE_FOLLOWED_UP,
    WG_CASE_ARCHIVED,
    WG_CASE_REFUSED,
    WG_CASE_REFERRED,
    WG_CASE_STATE_COUNT
};

/* Every action of POST /api/v1/disputes/{id}/actions/{name}. */
enum wg_case_action {
    WG_CASE_ACCEPT,      /* 受理 */
    WG_CASE_REFUSE,      /* 不予受理 (a reason) */
    WG_CASE_INVESTIGATE, /* 调查 */
    WG_CASE_MEDIATE,     /* 开始调解 */
    WG_CASE_SESSION,     /* a mediation session (time, place or online, attendees, record) */
    WG_CASE_AGREE,       /* 达成协议 (the agreement's contents) */
    WG_CASE_ESCALATE,    /* 上交 one level up (not agreed here) */
    WG_CASE_REFER,       /* 移交 (court, arbitration, administrative review, petition office) */
    WG_CASE_CONFIRM,     /* 司法确认 applied for or decided */
    WG_CASE_PERFORM,     /* 履行 */
    WG_CASE_FOLLOW_UP,   /* 回访 */
    WG_CASE_ARCHIVE,     /* 归档 */
    WG_CASE_TAKE,        /* a leader takes a red case (包案) */
    WG_CASE_SUPERVISE,   /* 督办 */
    WG_CASE_NOTE,        /* a note on the timeline */
    WG_CASE_ASSIGN,      /* 指派 a mediation body and a mediator */
    WG_CASE_PARTY,       /* a party added (a respondent found in the investigation) */
    WG_CASE_ACTION_COUNT
};

/* The hourglass's levels, low to high. */
enum wg_case_level {
    WG_CASE_GRID,
    WG_CASE_VILLAGE,
    WG_CASE_TOWN,
    WG_CASE_COUNTY,
    WG_CASE_LEVEL_COUNT
};

/* What guards depend on; all zero is the plain case: a case below the county, nobody has
 * taken it, the agreement's 30 days not passed. */
struct wg_case_ctx {
    enum wg_case_level level; /* the case's current level */
    int red;                  /* risk colour red: a leader must take it */
    int taken;                /* a leader has taken it already */
    int confirm_closed;       /* more than 30 days since the agreement (art. 33) */
};

/* Side effects the disputes module records beside the new state. */
enum wg_case_effect {
    WG_CASE_FX_LEVEL_UP = 1u << 0, /* escalate: the level goes up one */
    WG_CASE_FX_ENDED = 1u << 1,    /* agreed or referred: the end level is the current one */
    WG_CASE_FX_SUCCESS = 1u << 2,  /* agreed: counted as mediated successfully */
};

struct wg_case_result {
    enum wg_case_state next;
    enum wg_case_level level; /* the level after the step */
    unsigned effects;         /* enum wg_case_effect bits */
};

/* Names ↔ values. A name function returns NULL out of range; a parse function returns
 * WG_EINVAL naming the accepted values. */
const char *wg_case_state_name(enum wg_case_state s);
const char *wg_case_action_name(enum wg_case_action a);
const char *wg_case_level_name(enum wg_case_level l);
enum wg_rc wg_case_state_parse(const char *name, enum wg_case_state *out, struct wg_err *err);
enum wg_rc wg_case_action_parse(const char *name, enum wg_case_action *out, struct wg_err *err);
enum wg_rc wg_case_level_parse(const char *name, enum wg_case_level *out, struct wg_err *err);

/* May `role` take `action` on a case in `state`, and where does it lead? ctx may be NULL
 * (all zero). WG_OK with *out; WG_EFORBIDDEN when the role may never take the action;
 * WG_ECONFLICT when it may, but not now — the message ends "allowed for <role>: a, b" (or
 * "none"), the list wg_case_allowed gives; WG_EINVAL for a value out of range. */
enum wg_rc wg_case_step(enum wg_case_state state, enum wg_case_action action, enum wg_role_id role,
                        const struct wg_case_ctx *ctx, struct wg_case_result *out,
                        struct wg_err *err);

/* The actions `role` may take now, in the enum's order; writes at most max and returns how
 * many there are (allowed_actions in GET /api/v1/disputes/{id}). */
size_t wg_case_allowed(enum wg_case_state state, enum wg_role_id role,
                       const struct wg_case_ctx *ctx, enum wg_case_action *out, size_t max);

/* 1 for a state no action moves out of (archived, refused). */
int wg_case_final(enum wg_case_state s);

#endif
