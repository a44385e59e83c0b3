/* What case_view.c and case_act.c share about a stored case: the facts its state machine
 * reads from it. */
#ifndef WG_DOMAIN_CASE_ROW_H
#define WG_DOMAIN_CASE_ROW_H

#include "domain/disputes/dispute_fsm.h"
#include "store/disputes/dispute_q.h"

/* The state, and the facts at now: the level, red, taken by a leader, the agreement's 30 days
 * for judicial confirmation passed (People's Mediation Law art. 33). */
void wg_case_facts(const struct wg_dispute_row *r, long long now, struct wg_case_ctx *c,
                   enum wg_case_state *state);

#endif
