/* Demo and benchmark grids (gridgen.h): county → towns → villages → base grids by nested
 * Voronoi tessellation, then exclusive grids placed inside base grids. Every random choice
 * is drawn from a generator seeded by the input seed and the code of the thing being made,
 * so a village's grids do not depend on what was generated before it. */
#include "domain/map/gridgen.h"
#include "core/rng.h"

#include <math.h>

#include "core/alloc.h"
#include "geo/geos.h"
#include "domain/map/region.h"

/* ---- deterministic randomness ---------------------------------------------------------- */

/* The seed for one named thing: FNV-1a over the code, folded with the run's seed and a
 * purpose tag so that (say) a village's tessellation and its households differ. */
static uint64_t seed_for(uint64_t seed, const char *code, uint64_t purpose)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (const char *p = code; *p; p++)
        h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
    return wg_rng_mix(h ^ wg_rng_mix(seed + WG_RNG_GOLDEN * (purpose + 1)));
}

/* Chained (the state is the last output mixed on), unlike wg_rng_next: the grids already
 * generated from seeds depend on this exact sequence. */
static double unit(uint64_t *state)
{
    *state = wg_rng_mix(*state + WG_RNG_GOLDEN);
    return wg_rng_unit(*state);
}

enum { FOR_TESSELLATE, FOR_PEOPLE, FOR_TIES, FOR_EXCLUSIVE };

/* ---- counts ------------------------------------------------------------------------------- */

static size_t count_villages(const struct wg_gen_input *in)
{
    size_t v = 0;
    for (size_t t = 0; t < in->ntowns; t++)
        v += in->towns[t].nvillages;
    return v;
}

