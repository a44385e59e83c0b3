/* The work-order state machine (SPEC §3, names of §9) as data: which role may take which
 * action in which state, and where it leads. Pure logic — no store, no clock, no JSON: the
 * order module reads the facts below from the order and the caller, asks wg_fsm_step, and
 * applies the answer (state, counters, flags, timeline event) in one transaction.
 *
 * States — an order is in exactly one:
 *   received    受理       taken in (by an agent, a channel, a grid worker's report); no unit
 *                          holds it. Also where an approved return lands, for re-dispatch.
 *   dispatched  已派单     sent to one lead unit (主办) and any assisting units (协办); the
 *                          unit's sign clock runs.
 *   signed      已签收     the lead unit has acknowledged it; the reply clock runs; extensions
 *                          are asked for and decided here.
 *   replied     已答复     answered — by the lead unit, by the agent on the call (直接答复, no
 *                          unit), or by a grid worker who fixed it on the spot (自处置, no unit).
 *   verified    已核查     the centre or a grid worker checked the result and accepted it.
 *   closed      已办结     the loop is done: the resident was called back, or could not be
 *                          reached in 3 attempts (未回访), or was unsatisfied a second time
 *                          (closed and flagged for the special team 专班).
 *   returning   退单申请中 the lead unit says the order is not its own; the centre approves
 *                          (back to received, 改派) or rejects (back to signed: it is theirs).
 *   suspended   挂起       stopped, clocks too, by the centre; the order remembers the state
 *                          it left (received, dispatched or signed) and resume goes back there.
 *   merged      已并单     a duplicate of its master; it follows the master from then on and
 *                          never moves again (its reporter is still called back).
 *   invalid     无效件     not an appeal (a prank, a test call, a wrong number); final.
 *
 * Invariants (the order module keeps them; this file never lets a step break them):
 *   - dispatched, signed and returning orders have a lead unit; received ones have none.
 *   - replied means a reply exists; verified means someone accepted it, and for a
 *     self-handled order that someone is not the grid worker who handled it.
 *   - an order is reopened (重办) at most once, by a callback or by the reopen action; after
 *     that an unsatisfied callback closes it flagged for the special team.
 *   - at most 3 unreachable callback attempts; the third closes the order as 未回访.
 *   - merged and invalid are final; closed is final but for the one reopen. A merged order
 *     follows its master: once the master is verified its own reporter is called back
 *     (once: reached, or unreachable 3 times), and the master's own callback waits until
 *     every reporter of its duplicates has been, so nobody who called is left out.
 *   - a pending extension request lapses when the order leaves signed.
 *   - recorded events (extend and its decisions, supervise, urge, instruct, note, route_line,
 *     contact, an assisting unit's sign and reply, an unreachable callback attempt) leave the state
 *     as it was; wg_fsm_step then answers next == the current state.
 *
 * The table in order_fsm.c gives, per action, the states it is allowed in, the roles that may
 * take it, and the result; each row says why. A role that appears in no row of an action may
 * never take it (403); a role that may, but not now, gets 409 naming what it can do now. */
#ifndef WG_DOMAIN_ORDER_FSM_H
#define WG_DOMAIN_ORDER_FSM_H

#include <stddef.h>

#include "core/err.h"
#include "domain/accounts/role.h"

/* SPEC §9 order; the values index the name tables. */
enum wg_order_state {
    WG_STATE_RECEIVED,
    WG_STATE_DISPATCHED,
    WG_STATE_SIGNED,
    WG_STATE_REPLIED,
    WG_STATE_VERIFIED,
    WG_STATE_CLOSED,
    WG_STATE_RETURNING,
    WG_STATE_SUSPENDED,
    WG_STATE_MERGED,
    WG_STATE_INVALID,
    WG_STATE_COUNT
};

/* Every action of POST /api/v1/orders/{id}/actions/{name}, SPEC §9 order (allowed lists
 * come out in this order). */
enum wg_order_action {
    WG_ACTION_DISPATCH,
    WG_ACTION_SIGN,
    WG_ACTION_RETURN,
    WG_ACTION_APPROVE_RETURN,
    WG_ACTION_REJECT_RETURN,
    WG_ACTION_EXTEND,
    WG_ACTION_APPROVE_EXTENSION,
    WG_ACTION_REJECT_EXTENSION,
    WG_ACTION_SUSPEND,
    WG_ACTION_RESUME,
    WG_ACTION_ANSWER,
    WG_ACTION_SELF_HANDLE,
    WG_ACTION_REPLY,
    WG_ACTION_VERIFY,
    WG_ACTION_CALLBACK,
    WG_ACTION_REOPEN,
    WG_ACTION_MERGE,
    WG_ACTION_INVALIDATE,
    WG_ACTION_SUPERVISE,
    WG_ACTION_URGE,
    WG_ACTION_INSTRUCT,
    WG_ACTION_NOTE,
    WG_ACTION_ROUTE_LINE,
    /* Beyond SPEC §9's list: the resident's own rating through the portal (order_fsm.c), */
    WG_ACTION_RATE,
    /* and the lead unit's contact with the reporter, due by the next working day's close. */
    WG_ACTION_CONTACT,
    WG_ACTION_COUNT
};

/* A callback's satisfaction; NONE when the resident was not reached. */
enum wg_satisfaction {
    WG_SAT_NONE,
    WG_SAT_SATISFIED,
    WG_SAT_BASICALLY_SATISFIED,
    WG_SAT_UNSATISFIED,
    WG_SAT_COUNT
};

