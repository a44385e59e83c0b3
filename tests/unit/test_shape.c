/* Shapes: every GeoJSON error and its message, GeoJSON round trip, the builders, the
 * half-open point-in-polygon rule on holes, MultiPolygons, vertices, horizontal edges and
 * edges shared by neighbours, and the area of a known square. */
#include <math.h>

#include "geo/shape.h"
#include "t.h"

static int parse(const char *text, struct wg_shape *s, struct wg_err *err)
{
    json_error_t jerr;
    json_t *j = json_loads(text, 0, &jerr);
    if (!j) {
        fprintf(stderr, "test JSON does not parse: %s: %s\n", jerr.text, text);
        return -1;
    }
    int rc = wg_shape_from_geojson(j, s, err);
    json_decref(j);
    return rc;
}

static const struct {
    const char *json;
    int rc;
    const char *msg;
} bad[] = {
    {"[1,2]", WG_EINVAL, "geometry is not a JSON object"},
    {"{\"coordinates\":[]}", WG_EINVAL, "geometry has no \"type\" string"},
    {"{\"type\":\"Point\",\"coordinates\":[1,2]}", WG_EINVAL,
     "geometry type 'Point' is not Polygon or MultiPolygon"},
    {"{\"type\":\"Polygon\"}", WG_EINVAL, "Polygon has no \"coordinates\" array"},
    {"{\"type\":\"Polygon\",\"coordinates\":[]}", WG_EINVAL, "Polygon has no rings"},
    {"{\"type\":\"MultiPolygon\",\"coordinates\":[]}", WG_EINVAL, "MultiPolygon has no polygons"},
    {"{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]],[]]}", WG_EINVAL,
     "polygon 1 (coordinates[1]) has no rings"},
    {"{\"type\":\"MultiPolygon\",\"coordinates\":[7]}", WG_EINVAL,
     "polygon 0 (coordinates[0]) is not an array of rings"},
    {"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[0,0]]]}", WG_EINVAL,
     "polygon 0, ring 0 (coordinates[0]): ring has 3 positions, a closed ring needs at least 4"},
    {"{\"type\":\"Polygon\",\"coordinates\":[\"x\"]}", WG_EINVAL,
     "polygon 0, ring 0 (coordinates[0]): ring is not an array of positions"},
    {"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1]]]}", WG_EINVAL,
     "polygon 0, ring 0 (coordinates[0]): ring is not closed: first position [0, 0], last [0, 1]"},
    {"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]],"
     "[[0.1,0.1],[\"0.2\",0.1],[0.2,0.2],[0.1,0.1]]]}",
     WG_EINVAL, "polygon 0, ring 1, position 1 (coordinates[1][1]): longitude is not a number"},
    {"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,null],[1,1],[0,0]]]}", WG_EINVAL,
     "polygon 0, ring 0, position 1 (coordinates[0][1]): latitude is not a number"},
    {"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1],[1,1],[0,0]]]}", WG_EINVAL,
     "polygon 0, ring 0, position 1 (coordinates[0][1]): position has fewer than 2 numbers"},
    {"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],{},[1,1],[0,0]]]}", WG_EINVAL,
     "polygon 0, ring 0, position 1 (coordinates[0][1]): position is not an array [longitude, "
     "latitude]"},
    {"{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]],"
     "[[[0,0],[1,0],[1,1],[0,0]],[[0,0],[1,0],[1,95],[0,0]]]]}",
     WG_EINVAL,
     "polygon 1, ring 1, position 2 (coordinates[1][1][2]): latitude 95 is out of range [-90, "
     "90]"},
    {"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[181.5,0],[1,1],[0,0]]]}", WG_EINVAL,
     "polygon 0, ring 0, position 1 (coordinates[0][1]): longitude 181.5 is out of range [-180, "
     "180]"},
    {"{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]],"
     "[[[5,5],[6,5],[6,6],[5,5.5]]]]}",
     WG_EINVAL,
     "polygon 1, ring 0 (coordinates[1][0]): ring is not closed: first position [5, 5], last "
     "[5, 5.5]"},
};