static int all_digits(const char *s, size_t n)
{
    if (strlen(s) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static enum wg_rc check_input(const struct wg_gen_input *in, struct wg_err *err)
{
    size_t nv = count_villages(in);
    if (!in->ntowns || !in->towns)
        return wg_err_set(err, WG_EINVAL, "county '%s' has no towns to generate", in->county);
    for (size_t t = 0; t < in->ntowns; t++) {
        const struct wg_gen_town *tw = &in->towns[t];
        if (!all_digits(tw->code, WG_CODE_LEN_TOWN) ||
            strncmp(tw->code, in->county, WG_CODE_LEN_COUNTY))
            return wg_err_set(err, WG_EINVAL, "town '%s' is not a 9-digit code in county '%s'",
                              tw->code, in->county);
        if (!tw->nvillages || !tw->villages)
            return wg_err_set(err, WG_EINVAL, "town '%s' has no villages", tw->code);
        for (size_t v = 0; v < tw->nvillages; v++)
            if (!all_digits(tw->villages[v].code, WG_CODE_LEN_VILLAGE) ||
                strncmp(tw->villages[v].code, tw->code, WG_CODE_LEN_TOWN))
                return wg_err_set(err, WG_EINVAL,
                                  "village '%s' is not a 12-digit code in town '%s'",
                                  tw->villages[v].code, tw->code);
    }
    if (in->base_total < nv)
        return wg_err_set(err, WG_EINVAL,
                          "%zu base grids cannot give each of the %zu villages of county '%s' one",
                          in->base_total, nv, in->county);
    if (in->exclusive_total > 99 * nv)
        return wg_err_set(err, WG_EINVAL,
                          "%zu exclusive grids do not fit in %zu villages (codes 901-999 each)",
                          in->exclusive_total, nv);
    return WG_OK;
}

struct share {
    size_t idx;
    uint64_t rem; /* remainder of the exact quota, as a numerator over the common total */
    uint64_t tie;
};

static int by_remainder(const void *a, const void *b)
{
    const struct share *x = a, *y = b;
    if (x->rem != y->rem)
        return x->rem > y->rem ? -1 : 1;
    if (x->tie != y->tie)
        return x->tie < y->tie ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Largest remainder: out[i] = floor(total·w[i]/W) plus one for the biggest remainders until
 * the sum is exactly total. Integer arithmetic so equal weights get equal remainders, and
 * the tie-break is the caller's (ties[] or, when NULL, the index). */
static void apportion(size_t total, const uint64_t *w, const uint64_t *ties, size_t n, size_t *out)
{
    uint64_t wsum = 0;
    size_t given = 0;
    struct share *s;
    for (size_t i = 0; i < n; i++)
        wsum += w[i];
    if (!wsum) {
        for (size_t i = 0; i < n; i++)
            out[i] = 0;
        return;
    }
    s = wg_malloc(n * sizeof *s);
    for (size_t i = 0; i < n; i++) {
        uint64_t q = (uint64_t)total * w[i]; /* counts of grids: far from overflowing */
        out[i] = (size_t)(q / wsum);
        s[i].idx = i;
        s[i].rem = q % wsum;
        s[i].tie = ties ? ties[i] : 0;
        given += out[i];
    }
    qsort(s, n, sizeof *s, by_remainder);
    for (size_t k = 0; given < total; k++, given++)
        out[s[k % n].idx]++;
    free(s);
}

enum wg_rc wg_gridgen_split(const struct wg_gen_input *in, size_t *town_base, size_t *village_base,
                            struct wg_err *err)
{
    uint64_t *w;
    size_t vi = 0;
    enum wg_rc rc;
    if ((rc = check_input(in, err)))
        return rc;
    w = wg_malloc(in->ntowns * sizeof *w);
    for (size_t t = 0; t < in->ntowns; t++)
        w[t] = in->towns[t].nvillages;
    apportion(in->base_total, w, NULL, in->ntowns, town_base);
    free(w);
    /* town_base[t] >= nvillages: its exact quota is at least that, as base_total >= all
     * villages, and apportioning never gives less than the floor. */
    for (size_t t = 0; t < in->ntowns; t++) {
        size_t nv = in->towns[t].nvillages, each = town_base[t] / nv, extra = town_base[t] % nv;
        for (size_t v = 0; v < nv; v++)
            village_base[vi++] = each + (v < extra);
    }
    return WG_OK;
}

/* Street (街道) towns have sequence 001-099 in the statistical code: the urban core, where
 * schools, hospitals and markets cluster. */
static int is_street(const char *town_code)
{
    return town_code[6] == '0' && (town_code[7] != '0' || town_code[8] != '0');
}

void wg_gridgen_exclusive_split(const struct wg_gen_input *in, const size_t *village_base,
                                size_t *village_exclusive)
{
    size_t nv = count_villages(in), vi = 0, excess = 0;
    uint64_t *w = wg_calloc(nv ? nv : 1, sizeof *w), *tie = wg_calloc(nv ? nv : 1, sizeof *tie);
    for (size_t t = 0; t < in->ntowns; t++)
        for (size_t v = 0; v < in->towns[t].nvillages; v++, vi++) {
            w[vi] = village_base[vi] * (is_street(in->towns[t].code) ? 3 : 1);
            /* Remainders are mostly equal (villages of a town have equal weights): the seed
             * decides who gets the odd grid, not the order of the input. */
            tie[vi] = seed_for(in->seed, in->towns[t].villages[v].code, FOR_TIES);
        }
    apportion(in->exclusive_total, w, tie, nv, village_exclusive);
    /* Codes stop at 999: move any surplus to villages with room, biggest weight first. */
    for (size_t i = 0; i < nv; i++)
        if (village_exclusive[i] > 99) {
            excess += village_exclusive[i] - 99;
            village_exclusive[i] = 99;
        }
    while (excess) {
        size_t best = nv;
        for (size_t i = 0; i < nv; i++)
            if (village_exclusive[i] < 99 &&
                (best == nv ||
                 w[i] * (village_exclusive[best] + 1) > w[best] * (village_exclusive[i] + 1)))
                best = i;
        if (best == nv)
            break; /* cannot happen: check_input caps the total at 99 a village */
        village_exclusive[best]++;
        excess--;
    }
    free(w);
    free(tie);
}

/* ---- ordering cells ------------------------------------------------------------------------ */

/* Area-weighted centroid in degrees; holes subtract. Planar in degrees is fine here: it only
 * orders cells a few km apart. */
static void centroid(const struct wg_shape *s, double *cx, double *cy)
{
    double a = 0, sx = 0, sy = 0;
    for (uint32_t p = 0; p < s->npolys; p++)
        for (uint32_t r = s->poly_ring[p]; r < s->poly_ring[p + 1]; r++) {
            const double *xy = s->xy + 2 * (size_t)s->ring_off[r];
            uint32_t n = s->ring_off[r + 1] - s->ring_off[r];
            double ra = 0, rx = 0, ry = 0;
            for (uint32_t i = 0; i + 1 < n; i++) {
                double x0 = xy[2 * i] - xy[0], y0 = xy[2 * i + 1] - xy[1];
                double x1 = xy[2 * i + 2] - xy[0], y1 = xy[2 * i + 3] - xy[1];
                double c = x0 * y1 - x1 * y0;
                ra += c;
                rx += (x0 + x1) * c;
                ry += (y0 + y1) * c;
            }
            if (ra == 0)
                continue;
            /* orient every ring by its role: shells count, holes take away */
            double sign = (r == s->poly_ring[p]) == (ra > 0) ? 1 : -1;
            a += sign * ra;
            sx += sign * (rx / 3 + xy[0] * ra);
            sy += sign * (ry / 3 + xy[1] * ra);
        }
    if (a != 0) {
        *cx = sx / a;
        *cy = sy / a;
    } else {
        *cx = (s->minx + s->maxx) / 2;
        *cy = (s->miny + s->maxy) / 2;
    }
}

struct placed {
    size_t idx;
    long row;
    double x;
};

static int by_reading_order(const void *a, const void *b)
{
    const struct placed *p = a, *q = b;
    if (p->row != q->row)
        return p->row < q->row ? -1 : 1;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    return p->idx < q->idx ? -1 : p->idx > q->idx;
}

/* The numbering rule (DB11 layout, SPEC §2): cells are read like a page, north to south in
 * rows, west to east within a row. Rows are equal bands of the parent's height, as many as
 * make a band about as tall as a cell is wide (rows = round(√(k·height/width)) on the
 * ground), and a cell belongs to the band holding its centroid. order[i] is the index of the
 * i-th cell read. */
static void reading_order(const struct wg_shape *parent, const struct wg_shape *cells, size_t k,
                          size_t *order)
{
    struct placed *p = wg_malloc(k * sizeof *p);
    double mx, my, wm, hm, rows;
    wg_geo_m_per_deg((parent->miny + parent->maxy) / 2, &mx, &my);
    wm = (parent->maxx - parent->minx) * mx;
    hm = (parent->maxy - parent->miny) * my;
    rows = wm > 0 ? round(sqrt((double)k * hm / wm)) : (double)k;
    rows = fmax(1, fmin(rows, (double)k));
    for (size_t i = 0; i < k; i++) {
        double cx, cy, f;
        centroid(&cells[i], &cx, &cy);
        f = hm > 0 ? (parent->maxy - cy) / (parent->maxy - parent->miny) * rows : 0;
        p[i].idx = i;
        p[i].row = (long)fmin(fmax(floor(f), 0), rows - 1);
        p[i].x = cx;
    }
    qsort(p, k, sizeof *p, by_reading_order);
    for (size_t i = 0; i < k; i++)
        order[i] = p[i].idx;
    free(p);
}

/* Members (towns of a county, villages of a town) are matched to cells by sorting both:
 * members by code, cells in reading order. idx[i] = the member that gets the i-th cell. */
struct coded {
    size_t idx;
    const char *code;
};

static int by_code(const void *a, const void *b)
{
    const struct coded *x = a, *y = b;
    return strcmp(x->code, y->code);
}

/* Tessellates parent into k cells and hands them out: cell i goes to *dst[order-matched]. */
static enum wg_rc split_among(const struct wg_shape *parent, size_t k, uint64_t seed,
                              const char *const *codes, struct wg_shape *const *dst,
                              struct wg_err *err)
{
    struct wg_shape *cells = wg_calloc(k, sizeof *cells);
    size_t *order = wg_malloc(k * sizeof *order);
    struct coded *members = wg_malloc(k * sizeof *members);
    enum wg_rc rc;
    if ((rc = wg_geos_tessellate(parent, k, seed, cells, err)))
        goto out;
    reading_order(parent, cells, k, order);
    for (size_t i = 0; i < k; i++) {
        members[i].idx = i;
        members[i].code = codes[i];
    }
    qsort(members, k, sizeof *members, by_code);
    for (size_t i = 0; i < k; i++) {
        *dst[members[i].idx] = cells[order[i]]; /* moves the cell */
        wg_shape_init(&cells[order[i]]);
    }
out:
    for (size_t i = 0; i < k; i++)
        wg_shape_release(&cells[i]);
    free(cells);
    free(order);
    free(members);
    return rc;
}

/* ---- names --------------------------------------------------------------------------------- */

/* The short name people use: "西关社区居民委员会" → "西关社区", "张庄村民委员会" → "张庄村",
 * "竹园村村民委员会" → "竹园村". */
static void short_name(const char *name, char *out, size_t cap)
{
    static const struct {
        const char *suffix, *repl;
    } rules[] = {
        {"社区居民委员会", "社区"}, {"社区居委会", "社区"}, {"居民委员会", "社区"},
        {"村民委员会", "村"},       {"村委会", "村"},       {"居委会", "社区"},
    };
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        size_t sl = strlen(rules[i].suffix);
        if (n > sl && !strcmp(name + n - sl, rules[i].suffix)) {
            size_t stem = n - sl, rl = strlen(rules[i].repl);
            /* "竹园村" + "村民委员会": the stem already ends in 村; do not add another */
            int has = stem >= rl && !memcmp(name + stem - rl, rules[i].repl, rl);
            snprintf(out, cap, "%.*s%s", (int)stem, name, has ? "" : rules[i].repl);
            return;
        }
    }
    snprintf(out, cap, "%s", name);
}

/* "<village><suffix>" in cap bytes, cutting the village name (never the suffix) at a UTF-8
 * character boundary when it does not fit. */
static void grid_name(char *out, size_t cap, const char *village, const char *suffix)
{
    size_t sl = strlen(suffix), vl = strlen(village);
    if (vl + sl + 1 > cap) {
        vl = cap > sl + 1 ? cap - sl - 1 : 0;
        while (vl > 0 && ((unsigned char)village[vl] & 0xc0) == 0x80)
            vl--;
    }
    snprintf(out, cap, "%.*s%s", (int)vl, village, suffix);
}

/* ---- generation ---------------------------------------------------------------------------- */

static const struct {
    const char *subtype, *label;
    double area_m2;
} kinds[] = {
    {"school", "学校", 20000}, {"hospital", "医院", 15000},   {"market", "市场", 8000},
    {"park", "公园", 40000},   {"enterprise", "企业", 30000},
};
enum { NKINDS = sizeof kinds / sizeof kinds[0] };

static void people(struct wg_gen_grid *g, uint64_t seed)
{
    uint64_t r = seed_for(seed, g->code, FOR_PEOPLE);
    g->households = 250 + (int)(unit(&r) * 251);
    g->population = (int)lround(g->households * (2.4 + 0.9 * unit(&r)));
}

static enum wg_rc make_base(const struct wg_gen_input *in, const struct wg_gen_village *v,
                            const struct wg_shape *vshape, size_t k, struct wg_gen_grid *grids,
                            struct wg_err *err)
{
    struct wg_shape *cells = wg_calloc(k, sizeof *cells);
    size_t *order = wg_malloc(k * sizeof *order);
    char vname[96];
    enum wg_rc rc;
    if ((rc = wg_geos_tessellate(vshape, k, seed_for(in->seed, v->code, FOR_TESSELLATE), cells,
                                 err))) {
        wg_err_prefix(err, "village '%s'", v->code);
        goto out;
    }
    reading_order(vshape, cells, k, order);
    short_name(v->name, vname, sizeof vname);
    for (size_t i = 0; i < k; i++) {
        struct wg_gen_grid *g = &grids[i];
        char suffix[32];
        snprintf(g->code, sizeof g->code, "%s%03zu", v->code, i + 1);
        snprintf(suffix, sizeof suffix, "第%zu网格", i + 1);
        grid_name(g->name, sizeof g->name, vname, suffix);
        g->kind = WG_GRID_BASE;
        g->subtype[0] = 0;
        g->shape = cells[order[i]];
        wg_shape_init(&cells[order[i]]);
        people(g, in->seed);
    }
out:
    for (size_t i = 0; i < k; i++)
        wg_shape_release(&cells[i]);
    free(cells);
    free(order);
    return rc;
}

/* Exclusive grids of one village, placed in its base grids. *kind_at cycles through the
 * subtypes across the whole county so every village does not start with a school. */
static enum wg_rc make_exclusive(const struct wg_gen_input *in, const struct wg_gen_village *v,
                                 const struct wg_gen_grid *base, size_t nbase, size_t k,
                                 size_t *kind_at, struct wg_gen_grid *grids, struct wg_err *err)
{
    char vname[96];
    int seen[NKINDS] = {0};
    short_name(v->name, vname, sizeof vname);
    for (size_t i = 0; i < k; i++) {
        struct wg_gen_grid *g = &grids[i];
        size_t kind = (*kind_at)++ % NKINDS;
        char suffix[48];
        uint64_t r;
        const struct wg_gen_grid *host;
        double area, host_area;
        enum wg_rc rc;
        snprintf(g->code, sizeof g->code, "%s%03zu", v->code, 901 + i);
        if (++seen[kind] > 1)
            snprintf(suffix, sizeof suffix, "专属网格(%s%d)", kinds[kind].label, seen[kind]);
        else
            snprintf(suffix, sizeof suffix, "专属网格(%s)", kinds[kind].label);
        grid_name(g->name, sizeof g->name, vname, suffix);
        g->kind = WG_GRID_EXCLUSIVE;
        snprintf(g->subtype, sizeof g->subtype, "%s", kinds[kind].subtype);
        g->households = 0; /* a school or a market is staffed, not lived in */
        g->population = 0;
        r = seed_for(in->seed, g->code, FOR_EXCLUSIVE);
        /* A school and a market of one village may not sit on top of each other: another
         * host and spot are drawn while the new one overlaps an earlier one (a few tries,
         * then an overlap is accepted: exclusive grids may overlay anything by the rules). */
        for (int attempt = 0; attempt < 8; attempt++) {
            int clash = 0;
            host = &base[(size_t)(unit(&r) * (double)nbase) % nbase];
            host_area = wg_shape_area_m2(&host->shape);
            /* ±20% around the typical size, but never more than a third of the host grid */
            area = fmin(kinds[kind].area_m2 * (0.8 + 0.4 * unit(&r)), host_area / 3);
            if ((rc = wg_geos_place_inside(&host->shape, area, wg_rng_mix(r), &g->shape, err))) {
                wg_err_prefix(err, "exclusive grid '%s' in '%s'", g->code, host->code);
                return rc;
            }
            for (size_t j = 0; j < i && !clash; j++)
                clash = wg_geos_overlap_m2(&g->shape, &grids[j].shape) > 0;
            if (!clash)
                break;
            if (attempt < 7)
                wg_shape_release(&g->shape);
        }
    }
    return WG_OK;
}

void wg_gridgen_output_release(struct wg_gen_output *out)
{
    if (!out)
        return;
    if (out->towns)
        for (size_t i = 0; i < out->ntowns; i++)
            wg_shape_release(&out->towns[i].shape);
    if (out->villages)
        for (size_t i = 0; i < out->nvillages; i++)
            wg_shape_release(&out->villages[i].shape);
    if (out->grids)
        for (size_t i = 0; i < out->ngrids; i++)
            wg_shape_release(&out->grids[i].shape);
    free(out->towns);
    free(out->villages);
    free(out->grids);
    memset(out, 0, sizeof *out);
}

enum wg_rc wg_gridgen_county(const struct wg_gen_input *in, struct wg_gen_output *out,
                             struct wg_err *err)
{
    size_t nv = count_villages(in), nt = in->ntowns;
    size_t ngrids = in->base_total + in->exclusive_total, vfirst = 0, gi = 0, kind_at = 0;
    size_t *town_base = NULL, *village_base = NULL, *village_excl = NULL, *grid_first = NULL;
    const char **codes = NULL;
    struct wg_shape **dst = NULL;
    enum wg_rc rc;
    memset(out, 0, sizeof *out);
    if ((rc = check_input(in, err)))
        return rc;
    if (!in->boundary || !in->boundary->npolys)
        return wg_err_set(err, WG_EINVAL, "county '%s' has no boundary", in->county);
    town_base = wg_malloc(nt * sizeof *town_base);
    village_base = wg_malloc(nv * sizeof *village_base);
    village_excl = wg_malloc(nv * sizeof *village_excl);
    grid_first = wg_malloc((nv + 1) * sizeof *grid_first);
    codes = wg_calloc(nt > nv ? nt : nv, sizeof *codes);
    dst = wg_calloc(nt > nv ? nt : nv, sizeof *dst);
    out->towns = wg_calloc(nt, sizeof *out->towns);
    out->villages = wg_calloc(nv, sizeof *out->villages);
    out->grids = wg_calloc(ngrids ? ngrids : 1, sizeof *out->grids);
    /* all counted up front: shapes not made yet are zeroed, so releasing them is a no-op */
    out->ntowns = nt;
    out->nvillages = nv;
    out->ngrids = ngrids;
    if ((rc = wg_gridgen_split(in, town_base, village_base, err)))
        goto out;
    wg_gridgen_exclusive_split(in, village_base, village_excl);

    for (size_t t = 0; t < nt; t++) {
        snprintf(out->towns[t].code, sizeof out->towns[t].code, "%s", in->towns[t].code);
        codes[t] = in->towns[t].code;
        dst[t] = &out->towns[t].shape;
    }
    if ((rc = split_among(in->boundary, nt, seed_for(in->seed, in->county, FOR_TESSELLATE), codes,
                          dst, err))) {
        wg_err_prefix(err, "county '%s'", in->county);
        goto out;
    }

    for (size_t t = 0; t < nt; t++) {
        const struct wg_gen_town *tw = &in->towns[t];
        for (size_t v = 0; v < tw->nvillages; v++) {
            struct wg_gen_area *va = &out->villages[vfirst + v];
            snprintf(va->code, sizeof va->code, "%s", tw->villages[v].code);
            codes[v] = tw->villages[v].code;
            dst[v] = &va->shape;
        }
        if ((rc = split_among(&out->towns[t].shape, tw->nvillages,
                              seed_for(in->seed, tw->code, FOR_TESSELLATE), codes, dst, err))) {
            wg_err_prefix(err, "town '%s'", tw->code);
            goto out;
        }
        for (size_t v = 0; v < tw->nvillages; v++, vfirst++) {
            grid_first[vfirst] = gi;
            if ((rc = make_base(in, &tw->villages[v], &out->villages[vfirst].shape,
                                village_base[vfirst], out->grids + gi, err)))
                goto out;
            gi += village_base[vfirst];
        }
    }
    grid_first[nv] = gi;

    vfirst = 0;
    for (size_t t = 0; t < nt; t++)
        for (size_t v = 0; v < in->towns[t].nvillages; v++, vfirst++) {
            size_t k = village_excl[vfirst];
            if (!k)
                continue;
            if ((rc = make_exclusive(in, &in->towns[t].villages[v], out->grids + grid_first[vfirst],
                                     village_base[vfirst], k, &kind_at, out->grids + gi, err)))
                goto out;
            gi += k;
        }
out:
    free(town_base);
    free(village_base);
    free(village_excl);
    free(grid_first);
    free(codes);
    free(dst);
    if (rc)
        wg_gridgen_output_release(out);
    return rc;
}
