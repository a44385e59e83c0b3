/* Devices (device_q.h). */
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#include "store/alerts/device_q.h"
#include "store/backend.h"

enum wg_rc wg_store_device_insert(struct wg_db *db, const struct wg_device_row *d, long long now,
                                  struct wg_err *err)
{
    struct wg_device_row old;
    struct wg_err e = {0};
    if (!wg_store_device_get(db, d->id, &old, &e))
        return wg_err_set(err, WG_ECONFLICT,
                          "device '%s' exists already: PUT /api/v1/devices/%s changes it", d->id,
                          d->id);
    struct wg_val v[] = {WG_VTEXT(d->id),   WG_VTEXT(d->kind),    WG_VTEXT(d->name),
                         WG_VREAL(d->lon),  WG_VREAL(d->lat),     WG_VTEXT(d->grid),
                         WG_VTEXT(d->unit), WG_VTEXT(d->address), WG_VINT(now)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_DEVICE_INSERT, v, WG_NVALS(v), NULL, err);
    return rc ? rc : wg_store_meta_bump(db, WG_DEVICE_EPOCH, err);
}

enum wg_rc wg_store_device_update(struct wg_db *db, const struct wg_device_row *d, long long now,
                                  struct wg_err *err)
{
    long n = 0;
    struct wg_val v[] = {WG_VTEXT(d->id),   WG_VTEXT(d->kind),    WG_VTEXT(d->name),
                         WG_VREAL(d->lon),  WG_VREAL(d->lat),     WG_VTEXT(d->grid),
                         WG_VTEXT(d->unit), WG_VTEXT(d->address), WG_VINT(now)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_DEVICE_UPDATE, v, WG_NVALS(v), &n, err);
    if (!rc && n != 1)
        rc = wg_err_set(err, WG_ENOTFOUND, "device '%s' does not exist", d->id);
    return rc ? rc : wg_store_meta_bump(db, WG_DEVICE_EPOCH, err);
}

enum wg_rc wg_store_device_retire(struct wg_db *db, const char *id, long long now, int *changed,
                                  struct wg_err *err)
{
    long n = 0;
    struct wg_val v[] = {WG_VTEXT(id), WG_VINT(now)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_DEVICE_RETIRE, v, WG_NVALS(v), &n, err);
    *changed = !rc && n == 1;
    return rc || !*changed ? rc : wg_store_meta_bump(db, WG_DEVICE_EPOCH, err);
}

struct each {
    int (*cb)(const struct wg_device_row *, void *);
    void *ctx;
    int rows;
};

static int take(struct wg_row *row, void *ctx)
{
    struct each *e = ctx;
    struct wg_device_row d;
    memset(&d, 0, sizeof d);
    wg_row_copy(row, 0, d.id, sizeof d.id);
    wg_row_copy(row, 1, d.kind, sizeof d.kind);
    wg_row_copy(row, 2, d.name, sizeof d.name);
    d.lon = wg_row_real(row, 3);
    d.lat = wg_row_real(row, 4);
    wg_row_copy(row, 5, d.grid, sizeof d.grid);
    wg_row_copy(row, 6, d.unit, sizeof d.unit);
    wg_row_copy(row, 7, d.address, sizeof d.address);
    d.retired = (int)wg_row_int(row, 8);
    d.version = wg_row_int(row, 9);
    d.created_at = wg_row_int(row, 10);
    d.updated_at = wg_row_int(row, 11);
    e->rows++;
    return e->cb(&d, e->ctx);
}

static int copy_one(const struct wg_device_row *d, void *ctx)
{
    *(struct wg_device_row *)ctx = *d;
    return 1;
}

enum wg_rc wg_store_device_get(struct wg_db *db, const char *id, struct wg_device_row *out,
                               struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(id)};
    struct each e = {copy_one, out, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_DEVICE_GET, v, 1, take, &e, err);
    if (!rc && !e.rows)
        rc = wg_err_set(err, WG_ENOTFOUND, "device '%s' does not exist", id);
    return rc;
}

#define FILTER_VALS(f)                                                                             \
    WG_VTEXT(f->scope_prefix), WG_VTEXT(f->scope_unit), WG_VTEXT(f->kind), WG_VTEXT(f->grid),      \
        WG_VTEXT(f->unit), WG_VTEXT(f->q), WG_VINT(f->retired)

enum wg_rc wg_store_device_list(struct wg_db *db, const struct wg_device_filter *f,
                                int (*cb)(const struct wg_device_row *, void *), void *ctx,
                                struct wg_err *err)
{
    struct wg_val v[] = {FILTER_VALS(f), WG_VINT(f->limit), WG_VINT(f->offset)};
    struct each e = {cb, ctx, 0};
    return wg_db_query(db, WG_Q_DEVICE_LIST, v, WG_NVALS(v), take, &e, err);
}

enum wg_rc wg_store_device_count(struct wg_db *db, const struct wg_device_filter *f, long long *n,
                                 struct wg_err *err)
{
    struct wg_val v[] = {FILTER_VALS(f)};
    *n = 0;
    return wg_db_query_int(db, WG_Q_DEVICE_COUNT, v, WG_NVALS(v), n, NULL, err);
}
