/* GEOS glue: validity messages, overlay areas against analytic values on the sphere, and
 * the tessellation's promise that cells partition the parent (no gap, no overlap, shared
 * edges identical so every point falls in exactly one cell), plus placing inside. */
#include "geo/geos.h"

#include <math.h>

#include "t.h"

static void ring_shape(struct wg_shape *s, const double *xy, uint32_t n)
{
    wg_shape_init(s);
    wg_shape_begin_polygon(s);
    wg_shape_add_ring(s, xy, n);
    wg_shape_update_bbox(s);
}

static void rect(struct wg_shape *s, double x0, double y0, double x1, double y1)
{
    double xy[] = {x0, y0, x1, y0, x1, y1, x0, y1, x0, y0};
    ring_shape(s, xy, 5);
}

/* Area of a longitude/latitude rectangle on the sphere wangge uses (R = 6371008.8 m). */
static double sphere_rect_m2(double x0, double y0, double x1, double y1)
{
    const double r = 6371008.8, d = M_PI / 180;
    return r * r * (x1 - x0) * d * (sin(y1 * d) - sin(y0 * d));
}

static void test_validity(void)
{
    struct wg_shape bow, holed, open3;
    struct wg_err err = {0};
    double bxy[] = {118.30, 35.00, 118.40, 35.10, 118.40, 35.00, 118.30, 35.10, 118.30, 35.00};
    double outer[] = {118.0, 35.0, 118.1, 35.0, 118.1, 35.1, 118.0, 35.1, 118.0, 35.0};
    double hole[] = {118.02, 35.02, 118.02, 35.04, 118.04, 35.04, 118.04, 35.02, 118.02, 35.02};
    double tri[] = {118.0, 35.0, 118.1, 35.0, 118.0, 35.1};

    ring_shape(&bow, bxy, 5);
    T_EQ_INT(wg_geos_check_valid(&bow, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "self-intersection") != NULL);
    T_CHECK(strstr(err.msg, "(118.350000, 35.050000)") != NULL);
    if (!strstr(err.msg, "self-intersection"))
        fprintf(stderr, "message was: %s\n", err.msg);
    wg_shape_release(&bow);

    ring_shape(&holed, outer, 5);
    wg_shape_add_ring(&holed, hole, 5);
    T_EQ_INT(wg_geos_check_valid(&holed, &err), WG_OK);
    /* A hole poking out of its shell is reported too. */
    double bad_hole[] = {118.05, 35.05, 118.05, 35.2, 118.06, 35.2, 118.06, 35.05, 118.05, 35.05};
    wg_shape_add_ring(&holed, bad_hole, 5);
    T_EQ_INT(wg_geos_check_valid(&holed, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, " at (") != NULL);
    wg_shape_release(&holed);

    ring_shape(&open3, tri, 3); /* closed by the builder: a triangle, valid */
    T_EQ_INT(wg_geos_check_valid(&open3, &err), WG_OK);
    wg_shape_release(&open3);
}

static void test_areas(void)
{
    struct wg_shape a, b, far, kids[2];
    double want;
    rect(&a, 118.00, 35.00, 118.01, 35.01);
    rect(&b, 118.005, 35.00, 118.015, 35.01);
    rect(&far, 119.0, 36.0, 119.01, 36.01);

    want = sphere_rect_m2(118.005, 35.00, 118.01, 35.01);
    T_NEAR(wg_geos_overlap_m2(&a, &b) / want, 1.0, 0.005);
    T_NEAR(wg_geos_outside_m2(&b, &a) / want, 1.0, 0.005);
    T_NEAR(wg_geos_overlap_m2(&a, &far), 0, 1e-9);
    T_NEAR(wg_geos_outside_m2(&a, &far) / sphere_rect_m2(118.00, 35.00, 118.01, 35.01), 1.0, 0.005);
    T_NEAR(wg_geos_outside_m2(&a, &a), 0, 1e-6);

    /* Touching squares share an edge but no area. */
    struct wg_shape c;
    rect(&c, 118.01, 35.00, 118.02, 35.01);
    T_NEAR(wg_geos_overlap_m2(&a, &c), 0, 1e-6);
    wg_shape_release(&c);

    /* Children cover the left half and the lower right quarter: the upper right quarter
     * is the gap. */
    rect(&kids[0], 118.00, 35.00, 118.005, 35.01);
    rect(&kids[1], 118.005, 35.00, 118.01, 35.005);
    want = sphere_rect_m2(118.005, 35.005, 118.01, 35.01);
    T_NEAR(wg_geos_gap_m2(&a, kids, 2) / want, 1.0, 0.005);
    T_NEAR(wg_geos_gap_m2(&a, kids, 1) / (2 * want), 1.0, 0.005);
    T_NEAR(wg_geos_gap_m2(&a, kids, 0) / (4 * want), 1.0, 0.005);
    T_NEAR(wg_geos_gap_m2(&kids[0], &a, 1), 0, 1e-6);

    wg_shape_release(&a);
    wg_shape_release(&b);
    wg_shape_release(&far);
    wg_shape_release(&kids[0]);
    wg_shape_release(&kids[1]);
}

