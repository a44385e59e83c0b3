/* Typed queries of duplicate candidates (migration 28): the three bounded searches intake
 * runs for a new order, and the candidates kept with it. */
#include "store/store.h"

#include "core/alloc.h"
#include "store/backend.h"
#include "store/gather.h"
#include "store/orders/orders_q.h"

struct each {
    int (*cb)(const struct wg_dup_row *, void *);
    void *ctx;
};

static int take(struct wg_row *row, void *ctx)
{
    struct each *e = ctx;
    struct wg_dup_row r = {
        .id = wg_row_int(row, 0),
        .number = wg_row_text(row, 1),
        .title = wg_row_text(row, 2),
        .state = wg_row_text(row, 3),
        .grid = wg_row_text(row, 4),
        .has_point = !wg_row_isnull(row, 5) && !wg_row_isnull(row, 6),
        .lon = wg_row_real(row, 5),
        .lat = wg_row_real(row, 6),
        .text = wg_row_text(row, 7),
    };
    return e->cb(&r, e->ctx);
}

enum wg_rc wg_store_dup_near(struct wg_db *db, const char *item, const struct wg_dup_window *w,
                             const double box[4], long long scan,
                             int (*cb)(const struct wg_dup_row *, void *), void *ctx,
                             struct wg_err *err)
{
    struct each e = {cb, ctx};
    struct wg_val p[] = {WG_VTEXT(item),    WG_VTEXT(w->lo),  WG_VTEXT(w->hi),  WG_VTEXT(w->since),
                         WG_VREAL(box[0]),  WG_VREAL(box[1]), WG_VREAL(box[2]), WG_VREAL(box[3]),
                         WG_VINT(w->limit), WG_VINT(scan)};
    return wg_db_query(db, WG_Q_DUP_NEAR, p, WG_NVALS(p), take, &e, err);
}

enum wg_rc wg_store_dup_phone(struct wg_db *db, const char *blind, const struct wg_dup_window *w,
                              int (*cb)(const struct wg_dup_row *, void *), void *ctx,
                              struct wg_err *err)
{
    struct each e = {cb, ctx};
    struct wg_val p[] = {WG_VTEXT(blind), WG_VTEXT(w->lo), WG_VTEXT(w->hi), WG_VTEXT(w->since),
                         WG_VINT(w->limit)};
    return wg_db_query(db, WG_Q_DUP_PHONE, p, WG_NVALS(p), take, &e, err);
}

enum wg_rc wg_store_dup_recent(struct wg_db *db, const struct wg_dup_window *w,
                               int (*cb)(const struct wg_dup_row *, void *), void *ctx,
                               struct wg_err *err)
{
    struct each e = {cb, ctx};
    struct wg_val p[] = {WG_VTEXT(w->lo), WG_VTEXT(w->hi), WG_VTEXT(w->since), WG_VINT(w->limit)};
    return wg_db_query(db, WG_Q_DUP_RECENT, p, WG_NVALS(p), take, &e, err);
}

enum wg_rc wg_store_dup_set(struct wg_db *db, long long order_id, const char *json,
                            struct wg_err *err)
{
    if (wg_gather_dup(db, order_id, json)) /* with the batch's other rows */
        return WG_OK;
    struct wg_val p[] = {WG_VINT(order_id), WG_VTEXT(json)};
    return wg_db_exec(db, WG_Q_DUP_INSERT, p, WG_NVALS(p), NULL, err);
}

static int take_text(struct wg_row *row, void *ctx)
{
    *(char **)ctx = wg_strdup(wg_row_text(row, 0));
    return 1;
}

enum wg_rc wg_store_dup_get(struct wg_db *db, long long order_id, char **out, struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(order_id)};
    *out = NULL;
    return wg_db_query(db, WG_Q_DUP_GET, p, WG_NVALS(p), take_text, out, err);
}

struct info {
    struct wg_dup_info *out;
    int found;
};

