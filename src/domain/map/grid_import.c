/* Grid import: parse GeoJSON, check every feature and the set, then store all or nothing. */
#include "domain/map/grid.h"

#include "core/alloc.h"
#include "core/assert.h"
#include "core/buf.h"
#include "core/clock.h"
#include "domain/map/region.h"
#include "geo/crs.h"
#include "geo/geos.h"
#include "geo/shape.h"
#include "store/map/map_q.h"

_Static_assert(sizeof(((struct wg_grid_row *)0)->code) > WG_CODE_LEN_MICRO,
               "a stored grid row holds a micro-grid's code");

#define MAX_ISSUES 2000

struct feat {
    size_t index;
    char code[32];
    char name[192];
    char kind[12];
    char subtype[32];
    char village[13];
    char crs[12];
    long households, population;
    struct wg_shape shape;
    char *geometry; /* canonical GeoJSON of the converted shape */
    int bad;
};

static void issue(struct wg_import_report *rep, size_t index, const char *code, int warning,
                  double area, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void issue(struct wg_import_report *rep, size_t index, const char *code, int warning,
                  double area, const char *fmt, ...)
{
    va_list ap;
    struct wg_import_issue *is;
    if (warning)
        rep->nwarnings++;
    else
        rep->nerrors++;
    if (rep->nissues == MAX_ISSUES)
        return;
    wg_grow(&rep->issues, &rep->cap, rep->nissues, sizeof *rep->issues, 32);
    is = &rep->issues[rep->nissues++];
    is->index = index;
    snprintf(is->code, sizeof is->code, "%s", code ? code : "");
    is->warning = warning;
    is->area_m2 = area;
    va_start(ap, fmt);
    vsnprintf(is->reason, sizeof is->reason, fmt, ap);
    va_end(ap);
}

void wg_import_report_release(struct wg_import_report *rep)
{
    free(rep->issues);
    memset(rep, 0, sizeof *rep);
}

json_t *wg_import_report_json(const struct wg_import_report *rep)
{
    json_t *issues = json_array();
    for (size_t i = 0; i < rep->nissues; i++) {
        const struct wg_import_issue *is = &rep->issues[i];
        json_t *o = json_pack("{s:I,s:s,s:s,s:s}", "index", (json_int_t)is->index, "code", is->code,
                              "severity", is->warning ? "warning" : "error", "reason", is->reason);
        if (is->area_m2 >= 0)
            json_object_set_new(o, "area_m2", json_real(is->area_m2));
        json_array_append_new(issues, o);
    }
    return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:o}", "features", (json_int_t)rep->features,
                     "added", (json_int_t)rep->added, "changed", (json_int_t)rep->changed,
                     "unchanged", (json_int_t)rep->unchanged, "errors", (json_int_t)rep->nerrors,
                     "warnings", (json_int_t)rep->nwarnings, "issues", issues);
}

/* ---- parsing ---- */

struct feats {
    size_t n, cap;
    struct feat *v;
};

static void feats_release(struct feats *fs)
{
    for (size_t i = 0; i < fs->n; i++) {
        wg_shape_release(&fs->v[i].shape);
        free(fs->v[i].geometry);
    }
    free(fs->v);
}

static struct feat *feats_push(struct feats *fs)
{
    wg_grow(&fs->v, &fs->cap, fs->n, sizeof *fs->v, 256);
    memset(&fs->v[fs->n], 0, sizeof fs->v[fs->n]);
    wg_shape_init(&fs->v[fs->n].shape);
    return &fs->v[fs->n++];
}

static int get_count(json_t *props, const char *key, long *out, char *why, size_t n)
{
    json_t *v = json_object_get(props, key);
    *out = -1;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 100000000) {
        snprintf(why, n, "property '%s' must be a whole number from 0 to 100000000", key);
        return -1;
    }
    *out = (long)json_integer_value(v);
    return 0;
}