/* An L of about 3 km by 3 km with a 2 km square bitten out of the upper right: concave,
 * so some Voronoi cells wrap around the inner corner. */
static void l_shape(struct wg_shape *s)
{
    double xy[] = {118.300, 35.000,  118.333, 35.000,  118.333, 35.009,  118.311,
                   35.009,  118.311, 35.027,  118.300, 35.027,  118.300, 35.000};
    ring_shape(s, xy, 7);
}

static int same_shape(const struct wg_shape *a, const struct wg_shape *b)
{
    return a->npts == b->npts && a->nrings == b->nrings && a->npolys == b->npolys &&
           !memcmp(a->xy, b->xy, 2 * (size_t)a->npts * sizeof *a->xy);
}

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s >> 11;
}

static void check_partition(const struct wg_shape *parent, const struct wg_shape *cells, size_t n,
                            double max_ratio)
{
    double total = 0, amin = INFINITY, amax = 0, worst_overlap = 0, worst_outside = 0;
    int invalid = 0, empty = 0, bad_points = 0, bad_mids = 0;
    struct wg_err err;
    uint64_t r = 42;
    for (size_t i = 0; i < n; i++) {
        double a = wg_shape_area_m2(&cells[i]);
        if (wg_geos_check_valid(&cells[i], &err)) {
            invalid++;
            fprintf(stderr, "cell %zu of %zu: %s\n", i, n, err.msg);
        }
        empty += cells[i].npolys == 0;
        total += a;
        amin = fmin(amin, a);
        amax = fmax(amax, a);
        worst_outside = fmax(worst_outside, wg_geos_outside_m2(&cells[i], parent));
        for (size_t j = i + 1; j < n; j++)
            worst_overlap = fmax(worst_overlap, wg_geos_overlap_m2(&cells[i], &cells[j]));
    }
    T_EQ_INT(invalid, 0);
    T_EQ_INT(empty, 0);
    T_CHECK(worst_overlap < 1.0);
    T_CHECK(worst_outside < 1.0);
    T_CHECK(wg_geos_gap_m2(parent, cells, n) < 1.0);
    /* Not exact: each ring is scaled at its own mean latitude. */
    T_NEAR(total / wg_shape_area_m2(parent), 1.0, 1e-4);
    /* Lloyd rounds keep cells within a small factor of each other. */
    T_CHECK(amax / amin < max_ratio);
    if (amax / amin >= max_ratio)
        fprintf(stderr, "n=%zu: cell areas from %.0f to %.0f m²\n", n, amin, amax);

    /* Random points: inside exactly the cells the parent says. */
    for (int k = 0; k < 4000; k++) {
        double x =
            parent->minx + (parent->maxx - parent->minx) * (double)lcg(&r) / 9007199254740992.0;
        double y =
            parent->miny + (parent->maxy - parent->miny) * (double)lcg(&r) / 9007199254740992.0;
        int in = 0;
        for (size_t i = 0; i < n; i++)
            in += wg_shape_contains(&cells[i], x, y);
        bad_points += in != wg_shape_contains(parent, x, y);
    }
    T_EQ_INT(bad_points, 0);
    /* Midpoints of every cell edge: a point on an edge two cells share is in only one of
     * them, which holds only if both carry the edge bit for bit. */
    for (size_t i = 0; i < n; i++)
        for (uint32_t ring = 0; ring < cells[i].nrings; ring++)
            for (uint32_t v = cells[i].ring_off[ring]; v + 1 < cells[i].ring_off[ring + 1]; v++) {
                const double *p = cells[i].xy + 2 * (size_t)v;
                double x = (p[0] + p[2]) / 2, y = (p[1] + p[3]) / 2;
                int in = 0;
                for (size_t j = 0; j < n; j++)
                    in += wg_shape_contains(&cells[j], x, y);
                bad_mids += in > 1;
            }
    T_EQ_INT(bad_mids, 0);
}

