/* GEOS glue: converts wg_shape to and from GEOS geometries and does the checks and
 * constructions that need real computational geometry (validity, overlay areas, Voronoi
 * tessellation, placing a polygon inside another). The only file that includes geos_c.h.
 * Each public call opens its own GEOS context, so the functions are thread-safe. */
#include "geo/geos.h"
#include "core/rng.h"
#include "core/alloc.h"

#include <math.h>
#include <stdarg.h>

#include <geos_c.h>

/* One GEOS context plus the last message GEOS reported on it, so that a failed call can
 * be turned into a wg_err that says what GEOS said. */
struct gctx {
    GEOSContextHandle_t h;
    char msg[256];
};

static void on_geos_error(const char *message, void *userdata)
{
    struct gctx *c = userdata;
    snprintf(c->msg, sizeof c->msg, "%s", message);
}

static int ctx_open(struct gctx *c)
{
    c->msg[0] = 0;
    c->h = GEOS_init_r();
    if (!c->h)
        return -1;
    GEOSContext_setErrorMessageHandler_r(c->h, on_geos_error, c);
    return 0;
}

static void ctx_close(struct gctx *c)
{
    if (c->h)
        GEOS_finish_r(c->h);
    c->h = NULL;
}

static enum wg_rc geos_fail(struct gctx *c, struct wg_err *err, const char *what)
{
    return wg_err_set(err, WG_EINTERNAL, "GEOS %s failed: %s", what,
                      c->msg[0] ? c->msg : "no message");
}

/* ---- shape <-> GEOS ---------------------------------------------------------------- */

static GEOSGeometry *ring_to_geos(GEOSContextHandle_t h, const struct wg_shape *s, uint32_t r)
{
    uint32_t a = s->ring_off[r], b = s->ring_off[r + 1];
    GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r(h, s->xy + 2 * (size_t)a, b - a, 0, 0);
    return seq ? GEOSGeom_createLinearRing_r(h, seq) : NULL;
}

static GEOSGeometry *poly_to_geos(GEOSContextHandle_t h, const struct wg_shape *s, uint32_t p)
{
    uint32_t r0 = s->poly_ring[p], r1 = s->poly_ring[p + 1], nholes = r1 - r0 - 1;
    GEOSGeometry *shell, **holes = NULL, *poly = NULL;
    if (r1 <= r0)
        return GEOSGeom_createEmptyPolygon_r(h);
    if (!(shell = ring_to_geos(h, s, r0)))
        return NULL;
    if (nholes)
        holes = wg_calloc(nholes, sizeof *holes);
    for (uint32_t i = 0; i < nholes; i++) {
        if (!(holes[i] = ring_to_geos(h, s, r0 + 1 + i))) {
            for (uint32_t j = 0; j < i; j++)
                GEOSGeom_destroy_r(h, holes[j]);
            GEOSGeom_destroy_r(h, shell);
            free(holes);
            return NULL;
        }
    }
    poly = GEOSGeom_createPolygon_r(h, shell, holes, nholes); /* takes the rings */
    free(holes);
    return poly;
}

/* A Polygon when the shape has one polygon, else a MultiPolygon. NULL on a GEOS error
 * (e.g. a ring with fewer than 4 positions); the message is in the context. */
static GEOSGeometry *to_geos(GEOSContextHandle_t h, const struct wg_shape *s)
{
    GEOSGeometry **parts, *g;
    if (s->npolys == 0)
        return GEOSGeom_createEmptyPolygon_r(h);
    if (s->npolys == 1)
        return poly_to_geos(h, s, 0);
    parts = wg_calloc(s->npolys, sizeof *parts);
    for (uint32_t p = 0; p < s->npolys; p++) {
        if (!(parts[p] = poly_to_geos(h, s, p))) {
            for (uint32_t q = 0; q < p; q++)
                GEOSGeom_destroy_r(h, parts[q]);
            free(parts);
            return NULL;
        }
    }
    g = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts, s->npolys);
    free(parts);
    return g;
}

static enum wg_rc add_ring_from_geos(struct gctx *c, const GEOSGeometry *ring, struct wg_shape *out,
                                     struct wg_err *err)
{
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(c->h, ring);
    unsigned int n = 0;
    double *buf;
    enum wg_rc rc;
    if (!seq || !GEOSCoordSeq_getSize_r(c->h, seq, &n))
        return geos_fail(c, err, "ring read");
    buf = wg_malloc(2 * (size_t)(n ? n : 1) * sizeof *buf);
    if (!GEOSCoordSeq_copyToBuffer_r(c->h, seq, buf, 0, 0)) {
        free(buf);
        return geos_fail(c, err, "ring copy");
    }
    rc = wg_shape_add_ring(out, buf, n);
    free(buf);
    if (rc)
        wg_err_set(err, rc, "cannot add a ring of %u points to a shape", n);
    return rc;
}

/* Appends every non-empty polygon found in g (recursing into collections) to out; lines
 * and points, which overlays leave where shapes merely touch, carry no area and are
 * dropped. */
