/* The locate index (gindex.h): a two-level raster over the shapes' bounding box.
 *
 * A coarse cell (8 x 8 fine cells) holds either one answer for all of it or the number of a
 * block of 64 fine-cell entries. A fine cell holds either one answer or the offset of a
 * "mixed" record: the shapes whose boundary passes near the cell and that could answer
 * there (candidates, ascending), the edges of each candidate that matter inside the cell,
 * and the answer when no candidate contains the point (fallback). The crossing test on a
 * candidate's kept edges gives exactly the count wg_shape_contains would get, because the
 * edges dropped are those that cannot change it for any point of the cell: edges left of the
 * cell never cross, edges right of it that span the cell's row strip always cross (their
 * parity is stored), every other edge that overlaps the row strip is kept. That rests on the
 * crossing predicate in shape.h, which is exact about points left or right of an edge.
 *
 * A cell is solid only if no boundary of a shape that could be the answer comes within
 * EPS of it, so the answer is the same everywhere in it, including points on its sides.
 * Cells are tested with margins of EPS around them, far more than the rounding in
 * computing which cell a point falls into. */
#include "geo/gindex.h"
#include "core/alloc.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define K        8 /* fine cells per coarse cell side */
#define KSHIFT   3
#define MIX      0x80000000u /* entry refers to a block or a record */
#define SOLID_NO 0x7fffffffu /* solid entry: no shape */
#define C_PAR    0x80000000u /* candidate flag: edges right of the cell cross an odd time */
#define C_FULL   0x40000000u /* candidate flag: too many edges, test the whole shape */
#define ID_MASK  0x3fffffffu
#define MAXEDGE  32   /* kept edges a record can address with a 32-bit mask */
#define EPS      1e-9 /* degrees (0.1 mm): margin around cells and clipped edges */

/* Fine cell side as a fraction of the median shape's size: ~120 m for grids of ~1 km. On
 * Shandong's 163,600 grids, 8 gives 165 MB and ~23M lookups/s batched; 10 costs 210 MB for
 * no gain, 6 saves memory (124 MB) at ~18M/s, 14 reaches ~32M/s with 307 MB. */
#define CELLS_PER_SHAPE 8.0
#define MAX_COARSE      (1u << 24)
#define MAX_TOUCHES     (1u << 27)

struct wg_gindex {
    size_t n;            /* shapes */
    double *pts;         /* every shape's points, x,y interleaved */
    uint32_t *ring_off;  /* rings' point offsets, nrings + 1 */
    uint32_t *shape_off; /* shapes' ring offsets, n + 1 */
    double *bbox;        /* 4 per shape */

    double ox, oy, fw, fh, inv_fw, inv_fh, dnfx, dnfy;
    uint32_t nfx, nfy, ncx, ncy;
    uint32_t *coarse; /* ncx * ncy */
    uint32_t *blocks; /* nblocks * K * K */
    /* Mixed records, each: fallback, ncand, nedge, then per candidate (shape | C_PAR |
     * C_FULL, mask of the kept edges it owns), then nedge point numbers in pts, each the
     * first end of an edge. A shared edge is kept once for both neighbours. */
    uint32_t *recs;
    size_t nblocks, nrecwords, nrecords;

    uint32_t *bucket_off; /* per coarse cell: shapes whose bbox meets it (for locate_all) */
    uint32_t *bucket;
    size_t nbucket;

    double build_seconds;
};

/* ---- exact containment on the index's own copy ---- */

static int contains_copy(const struct wg_gindex *ix, uint32_t s, double x, double y)
{
    const double *bb = ix->bbox + 4 * (size_t)s;
    if (!(x >= bb[0] && x < bb[2] && y >= bb[1] && y < bb[3]))
        return 0;
    int in = 0;
    for (uint32_t r = ix->shape_off[s]; r < ix->shape_off[s + 1]; r++) {
        const double *p = ix->pts + 2 * (size_t)ix->ring_off[r];
        uint32_t m = ix->ring_off[r + 1] - ix->ring_off[r];
        for (uint32_t i = 0; i + 1 < m; i++, p += 2)
            in ^= wg_shape_edge_crosses(p[0], p[1], p[2], p[3], x, y);
    }
    return in;
}

/* ---- queries ---- */

static inline uint32_t solid(uint32_t e)
{
    return e == SOLID_NO ? WG_GINDEX_NONE : e;
}

static uint32_t eval_rec(const struct wg_gindex *ix, const uint32_t *r, double x, double y)
{
    uint32_t ncand = r[1], nedge = r[2];
    const uint32_t *cand = r + 3, *refs = cand + 2 * ncand;
    uint32_t cross = 0;
    for (uint32_t k = 0; k < nedge; k++) {
        const double *p = ix->pts + 2 * (size_t)refs[k];
        cross |= (uint32_t)wg_shape_edge_crosses(p[0], p[1], p[2], p[3], x, y) << k;
    }
    for (uint32_t c = 0; c < ncand; c++) {
        uint32_t id = cand[2 * c];
        int in;
        if (id & C_FULL)
            in = contains_copy(ix, id & ID_MASK, x, y);
        else
            in = (int)(((id >> 31) ^ (uint32_t)__builtin_popcount(cand[2 * c + 1] & cross)) & 1);
        if (in)
            return id & ID_MASK;
    }
    return r[0];
}

