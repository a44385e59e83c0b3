/* Devices (device.h): checked, located, stored, read in scope, imported from CSV. */
#include "domain/alerts/device.h"
#include "core/param.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/jfield.h"
#include "core/table.h"
#include "domain/alerts/alert.h"
#include "store/catalog/catalog_q.h"

const char *const wg_device_kinds[] = {"camera", "sensor", "drone", NULL};
const char *const wg_device_fields[] = {"id",        "kind", "name",    "point", "point.lon",
                                        "point.lat", "unit", "address", NULL};

static enum wg_rc check_id(const char *id, struct wg_err *err)
{
    for (const char *p = id; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
              *p == '-' || *p == '_' || *p == '.'))
            return wg_err_set(err, WG_EINVAL,
                              "'id': '%s' is a device code of letters, digits, '-', '_' and '.'",
                              id);
    return WG_OK;
}

/* The rest of a device once its fields are read: the point located, the unit known. */
static enum wg_rc place(struct wg_db *db, const struct wg_locator *loc, struct wg_device_row *d,
                        struct wg_err *err)
{
    struct wg_locate_result where;
    struct wg_unit_row u;
    struct wg_err e = {0};
    if (!loc || wg_locator_locate(loc, d->lon, d->lat, WG_CRS_WGS84, &where, &e))
        return wg_err_set(err, WG_EINVAL, "'point' (%.6f, %.6f) lies in no grid", d->lon, d->lat);
    d->lon = where.lon, d->lat = where.lat;
    snprintf(d->grid, sizeof d->grid, "%s", where.grid->code);
    enum wg_rc rc = wg_store_unit_get(db, d->unit, &u, &e);
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL, "'unit': '%s' is not a unit", d->unit);
    if (rc)
        *err = e;
    return rc;
}

enum wg_rc wg_device_read(struct wg_db *db, const struct wg_locator *loc, const json_t *in,
                          const char *path_id, struct wg_device_row *d, struct wg_err *err)
{
    const char *id, *kind, *name, *unit, *address;
    enum wg_rc rc;
    memset(d, 0, sizeof *d);
    if (!json_is_object(in))
        return wg_err_set(err, WG_EINVAL,
                          "a device is a JSON object {id, kind, name, point, "
                          "unit, address}");
    if ((rc = wg_jf_known(in, wg_device_fields, "a device", err)) ||
        (rc = wg_jf_text(in, "id", path_id ? 0 : 1, 63, &id, err)) ||
        (rc = wg_jf_one_of(in, "kind", wg_device_kinds, NULL, &kind, err)) ||
        (rc = wg_jf_text(in, "name", 1, 100, &name, err)) ||
        (rc = wg_jf_text(in, "unit", 1, 63, &unit, err)) ||
        (rc = wg_jf_text(in, "address", 0, 200, &address, err)))
        return rc;
    if (path_id && id && strcmp(id, path_id))
        return wg_err_set(err, WG_EINVAL, "'id': '%s' is not the device of the path ('%s')", id,
                          path_id);
    if (!id)
        id = path_id;
    if ((rc = check_id(id, err)))
        return rc;
    const json_t *p = json_object_get(in, "point");
    const json_t *lon = json_object_get(p, "lon"), *lat = json_object_get(p, "lat");
    if (!json_is_object(p) || !json_is_number(lon) || !json_is_number(lat) ||
        fabs(json_number_value(lon)) > 180 || fabs(json_number_value(lat)) > 90)
        return wg_err_set(err, WG_EINVAL, "'point' is {\"lon\": …, \"lat\": …} in degrees (WGS84)");
    snprintf(d->id, sizeof d->id, "%s", id);
    snprintf(d->kind, sizeof d->kind, "%s", kind);
    snprintf(d->name, sizeof d->name, "%s", name);
    snprintf(d->unit, sizeof d->unit, "%s", unit);
    snprintf(d->address, sizeof d->address, "%s", address ? address : "");
    d->lon = json_number_value(lon);
    d->lat = json_number_value(lat);
    return place(db, loc, d, err);
}

