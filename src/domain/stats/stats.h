/* Indicators (评价、问责, SPEC §4): counters kept as orders change, and the rates made from
 * them. Nothing here scans orders: every create and every action adds its deltas to the
 * counter cells of the store (store.h, stat_cell) in the same transaction as the change, and
 * appends them to the change log (stat_log) from which every server keeps its in-memory
 * roll-ups (stats_cube.h) current. So the cells are always exactly what a recount of the
 * orders and their timelines gives (tests/unit/test_stats.c checks it on random histories).
 *
 * A cell is keyed by (CST day, leaf, unit, item, channel): the leaf is the grid the order was
 * located in (or its county when it has no point); item and channel are the order's; the
 * unit is the lead unit that held the order at the counted moment ("" for none). Each
 * counter is either an EVENT, counted once on the CST day it happened, or a CONTRIBUTION,
 * a fact about the order as it stands now, kept by removing the order's old contribution
 * and adding its new one at every change:
 *
 * A rate's numerator is counted in its denominator's cell (its COHORT), never on the day of
 * its own event, so that every rate over any set of cells — any period, scope or grouping —
 * lies between 0 and 1 (tests/unit/test_stats.c checks it on random histories):
 *
 *   received          event: the order was taken in (creation day; no unit).
 *   dispatched        event: each dispatch to a lead unit (the unit dispatched to).
 *   direct            the order's first direct answer (直接答复), in the cell of its
 *                     received: creation day, no unit.
 *   signed_on_time    the lead unit's first signature (dispatched → signed) after a dispatch,
 *                     at or before that dispatch's sign deadline (always, without a
 *                     calendar), in the cell of the dispatch: its day and unit.
 *   finished          event: the order's FIRST reply — a unit's reply, a direct answer or a
 *                     self-handling (the first move into replied); later replies after
 *                     rework or reopening do not count again. An order counts as finished
 *                     from then on (its state is replied/verified/closed, or it has been
 *                     reworked or reopened).
 *   finished_on_time  with finished: that first reply was at or before the reply deadline
 *                     then in force (always, for orders without one: direct answers,
 *                     self-handling).
 *   pending_due       contribution: an order not finished, neither merged nor invalid, with
 *                     a reply deadline: 1 on the deadline's CST day (moves with extensions,
 *                     returns and re-dispatch; gone once finished).
 *   called_back       the first callback that reached the resident, of an order that has
 *                     had its first reply, in that reply's cell (its day and unit).
 *   rated             event: every callback that reached the resident (it has a rating).
 *                     A resident's own rating (the portal's `rate`) counts as such a
 *                     callback where it stood as one (WG_FSM_CALLED_BACK), else not at all.
 *   satisfied         with rated: a rating of satisfied or basically_satisfied.
 *   resolved          with rated: a rating with "resolved": true — or, when the callback
 *                     does not say, a rating other than unsatisfied.
 *   reopened          the order's 重办 (an unsatisfied callback or the reopen action; once
 *                     an order), in the cell of its first reply.
 *   returned          a lead unit's first return request (退单) after a dispatch, in the
 *                     cell of that dispatch.
 *   rework            the order's first failed verification (返工), in the cell of its
 *                     first reply.
 *   repeat            the order was merged into another as a duplicate (重复诉求), in the
 *                     cell of its received: creation day, no unit.
 *   handled           with finished: a first reply by a unit of an order it had been
 *                     dispatched.
 *   open              contribution: the order is not closed, invalid or merged: 1 on its
 *                     creation day, under its current unit.
 *   handling_minutes  with handled: the working minutes from the latest dispatch to that
 *                     reply (natural minutes when the calendar cannot say).
 *   contact_due       event: a dispatch that owes the reporter a contact by the close of the
 *                     next working day (every dispatch with a contact deadline: not an
 *                     anonymous order's), on the dispatch's day, under the unit dispatched to.
 *   contacted_on_time that dispatch's first contact (reached or not) at or before its
 *                     deadline, in the cell of the dispatch: its day and unit.
 *
 * The indicators (names of the API, docs/API.md) over a period P and a scope:
 *   received, dispatched, direct_answered = direct; direct_rate = direct / received;
 *   signed_on_time_rate = signed_on_time / dispatched;
 *   due (应办结数) = finished in P + pending_due with the deadline day in P;
 *   finish_rate = finished / due; finished_on_time_rate = finished_on_time / due;
 *   called_back_rate = called_back / finished; satisfaction_rate = satisfied / rated;
 *   resolution_rate = resolved / rated; reopen_rate = reopened / finished;
 *   return_rate = returned / dispatched; rework_rate = rework / finished;
 *   repeat_rate = repeat / received;
 *   overdue (超期数) = finished late in P (finished − finished_on_time) + pending_due with
 *     the deadline day in P and before today (a deadline counts as missed from the day after
 *     its day);
 *   avg_handling_hours = handling_minutes / handled / 60;
 *   response_rate (响应率) = contacted_on_time / contact_due: of the dispatches in P that owed
 *     the reporter a contact, those whose unit contacted them by the close of the next working
 *     day (Beijing's 响应率, 接诉即办: the unit answers the resident, not only the system);
 *   composite = 30·response + 35·resolution + 35·satisfaction (in percent; weights of rates
 *     with no denominator are dropped and the rest scaled to 100; null when none has one),
 *     grade A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, E below;
 *   open (在办量) = the open contribution of the orders received in P: those of them still
 *     open (in a series point, those received in the point's period).
 * A unit's own figures (scope unit:<id>, by=unit rows) count as its received what was
 * dispatched to it: intake itself has no unit. */
