/* Telephone surveys (domain/assess/survey.h): GET/POST /api/v1/surveys, one survey (ETag)
 * edited and moved under If-Match, its sample drawn and listed (masked), the agents' calls
 * (next number, the phone revealed for the call, the outcome), and the results as JSON and
 * CSV. Every write is audited, refusals too; a reveal before the phone leaves the server. */
#include "api/app.h"
#include "api/handlers.h"
#include "api/registry/registry.h"

#include <stdlib.h>
#include <time.h>

#include "domain/accounts/pii.h"
#include "domain/accounts/session.h"
#include "domain/assess/survey.h"

static long long now_s(void)
{
    return (long long)time(NULL);
}

static enum wg_rc reply_survey(struct wg_req *req, struct wg_db *db, long long id, int status,
                               struct wg_err *err)
{
    json_t *out = NULL;
    long long version = 0;
    enum wg_rc rc = wg_survey_view(db, req->actor, id, &out, &version, err);
    if (rc)
        return rc;
    return wg_api_reply_versioned(req, status, version, out);
}

/* The survey's id from the path and a store connection. */
static enum wg_rc open_survey(struct wg_req *req, long long *id, struct wg_db **db,
                              struct wg_err *err)
{
    enum wg_rc rc = wg_api_registry_id(req->params[0], "survey", id, err);
    return rc ? rc : wg_api_db(req, db, err);
}

