/* Typed queries over stored catalog versions: each is the whole catalog's JSON form. */
#include "store/store.h"

#include "store/backend.h"
#include "store/catalog/catalog_q.h"

enum wg_rc wg_store_catalog_head(struct wg_db *db, long long *version, struct wg_err *err)
{
    *version = 0;
    return wg_db_query_int(db, WG_Q_CATALOG_HEAD, NULL, 0, version, NULL, err);
}

enum wg_rc wg_store_catalog_insert(struct wg_db *db, const struct wg_catalog_version_row *r,
                                   struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(r->version), WG_VTEXT(r->body), WG_VTEXT(r->created_by),
                         WG_VTEXT(r->created_at), WG_VTEXT(r->change)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_CATALOG_INSERT, p, WG_NVALS(p), NULL, err);
    if (rc == WG_ECONFLICT)
        return wg_err_set(err, WG_ECONFLICT,
                          "catalog version %lld was stored by another change meanwhile; "
                          "read the catalog again",
                          r->version);
    return rc;
}

struct each_version {
    int (*cb)(const struct wg_catalog_version_row *, void *);
    void *ctx;
    int n;
};

static int each_version(struct wg_row *row, void *ctx)
{
    struct each_version *e = ctx;
    struct wg_catalog_version_row r = {wg_row_int(row, 0), wg_row_text(row, 1), wg_row_text(row, 2),
                                       wg_row_text(row, 3), wg_row_text(row, 4)};
    e->n++;
    return e->cb(&r, e->ctx);
}

enum wg_rc wg_store_catalog_get(struct wg_db *db, long long version,
                                int (*cb)(const struct wg_catalog_version_row *, void *), void *ctx,
                                struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(version)};
    struct each_version e = {cb, ctx, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_CATALOG_GET, p, 1, each_version, &e, err);
    if (!rc && !e.n)
        return wg_err_set(err, WG_ENOTFOUND, "catalog version %lld does not exist", version);
    return rc;
}

enum wg_rc wg_store_catalog_each(struct wg_db *db,
                                 int (*cb)(const struct wg_catalog_version_row *, void *),
                                 void *ctx, struct wg_err *err)
{
    struct each_version e = {cb, ctx, 0};
    return wg_db_query(db, WG_Q_CATALOG_LIST, NULL, 0, each_version, &e, err);
}
