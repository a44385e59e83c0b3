/* 未诉先办 tasks (domain/alerts/task.h): GET/POST /api/v1/tasks, the suggestions for a new
 * one, one task (with its ETag), its actions under If-Match, its effect, and its special
 * report as PDF and XLSX. Every write and every report download is audited, refusals too,
 * naming the task. */
#include "api/app.h"
#include "api/handlers.h"
#include "api/registry/registry.h"

#include <stdlib.h>

#include "core/alloc.h"
#include <time.h>

#include "domain/accounts/session.h"
#include "domain/alerts/task.h"
#include "api/alerts/report.h"

static struct wg_task_env env_of(struct wg_req *req)
{
    struct wg_app *app = req->app;
    struct wg_task_env env = {app->calendar, wg_api_catalog(req), app->keys};
    return env;
}

static enum wg_rc reply_task(struct wg_req *req, struct wg_db *db, long long id, int status,
                             struct wg_err *err)
{
    struct wg_task_env env = env_of(req);
    json_t *out = NULL;
    long long version = 0;
    enum wg_rc rc =
        wg_task_view(db, &env, req->actor, id, (long long)time(NULL), &out, &version, err);
    if (rc)
        return rc;
    return wg_api_reply_versioned(req, status, version, out);
}

enum wg_rc wg_api_tasks_list(struct wg_req *req, struct wg_err *err)
{
    struct wg_task_query q = {wg_req_query(req, "state"), wg_req_query(req, "origin"),
                              wg_req_query(req, "item"),  wg_req_query(req, "unit"),
                              wg_req_query(req, "limit"), wg_req_query(req, "cursor")};
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_task_list(db, req->actor, &q, (long long)time(NULL), &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_tasks_create(struct wg_req *req, struct wg_err *err)
{
    struct wg_task_env env = env_of(req);
    struct wg_db *db;
    long long id = 0;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_task_create(db, &env, req->actor, req->json, (long long)time(NULL), &id, err);
    rc = wg_api_audit(req, db, NULL, "task.create", "task",
                      id ? wg_arena_printf(req->arena, "%lld", id) : NULL,
                      rc ? NULL : wg_api_field(req, "origin"), rc, err);
    return rc ? rc : reply_task(req, db, id, 201, err);
}

enum wg_rc wg_api_tasks_suggestions(struct wg_req *req, struct wg_err *err)
{
    struct wg_task_env env = env_of(req);
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_task_suggest(db, &env, req->actor, wg_req_query(req, "month"),
                              wg_req_query(req, "scope"), &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_tasks_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "task", &id, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    return reply_task(req, db, id, 200, err);
}

enum wg_rc wg_api_tasks_act(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id = 0, version = 0;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "task", &id, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_api_registry_version(req, "task", &version, err);
    if (!rc)
        rc = wg_task_act(db, ((struct wg_app *)req->app)->keys, req->actor, id, version, req->json,
                         (long long)time(NULL), err);
    rc = wg_api_audit(req, db, NULL, "task.action", "task", req->params[0],
                      wg_api_field(req, "action"), rc, err);
    return rc ? rc : reply_task(req, db, id, 200, err);
}

enum wg_rc wg_api_tasks_effect(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "task", &id, err)) ||
        (rc = wg_api_db(req, &db, err)) ||
        (rc = wg_task_effect(db, req->actor, id, wg_req_query(req, "days"), (long long)time(NULL),
                             &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

/* The report in one of two forms: xlsx 0 a PDF, 1 a workbook. */
static enum wg_rc report(struct wg_req *req, int xlsx, struct wg_err *err)
{
    struct wg_task_env env = env_of(req);
    struct wg_report r;
    struct wg_db *db;
    long long id = 0;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "task", &id, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_task_report(db, &env, req->actor, id, (long long)time(NULL), &r, err);
    return wg_api_report_reply(req, db, &r, rc, xlsx, "task", id, err);
}

enum wg_rc wg_api_tasks_report_pdf(struct wg_req *req, struct wg_err *err)
{
    return report(req, 0, err);
}

enum wg_rc wg_api_tasks_report_xlsx(struct wg_req *req, struct wg_err *err)
{
    return report(req, 1, err);
}
