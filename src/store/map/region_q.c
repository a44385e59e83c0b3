/* Typed queries over the region table. */
#include "store/store.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "store/backend.h"
#include "store/map/map_q.h"

static void fill(struct wg_row *row, struct wg_region_row *r)
{
    wg_row_copy(row, 0, r->code, sizeof r->code);
    wg_row_copy(row, 1, r->name, sizeof r->name);
    wg_row_copy(row, 2, r->level, sizeof r->level);
    wg_row_copy(row, 3, r->parent, sizeof r->parent);
}

static int found(struct wg_row *row, void *ctx)
{
    (void)row;
    *(int *)ctx = 1;
    return 1;
}

enum wg_rc wg_store_region_put(struct wg_db *db, const struct wg_region_row *r, int *changed,
                               struct wg_err *err)
{
    struct wg_val same[] = {WG_VTEXT(r->code), WG_VTEXT(r->name), WG_VTEXT(r->level),
                            WG_VTEXT(r->parent)};
    char now[32];
    int is_same = 0;
    enum wg_rc rc = wg_db_query(db, WG_Q_REGION_SAME, same, WG_NVALS(same), found, &is_same, err);
    if (rc)
        return rc;
    if (changed)
        *changed = !is_same;
    if (is_same)
        return WG_OK;
    wg_clock_iso_now(now);
    struct wg_val p[] = {WG_VTEXT(r->code), WG_VTEXT(r->name), WG_VTEXT(r->level),
                         WG_VTEXT0(r->parent), WG_VTEXT(now)};
    return wg_db_exec(db, WG_Q_REGION_UPSERT, p, WG_NVALS(p), NULL, err);
}

struct one {
    struct wg_region_row *out;
    int n;
};

static int get_one(struct wg_row *row, void *ctx)
{
    struct one *o = ctx;
    fill(row, o->out);
    o->n++;
    return 1;
}

enum wg_rc wg_store_region_get(struct wg_db *db, const char *code, struct wg_region_row *out,
                               struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(code)};
    struct one o = {out, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_REGION_GET, p, 1, get_one, &o, err);
    if (rc)
        return rc;
    if (!o.n)
        return wg_err_set(err, WG_ENOTFOUND, "region '%s' does not exist", code);
    return WG_OK;
}

struct each {
    int (*cb)(const struct wg_region_row *, void *);
    void *ctx;
};

static int each_row(struct wg_row *row, void *ctx)
{
    struct each *e = ctx;
    struct wg_region_row r;
    fill(row, &r);
    return e->cb(&r, e->ctx);
}

enum wg_rc wg_store_region_children(struct wg_db *db, const char *code,
                                    int (*cb)(const struct wg_region_row *, void *), void *ctx,
                                    struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(code)};
    struct each e = {cb, ctx};
    return wg_db_query(db, WG_Q_REGION_CHILDREN, p, 1, each_row, &e, err);
}

enum wg_rc wg_store_region_search(struct wg_db *db, const char *q, int limit,
                                  int (*cb)(const struct wg_region_row *, void *), void *ctx,
                                  struct wg_err *err)
{
    struct wg_buf pat;
    struct each e = {cb, ctx};
    enum wg_rc rc;
    wg_buf_init(&pat, 1024);
    /* LIKE wildcards typed by a user are matched literally: they are rare in place names */
    wg_buf_adds(&pat, "%");
    for (const char *s = q; *s; s++)
        if (*s != '%' && *s != '_')
            wg_buf_add(&pat, s, 1);
    wg_buf_adds(&pat, "%");
    if (wg_buf_rc(&pat)) {
        wg_buf_release(&pat);
        return wg_err_set(err, WG_EINVAL, "search text is too long");
    }
    struct wg_val p[] = {WG_VTEXT(wg_buf_str(&pat)), WG_VINT(limit)};
    rc = wg_db_query(db, WG_Q_REGION_SEARCH, p, 2, each_row, &e, err);
    wg_buf_release(&pat);
    return rc;
}

enum wg_rc wg_store_region_count(struct wg_db *db, const char *prefix, long *out,
                                 struct wg_err *err)
{
    return wg_db_count_prefix(db, WG_Q_REGION_COUNT, prefix, out, err);
}

enum wg_rc wg_store_region_set_boundary(struct wg_db *db, const char *code, const char *geojson,
                                        struct wg_err *err)
{
    struct wg_val p[] = {geojson ? WG_VTEXT(geojson) : WG_VNULL, WG_VTEXT(code)};
    long n = 0;
    enum wg_rc rc = wg_db_exec(db, WG_Q_REGION_SET_BOUNDARY, p, 2, &n, err);
    if (!rc && n == 0)
        return wg_err_set(err, WG_ENOTFOUND, "region '%s' does not exist", code);
    return rc;
}

struct text_out {
    char **out;
    int n;
};

static int take_text(struct wg_row *row, void *ctx)
{
    struct text_out *t = ctx;
    t->n++;
    if (!wg_row_isnull(row, 0))
        *t->out = wg_strdup(wg_row_text(row, 0));
    return 1;
}

enum wg_rc wg_store_region_boundary(struct wg_db *db, const char *code, char **out,
                                    struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(code)};
    struct text_out t = {out, 0};
    enum wg_rc rc;
    *out = NULL;
    rc = wg_db_query(db, WG_Q_REGION_BOUNDARY, p, 1, take_text, &t, err);
    if (!rc && !t.n)
        return wg_err_set(err, WG_ENOTFOUND, "region '%s' does not exist", code);
    return rc;
}

enum wg_rc wg_store_region_by_level(struct wg_db *db, const char *level,
                                    int (*cb)(const struct wg_region_row *, void *), void *ctx,
                                    struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(level)};
    struct each e = {cb, ctx};
    return wg_db_query(db, WG_Q_REGION_BY_LEVEL, p, 1, each_row, &e, err);
}