/* Reads one feature's properties and geometry; problems become issues on the report. */
static void read_feature(struct wg_db *db, json_t *f, struct feat *ft,
                         const struct wg_import_opts *opts, struct wg_import_report *rep)
{
    json_t *props, *geom;
    const char *code, *name, *kind, *s;
    char why[400];
    enum wg_crs crs = WG_CRS_WGS84;
    struct wg_err e = {0};
    enum wg_level lvl;
    struct wg_region_row village;
    size_t idx = ft->index;
    if (!json_is_object(f) ||
        strcmp(json_string_value(json_object_get(f, "type")) ?: "", "Feature")) {
        issue(rep, idx, "", 0, -1, "not a GeoJSON Feature (an object with \"type\": \"Feature\")");
        ft->bad = 1;
        return;
    }
    props = json_object_get(f, "properties");
    if (!json_is_object(props)) {
        issue(rep, idx, "", 0, -1, "feature has no \"properties\" object");
        ft->bad = 1;
        return;
    }
    code = json_string_value(json_object_get(props, "code"));
    snprintf(ft->code, sizeof ft->code, "%s", code ? code : "");
    if (!code) {
        issue(rep, idx, "", 0, -1, "property 'code' is missing or not a string");
        ft->bad = 1;
        return;
    }
    lvl = wg_region_level(code, &e);
    if (lvl != WG_LEVEL_GRID && lvl != WG_LEVEL_MICRO) {
        if (lvl != WG_LEVEL_NONE)
            issue(rep, idx, code, 0, -1,
                  "code '%s' is a %s code; a grid code has 15 digits (village code + 3)", code,
                  wg_level_name(lvl));
        else
            issue(rep, idx, code, 0, -1, "%s", e.msg);
        ft->bad = 1;
        return;
    }
    if (opts && opts->scope && strncmp(code, opts->scope, strlen(opts->scope))) {
        issue(rep, idx, code, 0, -1, "grid '%s' lies outside your scope '%s'", code, opts->scope);
        ft->bad = 1;
        return;
    }
    wg_region_prefix(code, WG_LEVEL_VILLAGE, ft->village, sizeof ft->village);
    name = json_string_value(json_object_get(props, "name"));
    if (!name || !*name) {
        issue(rep, idx, code, 0, -1, "property 'name' is missing or empty");
        ft->bad = 1;
    } else {
        snprintf(ft->name, sizeof ft->name, "%s", name);
    }
    kind = json_string_value(json_object_get(props, "kind"));
    if (!kind || (strcmp(kind, "base") && strcmp(kind, "exclusive") && strcmp(kind, "micro"))) {
        issue(rep, idx, code, 0, -1, "property 'kind' is '%s'; expected base, exclusive or micro",
              kind ? kind : "(missing)");
        ft->bad = 1;
    } else {
        snprintf(ft->kind, sizeof ft->kind, "%s", kind);
        if ((lvl == WG_LEVEL_MICRO) != !strcmp(kind, "micro")) {
            issue(rep, idx, code, 0, -1, "a %s grid needs a %d-digit code", kind,
                  !strcmp(kind, "micro") ? 18 : 15);
            ft->bad = 1;
        }
    }
    if ((s = json_string_value(json_object_get(props, "subtype"))))
        snprintf(ft->subtype, sizeof ft->subtype, "%s", s);
    if (get_count(props, "households", &ft->households, why, sizeof why) ||
        get_count(props, "population", &ft->population, why, sizeof why)) {
        issue(rep, idx, code, 0, -1, "%s", why);
        ft->bad = 1;
    }
    s = json_string_value(json_object_get(props, "crs"));
    if (wg_crs_parse(s, &crs, &e)) {
        issue(rep, idx, code, 0, -1, "%s", e.msg);
        ft->bad = 1;
    }
    snprintf(ft->crs, sizeof ft->crs, "%s", wg_crs_name(crs));
    if (wg_store_region_get(db, ft->village, &village, &e) == WG_OK) {
        if (strcmp(village.level, "village")) {
            issue(rep, idx, code, 0, -1, "'%s' is a %s, not a village", ft->village, village.level);
            ft->bad = 1;
        }
    } else {
        issue(rep, idx, code, 0, -1,
              "village '%s' (the code's first 12 digits) does not exist; import its divisions "
              "first",
              ft->village);
        ft->bad = 1;
    }
    geom = json_object_get(f, "geometry");
    if (wg_shape_from_geojson(geom, &ft->shape, &e)) {
        issue(rep, idx, code, 0, -1, "%s", e.msg);
        ft->bad = 1;
        return;
    }
    if (crs != WG_CRS_WGS84 && crs != WG_CRS_CGCS2000) {
        for (uint32_t i = 0; i < ft->shape.npts; i++)
            wg_crs_to_wgs84(crs, ft->shape.xy[2 * i], ft->shape.xy[2 * i + 1], &ft->shape.xy[2 * i],
                            &ft->shape.xy[2 * i + 1]);
        wg_shape_update_bbox(&ft->shape);
    }
    if (wg_geos_check_valid(&ft->shape, &e)) {
        issue(rep, idx, code, 0, wg_shape_area_m2(&ft->shape), "invalid geometry: %s", e.msg);
        ft->bad = 1;
        return;
    }
    json_t *canon = wg_shape_to_geojson(&ft->shape);
    ft->geometry = json_dumps(canon, JSON_COMPACT);
    json_decref(canon);
    WG_ASSERT(ft->geometry); /* numbers only: nothing for jansson to refuse (alloc.h) */
}

