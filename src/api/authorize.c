/* The router's authorize hook: who is calling (a session's bearer token or an integration
 * API key), whether their password must be changed first, and whether their role may take
 * the route — before the body is read and before any handler runs. */
#include "api/app.h"

#include <strings.h>
#include <time.h>

static const char *bearer(struct wg_req *req)
{
    const char *h = wg_req_header(req, "Authorization");
    if (!h || strncasecmp(h, "Bearer ", 7))
        return NULL;
    return h + 7;
}

enum wg_rc wg_api_authorize(struct wg_req *req, const struct wg_route *r, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_actor *actor;
    struct wg_db *db;
    const char *token = bearer(req), *key = wg_req_header(req, "X-Api-Key");
    enum wg_rc rc;
    if (!r->perms || ((r->flags & WG_R_LOCAL) && wg_req_from_loopback(req)))
        return WG_OK;
    if (!token && !key && (r->flags & WG_R_LOCAL))
        return wg_err_set(err, WG_EUNAUTH,
                          "%s %s answers callers on the server's own host; from elsewhere "
                          "send 'X-Api-Key: <key>' of an integration key with the '%s' "
                          "permission",
                          req->method, r->pattern, wg_perm_name(r->perms));
    if (!token && !key)
        return wg_err_set(err, WG_EUNAUTH,
                          "not logged in: send 'Authorization: Bearer <token>' "
                          "from POST /api/v1/session");
    actor = wg_arena_alloc(req->arena, sizeof *actor);
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = token ? wg_session_check(db, token, (long long)time(NULL), &app->limits, actor, err)
               : wg_apikey_check(db, key, actor, err);
    if (rc)
        return rc;
    if (actor->must_change && !(r->flags & WG_R_MUST_CHANGE))
        return wg_err_set(err, WG_EFORBIDDEN,
                          "the password must be changed first: "
                          "PUT /api/v1/me/password");
    if ((actor->perms & r->perms) != r->perms)
        return wg_err_set(err, WG_EFORBIDDEN, "role '%s' may not %s %s", wg_role_name(actor->role),
                          req->method, r->pattern);
    req->actor = actor;
    return WG_OK;
}
