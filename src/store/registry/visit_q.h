/* The grid workers' visits and patrols (domain/registry/visit.h, patrol.h): typed functions of
 * the store for them; only src/store/ speaks SQL. Rows are as stored: a visit's content and
 * findings, a patrol's checks and its track's batches sealed (domain/accounts/pii.h). */
#ifndef WG_STORE_REGISTRY_VISIT_Q_H
#define WG_STORE_REGISTRY_VISIT_Q_H

#include "store/registry/registry_q.h"
#include "store/store.h"

struct wg_visit_row {
    long long id;
    char client_key[72]; /* "" when the client gave none */
    char subject_kind[16];
    long long subject_id;
    char grid[32], worker[64], method[8];
    long long visited_at;
    int has_point;
    double lon, lat;
    const char *content, *findings; /* sealed */
    long long order_id;             /* 0: none */
    char order_number[40];          /* read only: the order's number, "" when none */
    char created_by[64];
    long long created_at;
};
/* *id is the new visit's. */
enum wg_rc wg_store_visit_insert(struct wg_db *db, const struct wg_visit_row *v, long long *id,
                                 struct wg_err *err);
/* The row's text is valid only during the callback; WG_ENOTFOUND when there is none. */
enum wg_rc wg_store_visit_get(struct wg_db *db, long long id,
                              int (*cb)(const struct wg_visit_row *, void *), void *ctx,
                              struct wg_err *err);
/* The visit created_by recorded under the client's key; *id 0 when none. */
enum wg_rc wg_store_visit_by_client(struct wg_db *db, const char *created_by, const char *key,
                                    long long *id, struct wg_err *err);
/* Visits of grids [lo, hi), by worker ("" any), subject kind ("" any) and id (0 any),
 * visited in [from, to), newest first before (before_at, before_id). */
struct wg_visit_filter {
    const char *lo, *hi, *worker, *kind;
    long long subject, from, to, before_at, before_id;
    int limit;
};
enum wg_rc wg_store_visit_list(struct wg_db *db, const struct wg_visit_filter *f,
                               int (*cb)(const struct wg_visit_row *, void *), void *ctx,
                               struct wg_err *err);
/* Links visit id to its order once (*changed 0 when it has one already). */
enum wg_rc wg_store_visit_set_order(struct wg_db *db, long long id, long long order_id,
                                    int *changed, struct wg_err *err);
/* What an order came from: kind "visit" or "patrol" and its id; kind "" when neither. */
enum wg_rc wg_store_order_field_source(struct wg_db *db, long long order_id, char kind[8],
                                       long long *ref, struct wg_err *err);

/* A person as the due list reads them: the row, their own last visit, their household's last
 * visit (0: never) and the worker the household is paired with ("" when none). */
struct wg_due_row {
    const struct wg_person_row *p;
    long long last_person, last_household;
    const char *worker;
    long long due_at, stamp; /* the kept due day's row (0, 0 from the page by grid) */
};
enum wg_rc wg_store_visit_due_page(struct wg_db *db, const char *lo, const char *hi,
                                   const char *after_grid, long long after_id, int limit,
                                   int (*cb)(const struct wg_due_row *, void *), void *ctx,
                                   struct wg_err *err);
/* The kept due days (migration 38): a person's row is marked to be worked out again by each
 * write that may move their due day (these, called in that write's transaction), settled by
 * the sweep under the stamp it read, and read a range at a time. */
enum wg_rc wg_store_visit_due_touch(struct wg_db *db, long long person, const char *grid,
                                    struct wg_err *err);
enum wg_rc wg_store_visit_due_mark(struct wg_db *db, long long person, struct wg_err *err);
enum wg_rc wg_store_visit_due_mark_household(struct wg_db *db, long long household,
                                             struct wg_err *err);
/* Marks every person of ids (after, upto], a row made for those who have none. */
enum wg_rc wg_store_visit_due_touch_ids(struct wg_db *db, long long after, long long upto,
                                        struct wg_err *err);
enum wg_rc wg_store_person_max_id(struct wg_db *db, long long *max_id, struct wg_err *err);
/* Settles person's row at due_at and due_day if its stamp is still stamp; due_at 0 drops
 * the row (the person has no cadence). */
enum wg_rc wg_store_visit_due_settle(struct wg_db *db, long long person, long long stamp,
                                     long long due_at, int due_day, struct wg_err *err);
/* The marked rows of grids [lo, hi) after person `after`, by person. */
enum wg_rc wg_store_visit_due_marked(struct wg_db *db, const char *lo, const char *hi,
                                     long long after, int limit,
                                     int (*cb)(const struct wg_due_row *, void *), void *ctx,
                                     struct wg_err *err);
