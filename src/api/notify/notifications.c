/* GET /api/v1/notifications: the caller's own notifications from the delivery outbox (their
 * username's, and their unit's when scoped unit:ID), newest first, with delivery state and
 * attempts; limit (1 to 1000, default 50) and offset. */
#include "api/app.h"
#include "api/handlers.h"
#include "core/param.h"
#include "domain/notify/notify.h"

enum wg_rc wg_api_notifications_list(struct wg_req *req, struct wg_err *err)
{
    long long limit = WG_NOTIFY_LIST_DEFAULT, offset = 0;
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_param_count(wg_req_query(req, "limit"), "limit", 1, WG_NOTIFY_LIST_MAX, &limit,
                             err)) ||
        (rc = wg_param_count(wg_req_query(req, "offset"), "offset", 0, 1LL << 40, &offset, err)))
        return rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_notify_list(db, req->actor, limit, offset, &out, err);
    return rc ? rc : wg_reply_json(req, 200, out);
}
