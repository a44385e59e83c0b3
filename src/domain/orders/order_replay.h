/* What the order module computes when an action is taken and a replay of an order's timeline
 * must compute again the same way (domain/stats/stats_recount.h): the deadlines a dispatch
 * sets, the time a contact gives, the working minutes of a handling and the timeline's past
 * as the counters' cohorts need it. One home each: the live path (order_act.c,
 * order_actions.c) calls these too. */
#ifndef WG_DOMAIN_ORDER_REPLAY_H
#define WG_DOMAIN_ORDER_REPLAY_H

#include "domain/orders/order.h"
#include "domain/stats/stats.h"

/* The sign, reply and contact deadlines of a dispatch of order o at now (unix seconds; 0
 * where none: the contact of an anonymous order; without a calendar, the contact, and sign
 * and reply are left as they were): the item's
 * limits on working time (an item since retired from the catalog: the catalog's defaults),
 * natural time for urgent and critical orders, the contact by the close of the next working
 * day. */
enum wg_rc wg_order_deadlines(const struct wg_order_env *env, const struct wg_order_row *o,
                              long long now, long long *sign, long long *reply, long long *contact,
                              struct wg_err *err);
/* A contact's 'at': ISO 8601 in UTC ("…Z") or China time ("…+08:00"), seconds required;
 * unix seconds, or -1 for anything else. */
long long wg_order_contact_time(const char *s);
/* The working minutes from a dispatch to now (natural minutes where the calendar cannot
 * say); 0 when now is not after it. */
long long wg_order_handling_minutes(const struct wg_order_env *env, long long dispatched_at,
                                    long long now);

/* The timeline before an action, as the counters' cohorts need it (struct wg_stats_past):
 * the unit followed through dispatches and approved returns, the first move into replied,
 * and what the lead unit did since the latest dispatch. Start with wg_order_past_init and
 * step it with each event in timeline order. */
struct wg_order_past {
    struct wg_stats_past p;
    char unit[64], finished_unit[64];
};
void wg_order_past_init(struct wg_order_past *x);
void wg_order_past_step(struct wg_order_past *x, const struct wg_order_event_row *e);

#endif
