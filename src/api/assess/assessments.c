/* Assessment (domain/assess/assess.h): the schemes and their edits, a month's run, the list
 * with the grid classes, one result with its items, self and reviewer entries, freezing,
 * corrections, rankings and the year's awards shortlist. Every write is audited, refusals
 * too, naming the result or the scheme. */
#include "api/app.h"
#include "api/handlers.h"
#include "api/registry/registry.h"

#include <time.h>

#include "core/alloc.h"
#include "domain/assess/assess.h"

static const char *orempty(const char *s)
{
    return s ? s : "";
}

static long long now_s(void)
{
    return (long long)time(NULL);
}

static enum wg_rc reply_result(struct wg_req *req, struct wg_db *db, long long id, int status,
                               struct wg_err *err)
{
    json_t *out = NULL;
    enum wg_rc rc = wg_assess_view(db, req->actor, id, &out, err);
    if (rc)
        return rc;
    return wg_api_reply_versioned(req, status, json_integer_value(json_object_get(out, "version")),
                                  out);
}

/* GET /api/v1/assessments/schemes: every kind's scheme in force and the metrics known. */
enum wg_rc wg_api_assess_schemes(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    json_t *list = json_array(), *metrics = json_array();
    enum wg_rc rc = wg_api_db(req, &db, err);
    for (int i = 0; !rc && wg_assess_kinds[i]; i++) {
        json_t *s = NULL;
        if (!(rc = wg_assess_scheme_get(db, wg_assess_kinds[i], &s, err)))
            json_array_append_new(list, s);
    }
    for (const struct wg_assess_metric *m = wg_assess_metrics; m->name; m++) {
        json_t *kinds = json_array();
        for (int k = 0; wg_assess_kinds[k]; k++)
            if (m->kinds & (1u << k))
                json_array_append_new(kinds, json_string(wg_assess_kinds[k]));
        json_array_append_new(metrics, json_pack("{s:s,s:s,s:s,s:o,s:s}", "name", m->name, "label",
                                                 m->label, "type", m->rate ? "rate" : "count",
                                                 "kinds", kinds, "doc", m->doc));
    }
    if (rc) {
        json_decref(list);
        json_decref(metrics);
        return rc;
    }
    return wg_reply_json(req, 200, json_pack("{s:o,s:o}", "schemes", list, "metrics", metrics));
}

enum wg_rc wg_api_assess_scheme_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    json_t *s = NULL;
    enum wg_rc rc;
    if ((rc = wg_assess_kind(req->params[0], "kind", err)))
        return wg_err_set(err, WG_ENOTFOUND,
                          "scheme '%.16s' does not exist: grid, worker, unit "
                          "or town",
                          req->params[0]);
    if ((rc = wg_api_db(req, &db, err)) || (rc = wg_assess_scheme_get(db, req->params[0], &s, err)))
        return rc;
    return wg_reply_json(req, 200, s);
}

enum wg_rc wg_api_assess_scheme_put(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    enum wg_rc rc;
    if (wg_assess_kind_index(req->params[0]) < 0)
        return wg_err_set(err, WG_ENOTFOUND,
                          "scheme '%.16s' does not exist: grid, worker, unit "
                          "or town",
                          req->params[0]);
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_assess_scheme_put(db, req->actor, req->params[0], req->json, now_s(), err);
    rc = wg_api_audit(req, db, NULL, "assess.scheme", "assess_scheme", req->params[0], NULL, rc,
                      err);
    return rc ? rc : wg_api_assess_scheme_get(req, err);
}

enum wg_rc wg_api_assess_run(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_assess_run(db, app->calendar, app->keys, req->actor, req->json, now_s(), &out, err);
    rc = wg_api_audit(req, db, NULL, "assess.run", "assess",
                      wg_arena_printf(req->arena, "%s %s", orempty(wg_api_field(req, "kind")),
                                      orempty(wg_api_field(req, "period"))),
                      NULL, rc, err);
    if (rc) {
        json_decref(out);
        return rc;
    }
    return wg_reply_json(req, 201, out);
}

enum wg_rc wg_api_assess_list(struct wg_req *req, struct wg_err *err)
{
    struct wg_assess_query q = {wg_req_query(req, "kind"), wg_req_query(req, "period"),
                                wg_req_query(req, "region"), wg_req_query(req, "state")};
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_assess_list(db, req->actor, &q, now_s(), &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_assess_rankings(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    json_t *out = NULL;
    const char *kind = wg_req_query(req, "kind");
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_assess_rankings(db, req->actor, kind ? kind : "worker",
                                 wg_req_query(req, "period"), now_s(), &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_assess_awards(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_assess_awards(db, req->actor, wg_req_query(req, "year"), now_s(), &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_assess_freeze_month(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    int n = 0;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_assess_freeze_month(db, req->actor, req->json, now_s(), &n, err);
    rc = wg_api_audit(req, db, NULL, "assess.freeze", "assess",
                      wg_arena_printf(req->arena, "%s %s", orempty(wg_api_field(req, "kind")),
                                      orempty(wg_api_field(req, "period"))),
                      rc ? NULL : wg_arena_printf(req->arena, "%d frozen", n), rc, err);
    if (rc)
        return rc;
    return wg_reply_json(req, 200, json_pack("{s:i}", "frozen", n));
}

enum wg_rc wg_api_assess_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "assessment", &id, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    return reply_result(req, db, id, 200, err);
}

enum wg_rc wg_api_assess_item_put(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "assessment", &id, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_assess_item_put(db, req->actor, id, req->params[1], req->json, now_s(), err);
    rc = wg_api_audit(req, db, NULL, "assess.item", "assess", req->params[0],
                      wg_arena_printf(req->arena, "%.32s", req->params[1]), rc, err);
    return rc ? rc : reply_result(req, db, id, 200, err);
}

enum wg_rc wg_api_assess_freeze(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "assessment", &id, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_assess_freeze(db, req->actor, id, req->json, now_s(), err);
    rc = wg_api_audit(req, db, NULL, "assess.freeze", "assess", req->params[0], NULL, rc, err);
    return rc ? rc : reply_result(req, db, id, 200, err);
}

enum wg_rc wg_api_assess_correct(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "assessment", &id, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_assess_correct(db, req->actor, id, req->json, now_s(), err);
    rc = wg_api_audit(req, db, NULL, "assess.correct", "assess", req->params[0],
                      rc ? NULL : wg_api_field(req, "code"), rc, err);
    return rc ? rc : reply_result(req, db, id, 201, err);
}
