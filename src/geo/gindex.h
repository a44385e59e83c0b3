/* The locate index: which grid holds a point, answered from memory in well under a
 * microsecond. It is built once from a set of shapes and is immutable afterwards, so any
 * number of threads may query it while a new one is built beside it (the server swaps the
 * pointer after an import).
 *
 * Contract (tests and the locate benchmark check it point by point):
 *   wg_gindex_locate(ix, x, y) == the smallest i such that wg_shape_contains(&shapes[i], x, y),
 *   or WG_GINDEX_NONE when there is none.
 * The index copies what it needs; the shapes may be freed after wg_gindex_build returns. */
#ifndef WG_GEO_GINDEX_H
#define WG_GEO_GINDEX_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "geo/shape.h"

#define WG_GINDEX_NONE UINT32_MAX

struct wg_gindex;

struct wg_gindex_stats {
    size_t bytes;       /* memory the index holds */
    size_t cells;       /* raster cells */
    size_t mixed_cells; /* cells that need an exact test */
    double build_seconds;
};

enum wg_rc wg_gindex_build(const struct wg_shape *shapes, size_t n, struct wg_gindex **out,
                           struct wg_err *err);
void wg_gindex_free(struct wg_gindex *ix);

uint32_t wg_gindex_locate(const struct wg_gindex *ix, double x, double y);
/* Locates n points (xy interleaved) into out[n]; same answers as n single calls, faster
 * (overlaps memory loads of neighbouring queries). */
void wg_gindex_locate_many(const struct wg_gindex *ix, const double *xy, size_t n, uint32_t *out);
/* All shapes containing the point, ascending; returns how many (may exceed max; only max are
 * written). For overlaying layers such as exclusive grids. */
size_t wg_gindex_locate_all(const struct wg_gindex *ix, double x, double y, uint32_t *out,
                            size_t max);
void wg_gindex_stats(const struct wg_gindex *ix, struct wg_gindex_stats *st);

#endif
