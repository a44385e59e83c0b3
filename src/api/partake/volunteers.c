/* Volunteers (domain/partake/volunteer.h): GET and POST /api/v1/volunteer-teams, GET and POST
 * /api/v1/volunteers, GET /api/v1/volunteers/rankings, GET /api/v1/volunteers/{id}, POST
 * …/{id}/hours and …/{id}/redemptions. Every write is audited, refusals too. */
#include "api/app.h"
#include "api/handlers.h"
#include "api/registry/registry.h"

#include <time.h>

#include "domain/accounts/session.h"
#include "domain/partake/volunteer.h"

static const struct wg_pii_keys *keys_of(struct wg_req *req)
{
    return ((struct wg_app *)req->app)->keys;
}

static enum wg_rc created(struct wg_req *req, struct wg_db *db, const char *action,
                          const char *type, const char *object, long long id, enum wg_rc rc,
                          struct wg_err *err)
{
    rc = wg_api_audit(req, db, NULL, action, type,
                      object ? object
                      : id   ? wg_arena_printf(req->arena, "%lld", id)
                             : NULL,
                      rc || !id ? NULL : wg_arena_printf(req->arena, "%lld", id), rc, err);
    if (rc)
        return rc;
    return wg_reply_json(req, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

enum wg_rc wg_api_vteams_list(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_vteam_list(db, req->actor, wg_req_query(req, "scope"), wg_req_query(req, "kind"),
                            wg_req_query(req, "from"), wg_req_query(req, "to"),
                            (long long)time(NULL), &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_vteams_create(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id = 0;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_vteam_create(db, req->actor, req->json, (long long)time(NULL), &id, err);
    return created(req, db, "volunteer_team.create", "volunteer_team", NULL, id, rc, err);
}

enum wg_rc wg_api_volunteers_list(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_volunteer_list(db, keys_of(req), req->actor, wg_req_query(req, "scope"),
                                wg_req_query(req, "team"), wg_req_query(req, "limit"),
                                wg_req_query(req, "cursor"), &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_volunteers_create(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id = 0;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_volunteer_create(db, keys_of(req), req->actor, req->json, (long long)time(NULL), &id,
                             err);
    return created(req, db, "volunteer.create", "volunteer", NULL, id, rc, err);
}

enum wg_rc wg_api_volunteers_rankings(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_volunteer_rankings(db, keys_of(req), req->actor, wg_req_query(req, "scope"),
                                    wg_req_query(req, "from"), wg_req_query(req, "to"),
                                    wg_req_query(req, "limit"), (long long)time(NULL), &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_volunteers_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "volunteer", &id, err)) ||
        (rc = wg_api_db(req, &db, err)) ||
        (rc = wg_volunteer_view(db, keys_of(req), req->actor, id, &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_volunteers_hours(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id = 0, entry = 0;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "volunteer", &id, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_volunteer_hours(db, req->actor, id, req->json, (long long)time(NULL), &entry, err);
    return created(req, db, "volunteer.hours", "volunteer", req->params[0], entry, rc, err);
}

enum wg_rc wg_api_volunteers_redeem(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id = 0, entry = 0;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "volunteer", &id, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_volunteer_redeem(db, req->actor, id, req->json, (long long)time(NULL), &entry, err);
    return created(req, db, "volunteer.redeem", "volunteer", req->params[0], entry, rc, err);
}
