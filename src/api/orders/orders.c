/* Work orders: POST /api/v1/orders (intake from every channel), GET /api/v1/orders/{id}. */
#include "api/app.h"
#include "api/handlers.h"

#include <time.h>

#include "domain/accounts/audit.h"
#include "domain/orders/duplicates.h"
#include "domain/orders/order.h"

/* One intake in a batch of the group committer (store.h): the order and the record of its
 * creation commit together or not at all. */
struct intake {
    struct wg_req *req;
    struct wg_order_draft *draft;
    const char *channel;
    enum wg_rc refused; /* why it failed, for the refusal's record */
    wg_commit_fn extra; /* the channel's own rows, or NULL */
    void *extra_ctx;
};

static enum wg_rc intake_tx(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct intake *in = ctx;
    char idtext[24];
    enum wg_rc rc = wg_order_insert(db, in->draft, err);
    if (rc || (in->extra && (rc = in->extra(db, in->extra_ctx, err))))
        return rc;
    snprintf(idtext, sizeof idtext, "%lld", in->draft->row.id);
    return wg_api_audit(in->req, db, NULL, "order.create", "order", idtext, in->channel, WG_OK,
                        err);
}

/* A refused intake is on the record too; its savepoint keeps a half-written record out. */
static enum wg_rc refusal_tx(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct intake *in = ctx;
    const struct wg_actor *a = in->req->actor;
    struct wg_audit_event ev = {
        .actor = a->username,
        .role = wg_role_name(a->role),
        .source = in->req->remote_addr,
        .action = "order.create",
        .object_type = "order",
        .detail = in->channel,
    };
    return wg_audit_refusal(db, &ev, in->refused, err);
}

/* Records a refusal with fn(job) — refusal_tx or action_refusal_tx, its job's refused set —
 * and adds a failure to record it to the refusal's own error. */
static void record_refusal(struct wg_req *req, wg_commit_fn fn, void *job, struct wg_err *err)
{
    struct wg_err aerr = {0};
    if (wg_api_commit(req, fn, job, &aerr))
        wg_err_also(err, &aerr);
}

enum wg_rc wg_api_intake(struct wg_req *req, struct wg_order_draft *draft, const char *channel,
                         wg_commit_fn extra, void *extra_ctx, struct wg_err *err)
{
    struct intake job = {req, draft, channel, WG_OK, extra, extra_ctx};
    enum wg_rc rc = wg_api_commit(req, intake_tx, &job, err);
    if (rc) {
        job.refused = rc;
        record_refusal(req, refusal_tx, &job, err);
    }
    return rc;
}

/* A write handed to the committer while its request is suspended: what the batch answered.
 * It lives in the request's arena, in the handler's own record of the write. */
struct pending {
    struct wg_req *req;
    struct wg_err err;
    enum wg_rc rc;
};

/* On the committer's thread: the batch is durable (or failed); the request answers. */
static void pending_done(void *arg, enum wg_rc rc)
{
    struct pending *p = arg;
    p->rc = rc;
    wg_req_resume(p->req);
}

/* Suspends req and hands fn(db, ctx) to the committer; once its batch is durable or failed,
 * answer(req, answer_ctx, err) answers, with p holding the outcome. The handler returns
 * WG_OK after it. */
static void submit(struct wg_req *req, struct pending *p, wg_commit_fn fn, void *ctx,
                   enum wg_rc (*answer)(struct wg_req *, void *, struct wg_err *), void *answer_ctx)
{
    struct wg_app *app = req->app;
    enum wg_rc rc;
    p->req = req;
    wg_req_suspend(req, answer, answer_ctx);
    if ((rc = wg_committer_submit(app->committer, fn, ctx, &p->err, pending_done, p)))
        pending_done(p, rc); /* not queued: answered at once */
}

/* A create waiting for its batch. */
struct pending_create {
    struct intake job;
    struct wg_order_draft draft;
    struct wg_order_env env;
    struct pending w;
};

static void release_draft(void *p)
{
    wg_order_draft_release(&((struct pending_create *)p)->draft);
}

/* The answer, rendered from what was inserted, without reading back. */
static enum wg_rc create_answer(struct wg_req *req, void *ctx, struct wg_err *err)
{
    struct pending_create *p = ctx;
    size_t len;
    char *text;
    if (p->w.rc) {
        *err = p->w.err;
        if (p->w.rc != WG_EUNAVAIL) { /* not taken at all when the store is shutting down */
            p->job.refused = p->w.rc;
            record_refusal(req, refusal_tx, &p->job, err);
        }
        return p->w.rc;
    }
    text = wg_order_draft_text(&p->env, req->actor, &p->draft, &len);
    return wg_reply_owned(req, 201, "application/json; charset=utf-8", text, len);
}

