/* Grid boundaries in memory (shape.h): GeoJSON in and out, the builders used by generation
 * and GEOS glue, the even-odd point-in-polygon test every locate answer rests on, and the
 * local-scale area. GeoJSON errors name the polygon, ring and position at fault, counted
 * from 0 as in the JSON arrays, with the array path so a reader can find it at once. */
#include "geo/shape.h"
#include "core/alloc.h"
#include "core/assert.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Caps on user-supplied geometry: a grid boundary of a million positions is a mistake or an
 * attack, not a survey. */
#define MAX_POINTS (1u << 20)
#define MAX_RINGS  (1u << 16)

#define EARTH_R 6371008.8

void wg_shape_init(struct wg_shape *s)
{
    memset(s, 0, sizeof *s);
}

void wg_shape_release(struct wg_shape *s)
{
    if (!s)
        return;
    free(s->ring_off);
    free(s->xy);
    free(s->poly_ring);
    wg_shape_init(s);
}

enum wg_rc wg_shape_copy(struct wg_shape *dst, const struct wg_shape *src, struct wg_err *err)
{
    (void)err; /* cannot fail (alloc.h); the signature stays for its callers */
    struct wg_shape t = *src;
    t.ring_off = NULL;
    t.xy = NULL;
    t.poly_ring = NULL;
    if (src->ring_off || src->poly_ring || src->xy) {
        t.ring_off = wg_malloc((src->nrings + 1) * sizeof *t.ring_off);
        t.poly_ring = wg_malloc((src->npolys + 1) * sizeof *t.poly_ring);
        t.xy = wg_malloc((src->npts ? src->npts : 1) * 2 * sizeof *t.xy);
        t.ring_off[0] = 0;
        t.poly_ring[0] = 0;
        if (src->ring_off)
            memcpy(t.ring_off, src->ring_off, (src->nrings + 1) * sizeof *t.ring_off);
        if (src->poly_ring)
            memcpy(t.poly_ring, src->poly_ring, (src->npolys + 1) * sizeof *t.poly_ring);
        if (src->npts)
            memcpy(t.xy, src->xy, (size_t)src->npts * 2 * sizeof *t.xy);
    }
    *dst = t;
    return WG_OK;
}

void wg_shape_begin_polygon(struct wg_shape *s)
{
    /* Exact-size reallocation per polygon and per ring: shapes have a handful of each, and
     * the struct has no room for capacities. */
    uint32_t *pr = wg_realloc(s->poly_ring, (s->npolys + 2) * sizeof *pr);
    s->poly_ring = pr;
    if (s->npolys == 0)
        pr[0] = s->nrings;
    pr[s->npolys + 1] = s->nrings;
    s->npolys++;
    if (!s->ring_off) {
        s->ring_off = wg_malloc(sizeof *s->ring_off);
        s->ring_off[0] = 0;
    }
}

enum wg_rc wg_shape_add_ring(struct wg_shape *s, const double *xy, uint32_t npts)
{
    if (npts == 0)
        return WG_EINVAL;
    int closed = npts > 1 && xy[0] == xy[2 * (npts - 1)] && xy[1] == xy[2 * (npts - 1) + 1];
    uint32_t n = closed ? npts : npts + 1;
    if (n < 4)
        return WG_EINVAL;
    if (s->npolys == 0)
        wg_shape_begin_polygon(s);
    double *nxy = wg_realloc(s->xy, (size_t)(s->npts + n) * 2 * sizeof *nxy);
    s->xy = nxy;
    uint32_t *off = wg_realloc(s->ring_off, (s->nrings + 2) * sizeof *off);
    s->ring_off = off;
    memcpy(nxy + 2 * (size_t)s->npts, xy, (size_t)npts * 2 * sizeof *xy);
    if (!closed) {
        nxy[2 * ((size_t)s->npts + npts)] = xy[0];
        nxy[2 * ((size_t)s->npts + npts) + 1] = xy[1];
    }
    s->npts += n;
    s->nrings++;
    off[s->nrings] = s->npts;
    s->poly_ring[s->npolys] = s->nrings;
    return WG_OK;
}

void wg_shape_update_bbox(struct wg_shape *s)
{
    if (s->npts == 0) {
        s->minx = s->miny = s->maxx = s->maxy = 0;
        return;
    }
    double minx = s->xy[0], maxx = s->xy[0], miny = s->xy[1], maxy = s->xy[1];
    for (uint32_t i = 1; i < s->npts; i++) {
        double x = s->xy[2 * i], y = s->xy[2 * i + 1];
        minx = x < minx ? x : minx;
        maxx = x > maxx ? x : maxx;
        miny = y < miny ? y : miny;
        maxy = y > maxy ? y : maxy;
    }
    s->minx = minx;
    s->miny = miny;
    s->maxx = maxx;
    s->maxy = maxy;
}

/* ---- GeoJSON in ---- */

/* Where we are in the coordinates, for messages: polygon p, ring r, position i. */
struct at {
    int multi;
    size_t p, r;
};

