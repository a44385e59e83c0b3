/* What every handler shares (api/app.h): the request's store connection, values kept until
 * the request ends, the audit record of an operation, ids from paths and the list answer. */
#include "api/app.h"

#include <stdint.h>
#include <time.h>

#include "core/log.h"
#include "core/param.h"
#include "domain/accounts/audit.h"
#include "domain/orders/order.h"

static void put_db(void *p)
{
    struct wg_req *req = p;
    wg_api_release(req);
}

enum wg_rc wg_api_db(struct wg_req *req, struct wg_db **out, struct wg_err *err)
{
    struct wg_app *app = req->app;
    enum wg_rc rc;
    if (!req->db) {
        struct wg_db *db;
        if ((rc = wg_store_get(app->store, &db, err)))
            return rc;
        /* the arena gives it back should the HTTP layer not (a request torn down early) */
        wg_arena_defer(req->arena, put_db, req);
        req->db = db;
    }
    *out = req->db;
    return WG_OK;
}

void wg_api_release(struct wg_req *req)
{
    if (req->db) {
        wg_store_put(req->db);
        req->db = NULL;
    }
}

enum wg_rc wg_api_commit(struct wg_req *req, wg_commit_fn fn, void *ctx, struct wg_err *err)
{
    struct wg_app *app = req->app;
    wg_api_release(req); /* a thread waiting for the disk holds no connection others need */
    return wg_committer_run(app->committer, fn, ctx, err);
}

struct pw_then {
    struct wg_pw_job job; /* first: the pool hands it back */
    struct wg_req *req;
    void (*work)(void *ctx);
    enum wg_rc (*then)(struct wg_req *req, void *ctx, struct wg_err *err);
    void *ctx;
    enum wg_rc rc; /* the pool's: WG_OK once work ran */
    struct wg_err err;
};

static void pw_run(struct wg_pw_job *job, enum wg_rc rc)
{
    struct pw_then *t = (struct pw_then *)job;
    if (rc)
        wg_err_set(&t->err, rc, "the server is stopping");
    else
        t->work(t->ctx);
    t->rc = rc;
    wg_req_resume(t->req);
}

static enum wg_rc pw_answer(struct wg_req *req, void *ctx, struct wg_err *err)
{
    struct pw_then *t = ctx;
    if (t->rc) {
        *err = t->err;
        return t->rc;
    }
    return t->then(req, t->ctx, err);
}

enum wg_rc wg_api_pw_then(struct wg_req *req, void (*work)(void *ctx),
                          enum wg_rc (*then)(struct wg_req *req, void *ctx, struct wg_err *err),
                          void *ctx)
{
    struct wg_app *app = req->app;
    struct pw_then *t = wg_arena_alloc(req->arena, sizeof *t);
    memset(t, 0, sizeof *t);
    t->job.run = pw_run;
    t->req = req;
    t->work = work;
    t->then = then;
    t->ctx = ctx;
    wg_req_suspend(req, pw_answer, t);
    if ((t->rc = wg_pwpool_submit(app->pwpool, &t->job, &t->err)))
        wg_req_resume(req);
    return WG_OK;
}

static void drop_json(void *p)
{
    json_decref(p);
}

json_t *wg_api_keep(struct wg_req *req, json_t *j)
{
    return j ? wg_arena_defer(req->arena, drop_json, j) : NULL;
}

struct wg_order_env wg_api_order_env(struct wg_req *req)
{
    struct wg_app *app = req->app;
    return (struct wg_order_env){app->keys, wg_api_catalog(req), app->calendar, app->dups};
}

const char *wg_api_field(const struct wg_req *req, const char *name)
{
    return json_string_value(json_object_get(req->json, name));
}

enum wg_rc wg_api_if_match(struct wg_req *req, const char *what, long long lo, long long hi,
                           long long *version, struct wg_err *err)
{
    const char *h = wg_req_header(req, "If-Match"), *q;
    char text[24];
    size_t n;
    if (!h)
        return WG_ENOTFOUND;
    if (!strncmp(h, "W/", 2))
        h += 2;
    q = h + (*h == '"');
    n = strcspn(q, "\"");
    if (n >= sizeof text || (q > h && strcmp(q + n, "\"")) || (q == h && q[n]))
        return wg_err_set(err, WG_EINVAL, "If-Match '%.20s' is not %s", h, what);
    memcpy(text, q, n);
    text[n] = '\0';
    if (wg_param_count(text, "If-Match", lo, hi, version, NULL))
        return wg_err_set(err, WG_EINVAL, "If-Match '%.20s' is not %s", h, what);
    return WG_OK;
}