/* Validation, locating and sealing run here on the request's thread; only the inserts go to
 * the committer. The request is suspended meanwhile, so its thread serves other connections
 * instead of waiting for the disk (create_answer answers it). */
enum wg_rc wg_api_orders_create(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    const struct wg_actor *actor = req->actor;
    struct pending_create *p = wg_arena_alloc(req->arena, sizeof *p);
    struct wg_order_input in;
    struct wg_locator *loc;
    struct wg_db *db;
    long long now = (long long)time(NULL);
    enum wg_rc rc;
    p->env = wg_api_order_env(req);
    if ((rc = wg_order_parse(req->json, &in, err)))
        return rc;
    loc = wg_locator_acquire(&app->locator);
    rc = wg_order_prepare(&p->env, loc, actor, &in, now, &p->draft, err);
    wg_locator_release(loc);
    /* its duplicate candidates are read here, on a connection given back at once: the
     * request waits for its batch without holding one of the pool's */
    if (!rc && !(rc = wg_api_db(req, &db, err))) {
        rc = wg_order_duplicates(db, &p->env, &p->draft, now, err);
        wg_api_release(req);
    }
    p->job = (struct intake){req, &p->draft, in.channel, rc, NULL, NULL};
    if (rc) { /* a refused intake is on the record too */
        record_refusal(req, refusal_tx, &p->job, err);
        wg_order_draft_release(&p->draft);
        return rc;
    }
    wg_arena_defer(req->arena, release_draft, p);
    submit(req, &p->w, intake_tx, &p->job, create_answer, p);
    return WG_OK;
}

/* The candidates an intake of this body would find now (domain/orders/duplicates.h), for
 * the console's intake form while the agent types: the body is checked and located as
 * intake does, and nothing is stored. */
enum wg_rc wg_api_orders_duplicates(struct wg_req *req, struct wg_err *err)
{
    struct wg_order_env env = wg_api_order_env(req);
    struct wg_order_input in;
    struct wg_order_draft d;
    struct wg_locator *loc;
    struct wg_db *db;
    json_t *arr = NULL;
    long long now = (long long)time(NULL);
    enum wg_rc rc;
    if ((rc = wg_order_parse(req->json, &in, err)))
        return rc;
    loc = wg_locator_acquire(&((struct wg_app *)req->app)->locator);
    rc = wg_order_prepare(&env, loc, req->actor, &in, now, &d, err);
    wg_locator_release(loc);
    if (rc)
        return rc;
    if (!(rc = wg_api_db(req, &db, err)) && !(rc = wg_order_duplicates(db, &env, &d, now, err)))
        arr = wg_order_draft_duplicates(req->actor, &d);
    wg_order_draft_release(&d);
    if (rc)
        return rc;
    return wg_reply_json(req, 200, json_pack("{s:o}", "duplicates", arr));
}

