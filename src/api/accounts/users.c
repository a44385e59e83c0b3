/* Accounts (三员分立, domain/accounts/account.h). For the sysadmin, the operational accounts:
 * GET/POST /api/v1/users, POST /api/v1/users/{username}/reset-password, and POST
 * /api/v1/users/{username}/reveal — one clear personal value with a stated reason, audited
 * before it leaves; every list shows personal fields masked. For the secadmin, the
 * administrators' accounts: GET/POST /api/v1/admins, POST /api/v1/admins/{username}/reset-
 * password. Every making, reset and refusal of one is recorded. */
#include "api/app.h"
#include "api/handlers.h"

#include <time.h>

#include <sodium.h>

#include "domain/accounts/account.h"
#include "domain/accounts/profile.h"
#include "domain/accounts/session.h"
#include "store/accounts/accounts_q.h"

static int add_account(const struct wg_account_row *a, void *ctx)
{
    json_array_append_new(ctx, json_pack("{s:s,s:s,s:{s:s,s:s},s:b,s:b,s:b}", "username",
                                         a->username, "role", a->role, "scope", "kind",
                                         a->scope_kind, "code", a->scope, "must_change_password",
                                         a->must_change, "disabled", a->disabled, "locked",
                                         a->locked_until > (long long)time(NULL)));
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

static enum wg_rc fill_users(struct wg_req *req, struct wg_db *db, json_t *users,
                             struct wg_err *err)
{
    struct wg_app *app = req->app;
    json_t *u;
    size_t i;
    enum wg_rc rc = wg_store_account_each(db, add_account, users, err);
    if (rc)
        return rc;
    json_array_foreach(users, i, u)
    {
        struct wg_profile p;
        if ((rc = wg_profile_get(db, app->keys, json_string_value(json_object_get(u, "username")),
                                 &p, err)))
            return rc;
        json_object_set_new(u, "profile", masked(&p));
        wg_profile_release(&p);
    }
    return WG_OK;
}

enum wg_rc wg_api_users_list(struct wg_req *req, struct wg_err *err)
{
    return wg_api_reply_list(req, "users", fill_users, err);
}

/* An account being made (POST /api/v1/users, POST /api/v1/admins): checked and its password
 * hashed on the password pool, then stored with its sealed profile and recorded on a request
 * thread. It lives in the request's arena. */
struct new_account {
    const char *username, *role, *scope, *password;
    char made[21]; /* the one-time password the server made, when none was given */
    struct wg_account_row row;
    enum wg_rc rc; /* wg_account_prepare's */
    struct wg_err err;
};

static void new_account_hash(void *ctx)
{
    struct new_account *n = ctx;
    n->rc = wg_account_prepare(n->username, n->role, n->scope, n->password, 1, &n->row, &n->err);
}

static enum wg_rc new_account_store(struct wg_req *req, void *ctx, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct new_account *n = ctx;
    struct wg_db *db;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    if (n->rc) {
        *err = n->err;
        rc = n->rc;
    } else if (!(rc = wg_db_begin(db, err))) { /* the account and its profile: all or nothing */
        if (!(rc = wg_store_account_insert(db, &n->row, err)) &&
            !(rc = wg_profile_set(db, app->keys, n->username, wg_api_field(req, "name"),
                                  wg_api_field(req, "phone"), wg_api_field(req, "id_number"), err)))
            rc = wg_db_commit(db, err);
        if (rc)
            wg_db_rollback(db);
    }
    rc = wg_api_audit(req, db, NULL, "user.create", "account", n->username, n->role, rc, err);
    if (rc)
        return rc;
    json_t *out = json_pack("{s:s,s:s,s:s,s:b}", "username", n->username, "role", n->role, "scope",
                            n->scope, "must_change_password", 1);
    if (n->password == n->made)
        json_object_set_new(out, "initial_password", json_string(n->made));
    sodium_memzero(n->made, sizeof n->made);
    return wg_reply_json(req, 201, out);
}

/* Which accounts a route may make or reset: the administrators' (secadmin's routes) or the
 * operational ones (sysadmin's). A refusal names the route that may, and is recorded. */
static enum wg_rc check_kind(struct wg_req *req, int admin, const char *action, const char *user,
                             const char *role, struct wg_err *err)
{
    struct wg_db *db;
    enum wg_rc rc;
    if (!role || !wg_role_find(role) || wg_role_is_admin(role) == admin)
        return WG_OK;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    if (admin)
        wg_err_set(err, WG_EFORBIDDEN,
                   "'%s' is an operational account (%s): a sysadmin makes and resets it, with "
                   "/api/v1/users",
                   user, role);
    else
        wg_err_set(err, WG_EFORBIDDEN,
                   "'%s' is an administrator's account (%s): only a secadmin makes or resets "
                   "one, with /api/v1/admins",
                   user, role);
    return wg_api_audit(req, db, NULL, action, "account", user, role, WG_EFORBIDDEN, err);
}

/* The request's part of making an account: what needs no store or hashing, then the rest on
 * the password pool. An administrator's password is never chosen by another: the server makes
 * a one-time one, shown once; an operational account's may be given, or is made so too.
 * Either way the new user must change it at first login. */
static enum wg_rc create_account(struct wg_req *req, int admin, struct wg_err *err)
{
    struct new_account *n = wg_arena_alloc(req->arena, sizeof *n);
    enum wg_rc rc;
    memset(n, 0, sizeof *n);
    n->username = wg_api_field(req, "username");
    n->role = wg_api_field(req, "role");
    n->scope = wg_api_field(req, "scope");
    n->password = wg_api_field(req, "password");
    if (admin && json_object_get(req->json, "password"))
        return wg_err_set(err, WG_EINVAL,
                          "'password' may not be given: an administrator's password is never "
                          "chosen by another; a one-time password is made and shown once");
    if (admin && !n->scope && !json_object_get(req->json, "scope"))
        n->scope = "all";
    if (admin && n->role && !wg_role_find(n->role))
        return wg_err_set(err, WG_EINVAL, "role '%s' is not one of sysadmin, secadmin, auditor",
                          n->role);
    if ((rc = check_kind(req, admin, "user.create", n->username ? n->username : "", n->role, err)))
        return rc;
    if (!n->password) {
        wg_password_random(n->made);
        n->password = n->made;
    }
    return wg_api_pw_then(req, new_account_hash, new_account_store, n);
}

enum wg_rc wg_api_users_create(struct wg_req *req, struct wg_err *err)
{
    return create_account(req, 0, err);
}

enum wg_rc wg_api_admins_create(struct wg_req *req, struct wg_err *err)
{
    return create_account(req, 1, err);
}

/* A reset on its way: the one-time password hashed on the pool, then stored. */
struct reset {
    const char *username, *role;
    char made[21], hash[128];
};

static void reset_hash(void *ctx)
{
    struct reset *r = ctx;
    wg_password_hash(r->made, r->hash, NULL);
}

static enum wg_rc reset_store(struct wg_req *req, void *ctx, struct wg_err *err)
{
    struct reset *r = ctx;
    struct wg_db *db;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_password_reset(db, r->username, r->hash, err);
    rc = wg_api_audit(req, db, NULL, "user.password_reset", "account", r->username, r->role, rc,
                      err);
    if (rc)
        return rc;
    json_t *out = json_pack("{s:s,s:s,s:s,s:b}", "username", r->username, "role", r->role,
                            "initial_password", r->made, "must_change_password", 1);
    sodium_memzero(r->made, sizeof r->made);
    return wg_reply_json(req, 200, out);
}

/* POST /api/v1/users/{username}/reset-password (sysadmin: operational accounts) and POST
 * /api/v1/admins/{username}/reset-password (secadmin: administrators'): a one-time password,
 * shown once, that must be changed at first login; the account's sessions end. One's own
 * password is changed, not reset. */
static enum wg_rc reset_account(struct wg_req *req, int admin, struct wg_err *err)
{
    const struct wg_actor *actor = req->actor;
    const char *user = req->params[0];
    struct reset *r = wg_arena_alloc(req->arena, sizeof *r);
    struct wg_account_row a;
    struct wg_db *db;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    if (!strcmp(user, actor->username))
        return wg_api_audit(req, db, NULL, "user.password_reset", "account", user, NULL,
                            wg_err_set(err, WG_EFORBIDDEN,
                                       "one's own password is not reset but changed: PUT "
                                       "/api/v1/me/password"),
                            err);
    rc = wg_store_account_get(db, user, &a, err);
    if (rc == WG_OK && wg_role_is_admin(a.role) != admin)
        rc = check_kind(req, admin, "user.password_reset", user, a.role, err);
    else if (rc)
        rc = wg_api_audit(req, db, NULL, "user.password_reset", "account", user, NULL, rc, err);
    if (rc)
        return rc;
    memset(r, 0, sizeof *r);
    r->username = user;
    r->role = wg_arena_strdup(req->arena, a.role);
    wg_password_random(r->made);
    return wg_api_pw_then(req, reset_hash, reset_store, r);
}

enum wg_rc wg_api_users_reset(struct wg_req *req, struct wg_err *err)
{
    return reset_account(req, 0, err);
}

enum wg_rc wg_api_admins_reset(struct wg_req *req, struct wg_err *err)
{
    return reset_account(req, 1, err);
}

static int add_admin(const struct wg_account_row *a, void *ctx)
{
    return wg_role_is_admin(a->role) ? add_account(a, ctx) : 0;
}

static enum wg_rc fill_admins(struct wg_req *req, struct wg_db *db, json_t *admins,
                              struct wg_err *err)
{
    (void)req;
    return wg_store_account_each(db, add_admin, admins, err);
}

/* GET /api/v1/admins (secadmin): the administrators' accounts, without their profiles. */
enum wg_rc wg_api_admins_list(struct wg_req *req, struct wg_err *err)
{
    return wg_api_reply_list(req, "admins", fill_admins, err);
}

/* POST /api/v1/users/{username}/reveal {"field": "phone", "reason": "…"}: one clear value,
 * for an administrator with a stated reason; the reveal is audited. */
enum wg_rc wg_api_users_reveal(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    const char *field = wg_api_field(req, "field"), *reason = NULL;
    struct wg_profile p = {0};
    struct wg_db *db;
    const char *v;
    enum wg_rc rc;
    if (!field ||
        !(!strcmp(field, "name") || !strcmp(field, "phone") || !strcmp(field, "id_number")))
        return wg_err_set(err, WG_EINVAL, "'field' must be one of name, phone, id_number");
    if ((rc = wg_api_reveal_reason(req, &reason, err)) || (rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_profile_get(db, app->keys, req->params[0], &p, err);
    /* the reveal is on the record before the value leaves the server */
    rc = wg_api_reveal_audit(req, db, "account", req->params[0], field, reason, rc, err);
    if (rc) {
        if (p.name || p.phone || p.id_number)
            wg_profile_release(&p);
        return rc;
    }
    v = wg_profile_field(&p, field);
    json_t *out =
        json_pack("{s:s,s:s,s:s}", "username", req->params[0], "field", field, "value", v ? v : "");
    wg_profile_release(&p);
    return wg_reply_json(req, 200, out);
}
