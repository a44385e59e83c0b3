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

/* Adds t to the rows of (region, day YYYY-MM-DD, dim, value) and of its month: dim "" for the
 * whole, else "type", "level" or "body" with its value; the rows' depth is the region code's
 * length. */
enum wg_rc wg_store_dispute_stat_add(struct wg_db *db, const char *region, const char *day,
                                     const char *dim, const char *value,
                                     const struct wg_dispute_tally *t, struct wg_err *err);

/* The sums of dimension dim ("" the whole) over the days [from, to] (span "d", YYYY-MM-DD) or
 * the months [from, to] (span "m", YYYY-MM) of the regions of depth in [lo, hi), one call of
 * cb per value (by_region 0) or per region (by_region 1). */
struct wg_dispute_stat_q {
    const char *lo, *hi, *dim, *from, *to, *span;
    int depth, by_region;
};
enum wg_rc wg_store_dispute_stat_sum(struct wg_db *db, const struct wg_dispute_stat_q *q,
                                     int (*cb)(const char *key, const struct wg_dispute_tally *,
                                               void *),
                                     void *ctx, struct wg_err *err);

#endif
