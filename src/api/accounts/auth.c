/* Authentication and authorization in one place (the router's hook), and the endpoints of
 * sessions, one's own account, accounts and API keys. */
#include "api/app.h"
#include "api/handlers.h"
#include "domain/accounts/audit.h"
#include "domain/accounts/profile.h"
#include "store/accounts/accounts_q.h"

#include <time.h>

#include <sodium.h>

static long long now_s(void)
{
    return (long long)time(NULL);
}

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
    if (!r->perms)
        return WG_OK;
    if (!token && !key)
        return wg_err_set(err, WG_EUNAUTH, "not logged in: send 'Authorization: Bearer <token>' "
                                           "from POST /api/v1/session");
    if (!(actor = wg_arena_alloc(req->arena, sizeof *actor)))
        return wg_err_set(err, WG_ENOMEM, "out of memory");
    if ((rc = wg_store_get(app->store, &db, err)))
        return rc;
    rc = token ? wg_session_check(db, token, now_s(), &app->limits, actor, err)
               : wg_apikey_check(db, key, actor, err);
    wg_store_put(db);
    if (rc)
        return rc;
    if (actor->must_change && !(r->flags & WG_R_MUST_CHANGE))
        return wg_err_set(err, WG_EFORBIDDEN, "the password must be changed first: "
                                              "PUT /api/v1/me/password");
    if ((actor->perms & r->perms) != r->perms)
        return wg_err_set(err, WG_EFORBIDDEN, "role '%s' may not %s %s", actor->role,
                          req->method, r->pattern);
    req->actor = actor;
    return WG_OK;
}

/* Failed logins per source address, in one-minute windows that open at an address's first
 * failure (so a burst is never split by the clock's minute): a centre behind one address may
 * log in many people at shift start, but not guess many passwords. The table is small and
 * slots are reused by hash, so a flood from many addresses cannot grow it. */
static struct wg_rate_slot *rate_slot(struct wg_app *app, const char *addr, long long now)
{
    unsigned h = 5381;
    for (const char *p = addr; *p; p++)
        h = h * 33 + (unsigned char)*p;
    struct wg_rate_slot *s = &app->rate[h % (sizeof app->rate / sizeof app->rate[0])];
    if (strcmp(s->addr, addr) || now - s->window >= 60) {
        snprintf(s->addr, sizeof s->addr, "%s", addr);
        s->window = now;
        s->count = 0;
    }
    return s;
}

static int rate_limited(struct wg_app *app, const char *addr, int failed)
{
    int limited;
    pthread_mutex_lock(&app->rate_mu);
    struct wg_rate_slot *s = rate_slot(app, addr, now_s());
    if (failed)
        s->count++;
    limited = s->count >= WG_LOGIN_RATE_PER_MINUTE;
    pthread_mutex_unlock(&app->rate_mu);
    return limited;
}

static json_t *actor_json(const struct wg_actor *a)
{
    const struct wg_role *role = wg_role_find(a->role);
    json_t *perms = json_array();
    for (uint32_t b = 1; b && b <= WG_P_CONFIG_ADMIN; b <<= 1)
        if (a->perms & b)
            json_array_append_new(perms, json_string(wg_perm_name(b)));
    return json_pack("{s:s,s:s,s:s,s:{s:s,s:s},s:b,s:o}", "username", a->username, "role",
                     a->role, "role_label", role ? role->label : a->role, "scope", "kind",
                     a->scope.kind, "code", a->scope.code, "must_change_password",
                     a->must_change, "permissions", perms);
}

static const char *str_field(json_t *j, const char *name)
{
    return json_string_value(json_object_get(j, name));
}

