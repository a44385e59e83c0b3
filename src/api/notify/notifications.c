/* The caller's own notifications from the delivery outbox (their username's, and their
 * unit's when scoped unit:ID): GET /api/v1/notifications lists them newest first, with
 * delivery state and attempts, whether the caller has read each and how many they have not;
 * POST /api/v1/notifications/read marks some of them, or all, read for the caller. */
#include "api/app.h"
#include "api/handlers.h"
#include "core/param.h"
#include "domain/notify/notify.h"

enum wg_rc wg_api_notifications_list(struct wg_req *req, struct wg_err *err)
{
    long long limit = WG_NOTIFY_LIST_DEFAULT, offset = 0, unread = 0;
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_param_count(wg_req_query(req, "limit"), "limit", 1, WG_NOTIFY_LIST_MAX, &limit,
                             err)) ||
        (rc = wg_param_count(wg_req_query(req, "offset"), "offset", 0, 1LL << 40, &offset, err)) ||
        (rc = wg_param_count(wg_req_query(req, "unread"), "unread", 0, 1, &unread, err)))
        return rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_notify_list(db, req->actor, (int)unread, limit, offset, &out, err);
    return rc ? rc : wg_reply_json(req, 200, out);
}

struct mark_job {
    const struct wg_actor *actor;
    const struct wg_notify_mark *mark;
    long long now, marked;
};

/* In the committer's batch: the reads, and nothing else. */
static enum wg_rc mark_tx(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct mark_job *j = ctx;
    return wg_notify_mark_write(db, j->actor, j->mark, j->now, &j->marked, err);
}

enum wg_rc wg_api_notifications_read(struct wg_req *req, struct wg_err *err)
{
    struct wg_notify_mark m;
    struct mark_job job = {req->actor, &m, (long long)time(NULL), 0};
    long long unread = 0;
    struct wg_db *db;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_notify_mark_check(db, req->actor, req->json, &m, err)))
        return rc;
    rc = wg_api_commit(req, mark_tx, &job, err);
    wg_notify_mark_release(&m);
    if (rc || (rc = wg_api_db(req, &db, err)) ||
        (rc = wg_notify_unread(db, req->actor, &unread, err)))
        return rc;
    return wg_reply_json(
        req, 200,
        json_pack("{s:I,s:I}", "marked", (json_int_t)job.marked, "unread", (json_int_t)unread));
}
