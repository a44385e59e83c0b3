/* Dispute screening tasks (domain/disputes/screening.h): typed functions of the store for
 * them; only src/store/ speaks SQL. A task's note is as stored: sealed; its cases a JSON
 * array of ids as text. */
#ifndef WG_STORE_SCREENING_Q_H
#define WG_STORE_SCREENING_Q_H

#include "store/store.h"

struct wg_screening_row {
    long long id;
    char level[8], region[20], period_start[11], period_end[11];
    long long due_at;
    char state[8];
    long long found;
    const char *note;     /* sealed; "" for none */
    const char *disputes; /* a JSON array of case ids */
    char done_by[64];
    long long done_at, reminded_at, version, created_at;
};

/* *found 1 when any task of level for the period starting start is stored. */
enum wg_rc wg_store_screening_probe(struct wg_db *db, const char *level, const char *start,
                                    int *found, struct wg_err *err);
/* Makes the missing tasks of level's period [start, end], due at due_at: one a region of
 * the level (a grid for "grid": each current one but micro-grids); tasks already stored,
 * by this server or another, stay as they are. *made (may be NULL) how many were made. */
enum wg_rc wg_store_screening_make(struct wg_db *db, const char *level, const char *start,
                                   const char *end, long long due_at, long long now, long *made,
                                   struct wg_err *err);
/* The row's texts are valid only during the callback; WG_ENOTFOUND when there is none. */
enum wg_rc wg_store_screening_get(struct wg_db *db, long long id,
                                  int (*cb)(const struct wg_screening_row *, void *), void *ctx,
                                  struct wg_err *err);
/* The tasks of regions [lo, hi), of level and state ("" any), due in [from, to), by due time
 * and region after the keyset (at, region, id). */
struct wg_screening_range {
    const char *lo, *hi, *level, *state;
    long long from, to;
    long long at, id;
    const char *region;
    int limit;
};
enum wg_rc wg_store_screening_list(struct wg_db *db, const struct wg_screening_range *q,
                                   int (*cb)(const struct wg_screening_row *, void *), void *ctx,
                                   struct wg_err *err);
/* Writes r's found, note, disputes, done_by and done_at over task r->id, done, if its version
 * is still r->version (the version moves on): WG_EPRECOND when not. */
enum wg_rc wg_store_screening_result(struct wg_db *db, const struct wg_screening_row *r,
                                     struct wg_err *err);
/* The open tasks due before `before` not yet reminded of, soonest due first, at most limit. */
enum wg_rc wg_store_screening_overdue(struct wg_db *db, long long before, int limit,
                                      int (*cb)(const struct wg_screening_row *, void *), void *ctx,
                                      struct wg_err *err);
/* Marks task id reminded at `at`; *claimed 1 when this call did (0: it was done or reminded
 * meanwhile, by this server or another). */
enum wg_rc wg_store_screening_reminded(struct wg_db *db, long long id, long long at, int *claimed,
                                       struct wg_err *err);

#endif
