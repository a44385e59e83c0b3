/* The residents' portal's public API (no account; domain/portal/portal.h): GET
 * /api/v1/public/types, POST /api/v1/public/appeals, and by tracking code GET
 * /api/v1/public/appeals/{code}, POST …/{code}/photos, GET …/{code}/photos/{sha256} (the resident's
 * own) and POST …/{code}/rating. Writes go through the group committer, so a 201 means the appeal
 * (or rating) is on disk; throttled requests answer 429 with Retry-After. */
#include "api/app.h"
#include "domain/disputes/dispute.h"
#include "api/handlers.h"

#include <time.h>

#include "domain/orders/duplicates.h"
#include "domain/orders/photo.h"
#include "domain/partake/wish.h"
#include "domain/portal/portal.h"
#include "store/portal/portal_q.h"

static long long now_s(void)
{
    return (long long)time(NULL);
}

static enum wg_rc too_many(struct wg_req *req, enum wg_rc rc, int retry_after)
{
    if (rc == WG_ERATE) {
        req->extra_header_name = "Retry-After";
        req->extra_header_value = wg_arena_printf(req->arena, "%d", retry_after);
    }
    return rc;
}

enum wg_rc wg_api_portal_types(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_locator *loc;
    double box[4];
    int grids;
    json_t *out = wg_portal_types_json(wg_api_catalog(req)), *map;
    if (!out)
        return wg_err_set(err, WG_EUNAVAIL, "the catalog is not loaded yet");
    loc = wg_locator_acquire(&app->locator);
    grids = wg_locator_extent(loc, box);
    wg_locator_release(loc);
    /* the console's base map (tiles_url): one set of tiles for the deployment */
    map = json_pack("{s:s?,s:s,s:s,s:i}", "tiles", app->tiles_url[0] ? app->tiles_url : NULL,
                    "attribution", app->tiles_attribution, "subdomains", app->tiles_subdomains,
                    "max_zoom", 18);
    json_object_set_new(
        map, "bbox", grids ? json_pack("[f,f,f,f]", box[0], box[1], box[2], box[3]) : json_null());
    json_object_set_new(out, "map", map);
    json_object_set_new(out, "limits",
                        json_pack("{s:i,s:i,s:i,s:i}", "text_chars", WG_PORTAL_TEXT_MAX,
                                  "comment_chars", WG_PORTAL_COMMENT_MAX, "photos",
                                  app->portal.photos, "photo_bytes", (int)WG_PHOTO_MAX));
    return wg_reply_json(req, 200, out);
}

/* One appeal in a batch of the group committer: the throttle's counts, the order, its
 * tracking code and the record of its creation commit together or not at all. */
struct appeal_job {
    struct wg_req *req;
    struct wg_order_draft *draft;
    const struct wg_portal_input *in;
    struct wg_throttle by_address, by_phone;
    const char *code_hash;
    long long now;
    int retry_after;
};

static enum wg_rc appeal_tx(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct appeal_job *j = ctx;
    char idtext[24];
    enum wg_rc rc;
    if ((rc = wg_throttle_take(db, &j->by_address, j->now, &j->retry_after, err)) ||
        (j->in->phone && (rc = wg_throttle_take(db, &j->by_phone, j->now, &j->retry_after, err))) ||
        (rc = wg_order_insert(db, j->draft, err)) ||
        (rc = wg_store_portal_appeal_insert(db, j->code_hash, j->draft->row.id, j->in->type->code,
                                            j->in->source, j->draft->row.created_at, err)))
        return rc;
    snprintf(idtext, sizeof idtext, "%lld", j->draft->row.id);
    return wg_api_audit(j->req, db, "resident", "portal.appeal", "order", idtext, j->in->type->code,
                        WG_OK, err);
}

