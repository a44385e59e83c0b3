/* The dispute figures (docs/API.md "Figures"): what each step adds to the counters, and the
 * sums a reader asks for. */
#ifndef WG_DOMAIN_CASE_COUNT_H
#define WG_DOMAIN_CASE_COUNT_H

#include "domain/disputes/dispute.h"
#include "store/disputes/dispute_q.h"

/* What a step adds, inside its transaction: r is the case after the step, level the level
 * the step was taken at (an escalation's: the one it leaves), in_time for an acceptance by
 * its due time. action is a case action's name or "register". */
enum wg_rc wg_case_count(struct wg_db *db, const struct wg_dispute_row *r, const char *action,
                         const char *level, int in_time, long long now, struct wg_err *err);
/* A screening's result counted (screened) for its region at its level. */
enum wg_rc wg_case_count_screened(struct wg_db *db, const char *region, const char *level,
                                  long long n, long long now, struct wg_err *err);

/* GET /api/v1/stats/disputes: the figures of [from, to] (YYYY-MM-DD, China's days; this month
 * by default) in region (in scope; the scope's by default), grouped by `by` (type, level,
 * body, region or none). */
struct wg_case_figures_query {
    const char *region, *from, *to, *by;
};
enum wg_rc wg_case_figures(struct wg_db *db, const struct wg_scope *scope,
                           const struct wg_case_figures_query *q, long long now, json_t **out,
                           struct wg_err *err);

#endif