static enum wg_rc ring_err(struct wg_err *err, const struct at *at, const char *what)
{
    if (at->multi)
        return wg_err_set(err, WG_EINVAL, "polygon %zu, ring %zu (coordinates[%zu][%zu]): %s",
                          at->p, at->r, at->p, at->r, what);
    return wg_err_set(err, WG_EINVAL, "polygon 0, ring %zu (coordinates[%zu]): %s", at->r, at->r,
                      what);
}

static enum wg_rc pos_err(struct wg_err *err, const struct at *at, size_t i, const char *what)
{
    if (at->multi)
        return wg_err_set(err, WG_EINVAL,
                          "polygon %zu, ring %zu, position %zu (coordinates[%zu][%zu][%zu]): %s",
                          at->p, at->r, i, at->p, at->r, i, what);
    return wg_err_set(err, WG_EINVAL,
                      "polygon 0, ring %zu, position %zu (coordinates[%zu][%zu]): %s", at->r, i,
                      at->r, i, what);
}

static enum wg_rc parse_ring(const json_t *ring, const struct at *at, struct wg_shape *out,
                             double **buf, size_t *cap, struct wg_err *err)
{
    char what[160];
    if (!json_is_array(ring))
        return ring_err(err, at, "ring is not an array of positions");
    size_t n = json_array_size(ring);
    if (n < 4) {
        snprintf(what, sizeof what, "ring has %zu position%s, a closed ring needs at least 4", n,
                 n == 1 ? "" : "s");
        return ring_err(err, at, what);
    }
    if (n > MAX_POINTS || out->npts + n > MAX_POINTS)
        return wg_err_set(err, WG_ETOOBIG, "geometry has more than %u positions", MAX_POINTS);
    if (n * 2 > *cap) {
        *buf = wg_realloc(*buf, n * 2 * sizeof **buf);
        *cap = n * 2;
    }
    double *xy = *buf;
    for (size_t i = 0; i < n; i++) {
        const json_t *pos = json_array_get(ring, i);
        if (!json_is_array(pos))
            return pos_err(err, at, i, "position is not an array [longitude, latitude]");
        if (json_array_size(pos) < 2)
            return pos_err(err, at, i, "position has fewer than 2 numbers");
        const json_t *jx = json_array_get(pos, 0), *jy = json_array_get(pos, 1);
        if (!json_is_number(jx))
            return pos_err(err, at, i, "longitude is not a number");
        if (!json_is_number(jy))
            return pos_err(err, at, i, "latitude is not a number");
        double x = json_number_value(jx), y = json_number_value(jy);
        if (!(x >= -180 && x <= 180)) {
            snprintf(what, sizeof what, "longitude %.9g is out of range [-180, 180]", x);
            return pos_err(err, at, i, what);
        }
        if (!(y >= -90 && y <= 90)) {
            snprintf(what, sizeof what, "latitude %.9g is out of range [-90, 90]", y);
            return pos_err(err, at, i, what);
        }
        xy[2 * i] = x;
        xy[2 * i + 1] = y;
    }
    if (xy[0] != xy[2 * (n - 1)] || xy[1] != xy[2 * (n - 1) + 1]) {
        snprintf(what, sizeof what,
                 "ring is not closed: first position [%.9g, %.9g], last [%.9g, %.9g]", xy[0], xy[1],
                 xy[2 * (n - 1)], xy[2 * (n - 1) + 1]);
        return ring_err(err, at, what);
    }
    enum wg_rc rc = wg_shape_add_ring(out, xy, (uint32_t)n);
    WG_ASSERT(rc == WG_OK); /* n >= 4 positions, closed: nothing to refuse */
    return rc;
}

static enum wg_rc parse_polygon(const json_t *rings, struct at *at, struct wg_shape *out,
                                double **buf, size_t *cap, struct wg_err *err)
{
    if (!json_is_array(rings)) {
        if (at->multi)
            return wg_err_set(err, WG_EINVAL,
                              "polygon %zu (coordinates[%zu]) is not an array of rings", at->p,
                              at->p);
        return wg_err_set(err, WG_EINVAL, "Polygon coordinates are not an array of rings");
    }
    size_t nr = json_array_size(rings);
    if (nr == 0) {
        if (at->multi)
            return wg_err_set(err, WG_EINVAL, "polygon %zu (coordinates[%zu]) has no rings", at->p,
                              at->p);
        return wg_err_set(err, WG_EINVAL, "Polygon has no rings");
    }
    if (nr > MAX_RINGS || out->nrings + nr > MAX_RINGS)
        return wg_err_set(err, WG_ETOOBIG, "geometry has more than %u rings", MAX_RINGS);
    wg_shape_begin_polygon(out);
    for (size_t r = 0; r < nr; r++) {
        at->r = r;
        enum wg_rc rc = parse_ring(json_array_get(rings, r), at, out, buf, cap, err);
        if (rc != WG_OK)
            return rc;
    }
    return WG_OK;
}

