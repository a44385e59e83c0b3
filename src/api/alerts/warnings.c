/* Early warning over appeals (domain/alerts/warning.h): GET /api/v1/warnings, GET
 * /api/v1/warnings/{id}, POST /api/v1/warnings/{id}/actions, GET and PUT
 * /api/v1/warning-rules. Warnings are read and moved in one's scope; every step, refused
 * ones too, and every change of the rules is audited (never a note). */
#include "api/app.h"
#include "api/handlers.h"
#include "api/registry/registry.h"

#include <time.h>

#include "domain/accounts/session.h"
#include "domain/alerts/warning.h"
#include "api/alerts/report.h"

static enum wg_rc reply_warning(struct wg_req *req, struct wg_db *db, long long id,
                                struct wg_err *err)
{
    struct wg_app *app = req->app;
    json_t *out = NULL;
    long long version = 0;
    enum wg_rc rc =
        wg_warning_view(db, app->keys, wg_api_registry_scope(req), id, &out, &version, err);
    if (rc)
        return rc;
    return wg_api_reply_versioned(req, 200, version, out);
}

enum wg_rc wg_api_warnings_list(struct wg_req *req, struct wg_err *err)
{
    struct wg_warn_query q = {wg_req_query(req, "kind"),  wg_req_query(req, "level"),
                              wg_req_query(req, "state"), wg_req_query(req, "item"),
                              wg_req_query(req, "since"), wg_req_query(req, "limit"),
                              wg_req_query(req, "cursor")};
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_warning_list(db, wg_api_registry_scope(req), &q, &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_warnings_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "warning", &id, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    return reply_warning(req, db, id, err);
}

/* The warning's special report in one of two forms: xlsx 0 a PDF, 1 a workbook. */
static enum wg_rc report(struct wg_req *req, int xlsx, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_report r;
    struct wg_db *db;
    long long id = 0;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "warning", &id, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_warning_report(db, app->keys, wg_api_catalog(req), wg_api_registry_scope(req), id,
                           (long long)time(NULL), &r, err);
    return wg_api_report_reply(req, db, &r, rc, xlsx, "warning", id, err);
}

enum wg_rc wg_api_warnings_report_pdf(struct wg_req *req, struct wg_err *err)
{
    return report(req, 0, err);
}

enum wg_rc wg_api_warnings_report_xlsx(struct wg_req *req, struct wg_err *err)
{
    return report(req, 1, err);
}

enum wg_rc wg_api_warnings_act(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    const struct wg_actor *a = req->actor;
    struct wg_warning_act by = {0, (long long)time(NULL), a->username, wg_api_registry_scope(req),
                                app->keys};
    struct wg_db *db;
    const char *action = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "warning", &by.id, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_warning_act(db, &by, req->json, &action, err);
    const char *detail = action ? wg_arena_printf(req->arena, "action=%s", action) : NULL;
    rc = wg_api_audit(req, db, NULL, "warning.action", "warning", req->params[0], detail, rc, err);
    return rc ? rc : reply_warning(req, db, by.id, err);
}

enum wg_rc wg_api_warning_rules_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    struct wg_warn_rules r;
    long long version = 0;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) || (rc = wg_warn_rules_load(db, &r, &version, err)))
        return rc;
    return wg_reply_json(
        req, 200,
        json_pack("{s:o,s:I}", "rules", wg_warn_rules_json(&r), "version", (json_int_t)version));
}

enum wg_rc wg_api_warning_rules_put(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    const struct wg_actor *a = req->actor;
    rc = wg_warn_rules_save(db, req->json, a->username, (long long)time(NULL), &out, err);
    rc = wg_api_audit(req, db, NULL, "warning.rules", "warning_rules", "1", NULL, rc, err);
    if (rc) {
        json_decref(out);
        return rc;
    }
    return wg_reply_json(req, 200, out);
}
