/* Dispute screening tasks (domain/disputes/screening.h): GET /api/v1/screenings, GET
 * /api/v1/screenings/{id}, POST /api/v1/screenings/{id}/result (with If-Match). Read and
 * recorded in one's scope; every result, refused ones and corrections too, is audited naming
 * the task and what was found, never the note. */
#include "api/app.h"
#include "api/handlers.h"
#include "api/registry/registry.h"

#include <time.h>

#include "domain/accounts/session.h"
#include "domain/disputes/screening.h"

static enum wg_rc reply_task(struct wg_req *req, struct wg_db *db, long long id, struct wg_err *err)
{
    struct wg_app *app = req->app;
    json_t *out = NULL;
    long long version = 0;
    enum wg_rc rc =
        wg_screening_view(db, app->keys, wg_api_registry_scope(req), id, &out, &version, err);
    if (rc)
        return rc;
    return wg_api_reply_versioned(req, 200, version, out);
}

enum wg_rc wg_api_screenings_list(struct wg_req *req, struct wg_err *err)
{
    struct wg_screening_query q = {wg_req_query(req, "region"), wg_req_query(req, "level"),
                                   wg_req_query(req, "state"),  wg_req_query(req, "from"),
                                   wg_req_query(req, "to"),     wg_req_query(req, "limit"),
                                   wg_req_query(req, "cursor")};
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_screening_list(db, wg_api_registry_scope(req), &q, (long long)time(NULL), &out,
                                err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_screenings_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "screening task", &id, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    return reply_task(req, db, id, err);
}

enum wg_rc wg_api_screenings_result(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    const struct wg_actor *a = req->actor;
    struct wg_screening_by by = {0, 0, (long long)time(NULL), a->username,
                                 wg_api_registry_scope(req)};
    struct wg_db *db;
    const char *detail = NULL;
    int corrected = 0;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "screening task", &by.id, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_api_registry_version(req, "screening task", &by.version, err);
    if (!rc)
        rc = wg_screening_record(db, app->keys, &by, req->json, &corrected, err);
    if (!rc)
        detail =
            wg_arena_printf(req->arena, "%s found=%lld", corrected ? "corrected" : "recorded",
                            (long long)json_integer_value(json_object_get(req->json, "found")));
    rc = wg_api_audit(req, db, NULL, "screening.result", "screening", req->params[0], detail, rc,
                      err);
    return rc ? rc : reply_task(req, db, by.id, err);
}
