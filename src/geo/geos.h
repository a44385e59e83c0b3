/* Geometry checks and constructions done with the GEOS C API (this file's .c is the only
 * includer of geos_c.h). Shapes are in degrees; areas are reported in m² using the same
 * local scaling as wg_shape_area_m2. All functions are thread-safe (GEOS _r API, one
 * context per call or per thread). */
#ifndef WG_GEO_GEOS_H
#define WG_GEO_GEOS_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "geo/shape.h"

/* WG_OK when the shape is a valid Polygon/MultiPolygon in GEOS's sense; otherwise WG_EINVAL
 * with GEOS's reason and location, e.g. "self-intersection at (118.3500, 35.0500)". */
enum wg_rc wg_geos_check_valid(const struct wg_shape *s, struct wg_err *err);

/* Area of a ∩ b in m² (0 when they only touch). */
double wg_geos_overlap_m2(const struct wg_shape *a, const struct wg_shape *b);

/* Area of `inner` lying outside `outer`, in m². */
double wg_geos_outside_m2(const struct wg_shape *inner, const struct wg_shape *outer);

/* Area of `parent` not covered by the union of children, in m². */
double wg_geos_gap_m2(const struct wg_shape *parent, const struct wg_shape *children, size_t n);

/* Splits `parent` into n cells (Voronoi of n seed points spread over it, a few Lloyd
 * rounds, each cell clipped to the parent), deterministic for a seed. The cells cover the
 * parent exactly and do not overlap. out must hold n shapes; they are initialised here.
 * A cell that clips into several parts is kept as a MultiPolygon. An invalid parent (public
 * boundaries often self-intersect) is first repaired with GEOSMakeValid, and the cells
 * partition the repaired shape; n == 1 gives a plain copy of the parent. */
enum wg_rc wg_geos_tessellate(const struct wg_shape *parent, size_t n, uint64_t seed,
                              struct wg_shape *out, struct wg_err *err);

/* A small convex polygon of about `area_m2` lying wholly inside `parent`, placed by the seed
 * (for exclusive grids: a school, a market). */
enum wg_rc wg_geos_place_inside(const struct wg_shape *parent, double area_m2, uint64_t seed,
                                struct wg_shape *out, struct wg_err *err);

/* `in` as a valid shape: a copy when it is valid, else GEOS's repair of it (polygons only;
 * *repaired set). For public boundaries that self-touch or self-cross. */
enum wg_rc wg_geos_make_valid(const struct wg_shape *in, struct wg_shape *out, int *repaired,
                              struct wg_err *err);

#endif
