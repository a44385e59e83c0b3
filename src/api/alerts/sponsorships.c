/* Leaders' 帮包 (domain/alerts/sponsor.h): GET /api/v1/sponsorships/ranking, GET and POST
 * /api/v1/sponsorships, POST /api/v1/sponsorships/{id}/notes. Assignments and notes are
 * audited, refusals too. */
#include "api/app.h"
#include "api/handlers.h"
#include "api/registry/registry.h"

#include <time.h>

#include "domain/accounts/session.h"
#include "domain/alerts/sponsor.h"

enum wg_rc wg_api_sponsorships_ranking(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc =
             wg_sponsor_ranking(db, req->actor, wg_req_query(req, "month"), wg_req_query(req, "by"),
                                wg_req_query(req, "scope"), wg_req_query(req, "limit"), &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_sponsorships_list(struct wg_req *req, struct wg_err *err)
{
    struct wg_sponsor_query q = {wg_req_query(req, "month"), wg_req_query(req, "leader"),
                                 wg_req_query(req, "scope"), wg_req_query(req, "limit")};
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_sponsor_list(db, ((struct wg_app *)req->app)->keys, req->actor, &q,
                              (long long)time(NULL), &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_sponsorships_create(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id = 0;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_sponsor_create(db, req->actor, req->json, (long long)time(NULL), &id, err);
    rc = wg_api_audit(req, db, NULL, "sponsorship.create", "sponsorship",
                      id ? wg_arena_printf(req->arena, "%lld", id) : NULL,
                      rc ? NULL
                         : wg_arena_printf(req->arena, "%s to %s", wg_api_field(req, "leader"),
                                           wg_api_field(req, "place")),
                      rc, err);
    if (rc)
        return rc;
    return wg_reply_json(req, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

enum wg_rc wg_api_sponsorships_note(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id = 0;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "sponsorship", &id, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_sponsor_note(db, ((struct wg_app *)req->app)->keys, req->actor, id, req->json,
                         (long long)time(NULL), err);
    rc = wg_api_audit(req, db, NULL, "sponsorship.note", "sponsorship", req->params[0], NULL, rc,
                      err);
    if (rc)
        return rc;
    return wg_reply_json(req, 201, json_pack("{s:I}", "id", (json_int_t)id));
}
