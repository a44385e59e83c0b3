/* Sessions and one's own account: POST/DELETE /api/v1/session (log in and out), GET
 * /api/v1/me, PUT /api/v1/me/password. A failed login counts against its source address
 * (domain/accounts/login_limit.h). */
#include "api/app.h"
#include "api/handlers.h"

#include <time.h>

#include <sodium.h>

#include "domain/accounts/account.h"
#include "domain/accounts/audit.h"
#include "domain/accounts/pwpool.h"

static json_t *actor_json(const struct wg_actor *a)
{
    const char *name = wg_role_name(a->role);
    const char *label = a->role < WG_ROLE_ACCOUNTS ? wg_roles[a->role].label : name;
    json_t *perms = json_array();
    for (uint32_t b = 1; b && b <= WG_P_LAST; b <<= 1)
        if (a->perms & b)
            json_array_append_new(perms, json_string(wg_perm_name(b)));
    return json_pack("{s:s,s:s,s:s,s:{s:s,s:s},s:b,s:o}", "username", a->username, "role", name,
                     "role_label", label, "scope", "kind", a->scope.kind, "code", a->scope.code,
                     "must_change_password", a->must_change, "permissions", perms);
}

/* A login on its way: read, then queued in the password pool, then written by the group
 * committer, the request suspended all along. It lives in the request's arena. */
struct login {
    struct wg_pw_job job; /* first: the pool hands it back */
    struct wg_req *req;
    struct wg_login login;
    const char *password; /* the request's body holds it until the request ends */
    int admitted;         /* took a place in its address's budget: settled once written */
    enum wg_rc outcome;   /* the login's: WG_OK, WG_EUNAUTH, WG_ERATE; or a failure to write it */
    struct wg_err err, werr; /* the login's error; the committer's */
    char token[WG_TOKEN_LEN + 1];
    struct wg_actor actor;
    long long now;
};

/* In the committer's batch: the login's outcome and its audit record, together. A refused
 * login is a success of the job's: its failure is counted and recorded, not undone. */
static enum wg_rc login_tx(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct login *l = ctx;
    struct wg_audit_event ev = {
        .actor = l->login.username,
        .source = l->req->remote_addr,
        .action = "session.login",
        .object_type = "account",
        .object_id = l->login.username,
        .result = "ok",
    };
    enum wg_rc rc =
        wg_login_finish(db, &l->login, l->req->remote_addr, l->now, l->token, &l->actor, &l->err);
    l->outcome = rc;
    if (rc == WG_EUNAUTH) {
        ev.action = "session.login_failed";
        ev.detail = l->login.why;
        return wg_audit_refusal(db, &ev, rc, err);
    }
    if (rc) {
        *err = l->err;
        return rc;
    }
    return wg_audit_record(db, &ev, err);
}

/* On the committer's thread: the login is written (or could not be); its place in the
 * address's budget is given back with how it ended, and the request answers. */
static void login_written(void *arg, enum wg_rc rc)
{
    struct login *l = arg;
    struct wg_app *app = l->req->app;
    if (rc) {
        l->outcome = rc;
        l->err = l->werr;
    }
    if (l->admitted) {
        wg_login_limit_settle(&app->logins, l->req->remote_addr, l->outcome != WG_OK,
                              (long long)time(NULL));
        wg_pwpool_kick(app->pwpool);
    }
    wg_req_resume(l->req);
}

/* On a pool thread: the password checked, then the outcome handed to the committer. */
static void login_check(struct wg_pw_job *job, enum wg_rc rc)
{
    struct login *l = (struct login *)job;
    struct wg_app *app = l->req->app;
    l->outcome = rc;
    if (rc == WG_ERATE)
        wg_err_set(&l->err, rc, "too many failed logins from %s; wait a minute",
                   l->req->remote_addr);
    else if (rc)
        wg_err_set(&l->err, rc, "the server is stopping");
    if (rc) {
        wg_req_resume(l->req);
        return;
    }
    l->admitted = 1;
    wg_login_verify(&l->login, l->password);
    l->now = (long long)time(NULL); /* a burst may have kept it waiting: locks date from now */
    if ((rc = wg_committer_submit(app->committer, login_tx, l, &l->werr, login_written, l)))
        login_written(l, rc);
}