uint32_t wg_gindex_locate(const struct wg_gindex *ix, double x, double y)
{
    double fx = (x - ix->ox) * ix->inv_fw, fy = (y - ix->oy) * ix->inv_fh;
    if (!(fx >= 0 && fx < ix->dnfx && fy >= 0 && fy < ix->dnfy))
        return WG_GINDEX_NONE;
    uint32_t cx = (uint32_t)fx, cy = (uint32_t)fy;
    uint32_t e = ix->coarse[(size_t)(cy >> KSHIFT) * ix->ncx + (cx >> KSHIFT)];
    if (!(e & MIX))
        return solid(e);
    e = ix->blocks[(size_t)(e & ~MIX) * K * K + ((cy & (K - 1)) << KSHIFT) + (cx & (K - 1))];
    if (!(e & MIX))
        return solid(e);
    return eval_rec(ix, ix->recs + (e & ~MIX), x, y);
}

/* Batched lookups as a software pipeline: each point goes through five stages (coarse
 * entry, block entry, record, edge points, answer) spaced DIST points apart, and each stage
 * prefetches what the next one will read, so up to ~4*DIST memory loads are in flight
 * instead of one. */
#define DIST 8
#define RING 64 /* > 4 * DIST, power of two */
#define DONE 0xffffffffu

void wg_gindex_locate_many(const struct wg_gindex *ix, const double *xy, size_t n, uint32_t *out)
{
    uint32_t st[RING]; /* per point in flight: coarse index, block entry index, record */
    uint32_t sub[RING];
    for (size_t i = 0; i < n + 4 * DIST; i++) {
        if (i < n) { /* stage 1: which cells */
            size_t j = i;
            double fx = (xy[2 * j] - ix->ox) * ix->inv_fw,
                   fy = (xy[2 * j + 1] - ix->oy) * ix->inv_fh;
            if (!(fx >= 0 && fx < ix->dnfx && fy >= 0 && fy < ix->dnfy)) {
                out[j] = WG_GINDEX_NONE;
                st[j & (RING - 1)] = DONE;
            } else {
                uint32_t cx = (uint32_t)fx, cy = (uint32_t)fy;
                uint32_t c = (cy >> KSHIFT) * ix->ncx + (cx >> KSHIFT);
                __builtin_prefetch(ix->coarse + c);
                st[j & (RING - 1)] = c;
                sub[j & (RING - 1)] = ((cy & (K - 1)) << KSHIFT) + (cx & (K - 1));
            }
        }
        if (i >= DIST && i - DIST < n) { /* stage 2: coarse entry */
            size_t j = i - DIST;
            uint32_t *s = &st[j & (RING - 1)];
            if (*s != DONE) {
                uint32_t e = ix->coarse[*s];
                if (!(e & MIX)) {
                    out[j] = solid(e);
                    *s = DONE;
                } else {
                    *s = (e & ~MIX) * K * K + sub[j & (RING - 1)];
                    __builtin_prefetch(ix->blocks + *s);
                }
            }
        }
        if (i >= 2 * DIST && i - 2 * DIST < n) { /* stage 3: fine entry */
            size_t j = i - 2 * DIST;
            uint32_t *s = &st[j & (RING - 1)];
            if (*s != DONE) {
                uint32_t e = ix->blocks[*s];
                if (!(e & MIX)) {
                    out[j] = solid(e);
                    *s = DONE;
                } else {
                    *s = e & ~MIX;
                    __builtin_prefetch(ix->recs + *s);
                    __builtin_prefetch(ix->recs + *s + 16);
                }
            }
        }
        if (i >= 3 * DIST && i - 3 * DIST < n) { /* stage 4: the record's edges */
            size_t j = i - 3 * DIST;
            uint32_t s = st[j & (RING - 1)];
            if (s != DONE) {
                const uint32_t *r = ix->recs + s;
                const uint32_t *refs = r + 3 + 2 * r[1];
                for (uint32_t k = 0; k < r[2] && k < 4; k++) {
                    const double *p = ix->pts + 2 * (size_t)refs[k];
                    __builtin_prefetch(p);
                    __builtin_prefetch(p + 3);
                }
            }
        }
        if (i >= 4 * DIST && i - 4 * DIST < n) { /* stage 5: answer */
            size_t j = i - 4 * DIST;
            uint32_t s = st[j & (RING - 1)];
            if (s != DONE)
                out[j] = eval_rec(ix, ix->recs + s, xy[2 * j], xy[2 * j + 1]);
        }
    }
}

size_t wg_gindex_locate_all(const struct wg_gindex *ix, double x, double y, uint32_t *out,
                            size_t max)
{
    double fx = (x - ix->ox) * ix->inv_fw, fy = (y - ix->oy) * ix->inv_fh;
    if (!(fx >= 0 && fx < ix->dnfx && fy >= 0 && fy < ix->dnfy))
        return 0;
    size_t c = (size_t)((uint32_t)fy >> KSHIFT) * ix->ncx + ((uint32_t)fx >> KSHIFT);
    size_t k = 0;
    for (uint32_t i = ix->bucket_off[c]; i < ix->bucket_off[c + 1]; i++) {
        uint32_t s = ix->bucket[i];
        if (contains_copy(ix, s, x, y)) {
            if (k < max)
                out[k] = s;
            k++;
        }
    }
    return k;
}

