/* Regions: the statistical division tree province → city → county → town → village, with
 * 12-digit codes whose first 6 digits are GB/T 2260 (SPEC §2). Province "37", city "3713",
 * county "371302", town "371302001", village "371302001001". Below a village sit grids:
 * 15 characters (village code + 3 digits), micro-grids 18.
 *
 * A code's level follows from its length alone, and its parent is the next shorter prefix,
 * so the chain of any node is known from its code. */
#ifndef WG_DOMAIN_REGION_H
#define WG_DOMAIN_REGION_H

#include <stddef.h>

#include "core/err.h"

enum wg_level {
    WG_LEVEL_NONE = -1,
    WG_LEVEL_PROVINCE,
    WG_LEVEL_CITY,
    WG_LEVEL_COUNTY,
    WG_LEVEL_TOWN,
    WG_LEVEL_VILLAGE,
    WG_LEVEL_GRID,
    WG_LEVEL_MICRO,
};

/* The level of a code, or WG_LEVEL_NONE (with a message in err) when it is not one: not all
 * digits, or a length other than 2, 4, 6, 9, 12, 15 or 18. */
enum wg_level wg_region_level(const char *code, struct wg_err *err);
const char *wg_level_name(enum wg_level lvl); /* "county" */
size_t wg_level_code_len(enum wg_level lvl);  /* 6 */
/* Writes the parent's code into out (size >= 16); returns 0 for a province (no parent). */
int wg_region_parent(const char *code, char *out, size_t n);

#endif
