/* 一长二员 stairwell teams (domain/partake/stairwell.h): GET and POST /api/v1/stairwell-teams,
 * GET and PUT /api/v1/stairwell-teams/{id} (ETag, If-Match), POST …/{id}/visits and GET
 * …/{id}/month. Every write is audited, refusals too, naming the team; a visit's record
 * names the team and how many visits, never what was said. */
#include "api/app.h"
#include "api/handlers.h"
#include "api/registry/registry.h"

#include <time.h>

#include "domain/accounts/session.h"
#include "domain/partake/stairwell.h"

static const struct wg_pii_keys *keys_of(struct wg_req *req)
{
    return ((struct wg_app *)req->app)->keys;
}

static enum wg_rc reply_team(struct wg_req *req, struct wg_db *db, long long id, int status,
                             struct wg_err *err)
{
    json_t *out = NULL;
    long long version = 0;
    enum wg_rc rc =
        wg_stair_view(db, keys_of(req), req->actor, id, (long long)time(NULL), &out, &version, err);
    if (rc)
        return rc;
    return wg_api_reply_versioned(req, status, version, out);
}

enum wg_rc wg_api_stairwells_list(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_stair_list(db, keys_of(req), req->actor, wg_req_query(req, "grid"),
                            wg_req_query(req, "month"), (long long)time(NULL), &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_stairwells_create(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id = 0;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_stair_create(db, keys_of(req), req->actor, req->json, (long long)time(NULL), &id, err);
    rc = wg_api_audit(
        req, db, NULL, "stairwell.create", "stairwell_team",
        id ? wg_arena_printf(req->arena, "%lld", id) : NULL,
        rc ? NULL
           : wg_arena_printf(req->arena, "%s unit '%s'", wg_api_field(req, "building"),
                             wg_api_field(req, "unit") ? wg_api_field(req, "unit") : ""),
        rc, err);
    return rc ? rc : reply_team(req, db, id, 201, err);
}

enum wg_rc wg_api_stairwells_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "stairwell team", &id, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    return reply_team(req, db, id, 200, err);
}

enum wg_rc wg_api_stairwells_update(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id = 0, version = 0;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "stairwell team", &id, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_api_registry_version(req, "stairwell team", &version, err);
    if (!rc)
        rc = wg_stair_update(db, keys_of(req), req->actor, id, version, req->json,
                             (long long)time(NULL), err);
    rc = wg_api_audit(req, db, NULL, "stairwell.update", "stairwell_team", req->params[0], NULL, rc,
                      err);
    return rc ? rc : reply_team(req, db, id, 200, err);
}

enum wg_rc wg_api_stairwells_visit(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id = 0;
    json_t *out = NULL;
    int created = 0;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "stairwell team", &id, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_stair_visit(db, keys_of(req), req->actor, id, req->json, (long long)time(NULL), &out,
                        &created, err);
    rc = wg_api_audit(req, db, NULL, "stairwell.visit", "stairwell_team", req->params[0],
                      rc ? NULL : wg_arena_printf(req->arena, "%d new", created), rc, err);
    if (rc) {
        json_decref(out);
        return rc;
    }
    return wg_reply_json(req, created ? 201 : 200, out);
}

enum wg_rc wg_api_stairwells_month(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "stairwell team", &id, err)) ||
        (rc = wg_api_db(req, &db, err)) ||
        (rc = wg_stair_month(db, keys_of(req), req->actor, id, wg_req_query(req, "month"),
                             (long long)time(NULL), &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}