/* The answer, once the login is written. */
static enum wg_rc login_answer(struct wg_req *req, void *ctx, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct login *l = ctx;
    if (l->outcome) {
        *err = l->err;
        return l->outcome;
    }
    json_t *out = actor_json(&l->actor);
    json_object_set_new(out, "token", json_string(l->token));
    json_object_set_new(out, "idle_seconds", json_integer(app->limits.idle_seconds));
    json_object_set_new(out, "absolute_seconds", json_integer(app->limits.absolute_seconds));
    sodium_memzero(l->token, sizeof l->token);
    return wg_reply_json(req, 201, out);
}

/* The account is read here, on the request's thread; the password is checked in the password
 * pool and the outcome written by the group committer, the request suspended meanwhile and
 * holding nothing. Every failure answers alike (domain/accounts/session.h). */
enum wg_rc wg_api_login(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    const char *user = wg_api_field(req, "username"), *pw = wg_api_field(req, "password");
    struct login *l = wg_arena_alloc(req->arena, sizeof *l);
    struct wg_db *db;
    enum wg_rc rc;
    memset(l, 0, sizeof *l);
    l->now = (long long)time(NULL);
    if (wg_login_limit_spent(&app->logins, req->remote_addr, l->now))
        return wg_err_set(err, WG_ERATE, "too many failed logins from %s; wait a minute",
                          req->remote_addr);
    if (!user || !pw || !*pw)
        return wg_err_set(err, WG_EINVAL,
                          "body must be {\"username\": \"…\", \"password\": \"…\"}");
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_login_prepare(db, user, l->now, &l->login, err)))
        return rc;
    l->req = req;
    l->password = pw;
    l->job.addr = req->remote_addr;
    l->job.run = login_check;
    wg_req_suspend(req, login_answer, l);
    if ((rc = wg_pwpool_submit(app->pwpool, &l->job, &l->err))) {
        l->outcome = rc;
        wg_req_resume(req);
    }
    return WG_OK;
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

/* A change of one's own password on its way: read here, checked and hashed on the password
 * pool, stored on a request thread. */
struct change {
    struct wg_password_change pc;
    const char *old_pw, *new_pw; /* the request's body holds them */
};

static void change_hash(void *ctx)
{
    struct change *c = ctx;
    wg_password_change_hash(&c->pc, c->old_pw, c->new_pw);
}

static enum wg_rc change_store(struct wg_req *req, void *ctx, struct wg_err *err)
{
    struct change *c = ctx;
    const struct wg_actor *actor = req->actor;
    struct wg_db *db;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_password_change_finish(db, actor, &c->pc, err);
    rc = wg_api_audit(req, db, NULL, "account.password_change", "account", actor->username, NULL,
                      rc, err);
    return rc ? rc : wg_reply_json(req, 200, json_pack("{s:b}", "changed", 1));
}

enum wg_rc wg_api_me_password(struct wg_req *req, struct wg_err *err)
{
    const struct wg_actor *actor = req->actor;
    struct change *c = wg_arena_alloc(req->arena, sizeof *c);
    struct wg_db *db;
    enum wg_rc rc;
    c->old_pw = wg_api_field(req, "old_password");
    c->new_pw = wg_api_field(req, "new_password");
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_password_change_prepare(db, actor, c->old_pw, c->new_pw, &c->pc, err);
    if (rc)
        return wg_api_audit(req, db, NULL, "account.password_change", "account", actor->username,
                            NULL, rc, err);
    return wg_api_pw_then(req, change_hash, change_store, c);
}