enum wg_rc wg_device_save(struct wg_db *db, const struct wg_device_row *d, int create,
                          long long now, struct wg_err *err)
{
    return create ? wg_store_device_insert(db, d, now, err)
                  : wg_store_device_update(db, d, now, err);
}

json_t *wg_device_json(const struct wg_device_row *d)
{
    return json_pack("{s:s,s:s,s:s,s:{s:f,s:f},s:s,s:s,s:s,s:b,s:I,s:I}", "id", d->id, "kind",
                     d->kind, "name", d->name, "point", "lon", d->lon, "lat", d->lat, "grid",
                     d->grid, "unit", d->unit, "address", d->address, "retired", d->retired,
                     "version", (json_int_t)d->version, "updated_at", (json_int_t)d->updated_at);
}

enum wg_rc wg_device_view(struct wg_db *db, const struct wg_scope *scope, const char *id,
                          json_t **out, long long *version, struct wg_err *err)
{
    struct wg_device_row d;
    *out = NULL;
    enum wg_rc rc = wg_store_device_get(db, id, &d, err);
    if (!rc && !wg_alert_visible(scope, d.grid, d.unit))
        rc = wg_err_set(err, WG_ENOTFOUND, "device '%s' does not exist", id);
    if (rc)
        return rc;
    *version = d.version;
    *out = wg_device_json(&d);
    return WG_OK;
}

static int on_device(const struct wg_device_row *d, void *ctx)
{
    json_array_append_new(ctx, wg_device_json(d));
    return 0;
}

enum wg_rc wg_device_list(struct wg_db *db, const struct wg_scope *scope,
                          const struct wg_device_query *q, json_t **out, struct wg_err *err)
{
    int unit = wg_scope_is_unit(scope);
    struct wg_device_filter f = {unit ? "" : scope->code,
                                 unit ? scope->code : "",
                                 q->kind ? q->kind : "",
                                 q->grid ? q->grid : "",
                                 q->unit ? q->unit : "",
                                 q->q ? q->q : "",
                                 q->retired && !strcmp(q->retired, "true"),
                                 0,
                                 0};
    long long total = 0;
    enum wg_rc rc;
    *out = NULL;
    int known = !*f.kind;
    for (const char *const *k = wg_device_kinds; !known && *k; k++)
        known = !strcmp(*k, f.kind);
    if (!known)
        return wg_err_set(err, WG_EINVAL, "'kind' is one of camera, sensor, drone");
    if (strspn(f.grid, "0123456789") != strlen(f.grid) || strlen(f.grid) > 19)
        return wg_err_set(err, WG_EINVAL, "'grid' is a grid or region code of digits");
    if (strlen(f.q) > 100)
        return wg_err_set(err, WG_EINVAL, "'q' is at most 100 bytes");
    f.limit = 50;
    f.offset = 0;
    if ((rc = wg_param_count(q->limit, "limit", 1, WG_DEVICE_LIST_MAX, &f.limit, err)) ||
        (rc = wg_param_count(q->offset, "offset", 0, 1000000000, &f.offset, err)))
        return rc;
    json_t *arr = json_array();
    if ((rc = wg_store_device_list(db, &f, on_device, arr, err)) ||
        (rc = wg_store_device_count(db, &f, &total, err))) {
        json_decref(arr);
        return rc;
    }
    *out = json_pack("{s:o,s:I,s:I,s:I}", "devices", arr, "total", (json_int_t)total, "limit",
                     (json_int_t)f.limit, "offset", (json_int_t)f.offset);
    return WG_OK;
}

enum wg_rc wg_device_retire(struct wg_db *db, const char *id, long long now, struct wg_err *err)
{
    struct wg_device_row d;
    int changed = 0;
    enum wg_rc rc = wg_store_device_get(db, id, &d, err);
    return rc ? rc : wg_store_device_retire(db, id, now, &changed, err);
}

