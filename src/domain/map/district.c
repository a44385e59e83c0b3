/* Generated districts: store regions → gridgen input → boundaries and grids in the store. */
#include "domain/map/district.h"

#include "core/alloc.h"
#include "core/assert.h"
#include "core/buf.h"
#include "domain/map/countymap.h"
#include "domain/map/gridgen.h"
#include "domain/map/npmsrc.h"
#include "geo/geos.h"
#include "store/map/map_q.h"

struct towns {
    size_t n, cap;
    struct wg_gen_town *v;
    size_t nvillages, vcap;
    struct wg_gen_village *villages;
    struct wg_err *err;
    enum wg_rc rc;
};

static int on_town(const struct wg_region_row *r, void *ctx)
{
    struct towns *t = ctx;
    wg_grow(&t->v, &t->cap, t->n, sizeof *t->v, 32);
    memset(&t->v[t->n], 0, sizeof t->v[t->n]);
    snprintf(t->v[t->n].code, sizeof t->v[t->n].code, "%s", r->code);
    snprintf(t->v[t->n].name, sizeof t->v[t->n].name, "%s", r->name);
    t->n++;
    return 0;
}

static int on_village(const struct wg_region_row *r, void *ctx)
{
    struct towns *t = ctx;
    wg_grow(&t->villages, &t->vcap, t->nvillages, sizeof *t->villages, 256);
    snprintf(t->villages[t->nvillages].code, sizeof t->villages[0].code, "%s", r->code);
    snprintf(t->villages[t->nvillages].name, sizeof t->villages[0].name, "%s", r->name);
    t->nvillages++;
    return 0;
}

struct county_shape {
    struct wg_shape shape;
    int found;
    struct wg_err *err;
    enum wg_rc rc;
};

static int on_county(const char *code, const char *name, const struct wg_shape *s, void *ctx)
{
    struct county_shape *c = ctx;
    int repaired;
    (void)code;
    (void)name;
    /* public outlines often self-touch; the county keeps the repaired, valid boundary its
     * towns are cut from, so containment and gap checks measure against the same shape */
    c->rc = wg_geos_make_valid(s, &c->shape, &repaired, c->err);
    c->found = 1;
    return 1;
}

static enum wg_rc put_boundary(struct wg_db *db, const char *code, const struct wg_shape *s,
                               struct wg_err *err)
{
    json_t *g = wg_shape_to_geojson(s);
    char *text = json_dumps(g, JSON_COMPACT);
    enum wg_rc rc;
    json_decref(g);
    WG_ASSERT(text); /* numbers only: nothing for jansson to refuse (alloc.h) */
    rc = wg_store_region_set_boundary(db, code, text, err);
    free(text);
    return rc;
}

/* Grids as a FeatureCollection in the import format; NULL when over the size cap of a
 * string builder. */
static char *grids_geojson(const struct wg_gen_output *out, size_t *len)
{
    static const char *kinds[] = {"base", "exclusive", "micro"};
    struct wg_buf b;
    wg_buf_init(&b, 0);
    wg_buf_adds(&b, "{\"type\":\"FeatureCollection\",\"features\":[");
    for (size_t i = 0; i < out->ngrids; i++) {
        const struct wg_gen_grid *g = &out->grids[i];
        json_t *f =
            json_pack("{s:s,s:{s:s,s:s,s:s,s:i,s:i},s:o}", "type", "Feature", "properties", "code",
                      g->code, "name", g->name, "kind", kinds[g->kind], "households", g->households,
                      "population", g->population, "geometry", wg_shape_to_geojson(&g->shape));
        char *s;
        if (!f)
            continue;
        if (g->subtype[0])
            json_object_set_new(json_object_get(f, "properties"), "subtype",
                                json_string(g->subtype));
        s = json_dumps(f, JSON_COMPACT);
        json_decref(f);
        WG_ASSERT(s); /* json_pack checked the strings: nothing left to refuse (alloc.h) */
        wg_buf_addf(&b, "%s%s", i ? ",\n" : "\n", s);
        free(s);
    }
    wg_buf_adds(&b, "]}\n");
    if (wg_buf_rc(&b)) {
        wg_buf_release(&b);
        return NULL;
    }
    return wg_buf_detach(&b, len);
}

