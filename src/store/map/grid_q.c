/* Typed queries over the versioned grid table, and the store digest. */
#include "store/store.h"

#include <sodium.h>

#include "core/alloc.h"
#include "store/backend.h"
#include "store/gather.h"
#include "store/map/map_q.h"

static void fill(struct wg_row *row, struct wg_grid_row *g)
{
    wg_row_copy(row, 0, g->code, sizeof g->code);
    g->version = (int)wg_row_int(row, 1);
    wg_row_copy(row, 2, g->name, sizeof g->name);
    wg_row_copy(row, 3, g->kind, sizeof g->kind);
    wg_row_copy(row, 4, g->subtype, sizeof g->subtype);
    wg_row_copy(row, 5, g->village, sizeof g->village);
    g->households = (long)wg_row_int(row, 6);
    g->population = (long)wg_row_int(row, 7);
    wg_row_copy(row, 8, g->crs, sizeof g->crs);
    g->area_m2 = wg_row_real(row, 9);
    g->minx = wg_row_real(row, 10);
    g->miny = wg_row_real(row, 11);
    g->maxx = wg_row_real(row, 12);
    g->maxy = wg_row_real(row, 13);
    g->geometry = wg_row_text(row, 14);
    wg_row_copy(row, 15, g->valid_from, sizeof g->valid_from);
    wg_row_copy(row, 16, g->valid_to, sizeof g->valid_to);
}

enum wg_rc wg_store_grid_insert(struct wg_db *db, const struct wg_grid_row *g, struct wg_err *err)
{
    struct wg_val p[] = {
        WG_VTEXT(g->code),
        WG_VINT(g->version),
        WG_VTEXT(g->name),
        WG_VTEXT(g->kind),
        WG_VTEXT0(g->subtype),
        WG_VTEXT(g->village),
        g->households >= 0 ? WG_VINT(g->households) : WG_VNULL,
        g->population >= 0 ? WG_VINT(g->population) : WG_VNULL,
        WG_VTEXT(g->crs),
        WG_VREAL(g->area_m2),
        WG_VREAL(g->minx),
        WG_VREAL(g->miny),
        WG_VREAL(g->maxx),
        WG_VREAL(g->maxy),
        WG_VTEXT(g->geometry),
        WG_VTEXT(g->valid_from),
    };
    return wg_db_exec(db, WG_Q_GRID_INSERT, p, WG_NVALS(p), NULL, err);
}

enum wg_rc wg_store_grid_close(struct wg_db *db, const char *code, const char *valid_to,
                               struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(valid_to), WG_VTEXT(code)};
    return wg_db_exec(db, WG_Q_GRID_CLOSE, p, 2, NULL, err);
}

struct current {
    struct wg_grid_row *out;
    char **geometry;
    int n;
};

static int take_current(struct wg_row *row, void *ctx)
{
    struct current *c = ctx;
    fill(row, c->out);
    if (c->geometry)
        *c->geometry = wg_strdup(c->out->geometry);
    c->out->geometry = NULL;
    c->n++;
    return 1;
}

enum wg_rc wg_store_grid_current(struct wg_db *db, const char *code, struct wg_grid_row *out,
                                 char **geometry_out, struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(code)};
    struct current c = {out, geometry_out, 0};
    enum wg_rc rc;
    if (geometry_out)
        *geometry_out = NULL;
    rc = wg_db_query(db, WG_Q_GRID_CURRENT, p, 1, take_current, &c, err);
    if (rc)
        return rc;
    if (!c.n)
        return wg_err_set(err, WG_ENOTFOUND, "grid '%s' does not exist", code);
    return WG_OK;
}

enum wg_rc wg_store_grid_live(struct wg_db *db, const char *code, struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(code)};
    long long one = 0;
    int found = 0;
    enum wg_rc rc = wg_db_query_int(db, WG_Q_GRID_LIVE, p, 1, &one, &found, err);
    if (!rc && !found)
        rc = wg_err_set(err, WG_ENOTFOUND, "grid '%s' does not exist", code);
    return rc;
}

struct each {
    int (*cb)(const struct wg_grid_row *, void *);
    void *ctx;
};

static int each_row(struct wg_row *row, void *ctx)
{
    struct each *e = ctx;
    struct wg_grid_row g;
    fill(row, &g);
    return e->cb(&g, e->ctx);
}

enum wg_rc wg_store_grid_each(struct wg_db *db, const char *prefix,
                              int (*cb)(const struct wg_grid_row *, void *), void *ctx,
                              struct wg_err *err)
{
    char pat[64];
    struct each e = {cb, ctx};
    if (strlen(prefix) > sizeof pat - 2)
        return wg_err_set(err, WG_EINVAL, "code '%.20s...' is too long", prefix);
    snprintf(pat, sizeof pat, "%s%%", prefix);
    struct wg_val p[] = {WG_VTEXT(pat)};
    return wg_db_query(db, WG_Q_GRID_EACH, p, 1, each_row, &e, err);
}

enum wg_rc wg_store_grid_count(struct wg_db *db, const char *prefix, long *out, struct wg_err *err)
{
    return wg_db_count_prefix(db, WG_Q_GRID_COUNT, prefix, out, err);
}

struct hash {
    crypto_hash_sha256_state st;
    int ncols;
};

enum wg_rc wg_store_meta_get(struct wg_db *db, const char *name, long long *out, struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(name)};
    *out = 0;
    return wg_db_query_int(db, WG_Q_META_GET, p, 1, out, NULL, err);
}

enum wg_rc wg_store_meta_set(struct wg_db *db, const char *name, long long value,
                             struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(name), WG_VINT(value)};
    return wg_db_exec(db, WG_Q_META_SET, p, 2, NULL, err);
}

enum wg_rc wg_store_meta_bump(struct wg_db *db, const char *name, struct wg_err *err)
{
    if (wg_gather_meta_bump(db, name))
        return WG_OK;
    struct wg_val p[] = {WG_VTEXT(name)};
    return wg_db_exec(db, WG_Q_META_BUMP, p, 1, NULL, err);
}