void wg_gindex_stats(const struct wg_gindex *ix, struct wg_gindex_stats *st)
{
    memset(st, 0, sizeof *st);
    if (!ix)
        return;
    size_t npts = ix->n ? ix->ring_off[ix->shape_off[ix->n]] : 0;
    size_t nrings = ix->n ? ix->shape_off[ix->n] : 0;
    size_t ncoarse = (size_t)ix->ncx * ix->ncy;
    st->bytes = sizeof *ix + npts * 2 * sizeof(double) + (nrings + 1) * 4 + (ix->n + 1) * 4 +
                ix->n * 4 * sizeof(double) + ncoarse * 4 + ix->nblocks * K * K * 4 +
                ix->nrecwords * 4 + (ncoarse + 1) * 4 + ix->nbucket * 4;
    st->cells = ncoarse + ix->nblocks * K * K;
    st->mixed_cells = ix->nrecords;
    st->build_seconds = ix->build_seconds;
}

void wg_gindex_free(struct wg_gindex *ix)
{
    if (!ix)
        return;
    free(ix->pts);
    free(ix->ring_off);
    free(ix->shape_off);
    free(ix->bbox);
    free(ix->coarse);
    free(ix->blocks);
    free(ix->recs);
    free(ix->bucket_off);
    free(ix->bucket);
    free(ix);
}

/* ---- build ---- */

struct band_ent { /* an edge of a shape overlapping a band of rows */
    uint32_t shape, ref;
};

struct row_edge {  /* an edge overlapping one row strip, clipped to it */
    double x0, x1; /* x-range of the edge inside the strip, widened by EPS */
    uint32_t ref;
    uint32_t spans; /* the edge covers the whole strip in y */
};

struct touch { /* a fine cell of the band that a shape's boundary comes near */
    uint32_t cell, shape;
};

struct build {
    struct wg_gindex *ix;
    pthread_mutex_t mu; /* guards appending to ix->blocks and ix->recs */
    size_t cap_blocks, cap_recs;
    uint32_t nbands;
    uint32_t *band_off;
    struct band_ent *band;
    atomic_uint next_band;
};

struct worker {
    struct build *b;
    int too_big; /* a band's blocks or records no longer fit the entries' 31 bits */
    /* one band's output, appended to the index when the band is done */
    uint32_t *crow; /* the band's coarse entries; mixed ones number the band's blocks */
    uint32_t *blocks;
    size_t nblocks, cap_blocks;
    uint32_t *recs;
    size_t nrec, cap_rec, nrecords;
    /* scratch, one band at a time */
    uint32_t *minf, *stamp, *cstart, *clist, *jof;
    struct touch *pairs;
    size_t npairs, cap_pairs;
    size_t cap_clist;
    struct row_edge *el; /* per (shape in band, row) lists */
    size_t nel, cap_el;
    uint32_t *el_off;
    size_t cap_el_off;
    struct row_edge *tmp[K];
    size_t ntmp[K], cap_tmp[K];
    double *xs;
    size_t cap_xs;
};

static void strip_y(const struct wg_gindex *ix, uint32_t row, double *y0, double *y1)
{
    *y0 = ix->oy + row * ix->fh - EPS;
    *y1 = ix->oy + (row + 1) * ix->fh + EPS;
}

