/* A case's clock (dispute.h, "Time boxes and supervision" in docs/API.md): the acceptance
 * box a new or escalated case has, the box of the level that accepted it, and its light.
 * Without a calendar (env->calendar NULL) no clock runs: both times are 0; without boxes
 * (env->boxes NULL) the defaults of wg_case_boxes_init apply. */
#ifndef WG_DOMAIN_CASE_CLOCK_H
#define WG_DOMAIN_CASE_CLOCK_H

#include "domain/disputes/dispute.h"

/* A case registered (or escalated) at now: red and orange ones are due by the close of the
 * working day (the next working day's when now is outside working time), others in the
 * acceptance box's working days. */
enum wg_rc wg_case_clock_register(const struct wg_case_env *env, const char *risk, long long now,
                                  long long *clock_at, long long *due_at, struct wg_err *err);
/* A case accepted at level at now: that level's box. */
enum wg_rc wg_case_clock_level(const struct wg_case_env *env, enum wg_case_level level,
                               long long now, long long *clock_at, long long *due_at,
                               struct wg_err *err);
/* "green", "yellow" or "red" as orders' lights are; NULL when no clock runs (due_at 0). */
const char *wg_case_light(const struct wg_case_env *env, long long clock_at, long long due_at,
                          long long now);

#endif
