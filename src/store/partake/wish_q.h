/* The wish wall (domain/partake/wish.h): typed functions of the store for wishes and their
 * timelines; only src/store/ speaks SQL. Rows are read into fixed buffers (the texts have
 * caps well inside them), so a row outlives its callback. */
#ifndef WG_STORE_WISH_Q_H
#define WG_STORE_WISH_Q_H

#include "store/store.h"

struct wg_wish_row {
    long long id, order_id;
    char place[24];
    char title[256], story[2048];
    char state[12];
    long long claimant; /* a registry person; 0 none */
    char claimant_as[16], claimant_label[64];
    char note[2048], photo[72], thanks[1024];
    long long version;
    char created_by[64];
    long long created_at, updated_at;
};

/* Stores a new wish (published, version 1); *id its id. */
enum wg_rc wg_store_wish_insert(struct wg_db *db, const struct wg_wish_row *w, long long *id,
                                struct wg_err *err);
/* WG_ENOTFOUND when there is none. */
enum wg_rc wg_store_wish_get(struct wg_db *db, long long id, struct wg_wish_row *out,
                             struct wg_err *err);
enum wg_rc wg_store_wish_by_order(struct wg_db *db, long long order_id, struct wg_wish_row *out,
                                  struct wg_err *err);
/* Places [lo, hi), a state ("" any, "public" all but withdrawn), ids below `below`. */
enum wg_rc wg_store_wish_list(struct wg_db *db, const char *lo, const char *hi, const char *state,
                              long long below, int limit,
                              int (*cb)(const struct wg_wish_row *, void *), void *ctx,
                              struct wg_err *err);
/* Writes w's state, claimant, note, photo, thanks and updated_at over wish w->id if it is
 * still at version; WG_ECONFLICT when another change came first. */
enum wg_rc wg_store_wish_move(struct wg_db *db, const struct wg_wish_row *w, long long version,
                              struct wg_err *err);
enum wg_rc wg_store_wish_event(struct wg_db *db, long long wish, long long at, const char *actor,
                               const char *action, const char *note, struct wg_err *err);
enum wg_rc wg_store_wish_events(struct wg_db *db, long long wish,
                                int (*cb)(long long at, const char *actor, const char *action,
                                          const char *note, void *ctx),
                                void *ctx, struct wg_err *err);
/* *is 1 when person is a member of some party organization. */
enum wg_rc wg_store_wish_party_member(struct wg_db *db, long long person, int *is,
                                      struct wg_err *err);

/* ---- the demo's (domain/partake/sample_wishes.c) ---- */
struct wg_partake_member {
    long long person;
    char grid[32];
    double lon, lat;
};
/* Up to max party members with their grid and a building's point in it, by grid. */
enum wg_rc wg_store_partake_members(struct wg_db *db, struct wg_partake_member *out, int max,
                                    int *n, struct wg_err *err);
/* A volunteer of grid's town, of its own village or grid first (*id 0 when none). */
enum wg_rc wg_store_partake_neighbour(struct wg_db *db, const char *grid, long long *id,
                                      struct wg_err *err);
/* Up to max complaints of the grids under prefix, newest first. */
enum wg_rc wg_store_partake_complaints(struct wg_db *db, const char *prefix, long long *ids,
                                       int max, int *n, struct wg_err *err);
/* The first party organization whose area lies under prefix (*id 0 when none). */
enum wg_rc wg_store_partake_org(struct wg_db *db, const char *prefix, long long *id,
                                struct wg_err *err);
#endif
