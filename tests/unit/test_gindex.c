/* The locate index against its contract: on a synthetic tessellation (jittered quads with
 * shared vertices, holes filled by islands, MultiPolygons, and overlapping layers listed
 * before and after the grids), every answer equals the smallest shape whose
 * wg_shape_contains says yes, for random points, points exactly on shared edges and
 * vertices, and points outside everything; locate_many equals locate; locate_all lists all. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "geo/gindex.h"
#include "t.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static double rnd(void) /* [0, 1) */
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

#define NX 40
#define NY 30
#define X0 117.0
#define Y0 35.0
#define DX 0.0113
#define DY 0.0091

/* Lattice vertex (i, j) and the jittered midpoint of the edge to its right / above. */
static double vx[NX + 1][NY + 1], vy[NX + 1][NY + 1];
static double hx[NX][NY + 1], hy[NX][NY + 1]; /* horizontal-ish edges' midpoints */
static double wx[NX + 1][NY], wy[NX + 1][NY]; /* vertical-ish edges' midpoints */

static void lattice(void)
{
    for (int i = 0; i <= NX; i++) {
        for (int j = 0; j <= NY; j++) {
            int border = i == 0 || j == 0 || i == NX || j == NY;
            /* Some rows keep exactly horizontal edges and a column exactly vertical ones. */
            vx[i][j] = X0 + i * DX + (border || i == 7 ? 0 : (rnd() - 0.5) * DX * 0.4);
            vy[i][j] = Y0 + j * DY + (border || j == 5 ? 0 : (rnd() - 0.5) * DY * 0.4);
        }
    }
    for (int i = 0; i < NX; i++) {
        for (int j = 0; j <= NY; j++) {
            double t = 0.3 + 0.4 * rnd();
            hx[i][j] = vx[i][j] + (vx[i + 1][j] - vx[i][j]) * t;
            hy[i][j] = vy[i][j] + (vy[i + 1][j] - vy[i][j]) * t +
                       (j == 0 || j == NY || j == 5 ? 0 : (rnd() - 0.5) * DY * 0.2);
        }
    }
    for (int i = 0; i <= NX; i++) {
        for (int j = 0; j < NY; j++) {
            double t = 0.3 + 0.4 * rnd();
            wy[i][j] = vy[i][j] + (vy[i][j + 1] - vy[i][j]) * t;
            wx[i][j] = vx[i][j] + (vx[i][j + 1] - vx[i][j]) * t +
                       (i == 0 || i == NX || i == 7 ? 0 : (rnd() - 0.5) * DX * 0.2);
        }
    }
}

/* The 8-vertex ring of lattice cell (i, j), counter-clockwise or (rev) clockwise. */
static void cell_ring(int i, int j, int rev, double *xy)
{
    double p[16] = {vx[i][j],         vy[i][j],         hx[i][j],     hy[i][j],
                    vx[i + 1][j],     vy[i + 1][j],     wx[i + 1][j], wy[i + 1][j],
                    vx[i + 1][j + 1], vy[i + 1][j + 1], hx[i][j + 1], hy[i][j + 1],
                    vx[i][j + 1],     vy[i][j + 1],     wx[i][j],     wy[i][j]};
    for (int k = 0; k < 8; k++) {
        int s = rev ? (8 - k) % 8 : k;
        xy[2 * k] = p[2 * s];
        xy[2 * k + 1] = p[2 * s + 1];
    }
}

static void circle(double cx, double cy, double r, int n, double *xy)
{
    for (int k = 0; k < n; k++) {
        double a = 2 * M_PI * k / n;
        xy[2 * k] = cx + r * cos(a) / cos(cy * M_PI / 180);
        xy[2 * k + 1] = cy + r * sin(a);
    }
}

struct set {
    struct wg_shape *s;
    size_t n, cap;
};

static struct wg_shape *add(struct set *set)
{
    if (set->n == set->cap) {
        set->cap = set->cap ? set->cap * 2 : 256;
        set->s = realloc(set->s, set->cap * sizeof *set->s);
    }
    wg_shape_init(&set->s[set->n]);
    return &set->s[set->n++];
}

