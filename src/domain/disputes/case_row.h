/* What case_view.c and case_act.c share about a stored case: the facts its state machine
 * reads from it. */
#ifndef WG_DOMAIN_CASE_ROW_H
#define WG_DOMAIN_CASE_ROW_H

#include "domain/disputes/dispute.h"
#include "store/disputes/dispute_q.h"

/* The state, and the facts at now: the level, red, taken by a leader, the agreement's 30 days
 * for judicial confirmation passed (People's Mediation Law art. 33). */
void wg_case_facts(const struct wg_dispute_row *r, long long now, struct wg_case_ctx *c,
                   enum wg_case_state *state);

/* A party stored at pos of case id: its name, ID number and phone sealed, its ID document and
 * phone blind-indexed (case_create.c). */
enum wg_rc wg_case_party_store(struct wg_db *db, const struct wg_pii_keys *keys, long long id,
                               int pos, const struct wg_case_party *p, struct wg_err *err);

/* A row copied whole (its description not kept), for wg_store_dispute_get. */
int wg_case_row_copy(const struct wg_dispute_row *r, void *ctx);

/* Tells about case r through the outbox, in the caller's transaction: kind "dispute_red" (the
 * leaders and the centre's supervisors of its place) or "dispute_overdue" (its level's staff
 * and its mediator). */
enum wg_rc wg_case_tell(struct wg_db *db, const struct wg_dispute_row *r, const char *kind,
                        long long now, struct wg_err *err);

#endif
