/* The registry's places — buildings and houses — and the address search over them
 * (domain/registry/building.h, address.h). Typed functions of the store (store/store.h) for
 * this context; only src/store/ speaks SQL. */
#ifndef WG_STORE_PLACES_Q_H
#define WG_STORE_PLACES_Q_H

#include "store/store.h"

#define WG_BUILDING_CODE_MAX 32  /* bytes */
#define WG_ADDRESS_MAX       484 /* bytes: 120 characters of up to 4 */

struct wg_building_row {
    char code[WG_BUILDING_CODE_MAX + 1];
    char name[164];
    char grid[20];
    char address[WG_ADDRESS_MAX + 1];
    int has_point;
    double lon, lat;
    int floors;
    char use[16];
    long long version, created_at, updated_at;
    char grid_name[192]; /* read only: the grid's current name, "" when it has none */
};

/* WG_ECONFLICT naming the code when it is taken. */
enum wg_rc wg_store_building_insert(struct wg_db *db, const struct wg_building_row *b,
                                    struct wg_err *err);
/* Writes b over the stored row if it is still at version expect: WG_EPRECOND when it is not. */
enum wg_rc wg_store_building_update(struct wg_db *db, const struct wg_building_row *b,
                                    long long expect, struct wg_err *err);
/* WG_ENOTFOUND naming the code. */
enum wg_rc wg_store_building_get(struct wg_db *db, const char *code, struct wg_building_row *out,
                                 struct wg_err *err);
/* Up to limit buildings after code `after`, by code: of grid ("" any), whose grid starts
 * with prefix, whose address or name holds q ("" any). */
enum wg_rc wg_store_building_list(struct wg_db *db, const char *after, const char *grid,
                                  const char *prefix, const char *q, int limit,
                                  int (*cb)(const struct wg_building_row *, void *), void *ctx,
                                  struct wg_err *err);
enum wg_rc wg_store_building_grid_count(struct wg_db *db, const char *grid, long long *n,
                                        struct wg_err *err);
/* The highest and lowest floor of a building's houses; both 0 when it has none. */
enum wg_rc wg_store_building_floor_span(struct wg_db *db, const char *code, int *top, int *bottom,
                                        struct wg_err *err);

struct wg_house_row {
    long long id;
    char building[WG_BUILDING_CODE_MAX + 1];
    char unit[36];
    int floor;
    char room[36];
    char address[WG_ADDRESS_MAX + 1];
    char use[24];
    int tenants;
    long long version, created_at, updated_at;
    char grid[20]; /* read only: the building's */
};
/* Sets h->id; WG_ECONFLICT when the building has that unit and room already. */
enum wg_rc wg_store_house_insert(struct wg_db *db, struct wg_house_row *h, struct wg_err *err);
enum wg_rc wg_store_house_update(struct wg_db *db, const struct wg_house_row *h, long long expect,
                                 struct wg_err *err);
/* The houses of building whose address begins with old take new in its place (a change of
 * the building's standard address), each a version more, at now. */
enum wg_rc wg_store_house_readdress(struct wg_db *db, const char *building, const char *old,
                                    const char *new_address, long long now, struct wg_err *err);
enum wg_rc wg_store_house_get(struct wg_db *db, long long id, struct wg_house_row *out,
                              struct wg_err *err);
enum wg_rc wg_store_house_list(struct wg_db *db, const char *building, long long after, int limit,
                               int (*cb)(const struct wg_house_row *, void *), void *ctx,
                               struct wg_err *err);

/* ---- the address search ---- */
enum wg_addr_source {
    WG_ADDR_BUILDING_PREFIX,
    WG_ADDR_BUILDING_SUBSTR,
    WG_ADDR_HOUSE_PREFIX,
    WG_ADDR_HOUSE_SUBSTR, /* of the buildings holding the word's rarest bigram */
    WG_ADDR_ORG_NAME,     /* organizations by name (store/registry/orgs_q.h's table) */
};
/* A building or house found: its id (a building's code, a house's id as text), the
 * building's name, the address, the point (has_point 0: none stored; box_lon/box_lat then
 * the middle of its grid's box when the grid has one), the grid and its name. Borrowed in cb. */
struct wg_addr_hit {
    const char *id, *name, *address, *grid, *grid_name;
    int has_point, has_box;
    double lon, lat, box_lon, box_lat;
};
enum wg_rc wg_store_addr_find(struct wg_db *db, enum wg_addr_source src, const char *q,
                              const char *prefix, int limit,
                              int (*cb)(const struct wg_addr_hit *, void *), void *ctx,
                              struct wg_err *err);
/* Towns and villages whose name holds q, prefixes first. */
enum wg_rc wg_store_addr_regions(struct wg_db *db, const char *q, const char *prefix, int limit,
                                 int (*cb)(const char *code, const char *name, const char *level,
                                           void *),
                                 void *ctx, struct wg_err *err);
/* The box of the current base grids under a town or village code; *n 0 when there are none. */
enum wg_rc wg_store_addr_region_box(struct wg_db *db, const char *code, double box[4], long long *n,
                                    struct wg_err *err);

#endif