static void rows_of(const struct wg_gindex *ix, double ylo, double yhi, long *r0, long *r1)
{
    *r0 = (long)floor((ylo - 2 * EPS - ix->oy) * ix->inv_fh);
    *r1 = (long)floor((yhi + 2 * EPS - ix->oy) * ix->inv_fh);
    if (*r0 < 0)
        *r0 = 0;
    if (*r1 > (long)ix->nfy - 1)
        *r1 = (long)ix->nfy - 1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* One shape's edges in the band: mark the cells its boundary touches, keep its edges per
 * row for the records, and mark the untouched cells its interior covers. */
static void band_shape(struct worker *w, uint32_t band, uint32_t s, const struct band_ent *e,
                       size_t ne, uint32_t j)
{
    const struct wg_gindex *ix = w->b->ix;
    uint32_t row0 = band * K;
    for (int r = 0; r < K; r++)
        w->ntmp[r] = 0;
    for (size_t q = 0; q < ne; q++) {
        const double *p = ix->pts + 2 * (size_t)e[q].ref;
        double ax = p[0], ay = p[1], bx = p[2], by = p[3];
        if (ay > by) {
            double t = ax;
            ax = bx;
            bx = t;
            t = ay;
            ay = by;
            by = t;
        }
        long r0, r1;
        rows_of(ix, ay, by, &r0, &r1);
        if (r0 < (long)row0)
            r0 = row0;
        if (r1 > (long)row0 + K - 1)
            r1 = row0 + K - 1;
        for (long r = r0; r <= r1; r++) {
            double sy0, sy1;
            strip_y(ix, (uint32_t)r, &sy0, &sy1);
            if (by < sy0 || ay > sy1)
                continue;
            double x0, x1;
            if (ay == by) {
                x0 = ax < bx ? ax : bx;
                x1 = ax < bx ? bx : ax;
            } else {
                double ya = ay > sy0 ? ay : sy0, yb = by < sy1 ? by : sy1;
                double xa = ax + (bx - ax) * (ya - ay) / (by - ay);
                double xb = ax + (bx - ax) * (yb - ay) / (by - ay);
                x0 = xa < xb ? xa : xb;
                x1 = xa < xb ? xb : xa;
            }
            x0 -= EPS;
            x1 += EPS;
            long c0 = (long)floor((x0 - 2 * EPS - ix->ox) * ix->inv_fw);
            long c1 = (long)floor((x1 + 2 * EPS - ix->ox) * ix->inv_fw);
            if (c0 < 0)
                c0 = 0;
            if (c1 > (long)ix->nfx - 1)
                c1 = (long)ix->nfx - 1;
            size_t base = (size_t)(r - row0) * ix->nfx;
            for (long c = c0; c <= c1; c++) {
                if (w->stamp[base + c] == s + 1)
                    continue;
                w->stamp[base + c] = s + 1;
                wg_grow(&w->pairs, &w->cap_pairs, w->npairs, sizeof *w->pairs, 64);
                w->pairs[w->npairs++] = (struct touch){(uint32_t)(base + c), s};
            }
            if (ay == by)
                continue; /* horizontal edges never cross; they only touch */
            int lr = (int)(r - row0);
            wg_grow(&w->tmp[lr], &w->cap_tmp[lr], w->ntmp[lr], sizeof(struct row_edge), 64);
            w->tmp[lr][w->ntmp[lr]++] =
                (struct row_edge){x0, x1, e[q].ref, (uint32_t)(ay <= sy0 && by > sy1)};
        }
    }
    /* Per-row lists, kept for the records. */
    wg_grow(&w->el_off, &w->cap_el_off, (size_t)(j + 1) * K, sizeof *w->el_off, 64);
    for (int r = 0; r < K; r++) {
        w->el_off[(size_t)j * K + r] = (uint32_t)w->nel;
        wg_grow(&w->el, &w->cap_el, w->nel + w->ntmp[r], sizeof *w->el, 64);
        if (w->ntmp[r]) /* tmp[r] is NULL until a row first gets an edge */
            memcpy(w->el + w->nel, w->tmp[r], w->ntmp[r] * sizeof *w->el);
        w->nel += w->ntmp[r];
    }
    w->el_off[(size_t)(j + 1) * K] = (uint32_t)w->nel;
    w->jof[s] = j;
    /* Interior: at each row's centre line, the spans between crossings are inside. */
    for (int r = 0; r < K; r++) {
        size_t m = 0;
        double yc = ix->oy + (row0 + r + 0.5) * ix->fh;
        wg_grow(&w->xs, &w->cap_xs, w->ntmp[r], sizeof *w->xs, 64);
        for (size_t q = 0; q < w->ntmp[r]; q++) {
            const double *p = ix->pts + 2 * (size_t)w->tmp[r][q].ref;
            double ax = p[0], ay = p[1], bx = p[2], by = p[3];
            if (ay > by) {
                double t = ax;
                ax = bx;
                bx = t;
                t = ay;
                ay = by;
                by = t;
            }
            if (yc >= ay && yc < by)
                w->xs[m++] = ax + (bx - ax) * (yc - ay) / (by - ay);
        }
        if (m < 2)
            continue;
        qsort(w->xs, m, sizeof *w->xs, cmp_double);
        size_t base = (size_t)r * ix->nfx;
        for (size_t q = 0; q + 1 < m; q += 2) {
            long c0 = (long)ceil((w->xs[q] - ix->ox) * ix->inv_fw - 0.5);
            long c1 = (long)floor((w->xs[q + 1] - ix->ox) * ix->inv_fw - 0.5);
            if (c0 < 0)
                c0 = 0;
            if (c1 > (long)ix->nfx - 1)
                c1 = (long)ix->nfx - 1;
            for (long c = c0; c <= c1; c++)
                if (w->stamp[base + c] != s + 1 && w->minf[base + c] == WG_GINDEX_NONE)
                    w->minf[base + c] = s;
        }
    }
}

/* Writes the mixed record of fine cell (row, col) of the band; returns its offset. */
static size_t make_record(struct worker *w, uint32_t lr, uint32_t col, const uint32_t *cand,
                          uint32_t ncand, uint32_t fallback)
{
    const struct wg_gindex *ix = w->b->ix;
    double cx0 = ix->ox + col * ix->fw - EPS, cx1 = ix->ox + (col + 1) * ix->fw + EPS;
    /* room for the longest record: every candidate and MAXEDGE edges */
    wg_grow(&w->recs, &w->cap_rec, w->nrec + 2 + 2 * (size_t)ncand + MAXEDGE, sizeof *w->recs, 64);
    uint32_t *r = w->recs + w->nrec;
    uint32_t *cd = r + 3;
    uint32_t refs[MAXEDGE];
    uint32_t nedge = 0;
    for (uint32_t c = 0; c < ncand; c++) {
        uint32_t s = cand[c], j = w->jof[s], par = 0, mask = 0, full = 0;
        const struct row_edge *le = w->el + w->el_off[(size_t)j * K + lr];
        const struct row_edge *lend = w->el + w->el_off[(size_t)j * K + lr + 1];
        for (; le < lend && !full; le++) {
            if (le->x1 < cx0)
                continue; /* left of the cell: never crosses */
            if (le->x0 > cx1 && le->spans) {
                par ^= 1; /* right of the cell across the whole strip: always crosses */
                continue;
            }
            const double *p = ix->pts + 2 * (size_t)le->ref;
            uint32_t k;
            for (k = 0; k < nedge; k++) {
                const double *q = ix->pts + 2 * (size_t)refs[k];
                if ((p[0] == q[0] && p[1] == q[1] && p[2] == q[2] && p[3] == q[3]) ||
                    (p[0] == q[2] && p[1] == q[3] && p[2] == q[0] && p[3] == q[1]))
                    break; /* the neighbour's copy of a shared edge */
            }
            if (k == nedge) {
                if (nedge == MAXEDGE) {
                    full = 1;
                    break;
                }
                refs[nedge++] = le->ref;
            }
            mask |= 1u << k;
        }
        cd[2 * c] = s | (full ? C_FULL : par ? C_PAR : 0);
        cd[2 * c + 1] = full ? 0 : mask;
    }
    r[0] = fallback;
    r[1] = ncand;
    r[2] = nedge;
    memcpy(cd + 2 * ncand, refs, nedge * sizeof *refs);
    size_t off = w->nrec;
    w->nrec += 3 + 2 * (size_t)ncand + nedge;
    w->nrecords++;
    return off;
}

/* Appends a finished band's blocks and records to the index, renumbering them; -1 when
 * they no longer fit the entries' 31 bits. The arrays grow by realloc, which for arrays
 * this large remaps pages instead of copying, so the build never holds two copies of the
 * index. */
static int append_band(struct worker *w, uint32_t band)
{
    struct build *b = w->b;
    struct wg_gindex *ix = b->ix;
    int rc = 0;
    pthread_mutex_lock(&b->mu);
    size_t bb = ix->nblocks, rb = ix->nrecwords;
    if (bb + w->nblocks >= MIX / (K * K) || rb + w->nrec >= MIX) {
        rc = -1;
    } else {
        wg_grow(&ix->blocks, &b->cap_blocks, (bb + w->nblocks) * K * K, sizeof *ix->blocks, 64);
        wg_grow(&ix->recs, &b->cap_recs, rb + w->nrec, sizeof *ix->recs, 64);
        if (w->nrec)
            memcpy(ix->recs + rb, w->recs, w->nrec * sizeof *ix->recs);
        uint32_t *dst = ix->blocks + bb * K * K;
        for (size_t i = 0; i < w->nblocks * K * K; i++) {
            uint32_t e = w->blocks[i];
            dst[i] = e & MIX ? MIX | (uint32_t)((e & ~MIX) + rb) : e;
        }
        ix->nblocks += w->nblocks;
        ix->nrecwords += w->nrec;
        ix->nrecords += w->nrecords;
    }
    pthread_mutex_unlock(&b->mu);
    if (rc)
        return rc;
    uint32_t *row = ix->coarse + (size_t)band * ix->ncx;
    for (uint32_t X = 0; X < ix->ncx; X++)
        row[X] = w->crow[X] & MIX ? MIX | (uint32_t)((w->crow[X] & ~MIX) + bb) : w->crow[X];
    return 0;
}

/* Fills one band of coarse rows; -1 when the index outgrows the entries' 31 bits. */
static int do_band(struct worker *w, uint32_t band)
{
    struct build *b = w->b;
    struct wg_gindex *ix = b->ix;
    size_t ncell = (size_t)K * ix->nfx;
    for (size_t i = 0; i < ncell; i++) {
        w->minf[i] = WG_GINDEX_NONE;
        w->stamp[i] = 0;
    }
    w->npairs = 0;
    w->nel = 0;
    w->nblocks = 0;
    w->nrec = 0;
    w->nrecords = 0;
    const struct band_ent *e = b->band + b->band_off[band];
    size_t ne = b->band_off[band + 1] - b->band_off[band];
    uint32_t j = 0;
    for (size_t q = 0; q < ne;) {
        size_t q2 = q;
        while (q2 < ne && e[q2].shape == e[q].shape)
            q2++;
        band_shape(w, band, e[q].shape, e + q, q2 - q, j++);
        q = q2;
    }
    /* Touches grouped by cell, shapes ascending (pairs were made in shape order). */
    memset(w->cstart, 0, (ncell + 1) * sizeof *w->cstart);
    for (size_t i = 0; i < w->npairs; i++)
        w->cstart[w->pairs[i].cell + 1]++;
    for (size_t i = 0; i < ncell; i++)
        w->cstart[i + 1] += w->cstart[i];
    wg_grow(&w->clist, &w->cap_clist, w->npairs, sizeof *w->clist, 64);
    for (size_t i = 0; i < w->npairs; i++)
        w->clist[w->cstart[w->pairs[i].cell]++] = w->pairs[i].shape;
    for (size_t i = ncell; i > 0; i--)
        w->cstart[i] = w->cstart[i - 1];
    w->cstart[0] = 0;

    uint32_t entries[K * K];
    for (uint32_t X = 0; X < ix->ncx; X++) {
        int all_solid = 1;
        for (uint32_t lr = 0; lr < K; lr++) {
            for (uint32_t dc = 0; dc < K; dc++) {
                uint32_t col = X * K + dc;
                size_t cell = (size_t)lr * ix->nfx + col;
                uint32_t f = w->minf[cell];
                const uint32_t *t = w->clist + w->cstart[cell];
                uint32_t nt = w->cstart[cell + 1] - w->cstart[cell], nc = 0;
                while (nc < nt && t[nc] < f)
                    nc++;
                if (nc == 0) {
                    entries[lr * K + dc] = f == WG_GINDEX_NONE ? SOLID_NO : f;
                } else {
                    size_t off = make_record(w, lr, col, t, nc, f);
                    if (off >= MIX)
                        return -1;
                    entries[lr * K + dc] = MIX | (uint32_t)off;
                    all_solid = 0;
                }
            }
        }
        int same = all_solid;
        for (int k = 1; k < K * K && same; k++)
            same = entries[k] == entries[0];
        if (same) {
            w->crow[X] = entries[0];
            continue;
        }
        wg_grow(&w->blocks, &w->cap_blocks, (w->nblocks + 1) * K * K - 1, sizeof *w->blocks, 64);
        memcpy(w->blocks + w->nblocks * K * K, entries, sizeof entries);
        w->crow[X] = MIX | (uint32_t)w->nblocks;
        w->nblocks++;
    }
    return append_band(w, band);
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct build *b = w->b;
    for (;;) {
        uint32_t band = atomic_fetch_add(&b->next_band, 1);
        if (band >= b->nbands)
            break;
        if (do_band(w, band)) {
            w->too_big = 1;
            atomic_store(&b->next_band, b->nbands); /* the others stop too */
            break;
        }
    }
    return NULL;
}

static void worker_release(struct worker *w)
{
    free(w->crow);
    free(w->blocks);
    free(w->recs);
    free(w->minf);
    free(w->stamp);
    free(w->cstart);
    free(w->clist);
    free(w->jof);
    free(w->pairs);
    free(w->el);
    free(w->el_off);
    for (int r = 0; r < K; r++)
        free(w->tmp[r]);
    free(w->xs);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Copies the shapes' geometry into the index. */
static enum wg_rc copy_shapes(struct wg_gindex *ix, const struct wg_shape *shapes, size_t n,
                              struct wg_err *err)
{
    size_t npts = 0, nrings = 0;
    for (size_t i = 0; i < n; i++) {
        npts += shapes[i].npts;
        nrings += shapes[i].nrings;
    }
    if (npts >= UINT32_MAX || nrings >= UINT32_MAX)
        return wg_err_set(err, WG_ETOOBIG, "%zu points in %zu shapes are too many to index", npts,
                          n);
    ix->pts = wg_malloc((npts ? npts : 1) * 2 * sizeof *ix->pts);
    ix->ring_off = wg_malloc((nrings + 1) * sizeof *ix->ring_off);
    ix->shape_off = wg_malloc((n + 1) * sizeof *ix->shape_off);
    ix->bbox = wg_malloc((n ? n : 1) * 4 * sizeof *ix->bbox);
    size_t p = 0, r = 0;
    ix->ring_off[0] = 0;
    for (size_t i = 0; i < n; i++) {
        const struct wg_shape *s = &shapes[i];
        ix->shape_off[i] = (uint32_t)r;
        if (s->npts)
            memcpy(ix->pts + 2 * p, s->xy, (size_t)s->npts * 2 * sizeof *ix->pts);
        for (uint32_t k = 0; k < s->nrings; k++)
            ix->ring_off[r + k + 1] = (uint32_t)(p + s->ring_off[k + 1]);
        double *bb = ix->bbox + 4 * i;
        bb[0] = bb[1] = 1;
        bb[2] = bb[3] = 0; /* empty: contains nothing */
        for (uint32_t k = 0; k < s->npts; k++) {
            double x = s->xy[2 * k], y = s->xy[2 * k + 1];
            if (k == 0 || x < bb[0])
                bb[0] = x;
            if (k == 0 || y < bb[1])
                bb[1] = y;
            if (k == 0 || x > bb[2])
                bb[2] = x;
            if (k == 0 || y > bb[3])
                bb[3] = y;
        }
        for (uint32_t k = 0; k < 2 * s->npts; k++)
            if (!isfinite(s->xy[k]))
                return wg_err_set(err, WG_EINVAL, "shape %zu has a coordinate that is not finite",
                                  i);
        /* wg_shape_contains rejects points outside the stored box before counting; that
         * equals counting only if the box holds every point, which the index assumes. */
        if (s->npts &&
            !(s->minx <= bb[0] && s->miny <= bb[1] && s->maxx >= bb[2] && s->maxy >= bb[3]))
            return wg_err_set(err, WG_EINVAL,
                              "shape %zu has a bounding box that does not hold its points "
                              "(wg_shape_update_bbox was not called)",
                              i);
        p += s->npts;
        r += s->nrings;
    }
    ix->shape_off[n] = (uint32_t)r;
    return WG_OK;
}

/* Picks the fine cell size: about a tenth of the median shape's size, so that most cells
 * lie inside one shape, and larger if the raster or the work to fill it would be huge. */
static void choose_cells(struct wg_gindex *ix, double gx0, double gy0, double gx1, double gy1)
{
    double midlat = (gy0 + gy1) / 2, coslat = cos(midlat * M_PI / 180);
    if (coslat < 0.05)
        coslat = 0.05;
    double *sz = wg_malloc((ix->n ? ix->n : 1) * sizeof *sz);
    size_t m = 0;
    double sdx = 0, sdy = 0, nedge = 0;
    for (size_t i = 0; i < ix->n; i++) {
        const double *bb = ix->bbox + 4 * i;
        if (bb[2] < bb[0])
            continue;
        sz[m++] = sqrt((bb[2] - bb[0]) * coslat * (bb[3] - bb[1]));
        for (uint32_t r = ix->shape_off[i]; r < ix->shape_off[i + 1]; r++) {
            for (uint32_t k = ix->ring_off[r]; k + 1 < ix->ring_off[r + 1]; k++) {
                sdx += fabs(ix->pts[2 * k + 2] - ix->pts[2 * k]);
                sdy += fabs(ix->pts[2 * k + 3] - ix->pts[2 * k + 1]);
                nedge++;
            }
        }
    }
    double f = 0; /* degrees of latitude */
    if (m) {
        qsort(sz, m, sizeof *sz, cmp_double);
        f = sz[m / 2] / CELLS_PER_SHAPE;
    }
    free(sz);
    double span = fmax((gx1 - gx0) * coslat, gy1 - gy0);
    if (!(f > 0))
        f = span > 0 ? span / 64 : 1e-4;
    if (f < 1e-7)
        f = 1e-7;
    for (;;) {
        double fh = f, fw = f / coslat;
        double nfx = floor((gx1 - gx0) / fw) + 1, nfy = floor((gy1 - gy0) / fh) + 1;
        double ncx = ceil(nfx / K), ncy = ceil(nfy / K);
        double touches = sdx / fw + sdy / fh + 2 * nedge;
        if (ncx <= 16384 && ncy <= 16384 && ncx * ncy <= MAX_COARSE && touches <= MAX_TOUCHES) {
            ix->fw = fw;
            ix->fh = fh;
            ix->ncx = (uint32_t)ncx;
            ix->ncy = (uint32_t)ncy;
            break;
        }
        f *= 1.5;
    }
    ix->nfx = ix->ncx * K;
    ix->nfy = ix->ncy * K;
    ix->ox = gx0;
    ix->oy = gy0;
    ix->inv_fw = 1 / ix->fw;
    ix->inv_fh = 1 / ix->fh;
    ix->dnfx = ix->nfx;
    ix->dnfy = ix->nfy;
}

/* Each edge listed in every band of rows it overlaps, shapes in ascending order. */
static enum wg_rc make_bands(struct build *b, struct wg_err *err)
{
    struct wg_gindex *ix = b->ix;
    b->nbands = ix->ncy;
    b->band_off = wg_calloc((size_t)b->nbands + 1, sizeof *b->band_off);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < ix->n; i++) {
            for (uint32_t r = ix->shape_off[i]; r < ix->shape_off[i + 1]; r++) {
                for (uint32_t k = ix->ring_off[r]; k + 1 < ix->ring_off[r + 1]; k++) {
                    double y0 = ix->pts[2 * k + 1], y1 = ix->pts[2 * k + 3];
                    long r0, r1;
                    rows_of(ix, y0 < y1 ? y0 : y1, y0 < y1 ? y1 : y0, &r0, &r1);
                    for (long bd = r0 >> KSHIFT; bd <= r1 >> KSHIFT; bd++) {
                        if (pass == 0)
                            b->band_off[bd + 1]++;
                        else
                            b->band[b->band_off[bd]++] = (struct band_ent){(uint32_t)i, k};
                    }
                }
            }
        }
        if (pass == 0) {
            for (uint32_t bd = 0; bd < b->nbands; bd++)
                b->band_off[bd + 1] += b->band_off[bd];
            if (b->band_off[b->nbands] >= UINT32_MAX)
                return wg_err_set(err, WG_ETOOBIG, "too many edges to index");
            b->band = wg_malloc(((size_t)b->band_off[b->nbands] + 1) * sizeof *b->band);
        } else {
            for (uint32_t bd = b->nbands; bd > 0; bd--)
                b->band_off[bd] = b->band_off[bd - 1];
            b->band_off[0] = 0;
        }
    }
    return WG_OK;
}

