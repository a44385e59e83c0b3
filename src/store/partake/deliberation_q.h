/* Deliberations (一事一议, domain/partake/deliberation.h) and the communities' needs,
 * resources and projects lists: typed functions of the store; only src/store/ speaks SQL.
 * Each stage's record is a JSON object in a text column ("{}" until the stage is held). */
#ifndef WG_STORE_DELIBERATION_Q_H
#define WG_STORE_DELIBERATION_Q_H

#include "store/store.h"

struct wg_delib_row {
    long long id;
    const char *topic;
    char place[24];
    const char *origin; /* JSON array */
    char state[16];
    const char *branch, *council, *resolution, *task, *notice; /* JSON objects */
    char notice_from[11], notice_until[11];
    long long version;
    char created_by[64];
    long long created_at, updated_at;
};

enum wg_rc wg_store_delib_insert(struct wg_db *db, const struct wg_delib_row *d, long long *id,
                                 struct wg_err *err);
/* The row's texts are valid only during the callback; WG_ENOTFOUND when there is none. */
enum wg_rc wg_store_delib_get(struct wg_db *db, long long id,
                              int (*cb)(const struct wg_delib_row *, void *), void *ctx,
                              struct wg_err *err);
/* Places [lo, hi), a state ("" any), ids below `below`, newest first. */
enum wg_rc wg_store_delib_list(struct wg_db *db, const char *lo, const char *hi, const char *state,
                               long long below, int limit,
                               int (*cb)(const struct wg_delib_row *, void *), void *ctx,
                               struct wg_err *err);
/* The notices of places [lo, hi) current on day (YYYY-MM-DD). */
enum wg_rc wg_store_delib_notices(struct wg_db *db, const char *lo, const char *hi, const char *day,
                                  int limit, int (*cb)(const struct wg_delib_row *, void *),
                                  void *ctx, struct wg_err *err);
/* Writes d's state, stages, notice dates and updated_at over deliberation d->id if it is still
 * at version; WG_ECONFLICT when another change came first. */
enum wg_rc wg_store_delib_move(struct wg_db *db, const struct wg_delib_row *d, long long version,
                               struct wg_err *err);
enum wg_rc wg_store_delib_event(struct wg_db *db, long long id, long long at, const char *actor,
                                const char *step, const char *from, const char *to,
                                struct wg_err *err);
enum wg_rc wg_store_delib_events(struct wg_db *db, long long id,
                                 int (*cb)(long long at, const char *actor, const char *step,
                                           const char *from, const char *to, void *ctx),
                                 void *ctx, struct wg_err *err);

struct wg_partake_item {
    long long id;
    char community[24], kind[12];
    const char *title, *detail;
    char created_by[64];
    long long created_at;
};
enum wg_rc wg_store_partake_item_insert(struct wg_db *db, const struct wg_partake_item *it,
                                        long long *id, struct wg_err *err);
/* Communities [lo, hi), a kind ("" any), by community, kind and id. */
enum wg_rc wg_store_partake_items(struct wg_db *db, const char *lo, const char *hi,
                                  const char *kind, int limit,
                                  int (*cb)(const struct wg_partake_item *, void *), void *ctx,
                                  struct wg_err *err);

#endif