enum wg_rc wg_shape_from_geojson(const json_t *geometry, struct wg_shape *out, struct wg_err *err)
{
    wg_shape_init(out);
    if (!json_is_object(geometry))
        return wg_err_set(err, WG_EINVAL, "geometry is not a JSON object");
    const json_t *type = json_object_get(geometry, "type");
    if (!json_is_string(type))
        return wg_err_set(err, WG_EINVAL, "geometry has no \"type\" string");
    const char *t = json_string_value(type);
    int multi;
    if (strcmp(t, "Polygon") == 0)
        multi = 0;
    else if (strcmp(t, "MultiPolygon") == 0)
        multi = 1;
    else
        return wg_err_set(err, WG_EINVAL, "geometry type '%.40s' is not Polygon or MultiPolygon",
                          t);
    const json_t *coords = json_object_get(geometry, "coordinates");
    if (!json_is_array(coords))
        return wg_err_set(err, WG_EINVAL, "%s has no \"coordinates\" array", t);

    double *buf = NULL;
    size_t cap = 0;
    struct at at = {multi, 0, 0};
    enum wg_rc rc = WG_OK;
    if (!multi) {
        rc = parse_polygon(coords, &at, out, &buf, &cap, err);
    } else {
        size_t np = json_array_size(coords);
        if (np == 0)
            rc = wg_err_set(err, WG_EINVAL, "MultiPolygon has no polygons");
        for (size_t p = 0; p < np && rc == WG_OK; p++) {
            at.p = p;
            rc = parse_polygon(json_array_get(coords, p), &at, out, &buf, &cap, err);
        }
    }
    free(buf);
    if (rc != WG_OK) {
        wg_shape_release(out);
        return rc;
    }
    wg_shape_update_bbox(out);
    return WG_OK;
}

/* ---- GeoJSON out ---- */

static json_t *ring_json(const struct wg_shape *s, uint32_t r)
{
    json_t *ring = json_array();
    for (uint32_t i = s->ring_off[r]; i < s->ring_off[r + 1]; i++) {
        json_t *pos = json_array();
        json_array_append_new(pos, json_real(s->xy[2 * i]));
        json_array_append_new(pos, json_real(s->xy[2 * i + 1]));
        json_array_append_new(ring, pos);
    }
    return ring;
}

static json_t *polygon_json(const struct wg_shape *s, uint32_t p)
{
    json_t *rings = json_array();
    for (uint32_t r = s->poly_ring[p]; r < s->poly_ring[p + 1]; r++)
        json_array_append_new(rings, ring_json(s, r));
    return rings;
}

json_t *wg_shape_to_geojson(const struct wg_shape *s)
{
    json_t *coords;
    const char *type;
    if (s->npolys == 1) {
        type = "Polygon";
        coords = polygon_json(s, 0);
    } else {
        type = "MultiPolygon";
        coords = json_array();
        for (uint32_t p = 0; p < s->npolys; p++)
            json_array_append_new(coords, polygon_json(s, p));
    }
    return json_pack("{s:s, s:o}", "type", type, "coordinates", coords);
}

/* ---- point in polygon, area ---- */

int wg_shape_contains(const struct wg_shape *s, double x, double y)
{
    /* The bounding-box test is exact under the crossing predicate: outside it in y no edge
     * crosses; right of it none does; left of it every edge spanning y does, and a closed
     * ring spans any y an even number of times. */
    if (!(x >= s->minx && x < s->maxx && y >= s->miny && y < s->maxy))
        return 0;
    int in = 0;
    for (uint32_t r = 0; r < s->nrings; r++) {
        const double *p = s->xy + 2 * (size_t)s->ring_off[r];
        uint32_t n = s->ring_off[r + 1] - s->ring_off[r];
        for (uint32_t i = 0; i + 1 < n; i++, p += 2)
            in ^= wg_shape_edge_crosses(p[0], p[1], p[2], p[3], x, y);
    }
    return in;
}

void wg_geo_m_per_deg(double lat, double *mx, double *my)
{
    double m = EARTH_R * M_PI / 180.0;
    *my = m;
    *mx = m * cos(lat * M_PI / 180.0);
}

double wg_shape_area_m2(const struct wg_shape *s)
{
    double total = 0;
    for (uint32_t p = 0; p < s->npolys; p++) {
        for (uint32_t r = s->poly_ring[p]; r < s->poly_ring[p + 1]; r++) {
            const double *xy = s->xy + 2 * (size_t)s->ring_off[r];
            uint32_t n = s->ring_off[r + 1] - s->ring_off[r];
            if (n < 4)
                continue;
            /* Shoelace relative to the first vertex keeps the products small, so the
             * result does not lose digits to coordinates near 120 degrees. */
            double a = 0, lat = 0;
            for (uint32_t i = 0; i + 1 < n; i++) {
                double x0 = xy[2 * i] - xy[0], y0 = xy[2 * i + 1] - xy[1];
                double x1 = xy[2 * i + 2] - xy[0], y1 = xy[2 * i + 3] - xy[1];
                a += x0 * y1 - x1 * y0;
                lat += xy[2 * i + 1];
            }
            lat /= (n - 1);
            double mx, my;
            wg_geo_m_per_deg(lat, &mx, &my);
            a = fabs(a) * 0.5 * mx * my;
            total += r == s->poly_ring[p] ? a : -a;
        }
    }
    return total;
}