/* ---- CSV import ---- */

enum col { C_ID, C_KIND, C_NAME, C_LON, C_LAT, C_UNIT, C_ADDRESS, C_N };
static const char *const col_names[C_N][3] = {
    {"id", "编号", "设备编号"}, {"kind", "类型", "设备类型"}, {"name", "名称", "设备名称"},
    {"lon", "经度", NULL},      {"lat", "纬度", NULL},        {"unit", "权属单位", "单位"},
    {"address", "地址", NULL}};
static const char *const kind_zh[][2] = {
    {"摄像头", "camera"}, {"视频监控", "camera"}, {"传感器", "sensor"}, {"无人机", "drone"}};

struct import {
    struct wg_db *db;
    const struct wg_locator *loc;
    long long now;
    int col[C_N];
    json_t *errors;
    long long rows, created, updated, unchanged;
    int writing;
};

static void bad(struct import *im, size_t line, const char *column, const char *msg)
{
    if (json_array_size(im->errors) < 1000)
        json_array_append_new(im->errors, json_pack("{s:I,s:s,s:s}", "line", (json_int_t)line,
                                                    "column", column, "message", msg));
}

static const char *cell(const struct wg_table_row *r, struct import *im, enum col c)
{
    int i = im->col[c];
    return i >= 0 && (size_t)i < r->ncells ? r->cell[i] : "";
}

static int same(const struct wg_device_row *a, const struct wg_device_row *b)
{
    return !a->retired && !strcmp(a->kind, b->kind) && !strcmp(a->name, b->name) &&
           a->lon == b->lon && a->lat == b->lat && !strcmp(a->grid, b->grid) &&
           !strcmp(a->unit, b->unit) && !strcmp(a->address, b->address);
}

static enum wg_rc header(const struct wg_table_row *r, struct import *im, struct wg_err *err)
{
    for (int c = 0; c < C_N; c++)
        im->col[c] = -1;
    for (size_t i = 0; i < r->ncells; i++)
        for (int c = 0; c < C_N; c++)
            for (int k = 0; k < 3 && col_names[c][k]; k++)
                if (!strcmp(r->cell[i], col_names[c][k]))
                    im->col[c] = (int)i;
    for (int c = 0; c < C_N; c++)
        if (im->col[c] < 0 && c != C_ADDRESS)
            return wg_err_set(err, WG_EINVAL,
                              "line 1: the header has no column '%s' (or '%s'); the columns: "
                              "id/编号, kind/类型, name/名称, lon/经度, lat/纬度, unit/权属单位, "
                              "address/地址",
                              col_names[c][0], col_names[c][1]);
    return WG_OK;
}