enum wg_rc wg_api_portal_submit(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    const struct wg_catalog *cat = wg_api_catalog(req);
    struct wg_order_env env = {app->keys, cat, app->calendar, app->dups};
    struct wg_portal_input in;
    struct wg_order_input oin;
    struct wg_order_draft draft;
    struct wg_actor resident;
    struct wg_locator *loc;
    struct wg_db *db;
    char code[WG_PORTAL_CODE_SHOWN], shown[WG_PORTAL_CODE_SHOWN], hash[65], addr[46];
    struct appeal_job job = {
        .req = req, .draft = &draft, .in = &in, .code_hash = hash, .now = now_s()};
    enum wg_rc rc;
    if (!cat)
        return wg_err_set(err, WG_EUNAVAIL, "the catalog is not loaded yet");
    if ((rc = wg_portal_parse(req->json, cat, &in, err)))
        return rc;
    wg_portal_order_input(&in, cat, &oin);
    wg_portal_actor(&resident);
    loc = wg_locator_acquire(&app->locator);
    rc = wg_order_prepare(&env, loc, &resident, &oin, job.now, &draft, err);
    wg_locator_release(loc);
    if (rc) {
        if (rc == WG_EINVAL)
            wg_err_prefix(err, "'lon', 'lat'");
        return rc;
    }
    wg_portal_client_addr(&app->portal, req->remote_addr, wg_req_header(req, "X-Forwarded-For"),
                          addr);
    wg_throttle_set(&job.by_address, "appeal:address", addr, app->portal.per_address,
                    app->portal.address_window);
    wg_throttle_set(&job.by_phone, "appeal:phone", draft.blind, app->portal.per_phone,
                    app->portal.phone_window);
    /* refuse at once what the committer would refuse, without queueing it */
    if (!(rc = wg_api_db(req, &db, err))) {
        if (!(rc = wg_throttle_peek(db, &job.by_address, job.now, &job.retry_after, err)) &&
            in.phone)
            rc = wg_throttle_peek(db, &job.by_phone, job.now, &job.retry_after, err);
        if (!rc) /* the dispatcher sees what the appeal may repeat */
            rc = wg_order_duplicates(db, &env, &draft, job.now, err);
    }
    if (!rc) {
        wg_portal_code_new(code);
        if (!(rc = wg_portal_code_hash(code, hash, shown, err)))
            rc = wg_api_commit(req, appeal_tx, &job, err);
    }
    if (rc) {
        wg_order_draft_release(&draft);
        return too_many(req, rc, job.retry_after);
    }
    json_t *out = json_pack("{s:s,s:s,s:s,s:s,s:s,s:b}", "code", shown, "number", draft.row.number,
                            "type", in.type->code, "state", "received", "created_at",
                            draft.row.created_at, "anonymous", in.anonymous);
    wg_order_draft_release(&draft);
    return wg_reply_json(req, 201, out);
}

/* The appeal a tracking code names. Unknown (or malformed) codes count against the caller's
 * address, and an address past its limit is refused every lookup until its window ends, so
 * codes cannot be tried in bulk. */
/* A lookup by tracking code begins: the store, and the throttle of unknown codes per address
 * peeked (a refusal before any work). */
static enum wg_rc lookup_begin(struct wg_req *req, struct wg_throttle *t, long long now,
                               int *retry_after, struct wg_db **db, struct wg_err *err)
{
    struct wg_app *app = req->app;
    char addr[46];
    enum wg_rc rc;
    wg_portal_client_addr(&app->portal, req->remote_addr, wg_req_header(req, "X-Forwarded-For"),
                          addr);
    wg_throttle_set(t, "lookup_miss:address", addr, app->portal.misses, app->portal.miss_window);
    if ((rc = wg_api_db(req, db, err)))
        return rc;
    return wg_throttle_peek(*db, t, now, retry_after, err);
}

/* A lookup ended in rc: an unknown code counts against the address and is 404 naming what was
 * looked for; anything else is answered as it is (a 429 with its Retry-After). */
static enum wg_rc lookup_end(struct wg_req *req, struct wg_throttle *t, long long now,
                             int retry_after, enum wg_rc rc, const char *what, struct wg_err *err)
{
    if (rc != WG_ENOTFOUND)
        return too_many(req, rc, retry_after);
    struct wg_err merr = {0};
    if (wg_api_throttle_take(req, t, now, &retry_after, &merr) == WG_ERATE)
        return too_many(req, wg_err_set(err, WG_ERATE, "%s", merr.msg), retry_after);
    return wg_err_set(err, WG_ENOTFOUND, "no %s has the tracking code '%.40s'", what,
                      req->params[0]);
}

static enum wg_rc find_appeal(struct wg_req *req, long long *order_id, char type[16],
                              char shown[WG_PORTAL_CODE_SHOWN], struct wg_err *err)
{
    struct wg_throttle t;
    long long now = now_s();
    int retry_after = 0;
    struct wg_db *db;
    char hash[65];
    enum wg_rc rc = lookup_begin(req, &t, now, &retry_after, &db, err);
    if (!rc && !(rc = wg_portal_code_hash(req->params[0], hash, shown, err)))
        rc = wg_store_portal_appeal_find(db, hash, order_id, type, err);
    return rc ? lookup_end(req, &t, now, retry_after, rc, "appeal", err) : WG_OK;
}

static enum wg_rc reply_view(struct wg_req *req, int status, long long order_id, const char *type,
                             const char *shown, struct wg_err *err)
{
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc = wg_api_db(req, &db, err);
    if (rc)
        return rc;
    rc = wg_portal_view(db, wg_api_catalog(req), order_id, type, shown, &out, err);
    if (!rc) { /* a wish's progress on the wall (domain/partake/wish.h), null when none */
        json_t *wish = NULL;
        if ((rc = wg_wish_of_order(db, order_id, &wish, err)))
            json_decref(out);
        else
            json_object_set_new(out, "wish", wish ? wish : json_null());
    }
    return rc ? rc : wg_reply_json(req, status, out);
}