static enum wg_rc append_polys(struct gctx *c, const GEOSGeometry *g, struct wg_shape *out,
                               struct wg_err *err)
{
    int type = GEOSGeomTypeId_r(c->h, g);
    enum wg_rc rc;
    if (type == GEOS_POLYGON) {
        int nholes;
        if (GEOSisEmpty_r(c->h, g))
            return WG_OK;
        if ((nholes = GEOSGetNumInteriorRings_r(c->h, g)) < 0)
            return geos_fail(c, err, "polygon read");
        wg_shape_begin_polygon(out);
        if ((rc = add_ring_from_geos(c, GEOSGetExteriorRing_r(c->h, g), out, err)))
            return rc;
        for (int i = 0; i < nholes; i++)
            if ((rc = add_ring_from_geos(c, GEOSGetInteriorRingN_r(c->h, g, i), out, err)))
                return rc;
        return WG_OK;
    }
    if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        int n = GEOSGetNumGeometries_r(c->h, g);
        for (int i = 0; i < n; i++)
            if ((rc = append_polys(c, GEOSGetGeometryN_r(c->h, g, i), out, err)))
                return rc;
    }
    return WG_OK;
}

/* out is initialised here; on failure it is released again. */
static enum wg_rc from_geos(struct gctx *c, const GEOSGeometry *g, struct wg_shape *out,
                            struct wg_err *err)
{
    enum wg_rc rc;
    wg_shape_init(out);
    if ((rc = append_polys(c, g, out, err))) {
        wg_shape_release(out);
        wg_shape_init(out);
        return rc;
    }
    wg_shape_update_bbox(out);
    return WG_OK;
}

/* Area in m² with the same local scaling as wg_shape_area_m2, by way of a wg_shape so the
 * two can never disagree. NAN when the geometry cannot be read. */
static double area_m2(struct gctx *c, const GEOSGeometry *g)
{
    struct wg_shape s;
    double a;
    if (!g)
        return NAN;
    if (GEOSisEmpty_r(c->h, g))
        return 0;
    if (from_geos(c, g, &s, NULL))
        return NAN;
    a = wg_shape_area_m2(&s);
    wg_shape_release(&s);
    return a;
}

/* ---- validity and overlay areas -------------------------------------------------- */