static enum wg_rc parse(struct wg_db *db, const char *text, size_t len, struct feats *fs,
                        const struct wg_import_opts *opts, struct wg_import_report *rep,
                        struct wg_err *err)
{
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_DISABLE_EOF_CHECK, &je);
    int collection = root && !strcmp(json_string_value(json_object_get(root, "type")) ?: "",
                                     "FeatureCollection");
    if (collection) {
        /* the whole text must be that one document */
        json_decref(root);
        root = json_loadb(text, len, 0, &je);
        if (!root)
            return wg_err_set(err, WG_EINVAL, "malformed GeoJSON at line %d, column %d: %s",
                              je.line, je.column, je.text);
        json_t *features = json_object_get(root, "features"), *f;
        size_t i;
        if (!json_is_array(features)) {
            json_decref(root);
            return wg_err_set(err, WG_EINVAL, "FeatureCollection has no \"features\" array");
        }
        json_array_foreach(features, i, f)
        {
            struct feat *ft = feats_push(fs);
            ft->index = i;
            read_feature(db, f, ft, opts, rep);
            if (opts && opts->progress && (i % 200 == 0))
                opts->progress("reading", i, json_array_size(features), opts->progress_ctx);
        }
        json_decref(root);
        return WG_OK;
    }
    json_decref(root);
    /* one Feature per line */
    size_t line = 1, index = 0;
    for (const char *p = text, *end = text + len; p < end; line++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        const char *q = p;
        while (q < stop && (*q == ' ' || *q == '\t' || *q == '\r'))
            q++;
        if (q < stop) {
            json_t *f = json_loadb(p, (size_t)(stop - p), 0, &je);
            struct feat *ft;
            if (!f)
                return wg_err_set(err, WG_EINVAL,
                                  "malformed GeoJSON at line %zu, column %d: %s (expected a "
                                  "FeatureCollection or one Feature per line)",
                                  line, je.column, je.text);
            ft = feats_push(fs);
            ft->index = index++;
            read_feature(db, f, ft, opts, rep);
            json_decref(f);
            if (opts && opts->progress && (index % 200 == 0))
                opts->progress("reading", index, 0, opts->progress_ctx);
        }
        p = nl ? nl + 1 : end;
    }
    if (!fs->n)
        return wg_err_set(err, WG_EINVAL,
                          "no features found: expected a GeoJSON "
                          "FeatureCollection or one Feature per line");
    return WG_OK;
}

/* ---- set checks ---- */

static int by_code(const void *a, const void *b)
{
    const struct feat *x = *(const struct feat *const *)a, *y = *(const struct feat *const *)b;
    int c = strcmp(x->code, y->code);
    return c ? c : (x->index < y->index ? -1 : x->index > y->index);
}

static int by_index(const void *a, const void *b)
{
    const struct feat *x = *(const struct feat *const *)a, *y = *(const struct feat *const *)b;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Collects the stored current base grids of a village that the import does not replace. */
struct stored {
    struct feats *into;
    struct feat **grp; /* the import's grids of the village */
    size_t n;
    struct wg_err *err;
    enum wg_rc rc;
};

static int in_group(const struct stored *s, const char *code)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->grp[i]->code, code))
            return 1;
    return 0;
}

static int on_stored(const struct wg_grid_row *g, void *ctx)
{
    struct stored *s = ctx;
    json_error_t je;
    json_t *geom;
    struct feat *ft;
    if (strcmp(g->kind, "base") || in_group(s, g->code))
        return 0;
    ft = feats_push(s->into);
    snprintf(ft->code, sizeof ft->code, "%s", g->code);
    geom = json_loads(g->geometry, 0, &je);
    if (!geom || wg_shape_from_geojson(geom, &ft->shape, s->err)) {
        s->into->n--;
        wg_shape_release(&ft->shape);
        s->rc = wg_err_set(s->err, WG_EDB, "stored grid '%s' has an unreadable boundary", g->code);
    }
    json_decref(geom);
    return s->rc != WG_OK;
}