#ifndef WG_DOMAIN_STATS_H
#define WG_DOMAIN_STATS_H

#include <jansson.h>
#include <stdatomic.h>

#include "domain/map/region.h"
#include "domain/orders/order_fsm.h"
#include "store/store.h"
#include "store/stats/stats_q.h"

/* The counters, in store/stats/counters.h's order: WG_SC_RECEIVED ... WG_SC_HANDLING_MINUTES. */
#define WG_SC_ENUM(id, col) WG_SC_##id,
enum wg_stat_counter { WG_STAT_COUNTERS(WG_SC_ENUM, WG_SC_ENUM) WG_SC_COUNT };
#undef WG_SC_ENUM

/* The counters' names, as the columns of stat_cell. */
extern const char *const wg_stat_counter_names[WG_SC_COUNT];

/* What the counters need of an order at one moment. */
struct wg_stats_state {
    enum wg_order_state state;
    const char *unit;                                       /* "" for none */
    long long sign_deadline, reply_deadline, dispatched_at; /* 0: none */
    int rework_count, reopened;
    const char *satisfaction;                 /* "" until a callback reached the resident */
    long long contact_deadline, contacted_at; /* the latest dispatch's contact; 0: none */
};

/* What the order's timeline held before a change: where a numerator's cohort lies. Read by
 * the order module (order_act.c) for the actions that count one; all zero otherwise. */
struct wg_stats_past {
    long long finished_at;     /* the first reply, unix seconds (0: none yet) */
    const char *finished_unit; /* the lead unit that first reply was counted under ("") */
    int signed_since;          /* the lead unit signed after the latest dispatch */
    int returned_since;        /* the lead unit asked to return after the latest dispatch */
    int answered;              /* a direct answer was given */
};

/* One change of one order. For a creation only the first fields matter (state received, no
 * unit). */
struct wg_stats_change {
    const char *leaf, *item, *channel;
    int created_day;
    int create;                  /* 1: the order was just taken in */
    enum wg_order_action action; /* otherwise: the action taken */
    struct wg_stats_state before, after;
    int reached;                       /* callback: reached the resident */
    enum wg_satisfaction satisfaction; /* callback: the rating */
    int resolved;                      /* callback: 1, 0, or -1 when the body did not say */
    unsigned effects;                  /* enum wg_fsm_effect bits */
    long long at;                      /* when (unix seconds) */
    long long handling_minutes;        /* dispatch → this reply, when it is the first reply */
    struct wg_stats_past past;         /* the timeline before it */
};

/* One delta row: the counts to add to the cell (day, unit) of the change's order. */
struct wg_stats_delta {
    int day;
    const char *unit;
    long long c[WG_SC_COUNT];
};
#define WG_STATS_MAX_DELTAS 8

/* 1 when the order, as it stands, has had its first reply. */
int wg_stats_finished(const struct wg_stats_state *s);
/* The deltas of a change, merged by (day, unit), zero rows dropped; returns how many. Pure:
 * the unit tests call it with hand-made changes. */
