/* Sessions and one's own account: POST/DELETE /api/v1/session (log in and out), GET
 * /api/v1/me, PUT /api/v1/me/password. A failed login counts against its source address
 * (domain/accounts/login_limit.h). */
#include "api/app.h"
#include "api/handlers.h"

#include <time.h>

#include <sodium.h>

#include "domain/accounts/account.h"

static json_t *actor_json(const struct wg_actor *a)
{
    const char *name = wg_role_name(a->role);
    const char *label = a->role < WG_ROLE_ACCOUNTS ? wg_roles[a->role].label : name;
    json_t *perms = json_array();
    for (uint32_t b = 1; b && b <= WG_P_CONFIG_ADMIN; b <<= 1)
        if (a->perms & b)
            json_array_append_new(perms, json_string(wg_perm_name(b)));
    return json_pack("{s:s,s:s,s:s,s:{s:s,s:s},s:b,s:o}", "username", a->username, "role", name,
                     "role_label", label, "scope", "kind", a->scope.kind, "code", a->scope.code,
                     "must_change_password", a->must_change, "permissions", perms);
}

enum wg_rc wg_api_login(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    const char *user = wg_api_field(req, "username"), *pw = wg_api_field(req, "password");
    long long now = (long long)time(NULL);
    char token[WG_TOKEN_LEN + 1];
    struct wg_actor actor;
    struct wg_db *db;
    enum wg_rc rc;
    if (wg_login_limited(&app->logins, req->remote_addr, 0, now))
        return wg_err_set(err, WG_ERATE, "too many failed logins from %s; wait a minute",
                          req->remote_addr);
    if (!user || !pw)
        return wg_err_set(err, WG_EINVAL,
                          "body must be {\"username\": \"…\", \"password\": \"…\"}");
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_session_login(db, user, pw, req->remote_addr, now, token, &actor, err);
    rc = wg_api_audit(req, db, user, rc ? "session.login_failed" : "session.login", "account", user,
                      NULL, rc, err);
    if (rc == WG_EUNAUTH || rc == WG_EFORBIDDEN)
        wg_login_limited(&app->logins, req->remote_addr, 1, now);
    if (rc)
        return rc;
    json_t *out = actor_json(&actor);
    json_object_set_new(out, "token", json_string(token));
    json_object_set_new(out, "idle_seconds", json_integer(app->limits.idle_seconds));
    json_object_set_new(out, "absolute_seconds", json_integer(app->limits.absolute_seconds));
    sodium_memzero(token, sizeof token);
    return wg_reply_json(req, 201, out);
}

enum wg_rc wg_api_logout(struct wg_req *req, struct wg_err *err)
{
    const struct wg_actor *actor = req->actor;
    struct wg_db *db;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_session_logout(db, actor, err);
    rc = wg_api_audit(req, db, NULL, "session.logout", "account", actor->username, NULL, rc, err);
    return rc ? rc : wg_reply_json(req, 200, json_pack("{s:b}", "logged_out", 1));
}

enum wg_rc wg_api_me(struct wg_req *req, struct wg_err *err)
{
    (void)err;
    return wg_reply_json(req, 200, actor_json(req->actor));
}

enum wg_rc wg_api_me_password(struct wg_req *req, struct wg_err *err)
{
    const struct wg_actor *actor = req->actor;
    struct wg_db *db;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_session_change_password(db, actor, wg_api_field(req, "old_password"),
                                    wg_api_field(req, "new_password"), err);
    rc = wg_api_audit(req, db, NULL, "account.password_change", "account", actor->username, NULL,
                      rc, err);
    return rc ? rc : wg_reply_json(req, 200, json_pack("{s:b}", "changed", 1));
}