enum wg_rc wg_api_surveys_list(struct wg_req *req, struct wg_err *err)
{
    struct wg_survey_query q = {wg_req_query(req, "kind"), wg_req_query(req, "state"),
                                wg_req_query(req, "limit"), wg_req_query(req, "cursor")};
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) || (rc = wg_survey_list(db, req->actor, &q, &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_surveys_create(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id = 0;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_survey_create(db, req->actor, req->json, now_s(), &id, err);
    rc = wg_api_audit(req, db, NULL, "survey.create", "survey",
                      id ? wg_arena_printf(req->arena, "%lld", id) : NULL,
                      rc ? NULL : wg_api_field(req, "kind"), rc, err);
    return rc ? rc : reply_survey(req, db, id, 201, err);
}

enum wg_rc wg_api_surveys_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id;
    enum wg_rc rc = open_survey(req, &id, &db, err);
    return rc ? rc : reply_survey(req, db, id, 200, err);
}

enum wg_rc wg_api_surveys_update(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id = 0, version = 0;
    enum wg_rc rc = open_survey(req, &id, &db, err);
    if (rc)
        return rc;
    rc = wg_api_registry_version(req, "survey", &version, err);
    if (!rc)
        rc = wg_survey_update(db, req->actor, id, version, req->json, now_s(), err);
    rc = wg_api_audit(req, db, NULL, "survey.update", "survey", req->params[0], NULL, rc, err);
    return rc ? rc : reply_survey(req, db, id, 200, err);
}

enum wg_rc wg_api_surveys_act(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id = 0, version = 0;
    enum wg_rc rc = open_survey(req, &id, &db, err);
    if (rc)
        return rc;
    rc = wg_api_registry_version(req, "survey", &version, err);
    if (!rc)
        rc = wg_survey_act(db, req->actor, id, version, req->json, now_s(), err);
    rc = wg_api_audit(req, db, NULL, "survey.action", "survey", req->params[0],
                      wg_api_field(req, "action"), rc, err);
    return rc ? rc : reply_survey(req, db, id, 200, err);
}

enum wg_rc wg_api_surveys_sample(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_db *db;
    long long id = 0;
    json_t *out = NULL;
    enum wg_rc rc = open_survey(req, &id, &db, err);
    if (rc)
        return rc;
    rc = wg_survey_sample(db, app->keys, req->actor, id, req->json, now_s(), &out, err);
    rc = wg_api_audit(
        req, db, NULL, "survey.sample", "survey", req->params[0],
        rc ? NULL
           : wg_arena_printf(req->arena, "%s: %lld drawn, seed %lld", wg_api_field(req, "frame"),
                             (long long)json_integer_value(json_object_get(out, "drawn")),
                             (long long)json_integer_value(json_object_get(out, "seed"))),
        rc, err);
    if (rc) {
        json_decref(out);
        return rc;
    }
    return wg_reply_json(req, 201, out);
}

enum wg_rc wg_api_surveys_sample_list(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id = 0;
    json_t *out = NULL;
    enum wg_rc rc = open_survey(req, &id, &db, err);
    if (rc || (rc = wg_survey_sample_list(db, req->actor, id, wg_req_query(req, "town"),
                                          wg_req_query(req, "limit"), wg_req_query(req, "cursor"),
                                          &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_surveys_call_next(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id = 0, call = 0;
    json_t *out = NULL;
    enum wg_rc rc = open_survey(req, &id, &db, err);
    if (rc)
        return rc;
    rc = wg_survey_call_next(db, req->actor, id, now_s(), &out, &call, err);
    if (rc || call)
        rc = wg_api_audit(req, db, NULL, "survey.call.claim", "survey_call",
                          call ? wg_arena_printf(req->arena, "%lld", call) : NULL,
                          wg_arena_printf(req->arena, "survey %s", req->params[0]), rc, err);
    if (rc) {
        json_decref(out);
        return rc;
    }
    return wg_reply_json(req, 200, out);
}

/* The call's id from the path (its second parameter). */
static enum wg_rc call_id(struct wg_req *req, long long *cid, struct wg_err *err)
{
    return wg_api_registry_id(req->params[1], "call", cid, err);
}

enum wg_rc wg_api_surveys_call_reveal(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_db *db;
    long long id = 0, cid = 0;
    char *phone = NULL;
    enum wg_rc rc = open_survey(req, &id, &db, err);
    if (rc || (rc = call_id(req, &cid, err)))
        return rc;
    rc = wg_survey_call_reveal(db, app->keys, req->actor, id, cid, now_s(), &phone, err);
    /* on the record before the phone leaves the server; a refusal is recorded too */
    if ((rc = wg_api_reveal_audit(req, db, "survey_call", req->params[1], "phone",
                                  wg_arena_printf(req->arena, "survey %s call", req->params[0]), rc,
                                  err))) {
        wg_pii_wipe(phone);
        return rc;
    }
    json_t *out = json_pack("{s:I,s:s}", "call", (json_int_t)cid, "phone", phone);
    wg_pii_wipe(phone);
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_surveys_call_record(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id = 0, cid = 0;
    json_t *out = NULL;
    enum wg_rc rc = open_survey(req, &id, &db, err);
    if (rc || (rc = call_id(req, &cid, err)))
        return rc;
    rc = wg_survey_call_record(db, req->actor, id, cid, req->json, now_s(), &out, err);
    rc = wg_api_audit(req, db, NULL, "survey.call.record", "survey_call", req->params[1],
                      wg_api_field(req, "outcome"), rc, err);
    if (rc) {
        json_decref(out);
        return rc;
    }
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_surveys_results(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id = 0;
    json_t *out = NULL;
    enum wg_rc rc = open_survey(req, &id, &db, err);
    if (rc || (rc = wg_survey_results(db, req->actor, id, wg_req_query(req, "min"), &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_surveys_results_csv(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id = 0;
    char *csv = NULL;
    size_t len = 0;
    enum wg_rc rc = open_survey(req, &id, &db, err);
    if (rc ||
        (rc = wg_survey_results_csv(db, req->actor, id, wg_req_query(req, "min"), &csv, &len, err)))
        return rc;
    req->extra_header_name = "Content-Disposition";
    req->extra_header_value =
        wg_arena_printf(req->arena, "attachment; filename=\"survey-%lld-results.csv\"", id);
    return wg_reply_owned(req, 200, "text/csv; charset=utf-8", csv, len);
}