/* The settled rows of grids [lo, hi) due at or before upto, soonest first after the keyset
 * (after_at, after_id). */
enum wg_rc wg_store_visit_due_soon(struct wg_db *db, const char *lo, const char *hi, long long upto,
                                   long long after_at, long long after_id, int limit,
                                   int (*cb)(const struct wg_due_row *, void *), void *ctx,
                                   struct wg_err *err);
/* How many settled rows of grids [lo, hi) are due at or before upto, counting up to cap. */
enum wg_rc wg_store_visit_due_count(struct wg_db *db, const char *lo, const char *hi,
                                    long long upto, long long cap, long long *n,
                                    struct wg_err *err);
/* The same by grid, reading at most cap rows. */
enum wg_rc wg_store_visit_due_by_grid(struct wg_db *db, const char *lo, const char *hi,
                                      long long upto, long long cap,
                                      int (*cb)(const char *grid, long long n, void *), void *ctx,
                                      struct wg_err *err);
/* Records the reminder of person's visit due at due_at; *added 0 when it was sent already. */
enum wg_rc wg_store_visit_reminder_add(struct wg_db *db, long long person, long long due_at,
                                       long long now, int *added, struct wg_err *err);
/* Removes the reminders recorded before `before` of due days their person no longer has;
 * *n receives how many. */
enum wg_rc wg_store_visit_reminder_purge(struct wg_db *db, long long before, long *n,
                                         struct wg_err *err);
/* A grid's month: households visited (themselves or through a member) in [from, to), its
 * households in the registry, its visits, its patrols and their distance. */
struct wg_coverage_row {
    long long visited, households, visits, patrols;
    double distance_m;
};
enum wg_rc wg_store_visit_coverage(struct wg_db *db, const char *grid, long long from, long long to,
                                   struct wg_coverage_row *out, struct wg_err *err);

struct wg_patrol_row {
    long long id;
    char client_key[72], worker[64], grid[32];
    long long started_at, stopped_at; /* stopped_at 0: still under way */
    long long points;
    double distance_m;
    const char *checks; /* sealed */
    long long version;
};
enum wg_rc wg_store_patrol_insert(struct wg_db *db, const struct wg_patrol_row *p, long long *id,
                                  struct wg_err *err);
enum wg_rc wg_store_patrol_get(struct wg_db *db, long long id,
                               int (*cb)(const struct wg_patrol_row *, void *), void *ctx,
                               struct wg_err *err);
enum wg_rc wg_store_patrol_by_client(struct wg_db *db, const char *worker, const char *key,
                                     long long *id, struct wg_err *err);
/* Patrols of grids [f->lo, f->hi) by f->worker, started in [from, to), newest first before
 * (before_at, before_id); f->kind and f->subject are not used. */
enum wg_rc wg_store_patrol_list(struct wg_db *db, const struct wg_visit_filter *f,
                                int (*cb)(const struct wg_patrol_row *, void *), void *ctx,
                                struct wg_err *err);
/* Stops patrol id with its sealed checks; *changed 0 when it was stopped already. */
enum wg_rc wg_store_patrol_stop(struct wg_db *db, long long id, long long at, const char *checks,
                                int *changed, struct wg_err *err);
/* Appends a sealed batch of n points under the client's batch key, and adds n and the
 * distance to the patrol's summary; *added 0 (nothing changed) when that batch is in already. */
enum wg_rc wg_store_patrol_track_add(struct wg_db *db, long long patrol, const char *batch,
                                     const char *sealed, long long n, double distance_m,
                                     long long now, int *added, struct wg_err *err);
/* The sealed points of the patrol's last batch (owned, NULL when it has none). */
enum wg_rc wg_store_patrol_track_last(struct wg_db *db, long long patrol, char **sealed,
                                      struct wg_err *err);
enum wg_rc wg_store_patrol_track(struct wg_db *db, long long patrol,
                                 int (*cb)(const char *batch, const char *sealed, long long n,
                                           long long at, void *ctx),
                                 void *ctx, struct wg_err *err);
/* Removes the track batches recorded before `before`; *n receives how many. */
enum wg_rc wg_store_patrol_track_purge(struct wg_db *db, long long before, long *n,
                                       struct wg_err *err);
enum wg_rc wg_store_patrol_order_add(struct wg_db *db, long long order_id, long long patrol,
                                     long long now, struct wg_err *err);
enum wg_rc wg_store_patrol_orders(struct wg_db *db, long long patrol,
                                  int (*cb)(long long order_id, const char *number, void *ctx),
                                  void *ctx, struct wg_err *err);

#endif