/* The coarse cell of a fine-cell coordinate, clamped to the raster. */
static long coarse_of(double f, uint32_t n)
{
    if (!(f >= 0))
        return 0;
    long c = (long)f >> KSHIFT;
    return c > (long)n - 1 ? (long)n - 1 : c;
}

/* Per coarse cell, the shapes whose bounding box meets it (for locate_all). */
static void make_buckets(struct wg_gindex *ix)
{
    size_t ncoarse = (size_t)ix->ncx * ix->ncy;
    ix->bucket_off = wg_calloc(ncoarse + 1, sizeof *ix->bucket_off);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < ix->n; i++) {
            const double *bb = ix->bbox + 4 * i;
            if (bb[2] < bb[0])
                continue;
            long c0 = coarse_of((bb[0] - 2 * EPS - ix->ox) * ix->inv_fw, ix->ncx);
            long c1 = coarse_of((bb[2] + 2 * EPS - ix->ox) * ix->inv_fw, ix->ncx);
            long r0 = coarse_of((bb[1] - 2 * EPS - ix->oy) * ix->inv_fh, ix->ncy);
            long r1 = coarse_of((bb[3] + 2 * EPS - ix->oy) * ix->inv_fh, ix->ncy);
            for (long r = r0; r <= r1; r++) {
                for (long c = c0; c <= c1; c++) {
                    size_t cell = (size_t)r * ix->ncx + c;
                    if (pass == 0)
                        ix->bucket_off[cell + 1]++;
                    else
                        ix->bucket[ix->bucket_off[cell]++] = (uint32_t)i;
                }
            }
        }
        if (pass == 0) {
            for (size_t c = 0; c < ncoarse; c++)
                ix->bucket_off[c + 1] += ix->bucket_off[c];
            ix->nbucket = ix->bucket_off[ncoarse];
            ix->bucket = wg_malloc((ix->nbucket + 1) * sizeof *ix->bucket);
        } else {
            for (size_t c = ncoarse; c > 0; c--)
                ix->bucket_off[c] = ix->bucket_off[c - 1];
            ix->bucket_off[0] = 0;
        }
    }
}

