/* Dispute cases (domain/disputes/dispute.h): POST and GET /api/v1/disputes, GET
 * /api/v1/disputes/{id}, POST /api/v1/disputes/{id}/actions/{name} (with If-Match). Recorded and
 * read in one's scope, the parties masked; a case placed by a point is located to its grid first;
 * it starts at the level its recorder works at. Every record is audited, refusals too, naming the
 * case and never a party. */
#include "api/app.h"
#include "api/handlers.h"
#include "api/registry/registry.h"

#include <time.h>

#include "domain/accounts/session.h"
#include "domain/disputes/dispute.h"
#include "domain/map/locate.h"

static enum wg_rc locate(struct wg_req *req, struct wg_case *c, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_locate_result r;
    struct wg_locator *loc = wg_locator_acquire(&app->locator);
    enum wg_rc rc;
    if (!loc)
        return wg_err_set(err, WG_EUNAVAIL, "the locate index is not built yet");
    rc = wg_locator_locate(loc, c->lon, c->lat, WG_CRS_WGS84, &r, err);
    if (rc == WG_ENOTFOUND || (!rc && !r.grid))
        rc = wg_err_set(err, WG_EINVAL,
                        "'lon', 'lat': (%.6f, %.6f) lies in no grid of this district", c->lon,
                        c->lat);
    if (!rc)
        snprintf(c->grid, sizeof c->grid, "%s", r.grid->code);
    wg_locator_release(loc);
    return rc;
}

static struct wg_case_env env_of(struct wg_req *req)
{
    struct wg_app *app = req->app;
    struct wg_case_env env = {app->keys, app->calendar, &app->case_boxes};
    return env;
}

/* The case as GET answers it; with code (a new case's, or a new code), the parties' tracking
 * code beside it, shown this once. */
static enum wg_rc reply_case(struct wg_req *req, struct wg_db *db, int status, long long id,
                             const char *code, struct wg_err *err)
{
    const struct wg_actor *a = req->actor;
    struct wg_case_env env = env_of(req);
    json_t *out = NULL;
    long long version = 0;
    enum wg_rc rc =
        wg_case_view(db, &env, &a->scope, a->role, id, (long long)time(NULL), &out, &version, err);
    if (rc)
        return rc;
    if (code && *code)
        json_object_set_new(out, "code", json_string(code));
    return wg_api_reply_versioned(req, status, version, out);
}

enum wg_rc wg_api_disputes_create(struct wg_req *req, struct wg_err *err)
{
    const struct wg_actor *a = req->actor;
    struct wg_case_env env = env_of(req);
    struct wg_case c;
    struct wg_db *db;
    long long id = 0;
    char number[40] = "", idtext[24] = "", code[20] = "";
    enum wg_rc rc = wg_api_db(req, &db, err);
    if (rc)
        return rc;
    rc = wg_case_apply(&c, req->json, err);
    if (!rc && !c.grid[0])
        rc = locate(req, &c, err);
    if (!rc) {
        struct wg_case_by by = {a->username, a->role, &a->scope,
                                wg_case_level_of(a->role, &a->scope)};
        rc = wg_case_create(db, &env, &c, &by, (long long)time(NULL), &id, number, code, err);
    }
    wg_case_release(&c);
    if (!rc)
        snprintf(idtext, sizeof idtext, "%lld", id);
    rc = wg_api_audit(req, db, NULL, "dispute.create", "dispute", idtext, rc ? NULL : number, rc,
                      err);
    return rc ? rc : reply_case(req, db, 201, id, code, err);
}

enum wg_rc wg_api_disputes_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "dispute case", &id, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    return reply_case(req, db, 200, id, NULL, err);
}

/* POST /api/v1/disputes/{id}/code: a new tracking code for the parties, the old one void. */
enum wg_rc wg_api_disputes_code(struct wg_req *req, struct wg_err *err)
{
    const struct wg_actor *a = req->actor;
    struct wg_db *db;
    long long id;
    char code[20] = "";
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "dispute case", &id, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_case_new_code(db, &a->scope, id, code, err);
    rc = wg_api_audit(req, db, NULL, "dispute.code", "dispute", req->params[0], NULL, rc, err);
    return rc ? rc : reply_case(req, db, 200, id, code, err);
}

enum wg_rc wg_api_disputes_list(struct wg_req *req, struct wg_err *err)
{
    struct wg_case_query q = {wg_req_query(req, "grid"),    wg_req_query(req, "region"),
                              wg_req_query(req, "state"),   wg_req_query(req, "risk"),
                              wg_req_query(req, "limit"),   wg_req_query(req, "cursor"),
                              wg_req_query(req, "level"),   wg_req_query(req, "mediator"),
                              wg_req_query(req, "overdue"), wg_req_query(req, "sort")};
    struct wg_case_env env = env_of(req);
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_case_list(db, &env, wg_api_registry_scope(req), &q, (long long)time(NULL), &out,
                           err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

/* The keys an action's body may hold, for the router. */
const char *const *wg_api_dispute_action_keys(struct wg_req *req, const char **what)
{
    enum wg_case_action a;
    char *w;
    if (req->nparams < 2 || wg_case_action_parse(req->params[1], &a, NULL))
        return NULL;
    w = wg_arena_alloc(req->arena, 64);
    snprintf(w, 64, "the action '%s'", wg_case_action_name(a));
    *what = w;
    return wg_case_action_fields(a);
}

enum wg_rc wg_api_disputes_act(struct wg_req *req, struct wg_err *err)
{
    const struct wg_actor *a = req->actor;
    struct wg_case_env env = env_of(req);
    struct wg_case_step s = {0,       0,        (long long)time(NULL), WG_CASE_NOTE, a->username,
                             a->role, &a->scope};
    struct wg_db *db;
    char audit_action[40];
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "dispute case", &s.id, err)) ||
        (rc = wg_case_action_parse(req->params[1], &s.action, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    snprintf(audit_action, sizeof audit_action, "dispute.%s", req->params[1]);
    rc = wg_api_registry_version(req, "dispute case", &s.version, err);
    if (!rc)
        rc = wg_case_act(db, &env, &s, req->json, err);
    rc = wg_api_audit(req, db, NULL, audit_action, "dispute", req->params[0], NULL, rc, err);
    return rc ? rc : reply_case(req, db, 200, s.id, NULL, err);
}
