/* GET /api/v1/disputes/{id}/agreement.pdf: a case's agreement as the document its parties sign
 * (domain/disputes/agreement.h), in the caller's scope. It carries the parties in full, so
 * every download is on the audit log before the file leaves, as a reveal is — refusals too —
 * naming the case and never a party. */
#include "api/app.h"
#include "api/handlers.h"
#include "api/registry/registry.h"

#include "domain/accounts/session.h"
#include "domain/disputes/agreement.h"

enum wg_rc wg_api_disputes_agreement_pdf(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    const struct wg_actor *a = req->actor;
    struct wg_case_agreement ag;
    struct wg_db *db;
    long long id;
    char *pdf = NULL, detail[64] = "";
    size_t len = 0;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "dispute case", &id, err)) ||
        (rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_case_agreement_load(db, app->keys, &a->scope, id, &ag, err);
    if (!rc) {
        rc = wg_case_agreement_pdf(&ag, &pdf, &len, err);
        snprintf(detail, sizeof detail, "%s, %s", ag.number, ag.form);
    }
    /* on the record before the file leaves */
    rc = wg_api_audit(req, db, NULL, "dispute.agreement_pdf", "dispute", req->params[0],
                      rc ? NULL : detail, rc, err);
    if (rc) {
        free(pdf);
        wg_case_agreement_release(&ag);
        return rc;
    }
    req->extra_header_name = "Content-Disposition";
    req->extra_header_value =
        wg_arena_printf(req->arena, "attachment; filename=\"%s.pdf\"", ag.number);
    wg_case_agreement_release(&ag);
    return wg_reply_owned(req, 200, "application/pdf", pdf, len);
}
