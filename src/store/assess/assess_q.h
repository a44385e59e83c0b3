/* Assessment (domain/assess/assess.h): typed functions of the store for the schemes and their
 * versions, the monthly results and their history, the objects assessed and the records the
 * computed figures are made from; only src/store/ speaks SQL. */
#ifndef WG_STORE_ASSESS_Q_H
#define WG_STORE_ASSESS_Q_H

#include "store/store.h"

/* The scheme in force of a kind: *version 0 and body NULL when none is stored (returns owned
 * in *body). */
enum wg_rc wg_store_assess_scheme_get(struct wg_db *db, const char *kind, long long *version,
                                      char **body, struct wg_err *err);
/* A stored version's body (owned); WG_ENOTFOUND when there is none. */
enum wg_rc wg_store_assess_scheme_at(struct wg_db *db, const char *kind, long long version,
                                     char **body, struct wg_err *err);
/* Stores body as the version after `version` (the one read; 0 the built-in default) and keeps
 * it among the versions; WG_ECONFLICT when another came first. Inside the caller's
 * transaction. */
enum wg_rc wg_store_assess_scheme_put(struct wg_db *db, const char *kind, long long version,
                                      const char *body, const char *by, long long at,
                                      struct wg_err *err);

struct wg_assess_row {
    long long id;
    char kind[8], period[8], region[20], object[64];
    const char *name;
    long long scheme_version;
    char state[8];
    double total;
    char cls[2];
    const char *items; /* JSON array */
    long long version;
    char created_by[64];
    long long created_at, updated_at;
};
/* A new draft result (version 1); *id its id. */
enum wg_rc wg_store_assess_insert(struct wg_db *db, const struct wg_assess_row *r, long long *id,
                                  struct wg_err *err);
/* Rows' texts are valid only during the callback; WG_ENOTFOUND when there is none. */
enum wg_rc wg_store_assess_get(struct wg_db *db, long long id,
                               int (*cb)(const struct wg_assess_row *, void *), void *ctx,
                               struct wg_err *err);
/* The result of a key, if any: *found 0 when none. */
enum wg_rc wg_store_assess_key(struct wg_db *db, const char *kind, const char *period,
                               const char *region, const char *object,
                               int (*cb)(const struct wg_assess_row *, void *), void *ctx,
                               int *found, struct wg_err *err);
struct wg_assess_range {
    const char *kind, *period, *lo, *hi, *year, *state; /* "" any; regions [lo, hi) */
    int limit;
};
enum wg_rc wg_store_assess_list(struct wg_db *db, const struct wg_assess_range *q,
                                int (*cb)(const struct wg_assess_row *, void *), void *ctx,
                                struct wg_err *err);
/* Sets items, total, class and state of result id if it is still at version and in state
 * `was`; WG_ECONFLICT when another change came first. */
enum wg_rc wg_store_assess_set(struct wg_db *db, long long id, long long version, const char *was,
                               const char *items, double total, const char *cls, const char *state,
                               long long scheme_version, long long at, struct wg_err *err);
/* The community accounts of towns [lo, hi): username and town. */
enum wg_rc wg_store_assess_town_staff(struct wg_db *db, const char *lo, const char *hi,
                                      int (*cb)(const char *user, const char *town, void *),
                                      void *ctx, struct wg_err *err);
struct wg_assess_change {
    long long at;
    const char *actor, *action, *code, *old, *new_, *reason;
};
enum wg_rc wg_store_assess_history_add(struct wg_db *db, long long result,
                                       const struct wg_assess_change *c, struct wg_err *err);
enum wg_rc wg_store_assess_history(struct wg_db *db, long long result,
                                   int (*cb)(const struct wg_assess_change *, void *), void *ctx,
                                   struct wg_err *err);

/* The objects of a kind in codes [lo, hi): key, name and region (a grid's and a town's own
 * code, a worker's scope, '' for a unit). */
enum wg_rc
wg_store_assess_objects(struct wg_db *db, const char *kind, const char *lo, const char *hi,
                        int (*cb)(const char *key, const char *name, const char *region, void *),
                        void *ctx, struct wg_err *err);

/* A record behind a figure: the grid, who (the worker, the self-handler, a case's end level,
 * a stat cell's unit), an id or count and two numbers whose sense is the source's. */
struct wg_assess_rec {
    const char *grid, *who;
    long long id, a, b;
};
enum wg_assess_src {
    WG_ASSESS_FINDINGS, /* orders: id */
    WG_ASSESS_SELF,     /* orders: id */
    WG_ASSESS_VISITS,   /* visits: id, a subject id, b 1 for a person */
    WG_ASSESS_PATROLS,  /* patrols: id, a started_at, b metres */
    WG_ASSESS_DISPUTES, /* cases: id, a agreed_at, b 1 when refused; who its end level */
};
/* The records of src in grids [lo, hi) in [from, to) (unix seconds). */
enum wg_rc wg_store_assess_records(struct wg_db *db, enum wg_assess_src src, long long from,
                                   long long to, const char *lo, const char *hi,
                                   int (*cb)(const struct wg_assess_rec *, void *), void *ctx,
                                   struct wg_err *err);
/* Per grid: persons still due a visit by day (id: count); persons and houses (id: count, a:
 * complete). */
enum wg_rc wg_store_assess_due(struct wg_db *db, int day, const char *lo, const char *hi,
                               int (*cb)(const struct wg_assess_rec *, void *), void *ctx,
                               struct wg_err *err);
enum wg_rc wg_store_assess_registry(struct wg_db *db, const char *lo, const char *hi,
                                    int (*cb)(const struct wg_assess_rec *, void *), void *ctx,
                                    struct wg_err *err);
/* The order counters of leaves [lo, hi) on CST days [d0, d1] by leaf and unit: c[0..7] =
 * contact_due, contacted_on_time, rated, satisfied, resolved, finished, finished_on_time,
 * pending_due. */
enum wg_rc wg_store_assess_stats(struct wg_db *db, int d0, int d1, const char *lo, const char *hi,
                                 int (*cb)(const char *leaf, const char *unit, const long long c[8],
                                           void *),
                                 void *ctx, struct wg_err *err);

#endif