enum wg_rc wg_district_generate(struct wg_db *db, const struct wg_district_opts *o,
                                struct wg_import_report *rep, struct wg_err *err)
{
    struct towns t = {0};
    struct county_shape cs = {0};
    struct wg_gen_input in;
    struct wg_gen_output out = {0};
    struct wg_region_row county;
    char pkg[4096];
    char *text = NULL;
    size_t len, vi = 0;
    enum wg_rc rc;
    memset(rep, 0, sizeof *rep);
    t.err = err;
    cs.err = err;
    wg_shape_init(&cs.shape);
    if ((rc = wg_store_region_get(db, o->county, &county, err)))
        goto out;
    if (strcmp(county.level, "county")) {
        rc = wg_err_set(err, WG_EINVAL, "'%s' is a %s, not a county", o->county, county.level);
        goto out;
    }
    if ((rc = wg_store_region_children(db, o->county, on_town, &t, err)) || (rc = t.rc))
        goto out;
    if (!t.n) {
        rc = wg_err_set(err, WG_EINVAL,
                        "county '%s' has no towns in the store; run 'wangge "
                        "import divisions --county %s' first",
                        o->county, o->county);
        goto out;
    }
    /* villages town by town, kept contiguous so each town can point into the array */
    size_t *first = wg_calloc(t.n + 1, sizeof *first);
    for (size_t i = 0; i < t.n; i++) {
        first[i] = t.nvillages;
        if ((rc = wg_store_region_children(db, t.v[i].code, on_village, &t, err)) || (rc = t.rc))
            break;
    }
    first[t.n] = t.nvillages;
    /* a town without villages gets no cell: drop it */
    for (size_t i = 0, k = 0; !rc && i < t.n; i++) {
        if (first[i + 1] == first[i])
            continue;
        t.v[k] = t.v[i];
        t.v[k].villages = t.villages + first[i];
        t.v[k].nvillages = first[i + 1] - first[i];
        k++;
        vi = k;
    }
    free(first);
    if (rc)
        goto out;
    t.n = vi;
    if (o->base < t.nvillages) {
        rc = wg_err_set(err, WG_EINVAL,
                        "%zu base grids cannot cover %zu villages: give at least "
                        "one a village",
                        o->base, t.nvillages);
        goto out;
    }
    if (o->shapes_pkg)
        snprintf(pkg, sizeof pkg, "%s", o->shapes_pkg);
    else if ((rc = wg_npm_package(WG_PKG_COUNTY_SHAPES, pkg, sizeof pkg, err)))
        goto out;
    if ((rc = wg_countymap_each(pkg, o->county, on_county, &cs, err)) || (rc = cs.rc))
        goto out;
    if (!cs.found) {
        rc = wg_err_set(err, WG_ENOTFOUND, "no boundary for county '%s' in %s", o->county, pkg);
        goto out;
    }
    memset(&in, 0, sizeof in);
    snprintf(in.county, sizeof in.county, "%s", o->county);
    in.boundary = &cs.shape;
    in.ntowns = t.n;
    in.towns = t.v;
    in.base_total = o->base;
    in.exclusive_total = o->exclusive;
    in.seed = o->seed;
    if ((rc = wg_gridgen_county(&in, &out, err)))
        goto out;
    /* boundaries first (so the import checks containment), all in one transaction */
    if ((rc = wg_db_begin(db, err)))
        goto out;
    rc = put_boundary(db, o->county, &cs.shape, err);
    for (size_t i = 0; !rc && i < out.ntowns; i++)
        rc = put_boundary(db, out.towns[i].code, &out.towns[i].shape, err);
    for (size_t i = 0; !rc && i < out.nvillages; i++)
        rc = put_boundary(db, out.villages[i].code, &out.villages[i].shape, err);
    if (!rc)
        rc = wg_db_commit(db, err);
    if (rc) {
        wg_db_rollback(db);
        goto out;
    }
    if (!(text = grids_geojson(&out, &len))) {
        rc = wg_err_set(err, WG_ETOOBIG, "the grids generated for county '%s' are too large",
                        o->county);
        goto out;
    }
    rc = wg_grid_import(db, text, len, o->import, rep, err);
out:
    free(text);
    wg_gridgen_output_release(&out);
    wg_shape_release(&cs.shape);
    free(t.v);
    free(t.villages);
    return rc;
}