/* What outcomes and guards depend on. All-zero facts are the plain case: an order held by
 * its lead unit, nothing pending, never reopened, the caller not the self-handler. (All-zero
 * body fields mean a failed verification and an unreached resident: set them.)
 *
 * The first group are facts about the order and the caller: they decide whether an action
 * is allowed now, so GET /orders/{id} fills them for allowed_actions. The second group are
 * fields of the action's own body: they only decide where an allowed action leads. */
struct wg_fsm_ctx {
    /* facts about the order and the caller */
    int assisting;             /* the caller's unit is an assisting unit (协办), not the lead */
    int extension_pending;     /* an extension request awaits the centre's decision */
    int self_handle_barred;    /* the catalog item does not let grid workers self-handle */
    int direct_answer;         /* the current reply is the agent's direct answer (no unit) */
    int self_handled;          /* the current reply is a grid worker's self-handling (no unit) */
    int actor_is_self_handler; /* the caller is the grid worker who self-handled it */
    int reopened_before;       /* the order has used its one reopen */
    int no_reporter;           /* anonymous: nobody to call back or contact */
    int callback_attempts;     /* unreachable callback attempts already recorded */
    enum wg_order_state before_suspend; /* the state suspend left (for resume) */
    enum wg_order_state master_state;   /* for a merged order: its master's state */
    int called_back;    /* a merged order: its reporter was reached, or was unreachable 3 times */
    int merged_pending; /* duplicates merged into this order whose reporters are still to be
                         * called back: the master is called back after them */
    int has_merged;     /* other orders are merged into this one: it is nobody's duplicate */
    int rated;          /* the resident has rated it already (rate is once) */
    /* fields of the action's body */
    int verify_passed;                 /* verify: passed true/false */
    int reached;                       /* callback: the resident answered */
    enum wg_satisfaction satisfaction; /* callback: when reached */
};

/* The third unreachable callback attempt closes the order as 未回访 (SPEC §3). */
#define WG_FSM_CALLBACK_ATTEMPTS 3

/* Side effects of a step that the order module must record beside the new state. */
enum wg_fsm_effect {
    WG_FSM_REWORK = 1u << 0,       /* verification failed: back for rework (返工, counted) */
    WG_FSM_REOPENED = 1u << 1,     /* 重办 (counted); set reopened_before */
    WG_FSM_SPECIAL_TEAM = 1u << 2, /* closed on a second 不满意: flag it for the special team */
    WG_FSM_ATTEMPT = 1u << 3,      /* an unreachable callback attempt: add one to attempts */
    WG_FSM_UNREACHED = 1u << 4,    /* closed without reaching the resident (未回访) */
    WG_FSM_CALLED_BACK = 1u << 5,  /* the resident's rating stands as the callback: record
                                      its satisfaction as a reached callback's */
};

struct wg_fsm_result {
    enum wg_order_state next;
    unsigned effects; /* enum wg_fsm_effect bits */
};

/* Names ↔ values, exactly the SPEC §9 spellings. A name function returns NULL for a value
 * out of range; a parse function returns WG_EINVAL naming the accepted values. */
const char *wg_fsm_state_name(enum wg_order_state s);
const char *wg_fsm_action_name(enum wg_order_action a);
const char *wg_fsm_satisfaction_name(enum wg_satisfaction s);
enum wg_rc wg_fsm_state_parse(const char *name, enum wg_order_state *out, struct wg_err *err);
enum wg_rc wg_fsm_action_parse(const char *name, enum wg_order_action *out, struct wg_err *err);
enum wg_rc wg_fsm_satisfaction_parse(const char *name, enum wg_satisfaction *out,
                                     struct wg_err *err);

/* May `role` take `action` on an order in `state`, and where does it lead? ctx may be NULL
 * (all zero). WG_OK with *next; WG_EFORBIDDEN when the role may never take the action;
 * WG_ECONFLICT when it may, but not now — the message ends "allowed for <role>: a, b, c"
 * (or "none"), the list wg_fsm_allowed gives; WG_EINVAL for a value out of range or body
 * fields that contradict each other (reached without a satisfaction). */
enum wg_rc wg_fsm_check(enum wg_order_state state, enum wg_order_action action,
                        enum wg_role_id role, const struct wg_fsm_ctx *ctx,
                        enum wg_order_state *next, struct wg_err *err);
/* wg_fsm_check with the side effects too. */
enum wg_rc wg_fsm_step(enum wg_order_state state, enum wg_order_action action, enum wg_role_id role,
                       const struct wg_fsm_ctx *ctx, struct wg_fsm_result *out, struct wg_err *err);

/* The actions `role` may take now, in SPEC §9 order; writes at most max of them and returns
 * how many there are (for allowed_actions in GET /api/v1/orders/{id}). Only the facts of ctx
 * matter here, never the body fields. */
size_t wg_fsm_allowed(enum wg_order_state state, enum wg_role_id role, const struct wg_fsm_ctx *ctx,
                      enum wg_order_action *out, size_t max);

/* Rules the table relies on, exposed for callers and tests. */
/* 0 when the caller would verify the order they self-handled: another person must. */
int wg_fsm_verifier_ok(const struct wg_fsm_ctx *ctx);
/* 0 for an assisting unit's reply: the order is replied when the lead unit replies. */
int wg_fsm_reply_changes_state(const struct wg_fsm_ctx *ctx);
/* 1 when an order in `master` state can take duplicates (not closed, merged or invalid). */
int wg_fsm_can_merge_into(enum wg_order_state master);

#endif
