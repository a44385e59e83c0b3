/* A base grid of the registry's tests: code, its village (the first twelve digits), named
 * 网格 and the last three digits, an empty outline, valid from 2026; and a division above it. */
#ifndef WG_TESTS_T_GRID_H
#define WG_TESTS_T_GRID_H

#include "domain/map/region.h"
#include "store/map/map_q.h"
#include "t.h"

/* A division (county, town or village) with its name, its parent worked out from its code. */
static inline void t_add_region(struct wg_db *db, const char *code, const char *name,
                                const char *level)
{
    struct wg_err err = {0};
    struct wg_region_row r = {0};
    int changed = 0;
    snprintf(r.code, sizeof r.code, "%s", code);
    snprintf(r.name, sizeof r.name, "%s", name);
    snprintf(r.level, sizeof r.level, "%s", level);
    wg_region_parent(code, r.parent, sizeof r.parent);
    T_EQ_INT(wg_store_region_put(db, &r, &changed, &err), WG_OK);
}

static inline void t_add_grid(struct wg_db *db, const char *code)
{
    struct wg_err err = {0};
    struct wg_grid_row g = {.version = 1,
                            .households = -1,
                            .population = -1,
                            .geometry = "{\"type\":\"Polygon\",\"coordinates\":[]}"};
    snprintf(g.code, sizeof g.code, "%s", code);
    snprintf(g.name, sizeof g.name, "网格%s", strlen(code) > 12 ? code + 12 : "");
    snprintf(g.kind, sizeof g.kind, "base");
    snprintf(g.village, sizeof g.village, "%.12s", code);
    snprintf(g.crs, sizeof g.crs, "EPSG:4326");
    snprintf(g.valid_from, sizeof g.valid_from, "2026-01-01T00:00:00");
    T_EQ_INT(wg_store_grid_insert(db, &g, &err), WG_OK);
}

#endif
