/* Grid generation: the base-grid split (table-driven, no geometry), the exclusive split, and
 * a small synthetic county end to end: counts, codes, names, people, every grid inside its
 * village, villages covered, exclusive grids inside a base grid, the same output twice. */
#include "domain/map/gridgen.h"

#include <math.h>

#include "geo/geos.h"
#include "t.h"

static const struct wg_gen_village street_villages[] = {
    {"371302001001", "西关社区居民委员会"},
    {"371302001002", "东关社区居委会"},
};
static const struct wg_gen_village town_villages[] = {
    {"371302100201", "张庄村民委员会"},
    {"371302100202", "李家村委会"},
    {"371302100203", "王家峪"},
};
static const struct wg_gen_town towns[] = {
    {"371302001", "兰山街道", 2, street_villages},
    {"371302100", "半程镇", 3, town_villages},
};

/* About 9 km by 7 km near 35°N with a notch, so some cells wrap a concave corner. */
static void county_shape(struct wg_shape *s)
{
    double xy[] = {118.30, 35.00,  118.40, 35.00,  118.40, 35.06,  118.36, 35.06,  118.36,
                   35.04,  118.33, 35.04,  118.33, 35.06,  118.30, 35.06,  118.30, 35.00};
    wg_shape_init(s);
    wg_shape_begin_polygon(s);
    wg_shape_add_ring(s, xy, 9);
    wg_shape_update_bbox(s);
}

static struct wg_gen_input input(const struct wg_shape *boundary)
{
    struct wg_gen_input in;
    memset(&in, 0, sizeof in);
    snprintf(in.county, sizeof in.county, "371302");
    in.boundary = boundary;
    in.ntowns = 2;
    in.towns = towns;
    in.base_total = 23;
    in.exclusive_total = 4;
    in.seed = 2024;
    return in;
}