enum wg_rc wg_api_login(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    const char *user = str_field(req->json, "username"), *pw = str_field(req->json, "password");
    char token[WG_TOKEN_LEN + 1];
    struct wg_actor actor;
    struct wg_db *db;
    enum wg_rc rc;
    if (rate_limited(app, req->remote_addr, 0))
        return wg_err_set(err, WG_ERATE, "too many failed logins from %s; wait a minute",
                          req->remote_addr);
    if (!user || !pw)
        return wg_err_set(err, WG_EINVAL, "body must be {\"username\": \"…\", \"password\": \"…\"}");
    if ((rc = wg_store_get(app->store, &db, err)))
        return rc;
    rc = wg_session_login(db, user, pw, req->remote_addr, now_s(), token, &actor, err);
    rc = wg_api_audit(req, db, user, rc ? "session.login_failed" : "session.login", "account",
                      user, NULL, rc, err);
    wg_store_put(db);
    if (rc == WG_EUNAUTH || rc == WG_EFORBIDDEN)
        rate_limited(app, req->remote_addr, 1);
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
    struct wg_app *app = req->app;
    struct wg_db *db;
    enum wg_rc rc;
    if ((rc = wg_store_get(app->store, &db, err)))
        return rc;
    rc = wg_session_logout(db, req->actor, err);
    rc = wg_api_audit(req, db, NULL, "session.logout", "account",
                      ((const struct wg_actor *)req->actor)->username, NULL, rc, err);
    wg_store_put(db);
    return rc ? rc : wg_reply_json(req, 200, json_pack("{s:b}", "logged_out", 1));
}

enum wg_rc wg_api_me(struct wg_req *req, struct wg_err *err)
{
    (void)err;
    return wg_reply_json(req, 200, actor_json(req->actor));
}

enum wg_rc wg_api_me_password(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_db *db;
    enum wg_rc rc;
    if ((rc = wg_store_get(app->store, &db, err)))
        return rc;
    rc = wg_session_change_password(db, req->actor, str_field(req->json, "old_password"),
                                    str_field(req->json, "new_password"), err);
    rc = wg_api_audit(req, db, NULL, "account.password_change", "account",
                      ((const struct wg_actor *)req->actor)->username, NULL, rc, err);
    wg_store_put(db);
    return rc ? rc : wg_reply_json(req, 200, json_pack("{s:b}", "changed", 1));
}

struct accounts {
    json_t *arr;
};

static int add_account(const struct wg_account_row *a, void *ctx)
{
    struct accounts *acc = ctx;
    json_array_append_new(
        acc->arr, json_pack("{s:s,s:s,s:{s:s,s:s},s:b,s:b,s:b}", "username", a->username, "role",
                            a->role, "scope", "kind", a->scope_kind, "code", a->scope,
                            "must_change_password", a->must_change, "disabled", a->disabled,
                            "locked", a->locked_until > now_s()));
    return 0;
}

/* Masked personal fields: every output shows them masked; the clear value only comes from
 * /reveal, with a reason, and is audited. */
static json_t *masked(const struct wg_profile *p)
{
    char name[160], phone[64], id[64];
    wg_pii_mask_name(p->name, name, sizeof name);
    wg_pii_mask_phone(p->phone, phone, sizeof phone);
    wg_pii_mask_id(p->id_number, id, sizeof id);
    return json_pack("{s:s,s:s,s:s}", "name", name, "phone", phone, "id_number", id);
}

static enum wg_rc add_profiles(struct wg_app *app, struct wg_db *db, json_t *users,
                               struct wg_err *err)
{
    json_t *u;
    size_t i;
    json_array_foreach(users, i, u)
    {
        struct wg_profile p;
        enum wg_rc rc = wg_profile_get(db, app->keys,
                                       json_string_value(json_object_get(u, "username")), &p, err);
        if (rc)
            return rc;
        json_object_set_new(u, "profile", masked(&p));
        wg_profile_release(&p);
    }
    return WG_OK;
}

static enum wg_rc fill_users(struct wg_req *req, struct wg_db *db, json_t *arr,
                             struct wg_err *err)
{
    struct accounts acc = {arr};
    enum wg_rc rc = wg_store_account_each(db, add_account, &acc, err);
    return rc ? rc : add_profiles(req->app, db, arr, err);
}

enum wg_rc wg_api_users_list(struct wg_req *req, struct wg_err *err)
{
    return wg_api_reply_list(req, "users", fill_users, err);
}

