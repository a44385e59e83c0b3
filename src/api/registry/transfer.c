/* Imports and exports of the registry (domain/registry/import.h): POST
 * /api/v1/{persons,households,buildings,houses}/import with the file as the body (CSV or
 * XLSX), answered with the per-row report; GET /api/v1/{…}/export as CSV, masked. Both in
 * the caller's scope and recorded in the audit log. A new entity is one line each below. */
#include <time.h>

#include "api/app.h"
#include "api/handlers.h"
#include "api/registry/registry.h"
#include "domain/registry/import.h"

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* The file's format from its Content-Type, or from its first bytes when the type does not
 * say (none, application/octet-stream, a form's). */
static enum wg_rc format_of(struct wg_req *req, enum wg_table_format *fmt, struct wg_err *err)
{
    const char *ct = wg_req_header(req, "Content-Type");
    if (!ct)
        ct = "";
    *fmt = wg_table_sniff(req->body, req->body_len);
    if (!strncmp(ct, "text/csv", 8) || !strncmp(ct, "text/plain", 10)) {
        if (*fmt == WG_TABLE_XLSX)
            return wg_err_set(err, WG_EINVAL, "the body is an XLSX workbook but is sent as %s", ct);
        return WG_OK;
    }
    if (!strncmp(ct, XLSX_TYPE, strlen(XLSX_TYPE))) {
        if (*fmt != WG_TABLE_XLSX)
            return wg_err_set(err, WG_EINVAL, "the body is sent as XLSX but is not a workbook");
        return WG_OK;
    }
    /* curl's --data-binary and many clients send a form's type for any body: read by content */
    static const char *const refused[] = {"multipart/", "image/",           "audio/",
                                          "video/",     "application/json", NULL};
    for (int i = 0; refused[i]; i++)
        if (!strncmp(ct, refused[i], strlen(refused[i])))
            return wg_err_set(err, WG_EINVAL,
                              "Content-Type must be text/csv or %s, not '%.60s': send the file "
                              "itself as the body",
                              XLSX_TYPE, ct);
    return WG_OK;
}

static enum wg_rc import(struct wg_req *req, const struct wg_import_entity *e, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_import_result res = {0};
    struct wg_import_ctx c;
    enum wg_table_format fmt;
    struct wg_db *db;
    char action[48], detail[160];
    enum wg_rc rc;
    memset(&c, 0, sizeof c);
    if ((rc = format_of(req, &fmt, err)) || (rc = wg_api_db(req, &db, err)) ||
        (rc = wg_api_registry_sensitive(req, db, &c.sensitive, err)))
        return rc;
    struct wg_locator *loc = wg_locator_acquire(&app->locator);
    c.db = db, c.keys = app->keys, c.scope = wg_api_registry_scope(req), c.loc = loc;
    c.now = (long long)time(NULL);
    c.two_threads = req->body_len >= WG_IMPORT_TWO_THREADS_FROM;
    rc = wg_import_run(e, &c, req->body, req->body_len, fmt, &res, err);
    if (loc)
        wg_locator_release(loc);
    snprintf(action, sizeof action, "%s.import", e->what);
    snprintf(detail, sizeof detail,
             "%s, %zu rows: %zu created, %zu updated, %zu unchanged, %zu refused",
             fmt == WG_TABLE_XLSX ? "XLSX" : "CSV", res.rows, res.created, res.updated,
             res.unchanged, res.refused);
    rc = wg_api_audit(req, db, NULL, action, e->what, "", detail, rc, err);
    json_t *report = wg_import_result_json(e, &res);
    json_decref(res.errors);
    if (!rc)
        return wg_reply_json(req, 200, report);
    if (rc != WG_EINVAL && rc != WG_ETOOBIG) {
        json_decref(report);
        return rc;
    }
    return wg_reply_json(req, wg_rc_http_status(rc),
                         json_pack("{s:{s:s,s:s,s:o}}", "error", "code", wg_rc_code(rc), "message",
                                   err->msg, "report", report));
}

static enum wg_rc export(struct wg_req *req, const struct wg_import_entity *e, struct wg_err *err) {
    struct wg_app *app = req->app;
    struct wg_export_query q = {wg_req_query(req, "grid"), wg_req_query(req, "region")};
    struct wg_db * db; char *csv = NULL, action[48], detail[96]; size_t len = 0, rows = 0;
    int sensitive = 0; enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_api_registry_sensitive(req, db, &sensitive, err))) return rc;
    rc = wg_registry_export(db, app->keys, wg_api_registry_scope(req), sensitive, e, &q, &csv, &len,
                            &rows, err);
    snprintf(action, sizeof action, "%s.export", e->what);
    snprintf(detail, sizeof detail, "%zu rows%s%s%s%s", rows, q.grid ? ", grid " : "",
             q.grid ? q.grid : "", q.region ? ", region " : "", q.region ? q.region : "");
    /* on the record before the file leaves */
    if ((rc = wg_api_audit(req, db, NULL, action, e->what, "", detail, rc, err))){free(csv);
                                                                                  return rc;}
req->extra_header_name = "Content-Disposition";
req->extra_header_value = wg_arena_printf(req->arena, "attachment; filename=\"%ss.csv\"", e->what);
return wg_reply_owned(req, 200, "text/csv; charset=utf-8", csv, len);
}

#define WG_TRANSFER(name, entity)                                                                  \
    enum wg_rc wg_api_##name##_import(struct wg_req *req, struct wg_err *err)                      \
    {                                                                                              \
        return import(req, &entity, err);                                                          \
    }                                                                                              \
    enum wg_rc wg_api_##name##_export(struct wg_req *req, struct wg_err *err)                      \
    {                                                                                              \
        return export(req, &entity, err);                                                          \
    }
WG_TRANSFER(persons, wg_import_persons)
WG_TRANSFER(households, wg_import_households)
WG_TRANSFER(buildings, wg_import_buildings)
WG_TRANSFER(houses, wg_import_houses)
WG_TRANSFER(orgs, wg_import_orgs)
WG_TRANSFER(things, wg_import_things)
