/* GET /api/v1/audit (auditors): the audit log, newest first, filtered by actor, action,
 * object_type, object_id, since, until (UTC ISO 8601 prefixes), limit and offset. */
#include "api/app.h"
#include "api/handlers.h"
#include "core/param.h"
#include "domain/accounts/audit.h"
#include "store/accounts/accounts_q.h"

static int add_row(const struct wg_audit_row *r, void *ctx)
{
    json_array_append_new(
        ctx, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "seq", (json_int_t)r->seq,
                       "at", r->at, "actor", r->actor, "role", r->role, "source", r->source,
                       "action", r->action, "object_type", r->object_type, "object_id",
                       r->object_id, "result", r->result, "detail", r->detail, "hash", r->hash));
    return 0;
}

enum wg_rc wg_api_audit_list(struct wg_req *req, struct wg_err *err)
{
    struct wg_audit_filter f = {0};
    struct wg_db *db;
    json_t *arr;
    enum wg_rc rc;
    f.actor = wg_req_query(req, "actor");
    f.action = wg_req_query(req, "action");
    f.object_type = wg_req_query(req, "object_type");
    f.object_id = wg_req_query(req, "object_id");
    f.since = wg_req_query(req, "since");
    f.until = wg_req_query(req, "until");
    if ((f.actor && *f.actor &&
         (rc = wg_param_text(f.actor, "actor", WG_AUDIT_ACTOR_MAX - 1, err))) ||
        (f.action && *f.action &&
         (rc = wg_param_text(f.action, "action", WG_AUDIT_ACTION_MAX - 1, err))) ||
        (f.object_type && *f.object_type &&
         (rc = wg_param_text(f.object_type, "object_type", WG_AUDIT_OBJTYPE_MAX - 1, err))) ||
        (f.object_id && *f.object_id &&
         (rc = wg_param_text(f.object_id, "object_id", WG_AUDIT_OBJID_MAX - 1, err))))
        return rc;
    if ((rc = wg_param_count(wg_req_query(req, "limit"), "limit", 0, WG_AUDIT_LIMIT_MAX, &f.limit,
                             err)) ||
        (rc = wg_param_count(wg_req_query(req, "offset"), "offset", 0, 1LL << 40, &f.offset, err)))
        return rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    arr = wg_api_keep(req, json_array());
    if ((rc = wg_audit_query(db, &f, add_row, arr, err)))
        return rc;
    return wg_reply_json(req, 200, json_pack("{s:O}", "records", arr));
}