static void worker_init(struct worker *w, struct build *b)
{
    memset(w, 0, sizeof *w);
    w->b = b;
    size_t ncell = (size_t)K * b->ix->nfx;
    w->minf = wg_malloc(ncell * sizeof *w->minf);
    w->stamp = wg_malloc(ncell * sizeof *w->stamp);
    w->cstart = wg_malloc((ncell + 1) * sizeof *w->cstart);
    w->jof = wg_malloc((b->ix->n ? b->ix->n : 1) * sizeof *w->jof);
    w->crow = wg_malloc(((size_t)b->ix->ncx + 1) * sizeof *w->crow);
}

enum wg_rc wg_gindex_build(const struct wg_shape *shapes, size_t n, struct wg_gindex **out,
                           struct wg_err *err)
{
    double t0 = now_seconds();
    *out = NULL;
    if (n >= ID_MASK)
        return wg_err_set(err, WG_ETOOBIG, "%zu shapes are too many to index", n);
    struct wg_gindex *ix = wg_calloc(1, sizeof *ix);
    ix->n = n;
    struct build b = {.ix = ix};
    pthread_mutex_init(&b.mu, NULL);
    struct worker w[2];
    int nw = 0;
    enum wg_rc rc = copy_shapes(ix, shapes, n, err);
    if (rc != WG_OK)
        goto out;

