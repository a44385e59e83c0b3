/* One action being taken on an order, inside the order module (order_act.c, order_actions.c):
 * what the action's own functions read and change, and their table. wg_order_act_in reads
 * the order, asks the state machine for the step, lets the action's row of the table do its
 * part, and writes the result; each row says what is particular to its action. */
#ifndef WG_DOMAIN_ORDER_ACT_H
#define WG_DOMAIN_ORDER_ACT_H

#include "domain/orders/order_ctx.h"

struct wg_act {
    struct wg_db *db;
    const struct wg_order_env *env;
    const struct wg_actor *actor;
    const json_t *body; /* the action's JSON object; NULL reads as {} */
    enum wg_order_action action;
    long long now;
    char at[32];                                /* now as ISO text */
    struct wg_order o;                          /* as read */
    struct wg_order_facts f;                    /* as the action leaves them */
    struct wg_order_assist assist;              /* the assisting units as read */
    enum wg_order_relation rel;                 /* the caller's */
    struct wg_fsm_ctx ctx;                      /* what the state machine was told */
    char unit[64];                              /* the lead unit the action leaves ("" none) */
    const char *assisting[WG_ORDER_ASSIST_MAX]; /* the assisting units it leaves, */
    size_t nassist;                             /* their number, */
    int set_assist;                             /* and whether it sets them at all */
};

/* An action's own part; any may be NULL. before: reads the body fields the state machine's
 * outcome depends on into a->ctx (before the step, so a bad body answers 400 before a 409).
 * apply: what the action changes beside the state (unit, deadlines, facts, lines), after a
 * step the state machine allowed. after: rows written once the order row is (the rating). */
struct wg_act_rule {
    enum wg_rc (*before)(struct wg_act *a, struct wg_err *err);
    enum wg_rc (*apply)(struct wg_act *a, struct wg_err *err);
    enum wg_rc (*after)(struct wg_act *a, struct wg_err *err);
};
extern const struct wg_act_rule wg_act_rules[WG_ACTION_COUNT];

#endif
