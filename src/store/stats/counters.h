/* The indicators' counters, the one list of them (domain/stats/stats.h says what each
 * counts): the columns of stat_cell and stat_roll in their order, the statements that add to
 * them (queries.def), the counters' enum and names, the roll-ups' arrays and the tests that
 * check the tables' columns are all made from it. A counter added here needs a migration
 * that adds its columns; the migrations themselves are history and keep their own text.
 *
 * WG_STAT_COUNTERS(FIRST, NEXT) expands FIRST(ID, column) for the first counter and
 * NEXT(ID, column) for each other one, so a list joined by commas can be written with no
 * comma to trim. Macros only: queries.def includes this inside an enum. */
#ifndef WG_STORE_STAT_COUNTERS_H
#define WG_STORE_STAT_COUNTERS_H

#define WG_STAT_COUNTERS(FIRST, NEXT)                                                              \
    FIRST(RECEIVED, received)                                                                      \
    NEXT(DISPATCHED, dispatched)                                                                   \
    NEXT(DIRECT, direct)                                                                           \
    NEXT(SIGNED_ON_TIME, signed_on_time)                                                           \
    NEXT(FINISHED, finished)                                                                       \
    NEXT(FINISHED_ON_TIME, finished_on_time)                                                       \
    NEXT(PENDING_DUE, pending_due)                                                                 \
    NEXT(CALLED_BACK, called_back)                                                                 \
    NEXT(RATED, rated)                                                                             \
    NEXT(SATISFIED, satisfied)                                                                     \
    NEXT(RESOLVED, resolved)                                                                       \
    NEXT(REOPENED, reopened)                                                                       \
    NEXT(RETURNED, returned)                                                                       \
    NEXT(REWORK, rework)                                                                           \
    NEXT(REPEAT, repeat)                                                                           \
    NEXT(HANDLED, handled)                                                                         \
    NEXT(OPEN, open)                                                                               \
    NEXT(HANDLING_MINUTES, handling_minutes)                                                       \
    NEXT(CONTACT_DUE, contact_due)                                                                 \
    NEXT(CONTACTED_ON_TIME, contacted_on_time)

/* How many there are. */
#define WG_STAT_COUNT_ONE(id, col) +1
#define WG_STAT_NCOUNTERS          (0 WG_STAT_COUNTERS(WG_STAT_COUNT_ONE, WG_STAT_COUNT_ONE))

/* SQL pieces: "received, dispatched, ...", "?, ?, ...", "received = T.received +
 * excluded.received, ..." (an upsert's sums) and "received = received + ?, ..." (a bump). */
#define WG_STAT_COL_1(id, col)      #col
#define WG_STAT_COL_N(id, col)      ", " #col
#define WG_STAT_COLS                WG_STAT_COUNTERS(WG_STAT_COL_1, WG_STAT_COL_N)
#define WG_STAT_MARK_1(id, col)     "?"
#define WG_STAT_MARK_N(id, col)     ", ?"
#define WG_STAT_MARKS               WG_STAT_COUNTERS(WG_STAT_MARK_1, WG_STAT_MARK_N)
#define WG_STAT_SUM_CELL_1(id, col) #col " = stat_cell." #col " + excluded." #col
#define WG_STAT_SUM_CELL_N(id, col) ", " WG_STAT_SUM_CELL_1(id, col)
#define WG_STAT_SUMS_CELL           WG_STAT_COUNTERS(WG_STAT_SUM_CELL_1, WG_STAT_SUM_CELL_N)
#define WG_STAT_SUM_ROLL_1(id, col) #col " = stat_roll." #col " + excluded." #col
#define WG_STAT_SUM_ROLL_N(id, col) ", " WG_STAT_SUM_ROLL_1(id, col)
#define WG_STAT_SUMS_ROLL           WG_STAT_COUNTERS(WG_STAT_SUM_ROLL_1, WG_STAT_SUM_ROLL_N)
#define WG_STAT_BUMP_1(id, col)     #col " = " #col " + ?"
#define WG_STAT_BUMP_N(id, col)     ", " WG_STAT_BUMP_1(id, col)
#define WG_STAT_BUMPS               WG_STAT_COUNTERS(WG_STAT_BUMP_1, WG_STAT_BUMP_N)

#endif