/* GET /api/v1/public/disputes/{code}: a party follows their dispute case by its tracking code
 * (domain/disputes/dispute.h wg_case_public); unknown codes count against the address as
 * appeals' do. */
enum wg_rc wg_api_portal_dispute(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_case_env env = {app->keys, app->calendar, &app->case_boxes};
    struct wg_throttle t;
    long long now = now_s();
    int retry_after = 0;
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc = lookup_begin(req, &t, now, &retry_after, &db, err);
    if (!rc)
        rc = wg_case_public(db, &env, req->params[0], now, &out, err);
    return rc ? lookup_end(req, &t, now, retry_after, rc, "dispute case", err)
              : wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_portal_get(struct wg_req *req, struct wg_err *err)
{
    char type[16], shown[WG_PORTAL_CODE_SHOWN];
    long long id = 0;
    enum wg_rc rc = find_appeal(req, &id, type, shown, err);
    return rc ? rc : reply_view(req, 200, id, type, shown, err);
}

enum wg_rc wg_api_portal_photo(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    char type[16], shown[WG_PORTAL_CODE_SHOWN], idtext[24];
    struct wg_db *db;
    json_t *out = NULL;
    long long id = 0;
    enum wg_rc rc = find_appeal(req, &id, type, shown, err);
    if (rc)
        return rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_portal_photo_add(db, &app->portal, app->data_dir, id, req->body, req->body_len, now_s(),
                             &out, err);
    wg_api_keep(req, out);
    snprintf(idtext, sizeof idtext, "%lld", id);
    if (!rc)
        rc = wg_api_audit(req, db, "resident", "portal.photo", "order", idtext,
                          json_string_value(json_object_get(out, "sha256")), rc, err);
    return rc ? rc : wg_reply_json(req, 201, json_incref(out));
}

struct rate_job {
    struct wg_req *req;
    const struct wg_order_env *env;
    long long id, now;
    const json_t *body;
};

static enum wg_rc rate_tx(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct rate_job *r = ctx;
    char idtext[24];
    enum wg_rc rc = wg_portal_rate_in(db, r->env, r->id, r->body, r->now, err);
    if (rc)
        return rc;
    snprintf(idtext, sizeof idtext, "%lld", r->id);
    return wg_api_audit(r->req, db, "resident", "portal.rating", "order", idtext,
                        json_string_value(json_object_get(r->body, "satisfaction")), WG_OK, err);
}

enum wg_rc wg_api_portal_rate(struct wg_req *req, struct wg_err *err)
{
    struct wg_order_env env = wg_api_order_env(req);
    char type[16], shown[WG_PORTAL_CODE_SHOWN];
    json_t *body = NULL;
    long long id = 0;
    enum wg_rc rc = find_appeal(req, &id, type, shown, err);
    if (rc || (rc = wg_portal_rating_parse(req->json, &body, err)))
        return rc;
    struct rate_job job = {req, &env, id, now_s(), wg_api_keep(req, body)};
    rc = wg_api_commit(req, rate_tx, &job, err);
    return rc ? rc : reply_view(req, 200, id, type, shown, err);
}

enum wg_rc wg_api_portal_photo_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    char type[16], shown[WG_PORTAL_CODE_SHOWN];
    struct wg_db *db;
    char *bytes = NULL;
    size_t len = 0;
    const char *mime = NULL;
    long long id = 0;
    enum wg_rc rc = find_appeal(req, &id, type, shown, err);
    if (rc || (rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_portal_photo_read(db, app->data_dir, id, req->params[1], &bytes, &len, &mime, err);
    return rc ? rc : wg_api_reply_photo(req, mime, bytes, len);
}

/* POST /api/v1/public/appeals/{code}/wish: the resident confirms the wish of their appeal came
 * true (domain/partake/wish.h), in a batch of the group committer with its record. */
struct wish_job {
    struct wg_req *req;
    long long id, now;
};

static enum wg_rc wish_tx(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct wish_job *w = ctx;
    struct wg_app *app = w->req->app;
    char idtext[24];
    enum wg_rc rc = wg_wish_confirm_in(db, app->keys, w->id, w->req->json, w->now, err);
    if (rc)
        return rc;
    snprintf(idtext, sizeof idtext, "%lld", w->id);
    return wg_api_audit(w->req, db, "resident", "portal.wish_confirm", "order", idtext, NULL, WG_OK,
                        err);
}

enum wg_rc wg_api_portal_wish(struct wg_req *req, struct wg_err *err)
{
    char type[16], shown[WG_PORTAL_CODE_SHOWN];
    const char *thanks = NULL;
    long long id = 0;
    enum wg_rc rc = find_appeal(req, &id, type, shown, err);
    if (rc || (rc = wg_wish_confirm_read(req->json, &thanks, err)))
        return rc;
    struct wish_job job = {req, id, now_s()};
    rc = wg_api_commit(req, wish_tx, &job, err);
    return rc ? rc : reply_view(req, 200, id, type, shown, err);
}
