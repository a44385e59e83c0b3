/* Locate: which grid holds a point, and the whole chain above it
 * (province → city → county → town → village → grid), answered from memory.
 *
 * A locator is an immutable snapshot of the current grids: base grids in one index (they
 * partition a village, so a point is in at most one), exclusive and micro-grids in an
 * overlay index. The server keeps the current snapshot in a slot; an import builds a new
 * one beside it and publishes it, and lookups in flight finish on the snapshot they hold
 * (reference counted), so a rebuild never blocks a lookup. */
#ifndef WG_DOMAIN_LOCATE_H
#define WG_DOMAIN_LOCATE_H

#include <stddef.h>

#include "core/err.h"
#include "core/snap.h"
#include "domain/map/region.h"
#include "geo/crs.h"
#include "store/store.h"

struct wg_loc_grid {
    char code[WG_CODE_LEN_MICRO + 1];
    char name[192];
    char kind[12];
    char subtype[32];
};

struct wg_loc_region {
    char code[13];
    char name[128];
    char level[12];
};

struct wg_locator;

#define WG_LOC_MAX_OVERLAY 16

struct wg_locate_result {
    double lon, lat;                /* the point in CGCS2000/WGS84 */
    const struct wg_loc_grid *grid; /* the base grid; NULL when none */
    size_t noverlay;
    const struct wg_loc_grid *overlay[WG_LOC_MAX_OVERLAY]; /* exclusive and micro-grids */
    size_t nchain;
    const struct wg_loc_region *chain[5]; /* province first; only levels the store knows */
};

enum wg_rc wg_locator_build(struct wg_db *db, struct wg_locator **out, struct wg_err *err);
void wg_locator_release(struct wg_locator *loc); /* drops one reference */
size_t wg_locator_grid_count(const struct wg_locator *loc);
/* The bounding box {minx, miny, maxx, maxy} of the base grids; 0 when there are none. */
int wg_locator_extent(const struct wg_locator *loc, double box[4]);

/* Converts (lon, lat) from crs and locates it. A point in no base grid is WG_ENOTFOUND with
 * a message quoting the point; the result still carries the converted point. */
enum wg_rc wg_locator_locate(const struct wg_locator *loc, double lon, double lat, enum wg_crs crs,
                             struct wg_locate_result *out, struct wg_err *err);

/* The current snapshot lives in a slot (core/snap.h): acquire returns it with a reference
 * the caller releases (NULL if none); publish takes the caller's reference to loc and drops
 * the slot's old one. */
struct wg_locator *wg_locator_acquire(struct wg_slot *s);
void wg_locator_publish(struct wg_slot *s, struct wg_locator *loc);

#endif