static int take_info(struct wg_row *row, void *ctx)
{
    struct info *i = ctx;
    wg_row_copy(row, 0, i->out->number, sizeof i->out->number);
    i->out->title = wg_strdup(wg_row_text(row, 1));
    wg_row_copy(row, 2, i->out->state, sizeof i->out->state);
    wg_row_copy(row, 3, i->out->grid, sizeof i->out->grid);
    wg_row_copy(row, 4, i->out->county, sizeof i->out->county);
    i->found = 1;
    return 1;
}

enum wg_rc wg_store_dup_info(struct wg_db *db, long long id, struct wg_dup_info *out, int *found,
                             struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(id)};
    struct info i = {out, 0};
    memset(out, 0, sizeof *out);
    enum wg_rc rc = wg_db_query(db, WG_Q_DUP_INFO, p, WG_NVALS(p), take_info, &i, err);
    *found = i.found;
    return rc;
}

/* ---- the window kept in memory (domain/orders/dup_cache.h) ---- */

enum wg_rc wg_store_dup_top(struct wg_db *db, long long *out, struct wg_err *err)
{
    return wg_db_query_int(db, WG_Q_DUP_TOP, NULL, 0, out, NULL, err);
}

struct each_fact {
    int (*cb)(const struct wg_dup_fact *, void *);
    void *ctx;
};

static int take_fact(struct wg_row *row, void *ctx)
{
    struct each_fact *e = ctx;
    struct wg_dup_fact f = {
        .id = wg_row_int(row, 0),
        .county = wg_row_text(row, 1),
        .number = wg_row_text(row, 2),
        .created_at = wg_row_text(row, 3),
        .item = wg_row_text(row, 4),
        .has_point = !wg_row_isnull(row, 5) && !wg_row_isnull(row, 6),
        .lon = wg_row_real(row, 5),
        .lat = wg_row_real(row, 6),
        .state = wg_row_text(row, 7),
        .title = wg_row_text(row, 8),
        .text = wg_row_text(row, 9),
    };
    return e->cb(&f, e->ctx);
}

enum wg_rc wg_store_dup_new(struct wg_db *db, long long after, long long limit,
                            int (*cb)(const struct wg_dup_fact *, void *), void *ctx,
                            struct wg_err *err)
{
    struct each_fact e = {cb, ctx};
    struct wg_val p[] = {WG_VINT(after), WG_VINT(limit)};
    return wg_db_query(db, WG_Q_DUP_NEW, p, WG_NVALS(p), take_fact, &e, err);
}

enum wg_rc wg_store_dup_fill(struct wg_db *db, const char *county, const char *since,
                             int (*cb)(const struct wg_dup_fact *, void *), void *ctx,
                             struct wg_err *err)
{
    struct each_fact e = {cb, ctx};
    struct wg_val p[] = {WG_VTEXT(county), WG_VTEXT(since)};
    return wg_db_query(db, WG_Q_DUP_FILL, p, WG_NVALS(p), take_fact, &e, err);
}

struct each_id {
    int (*cb)(long long, void *);
    void *ctx;
};

static int take_id(struct wg_row *row, void *ctx)
{
    struct each_id *e = ctx;
    return e->cb(wg_row_int(row, 0), e->ctx);
}

enum wg_rc wg_store_dup_dead(struct wg_db *db, const char *county, const char *since,
                             int (*cb)(long long, void *), void *ctx, struct wg_err *err)
{
    struct each_id e = {cb, ctx};
    struct wg_val p[] = {WG_VTEXT(county), WG_VTEXT(since)};
    return wg_db_query(db, WG_Q_DUP_DEAD, p, WG_NVALS(p), take_id, &e, err);
}

enum wg_rc wg_store_dup_rows(struct wg_db *db, const char *ids, const struct wg_dup_window *w,
                             int (*cb)(const struct wg_dup_row *, void *), void *ctx,
                             struct wg_err *err)
{
    struct each e = {cb, ctx};
    struct wg_val p[] = {WG_VTEXT(ids), WG_VTEXT(w->lo), WG_VTEXT(w->since)};
    return wg_db_query(db, WG_Q_DUP_ROWS, p, WG_NVALS(p), take, &e, err);
}
