/* POST /api/v1/orders/{id}/reveal {"reason": "…"}: the reporter's clear name and phone for an
 * agent, a supervisor or a handler of the unit holding the order, who will phone them — on
 * the audit log, with the reason, before the values leave the server (the same record as an
 * account's reveal: wg_api_reveal_audit). With call_proxy = on the deployment never shows a
 * number: the answer says a call was requested, and the request goes through the outbox to
 * the virtual-number service, in the same transaction as its record. Nothing revealed is
 * logged: the values are in the answer only, and wiped once it is written. */
#include "api/app.h"
#include "api/handlers.h"

#include <time.h>

#include "domain/accounts/pii.h"

static enum wg_rc call_request(struct wg_req *req, struct wg_db *db, long long id,
                               const char *reason, struct wg_err *err)
{
    enum wg_rc rc = wg_db_begin(db, err);
    if (rc)
        return rc;
    rc = wg_order_call_request(db, req->actor, id, (long long)time(NULL), err);
    if (rc) { /* refused: the refusal is on the record, on its own */
        wg_db_rollback(db);
        return wg_api_reveal_audit(req, db, "order", req->params[0], "call", reason, rc, err);
    }
    if ((rc = wg_api_reveal_audit(req, db, "order", req->params[0], "call", reason, WG_OK, err)) ||
        (rc = wg_db_commit(db, err))) {
        wg_db_rollback(db);
        return rc;
    }
    return wg_reply_json(
        req, 200,
        json_pack("{s:b,s:s}", "call_requested", 1, "message",
                  "numbers are not shown here: a call to the reporter was requested from the "
                  "call service, which rings you and connects them"));
}

enum wg_rc wg_api_orders_reveal(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_order_env env = wg_api_order_env(req);
    const char *reason = NULL;
    char *name = NULL, *phone = NULL;
    struct wg_db *db;
    long long id;
    enum wg_rc rc;
    if ((rc = wg_api_order_id(req->params[0], &id, err)) ||
        (rc = wg_api_reveal_reason(req, &reason, err)) || (rc = wg_api_db(req, &db, err)))
        return rc;
    if (app->call_proxy)
        return call_request(req, db, id, reason, err);
    rc = wg_order_reveal(db, &env, req->actor, id, &name, &phone, err);
    /* on the record before the values leave the server; a refusal is recorded too */
    if ((rc = wg_api_reveal_audit(req, db, "order", req->params[0], "name, phone", reason, rc,
                                  err))) {
        wg_pii_wipe(name);
        wg_pii_wipe(phone);
        return rc;
    }
    json_t *out = json_pack("{s:s,s:s}", "name", name, "phone", phone);
    wg_pii_wipe(name);
    wg_pii_wipe(phone);
    return wg_reply_json(req, 200, out);
}
