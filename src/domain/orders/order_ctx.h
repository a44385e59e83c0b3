/* What the order module knows of one order at one moment, shared by its files (intake, view,
 * list, actions) and by photos: the order read with its state parsed, how the caller stands
 * to it, what the state machine needs of it (domain/orders/order_fsm.h) and the light of its
 * reply clock. Nothing here decrypts a personal field: deciding whether someone may see an
 * order never opens its reporter. */
#ifndef WG_DOMAIN_ORDER_CTX_H
#define WG_DOMAIN_ORDER_CTX_H

#include "domain/orders/order.h"
#include "domain/orders/order_fsm.h"

/* An order as read: its row (owned strings) and its state as the state machine names it. */
struct wg_order {
    struct wg_order_row row;
    enum wg_order_state state;
};
/* Reads order id: WG_ENOTFOUND when there is none; a stored state this binary does not know
 * is WG_EDB naming it. Release with wg_order_unload. */
enum wg_rc wg_order_load(struct wg_db *db, long long id, struct wg_order *out, struct wg_err *err);
void wg_order_unload(struct wg_order *o);

/* How the caller stands to an order. Accounts scoped to a region act for the centre (or,
 * as handlers, for the lead unit); an account scoped to a unit is the lead, an assisting
 * unit (协办), or a stranger to whom the order does not exist. */
enum wg_order_relation { WG_REL_REGION, WG_REL_LEAD, WG_REL_ASSISTING, WG_REL_NONE };

#define WG_ORDER_ASSIST_MAX 16 /* assisting units of one order */

/* The order's assisting units in dispatch order, with when each signed and replied. */
struct wg_order_assist {
    char unit[WG_ORDER_ASSIST_MAX][64];
    char signed_at[WG_ORDER_ASSIST_MAX][32], replied_at[WG_ORDER_ASSIST_MAX][32];
    int n;
};

/* The order's assisting units and the caller's relation to it; WG_ENOTFOUND (as for a
 * missing order) when the caller may not see it. */
enum wg_rc wg_order_relate(struct wg_db *db, const struct wg_actor *actor,
                           const struct wg_order_row *o, struct wg_order_assist *a,
                           enum wg_order_relation *rel, struct wg_err *err);
/* WG_OK when the caller may see order id, WG_ENOTFOUND when it may not or there is none. */
enum wg_rc wg_order_visible(struct wg_db *db, const struct wg_actor *actor, long long id,
                            struct wg_err *err);

/* Whether the caller may reveal the order's reporter (POST /api/v1/orders/{id}/reveal): NULL
 * when they may, else why not, with *rc the answer's code — WG_EFORBIDDEN for a role that
 * never may (only agents, supervisors and the handlers of the unit holding the order), a
 * handler when no unit holds it or on a confidential order (保密件: never to units);
 * WG_ECONFLICT when there is nothing to reveal (anonymous, or no phone). The order's answer
 * shows the same as reporter.revealable, so the console never keeps a copy of the rule. */
const char *wg_order_reveal_refusal(const struct wg_order_row *o, const struct wg_actor *actor,
                                    enum wg_rc *rc);

/* The state machine's facts from the order's own: its facts row and the caller. */
void wg_order_fsm_ctx(const struct wg_order_facts *f, const struct wg_order *o,
                      const struct wg_actor *actor, enum wg_order_relation rel,
                      struct wg_fsm_ctx *ctx);
/* The facts that come from other orders: a merged order's master's state, and how many
 * reporters of the orders merged into this one are still to be called back. */
enum wg_rc wg_order_merge_ctx(struct wg_db *db, const struct wg_order *o,
                              const struct wg_order_facts *f, struct wg_fsm_ctx *ctx,
                              struct wg_err *err);

/* The light of the reply clock at now while a unit holds the order (dispatched, signed,
 * returning), on working time — natural time for urgent and critical orders; -1 when no
 * clock runs. The list filter and the order's answer both use this. */
int wg_order_light(const struct wg_order_env *env, enum wg_order_state state, const char *urgency,
                   long long dispatched_at, long long deadline, long long now);

/* Supervision (督办) and the callback's wait, as an order's answer and its list summary show
 * them (order_marks.c): "supervised": {"level"} once the order was ever supervised (the latest
 * level; "" when it gave none), and while it waits for its callback "callback": {"since" (its
 * reply, or its merging), "deadline" (WG_ORDER_CALLBACK_DAYS working days later)}. */
#define WG_ORDER_CALLBACK_DAYS 2
void wg_order_marks_json(const struct wg_order_env *env, const struct wg_order_row *o, json_t *j);
/* An order as a list shows it (order_list.c): id, number, channel, type, title, state,
 * urgency, version, created_at, item, grid and unit when set, its light (light >= 0) and its
 * marks; a desk's row adds the time left (order_desk.c). */
json_t *wg_order_summary_json(const struct wg_order_env *env, const struct wg_order_row *o,
                              int light);
/* The level of a supervise action's body as the order keeps it: a string's first 16
 * characters, "" otherwise. */
void wg_order_supervision_level(const json_t *body, char *out, size_t n);
/* Unit ids hold only [a-z0-9_-]: this one matches no order (a unit's account asking for
 * another unit's work gets an empty list, as a region's does for a grid outside it). */
#define WG_ORDER_NO_UNIT "!"
/* What a filter's text points into: the phone's blind index, the time bounds as compared. */
struct wg_order_filter_text {
    char blind[WG_PII_BLIND_HEX];
    char since[32], until[32];
};
/* The list's query parameters checked into a store filter (strings point into q and t); *light
 * the light asked for (-1: any). Bad parameters are WG_EINVAL naming the parameter. */
enum wg_rc wg_order_build_filter(const struct wg_pii_keys *keys, const struct wg_actor *actor,
                                 const struct wg_order_query *q, struct wg_order_filter *f,
                                 struct wg_order_filter_text *t, int *light, long long now,
                                 struct wg_err *err);
/* A unit filter names a unit that exists. */
enum wg_rc wg_order_check_unit(struct wg_db *db, const struct wg_order_query *q,
                               struct wg_err *err);

#endif
