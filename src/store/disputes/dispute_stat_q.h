/* The dispute figures' counters (migration 42; domain/disputes/case_count.c): one row per
 * China day, grid, type, level and body, moved in the transaction of the step that counts. */
#ifndef WG_STORE_DISPUTE_STAT_Q_H
#define WG_STORE_DISPUTE_STAT_Q_H

#include "store/store.h"

/* The figures, in the columns' order. */
/* clang-format off */
#define WG_DISPUTE_TALLY(X) \
    X(screened) X(found) X(accepted) X(accepted_in_time) X(mediated) X(successful) \
    X(amount_fen) X(performed) X(referred) X(escalated) X(ended) X(ended_low)
/* clang-format on */

struct wg_dispute_tally {
#define WG_TALLY_FIELD(f) long long f;
    WG_DISPUTE_TALLY(WG_TALLY_FIELD)
#undef WG_TALLY_FIELD
};

/* Adds t to the row of (day YYYY-MM-DD, grid, type, level, body). */
enum wg_rc wg_store_dispute_stat_add(struct wg_db *db, const char *day, const char *grid,
                                     const char *type, const char *level, long long body,
                                     const struct wg_dispute_tally *t, struct wg_err *err);

/* How sums are grouped. */
enum wg_dispute_stat_by {
    WG_DSTAT_TOTAL,
    WG_DSTAT_TYPE,
    WG_DSTAT_LEVEL,
    WG_DSTAT_BODY,
    WG_DSTAT_REGION /* the grid code's first prefix_len characters */
};
/* The sums of the days [from, to] and grids [lo, hi), one call of cb per group by key ("" for
 * the total; a body's id as text). */
enum wg_rc wg_store_dispute_stat_sum(struct wg_db *db, enum wg_dispute_stat_by by, const char *from,
                                     const char *to, const char *lo, const char *hi, int prefix_len,
                                     int (*cb)(const char *key, const struct wg_dispute_tally *,
                                               void *),
                                     void *ctx, struct wg_err *err);

#endif