static int bbox_meet(const struct wg_shape *a, const struct wg_shape *b)
{
    return a->minx <= b->maxx && b->minx <= a->maxx && a->miny <= b->maxy && b->miny <= a->maxy;
}

/* Checks one village's base grids: pairwise overlaps, containment and gaps. */
static enum wg_rc check_village(struct wg_db *db, struct feat **grp, size_t n,
                                struct wg_import_report *rep, struct wg_err *err)
{
    struct feats stored = {0};
    struct stored st = {&stored, grp, n, err, WG_OK};
    char *boundary = NULL;
    enum wg_rc rc;
    rc = wg_store_grid_each(db, grp[0]->village, on_stored, &st, err);
    if (!rc)
        rc = st.rc;
    if (rc)
        goto out;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            double a;
            if (!bbox_meet(&grp[i]->shape, &grp[j]->shape))
                continue;
            a = wg_geos_overlap_m2(&grp[i]->shape, &grp[j]->shape);
            if (a > WG_GRID_TOLERANCE_M2)
                issue(rep, grp[j]->index, grp[j]->code, 0, a,
                      "overlaps base grid '%s' (feature %zu) by %.1f m²", grp[i]->code,
                      grp[i]->index, a);
        }
        for (size_t j = 0; j < stored.n; j++) {
            double a;
            if (!bbox_meet(&grp[i]->shape, &stored.v[j].shape))
                continue;
            a = wg_geos_overlap_m2(&grp[i]->shape, &stored.v[j].shape);
            if (a > WG_GRID_TOLERANCE_M2)
                issue(rep, grp[i]->index, grp[i]->code, 0, a,
                      "overlaps stored base grid '%s' by %.1f m²", stored.v[j].code, a);
        }
    }
    if ((rc = wg_store_region_boundary(db, grp[0]->village, &boundary, err)))
        goto out;
    if (boundary) {
        json_error_t je;
        json_t *g = json_loads(boundary, 0, &je);
        struct wg_shape vs;
        wg_shape_init(&vs);
        if (g && wg_shape_from_geojson(g, &vs, err) == WG_OK) {
            size_t total = n + stored.n, k = 0;
            struct wg_shape *all = wg_malloc((total ? total : 1) * sizeof *all);
            for (size_t i = 0; i < n; i++) {
                double a = wg_geos_outside_m2(&grp[i]->shape, &vs);
                if (a > WG_GRID_TOLERANCE_M2)
                    issue(rep, grp[i]->index, grp[i]->code, 0, a,
                          "lies %.1f m² outside its village '%s'", a, grp[i]->village);
            }
            for (size_t i = 0; i < n; i++)
                all[k++] = grp[i]->shape;
            for (size_t i = 0; i < stored.n; i++)
                all[k++] = stored.v[i].shape;
            double gap = wg_geos_gap_m2(&vs, all, k);
            if (gap > WG_GRID_TOLERANCE_M2)
                issue(rep, grp[0]->index, grp[0]->village, 1, gap,
                      "base grids leave %.1f m² of village '%s' uncovered", gap, grp[0]->village);
            free(all);
        }
        wg_err_clear(err);
        json_decref(g);
        wg_shape_release(&vs);
    }
out:
    free(boundary);
    feats_release(&stored);
    return rc;
}

/* ---- storing ---- */

static int same_grid(const struct wg_grid_row *cur, const char *geometry, const struct feat *ft)
{
    return !strcmp(cur->name, ft->name) && !strcmp(cur->kind, ft->kind) &&
           !strcmp(cur->subtype, ft->subtype) && cur->households == ft->households &&
           cur->population == ft->population && !strcmp(cur->crs, ft->crs) &&
           !strcmp(geometry, ft->geometry);
}