static enum wg_rc on_row(const struct wg_table_row *r, void *ctx, struct wg_err *err)
{
    struct import *im = ctx;
    struct wg_device_row d, old;
    struct wg_err e = {0};
    char *end;
    if (r->row == 1)
        return header(r, im, err);
    int empty = 1;
    for (size_t i = 0; i < r->ncells && empty; i++)
        empty = !r->cell[i][0];
    if (empty)
        return WG_OK;
    if (!im->writing)
        im->rows++;
    memset(&d, 0, sizeof d);
    size_t before = json_array_size(im->errors);
    const char *id = cell(r, im, C_ID), *kind = cell(r, im, C_KIND);
    if (!*id || strlen(id) > 63 || check_id(id, &e))
        bad(im, r->row, "id", "a device code of 1 to 63 letters, digits, '-', '_' or '.'");
    snprintf(d.id, sizeof d.id, "%s", id);
    for (size_t k = 0; k < sizeof kind_zh / sizeof kind_zh[0]; k++)
        if (!strcmp(kind, kind_zh[k][0]))
            kind = kind_zh[k][1];
    if (strcmp(kind, "camera") && strcmp(kind, "sensor") && strcmp(kind, "drone"))
        bad(im, r->row, "kind", "one of camera/摄像头, sensor/传感器, drone/无人机");
    snprintf(d.kind, sizeof d.kind, "%s", kind);
    const char *name = cell(r, im, C_NAME);
    if (!*name || strlen(name) >= sizeof d.name)
        bad(im, r->row, "name", "a name of 1 to 100 characters");
    snprintf(d.name, sizeof d.name, "%s", name);
    d.lon = strtod(cell(r, im, C_LON), &end);
    int lon_ok = *cell(r, im, C_LON) && !*end && fabs(d.lon) <= 180;
    d.lat = strtod(cell(r, im, C_LAT), &end);
    int lat_ok = *cell(r, im, C_LAT) && !*end && fabs(d.lat) <= 90;
    if (!lon_ok)
        bad(im, r->row, "lon", "a longitude in degrees (WGS84)");
    if (!lat_ok)
        bad(im, r->row, "lat", "a latitude in degrees (WGS84)");
    const char *unit = cell(r, im, C_UNIT), *address = cell(r, im, C_ADDRESS);
    snprintf(d.unit, sizeof d.unit, "%s", unit);
    if (strlen(address) >= sizeof d.address)
        bad(im, r->row, "address", "an address of at most 200 characters");
    snprintf(d.address, sizeof d.address, "%s", address);
    if (json_array_size(im->errors) == before && !*unit)
        bad(im, r->row, "unit", "the owner unit's id");
    if (json_array_size(im->errors) == before) {
        enum wg_rc rc = place(im->db, im->loc, &d, &e);
        if (rc == WG_EINVAL)
            bad(im, r->row, strstr(e.msg, "'unit'") ? "unit" : "lon", e.msg);
        else if (rc)
            return *err = e, rc;
    }
    if (!im->writing || json_array_size(im->errors) != before)
        return WG_OK;
    enum wg_rc rc = wg_store_device_get(im->db, d.id, &old, &e);
    if (rc == WG_ENOTFOUND) {
        im->created++;
        return wg_store_device_insert(im->db, &d, im->now, err);
    }
    if (rc)
        return *err = e, rc;
    if (same(&old, &d)) {
        im->unchanged++;
        return WG_OK;
    }
    im->updated++;
    return wg_store_device_update(im->db, &d, im->now, err);
}

enum wg_rc wg_device_import(struct wg_db *db, const struct wg_locator *loc, const char *data,
                            size_t len, long long now, json_t **report, struct wg_err *err)
{
    struct import im = {.db = db, .loc = loc, .now = now, .errors = json_array()};
    struct wg_table_limits lim = wg_table_limits_default;
    lim.max_rows = 100001;
    *report = NULL;
    enum wg_rc rc = wg_table_read(data, len, WG_TABLE_CSV, &lim, on_row, &im, err);
    if (!rc && json_array_size(im.errors))
        rc = wg_err_set(err, WG_EINVAL,
                        "%zu rows are refused (each named in 'errors'): nothing "
                        "was imported",
                        json_array_size(im.errors));
    if (!rc && !im.rows)
        rc = wg_err_set(err, WG_EINVAL, "the file holds no device below its header");
    if (!rc) { /* every row checked: now written, in one transaction */
        im.writing = 1;
        int own = !wg_db_in_tx(db);
        rc = own ? wg_db_begin(db, err) : WG_OK;
        if (!rc)
            rc = wg_table_read(data, len, WG_TABLE_CSV, &lim, on_row, &im, err);
        if (own && !rc)
            rc = wg_db_commit(db, err);
        if (own && rc)
            wg_db_rollback(db);
        if (rc)
            im.created = im.updated = im.unchanged = 0;
    }
    *report = json_pack("{s:I,s:I,s:I,s:I,s:o}", "rows", (json_int_t)im.rows, "created",
                        (json_int_t)im.created, "updated", (json_int_t)im.updated, "unchanged",
                        (json_int_t)im.unchanged, "errors", im.errors);
    return rc;
}