    double gx0 = INFINITY, gy0 = INFINITY, gx1 = -INFINITY, gy1 = -INFINITY;
    size_t nedges = 0;
    for (size_t i = 0; i < n; i++) {
        const double *bb = ix->bbox + 4 * i;
        if (bb[2] < bb[0])
            continue;
        gx0 = fmin(gx0, bb[0]);
        gy0 = fmin(gy0, bb[1]);
        gx1 = fmax(gx1, bb[2]);
        gy1 = fmax(gy1, bb[3]);
        nedges += shapes[i].npts;
    }
    if (gx0 > gx1) { /* nothing to index: every point is in no shape */
        make_buckets(ix);
        goto out;
    }
    choose_cells(ix, gx0, gy0, gx1, gy1);
    ix->coarse = wg_malloc((size_t)ix->ncx * ix->ncy * sizeof *ix->coarse);
    rc = make_bands(&b, err);
    if (rc != WG_OK)
        goto out;

    /* Two threads when there is enough work to pay for one. */
    int want = nedges > 20000 && b.nbands >= 4 ? 2 : 1;
    for (nw = 0; nw < want; nw++)
        worker_init(&w[nw], &b);
    atomic_init(&b.next_band, 0);
    ix->blocks = wg_malloc(K * K * sizeof *ix->blocks);
    ix->recs = wg_malloc(sizeof *ix->recs);
    b.cap_blocks = K * K;
    b.cap_recs = 1;
    pthread_t th;
    int threaded = nw == 2 && pthread_create(&th, NULL, worker_main, &w[1]) == 0;
    worker_main(&w[0]);
    if (threaded)
        pthread_join(th, NULL);
    else if (nw == 2)
        worker_main(&w[1]); /* picks up whatever bands are left */
    for (int t = 0; t < nw; t++)
        if (w[t].too_big)
            rc = wg_err_set(err, WG_ETOOBIG, "%zu shapes need a locate index too large to address",
                            n);
    if (rc == WG_OK) {
        /* Give back the unused tail of the grown arrays. */
        ix->blocks = wg_realloc(ix->blocks, (ix->nblocks * K * K + 1) * sizeof *ix->blocks);
        ix->recs = wg_realloc(ix->recs, (ix->nrecwords + 1) * sizeof *ix->recs);
        make_buckets(ix);
    }

out:
    for (int t = 0; t < nw; t++)
        worker_release(&w[t]);
    if (b.ix)
        pthread_mutex_destroy(&b.mu);
    free(b.band_off);
    free(b.band);
    if (rc != WG_OK) {
        wg_gindex_free(ix);
        return rc;
    }
    ix->build_seconds = now_seconds() - t0;
    *out = ix;
    return WG_OK;
}