/* An administrator sets an initial password (or has one made); either way the new user
 * must change it at first login. */
enum wg_rc wg_api_users_create(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    const char *pw = str_field(req->json, "password");
    char made[21];
    struct wg_db *db;
    enum wg_rc rc;
    if (!pw) {
        wg_password_random(made);
        pw = made;
    }
    if ((rc = wg_store_get(app->store, &db, err)))
        return rc;
    /* the account and its sealed profile are one change: all or nothing */
    if (!(rc = wg_db_begin(db, err))) {
        const char *user = str_field(req->json, "username");
        if (!(rc = wg_account_create(db, user, str_field(req->json, "role"),
                                     str_field(req->json, "scope"), pw, 1, err)) &&
            !(rc = wg_profile_set(db, app->keys, user, str_field(req->json, "name"),
                                  str_field(req->json, "phone"),
                                  str_field(req->json, "id_number"), err)))
            rc = wg_db_commit(db, err);
        if (rc)
            wg_db_rollback(db);
    }
    rc = wg_api_audit(req, db, NULL, "user.create", "account", str_field(req->json, "username"),
                      str_field(req->json, "role"), rc, err);
    wg_store_put(db);
    if (rc)
        return rc;
    json_t *out = json_pack("{s:s,s:s,s:s,s:b}", "username", str_field(req->json, "username"),
                            "role", str_field(req->json, "role"), "scope",
                            str_field(req->json, "scope"), "must_change_password", 1);
    if (pw == made)
        json_object_set_new(out, "initial_password", json_string(made));
    sodium_memzero(made, sizeof made);
    return wg_reply_json(req, 201, out);
}

static int add_key(const struct wg_apikey_row *k, void *ctx)
{
    json_t *perms = json_array();
    for (uint32_t b = 1; b && b <= WG_P_CONFIG_ADMIN; b <<= 1)
        if ((uint32_t)k->permissions & b)
            json_array_append_new(perms, json_string(wg_perm_name(b)));
    json_t *o = json_pack("{s:s,s:s,s:{s:s,s:s},s:o,s:b}", "id", k->id, "name", k->name, "scope",
                          "kind", k->scope_kind, "code", k->scope, "permissions", perms,
                          "revoked", k->revoked_at[0] != 0);
    json_array_append_new(ctx, o);
    return 0;
}

static enum wg_rc fill_keys(struct wg_req *req, struct wg_db *db, json_t *arr,
                            struct wg_err *err)
{
    (void)req;
    return wg_store_apikey_each(db, add_key, arr, err);
}

enum wg_rc wg_api_apikeys_list(struct wg_req *req, struct wg_err *err)
{
    return wg_api_reply_list(req, "apikeys", fill_keys, err);
}

enum wg_rc wg_api_apikeys_create(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    json_t *plist = json_object_get(req->json, "permissions"), *p;
    char list[256] = "", key[WG_APIKEY_LEN + 1], id[24];
    uint32_t perms;
    size_t i;
    struct wg_db *db;
    enum wg_rc rc;
    if (!json_is_array(plist))
        return wg_err_set(err, WG_EINVAL, "'permissions' must be an array, e.g. [\"open311\"]");
    json_array_foreach(plist, i, p)
    {
        if (!json_is_string(p) || strlen(list) + strlen(json_string_value(p)) + 2 > sizeof list)
            return wg_err_set(err, WG_EINVAL, "permissions[%zu] is not a permission name", i);
        if (i)
            strncat(list, ",", sizeof list - strlen(list) - 1);
        strncat(list, json_string_value(p), sizeof list - strlen(list) - 1);
    }
    if ((rc = wg_perm_parse_list(list, &perms, err)))
        return rc;
    if ((rc = wg_store_get(app->store, &db, err)))
        return rc;
    rc = wg_apikey_create(db, str_field(req->json, "name"), str_field(req->json, "scope"), perms,
                          key, id, err);
    rc = wg_api_audit(req, db, NULL, "apikey.create", "apikey", rc ? "" : id, list, rc, err);
    wg_store_put(db);
    if (rc)
        return rc;
    json_t *out = json_pack("{s:s,s:s,s:s}", "id", id, "key", key, "note",
                            "the key is shown only now; store it safely");
    sodium_memzero(key, sizeof key);
    return wg_reply_json(req, 201, out);
}

