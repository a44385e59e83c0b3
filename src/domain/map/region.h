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

/* Code lengths by level: the one statement of them (the console asks the API for levels). */
#define WG_CODE_LEN_PROVINCE 2
#define WG_CODE_LEN_CITY     4
#define WG_CODE_LEN_COUNTY   6
#define WG_CODE_LEN_TOWN     9
#define WG_CODE_LEN_VILLAGE  12
#define WG_CODE_LEN_GRID     15
#define WG_CODE_LEN_MICRO    18

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
size_t wg_level_code_len(enum wg_level lvl);  /* 6; 0 for WG_LEVEL_NONE */
/* The level a code of len digits has, or WG_LEVEL_NONE for a length no level has. */
enum wg_level wg_level_of_len(size_t len);
/* The length of the codes one level below codes of len digits: provinces (2) below the
 * whole deployment (0), towns (9) below a county (6); 0 below a micro-grid or for a length no
 * level has. */
size_t wg_level_child_len(size_t len);
/* The length of the deepest level, not deeper than lvl, whose code fits in len digits: a
 * grid code's town is its first wg_level_floor_len(15, WG_LEVEL_TOWN) = 9 digits. */
size_t wg_level_floor_len(size_t len, enum wg_level lvl);
/* Writes the first digits of code that make its ancestor at level lvl into out (size n);
 * returns 0, with out empty, when code is shorter than that level's codes. */
int wg_region_prefix(const char *code, enum wg_level lvl, char *out, size_t n);
/* Writes the parent's code into out (size >= 16); returns 0 for a province (no parent). */
int wg_region_parent(const char *code, char *out, size_t n);

#endif