enum wg_rc wg_geos_check_valid(const struct wg_shape *s, struct wg_err *err)
{
    struct gctx c;
    GEOSGeometry *g = NULL, *loc = NULL;
    char *reason = NULL;
    enum wg_rc rc = WG_OK;
    char valid;
    if (ctx_open(&c))
        return wg_err_set(err, WG_EINTERNAL, "cannot start GEOS");
    if (!(g = to_geos(c.h, s))) {
        /* GEOS refuses to even build it: an unclosed ring or one with too few points. */
        rc = wg_err_set(err, WG_EINVAL, "not a valid polygon: %s",
                        c.msg[0] ? c.msg : "GEOS cannot build it");
        goto out;
    }
    valid = GEOSisValidDetail_r(c.h, g, 0, &reason, &loc);
    if (valid == 2) {
        rc = geos_fail(&c, err, "validity check");
    } else if (!valid) {
        double x = NAN, y = NAN;
        char what[200];
        snprintf(what, sizeof what, "%s", reason ? reason : "invalid geometry");
        /* GEOS capitalises its reasons ("Ring Self-intersection"); messages here are lower
         * case because they are usually prefixed with the feature at fault. */
        for (char *p = what; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
        if (loc && GEOSGeomGetX_r(c.h, loc, &x) && GEOSGeomGetY_r(c.h, loc, &y))
            rc = wg_err_set(err, WG_EINVAL, "%s at (%.6f, %.6f)", what, x, y);
        else
            rc = wg_err_set(err, WG_EINVAL, "%s", what);
    }
out:
    if (reason)
        GEOSFree_r(c.h, reason);
    if (loc)
        GEOSGeom_destroy_r(c.h, loc);
    if (g)
        GEOSGeom_destroy_r(c.h, g);
    ctx_close(&c);
    return rc;
}

static int bbox_disjoint(const struct wg_shape *a, const struct wg_shape *b)
{
    return a->maxx < b->minx || b->maxx < a->minx || a->maxy < b->miny || b->maxy < a->miny;
}

/* Runs a binary overlay; when GEOS throws on the inputs as given (a self-intersecting
 * ring during an import that goes on to report everything), retries on repaired copies,
 * so a checker gets a usable number instead of none. */
static GEOSGeometry *overlay(struct gctx *c, GEOSGeometry *a, GEOSGeometry *b,
                             GEOSGeometry *(*op)(GEOSContextHandle_t, const GEOSGeometry *,
                                                 const GEOSGeometry *))
{
    GEOSGeometry *r = op(c->h, a, b), *va, *vb;
    if (r)
        return r;
    va = GEOSMakeValid_r(c->h, a);
    vb = GEOSMakeValid_r(c->h, b);
    if (va && vb)
        r = op(c->h, va, vb);
    if (va)
        GEOSGeom_destroy_r(c->h, va);
    if (vb)
        GEOSGeom_destroy_r(c->h, vb);
    return r;
}

/* NAN when GEOS cannot compute it at all (callers compare against a tolerance). */
static double binary_area(const struct wg_shape *a, const struct wg_shape *b,
                          GEOSGeometry *(*op)(GEOSContextHandle_t, const GEOSGeometry *,
                                              const GEOSGeometry *))
{
    struct gctx c;
    GEOSGeometry *ga, *gb = NULL, *r = NULL;
    double area = NAN;
    if (ctx_open(&c))
        return NAN;
    if ((ga = to_geos(c.h, a)) && (gb = to_geos(c.h, b)) && (r = overlay(&c, ga, gb, op)))
        area = area_m2(&c, r);
    if (r)
        GEOSGeom_destroy_r(c.h, r);
    if (gb)
        GEOSGeom_destroy_r(c.h, gb);
    if (ga)
        GEOSGeom_destroy_r(c.h, ga);
    ctx_close(&c);
    return area;
}

double wg_geos_overlap_m2(const struct wg_shape *a, const struct wg_shape *b)
{
    if (!a->npolys || !b->npolys || bbox_disjoint(a, b))
        return 0;
    return binary_area(a, b, GEOSIntersection_r);
}

double wg_geos_outside_m2(const struct wg_shape *inner, const struct wg_shape *outer)
{
    if (!inner->npolys)
        return 0;
    if (!outer->npolys || bbox_disjoint(inner, outer))
        return wg_shape_area_m2(inner);
    return binary_area(inner, outer, GEOSDifference_r);
}

double wg_geos_gap_m2(const struct wg_shape *parent, const struct wg_shape *children, size_t n)
{
    struct gctx c;
    GEOSGeometry *gp = NULL, **parts = NULL, *coll = NULL, *u = NULL, *d = NULL;
    double area = NAN;
    size_t k = 0;
    if (!parent->npolys)
        return 0;
    if (n == 0)
        return wg_shape_area_m2(parent);
    if (ctx_open(&c))
        return NAN;
    if (!(gp = to_geos(c.h, parent)))
        goto out;
    parts = wg_calloc(n, sizeof *parts);
    for (k = 0; k < n; k++)
        if (!(parts[k] = to_geos(c.h, &children[k])))
            goto out;
    coll = GEOSGeom_createCollection_r(c.h, GEOS_GEOMETRYCOLLECTION, parts, (unsigned)n);
    if (coll)
        k = 0; /* the collection owns the parts now */
    if (coll && (u = GEOSUnaryUnion_r(c.h, coll)) && (d = overlay(&c, gp, u, GEOSDifference_r)))
        area = area_m2(&c, d);
out:
    while (k > 0)
        GEOSGeom_destroy_r(c.h, parts[--k]);
    free(parts);
    if (d)
        GEOSGeom_destroy_r(c.h, d);
    if (u)
        GEOSGeom_destroy_r(c.h, u);
    if (coll)
        GEOSGeom_destroy_r(c.h, coll);
    if (gp)
        GEOSGeom_destroy_r(c.h, gp);
    ctx_close(&c);
    return area;
}

/* ---- tessellation -------------------------------------------------------------------- */

/* Nearest-point queries over a uniform bucket grid, so the Lloyd rounds stay linear in
 * the number of samples however many cells are asked for. */
struct nngrid {
    double x0, y0, cell;
    size_t g;        /* g x g buckets */
    uint32_t *start; /* g*g + 1 offsets into idx */
    uint32_t *idx;   /* point indexes, bucket by bucket */
    const double *pts;
};

static size_t bucket_of(const struct nngrid *nn, double v, double v0)
{
    double f = (v - v0) / nn->cell;
    if (!(f > 0))
        return 0;
    return f >= (double)nn->g ? nn->g - 1 : (size_t)f;
}

static void nn_build(struct nngrid *nn, const double *pts, size_t n, double x0, double y0,
                     double x1, double y1)
{
    size_t g = (size_t)ceil(sqrt((double)n / 2.0));
    double span = fmax(x1 - x0, y1 - y0);
    if (g < 1)
        g = 1;
    nn->x0 = x0;
    nn->y0 = y0;
    nn->g = g;
    nn->cell = span > 0 ? span / (double)g : 1;
    nn->pts = pts;
    nn->start = wg_calloc(g * g + 1, sizeof *nn->start);
    nn->idx = wg_malloc((n ? n : 1) * sizeof *nn->idx);
    for (size_t i = 0; i < n; i++) {
        size_t b = bucket_of(nn, pts[2 * i + 1], y0) * g + bucket_of(nn, pts[2 * i], x0);
        nn->start[b + 1]++;
    }
    for (size_t b = 0; b < g * g; b++)
        nn->start[b + 1] += nn->start[b];
    {
        uint32_t *fill = wg_malloc((g * g + 1) * sizeof *fill);
        memcpy(fill, nn->start, (g * g + 1) * sizeof *fill);
        for (size_t i = 0; i < n; i++) {
            size_t b = bucket_of(nn, pts[2 * i + 1], y0) * g + bucket_of(nn, pts[2 * i], x0);
            nn->idx[fill[b]++] = (uint32_t)i;
        }
        free(fill);
    }
}

static void nn_release(struct nngrid *nn)
{
    free(nn->start);
    free(nn->idx);
}

static size_t nn_query(const struct nngrid *nn, double x, double y)
{
    long g = (long)nn->g, cx = (long)bucket_of(nn, x, nn->x0), cy = (long)bucket_of(nn, y, nn->y0);
    double best = INFINITY;
    size_t besti = 0;
    for (long r = 0; r <= g; r++) {
        for (long by = cy - r; by <= cy + r; by++) {
            if (by < 0 || by >= g)
                continue;
            for (long bx = cx - r; bx <= cx + r; bx++) {
                if (bx < 0 || bx >= g)
                    continue;
                if (labs(bx - cx) != r && labs(by - cy) != r)
                    continue; /* inner buckets were scanned in earlier rings */
                size_t b = (size_t)(by * g + bx);
                for (uint32_t k = nn->start[b]; k < nn->start[b + 1]; k++) {
                    const double *p = nn->pts + 2 * (size_t)nn->idx[k];
                    double d = (p[0] - x) * (p[0] - x) + (p[1] - y) * (p[1] - y);
                    if (d < best || (d == best && nn->idx[k] < besti)) {
                        best = d;
                        besti = nn->idx[k];
                    }
                }
            }
        }
        /* Buckets of the next ring lie at least r cells away from (x, y). Only a strictly
         * closer point could change the answer, so equality may stop too. */
        if (best < INFINITY && best < ((double)r * nn->cell) * ((double)r * nn->cell))
            break;
    }
    return besti;
}

/* The working plane: x scaled by the metres per degree of longitude over those of
 * latitude at the parent's middle, so that distances (hence Voronoi bisectors and Lloyd
 * centroids) are isotropic on the ground and cells come out roughly round, not stretched
 * east-west. Cells are scaled back before clipping; the same division applied to the
 * same shared vertex gives the same double, so neighbours still share edges exactly. */
struct tess {
    struct gctx *c;
    const struct wg_shape *parent;
    double kx;
    size_t n, m, cap;
    double *samples; /* m points in the working plane, all inside the parent */
    double *seeds;   /* n points in the working plane */
    uint32_t *assign;
    double *acc; /* 3 per seed: sum x, sum y, count */
};

/* Samples on a jittered grid over the bounding box, kept where inside the parent: about
 * `per_cell` a cell. Stratified rather than independent, so that a cell's share of samples
 * tracks its area closely and the relaxed cells come out even. */
static void sample_parent(struct tess *t, size_t per_cell, uint64_t *rng)
{
    const struct wg_shape *s = t->parent;
    double w = s->maxx - s->minx, h = s->maxy - s->miny, mx, my, frac, cells;
    size_t gx, gy, want = t->n * per_cell;
    wg_geo_m_per_deg((s->miny + s->maxy) / 2, &mx, &my);
    frac = wg_shape_area_m2(s) / (w * mx * h * my);
    frac = fmin(1, fmax(frac, 1e-4));
    cells = (double)want / frac;
    gx = (size_t)ceil(sqrt(cells * w * t->kx / h));
    gx = gx < 1 ? 1 : gx;
    gy = (size_t)ceil(cells / (double)gx);
    gy = gy < 1 ? 1 : gy;
    t->m = 0;
    for (size_t iy = 0; iy < gy; iy++)
        for (size_t ix = 0; ix < gx; ix++) {
            double x = s->minx + ((double)ix + wg_rng_uniform(rng)) * w / (double)gx;
            double y = s->miny + ((double)iy + wg_rng_uniform(rng)) * h / (double)gy;
            if (!wg_shape_contains(s, x, y))
                continue;
            if (t->m == t->cap) {
                t->cap = t->cap ? 2 * t->cap : want + want / 4 + 16;
                t->samples = wg_realloc(t->samples, 2 * t->cap * sizeof *t->samples);
                t->assign = wg_realloc(t->assign, t->cap * sizeof *t->assign);
            }
            t->samples[2 * t->m] = x * t->kx;
            t->samples[2 * t->m + 1] = y;
            t->m++;
        }
}

/* k-means++ seeding: each next seed is a sample drawn with probability proportional to its
 * squared distance from the seeds so far, which spreads the seeds before Lloyd starts and
 * spares it the rounds needed to pull apart a random clump. Quadratic, so for very many
 * cells plain random samples are used instead. */
static void initial_seeds(struct tess *t, uint64_t *rng)
{
    double *d2;
    if (t->n > 2048) {
        for (size_t j = 0; j < t->n; j++) {
            size_t i = (size_t)(wg_rng_uniform(rng) * (double)t->m) % t->m;
            t->seeds[2 * j] = t->samples[2 * i];
            t->seeds[2 * j + 1] = t->samples[2 * i + 1];
        }
        return;
    }
    d2 = wg_malloc(t->m * sizeof *d2);
    for (size_t i = 0; i < t->m; i++)
        d2[i] = INFINITY;
    size_t pick = (size_t)(wg_rng_uniform(rng) * (double)t->m) % t->m;
    for (size_t j = 0; j < t->n; j++) {
        double sx = t->samples[2 * pick], sy = t->samples[2 * pick + 1], total = 0, r;
        t->seeds[2 * j] = sx;
        t->seeds[2 * j + 1] = sy;
        for (size_t i = 0; i < t->m; i++) {
            double dx = t->samples[2 * i] - sx, dy = t->samples[2 * i + 1] - sy;
            d2[i] = fmin(d2[i], dx * dx + dy * dy);
            total += d2[i];
        }
        r = wg_rng_uniform(rng) * total;
        for (pick = 0; pick + 1 < t->m && (r -= d2[pick]) > 0; pick++)
            ;
    }
    free(d2);
}

static double bbox_x0(const struct tess *t)
{
    return t->parent->minx * t->kx;
}

/* One Lloyd round on the samples (k-means step): each seed moves to the mean of the
 * samples nearest to it. A mean that falls outside a concave parent is pulled to the
 * nearest of its own samples, so every seed stays inside and its cell cannot clip away. */
static void lloyd_round(struct tess *t, double *moved2)
{
    struct nngrid nn;
    const struct wg_shape *s = t->parent;
    /* Most calls split a village into two to five grids: scanning the seeds beats any index. */
    int scan = t->n <= 12;
    *moved2 = 0;
    if (scan) {
        memset(t->acc, 0, 3 * t->n * sizeof *t->acc);
        for (size_t i = 0; i < t->m; i++) {
            const double *p = t->samples + 2 * i;
            double best = INFINITY;
            size_t j = 0;
            for (size_t k = 0; k < t->n; k++) {
                double dx = t->seeds[2 * k] - p[0], dy = t->seeds[2 * k + 1] - p[1];
                double d = dx * dx + dy * dy;
                if (d < best) {
                    best = d;
                    j = k;
                }
            }
            t->assign[i] = (uint32_t)j;
            t->acc[3 * j] += p[0];
            t->acc[3 * j + 1] += p[1];
            t->acc[3 * j + 2] += 1;
        }
        goto moved;
    }
    nn_build(&nn, t->seeds, t->n, bbox_x0(t), s->miny, s->maxx * t->kx, s->maxy);
    memset(t->acc, 0, 3 * t->n * sizeof *t->acc);
    for (size_t i = 0; i < t->m; i++) {
        const double *p = t->samples + 2 * i;
        size_t j = nn_query(&nn, p[0], p[1]);
        t->assign[i] = (uint32_t)j;
        t->acc[3 * j] += p[0];
        t->acc[3 * j + 1] += p[1];
        t->acc[3 * j + 2] += 1;
    }
    nn_release(&nn);
moved:
    for (size_t j = 0; j < t->n; j++) {
        double *a = t->acc + 3 * j;
        if (a[2] == 0)
            continue; /* no sample nearby: stay put, the seed is inside already */
        a[0] /= a[2];
        a[1] /= a[2];
        if (wg_shape_contains(s, a[0] / t->kx, a[1])) {
            double dx = a[0] - t->seeds[2 * j], dy = a[1] - t->seeds[2 * j + 1];
            *moved2 = fmax(*moved2, dx * dx + dy * dy);
            t->seeds[2 * j] = a[0];
            t->seeds[2 * j + 1] = a[1];
            a[2] = -1; /* settled */
        } else {
            a[2] = INFINITY; /* from now on: the best squared distance to a sample */
        }
    }
    for (size_t i = 0; i < t->m; i++) {
        size_t j = t->assign[i];
        double *a = t->acc + 3 * j, *p = t->samples + 2 * i, d;
        if (a[2] < 0)
            continue;
        d = (p[0] - a[0]) * (p[0] - a[0]) + (p[1] - a[1]) * (p[1] - a[1]);
        if (d < a[2]) {
            a[2] = d;
            t->seeds[2 * j] = p[0];
            t->seeds[2 * j + 1] = p[1];
        }
    }
    for (size_t j = 0; j < t->n; j++)
        if (t->acc[3 * j + 2] >= 0)
            *moved2 = INFINITY; /* a seed was pulled back inside: not settled yet */
}

/* The Voronoi diagram of the seeds in the working plane, over an envelope padded by the
 * parent's size so that every cell reaches past the parent's edge. */
static enum wg_rc seed_diagram(struct tess *t, GEOSGeometry **vd, struct wg_err *err)
{
    GEOSContextHandle_t h = t->c->h;
    const struct wg_shape *s = t->parent;
    double w = (s->maxx - s->minx) * t->kx, hgt = s->maxy - s->miny, pad = fmax(w, hgt);
    GEOSGeometry **pts = wg_calloc(t->n, sizeof *pts), *mp = NULL, *env = NULL;
    enum wg_rc rc = WG_OK;
    *vd = NULL;
    for (size_t j = 0; j < t->n; j++)
        if (!(pts[j] = GEOSGeom_createPointFromXY_r(h, t->seeds[2 * j], t->seeds[2 * j + 1]))) {
            rc = geos_fail(t->c, err, "point");
            goto out;
        }
    mp = GEOSGeom_createCollection_r(h, GEOS_MULTIPOINT, pts, (unsigned)t->n);
    if (!mp) {
        rc = geos_fail(t->c, err, "multipoint");
        goto out;
    }
    free(pts); /* the multipoint owns the points now */
    pts = NULL;
    env = GEOSGeom_createRectangle_r(h, bbox_x0(t) - pad, s->miny - pad, s->maxx * t->kx + pad,
                                     s->maxy + pad);
    if (!env || !(*vd = GEOSVoronoiDiagram_r(h, mp, env, 0.0, 0)))
        rc = geos_fail(t->c, err, "Voronoi diagram");
out:
    if (pts)
        for (size_t j = 0; j < t->n; j++)
            if (pts[j])
                GEOSGeom_destroy_r(h, pts[j]);
    free(pts);
    if (env)
        GEOSGeom_destroy_r(h, env);
    if (mp)
        GEOSGeom_destroy_r(h, mp);
    return rc;
}

/* What turning the diagram's cells into the parent's pieces needs, cell after cell. */
struct cutter {
    struct tess *t;
    GEOSGeometry *pg;                 /* the parent, in degrees */
    const GEOSPreparedGeometry *prep; /* pg, prepared */
    struct nngrid nn;                 /* the seeds, to match a cell to its own */
    unsigned char *taken;             /* seeds whose cell was found */
    double *buf;                      /* a cell's ring, x y x y ... */
    size_t bufcap;
    struct wg_shape *out;
};

/* Matches one Voronoi cell to its seed j, scales it back to degrees and clips it to the
 * parent into out[j]. WG_ECONFLICT: the seed's cell was found already, or clips to nothing. */
static enum wg_rc cut_cell(struct cutter *cut, const GEOSGeometry *cell, struct wg_err *err)
{
    struct tess *t = cut->t;
    GEOSContextHandle_t h = t->c->h;
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(h, GEOSGetExteriorRing_r(h, cell));
    GEOSCoordSequence *back;
    GEOSGeometry *cg, *clipped = NULL;
    unsigned int np = 0;
    double mx = 0, my = 0, *buf;
    size_t j;
    enum wg_rc rc;
    if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &np) || np < 4)
        return geos_fail(t->c, err, "Voronoi cell read");
    if (2 * (size_t)np > cut->bufcap) {
        cut->bufcap = 2 * (size_t)np;
        cut->buf = wg_realloc(cut->buf, cut->bufcap * sizeof *cut->buf);
    }
    buf = cut->buf;
    GEOSCoordSeq_copyToBuffer_r(h, seq, buf, 0, 0);
    /* GEOS 3.11 does not keep the sites' order. The cell is convex, so the mean of its
     * vertices lies inside it, and the site nearest that point is the cell's own. */
    for (unsigned int v = 0; v + 1 < np; v++) {
        mx += buf[2 * v];
        my += buf[2 * v + 1];
    }
    j = nn_query(&cut->nn, mx / (np - 1), my / (np - 1));
    if (cut->taken[j])
        return WG_ECONFLICT;
    cut->taken[j] = 1;
    for (unsigned int v = 0; v < np; v++)
        buf[2 * v] /= t->kx;
    back = GEOSCoordSeq_copyFromBuffer_r(h, buf, np, 0, 0);
    cg = back ? GEOSGeom_createPolygon_r(h, GEOSGeom_createLinearRing_r(h, back), NULL, 0) : NULL;
    if (!cg)
        return geos_fail(t->c, err, "cell polygon");
    /* A cell strictly inside the parent needs no overlay: its vertices are the Voronoi
     * vertices its neighbours share, whichever way they were clipped. */
    if (GEOSPreparedContainsProperly_r(h, cut->prep, cg) == 1)
        clipped = cg;
    else {
        clipped = GEOSIntersection_r(h, cg, cut->pg);
        GEOSGeom_destroy_r(h, cg);
    }
    if (!clipped)
        return geos_fail(t->c, err, "cell clipping");
    rc = from_geos(t->c, clipped, &cut->out[j], err);
    GEOSGeom_destroy_r(h, clipped);
    if (rc)
        return rc;
    return cut->out[j].npolys == 0 ? WG_ECONFLICT : WG_OK;
}

