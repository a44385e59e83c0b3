/* A grid's boundary in memory: one Polygon or MultiPolygon flattened to a list of closed
 * rings in longitude/latitude (CGCS2000 ~ WGS84 degrees). Inside is decided by the even-odd
 * rule over all rings, which is exact for valid Polygons with holes and for MultiPolygons.
 *
 * Every "is this point in this grid" question in wangge is answered by wg_shape_contains,
 * and the grid index (gindex.h) is required to give the very same answers faster.
 * Boundary rule (half-open, the classic crossing test): a point on an edge shared by two
 * grids of a tessellation is inside exactly one of them, the same one every time. */
#ifndef WG_GEO_SHAPE_H
#define WG_GEO_SHAPE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/err.h"

struct wg_shape {
    double minx, miny, maxx, maxy; /* bounding box */
    uint32_t nrings;
    uint32_t npts;
    uint32_t *ring_off;  /* nrings + 1 offsets into the point list; ring r is [off[r], off[r+1]) */
    double *xy;          /* npts points as x0,y0,x1,y1,...; each ring closed (last == first) */
    uint32_t npolys;     /* how many polygons (1 for a Polygon) */
    uint32_t *poly_ring; /* npolys + 1 offsets into the ring list: polygon p's rings, outer first */
};

void wg_shape_init(struct wg_shape *s);
void wg_shape_release(struct wg_shape *s);
/* Deep copy into dst (dst is overwritten, not released). Cannot fail (core/alloc.h): it
 * returns WG_OK, and keeps its result and err for the callers written against it. */
enum wg_rc wg_shape_copy(struct wg_shape *dst, const struct wg_shape *src, struct wg_err *err);

/* Builds a shape from a GeoJSON geometry object (Polygon or MultiPolygon). Checks structure:
 * numbers, at least 4 positions a ring, each ring closed, longitude in [-180,180] and latitude
 * in [-90,90]. It does not check self-intersection (geos.h does). The message names the
 * polygon, ring and position at fault. */
enum wg_rc wg_shape_from_geojson(const json_t *geometry, struct wg_shape *out, struct wg_err *err);
/* Returns a new GeoJSON geometry (Polygon when npolys == 1, else MultiPolygon). */
json_t *wg_shape_to_geojson(const struct wg_shape *s);

/* Builders, for code that makes shapes (generation, GEOS results). */
void wg_shape_begin_polygon(struct wg_shape *s);
/* Appends a ring to the current polygon (outer ring first); closes it if not closed. */
enum wg_rc wg_shape_add_ring(struct wg_shape *s, const double *xy, uint32_t npts);
void wg_shape_update_bbox(struct wg_shape *s);

/* 1 when (x, y) is inside, 0 when outside; even-odd, half-open crossing rule. */
int wg_shape_contains(const struct wg_shape *s, double x, double y);

/* The crossing predicate wg_shape_contains sums over the edges: does the ray from (x, y)
 * towards +x cross the edge a-b? It depends only on the unordered edge (it orients it
 * upwards first), so an edge shared by two grids gives both the same answer, which is what
 * puts a point on a shared edge in exactly one of them. Half-open in y (a vertex belongs to
 * the edge above it), horizontal edges never cross, and the intercept is only computed when
 * x lies within the edge's x-range, so a point left (right) of both ends always crosses
 * (never does): the grid index relies on that to skip or fold whole edges exactly. It is
 * inline so that every caller evaluates the very same floating-point expression. */
static inline int wg_shape_edge_crosses(double ax, double ay, double bx, double by, double x,
                                        double y)
{
    if (ay > by) {
        double t = ax;
        ax = bx;
        bx = t;
        t = ay;
        ay = by;
        by = t;
    }
    if (!(y >= ay && y < by))
        return 0;
    if (x < ax && x < bx)
        return 1;
    if (x >= ax && x >= bx)
        return 0;
    return x < ax + (bx - ax) * (y - ay) / (by - ay);
}

/* Area in square metres on the ellipsoid-free local approximation used across wangge:
 * shoelace in degrees scaled by the metres per degree at the ring's mean latitude
 * (exact enough for grids of a few km²: error well under 0.1%). Holes subtract. */
double wg_shape_area_m2(const struct wg_shape *s);

/* Metres per degree of longitude and latitude at a latitude (spherical, R = 6371008.8 m). */
void wg_geo_m_per_deg(double lat, double *mx, double *my);

#endif