enum wg_rc wg_api_apikeys_revoke(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_db *db;
    enum wg_rc rc;
    if ((rc = wg_store_get(app->store, &db, err)))
        return rc;
    rc = wg_store_apikey_revoke(db, req->params[0], err);
    rc = wg_api_audit(req, db, NULL, "apikey.revoke", "apikey", req->params[0], NULL, rc, err);
    wg_store_put(db);
    return rc ? rc : wg_reply_json(req, 200, json_pack("{s:s,s:b}", "id", req->params[0],
                                                       "revoked", 1));
}

int wg_api_in_scope(const struct wg_req *req, const char *code)
{
    const struct wg_actor *a = req->actor;
    return !a || wg_scope_covers(&a->scope, code);
}

/* POST /api/v1/users/{username}/reveal {"field": "phone", "reason": "…"}: one clear value,
 * for an administrator with a stated reason; the reveal is audited. */
enum wg_rc wg_api_users_reveal(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    const char *field = str_field(req->json, "field"), *reason = str_field(req->json, "reason");
    struct wg_profile p;
    struct wg_db *db;
    const char *v;
    enum wg_rc rc;
    if (!field || !(!strcmp(field, "name") || !strcmp(field, "phone") ||
                    !strcmp(field, "id_number")))
        return wg_err_set(err, WG_EINVAL, "'field' must be one of name, phone, id_number");
    if (!reason || strlen(reason) < 4)
        return wg_err_set(err, WG_EINVAL, "'reason' is required: say why the clear value is "
                                          "needed (at least 4 bytes)");
    if ((rc = wg_store_get(app->store, &db, err)))
        return rc;
    rc = wg_profile_get(db, app->keys, req->params[0], &p, err);
    /* the reveal is on the record before the value leaves the server */
    char detail[300];
    snprintf(detail, sizeof detail, "%s: %s", field, reason);
    rc = wg_api_audit(req, db, NULL, "pii.reveal", "account", req->params[0], detail, rc, err);
    wg_store_put(db);
    if (rc) {
        if (p.name || p.phone || p.id_number)
            wg_profile_release(&p);
        return rc;
    }
    v = wg_profile_field(&p, field);
    json_t *out = json_pack("{s:s,s:s,s:s}", "username", req->params[0], "field", field, "value",
                            v ? v : "");
    wg_profile_release(&p);
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_audit(struct wg_req *req, struct wg_db *db, const char *actor_name,
                        const char *action, const char *object_type, const char *object_id,
                        const char *detail, enum wg_rc rc, struct wg_err *err)
{
    const struct wg_actor *a = req->actor;
    struct wg_audit_event ev = {
        .actor = a ? a->username : actor_name,
        .role = a ? a->role : NULL,
        .source = req->remote_addr,
        .action = action,
        .object_type = object_type,
        .object_id = object_id,
        .detail = detail,
    };
    return wg_audit_outcome(db, &ev, rc, err);
}

enum wg_rc wg_api_order_id(const char *s, long long *id, struct wg_err *err)
{
    char *end;
    *id = strtoll(s, &end, 10);
    if (!*s || *end || *id <= 0)
        return wg_err_set(err, WG_ENOTFOUND, "order '%.20s' does not exist", s);
    return WG_OK;
}

enum wg_rc wg_api_reply_list(struct wg_req *req, const char *key,
                             enum wg_rc (*fill)(struct wg_req *req, struct wg_db *db,
                                                json_t *arr, struct wg_err *err),
                             struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_db *db;
    json_t *arr = json_array();
    enum wg_rc rc = wg_store_get(app->store, &db, err);
    if (!rc) {
        rc = fill(req, db, arr, err);
        wg_store_put(db);
    }
    if (rc) {
        json_decref(arr);
        return rc;
    }
    return wg_reply_json(req, 200, json_pack("{s:o}", key, arr));
}