/* Builds: one overlapping disc first (it wins where it covers), then the tessellation with
 * some cells merged into MultiPolygons and some holed around an island, then a second
 * overlapping layer that only answers where nothing earlier does (outside the lattice). */
static void make_set(struct set *set)
{
    double xy[2 * 64];
    struct wg_shape *s = add(set);
    circle(X0 + 10.3 * DX, Y0 + 12.6 * DY, 3.3 * DY, 40, xy);
    wg_shape_add_ring(s, xy, 40);
    static char taken[NX][NY];
    for (int j = 0; j < NY; j++) {
        for (int i = 0; i < NX; i++) {
            if (taken[i][j])
                continue;
            s = add(set);
            cell_ring(i, j, (i + j) % 3 == 0, xy);
            wg_shape_begin_polygon(s);
            wg_shape_add_ring(s, xy, 8);
            if (i % 9 == 4 && j % 7 == 3) {
                /* A hole, and an island shape filling it listed right after. */
                double cx = (vx[i][j] + vx[i + 1][j + 1]) / 2,
                       cy = (vy[i][j] + vy[i + 1][j + 1]) / 2;
                double hole[2 * 12];
                circle(cx, cy, DY * 0.2, 12, hole);
                wg_shape_add_ring(s, hole, 12);
                wg_shape_update_bbox(s);
                s = add(set);
                wg_shape_add_ring(s, hole, 12);
            } else if (i % 5 == 2 && j % 4 == 1 && i + 2 < NX) {
                /* A MultiPolygon of this cell and the one two to the right. */
                taken[i + 2][j] = 1;
                cell_ring(i + 2, j, 0, xy);
                wg_shape_begin_polygon(s);
                wg_shape_add_ring(s, xy, 8);
            }
            wg_shape_update_bbox(s);
        }
    }
    for (size_t k = 0; k < set->n; k++)
        wg_shape_update_bbox(&set->s[k]);
    /* Second layer: a disc across the lattice's edge and a big square around all of it. */
    s = add(set);
    circle(X0 + NX * DX, Y0 + 0.5 * NY * DY, 4 * DY, 48, xy);
    wg_shape_add_ring(s, xy, 48);
    wg_shape_update_bbox(s);
    s = add(set);
    double big[] = {X0 - 0.05, Y0 - 0.03,           X0 + NX * DX + 0.02,
                    Y0 - 0.03, X0 + NX * DX + 0.02, Y0 + NY * DY + 0.04,
                    X0 - 0.05, Y0 + NY * DY + 0.04};
    wg_shape_add_ring(s, big, 4);
    wg_shape_update_bbox(s);
}

static uint32_t scan(const struct set *set, double x, double y)
{
    for (size_t i = 0; i < set->n; i++)
        if (wg_shape_contains(&set->s[i], x, y))
            return (uint32_t)i;
    return WG_GINDEX_NONE;
}

/* Points worth asking about: uniform ones over and beyond the lattice, every vertex of every
 * shape, points on edges (interpolated, and one ulp either side), and the corners of the
 * index's own cells are covered by the density of the uniform ones. */
static size_t make_points(const struct set *set, double *xy, size_t cap)
{
    size_t n = 0;
    for (size_t k = 0; k < cap / 2 && n < cap; k++) {
        xy[2 * n] = X0 - 0.08 + rnd() * (NX * DX + 0.14);
        xy[2 * n + 1] = Y0 - 0.06 + rnd() * (NY * DY + 0.12);
        n++;
    }
    for (size_t i = 0; i < set->n && n + 8 < cap; i++) {
        const struct wg_shape *s = &set->s[i];
        for (uint32_t p = 0; p + 1 < s->npts && n + 8 < cap; p++) {
            double ax = s->xy[2 * p], ay = s->xy[2 * p + 1], bx = s->xy[2 * p + 2],
                   by = s->xy[2 * p + 3];
            double t = rnd();
            double ex = ax + (bx - ax) * t, ey = ay + (by - ay) * t;
            double pts[] = {
                ax, ay, ex, ey, nextafter(ex, 0), ey, nextafter(ex, 200), ey, ex, nextafter(ey, 0)};
            for (int q = 0; q < 5; q++) {
                xy[2 * n] = pts[2 * q];
                xy[2 * n + 1] = pts[2 * q + 1];
                n++;
            }
        }
    }
    return n;
}

