/* 未诉先办 tasks (domain/alerts/task.h): typed functions of the store for them and their
 * timelines; only src/store/ speaks SQL. Items, helpers and measures are stored as JSON
 * arrays of text; the items and units have rows of their own for the list's filters. */
#ifndef WG_STORE_TASK_Q_H
#define WG_STORE_TASK_Q_H

#include "store/store.h"

struct wg_task_row {
    long long id;
    char origin[16];
    long long warning;
    const char *topic;
    char scope[20];
    const char *items, *helpers, *measures; /* JSON arrays */
    char lead_unit[64], deadline[11];
    long long due_at;
    char owner[64], state[12];
    long long finished_at, version;
    char created_by[64];
    long long created_at;
};

/* Stores a new task (state open, version 1) with its item and unit rows; *id its id. Inside
 * the caller's transaction. items and helpers are the JSON arrays' elements too. */
enum wg_rc wg_store_task_insert(struct wg_db *db, const struct wg_task_row *t,
                                const char *const *items, size_t nitems, const char *const *helpers,
                                size_t nhelpers, long long *id, struct wg_err *err);
/* The row's texts are valid only during the callback; WG_ENOTFOUND when there is none. */
enum wg_rc wg_store_task_get(struct wg_db *db, long long id,
                             int (*cb)(const struct wg_task_row *, void *), void *ctx,
                             struct wg_err *err);
struct wg_task_range {
    const char *lo, *hi;                      /* scope codes [lo, hi) */
    const char *state, *origin, *item, *unit; /* "" any */
    long long below;                          /* ids below it */
    int limit;
};
enum wg_rc wg_store_task_list(struct wg_db *db, const struct wg_task_range *q,
                              int (*cb)(const struct wg_task_row *, void *), void *ctx,
                              struct wg_err *err);
/* Moves task id to state (finished_at as given) if it is still at version; WG_ECONFLICT
 * when another change came first. */
enum wg_rc wg_store_task_move(struct wg_db *db, long long id, long long version, const char *state,
                              long long finished_at, struct wg_err *err);
enum wg_rc wg_store_task_event(struct wg_db *db, long long task, long long at, const char *actor,
                               const char *action, const char *note, struct wg_err *err);
/* The task's timeline, oldest first; texts borrowed in cb. */
enum wg_rc wg_store_task_events(struct wg_db *db, long long task,
                                int (*cb)(long long at, const char *actor, const char *action,
                                          const char *note, void *ctx),
                                void *ctx, struct wg_err *err);

#endif
