/* Devices (migration 44; domain/alerts/device.h): typed functions of the store; only
 * src/store/ speaks SQL. */
#ifndef WG_STORE_DEVICE_Q_H
#define WG_STORE_DEVICE_Q_H

#include "store/store.h"

struct wg_device_row {
    char id[64], kind[12], name[128];
    double lon, lat;
    char grid[24], unit[64], address[256];
    int retired;
    long long version, created_at, updated_at;
};

/* What a list reads: the scope (a grid prefix, "" all; a unit, "" any) and the filters ("" any). */
struct wg_device_filter {
    const char *scope_prefix, *scope_unit;
    const char *kind, *grid, *unit, *q;
    int retired; /* 1: retired ones too */
    long long limit, offset;
};

/* Every write of a device moves this named counter (wg_store_meta_bump), so a server's copy
 * of the devices (alert.h, struct wg_alert_devices) knows when to read them again. */
#define WG_DEVICE_EPOCH "device_epoch"

/* WG_ECONFLICT when the id is taken. */
enum wg_rc wg_store_device_insert(struct wg_db *db, const struct wg_device_row *d, long long now,
                                  struct wg_err *err);
/* Writes d over device d->id (its version moves on, a retired one comes back); WG_ENOTFOUND
 * when there is no such device. */
enum wg_rc wg_store_device_update(struct wg_db *db, const struct wg_device_row *d, long long now,
                                  struct wg_err *err);
/* *changed 0 when it was retired already. */
enum wg_rc wg_store_device_retire(struct wg_db *db, const char *id, long long now, int *changed,
                                  struct wg_err *err);
enum wg_rc wg_store_device_get(struct wg_db *db, const char *id, struct wg_device_row *out,
                               struct wg_err *err);
enum wg_rc wg_store_device_list(struct wg_db *db, const struct wg_device_filter *f,
                                int (*cb)(const struct wg_device_row *, void *), void *ctx,
                                struct wg_err *err);
enum wg_rc wg_store_device_count(struct wg_db *db, const struct wg_device_filter *f, long long *n,
                                 struct wg_err *err);

#endif