/* Builds the Voronoi diagram of the seeds, matches every cell to its seed, scales it back
 * to degrees and clips it to the parent. WG_ECONFLICT asks the caller to re-seed: two
 * seeds fell together, or a cell clipped to nothing. */
static enum wg_rc voronoi_cells(struct tess *t, GEOSGeometry *pg, const GEOSPreparedGeometry *prep,
                                struct wg_shape *out, struct wg_err *err)
{
    GEOSContextHandle_t h = t->c->h;
    const struct wg_shape *s = t->parent;
    struct cutter cut = {.t = t, .pg = pg, .prep = prep, .out = out};
    GEOSGeometry *vd = NULL;
    enum wg_rc rc;
    cut.taken = wg_calloc(t->n, 1);
    if ((rc = seed_diagram(t, &vd, err)))
        goto out;
    if ((size_t)GEOSGetNumGeometries_r(h, vd) != t->n) {
        rc = WG_ECONFLICT;
        goto out;
    }
    nn_build(&cut.nn, t->seeds, t->n, bbox_x0(t), s->miny, s->maxx * t->kx, s->maxy);
    for (size_t i = 0; i < t->n && !rc; i++)
        rc = cut_cell(&cut, GEOSGetGeometryN_r(h, vd, (int)i), err);
out:
    if (rc)
        for (size_t j = 0; j < t->n; j++)
            if (cut.taken[j]) {
                wg_shape_release(&out[j]);
                wg_shape_init(&out[j]);
            }
    nn_release(&cut.nn);
    free(cut.buf);
    free(cut.taken);
    if (vd)
        GEOSGeom_destroy_r(h, vd);
    return rc;
}

