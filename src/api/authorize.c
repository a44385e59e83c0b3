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

/* A role refused a route: on the audit record (access.denied: who, the route), as every
 * refused change is; the refusal is the answer even when the record cannot be written. */
static enum wg_rc denied(struct wg_req *req, struct wg_actor *actor, const struct wg_route *r,
                         struct wg_err *err)
{
    char route[160];
    struct wg_db *db;
    struct wg_err e2 = {0};
    snprintf(route, sizeof route, "%s %s", req->method, r->pattern);
    wg_err_set(err, WG_EFORBIDDEN, "role '%s' may not %s", wg_role_name(actor->role), route);
    req->actor = actor;
    if (!wg_api_db(req, &db, &e2))
        (void)wg_api_audit(req, db, NULL, "access.denied", "route", route, err->msg, WG_EFORBIDDEN,
                           &e2);
    req->actor = NULL;
    return WG_EFORBIDDEN;
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
        return denied(req, actor, r, err);
    req->actor = actor;
    return WG_OK;
}
