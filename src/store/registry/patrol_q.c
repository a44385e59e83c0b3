/* Typed queries over the grid workers' patrols (visit_q.h): a patrol's summary, its track in
 * sealed batches appended once each by their client key and purged after the retention
 * period, and the orders its findings made. */
#include "store/store.h"

#include <stdlib.h>

#include "core/alloc.h"
#include "store/backend.h"
#include "store/registry/visit_q.h"

enum wg_rc wg_store_patrol_insert(struct wg_db *db, const struct wg_patrol_row *p, long long *id,
                                  struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(p->client_key), WG_VTEXT(p->worker), WG_VTEXT(p->grid),
                         WG_VINT(p->started_at), WG_VTEXT(p->checks)};
    return wg_db_query_int(db, WG_Q_PATROL_INSERT, v, WG_NVALS(v), id, NULL, err);
}

struct each {
    int (*cb)(const struct wg_patrol_row *, void *);
    void *ctx;
    int rows;
};

static int take(struct wg_row *row, void *ctx)
{
    struct each *e = ctx;
    struct wg_patrol_row p = {.id = wg_row_int(row, 0),
                              .started_at = wg_row_int(row, 4),
                              .stopped_at = wg_row_int(row, 5),
                              .points = wg_row_int(row, 6),
                              .distance_m = wg_row_real(row, 7),
                              .checks = wg_row_text(row, 8),
                              .version = wg_row_int(row, 9)};
    if (wg_row_copy(row, 1, p.client_key, sizeof p.client_key) ||
        wg_row_copy(row, 2, p.worker, sizeof p.worker) ||
        wg_row_copy(row, 3, p.grid, sizeof p.grid))
        return -1;
    e->rows++;
    return e->cb(&p, e->ctx);
}

enum wg_rc wg_store_patrol_get(struct wg_db *db, long long id,
                               int (*cb)(const struct wg_patrol_row *, void *), void *ctx,
                               struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id)};
    struct each e = {cb, ctx, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_PATROL_GET, v, 1, take, &e, err);
    if (!rc && !e.rows)
        rc = wg_err_set(err, WG_ENOTFOUND, "patrol %lld does not exist", id);
    return rc;
}

enum wg_rc wg_store_patrol_by_client(struct wg_db *db, const char *worker, const char *key,
                                     long long *id, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(worker), WG_VTEXT(key)};
    *id = 0;
    return wg_db_query_int(db, WG_Q_PATROL_BY_CLIENT, v, 2, id, NULL, err);
}

enum wg_rc wg_store_patrol_list(struct wg_db *db, const struct wg_visit_filter *f,
                                int (*cb)(const struct wg_patrol_row *, void *), void *ctx,
                                struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(f->lo),       WG_VTEXT(f->hi),  WG_VTEXT(f->worker),
                         WG_VINT(f->from),      WG_VINT(f->to),   WG_VINT(f->before_at),
                         WG_VINT(f->before_id), WG_VINT(f->limit)};
    struct each e = {cb, ctx, 0};
    return wg_db_query(db, WG_Q_PATROL_LIST, v, WG_NVALS(v), take, &e, err);
}

enum wg_rc wg_store_patrol_stop(struct wg_db *db, long long id, long long at, const char *checks,
                                int *changed, struct wg_err *err)
{
    long n = 0;
    struct wg_val v[] = {WG_VINT(at), WG_VTEXT(checks), WG_VINT(id)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_PATROL_STOP, v, 3, &n, err);
    *changed = n > 0;
    return rc;
}

enum wg_rc wg_store_patrol_track_add(struct wg_db *db, long long patrol, const char *batch,
                                     const char *sealed, long long n, double distance_m,
                                     long long now, int *added, struct wg_err *err)
{
    long changes = 0;
    struct wg_val v[] = {WG_VINT(patrol), WG_VTEXT(batch), WG_VTEXT(sealed), WG_VINT(n),
                         WG_VINT(now)};
    struct wg_val s[] = {WG_VINT(n), WG_VREAL(distance_m), WG_VINT(patrol)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_PATROL_TRACK_ADD, v, WG_NVALS(v), &changes, err);
    *added = changes > 0;
    if (!rc && *added)
        rc = wg_db_exec(db, WG_Q_PATROL_ADD_POINTS, s, 3, NULL, err);
    return rc;
}

static int take_text(struct wg_row *row, void *ctx)
{
    *(char **)ctx = wg_strdup(wg_row_text(row, 0));
    return 1;
}

enum wg_rc wg_store_patrol_track_last(struct wg_db *db, long long patrol, char **sealed,
                                      struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(patrol)};
    *sealed = NULL;
    return wg_db_query(db, WG_Q_PATROL_TRACK_LAST, v, 1, take_text, sealed, err);
}

struct track_each {
    int (*cb)(const char *, const char *, long long, long long, void *);
    void *ctx;
};

static int take_batch(struct wg_row *row, void *ctx)
{
    struct track_each *t = ctx;
    return t->cb(wg_row_text(row, 0), wg_row_text(row, 1), wg_row_int(row, 2), wg_row_int(row, 3),
                 t->ctx);
}

enum wg_rc wg_store_patrol_track(struct wg_db *db, long long patrol,
                                 int (*cb)(const char *batch, const char *sealed, long long n,
                                           long long at, void *ctx),
                                 void *ctx, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(patrol)};
    struct track_each t = {cb, ctx};
    return wg_db_query(db, WG_Q_PATROL_TRACK, v, 1, take_batch, &t, err);
}

enum wg_rc wg_store_patrol_track_purge(struct wg_db *db, long long before, long *n,
                                       struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(before)};
    return wg_db_exec(db, WG_Q_PATROL_TRACK_PURGE, v, 1, n, err);
}

enum wg_rc wg_store_patrol_order_add(struct wg_db *db, long long order_id, long long patrol,
                                     long long now, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(order_id), WG_VINT(patrol), WG_VINT(now)};
    return wg_db_exec(db, WG_Q_PATROL_ORDER_ADD, v, 3, NULL, err);
}

struct orders_each {
    int (*cb)(long long, const char *, void *);
    void *ctx;
};

static int take_order(struct wg_row *row, void *ctx)
{
    struct orders_each *o = ctx;
    return o->cb(wg_row_int(row, 0), wg_row_text(row, 1), o->ctx);
}

enum wg_rc wg_store_patrol_orders(struct wg_db *db, long long patrol,
                                  int (*cb)(long long order_id, const char *number, void *ctx),
                                  void *ctx, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(patrol)};
    struct orders_each o = {cb, ctx};
    return wg_db_query(db, WG_Q_PATROL_ORDERS, v, 1, take_order, &o, err);
}