/* Public boundaries are often not valid polygons (of the echarts county outlines of
 * Shandong, most have a self-touching or crossing ring somewhere along the coast or a
 * border), and GEOS refuses to overlay them. Such a parent is replaced by GEOS's repair
 * of it (polygons only), in *pg and in `fixed`, which is left empty when the parent was
 * valid. */
static enum wg_rc repair(struct gctx *c, GEOSGeometry **pg, struct wg_shape *fixed,
                         struct wg_err *err)
{
    GEOSGeometry *mv, *g;
    enum wg_rc rc;
    char valid = GEOSisValid_r(c->h, *pg);
    if (valid == 1)
        return WG_OK;
    if (valid == 2 || !(mv = GEOSMakeValid_r(c->h, *pg)))
        return geos_fail(c, err, "repair of an invalid parent");
    rc = from_geos(c, mv, fixed, err);
    GEOSGeom_destroy_r(c->h, mv);
    if (rc)
        return rc;
    if (!fixed->npolys || !(wg_shape_area_m2(fixed) > 0))
        return wg_err_set(err, WG_EINVAL, "the shape has no area left once made valid");
    if (!(g = to_geos(c->h, fixed)))
        return geos_fail(c, err, "repaired parent");
    GEOSGeom_destroy_r(c->h, *pg);
    *pg = g;
    return WG_OK;
}

