/* Typed queries over the registry's households and the registry_sensitive grant
 * (registry_q.h). */
#include "store/store.h"

#include "store/backend.h"
#include "store/registry/registry_q.h"

enum wg_rc wg_store_household_insert(struct wg_db *db, const struct wg_household_row *h,
                                     long long now, long long *id, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(h->number),  WG_VTEXT(h->grid),
                         WG_VTEXT(h->address), h->head ? WG_VINT(h->head) : WG_VNULL,
                         WG_VTEXT0(h->worker), WG_VINT(now)};
    return wg_db_query_int(db, WG_Q_HOUSEHOLD_INSERT, v, WG_NVALS(v), id, NULL, err);
}

enum wg_rc wg_store_household_update(struct wg_db *db, const struct wg_household_row *h,
                                     long long now, int *changed, struct wg_err *err)
{
    long n = 0;
    struct wg_val v[] = {WG_VTEXT(h->number),  WG_VTEXT(h->grid),
                         WG_VTEXT(h->address), h->head ? WG_VINT(h->head) : WG_VNULL,
                         WG_VTEXT0(h->worker), WG_VINT(now),
                         WG_VINT(h->id),       WG_VINT(h->version)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_HOUSEHOLD_UPDATE, v, WG_NVALS(v), &n, err);
    *changed = n > 0;
    return rc;
}

struct each {
    int (*cb)(const struct wg_household_row *, void *);
    void *ctx;
    int rows;
};

static int take(struct wg_row *row, void *ctx)
{
    struct each *e = ctx;
    struct wg_household_row h = {.id = wg_row_int(row, 0),
                                 .address = wg_row_text(row, 3),
                                 .head = wg_row_int(row, 4),
                                 .created_at = wg_row_int(row, 6),
                                 .updated_at = wg_row_int(row, 7),
                                 .version = wg_row_int(row, 8)};
    if (wg_row_copy(row, 1, h.number, sizeof h.number) ||
        wg_row_copy(row, 2, h.grid, sizeof h.grid) ||
        wg_row_copy(row, 5, h.worker, sizeof h.worker))
        return -1;
    e->rows++;
    return e->cb(&h, e->ctx);
}

enum wg_rc wg_store_household_get(struct wg_db *db, long long id,
                                  int (*cb)(const struct wg_household_row *, void *), void *ctx,
                                  struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id)};
    struct each e = {cb, ctx, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_HOUSEHOLD_GET, v, 1, take, &e, err);
    if (!rc && !e.rows)
        rc = wg_err_set(err, WG_ENOTFOUND, "household %lld does not exist", id);
    return rc;
}

enum wg_rc wg_store_household_by_number(struct wg_db *db, const char *number, long long *id,
                                        struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(number)};
    *id = 0;
    return wg_db_query_int(db, WG_Q_HOUSEHOLD_BY_NUMBER, v, 1, id, NULL, err);
}

enum wg_rc wg_store_household_list(struct wg_db *db, const char *lo, const char *hi,
                                   const char *after_grid, long long after_id, int limit,
                                   int (*cb)(const struct wg_household_row *, void *), void *ctx,
                                   struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(lo), WG_VTEXT(hi), WG_VTEXT(after_grid), WG_VINT(after_id),
                         WG_VINT(limit)};
    struct each e = {cb, ctx, 0};
    return wg_db_query(db, WG_Q_HOUSEHOLD_LIST, v, WG_NVALS(v), take, &e, err);
}

enum wg_rc wg_store_registry_grant(struct wg_db *db, const char *username, const char *by,
                                   long long now, int granted, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(username), WG_VTEXT(by), WG_VINT(now)};
    if (!granted)
        return wg_db_exec(db, WG_Q_REGISTRY_GRANT_DELETE, v, 1, NULL, err);
    return wg_db_exec(db, WG_Q_REGISTRY_GRANT_SET, v, 3, NULL, err);
}

enum wg_rc wg_store_registry_granted(struct wg_db *db, const char *username, int *granted,
                                     struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(username)};
    long long n = 0;
    enum wg_rc rc = wg_db_query_int(db, WG_Q_REGISTRY_GRANT_HAS, v, 1, &n, NULL, err);
    *granted = n > 0;
    return rc;
}
