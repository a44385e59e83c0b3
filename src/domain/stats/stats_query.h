/* The indicators' answers (GET /api/v1/stats/..., docs/API.md): a scope and a period read,
 * the counters summed — from the server's roll-ups (stats_cube.h) where they hold the
 * answer, else from the store's cells — and the indicators of stats.h made from them.
 * Both ways give the same numbers; tests check them against each other and against a
 * recount of the orders.
 *
 * Scopes: region:<code> (a region subtree; region:all for the whole deployment), grid:<code>,
 * unit:<id>, item:<catalog code> (the item's subtree), channel:<name>; by default the
 * caller's own. A region or grid outside the caller's scope is WG_ENOTFOUND as a missing one
 * is; unit, item and channel scopes are limited to the caller's region (a unit's account
 * to its unit). Periods are CST days, from and to inclusive, by default the 30 days ending
 * today; at most 3660 days. */
#ifndef WG_DOMAIN_STATS_QUERY_H
#define WG_DOMAIN_STATS_QUERY_H

#include <jansson.h>

#include "domain/catalog/catalog.h"
#include "domain/accounts/session.h"
#include "domain/stats/stats.h"
#include "domain/stats/stats_cube.h"
#include "store/stats/stats_q.h"

struct wg_stats_env {
    struct wg_db *db;
    struct wg_stats_cube *cube; /* NULL: every answer from the store's cells */
    const struct wg_catalog *catalog;
    long long now; /* unix seconds: "today" and the default period */
};

/* The query parameters, as the API takes them (NULL: absent). */
struct wg_stats_query {
    const char *scope, *from, *to, *by, *indicators, *limit, *month;
    const char *compare; /* "yoy": the same period a year earlier beside it (stats_compare.c) */
};

typedef enum wg_rc wg_stats_answer_fn(const struct wg_stats_env *env, const struct wg_actor *actor,
                                      const struct wg_stats_query *q, json_t **out,
                                      struct wg_err *err);

enum wg_rc wg_stats_summary(const struct wg_stats_env *env, const struct wg_actor *actor,
                            const struct wg_stats_query *q, json_t **out, struct wg_err *err);
/* by: day, week (Monday to Sunday; the first point starts at from), month. */
enum wg_rc wg_stats_series(const struct wg_stats_env *env, const struct wg_actor *actor,
                           const struct wg_stats_query *q, json_t **out, struct wg_err *err);
enum wg_rc wg_stats_top_items(const struct wg_stats_env *env, const struct wg_actor *actor,
                              const struct wg_stats_query *q, json_t **out, struct wg_err *err);
/* month YYYY-MM (default the current one). */
enum wg_rc wg_stats_monthly_problem(const struct wg_stats_env *env, const struct wg_actor *actor,
                                    const struct wg_stats_query *q, json_t **out,
                                    struct wg_err *err);
enum wg_rc wg_stats_units(const struct wg_stats_env *env, const struct wg_actor *actor,
                          const struct wg_stats_query *q, json_t **out, struct wg_err *err);
/* by: child, grid, item, channel, unit. */
enum wg_rc wg_stats_breakdown(const struct wg_stats_env *env, const struct wg_actor *actor,
                              const struct wg_stats_query *q, json_t **out, struct wg_err *err);

/* One answer as the API asks for it: fn's, or with compare=yoy (summary, series, top-items and
 * breakdown) fn's answer for the period and for the same days a year earlier (29 February
 * read as the 28th), merged: "compare" names the earlier period; each "indicators" gains a
 * sibling "previous" (the earlier indicators, or null where the earlier answer has no such row
 * or point) and "change" (per indicator: a rate's difference in value, e.g. -0.013 for 1.3
 * points lower; any other figure's relative change, (now - then) / then, null when then is 0
 * or absent); top-items' items gain previous_received and change. */
enum wg_rc wg_stats_answer(wg_stats_answer_fn *fn, const struct wg_stats_env *env,
                           const struct wg_actor *actor, const struct wg_stats_query *q,
                           json_t **out, struct wg_err *err);

/* The period q asks for as CST day numbers (from and to inclusive; the 30 days to today by
 * default), checked as every answer checks it. */
enum wg_rc wg_stats_period(const struct wg_stats_env *env, const struct wg_stats_query *q,
                           int *from, int *to, struct wg_err *err);

/* ---- the engine, for the benchmark and the tests ---- */

enum wg_stats_by { WG_BY_NONE, WG_BY_CHILD, WG_BY_GRID, WG_BY_ITEM, WG_BY_UNIT, WG_BY_CHANNEL };

/* One group's sums: key is the child code, grid, item, unit or channel ("" for BY_NONE);
 * bucket the index of the period's part (0 without buckets). */
struct wg_stats_group {
    char key[64];
    int bucket;
    long long c[WG_SC_COUNT];
};
struct wg_stats_groups {
    struct wg_stats_group *v;
    size_t n, cap;
    int *ix; /* hash of (bucket, key) → index + 1 */
    size_t ixcap;
};
void wg_stats_groups_release(struct wg_stats_groups *g);
const struct wg_stats_group *wg_stats_groups_find(const struct wg_stats_groups *g, int bucket,
                                                  const char *key);

/* Sums the cells matching f over days [from, to], grouped by `by` (child: codes of
 * child_len digits) and by buckets (starts[0..nb-1], ascending, starts[0] <= from; NULL for
 * one bucket). Uses the cube when env has one and it holds the answer, unless cells_only. */
enum wg_rc wg_stats_collect(const struct wg_stats_env *env, const struct wg_stat_filter *f,
                            int from, int to, enum wg_stats_by by, int child_len, const int *starts,
                            int nb, int cells_only, struct wg_stats_groups *out,
                            struct wg_err *err);

#endif