enum { LLOYD_ROUNDS = 10, RESEED_TRIES = 8, SAMPLES_PER_CELL = 32 };

enum wg_rc wg_geos_tessellate(const struct wg_shape *parent, size_t n, uint64_t seed,
                              struct wg_shape *out, struct wg_err *err)
{
    struct gctx c = {0};
    struct tess t = {0};
    struct wg_shape fixed;
    GEOSGeometry *pg = NULL;
    const GEOSPreparedGeometry *prep = NULL;
    uint64_t rng = seed ^ 0x5eed7e55e11a7e5ull;
    double mx, my, settled2;
    enum wg_rc rc = WG_OK;
    if (n == 0 || n > UINT32_MAX / 64)
        return wg_err_set(err, WG_EINVAL, "cannot split a shape into %zu cells", n);
    for (size_t i = 0; i < n; i++)
        wg_shape_init(&out[i]);
    if (!parent->npolys)
        return wg_err_set(err, WG_EINVAL, "cannot split an empty shape into %zu cells", n);
    if (n == 1)
        return wg_shape_copy(&out[0], parent, err);
    wg_shape_init(&fixed);
    if (ctx_open(&c))
        return wg_err_set(err, WG_EINTERNAL, "cannot start GEOS");
    wg_geo_m_per_deg((parent->miny + parent->maxy) / 2, &mx, &my);
    t.c = &c;
    t.parent = parent;
    t.kx = mx / my;
    t.n = n;
    t.seeds = wg_malloc(2 * n * sizeof *t.seeds);
    t.acc = wg_malloc(3 * n * sizeof *t.acc);
    if (!(pg = to_geos(c.h, parent))) {
        rc = wg_err_set(err, WG_EINVAL, "cannot split the shape: %s", c.msg);
        goto out;
    }
    if ((rc = repair(&c, &pg, &fixed, err)))
        goto out;
    if (fixed.npolys)
        t.parent = &fixed;
    if (!(wg_shape_area_m2(t.parent) > 0)) {
        rc = wg_err_set(err, WG_EINVAL, "cannot split a shape of no area into %zu cells", n);
        goto out;
    }
    /* working-plane units are degrees of latitude */
    settled2 = 1e-4 * wg_shape_area_m2(t.parent) / (my * my) / (double)n;
    if (!(prep = GEOSPrepare_r(c.h, pg))) {
        rc = geos_fail(&c, err, "prepare");
        goto out;
    }
    rc = WG_ECONFLICT;
    for (int attempt = 0; attempt < RESEED_TRIES && rc == WG_ECONFLICT; attempt++) {
        /* A parent that is mostly holes or slivers may catch fewer samples than cells. */
        size_t per = SAMPLES_PER_CELL;
        sample_parent(&t, per, &rng);
        while (t.m < 4 * n && per < 64 * SAMPLES_PER_CELL) {
            per *= 4;
            sample_parent(&t, per, &rng);
        }
        if (t.m < n) {
            rc = wg_err_set(err, WG_EINVAL,
                            "cannot find room for %zu cells: the parent covers almost none of "
                            "its bounding box (%.6f %.6f, %.6f %.6f)",
                            n, parent->minx, parent->miny, parent->maxx, parent->maxy);
            goto out;
        }
        initial_seeds(&t, &rng);
        /* Rounds stop early once no seed moves more than 1% of the cell spacing: small
         * splits settle in a few rounds. */
        for (int r = 0; r < LLOYD_ROUNDS; r++) {
            double moved2;
            lloyd_round(&t, &moved2);
            if (moved2 < settled2)
                break;
        }
        rc = voronoi_cells(&t, pg, prep, out, err);
    }
    if (rc == WG_ECONFLICT)
        rc = wg_err_set(err, WG_EINTERNAL,
                        "no seeding of %zu cells gave every cell a piece of the parent", n);
out:
    if (prep)
        GEOSPreparedGeom_destroy_r(c.h, prep);
    if (pg)
        GEOSGeom_destroy_r(c.h, pg);
    ctx_close(&c);
    wg_shape_release(&fixed);
    free(t.samples);
    free(t.seeds);
    free(t.assign);
    free(t.acc);
    return rc;
}