int wg_stats_deltas(const struct wg_stats_change *ch,
                    struct wg_stats_delta out[WG_STATS_MAX_DELTAS]);

/* The roll-ups beside the cells (store.h, stat_roll), so that a server's start reads them
 * rather than every cell: per day, by town (REGION: the cell's leaf cut to 9 digits, or to
 * the longest of 6, 4, 2, 0 that it has) and by county × item, unit or channel (cells whose
 * leaf has a county). They hold the change log up to a position (stat_roll_pos): folding
 * the log into them is batch work, off the orders' transactions. */
enum wg_stat_roll_view { WG_ROLL_REGION, WG_ROLL_ITEM, WG_ROLL_UNIT, WG_ROLL_CHANNEL };
/* The roll-up rows a cell adds to (one to four); node texts are written into town and
 * county. */
int wg_stats_rolls_of(const struct wg_stat_cell *c, struct wg_stat_roll out[4],
                      char town[WG_CODE_LEN_TOWN + 1], char county[WG_CODE_LEN_COUNTY + 1]);
/* Folds up to limit change log rows after the position into the roll-up rows, summed first
 * (a minute's changes are a few rows per town and county), and moves the position; inside
 * the caller's transaction. *folded: how far the position moved (0: nothing to fold). */
enum wg_rc wg_stats_roll_fold(struct wg_db *db, int limit, int *folded, struct wg_err *err);
/* The whole change log folded as a running server does it: jobs of the group committer c
 * (store.h) of a few thousand rows each, so intake's jobs beside them wait little; then one
 * more that drops the folded log rows written before `before`. Whether there is anything to
 * fold or drop is read on db first: an idle server commits nothing. Once *stop (may be NULL)
 * is set, it ends after the job in hand. */
enum wg_rc wg_stats_fold_log(struct wg_db *db, struct wg_committer *c, long long before,
                             const atomic_int *stop, struct wg_err *err);
/* Fills an empty stat_roll from the cells, in one pass over them day by day, and sets the
 * position to the log's last row, inside the caller's transaction (for a store whose cells
 * were written without their log, as the benchmark's load writes them). */
enum wg_rc wg_stats_roll_fill(struct wg_db *db, struct wg_err *err);

/* Adds the deltas of a change to the store's cells and log, inside the caller's
 * transaction. */
enum wg_rc wg_stats_apply(struct wg_db *db, const struct wg_stats_change *ch, struct wg_err *err);

/* The change log's text for a change's deltas, and back: the log holds one line per delta,
 * "day\tleaf\tunit\titem\tchannel\tc0,c1,...". parse calls cb per line; -1 on bad text. */
void wg_stats_log_text(const struct wg_stats_change *ch, const struct wg_stats_delta *d, int n,
                       char *out, size_t size);
int wg_stats_log_parse(const char *text, int (*cb)(const struct wg_stat_cell *, void *), void *ctx);

/* ---- indicators from counts ---- */

/* The indicator names of the API, in answer order. */
extern const char *const wg_indicator_names[];
#define WG_INDICATOR_COUNT 22

/* Sums of counters over a period and a scope, with what the snapshot and overdue
 * indicators need besides. */
struct wg_stats_sums {
    long long c[WG_SC_COUNT];
    long long pending_past; /* pending_due of the period's days before today */
    long long open;         /* the open contribution over all days */
};

struct wg_weights {
    int response, resolution, satisfaction;
};
#define WG_WEIGHTS_DEFAULT ((struct wg_weights){30, 35, 35})

/* A rate as {value, numerator, denominator} (value null when the denominator is 0). */
json_t *wg_stats_rate_json(long long num, long long den);
/* The composite in percent (0–100) and 1; or 0 when no rate has a denominator. */
int wg_stats_composite(const struct wg_stats_sums *s, struct wg_weights w, double *out);
/* "A".."E" for a composite in percent. */
const char *wg_stats_grade(double composite);
/* The indicators of s; only those whose bit (1 << index in wg_indicator_names) is in mask. */
json_t *wg_stats_indicators_json(const struct wg_stats_sums *s, unsigned long mask);
/* Parses "a,b,c" into a mask; NULL or "" is all. WG_EINVAL names an unknown name. */
enum wg_rc wg_stats_indicator_mask(const char *list, unsigned long *mask, struct wg_err *err);

#endif
