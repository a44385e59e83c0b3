/* Devices (设备, issue 21 item 1; docs/API.md "Devices and alerts"): the cameras, sensors and
 * drones whose alerts come in through POST /api/v1/alerts. A device is known by its own code
 * (a GB/T 28181 20-digit id, or the vendor's), has a kind (camera, sensor, drone), a name,
 * a point (WGS84) located to the grid it stands in when written, an owner unit (an existing
 * unit, told of its alerts) and an address. Retiring a device keeps it and its alerts;
 * alerts from it are refused until it is written again. Readable by the grid (a region
 * scope) or the owner unit (a unit scope). */
#ifndef WG_DOMAIN_DEVICE_H
#define WG_DOMAIN_DEVICE_H

#include <jansson.h>

#include "core/err.h"
#include "domain/accounts/account.h"
#include "domain/map/locate.h"
#include "store/alerts/device_q.h"
#include "store/store.h"

#define WG_DEVICE_LIST_MAX 500

extern const char *const wg_device_kinds[];  /* camera, sensor, drone */
extern const char *const wg_device_fields[]; /* id, kind, name, point, unit, address */

/* Reads and checks a device's JSON (every field named), locates its point (outside every
 * grid: WG_EINVAL naming 'point') and checks its unit exists: into *d. path_id (NULL for a
 * POST) is the id a PUT names; a body's id must then be the same or absent. */
enum wg_rc wg_device_read(struct wg_db *db, const struct wg_locator *loc, const json_t *in,
                          const char *path_id, struct wg_device_row *d, struct wg_err *err);
/* Stores it: create (WG_ECONFLICT when the id is taken) or replace (WG_ENOTFOUND when none). */
enum wg_rc wg_device_save(struct wg_db *db, const struct wg_device_row *d, int create,
                          long long now, struct wg_err *err);
json_t *wg_device_json(const struct wg_device_row *d);
/* One device readable in scope (WG_ENOTFOUND outside it); *version for the ETag. */
enum wg_rc wg_device_view(struct wg_db *db, const struct wg_scope *scope, const char *id,
                          json_t **out, long long *version, struct wg_err *err);
struct wg_device_query {
    const char *kind, *grid, *unit, *q, *retired, *limit, *offset;
};
/* {"devices": [...], total, limit, offset}: by id, in scope. */
enum wg_rc wg_device_list(struct wg_db *db, const struct wg_scope *scope,
                          const struct wg_device_query *q, json_t **out, struct wg_err *err);
/* Retires device id (WG_ENOTFOUND when none); its alerts stay. */
enum wg_rc wg_device_retire(struct wg_db *db, const char *id, long long now, struct wg_err *err);

/* A CSV of devices (columns by their English or Chinese names: id/编号, kind/类型,
 * name/名称, lon/经度, lat/纬度, unit/权属单位, address/地址), all rows or none: every bad row is
 * named by its line and column in *report's "errors" and nothing is stored (WG_EINVAL); else
 * each row created, updated or left unchanged (a re-import changes nothing). *report is
 * {rows, created, updated, unchanged, errors: [{line, column, message}]}. */
enum wg_rc wg_device_import(struct wg_db *db, const struct wg_locator *loc, const char *data,
                            size_t len, long long now, json_t **report, struct wg_err *err);

#endif
