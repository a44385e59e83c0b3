/* Devices (domain/alerts/device.h): GET /api/v1/devices and /api/v1/devices/{id} in the
 * caller's scope; POST, PUT, DELETE and POST /api/v1/devices/import for the configuration
 * administrator, each audited. */
#include "api/app.h"
#include "api/handlers.h"
#include "api/registry/registry.h"

#include <string.h>
#include <time.h>

#include "domain/alerts/device.h"

static enum wg_rc reply_device(struct wg_req *req, struct wg_db *db, const char *id, int status,
                               struct wg_err *err)
{
    struct wg_device_row d;
    enum wg_rc rc = wg_store_device_get(db, id, &d, err);
    if (rc)
        return rc;
    return wg_api_reply_versioned(req, status, d.version, wg_device_json(&d));
}

enum wg_rc wg_api_devices_list(struct wg_req *req, struct wg_err *err)
{
    struct wg_device_query q = {wg_req_query(req, "kind"),    wg_req_query(req, "grid"),
                                wg_req_query(req, "unit"),    wg_req_query(req, "q"),
                                wg_req_query(req, "retired"), wg_req_query(req, "limit"),
                                wg_req_query(req, "offset")};
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_device_list(db, &((const struct wg_actor *)req->actor)->scope, &q, &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_devices_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    json_t *out = NULL;
    long long version = 0;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_device_view(db, &((const struct wg_actor *)req->actor)->scope, req->params[0],
                             &out, &version, err)))
        return rc;
    return wg_api_reply_versioned(req, 200, version, out);
}

static enum wg_rc save(struct wg_req *req, const char *path_id, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_device_row d;
    struct wg_db *db;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    struct wg_locator *loc = wg_locator_acquire(&app->locator);
    rc = wg_device_read(db, loc, req->json, path_id, &d, err);
    if (loc)
        wg_locator_release(loc);
    if (!rc)
        rc = wg_device_save(db, &d, path_id == NULL, (long long)time(NULL), err);
    rc = wg_api_audit(req, db, NULL, path_id ? "device.update" : "device.create", "device",
                      path_id ? path_id : (d.id[0] ? d.id : ""), d.grid, rc, err);
    return rc ? rc : reply_device(req, db, d.id, path_id ? 200 : 201, err);
}

enum wg_rc wg_api_devices_create(struct wg_req *req, struct wg_err *err)
{
    return save(req, NULL, err);
}

enum wg_rc wg_api_devices_put(struct wg_req *req, struct wg_err *err)
{
    return save(req, req->params[0], err);
}

enum wg_rc wg_api_devices_retire(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_device_retire(db, req->params[0], (long long)time(NULL), err);
    rc = wg_api_audit(req, db, NULL, "device.retire", "device", req->params[0], NULL, rc, err);
    return rc ? rc : reply_device(req, db, req->params[0], 200, err);
}

enum wg_rc wg_api_devices_import(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_db *db;
    json_t *report = NULL;
    char detail[128];
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    struct wg_locator *loc = wg_locator_acquire(&app->locator);
    rc = wg_device_import(db, loc, req->body ? req->body : "", req->body_len, (long long)time(NULL),
                          &report, err);
    if (loc)
        wg_locator_release(loc);
    long long rows = report ? json_integer_value(json_object_get(report, "rows")) : 0;
    snprintf(detail, sizeof detail, "CSV, %lld rows", rows);
    rc = wg_api_audit(req, db, NULL, "device.import", "device", "", detail, rc, err);
    if (!rc)
        return wg_reply_json(req, 200, report);
    if (!report || (rc != WG_EINVAL && rc != WG_ETOOBIG)) {
        json_decref(report);
        return rc;
    }
    return wg_reply_json(req, wg_rc_http_status(rc),
                         json_pack("{s:{s:s,s:s,s:o}}", "error", "code", wg_rc_code(rc), "message",
                                   err->msg, "report", report));
}
