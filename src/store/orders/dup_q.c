/* Typed queries of duplicate candidates (migration 28): the three bounded searches intake
 * runs for a new order, and the candidates kept with it. */
#include "store/store.h"

#include "core/alloc.h"
#include "store/backend.h"
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
                             const double box[4], int (*cb)(const struct wg_dup_row *, void *),
                             void *ctx, struct wg_err *err)
{
    struct each e = {cb, ctx};
    struct wg_val p[] = {WG_VTEXT(item),     WG_VTEXT(w->lo),  WG_VTEXT(w->hi),
                         WG_VTEXT(w->since), WG_VREAL(box[0]), WG_VREAL(box[1]),
                         WG_VREAL(box[2]),   WG_VREAL(box[3]), WG_VINT(w->limit)};
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

struct where {
    char *state, *grid, *county;
    int found;
};

static int take_where(struct wg_row *row, void *ctx)
{
    struct where *w = ctx;
    wg_row_copy(row, 0, w->state, 16);
    wg_row_copy(row, 1, w->grid, 24);
    wg_row_copy(row, 2, w->county, 8);
    w->found = 1;
    return 1;
}

enum wg_rc wg_store_dup_state(struct wg_db *db, long long id, char state[16], char grid[24],
                              char county[8], int *found, struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(id)};
    struct where w = {state, grid, county, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_DUP_STATE, p, WG_NVALS(p), take_where, &w, err);
    *found = w.found;
    return rc;
}