static void test_tessellate(void)
{
    static const size_t ns[] = {1, 2, 7, 50};
    struct wg_shape parent;
    struct wg_err err = {0};
    l_shape(&parent);
    for (size_t t = 0; t < sizeof ns / sizeof ns[0]; t++) {
        size_t n = ns[t];
        struct wg_shape *a = calloc(n, sizeof *a), *b = calloc(n, sizeof *b),
                        *c = calloc(n, sizeof *c);
        T_EQ_INT(wg_geos_tessellate(&parent, n, 7, a, &err), WG_OK);
        T_EQ_INT(wg_geos_tessellate(&parent, n, 7, b, &err), WG_OK);
        T_EQ_INT(wg_geos_tessellate(&parent, n, 8, c, &err), WG_OK);
        check_partition(&parent, a, n, 4.0);
        int same = 1, differs = 0;
        for (size_t i = 0; i < n; i++) {
            same &= same_shape(&a[i], &b[i]);
            differs |= !same_shape(&a[i], &c[i]);
        }
        T_CHECK(same);
        T_CHECK(n == 1 || differs);
        if (n == 1)
            T_CHECK(same_shape(&a[0], &parent));
        for (size_t i = 0; i < n; i++) {
            wg_shape_release(&a[i]);
            wg_shape_release(&b[i]);
            wg_shape_release(&c[i]);
        }
        free(a);
        free(b);
        free(c);
    }
    T_EQ_INT(wg_geos_tessellate(&parent, 0, 1, NULL, &err), WG_EINVAL);
    wg_shape_release(&parent);
}

/* A parent with a hole and two parts: cells must respect both. */
static void test_tessellate_multi(void)
{
    struct wg_shape parent, cells[12];
    struct wg_err err = {0};
    double hole[] = {118.305, 35.003,  118.305, 35.006,  118.315,
                     35.006,  118.315, 35.003,  118.305, 35.003};
    double island[] = {118.34, 35.0, 118.35, 35.0, 118.35, 35.01, 118.34, 35.01, 118.34, 35.0};
    l_shape(&parent);
    wg_shape_add_ring(&parent, hole, 5);
    wg_shape_begin_polygon(&parent);
    wg_shape_add_ring(&parent, island, 5);
    wg_shape_update_bbox(&parent);
    T_EQ_INT(wg_geos_check_valid(&parent, &err), WG_OK);
    T_EQ_INT(wg_geos_tessellate(&parent, 12, 3, cells, &err), WG_OK);
    /* The island takes whatever the seeds that land on it make of it. */
    check_partition(&parent, cells, 12, 6.0);
    for (size_t i = 0; i < 12; i++)
        wg_shape_release(&cells[i]);
    wg_shape_release(&parent);
}

/* A self-crossing outline, as public county boundaries often are: the cells partition what
 * GEOS makes valid of it (both lobes of the figure eight). */