static void test_contract(void)
{
    struct set set = {0};
    lattice();
    make_set(&set);
    struct wg_gindex *ix = NULL;
    struct wg_err err = {0};
    T_EQ_INT(wg_gindex_build(set.s, set.n, &ix, &err), WG_OK);
    if (!ix) {
        fprintf(stderr, "build: %s\n", err.msg);
        return;
    }
    struct wg_gindex_stats st;
    wg_gindex_stats(ix, &st);
    T_CHECK(st.bytes > 0 && st.cells > 0 && st.mixed_cells > 0 && st.mixed_cells < st.cells);

    size_t cap = 400000;
    double *xy = malloc(cap * 2 * sizeof *xy);
    uint32_t *many = malloc(cap * sizeof *many);
    size_t n = make_points(&set, xy, cap);
    wg_gindex_locate_many(ix, xy, n, many);
    size_t bad = 0, bad_many = 0, on_grid = 0, nowhere = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t want = scan(&set, xy[2 * i], xy[2 * i + 1]);
        uint32_t got = wg_gindex_locate(ix, xy[2 * i], xy[2 * i + 1]);
        if (got != want && bad++ < 10)
            fprintf(stderr, "point (%.17g, %.17g): index %u, scan %u\n", xy[2 * i], xy[2 * i + 1],
                    got, want);
        bad_many += many[i] != want;
        on_grid += want != WG_GINDEX_NONE && want > 0 && want + 2 < set.n;
        nowhere += want == WG_GINDEX_NONE;
    }
    T_EQ_INT(bad, 0);
    T_EQ_INT(bad_many, 0);
    T_CHECK(on_grid > n / 2); /* the sample does exercise the grids */
    T_CHECK(nowhere > 1000);  /* and the outside */

    /* locate_all: every containing shape, ascending, the first equal to locate. */
    size_t bad_all = 0;
    for (size_t i = 0; i < n; i += 7) {
        uint32_t ids[8];
        size_t k = wg_gindex_locate_all(ix, xy[2 * i], xy[2 * i + 1], ids, 8);
        size_t want = 0;
        uint32_t first = WG_GINDEX_NONE;
        int order_ok = 1;
        for (size_t s = 0; s < set.n; s++) {
            if (wg_shape_contains(&set.s[s], xy[2 * i], xy[2 * i + 1])) {
                if (first == WG_GINDEX_NONE)
                    first = (uint32_t)s;
                if (want < 8 && ids[want] != s)
                    order_ok = 0;
                want++;
            }
        }
        bad_all += k != want || !order_ok || (k && ids[0] != first);
    }
    T_EQ_INT(bad_all, 0);
    uint32_t one;
    /* max smaller than the count: the count is still the full one. */
    T_EQ_INT(wg_gindex_locate_all(ix, X0 + 10.3 * DX, Y0 + 12.6 * DY, &one, 1), 3);
    T_EQ_INT(one, 0);
    T_EQ_INT(wg_gindex_locate(ix, 0, 0), WG_GINDEX_NONE);
    T_EQ_INT(wg_gindex_locate(ix, NAN, 35), WG_GINDEX_NONE);

    free(xy);
    free(many);
    wg_gindex_free(ix);
    for (size_t i = 0; i < set.n; i++)
        wg_shape_release(&set.s[i]);
    free(set.s);
}

