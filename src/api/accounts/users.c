/* Accounts, for account administrators: GET/POST /api/v1/users, and POST
 * /api/v1/users/{username}/reveal — one clear personal value with a stated reason, audited
 * before it leaves. Every list shows personal fields masked. */
#include "api/app.h"
#include "api/handlers.h"

#include <time.h>

#include <sodium.h>

#include "domain/accounts/account.h"
#include "domain/accounts/profile.h"
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

/* An account being made (POST /api/v1/users): checked and its password
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

/* An administrator sets an initial password (or has one made); either way the new user
 * must change it at first login. The password is hashed on the password pool. */
enum wg_rc wg_api_users_create(struct wg_req *req, struct wg_err *err)
{
    struct new_account *n = wg_arena_alloc(req->arena, sizeof *n);
    (void)err; /* every refusal is new_account_store's, on the record */
    memset(n, 0, sizeof *n);
    n->username = wg_api_field(req, "username");
    n->role = wg_api_field(req, "role");
    n->scope = wg_api_field(req, "scope");
    n->password = wg_api_field(req, "password");
    if (!n->password) {
        wg_password_random(n->made);
        n->password = n->made;
    }
    return wg_api_pw_then(req, new_account_hash, new_account_store, n);
}

/* POST /api/v1/users/{username}/reveal {"field": "phone", "reason": "…"}: one clear value,
 * for an administrator with a stated reason; the reveal is audited. */
enum wg_rc wg_api_users_reveal(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    const char *field = wg_api_field(req, "field"), *reason = wg_api_field(req, "reason");
    struct wg_profile p = {0};
    struct wg_db *db;
    char detail[300];
    const char *v;
    enum wg_rc rc;
    if (!field ||
        !(!strcmp(field, "name") || !strcmp(field, "phone") || !strcmp(field, "id_number")))
        return wg_err_set(err, WG_EINVAL, "'field' must be one of name, phone, id_number");
    if (!reason || strlen(reason) < 4)
        return wg_err_set(err, WG_EINVAL,
                          "'reason' is required: say why the clear value is "
                          "needed (at least 4 bytes)");
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_profile_get(db, app->keys, req->params[0], &p, err);
    /* the reveal is on the record before the value leaves the server */
    snprintf(detail, sizeof detail, "%s: %s", field, reason);
    rc = wg_api_audit(req, db, NULL, "pii.reveal", "account", req->params[0], detail, rc, err);
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