static void test_parse_errors(void)
{
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct wg_shape s;
        struct wg_err err = {0};
        T_EQ_INT(parse(bad[i].json, &s, &err), bad[i].rc);
        T_EQ_STR(err.msg, bad[i].msg);
        T_EQ_INT(s.npts, 0); /* nothing half-built is left behind */
        T_CHECK(s.xy == NULL);
    }
}

static void test_parse_and_back(void)
{
    const char *mp = "{\"type\":\"MultiPolygon\",\"coordinates\":["
                     "[[[0,0],[4,0],[4,4],[0,4],[0,0]],[[1,1],[1,3],[3,3],[3,1],[1,1]]],"
                     "[[[10,0],[11,0],[11,1],[10,1],[10,0]]]]}";
    struct wg_shape s;
    struct wg_err err = {0};
    T_EQ_INT(parse(mp, &s, &err), WG_OK);
    T_EQ_INT(s.npolys, 2);
    T_EQ_INT(s.nrings, 3);
    T_EQ_INT(s.npts, 15);
    T_EQ_INT(s.poly_ring[1], 2);
    T_CHECK(s.minx == 0 && s.maxx == 11 && s.miny == 0 && s.maxy == 4);

    json_t *back = wg_shape_to_geojson(&s);
    char *text = json_dumps(back, JSON_COMPACT);
    T_EQ_STR(text, "{\"type\":\"MultiPolygon\",\"coordinates\":["
                   "[[[0.0,0.0],[4.0,0.0],[4.0,4.0],[0.0,4.0],[0.0,0.0]],"
                   "[[1.0,1.0],[1.0,3.0],[3.0,3.0],[3.0,1.0],[1.0,1.0]]],"
                   "[[[10.0,0.0],[11.0,0.0],[11.0,1.0],[10.0,1.0],[10.0,0.0]]]]}");
    free(text);

    struct wg_shape again;
    T_EQ_INT(wg_shape_from_geojson(back, &again, &err), WG_OK);
    T_EQ_INT(again.npts, s.npts);
    T_CHECK(memcmp(again.xy, s.xy, s.npts * 2 * sizeof(double)) == 0);
    json_decref(back);
    wg_shape_release(&again);

    struct wg_shape c;
    T_EQ_INT(wg_shape_copy(&c, &s, &err), WG_OK);
    wg_shape_release(&s);
    T_EQ_INT(c.nrings, 3);
    T_CHECK(wg_shape_contains(&c, 10.5, 0.5));
    T_CHECK(!wg_shape_contains(&c, 2, 2));
    wg_shape_release(&c);

    /* A Polygon comes back as a Polygon; full double precision survives the trip. */
    const char *p = "{\"type\":\"Polygon\",\"coordinates\":[[[118.123456789012345,35.1],"
                    "[118.2,35.1],[118.2,35.2],[118.123456789012345,35.1]]]}";
    T_EQ_INT(parse(p, &s, &err), WG_OK);
    back = wg_shape_to_geojson(&s);
    T_EQ_STR(json_string_value(json_object_get(back, "type")), "Polygon");
    T_EQ_INT(wg_shape_from_geojson(back, &again, &err), WG_OK);
    T_CHECK(again.xy[0] == s.xy[0]);
    json_decref(back);
    wg_shape_release(&again);
    wg_shape_release(&s);
}

static void square(struct wg_shape *s, double x0, double y0, double x1, double y1)
{
    double xy[] = {x0, y0, x1, y0, x1, y1, x0, y1}; /* left open: add_ring closes it */
    wg_shape_init(s);
    wg_shape_begin_polygon(s);
    T_EQ_INT(s->npolys, 1);
    T_EQ_INT(wg_shape_add_ring(s, xy, 4), WG_OK);
    wg_shape_update_bbox(s);
}