static void test_tessellate_invalid_parent(void)
{
    struct wg_shape parent, cells[6];
    struct wg_err err = {0};
    double eight[] = {118.30, 35.00, 118.32, 35.02, 118.32, 35.00, 118.30, 35.02, 118.30, 35.00};
    double lobe = sphere_rect_m2(118.30, 35.00, 118.32, 35.02) / 4, total = 0;
    ring_shape(&parent, eight, 5);
    T_EQ_INT(wg_geos_check_valid(&parent, &err), WG_EINVAL);
    err.msg[0] = 0;
    T_EQ_INT(wg_geos_tessellate(&parent, 6, 11, cells, &err), WG_OK);
    if (err.msg[0])
        fprintf(stderr, "tessellating a figure eight: %s\n", err.msg);
    for (size_t i = 0; i < 6; i++) {
        T_EQ_INT(wg_geos_check_valid(&cells[i], &err), WG_OK);
        total += wg_shape_area_m2(&cells[i]);
        for (size_t j = i + 1; j < 6; j++)
            T_CHECK(wg_geos_overlap_m2(&cells[i], &cells[j]) < 1.0);
    }
    T_NEAR(total / (2 * lobe), 1.0, 0.005);
    for (size_t i = 0; i < 6; i++)
        wg_shape_release(&cells[i]);
    wg_shape_release(&parent);
}

static void test_make_valid(void)
{
    struct wg_shape eight, fixed, square;
    struct wg_err err = {0};
    int repaired = -1;
    double bow[] = {118.30, 35.00, 118.32, 35.02, 118.32, 35.00, 118.30, 35.02, 118.30, 35.00};
    double sq[] = {118.30, 35.00, 118.31, 35.00, 118.31, 35.01, 118.30, 35.01, 118.30, 35.00};
    double lobe = sphere_rect_m2(118.30, 35.00, 118.32, 35.02) / 4;
    ring_shape(&eight, bow, 5);
    T_EQ_INT(wg_geos_make_valid(&eight, &fixed, &repaired, &err), WG_OK);
    T_EQ_INT(repaired, 1);
    T_EQ_INT(wg_geos_check_valid(&fixed, &err), WG_OK);
    T_NEAR(wg_shape_area_m2(&fixed) / (2 * lobe), 1.0, 0.005);
    wg_shape_release(&fixed);
    ring_shape(&square, sq, 5);
    T_EQ_INT(wg_geos_make_valid(&square, &fixed, &repaired, &err), WG_OK);
    T_EQ_INT(repaired, 0);
    T_EQ_INT(fixed.npts, square.npts);
    wg_shape_release(&fixed);
    wg_shape_release(&square);
    wg_shape_release(&eight);
}

static void test_place_inside(void)
{
    struct wg_shape parent, tiny, p, q;
    struct wg_err err = {0};
    l_shape(&parent);
    T_EQ_INT(wg_geos_place_inside(&parent, 20000, 5, &p, &err), WG_OK);
    T_NEAR(wg_shape_area_m2(&p) / 20000, 1.0, 0.01);
    T_CHECK(wg_geos_outside_m2(&p, &parent) < 1e-6);
    T_EQ_INT(wg_geos_check_valid(&p, &err), WG_OK);
    T_EQ_INT(wg_geos_place_inside(&parent, 20000, 5, &q, &err), WG_OK);
    T_CHECK(same_shape(&p, &q));
    wg_shape_release(&p);
    wg_shape_release(&q);

    /* 50 m square: a 20,000 m² school does not fit and is shrunk until it does. */
    rect(&tiny, 118.3, 35.0, 118.3 + 50 / 91000.0, 35.0 + 50 / 111000.0);
    T_EQ_INT(wg_geos_place_inside(&tiny, 20000, 9, &p, &err), WG_OK);
    T_CHECK(wg_shape_area_m2(&p) < 2500);
    T_CHECK(wg_geos_outside_m2(&p, &tiny) < 1e-6);
    wg_shape_release(&p);
    T_EQ_INT(wg_geos_place_inside(&tiny, -1, 9, &p, &err), WG_EINVAL);
    wg_shape_release(&tiny);
    wg_shape_release(&parent);
}

int main(void)
{
    test_make_valid();
    test_validity();
    test_areas();
    test_tessellate();
    test_tessellate_multi();
    test_tessellate_invalid_parent();
    test_place_inside();
    return T_DONE("geos");
}
