/* The indicators' counters, change log and roll-ups (domain/stats/).
 * Typed functions of the store (store/store.h) for this context; only src/store/ speaks SQL. */
#ifndef WG_STORE_STATS_Q_H
#define WG_STORE_STATS_Q_H

#include "store/store.h"
#include "store/stats/counters.h"

/* ---- indicator counters (domain/stats/stats.h) ----
 * A cell is the counts of one CST day (days since 1970-01-01), one leaf (a grid code, or a
 * county code for an order without a point), one unit ("" for none), one catalog item
 * ("" for none) and one channel. */
struct wg_stat_cell {
    int day;
    const char *leaf, *unit, *item, *channel;
    long long c[WG_STAT_NCOUNTERS];
};
/* Adds c's counts to its cell (made when missing); inside the caller's transaction. */
enum wg_rc wg_store_stat_add(struct wg_db *db, const struct wg_stat_cell *c, struct wg_err *err);
/* Appends one change's deltas (text, domain/stats/stats.c's format) to the change log. */
enum wg_rc wg_store_stat_log(struct wg_db *db, long long at, const char *deltas,
                             struct wg_err *err);
struct wg_stat_filter {
    const char *leaf;    /* code prefix; "" for all */
    int from, to;        /* days, inclusive */
    const char *unit;    /* "" for any */
    const char *item;    /* code prefix; "" for any */
    const char *channel; /* "" for any */
};
/* The cells matching f; text fields are borrowed in cb; non-zero from cb stops. */
enum wg_rc wg_store_stat_cells(struct wg_db *db, const struct wg_stat_filter *f,
                               int (*cb)(const struct wg_stat_cell *, void *), void *ctx,
                               struct wg_err *err);
/* Log rows after seq, oldest first, at most limit. */
enum wg_rc wg_store_stat_log_since(struct wg_db *db, long long seq, int limit,
                                   int (*cb)(long long seq, const char *deltas, void *), void *ctx,
                                   struct wg_err *err);
enum wg_rc wg_store_stat_log_bounds(struct wg_db *db, long long *min, long long *max,
                                    struct wg_err *err);
/* Drops log rows older than `before` (unix seconds), always keeping the newest and those not
 * yet folded into the roll-up rows. */
enum wg_rc wg_store_stat_log_prune(struct wg_db *db, long long before, struct wg_err *err);
/* A roll-up row (stat_roll): the cells of one day summed by node and view — view 0: node is
 * a town (or a shorter code for cells without one), dim ""; views 1, 2, 3: node is a county,
 * dim an item, unit or channel (domain/stats/stats.h, enum wg_stat_roll_view). */
struct wg_stat_roll {
    int day;
    const char *node;
    int view;
    const char *dim;
    long long c[WG_STAT_NCOUNTERS];
};
/* Adds r's counts to its row (made when missing); inside the caller's transaction. */
enum wg_rc wg_store_stat_roll_add(struct wg_db *db, const struct wg_stat_roll *r,
                                  struct wg_err *err);
/* The last change log row folded into the roll-up rows, and setting it. */
enum wg_rc wg_store_stat_roll_pos(struct wg_db *db, long long *seq, struct wg_err *err);
enum wg_rc wg_store_stat_roll_pos_set(struct wg_db *db, long long seq, struct wg_err *err);
/* Every roll-up row; text fields are borrowed in cb; non-zero from cb stops. */
enum wg_rc wg_store_stat_rolls(struct wg_db *db, int (*cb)(const struct wg_stat_roll *, void *),
                               void *ctx, struct wg_err *err);

#endif