static void test_builders_and_holes(void)
{
    struct wg_shape s;
    square(&s, 0, 0, 4, 4);
    T_EQ_INT(s.npts, 5); /* closed by the builder */
    double hole[] = {1, 1, 1, 3, 3, 3, 3, 1, 1, 1};
    T_EQ_INT(wg_shape_add_ring(&s, hole, 5), WG_OK);
    double tri[] = {1, 1, 1, 2};
    T_EQ_INT(wg_shape_add_ring(&s, tri, 2), WG_EINVAL); /* 3 positions once closed */
    wg_shape_begin_polygon(&s);
    T_EQ_INT(s.npolys, 2);
    double far[] = {10, 0, 11, 0, 11, 1, 10, 1};
    T_EQ_INT(wg_shape_add_ring(&s, far, 4), WG_OK);
    wg_shape_update_bbox(&s);
    T_EQ_INT(s.npolys, 2);
    T_EQ_INT(s.nrings, 3);

    static const struct {
        double x, y;
        int in;
    } pts[] = {
        {0.5, 0.5, 1}, {2, 2, 0},  {1.5, 3.5, 1}, {3.9, 2, 1}, {10.5, 0.5, 1},
        {12, 0.5, 0},  {-1, 2, 0}, {5, 2, 0},     {2, 1, 0}, /* on the hole's bottom */
        {2, 3, 1}, /* hole's top edge belongs to the ring */
        {1, 2, 0}, /* the hole owns its left edge, as a tile would */
        {3, 2, 1}, /* and not its right one */
        {0, 0, 1},     {4, 0, 0},  {0, 4, 0},     {4, 4, 0},   {10, 0, 1},
    };
    for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++) {
        if (wg_shape_contains(&s, pts[i].x, pts[i].y) != pts[i].in)
            fprintf(stderr, "point (%g, %g)\n", pts[i].x, pts[i].y);
        T_EQ_INT(wg_shape_contains(&s, pts[i].x, pts[i].y), pts[i].in);
    }
    wg_shape_release(&s);
    wg_shape_release(&s); /* release twice is harmless */
}

/* Points exactly on shared edges and vertices of a tessellation lie in exactly one tile. */
static void test_shared_edges(void)
{
    /* 3x3 unit squares, corners at integers. */
    struct wg_shape sq[9];
    for (int j = 0; j < 3; j++)
        for (int i = 0; i < 3; i++)
            square(&sq[j * 3 + i], i, j, i + 1, j + 1);
    for (int a = 0; a <= 12; a++) {
        for (int b = 0; b <= 12; b++) {
            double x = a * 0.25, y = b * 0.25;
            int count = 0;
            for (int k = 0; k < 9; k++)
                count += wg_shape_contains(&sq[k], x, y);
            /* The half-open rule gives the closed-left, open-right, closed-bottom,
             * open-top share: the union's top and right edges belong to none. */
            int expect = (x < 3 && y < 3) ? 1 : 0;
            if (count != expect)
                fprintf(stderr, "point (%g, %g) is in %d squares\n", x, y, count);
            T_EQ_INT(count, expect);
        }
    }
    for (int k = 0; k < 9; k++)
        wg_shape_release(&sq[k]);

    /* Two quadrilaterals sharing a slanted edge, traversed in opposite directions, with
     * awkward coordinates: every point computed on the edge is in exactly one of them. */
    double ax = 117.0123456789, ay = 36.0011111, bx = 117.0198765432, by = 36.0197531;
    double left[] = {116.99, 36.0, ax, ay, bx, by, 116.99, 36.02, 116.99, 36.0};
    double right[] = {ax, ay, 117.04, 36.0, 117.04, 36.02, bx, by, ax, ay};
    struct wg_shape l, r;
    wg_shape_init(&l);
    wg_shape_init(&r);
    wg_shape_add_ring(&l, left, 5);
    wg_shape_add_ring(&r, right, 5);
    wg_shape_update_bbox(&l);
    wg_shape_update_bbox(&r);
    int ok = 1;
    for (int i = 0; i <= 1000; i++) {
        double t = i / 1000.0;
        double x = ax + (bx - ax) * t, y = ay + (by - ay) * t;
        double xs[] = {x, nextafter(x, 0), nextafter(x, 200)};
        for (int k = 0; k < 3; k++) {
            int n = wg_shape_contains(&l, xs[k], y) + wg_shape_contains(&r, xs[k], y);
            if (n != 1) {
                fprintf(stderr, "point (%.17g, %.17g) is in %d shapes\n", xs[k], y, n);
                ok = 0;
            }
        }
    }
    T_CHECK(ok);
    /* The shared vertices themselves. */
    T_EQ_INT(wg_shape_contains(&l, ax, ay) + wg_shape_contains(&r, ax, ay), 1);
    T_EQ_INT(wg_shape_contains(&l, bx, by) + wg_shape_contains(&r, bx, by), 1);
    wg_shape_release(&l);
    wg_shape_release(&r);
}