static void test_small_cases(void)
{
    struct wg_gindex *ix = NULL;
    struct wg_err err = {0};
    /* No shapes. */
    T_EQ_INT(wg_gindex_build(NULL, 0, &ix, &err), WG_OK);
    T_EQ_INT(wg_gindex_locate(ix, 117, 35), WG_GINDEX_NONE);
    uint32_t id;
    T_EQ_INT(wg_gindex_locate_all(ix, 117, 35, &id, 1), 0);
    wg_gindex_free(ix);
    wg_gindex_free(NULL);

    /* Two unit squares sharing an edge, and an empty shape between them. */
    struct wg_shape s[3];
    double a[] = {0, 0, 1, 0, 1, 1, 0, 1}, b[] = {1, 0, 2, 0, 2, 1, 1, 1};
    for (int i = 0; i < 3; i++)
        wg_shape_init(&s[i]);
    wg_shape_add_ring(&s[0], a, 4);
    wg_shape_add_ring(&s[2], b, 4);
    wg_shape_update_bbox(&s[0]);
    wg_shape_update_bbox(&s[2]);
    T_EQ_INT(wg_gindex_build(s, 3, &ix, &err), WG_OK);
    size_t bad = 0;
    for (int i = 0; i <= 40; i++) {
        for (int j = -2; j <= 42; j++) {
            double x = i * 0.05, y = j * 0.025;
            uint32_t want = wg_shape_contains(&s[0], x, y)   ? 0
                            : wg_shape_contains(&s[2], x, y) ? 2
                                                             : WG_GINDEX_NONE;
            bad += wg_gindex_locate(ix, x, y) != want;
        }
    }
    T_EQ_INT(bad, 0);
    T_EQ_INT(wg_gindex_locate(ix, 1, 0.5), 2);
    T_EQ_INT(wg_gindex_locate(ix, 2, 0.5), WG_GINDEX_NONE);
    wg_gindex_free(ix);

    /* A stale bounding box is refused rather than answered differently from the scan. */
    s[0].maxx = 0.5;
    T_EQ_INT(wg_gindex_build(s, 3, &ix, &err), WG_EINVAL);
    T_EQ_STR(err.msg, "shape 0 has a bounding box that does not hold its points "
                      "(wg_shape_update_bbox was not called)");
    T_CHECK(ix == NULL);
    for (int i = 0; i < 3; i++)
        wg_shape_release(&s[i]);
}

/* Cells crossed by more edges than a record can list fall back to the whole-shape test. */
static void test_dense_boundary(void)
{
    struct wg_shape s[5];
    static double ring[2 * 4000];
    for (int i = 0; i < 4; i++) {
        double sq[] = {i, 0, i + 1, 0, i + 1, 1, i, 1};
        wg_shape_init(&s[i]);
        wg_shape_add_ring(&s[i], sq, 4);
        wg_shape_update_bbox(&s[i]);
    }
    wg_shape_init(&s[4]); /* a wavy disc of 4000 vertices over squares 1 and 2 */
    for (int k = 0; k < 4000; k++) {
        double a = 2 * M_PI * k / 4000, r = 0.4 + 0.02 * sin(a * 300);
        ring[2 * k] = 2 + r * cos(a);
        ring[2 * k + 1] = 0.5 + r * sin(a);
    }
    wg_shape_add_ring(&s[4], ring, 4000);
    wg_shape_update_bbox(&s[4]);
    /* Listed first, the disc wins over the squares; listed last, it never answers. */
    struct wg_shape order[5] = {s[4], s[0], s[1], s[2], s[3]};
    for (int pass = 0; pass < 2; pass++) {
        const struct wg_shape *set = pass ? s : order;
        struct wg_gindex *ix = NULL;
        struct wg_err err = {0};
        T_EQ_INT(wg_gindex_build(set, 5, &ix, &err), WG_OK);
        size_t bad = 0, in_disc = 0;
        for (int i = 0; i < 200000; i++) {
            double x = -0.1 + rnd() * 4.2, y = -0.1 + rnd() * 1.2;
            uint32_t want = WG_GINDEX_NONE;
            for (uint32_t k = 0; k < 5 && want == WG_GINDEX_NONE; k++)
                if (wg_shape_contains(&set[k], x, y))
                    want = k;
            bad += wg_gindex_locate(ix, x, y) != want;
            in_disc += want == (pass ? 4u : 0u);
        }
        T_EQ_INT(bad, 0);
        T_CHECK(pass ? in_disc == 0 : in_disc > 10000);
        wg_gindex_free(ix);
    }
    for (int i = 0; i < 5; i++)
        wg_shape_release(&s[i]);
}

int main(void)
{
    test_small_cases();
    test_dense_boundary();
    test_contract();
    return T_DONE("gindex");
}
