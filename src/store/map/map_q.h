/* The map's rows: regions (the division tree) and versioned grids (domain/map/).
 * Typed functions of the store (store/store.h) for this context; only src/store/ speaks SQL. */
#ifndef WG_STORE_MAP_Q_H
#define WG_STORE_MAP_Q_H

#include "store/store.h"

/* ---- regions ---- */
struct wg_region_row {
    char code[13];
    char name[128];
    char level[12];  /* province, city, county, town, village */
    char parent[13]; /* "" for a province */
};
enum wg_rc wg_store_region_put(struct wg_db *db, const struct wg_region_row *r, int *changed,
                               struct wg_err *err);
enum wg_rc wg_store_region_get(struct wg_db *db, const char *code, struct wg_region_row *out,
                               struct wg_err *err);
/* Calls cb for each child, by code; a non-zero return from cb stops the walk. */
enum wg_rc wg_store_region_children(struct wg_db *db, const char *code,
                                    int (*cb)(const struct wg_region_row *, void *), void *ctx,
                                    struct wg_err *err);
enum wg_rc wg_store_region_search(struct wg_db *db, const char *q, int limit,
                                  int (*cb)(const struct wg_region_row *, void *), void *ctx,
                                  struct wg_err *err);
enum wg_rc wg_store_region_count(struct wg_db *db, const char *prefix, long *out,
                                 struct wg_err *err);
/* Boundary as GeoJSON geometry text; NULL clears it. */
enum wg_rc wg_store_region_set_boundary(struct wg_db *db, const char *code, const char *geojson,
                                        struct wg_err *err);
/* *out is owned by the caller (free()); NULL when the region has no boundary. */
enum wg_rc wg_store_region_boundary(struct wg_db *db, const char *code, char **out,
                                    struct wg_err *err);

/* ---- grids (versioned: the current version has an empty valid_to) ---- */
struct wg_grid_row {
    char code[20]; /* 15 digits, 18 for a micro-grid (domain/map/region.h) */
    int version;
    char name[192];
    char kind[12]; /* base, exclusive, micro */
    char subtype[32];
    char village[13];
    long households; /* -1 when unknown */
    long population; /* -1 when unknown */
    char crs[12];    /* the CRS the boundary arrived in */
    double area_m2;
    double minx, miny, maxx, maxy;
    const char *geometry; /* GeoJSON geometry text (borrowed in callbacks) */
    char valid_from[32];
    char valid_to[32]; /* "" while current */
};
/* Inserts a new version; the caller closes the old one first. */
enum wg_rc wg_store_grid_insert(struct wg_db *db, const struct wg_grid_row *g, struct wg_err *err);
enum wg_rc wg_store_grid_close(struct wg_db *db, const char *code, const char *valid_to,
                               struct wg_err *err);
/* Whether grid code has a current version: WG_OK, or WG_ENOTFOUND; its row is not read (a
 * grid's outline may be large), for the checks of the records placed in it. */
enum wg_rc wg_store_grid_live(struct wg_db *db, const char *code, struct wg_err *err);
/* The current version of a grid; *geometry_out (owned, free()) may be NULL to skip it. */
enum wg_rc wg_store_grid_current(struct wg_db *db, const char *code, struct wg_grid_row *out,
                                 char **geometry_out, struct wg_err *err);
/* Current grids whose code starts with prefix ("" for all), by code. */
enum wg_rc wg_store_grid_each(struct wg_db *db, const char *prefix,
                              int (*cb)(const struct wg_grid_row *, void *), void *ctx,
                              struct wg_err *err);
enum wg_rc wg_store_grid_count(struct wg_db *db, const char *prefix, long *out, struct wg_err *err);

/* Regions of one level ("county"), by code. */
enum wg_rc wg_store_region_by_level(struct wg_db *db, const char *level,
                                    int (*cb)(const struct wg_region_row *, void *), void *ctx,
                                    struct wg_err *err);

#endif