static void test_horizontal_and_vertex(void)
{
    /* A polygon with a horizontal edge at mid-height and a spike vertex. */
    double xy[] = {0, 0, 4, 0, 4, 2, 2, 2, 2, 4, 0, 4, 0, 0};
    struct wg_shape s;
    wg_shape_init(&s);
    wg_shape_add_ring(&s, xy, 7);
    wg_shape_update_bbox(&s);
    T_EQ_INT(wg_shape_contains(&s, 3, 2), 0); /* on the inner horizontal edge: above it */
    T_EQ_INT(wg_shape_contains(&s, 3, 1.9), 1);
    T_EQ_INT(wg_shape_contains(&s, 1, 2), 1); /* same height, inside */
    T_EQ_INT(wg_shape_contains(&s, 2, 2), 0); /* the reflex vertex: the right part above */
    T_EQ_INT(wg_shape_contains(&s, 1.999, 2), 1);
    T_EQ_INT(wg_shape_contains(&s, 2, 3), 0); /* on the right edge of the upper part */
    T_EQ_INT(wg_shape_contains(&s, 0, 3), 1); /* on the left edge */
    T_EQ_INT(wg_shape_contains(&s, 2, 0), 1); /* on the bottom */
    wg_shape_release(&s);

    /* A triangle's apex: rays through a vertex count once, or twice at an extremum. */
    double tri[] = {0, 0, 2, 1, 0, 2, 0, 0};
    wg_shape_init(&s);
    wg_shape_add_ring(&s, tri, 4);
    wg_shape_update_bbox(&s);
    T_EQ_INT(wg_shape_contains(&s, 1, 1), 1);
    T_EQ_INT(wg_shape_contains(&s, -1, 1), 0); /* ray passes through the apex (2,1) */
    T_EQ_INT(wg_shape_contains(&s, 2, 1), 0);
    T_EQ_INT(wg_shape_contains(&s, -1, 0), 0); /* ray along the bottom vertex */
    wg_shape_release(&s);
}

static void test_area(void)
{
    /* 0.01 x 0.01 degree square at latitude 35; the exact spherical area of the
     * longitude/latitude rectangle is R^2 * dlon * (sin lat1 - sin lat0). */
    struct wg_shape s;
    square(&s, 117.0, 35.0, 117.01, 35.01);
    double r = 6371008.8, d = M_PI / 180;
    double exact = r * r * (0.01 * d) * (sin(35.01 * d) - sin(35.0 * d));
    double a = wg_shape_area_m2(&s);
    T_NEAR(a, exact, exact * 1e-6);
    T_NEAR(a, 1012838.0, 2000.0); /* about a square kilometre */

    /* A hole subtracts; a second polygon adds. */
    double hole[] = {117.0025, 35.0025, 117.0025, 35.0075, 117.0075, 35.0075, 117.0075, 35.0025};
    wg_shape_add_ring(&s, hole, 4);
    T_NEAR(wg_shape_area_m2(&s), a * 0.75, a * 1e-5);
    double mx, my;
    wg_geo_m_per_deg(0, &mx, &my);
    T_NEAR(mx, my, 1e-9);
    T_NEAR(my, 111195.08, 0.01);
    wg_shape_release(&s);
}

int main(void)
{
    test_parse_errors();
    test_parse_and_back();
    test_builders_and_holes();
    test_shared_edges();
    test_horizontal_and_vertex();
    test_area();
    return T_DONE("shape");
}