/* ---- placing a small polygon ----------------------------------------------------------- */

enum { PLACE_TRIES = 40, PLACE_SHRINKS = 12 };

enum wg_rc wg_geos_place_inside(const struct wg_shape *parent, double area_m2, uint64_t seed,
                                struct wg_shape *out, struct wg_err *err)
{
    struct gctx c = {0};
    GEOSGeometry *pg = NULL;
    const GEOSPreparedGeometry *prep = NULL;
    uint64_t rng = seed ^ 0x91ace1f5de0ull;
    double mx, my, area = area_m2, w = parent->maxx - parent->minx, h = parent->maxy - parent->miny;
    enum wg_rc rc = WG_OK;
    int found = 0;
    wg_shape_init(out);
    if (!(area_m2 > 0))
        return wg_err_set(err, WG_EINVAL, "cannot place a polygon of %g m²", area_m2);
    if (!parent->npolys)
        return wg_err_set(err, WG_EINVAL, "cannot place a polygon inside an empty shape");
    if (ctx_open(&c))
        return wg_err_set(err, WG_EINTERNAL, "cannot start GEOS");
    if (!(pg = to_geos(c.h, parent)) || !(prep = GEOSPrepare_r(c.h, pg))) {
        rc = wg_err_set(err, WG_EINVAL, "cannot place inside the shape: %s", c.msg);
        goto out;
    }
    wg_geo_m_per_deg((parent->miny + parent->maxy) / 2, &mx, &my);
    for (int shrink = 0; shrink < PLACE_SHRINKS && !found; shrink++, area /= 2) {
        /* An octagon inscribed in an ellipse of axes a > b, turned by a random angle: it
         * reads as a compound or a block rather than a disc. The affine image of a
         * regular octagon of circumradius 1 has area 2√2·a·b. */
        double r = sqrt(area / (2 * sqrt(2.0))), a = r * 1.3, b = r / 1.3;
        for (int k = 0; k < PLACE_TRIES && !found; k++) {
            double cx = parent->minx + wg_rng_uniform(&rng) * w,
                   cy = parent->miny + wg_rng_uniform(&rng) * h;
            double th = wg_rng_uniform(&rng) * M_PI, ring[18];
            GEOSCoordSequence *seq;
            GEOSGeometry *poly;
            if (!wg_shape_contains(parent, cx, cy))
                continue;
            for (int v = 0; v < 8; v++) {
                double phi = (v + 0.5) * M_PI / 4, ex = a * cos(phi), ey = b * sin(phi);
                ring[2 * v] = cx + (ex * cos(th) - ey * sin(th)) / mx;
                ring[2 * v + 1] = cy + (ex * sin(th) + ey * cos(th)) / my;
            }
            ring[16] = ring[0];
            ring[17] = ring[1];
            seq = GEOSCoordSeq_copyFromBuffer_r(c.h, ring, 9, 0, 0);
            poly =
                seq ? GEOSGeom_createPolygon_r(c.h, GEOSGeom_createLinearRing_r(c.h, seq), NULL, 0)
                    : NULL;
            if (!poly) {
                rc = geos_fail(&c, err, "octagon");
                goto out;
            }
            if (GEOSPreparedContains_r(c.h, prep, poly) == 1) {
                found = 1;
                wg_shape_begin_polygon(out);
                if ((rc = wg_shape_add_ring(out, ring, 9)))
                    wg_err_set(err, rc, "cannot build the placed polygon");
                wg_shape_update_bbox(out);
            }
            GEOSGeom_destroy_r(c.h, poly);
        }
    }
    if (!found && !rc)
        rc = wg_err_set(err, WG_EINVAL,
                        "no room for a polygon of even %.0f m² inside the shape at (%.6f, %.6f)",
                        area_m2 / (1 << PLACE_SHRINKS), (parent->minx + parent->maxx) / 2,
                        (parent->miny + parent->maxy) / 2);
out:
    if (rc) {
        wg_shape_release(out);
        wg_shape_init(out);
    }
    if (prep)
        GEOSPreparedGeom_destroy_r(c.h, prep);
    if (pg)
        GEOSGeom_destroy_r(c.h, pg);
    ctx_close(&c);
    return rc;
}

enum wg_rc wg_geos_make_valid(const struct wg_shape *in, struct wg_shape *out, int *repaired,
                              struct wg_err *err)
{
    struct gctx c = {0};
    struct wg_shape fixed;
    GEOSGeometry *g = NULL;
    enum wg_rc rc;
    *repaired = 0;
    wg_shape_init(&fixed);
    if (ctx_open(&c))
        return wg_err_set(err, WG_EINTERNAL, "cannot start GEOS");
    if (!(g = to_geos(c.h, in))) {
        rc = geos_fail(&c, err, "shape");
        goto out;
    }
    if ((rc = repair(&c, &g, &fixed, err)))
        goto out;
    if (fixed.npolys) {
        *repaired = 1;
        *out = fixed;
        wg_shape_init(&fixed);
    } else {
        rc = wg_shape_copy(out, in, err);
    }
out:
    wg_shape_release(&fixed);
    if (g)
        GEOSGeom_destroy_r(c.h, g);
    ctx_close(&c);
    return rc;
}
