/* The recount of the indicators' counters (`wangge stats recount`): every order's timeline
 * replayed through the counters' own delta function (wg_stats_deltas, the one the live path
 * calls), the counter cells so made compared with the store's, and each cell that differs
 * corrected by the difference, written as the live path writes a change: added to the cell
 * and appended to the change log, which the roll-ups (stat_roll) and every server's
 * in-memory roll-ups then take in. The log is then folded, and roll-up rows still apart
 * from their cells summed (cells changed by hand, not through the log) are corrected too. So a
 * store whose cells were counted by an older release — before migration 26 its cells lack
 * contact_due and contacted_on_time, and 响应率 reads 0 — or damaged by hand reads as a recount of
 * its orders says, and a second recount changes nothing.
 *
 * The replay reads in one snapshot (wg_db_begin_read); the corrections are written in
 * transactions of a bounded number of cells. It is meant for a store whose servers are
 * stopped: each writing transaction first checks that the change log has not moved since
 * the snapshot (a change counted meanwhile would make the difference wrong) and otherwise
 * stops with WG_ECONFLICT, leaving the cells corrected so far, which are right.
 *
 * What the replay cannot know is the catalog's limits and the holiday tables as they were at
 * each dispatch: deadlines are computed again with those in force now. An order whose replay
 * does not end at its stored state, unit and deadlines is counted in `drifted` (its cells
 * follow the replay). */
#ifndef WG_DOMAIN_STATS_RECOUNT_H
#define WG_DOMAIN_STATS_RECOUNT_H

#include "domain/orders/order.h"
#include "domain/stats/stats.h"

struct wg_recount_opts {
    int from, to; /* the cells' CST days recounted, inclusive (INT32_MIN, INT32_MAX: all) */
    int dry_run;  /* 1: compare only, write nothing */
    int batch;    /* cells corrected per transaction (0: 500) */
    /* each cell that differs, as the store has it and as the recount makes it (either's
     * counters may all be 0: a cell the store lacks, or one the recount does not make);
     * called in the cells' order, before anything is written; may be NULL */
    void (*differs)(const struct wg_stat_cell *stored, const struct wg_stat_cell *recounted,
                    void *ctx);
    /* called once the snapshot is read and the differences are known, before the first
     * write; may be NULL */
    void (*read)(void *ctx);
    void *ctx;
};

struct wg_recount_report {
    long long orders, events;        /* replayed */
    long long cells_stored;          /* the store's cells in the days recounted */
    long long cells_recounted;       /* the recount's cells with any count */
    long long cells_differing;       /* found different (and corrected, unless a dry run) */
    long long cells_written;         /* corrected */
    long long rolls_differing;       /* roll-up rows (stat_roll) of those days found apart from
                                        the cells summed, once the log was folded; corrected */
    long long transactions;          /* that wrote corrections */
    long long drifted;               /* orders whose replay does not end as the order stands */
    long long first_drifted;         /* the first of them (0: none) */
    long long counters[WG_SC_COUNT]; /* per counter, the cells in which it differed */
};

/* Recounts the cells of the days o->from..o->to from every order taken in by o->to, on db
 * (outside any transaction), with env's catalog and calendar; rep is filled as far as it
 * got. */
enum wg_rc wg_stats_recount(struct wg_db *db, const struct wg_order_env *env,
                            const struct wg_recount_opts *o, struct wg_recount_report *rep,
                            struct wg_err *err);

#endif
