/* 一长二员 stairwell teams (domain/partake/stairwell.h): typed functions of the store for the
 * teams, the stairwells of a grid, their houses and the teams' visits by month; only
 * src/store/ speaks SQL. */
#ifndef WG_STORE_STAIRWELL_Q_H
#define WG_STORE_STAIRWELL_Q_H

#include "store/store.h"

struct wg_stair_row {
    long long id;
    char building[40], unit[36], grid[20];
    long long person[3]; /* head 楼道长, info 信息员, guard 保障员 */
    char since[3][12];
    long long version;
    char updated_by[64];
    long long created_at, updated_at;
    char building_name[164];
};

/* Stores t (version 1); *id its id. */
enum wg_rc wg_store_stair_insert(struct wg_db *db, const struct wg_stair_row *t, long long *id,
                                 struct wg_err *err);
/* Writes t's members over the stored team if it is still at version expect; *changed 0 when
 * it is not. */
enum wg_rc wg_store_stair_update(struct wg_db *db, const struct wg_stair_row *t, long long expect,
                                 int *changed, struct wg_err *err);
/* WG_ENOTFOUND naming the team. */
enum wg_rc wg_store_stair_get(struct wg_db *db, long long id, struct wg_stair_row *out,
                              struct wg_err *err);
/* *id the team of building and unit (0: none). */
enum wg_rc wg_store_stair_at(struct wg_db *db, const char *building, const char *unit,
                             long long *id, struct wg_err *err);
/* The teams of grids [lo, hi), at most limit. */
enum wg_rc wg_store_stair_list(struct wg_db *db, const char *lo, const char *hi, int limit,
                               int (*cb)(const struct wg_stair_row *, void *), void *ctx,
                               struct wg_err *err);
/* The stairwells of grid's buildings with their houses' count; texts borrowed in cb. */
enum wg_rc wg_store_stair_of_grid(struct wg_db *db, const char *grid,
                                  int (*cb)(const char *building, const char *name,
                                            const char *unit, long long houses, void *),
                                  void *ctx, struct wg_err *err);
struct wg_stair_house {
    long long id;
    int floor;
    const char *room, *address, *use;
};
enum wg_rc wg_store_stair_houses(struct wg_db *db, const char *building, const char *unit,
                                 int (*cb)(const struct wg_stair_house *, void *), void *ctx,
                                 struct wg_err *err);

struct wg_stair_visit_row {
    long long id, team, household, house;
    char month[8], member[8];
    long long visit, visited_at;
    char client_key[72], created_by[64];
    long long created_at;
};
enum wg_rc wg_store_stair_visit_insert(struct wg_db *db, const struct wg_stair_visit_row *v,
                                       long long *id, struct wg_err *err);
/* The visit created_by uploaded under key: found 0 when none. */
enum wg_rc wg_store_stair_visit_by_client(struct wg_db *db, const char *created_by, const char *key,
                                          struct wg_stair_visit_row *out, int *found,
                                          struct wg_err *err);
enum wg_rc wg_store_stair_visit_month(struct wg_db *db, long long team, const char *month,
                                      int (*cb)(const struct wg_stair_visit_row *, void *),
                                      void *ctx, struct wg_err *err);
/* How many households each team of grid visited in month. */
enum wg_rc wg_store_stair_visited(struct wg_db *db, const char *grid, const char *month,
                                  int (*cb)(long long team, long long households, void *),
                                  void *ctx, struct wg_err *err);

#endif
