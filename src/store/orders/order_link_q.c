/* Typed queries over what links an order to more than its own row: its assisting units
 * (co-handling), the special lines it went to, and the duplicates merged into it. */
#include "store/store.h"

#include "store/backend.h"
#include "store/orders/orders_q.h"

enum wg_rc wg_store_order_assist_set(struct wg_db *db, long long order_id, const char *const *units,
                                     size_t n, struct wg_err *err)
{
    struct wg_val id[] = {WG_VINT(order_id)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_ORDER_ASSIST_CLEAR, id, 1, NULL, err);
    for (size_t i = 0; !rc && i < n; i++) {
        struct wg_val p[] = {WG_VINT(order_id), WG_VTEXT(units[i]), WG_VINT((long long)i)};
        rc = wg_db_exec(db, WG_Q_ORDER_ASSIST_INSERT, p, WG_NVALS(p), NULL, err);
    }
    return rc;
}

struct each_assist {
    int (*cb)(const char *, const char *, const char *, void *);
    void *ctx;
};

static int each_assist(struct wg_row *row, void *ctx)
{
    struct each_assist *e = ctx;
    return e->cb(wg_row_text(row, 0), wg_row_text(row, 1), wg_row_text(row, 2), e->ctx);
}

enum wg_rc wg_store_order_assist_each(struct wg_db *db, long long order_id,
                                      int (*cb)(const char *unit, const char *signed_at,
                                                const char *replied_at, void *),
                                      void *ctx, struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(order_id)};
    struct each_assist e = {cb, ctx};
    return wg_db_query(db, WG_Q_ORDER_ASSIST_LIST, p, 1, each_assist, &e, err);
}

enum wg_rc wg_store_order_assist_mark(struct wg_db *db, long long order_id, const char *unit,
                                      int replied, const char *at, struct wg_err *err)
{
    if (replied) {
        struct wg_val p[] = {WG_VTEXT(at), WG_VTEXT(at), WG_VINT(order_id), WG_VTEXT(unit)};
        return wg_db_exec(db, WG_Q_ORDER_ASSIST_REPLIED, p, WG_NVALS(p), NULL, err);
    }
    struct wg_val p[] = {WG_VTEXT(at), WG_VINT(order_id), WG_VTEXT(unit)};
    return wg_db_exec(db, WG_Q_ORDER_ASSIST_SIGNED, p, WG_NVALS(p), NULL, err);
}

enum wg_rc wg_store_order_line_add(struct wg_db *db, long long order_id, const char *line,
                                   const char *at, const char *actor, int *added,
                                   struct wg_err *err)
{
    long n = 0;
    struct wg_val p[] = {WG_VINT(order_id), WG_VTEXT(line), WG_VTEXT(at), WG_VTEXT(actor)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_ORDER_LINE_INSERT, p, WG_NVALS(p), &n, err);
    if (added)
        *added = n > 0;
    return rc;
}

struct each_line {
    int (*cb)(const char *, const char *, const char *, void *);
    void *ctx;
};

static int each_line(struct wg_row *row, void *ctx)
{
    struct each_line *e = ctx;
    return e->cb(wg_row_text(row, 0), wg_row_text(row, 1), wg_row_text(row, 2), e->ctx);
}

enum wg_rc wg_store_order_lines(struct wg_db *db, long long order_id,
                                int (*cb)(const char *line, const char *at, const char *actor,
                                          void *),
                                void *ctx, struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(order_id)};
    struct each_line e = {cb, ctx};
    return wg_db_query(db, WG_Q_ORDER_LINE_LIST, p, 1, each_line, &e, err);
}

struct each_child {
    int (*cb)(const struct wg_order_child *, void *);
    void *ctx;
};

static int each_child(struct wg_row *row, void *ctx)
{
    struct each_child *e = ctx;
    struct wg_order_child c = {wg_row_int(row, 0),      wg_row_text(row, 1),
                               wg_row_text(row, 2),     (int)wg_row_int(row, 3),
                               (int)wg_row_int(row, 4), (int)wg_row_int(row, 5)};
    return e->cb(&c, e->ctx);
}

enum wg_rc wg_store_order_children_callback(struct wg_db *db, long long master_id,
                                            int (*cb)(const struct wg_order_child *, void *),
                                            void *ctx, struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(master_id)};
    struct each_child e = {cb, ctx};
    return wg_db_query(db, WG_Q_ORDER_CHILDREN_CALLBACK, p, 1, each_child, &e, err);
}
