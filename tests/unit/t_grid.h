/* A base grid of the registry's tests: code, its village (the first twelve digits), named
 * 网格 and the last three digits, an empty outline, valid from 2026. */
#ifndef WG_TESTS_T_GRID_H
#define WG_TESTS_T_GRID_H

#include "store/map/map_q.h"
#include "t.h"

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