static void test_split_table(void)
{
    static const struct wg_gen_village vs[12] = {
        {"371302001001", "a"}, {"371302001002", "b"}, {"371302001003", "c"}, {"371302001004", "d"},
        {"371302001005", "e"}, {"371302001006", "f"}, {"371302001007", "g"}, {"371302001008", "h"},
        {"371302001009", "i"}, {"371302001010", "j"}, {"371302001011", "k"}, {"371302001012", "l"},
    };
    static const struct {
        size_t ntowns, nv[3], base;
        size_t want_town[3];
        size_t want_village[12];
    } cases[] = {
        /* 23·2/5 = 9.2, 23·3/5 = 13.8: the larger remainder takes the odd grid */
        {2, {2, 3}, 23, {9, 14}, {5, 4, 5, 5, 4}},
        /* equal remainders go to the earlier town */
        {3, {1, 1, 1}, 10, {4, 3, 3}, {4, 3, 3}},
        /* exactly one a village */
        {3, {4, 4, 4}, 12, {4, 4, 4}, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
        {2, {1, 5}, 7, {1, 6}, {1, 2, 1, 1, 1, 1}},
        {1, {3}, 3000, {3000}, {1000, 1000, 1000}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        struct wg_gen_town ts[3];
        struct wg_gen_input in;
        size_t tb[3], vb[12], off = 0, nv = 0;
        struct wg_err err = {0};
        memset(&in, 0, sizeof in);
        snprintf(in.county, sizeof in.county, "371302");
        for (size_t t = 0; t < cases[c].ntowns; t++) {
            snprintf(ts[t].code, sizeof ts[t].code, "371302001");
            ts[t].nvillages = cases[c].nv[t];
            ts[t].villages = vs + off;
            off += cases[c].nv[t];
        }
        nv = off;
        in.ntowns = cases[c].ntowns;
        in.towns = ts;
        in.base_total = cases[c].base;
        T_EQ_INT(wg_gridgen_split(&in, tb, vb, &err), WG_OK);
        for (size_t t = 0; t < cases[c].ntowns; t++)
            T_EQ_INT(tb[t], cases[c].want_town[t]);
        for (size_t v = 0; v < nv; v++)
            T_EQ_INT(vb[v], cases[c].want_village[v]);
    }
}

static void test_split_errors(void)
{
    struct wg_shape b;
    struct wg_gen_input in;
    size_t tb[2], vb[5];
    struct wg_err err = {0};
    struct wg_gen_town bad[2];
    county_shape(&b);
    in = input(&b);
    in.base_total = 4;
    T_EQ_INT(wg_gridgen_split(&in, tb, vb, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "5 villages") != NULL);
    in = input(&b);
    memcpy(bad, towns, sizeof bad);
    snprintf(bad[1].code, sizeof bad[1].code, "371303100"); /* another county */
    in.towns = bad;
    T_EQ_INT(wg_gridgen_split(&in, tb, vb, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "371303100") != NULL);
    in = input(&b);
    in.exclusive_total = 5 * 99 + 1;
    T_EQ_INT(wg_gridgen_split(&in, tb, vb, &err), WG_EINVAL);
    wg_shape_release(&b);
}

static void test_exclusive_split(void)
{
    struct wg_shape b;
    struct wg_gen_input in;
    size_t tb[2], vb[5], ex[5], sum = 0;
    struct wg_err err = {0};
    county_shape(&b);
    in = input(&b);
    T_EQ_INT(wg_gridgen_split(&in, tb, vb, &err), WG_OK);
    wg_gridgen_exclusive_split(&in, vb, ex);
    for (size_t v = 0; v < 5; v++)
        sum += ex[v];
    T_EQ_INT(sum, 4);
    /* street villages weigh three times as much: 15 and 12 of 41 → one each at least */
    T_CHECK(ex[0] >= 1 && ex[1] >= 1);
    /* a lot of them: capped at 99 a village, the rest moved on */
    in.exclusive_total = 450;
    wg_gridgen_exclusive_split(&in, vb, ex);
    sum = 0;
    for (size_t v = 0; v < 5; v++) {
        T_CHECK(ex[v] <= 99);
        sum += ex[v];
    }
    T_EQ_INT(sum, 450);
    wg_shape_release(&b);
}

static int seq_of(const char *code)
{
    return (int)strtol(code + 12, NULL, 10);
}

static void bbox_center(const struct wg_shape *s, double *x, double *y)
{
    *x = (s->minx + s->maxx) / 2;
    *y = (s->miny + s->maxy) / 2;
}

static void test_county(void)
{
    static const size_t want_base[5] = {5, 4, 5, 5, 4};
    struct wg_shape b;
    struct wg_gen_input in;
    struct wg_gen_output out, again;
    struct wg_err err = {0};
    size_t gi = 0, nexcl = 0;
    county_shape(&b);
    in = input(&b);
    T_EQ_INT(wg_gridgen_county(&in, &out, &err), WG_OK);
    if (err.msg[0])
        fprintf(stderr, "%s\n", err.msg);
    T_EQ_INT(out.ntowns, 2);
    T_EQ_INT(out.nvillages, 5);
    T_EQ_INT(out.ngrids, 27);

    /* towns partition the county, villages their town */
    {
        struct wg_shape ts[2] = {out.towns[0].shape, out.towns[1].shape};
        T_EQ_STR(out.towns[0].code, "371302001");
        T_CHECK(wg_geos_gap_m2(&b, ts, 2) < 1);
        T_CHECK(wg_geos_overlap_m2(&ts[0], &ts[1]) < 1);
    }
    for (size_t v = 0, first = 0; v < 5; v++) {
        const struct wg_gen_area *va = &out.villages[v];
        const struct wg_gen_area *town = &out.towns[v < 2 ? 0 : 1];
        struct wg_shape cells[5];
        T_EQ_INT(strlen(va->code), 12);
        T_CHECK(!strncmp(va->code, town->code, 9));
        T_CHECK(wg_geos_outside_m2(&va->shape, &town->shape) < 1);
        T_EQ_INT(wg_geos_check_valid(&va->shape, &err), WG_OK);
        /* its base grids: contiguous, numbered 001.., inside, covering */
        for (size_t k = 0; k < want_base[v]; k++) {
            const struct wg_gen_grid *g = &out.grids[first + k];
            char want_code[16], want_seq[4];
            snprintf(want_code, sizeof want_code, "%.12s", va->code);
            snprintf(want_seq, sizeof want_seq, "%03zu", k + 1);
            T_EQ_INT(g->kind, WG_GRID_BASE);
            T_EQ_INT(strlen(g->code), 15);
            T_CHECK(!strncmp(g->code, want_code, 12));
            T_EQ_STR(g->code + 12, want_seq);
            T_CHECK(g->name[0] != 0);
            T_EQ_STR(g->subtype, "");
            T_CHECK(g->households >= 250 && g->households <= 500);
            T_CHECK(g->population >= 2.4 * g->households - 1 &&
                    g->population <= 3.3 * g->households + 1);
            T_CHECK(wg_geos_outside_m2(&g->shape, &va->shape) < 1);
            T_EQ_INT(wg_geos_check_valid(&g->shape, &err), WG_OK);
            cells[k] = g->shape;
        }
        T_CHECK(wg_geos_gap_m2(&va->shape, cells, want_base[v]) < 1);
        for (size_t i = 0; i < want_base[v]; i++)
            for (size_t j = i + 1; j < want_base[v]; j++)
                T_CHECK(wg_geos_overlap_m2(&cells[i], &cells[j]) < 1);
        /* reading order: the first grid is north of, or level with and west of, the last */
        {
            double x0, y0, x1, y1;
            bbox_center(&cells[0], &x0, &y0);
            bbox_center(&cells[want_base[v] - 1], &x1, &y1);
            T_CHECK(y0 > y1 || x0 < x1);
        }
        first += want_base[v];
        gi = first;
    }
    T_EQ_STR(out.grids[0].name, "西关社区第1网格");
    T_EQ_STR(out.grids[5].name, "东关社区第1网格");
    T_EQ_STR(out.grids[9].name, "张庄村第1网格");
    T_EQ_STR(out.grids[14].name, "李家村第1网格");
    T_EQ_STR(out.grids[22].name, "王家峪第4网格");

    /* exclusive grids: after the base grids, 901.. in their village, inside one base grid */
    for (; gi < out.ngrids; gi++) {
        const struct wg_gen_grid *g = &out.grids[gi];
        int hosted = 0, seq = seq_of(g->code);
        T_EQ_INT(g->kind, WG_GRID_EXCLUSIVE);
        T_EQ_INT(strlen(g->code), 15);
        T_CHECK(seq >= 901 && seq <= 999);
        T_CHECK(g->subtype[0] != 0);
        T_CHECK(strstr(g->name, "专属网格(") != NULL);
        for (size_t k = 0; k < 23; k++)
            if (!strncmp(out.grids[k].code, g->code, 12) &&
                wg_geos_outside_m2(&g->shape, &out.grids[k].shape) < 1e-3)
                hosted = 1;
        T_CHECK(hosted);
        T_CHECK(wg_shape_area_m2(&g->shape) > 100);
        nexcl++;
    }
    T_EQ_INT(nexcl, 4);
    T_EQ_STR(out.grids[23].subtype, "school");
    T_EQ_STR(out.grids[24].subtype, "hospital");

    /* the same seed gives the same county, byte for byte */
    T_EQ_INT(wg_gridgen_county(&in, &again, &err), WG_OK);
    int same = again.ngrids == out.ngrids;
    for (size_t i = 0; same && i < out.ngrids; i++)
        same = !strcmp(out.grids[i].code, again.grids[i].code) &&
               !strcmp(out.grids[i].name, again.grids[i].name) &&
               out.grids[i].shape.npts == again.grids[i].shape.npts &&
               !memcmp(out.grids[i].shape.xy, again.grids[i].shape.xy,
                       2 * (size_t)out.grids[i].shape.npts * sizeof(double));
    T_CHECK(same);
    wg_gridgen_output_release(&again);
    wg_gridgen_output_release(&out);
    wg_gridgen_output_release(&out); /* released output is empty: a second release is a no-op */
    wg_shape_release(&b);
}

/* Many exclusive grids in few villages: they avoid each other and number up from 901. */
static void test_crowded_exclusive(void)
{
    struct wg_shape b;
    struct wg_gen_input in;
    struct wg_gen_output out;
    struct wg_err err = {0};
    int overlaps = 0, numbered = 1;
    county_shape(&b);
    in = input(&b);
    in.exclusive_total = 20;
    T_EQ_INT(wg_gridgen_county(&in, &out, &err), WG_OK);
    T_EQ_INT(out.ngrids, 43);
    for (size_t i = 23; i < out.ngrids; i++) {
        const struct wg_gen_grid *g = &out.grids[i];
        if (i > 23 && !strncmp(g->code, out.grids[i - 1].code, 12))
            numbered &= seq_of(g->code) == seq_of(out.grids[i - 1].code) + 1;
        else
            numbered &= seq_of(g->code) == 901;
        for (size_t j = 23; j < i; j++)
            if (!strncmp(g->code, out.grids[j].code, 12))
                overlaps += wg_geos_overlap_m2(&g->shape, &out.grids[j].shape) > 0;
    }
    T_CHECK(numbered);
    T_EQ_INT(overlaps, 0);
    wg_gridgen_output_release(&out);
    wg_shape_release(&b);
}

/* A village whose name already ends in 村 before 村民委员会 is not called 竹园村村. */
static void test_names_keep_one_suffix(void)
{
    static const struct wg_gen_village v[] = {{"371302110228", "竹园村村民委员会"},
                                              {"371302110229", "小岭社区社区居民委员会"}};
    static const struct wg_gen_town t[] = {{"371302110", "汪沟镇", 2, v}};
    struct wg_shape b;
    struct wg_gen_input in;
    struct wg_gen_output out;
    struct wg_err err = {0};
    county_shape(&b);
    in = input(&b);
    in.ntowns = 1;
    in.towns = t;
    in.base_total = 2;
    in.exclusive_total = 0;
    T_EQ_INT(wg_gridgen_county(&in, &out, &err), WG_OK);
    T_EQ_INT(out.ngrids, 2);
    T_EQ_STR(out.grids[0].name, "竹园村第1网格");
    T_EQ_STR(out.grids[1].name, "小岭社区第1网格");
    wg_gridgen_output_release(&out);
    wg_shape_release(&b);
}

int main(void)
{
    test_names_keep_one_suffix();
    test_split_table();
    test_split_errors();
    test_exclusive_split();
    test_county();
    test_crowded_exclusive();
    return T_DONE("gridgen");
}
