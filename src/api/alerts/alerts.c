/* Alerts (domain/alerts/alert.h): POST /api/v1/alerts (NDJSON batches from integration keys
 * with alert_ingest, answered once the batch is durable), the review desk — GET
 * /api/v1/alerts, GET /api/v1/alerts/{id}, POST /api/v1/alerts/{id}/review — and the rules,
 * GET and PUT /api/v1/alert-rules. */
#include "api/app.h"
#include "api/handlers.h"
#include "api/registry/registry.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/alerts/alert.h"

/* The process's merger: one writer's index for the store the server serves. */
static struct wg_alert_merger *merger;
static struct wg_alert_devices *devices; /* the process's copy of the devices */
static pthread_once_t merger_once = PTHREAD_ONCE_INIT;

static void merger_make(void)
{
    struct wg_alert_config cfg;
    wg_alert_config_get(&cfg); /* alert_window_seconds, alert_radius_m */
    merger = wg_alert_merger_new(&cfg);
    devices = wg_alert_devices_new();
}

struct ingest {
    struct wg_alert_line *lines;
    size_t n;
    struct wg_alert_act_env env;
    long long now, made;
};

static enum wg_rc ingest_tx(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct ingest *in = ctx;
    return wg_alert_ingest(db, merger, &in->env, in->lines, in->n, in->now, &in->made, err);
}

static void free_lines(void *p)
{
    free(p);
}

enum wg_rc wg_api_alerts_ingest(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct ingest in = {0};
    struct wg_order_env orders = wg_api_order_env(req);
    struct wg_actor actor = *(const struct wg_actor *)req->actor;
    struct wg_db *db;
    enum wg_rc rc;
    pthread_once(&merger_once, merger_make);
    if ((rc = wg_alert_parse_batch(req->body ? req->body : "", req->body_len, &in.lines, &in.n,
                                   err)))
        return rc;
    wg_arena_defer(req->arena, free_lines, in.lines);
    struct wg_locator *loc = wg_locator_acquire(&app->locator);
    if (!(rc = wg_api_db(req, &db, err)))
        rc = wg_alert_resolve(db, devices, loc, in.lines, in.n, err);
    wg_api_release(req);
    /* a key scoped to a region posts for the devices that stand in it */
    for (size_t i = 0; !rc && i < in.n; i++)
        if (!wg_scope_covers(&actor.scope, in.lines[i].grid))
            rc = wg_err_set(err, WG_EINVAL,
                            "line %lld: 'device': '%s' stands in grid %s, outside "
                            "this key's scope",
                            in.lines[i].line, in.lines[i].device, in.lines[i].grid);
    /* orders the rules make are the integration's, wherever its devices stand */
    snprintf(actor.scope.kind, sizeof actor.scope.kind, "region");
    actor.scope.code[0] = 0;
    in.env = (struct wg_alert_act_env){&orders, loc, &actor};
    in.now = (long long)time(NULL);
    if (!rc)
        rc = wg_api_commit(req, ingest_tx, &in, err);
    if (loc)
        wg_locator_release(loc);
    if (rc)
        return rc;
    return wg_reply_json(req, 200, wg_alert_batch_json(in.lines, in.n));
}

enum wg_rc wg_api_alerts_list(struct wg_req *req, struct wg_err *err)
{
    struct wg_alert_query q = {wg_req_query(req, "state"), wg_req_query(req, "type"),
                               wg_req_query(req, "grid"),  wg_req_query(req, "since"),
                               wg_req_query(req, "limit"), wg_req_query(req, "offset")};
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_alert_list(db, &((const struct wg_actor *)req->actor)->scope, &q, &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

static enum wg_rc reply_alert(struct wg_req *req, struct wg_db *db, long long id,
                              struct wg_err *err)
{
    json_t *out = NULL;
    long long version = 0;
    enum wg_rc rc =
        wg_alert_view(db, &((const struct wg_actor *)req->actor)->scope, id, &out, &version, err);
    if (rc)
        return rc;
    return wg_api_reply_versioned(req, 200, version, out);
}

enum wg_rc wg_api_alerts_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    long long id;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "alert", &id, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    return reply_alert(req, db, id, err);
}

struct review {
    struct wg_alert_review rv;
    long long now;
};

static enum wg_rc review_tx(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct review *r = ctx;
    return wg_alert_review_write(db, &r->rv, r->now, err);
}

static void release_review(void *p)
{
    wg_order_draft_release(&((struct review *)p)->rv.draft);
}

enum wg_rc wg_api_alerts_review(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct review *r = wg_arena_alloc(req->arena, sizeof *r);
    struct wg_order_env env = wg_api_order_env(req);
    struct wg_db *db;
    long long id, version = 0;
    enum wg_rc rc;
    memset(r, 0, sizeof *r);
    r->now = (long long)time(NULL);
    if ((rc = wg_api_registry_id(req->params[0], "alert", &id, err)) ||
        (rc = wg_api_db(req, &db, err)) ||
        (rc = wg_api_registry_version(req, "alert", &version, err)))
        return rc;
    struct wg_locator *loc = wg_locator_acquire(&app->locator);
    rc = wg_alert_review_check(db, &env, loc, req->actor, id, version, req->json, r->now, &r->rv,
                               err);
    if (loc)
        wg_locator_release(loc);
    wg_arena_defer(req->arena, release_review, r);
    wg_api_release(req);
    if (!rc)
        rc = r->rv.order ? wg_api_intake(req, &r->rv.draft, r->rv.channel, review_tx, &r->rv, err)
                         : wg_api_commit(req, review_tx, r, err);
    if ((rc == WG_OK || rc == WG_ECONFLICT || rc == WG_EINVAL) && !wg_api_db(req, &db, NULL)) {
        const char *detail = wg_arena_printf(req->arena, "%s%s", r->rv.order ? "order " : "dismiss",
                                             r->rv.order ? r->rv.item : "");
        rc = wg_api_audit(req, db, NULL, "alert.review", "alert", req->params[0], detail, rc, err);
    }
    if (rc)
        return rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    return reply_alert(req, db, id, err);
}

enum wg_rc wg_api_alert_rules_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) || (rc = wg_alert_rules_json(db, &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_alert_rules_put(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_alert_rules_put(db, wg_api_catalog(req), req->json,
                            ((const struct wg_actor *)req->actor)->username, (long long)time(NULL),
                            err);
    rc = wg_api_audit(req, db, NULL, "alert.rules", "alert_rule", "", NULL, rc, err);
    if (rc || (rc = wg_alert_rules_json(db, &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}