enum wg_rc wg_api_orders_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_order_env env = wg_api_order_env(req);
    struct wg_db *db;
    json_t *out = NULL;
    long long id;
    enum wg_rc rc;
    if ((rc = wg_api_order_id(req->params[0], &id, err)) || (rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_order_json(db, &env, req->actor, id, 1, &out, err);
    if (rc)
        return rc;
    /* the ETag is the version: send it back as If-Match with a change */
    return wg_api_reply_versioned(req, 200, json_integer_value(json_object_get(out, "version")),
                                  out);
}

/* New orders get their text index entries and their reporter's phone lookup behind intake
 * (domain/orders/text_index.h); a search by words or by phone first has the indexer index whatever
 * still waits, so it finds every order answered before it began. */
static enum wg_rc index_for_search(struct wg_req *req, const struct wg_order_query *q,
                                   struct wg_err *err)
{
    struct wg_app *app = req->app;
    if ((!q->q || !*q->q) && (!q->phone || !*q->phone))
        return WG_OK;
    return wg_text_index_catch_up(app->text_index, err);
}

static void query_of(struct wg_req *req, struct wg_order_query *q)
{
    q->state = wg_req_query(req, "state");
    q->channel = wg_req_query(req, "channel");
    q->item = wg_req_query(req, "item");
    q->grid = wg_req_query(req, "grid");
    q->phone = wg_req_query(req, "phone");
    q->since = wg_req_query(req, "since");
    q->until = wg_req_query(req, "until");
    q->q = wg_req_query(req, "q");
    q->limit = wg_req_query(req, "limit");
    q->offset = wg_req_query(req, "offset");
    q->unit = wg_req_query(req, "unit");
    q->line = wg_req_query(req, "line");
    q->light = wg_req_query(req, "light");
    q->sort = wg_req_query(req, "sort");
    q->cursor = wg_req_query(req, "cursor");
    q->supervised = wg_req_query(req, "supervised");
    q->view = wg_req_query(req, "view");
}

enum wg_rc wg_api_orders_list(struct wg_req *req, struct wg_err *err)
{
    struct wg_order_env env = wg_api_order_env(req);
    struct wg_order_query q;
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    query_of(req, &q);
    if ((rc = index_for_search(req, &q, err)) || (rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_order_list(db, &env, req->actor, &q, &out, err);
    return rc ? rc : wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_orders_csv(struct wg_req *req, struct wg_err *err)
{
    struct wg_order_env env = wg_api_order_env(req);
    struct wg_order_query q;
    struct wg_db *db;
    char *csv = NULL;
    size_t len = 0;
    enum wg_rc rc;
    query_of(req, &q);
    if ((rc = index_for_search(req, &q, err)) || (rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_order_csv(db, &env, req->actor, &q, &csv, &len, err);
    if (rc)
        return rc;
    req->extra_header_name = "Content-Disposition";
    req->extra_header_value = "attachment; filename=\"orders.csv\"";
    return wg_reply_owned(req, 200, "text/csv; charset=utf-8", csv, len);
}

/* The order's version the client read; required, so that two people cannot change an
 * order at once. */
static enum wg_rc if_match(struct wg_req *req, int *version, struct wg_err *err)
{
    long long v = 0;
    enum wg_rc rc = wg_api_if_match(req, "an order version", 1, 1000000000, &v, err);
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL,
                          "the If-Match header with the order's version is "
                          "required, so that two people cannot change it at once");
    *version = (int)v;
    return rc;
}
/* One action in a batch of the group committer: the change, its timeline event, its
 * notifications and its audit record commit together or not at all. */
struct action {
    struct wg_req *req;
    const struct wg_order_env *env;
    long long id, now;
    int version;
    enum wg_order_action action;
    char audit_action[64];
    enum wg_rc refused;
};

static enum wg_rc action_tx(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct action *a = ctx;
    struct wg_req *req = a->req;
    enum wg_rc rc = wg_order_act_in(db, a->env, req->actor, a->id, a->action, req->json, a->version,
                                    a->now, err);
    if (rc)
        return rc;
    return wg_api_audit(req, db, NULL, a->audit_action, "order", req->params[0], NULL, WG_OK, err);
}

/* Every refused attempt on a real order is on the record too. */
static enum wg_rc action_refusal_tx(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct action *a = ctx;
    const struct wg_actor *who = a->req->actor;
    struct wg_audit_event ev = {
        .actor = who->username,
        .role = wg_role_name(who->role),
        .source = a->req->remote_addr,
        .action = "order.action_refused",
        .object_type = "order",
        .object_id = a->req->params[0],
        .detail = a->req->params[1],
    };
    return wg_audit_refusal(db, &ev, a->refused, err);
}

/* An action waiting for its batch. */
struct pending_action {
    struct action a;
    struct wg_order_env env;
    struct pending w;
};

/* The order as it stands after the commit, read on a connection of this thread. */
static enum wg_rc action_answer(struct wg_req *req, void *ctx, struct wg_err *err)
{
    struct pending_action *p = ctx;
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc = p->w.rc;
    if (rc) {
        *err = p->w.err;
        if (rc != WG_ENOTFOUND && rc != WG_EINVAL && rc != WG_EUNAVAIL) {
            p->a.refused = rc;
            record_refusal(req, action_refusal_tx, &p->a, err);
        }
        return rc;
    }
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_order_json(db, &p->env, req->actor, p->a.id, 1, &out, err);
    return rc ? rc : wg_reply_json(req, 200, out);
}

/* The keys of the action the path names (routes.def); an unknown action is the handler's
 * to answer. */
const char *const *wg_api_action_keys(struct wg_req *req, const char **what)
{
    enum wg_order_action a;
    char *w;
    if (req->nparams < 2 || wg_fsm_action_parse(req->params[1], &a, NULL))
        return NULL;
    w = wg_arena_alloc(req->arena, 64);
    snprintf(w, 64, "the action '%s'", wg_fsm_action_name(a));
    *what = w;
    return wg_order_action_fields(a);
}

/* The request is suspended while the committer writes the action (action_answer answers). */
enum wg_rc wg_api_orders_act(struct wg_req *req, struct wg_err *err)
{
    struct pending_action *p = wg_arena_alloc(req->arena, sizeof *p);
    enum wg_rc rc;
    p->env = wg_api_order_env(req);
    p->a = (struct action){req, &p->env, 0, (long long)time(NULL), 0, WG_ACTION_COUNT, "", WG_OK};
    if ((rc = wg_api_order_id(req->params[0], &p->a.id, err)) ||
        (rc = wg_fsm_action_parse(req->params[1], &p->a.action, err)) ||
        (rc = if_match(req, &p->a.version, err)))
        return rc;
    snprintf(p->a.audit_action, sizeof p->a.audit_action, "order.%s", req->params[1]);
    submit(req, &p->w, action_tx, &p->a, action_answer, p);
    return WG_OK;
}