enum wg_rc wg_api_reply_versioned(struct wg_req *req, int status, long long version, json_t *j)
{
    req->extra_header_name = "ETag";
    req->extra_header_value = wg_arena_printf(req->arena, "\"%lld\"", version);
    return wg_reply_json(req, status, j);
}

int wg_api_in_scope(const struct wg_req *req, const char *code)
{
    const struct wg_actor *a = req->actor;
    return !a || wg_scope_covers(&a->scope, code);
}

enum wg_rc wg_api_audit(struct wg_req *req, struct wg_db *db, const char *actor_name,
                        const char *action, const char *object_type, const char *object_id,
                        const char *detail, enum wg_rc rc, struct wg_err *err)
{
    const struct wg_actor *a = req->actor;
    struct wg_audit_event ev = {
        .actor = a ? a->username : actor_name,
        .role = a ? wg_role_name(a->role) : NULL,
        .source = req->remote_addr,
        .action = action,
        .object_type = object_type,
        .object_id = object_id,
        .detail = detail,
    };
    return wg_audit_outcome(db, &ev, rc, err);
}

struct take_job {
    struct wg_throttle *t;
    long long now;
    int *retry_after;
};

static enum wg_rc take_tx(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct take_job *j = ctx;
    return wg_throttle_take(db, j->t, j->now, j->retry_after, err);
}

enum wg_rc wg_api_throttle_take(struct wg_req *req, struct wg_throttle *t, long long now,
                                int *retry_after, struct wg_err *err)
{
    struct take_job j = {t, now, retry_after};
    return wg_api_commit(req, take_tx, &j, err);
}

enum wg_rc wg_api_lookup_throttle(struct wg_req *req, const char *what, int limit, int window,
                                  struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_throttle t;
    int retry_after = 0;
    char addr[46];
    enum wg_rc rc;
    wg_portal_client_addr(&app->portal, req->remote_addr, wg_req_header(req, "X-Forwarded-For"),
                          addr);
    wg_throttle_set(&t, what, addr, limit, window);
    if ((rc = wg_api_throttle_take(req, &t, (long long)time(NULL), &retry_after, err)) ==
        WG_ERATE) {
        req->extra_header_name = "Retry-After";
        req->extra_header_value = wg_arena_printf(req->arena, "%d", retry_after);
    }
    return rc;
}

enum wg_rc wg_api_reveal_reason(struct wg_req *req, const char **reason, struct wg_err *err)
{
    const char *r = wg_api_field(req, "reason");
    size_t n = 0;
    for (const char *p = r; p && *p; p++)
        n += *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r';
    if (n < 4)
        return wg_err_set(err, WG_EINVAL,
                          "'reason' is required: say why the clear value is needed (at least 4 "
                          "bytes)");
    *reason = r;
    return WG_OK;
}

enum wg_rc wg_api_reveal_audit(struct wg_req *req, struct wg_db *db, const char *object_type,
                               const char *object_id, const char *what, const char *reason,
                               enum wg_rc rc, struct wg_err *err)
{
    char detail[WG_AUDIT_DETAIL_MAX];
    snprintf(detail, sizeof detail, "%s: %s", what, reason);
    if (rc && err->msg[0]) { /* a refusal says why beside the reason given */
        size_t n = strlen(detail);
        snprintf(detail + n, sizeof detail - n, " (%s)", err->msg);
    }
    struct wg_err refusal = *err;
    enum wg_rc logged =
        wg_api_audit(req, db, NULL, "pii.reveal", object_type, object_id, detail, rc, err);
    if (!logged)
        return rc;
    /* the log cannot take the record (full, broken, its store failing): a reveal is refused
     * alike on every store, a refusal stays what it was; why is in the server's log */
    wg_warn("the reveal of %s %s was not recorded in the audit log: %s", object_type, object_id,
            err->msg);
    if (rc) {
        *err = refusal;
        return rc;
    }
    return wg_err_set(err, WG_EUNAVAIL,
                      "nothing was revealed: the audit log could not record the reveal; try "
                      "again later");
}

enum wg_rc wg_api_order_id(const char *s, long long *id, struct wg_err *err)
{
    if (wg_param_id(s, 1, INT64_MAX, id))
        return wg_err_set(err, WG_ENOTFOUND, "order '%.20s' does not exist", s);
    return WG_OK;
}

enum wg_rc wg_api_reply_list(struct wg_req *req, const char *key,
                             enum wg_rc (*fill)(struct wg_req *req, struct wg_db *db, json_t *arr,
                                                struct wg_err *err),
                             struct wg_err *err)
{
    struct wg_db *db;
    json_t *arr = wg_api_keep(req, json_array());
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) || (rc = fill(req, db, arr, err)))
        return rc;
    return wg_reply_json(req, 200, json_pack("{s:O}", key, arr));
}
