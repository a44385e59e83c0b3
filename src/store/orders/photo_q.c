/* Typed queries over the photos of orders (the bytes live on disk, named by their hash). */
#include "store/store.h"

#include "store/backend.h"
#include "store/orders/orders_q.h"

enum wg_rc wg_store_photo_insert(struct wg_db *db, long long order_id, const char *sha256,
                                 const char *mime, long long size, const char *by, const char *at,
                                 int *added, struct wg_err *err)
{
    long n = 0;
    struct wg_val p[] = {WG_VINT(order_id), WG_VTEXT(sha256), WG_VTEXT(mime),
                         WG_VINT(size),     WG_VTEXT(by),     WG_VTEXT(at)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_PHOTO_INSERT, p, WG_NVALS(p), &n, err);
    *added = n > 0;
    return rc;
}

struct each_photo {
    int (*cb)(const struct wg_photo_row *, void *);
    void *ctx;
};

static int each_photo(struct wg_row *row, void *ctx)
{
    struct each_photo *e = ctx;
    struct wg_photo_row p = {wg_row_text(row, 0), wg_row_text(row, 1), wg_row_text(row, 3),
                             wg_row_text(row, 4), wg_row_int(row, 2)};
    return e->cb(&p, e->ctx);
}

enum wg_rc wg_store_photo_list(struct wg_db *db, long long order_id,
                               int (*cb)(const struct wg_photo_row *, void *), void *ctx,
                               struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(order_id)};
    struct each_photo e = {cb, ctx};
    return wg_db_query(db, WG_Q_PHOTO_LIST, p, 1, each_photo, &e, err);
}

struct each_owner {
    int (*cb)(long long, const char *, void *);
    void *ctx;
};

static int each_owner(struct wg_row *row, void *ctx)
{
    struct each_owner *e = ctx;
    return e->cb(wg_row_int(row, 0), wg_row_text(row, 1), e->ctx);
}

enum wg_rc wg_store_photo_orders(struct wg_db *db, const char *sha256,
                                 int (*cb)(long long order_id, const char *mime, void *), void *ctx,
                                 struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(sha256)};
    struct each_owner e = {cb, ctx};
    return wg_db_query(db, WG_Q_PHOTO_ORDERS, p, 1, each_owner, &e, err);
}