static enum wg_rc store_all(struct wg_db *db, struct feats *fs, const struct wg_import_opts *opts,
                            struct wg_import_report *rep, struct wg_err *err)
{
    char now[32];
    enum wg_rc rc;
    wg_clock_iso_now(now);
    if ((rc = wg_db_begin(db, err)))
        return rc;
    for (size_t i = 0; i < fs->n; i++) {
        struct feat *ft = &fs->v[i];
        struct wg_grid_row cur, g;
        char *geometry = NULL;
        int version = 1;
        rc = wg_store_grid_current(db, ft->code, &cur, &geometry, err);
        if (rc == WG_OK) {
            int same = same_grid(&cur, geometry, ft);
            free(geometry);
            if (same) {
                rep->unchanged++;
                continue;
            }
            version = cur.version + 1;
            if ((rc = wg_store_grid_close(db, ft->code, now, err)))
                break;
            rep->changed++;
        } else if (rc == WG_ENOTFOUND) {
            wg_err_clear(err);
            rep->added++;
        } else {
            break;
        }
        memset(&g, 0, sizeof g);
        snprintf(g.code, sizeof g.code, "%s", ft->code);
        g.version = version;
        snprintf(g.name, sizeof g.name, "%s", ft->name);
        snprintf(g.kind, sizeof g.kind, "%s", ft->kind);
        snprintf(g.subtype, sizeof g.subtype, "%s", ft->subtype);
        snprintf(g.village, sizeof g.village, "%s", ft->village);
        g.households = ft->households;
        g.population = ft->population;
        snprintf(g.crs, sizeof g.crs, "%s", ft->crs);
        g.area_m2 = wg_shape_area_m2(&ft->shape);
        g.minx = ft->shape.minx;
        g.miny = ft->shape.miny;
        g.maxx = ft->shape.maxx;
        g.maxy = ft->shape.maxy;
        g.geometry = ft->geometry;
        snprintf(g.valid_from, sizeof g.valid_from, "%s", now);
        if ((rc = wg_store_grid_insert(db, &g, err)))
            break;
        if (opts && opts->progress && i % 500 == 0)
            opts->progress("storing", i, fs->n, opts->progress_ctx);
    }
    if (!rc && (rep->added || rep->changed))
        rc = wg_store_meta_bump(db, "grid_epoch", err);
    if (!rc)
        rc = wg_db_commit(db, err);
    if (rc) {
        wg_db_rollback(db);
        rep->added = rep->changed = rep->unchanged = 0;
    }
    return rc;
}

enum wg_rc wg_grid_import(struct wg_db *db, const char *text, size_t len,
                          const struct wg_import_opts *opts, struct wg_import_report *rep,
                          struct wg_err *err)
{
    struct feats fs = {0};
    struct feat **order = NULL;
    enum wg_rc rc;
    memset(rep, 0, sizeof *rep);
    rc = parse(db, text, len, &fs, opts, rep, err);
    rep->features = fs.n;
    if (rc)
        goto out;
    order = wg_malloc((fs.n ? fs.n : 1) * sizeof *order);
    for (size_t i = 0; i < fs.n; i++)
        order[i] = &fs.v[i];
    /* duplicates: sorted by code, the later feature of each pair is the one reported */
    qsort(order, fs.n, sizeof *order, by_code);
    for (size_t i = 1; i < fs.n; i++)
        if (order[i]->code[0] && !strcmp(order[i]->code, order[i - 1]->code)) {
            issue(rep, order[i]->index, order[i]->code, 0, -1,
                  "duplicate code: feature %zu has the same code", order[i - 1]->index);
            order[i]->bad = 1;
        }
    /* village by village, the well-formed base grids */
    for (size_t i = 0; i < fs.n;) {
        size_t j = i, k = 0;
        struct feat **grp;
        while (j < fs.n && !strcmp(order[j]->village, order[i]->village))
            j++;
        grp = wg_malloc((j - i) * sizeof *grp);
        for (size_t m = i; m < j; m++)
            if (!order[m]->bad && !strcmp(order[m]->kind, "base"))
                grp[k++] = order[m];
        qsort(grp, k, sizeof *grp, by_index);
        if (k)
            rc = check_village(db, grp, k, rep, err);
        free(grp);
        if (rc)
            goto out;
        if (opts && opts->progress)
            opts->progress("checking", j, fs.n, opts->progress_ctx);
        i = j;
    }
    if (rep->nerrors) {
        rc = wg_err_set(err, WG_EINVAL, "%zu problem%s in %zu feature%s; nothing was imported",
                        rep->nerrors, rep->nerrors == 1 ? "" : "s", fs.n, fs.n == 1 ? "" : "s");
        goto out;
    }
    rc = store_all(db, &fs, opts, rep, err);
out:
    free(order);
    feats_release(&fs);
    return rc;
}
