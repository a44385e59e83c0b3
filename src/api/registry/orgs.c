/* Organizations of the registry (domain/registry/org.h): GET/POST /api/v1/orgs, GET/PUT
 * /api/v1/orgs/{id}, POST /api/v1/orgs/{id}/reveal. Read in one's scope with the responsible
 * person masked; clear only by a reveal with a reason, audited before it leaves. A change
 * needs If-Match with the version read; every write is audited, refusals too. */
#include "api/app.h"
#include "api/handlers.h"
#include "api/registry/registry.h"

#include <time.h>

#include "domain/registry/org.h"

static enum wg_rc reply_org(struct wg_req *req, int status, const struct wg_org *o)
{
    return wg_api_reply_versioned(req, status, o->version, wg_org_json(o));
}

enum wg_rc wg_api_orgs_list(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_org_query q = {wg_req_query(req, "grid"),  wg_req_query(req, "region"),
                             wg_req_query(req, "kind"),  wg_req_query(req, "q"),
                             wg_req_query(req, "limit"), wg_req_query(req, "cursor")};
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_org_list(db, app->keys, wg_api_registry_scope(req), &q, &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

/* Applies the body onto o and stores it in one transaction; the outcome is audited, naming
 * the organization and never its responsible person. */
static enum wg_rc save(struct wg_req *req, struct wg_db *db, struct wg_org *o, long long expect,
                       const char *action, struct wg_err *err)
{
    struct wg_app *app = req->app;
    long long now = (long long)time(NULL);
    char id[24] = "";
    enum wg_rc rc = wg_org_apply(o, req->json, err);
    if (!rc && !(rc = wg_db_begin(db, err))) {
        rc = wg_org_save(db, app->keys, wg_api_registry_scope(req), o, expect, now, err);
        if (!rc)
            rc = wg_db_commit(db, err);
        if (rc)
            wg_db_rollback(db);
    }
    if (o->id)
        snprintf(id, sizeof id, "%lld", o->id);
    return wg_api_audit(req, db, NULL, action, "org", id, o->credit_code, rc, err);
}

enum wg_rc wg_api_orgs_create(struct wg_req *req, struct wg_err *err)
{
    struct wg_org o;
    struct wg_db *db;
    enum wg_rc rc;
    memset(&o, 0, sizeof o);
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = save(req, db, &o, 0, "org.create", err);
    if (!rc)
        rc = reply_org(req, 201, &o);
    wg_org_release(&o);
    return rc;
}

enum wg_rc wg_api_orgs_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_org o;
    struct wg_db *db;
    long long id;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "organization", &id, err)) ||
        (rc = wg_api_db(req, &db, err)) ||
        (rc = wg_org_load(db, app->keys, wg_api_registry_scope(req), id, &o, err)))
        return rc;
    rc = reply_org(req, 200, &o);
    wg_org_release(&o);
    return rc;
}

enum wg_rc wg_api_orgs_update(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_org o;
    struct wg_db *db;
    long long id, version = 0;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "organization", &id, err)) ||
        (rc = wg_api_db(req, &db, err)) ||
        (rc = wg_org_load(db, app->keys, wg_api_registry_scope(req), id, &o, err)))
        return rc;
    if ((rc = wg_api_registry_version(req, "organization", &version, err)))
        goto out;
    if (o.version != version) {
        rc = wg_err_set(err, WG_EPRECOND,
                        "organization %lld is at version %lld, not %lld: someone changed it "
                        "since you read it; read it again",
                        id, o.version, version);
        rc = wg_api_audit(req, db, NULL, "org.update", "org", req->params[0], NULL, rc, err);
    } else {
        rc = save(req, db, &o, version, "org.update", err);
    }
    if (!rc)
        rc = reply_org(req, 200, &o);
out:
    wg_org_release(&o);
    return rc;
}

/* POST /api/v1/orgs/{id}/reveal {"field": "person_phone", "reason": "…"} */
enum wg_rc wg_api_orgs_reveal(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    const char *field = wg_api_field(req, "field"), *reason = NULL;
    struct wg_org o;
    struct wg_db *db;
    char *value = NULL;
    long long id;
    int loaded;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "organization", &id, err)) ||
        (rc = wg_api_reveal_reason(req, &reason, err)) || (rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_org_load(db, app->keys, wg_api_registry_scope(req), id, &o, err);
    loaded = rc == WG_OK;
    if (!rc)
        rc = wg_org_field(&o, field, &value, err);
    /* on the record before the value leaves the server; a refusal is recorded too */
    rc = wg_api_reveal_audit(req, db, "org", req->params[0], field ? field : "(none)", reason, rc,
                             err);
    if (loaded)
        wg_org_release(&o);
    if (rc) {
        wg_pii_wipe(value);
        return rc;
    }
    json_t *out = json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "field", field, "value", value);
    wg_pii_wipe(value);
    return wg_reply_json(req, 200, out);
}
