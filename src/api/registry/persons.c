/* The registry's people (domain/registry/person.h): GET/POST /api/v1/persons, GET/PUT
 * /api/v1/persons/{id}, POST /api/v1/persons/{id}/reveal. Everyone with registry_read sees the
 * persons of their scope masked; the special populations only with the registry_sensitive
 * grant; a clear value only by a reveal with a reason, audited before it leaves. Every write
 * is recorded in the audit log, refusals too. */
#include "api/app.h"
#include "api/handlers.h"
#include "api/registry/registry.h"

#include <time.h>

#include "core/param.h"
#include "domain/accounts/session.h"
#include "store/registry/registry_q.h"

const struct wg_scope *wg_api_registry_scope(const struct wg_req *req)
{
    const struct wg_actor *a = req->actor;
    return a ? &a->scope : NULL;
}

enum wg_rc wg_api_registry_sensitive(struct wg_req *req, struct wg_db *db, int *sensitive,
                                     struct wg_err *err)
{
    const struct wg_actor *a = req->actor;
    *sensitive = 0;
    if (!a || a->role == WG_ROLE_APIKEY)
        return WG_OK;
    return wg_store_registry_granted(db, a->username, sensitive, err);
}

enum wg_rc wg_api_registry_id(const char *s, const char *what, long long *id, struct wg_err *err)
{
    if (wg_param_id(s, 1, INT64_MAX, id))
        return wg_err_set(err, WG_ENOTFOUND, "%s '%.20s' does not exist", what, s);
    return WG_OK;
}

enum wg_rc wg_api_registry_version(struct wg_req *req, const char *what, long long *version,
                                   struct wg_err *err)
{
    enum wg_rc rc = wg_api_if_match(req, "a version", 1, INT64_MAX, version, err);
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EINVAL,
                          "the If-Match header with the %s's version is required, so that two "
                          "people cannot change it at once",
                          what);
    return rc;
}

static enum wg_rc reply_person(struct wg_req *req, int status, const struct wg_person *p,
                               int sensitive)
{
    return wg_api_reply_versioned(req, status, p->version, wg_person_json(p, sensitive));
}

enum wg_rc wg_api_persons_list(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_person_query q = {
        wg_req_query(req, "grid"),      wg_req_query(req, "region"),  wg_req_query(req, "care"),
        wg_req_query(req, "special"),   wg_req_query(req, "limit"),   wg_req_query(req, "cursor"),
        wg_req_query(req, "id_number"), wg_req_query(req, "id_type"), wg_req_query(req, "phone")};
    struct wg_db *db;
    json_t *out = NULL;
    int sensitive = 0;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_api_registry_sensitive(req, db, &sensitive, err)))
        return rc;
    rc = wg_person_list(db, app->keys, wg_api_registry_scope(req), &q, sensitive, &out, err);
    return rc ? rc : wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_persons_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_person p;
    struct wg_db *db;
    long long id;
    int sensitive = 0;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "person", &id, err)) ||
        (rc = wg_api_db(req, &db, err)) ||
        (rc = wg_api_registry_sensitive(req, db, &sensitive, err)) ||
        (rc = wg_person_load(db, app->keys, wg_api_registry_scope(req), id, &p, err)))
        return rc;
    rc = reply_person(req, 200, &p, sensitive);
    wg_person_release(&p);
    return rc;
}

/* Applies the body onto p and stores it in one transaction; the outcome is audited. */
static enum wg_rc save(struct wg_req *req, struct wg_db *db, struct wg_person *p, int sensitive,
                       const char *action, struct wg_err *err)
{
    struct wg_app *app = req->app;
    const struct wg_scope *scope = wg_api_registry_scope(req);
    long long now = (long long)time(NULL);
    char id[24];
    enum wg_rc rc = wg_person_apply(p, req->json, sensitive, now, err);
    if (!rc && !(rc = wg_db_begin(db, err))) {
        rc = p->id ? wg_person_update(db, app->keys, scope, p, now, err)
                   : wg_person_create(db, app->keys, scope, p, now, err);
        if (!rc)
            rc = wg_db_commit(db, err);
        if (rc)
            wg_db_rollback(db);
    }
    snprintf(id, sizeof id, "%lld", p->id);
    /* the record names the person, never their personal fields */
    return wg_api_audit(req, db, NULL, action, "person", p->id ? id : "", p->grid, rc, err);
}

enum wg_rc wg_api_persons_create(struct wg_req *req, struct wg_err *err)
{
    struct wg_person p;
    struct wg_db *db;
    int sensitive = 0;
    enum wg_rc rc;
    memset(&p, 0, sizeof p);
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_api_registry_sensitive(req, db, &sensitive, err)))
        return rc;
    rc = save(req, db, &p, sensitive, "person.create", err);
    if (!rc)
        rc = reply_person(req, 201, &p, sensitive);
    wg_person_release(&p);
    return rc;
}

enum wg_rc wg_api_persons_update(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_person p;
    struct wg_db *db;
    long long id, version = 0;
    int sensitive = 0;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "person", &id, err)) ||
        (rc = wg_api_registry_version(req, "person", &version, err)) ||
        (rc = wg_api_db(req, &db, err)) ||
        (rc = wg_api_registry_sensitive(req, db, &sensitive, err)) ||
        (rc = wg_person_load(db, app->keys, wg_api_registry_scope(req), id, &p, err)))
        return rc;
    if (p.version != version) {
        rc = wg_err_set(err, WG_EPRECOND,
                        "person %lld is at version %lld, not %lld: someone changed it since you "
                        "read it; read it again",
                        id, p.version, version);
        rc = wg_api_audit(req, db, NULL, "person.update", "person", req->params[0], NULL, rc, err);
    } else {
        rc = save(req, db, &p, sensitive, "person.update", err);
    }
    if (!rc)
        rc = reply_person(req, 200, &p, sensitive);
    wg_person_release(&p);
    return rc;
}

/* POST /api/v1/persons/{id}/reveal {"field": "id_number", "reason": "…"} */
enum wg_rc wg_api_persons_reveal(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    const char *field = wg_api_field(req, "field"), *reason = NULL;
    struct wg_person p;
    struct wg_db *db;
    char *value = NULL;
    long long id;
    int sensitive = 0, loaded = 0;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "person", &id, err)) ||
        (rc = wg_api_reveal_reason(req, &reason, err)) || (rc = wg_api_db(req, &db, err)) ||
        (rc = wg_api_registry_sensitive(req, db, &sensitive, err)))
        return rc;
    rc = wg_person_load(db, app->keys, wg_api_registry_scope(req), id, &p, err);
    loaded = rc == WG_OK;
    if (!rc)
        rc = wg_person_field(&p, field, sensitive, &value, err);
    /* on the record before the value leaves the server; a refusal is recorded too */
    rc = wg_api_reveal_audit(req, db, "person", req->params[0], field ? field : "(none)", reason,
                             rc, err);
    if (loaded)
        wg_person_release(&p);
    if (rc) {
        wg_pii_wipe(value);
        return rc;
    }
    json_t *out = json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "field", field, "value", value);
    wg_pii_wipe(value);
    return wg_reply_json(req, 200, out);
}

/* PUT /api/v1/users/{username}/registry-sensitive {"granted": true}: the system's
 * administrator grants or takes back the sight of the special populations; audited. */
enum wg_rc wg_api_users_registry_sensitive(struct wg_req *req, struct wg_err *err)
{
    const struct wg_actor *a = req->actor;
    json_t *g = json_object_get(req->json, "granted");
    const char *user = req->params[0];
    struct wg_account_row row;
    const struct wg_role *role;
    struct wg_db *db;
    enum wg_rc rc;
    if (!json_is_boolean(g))
        return wg_err_set(err, WG_EINVAL, "'granted' must be true or false");
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_store_account_get(db, user, &row, err);
    if (rc == WG_ENOTFOUND)
        rc = wg_err_set(err, WG_ENOTFOUND, "account '%.64s' does not exist", user);
    else if (!rc && json_is_true(g) &&
             (!(role = wg_role_find(row.role)) || !(role->perms & WG_P_REGISTRY_READ)))
        rc = wg_err_set(err, WG_EINVAL,
                        "'granted': the role %s does not read the registry, so the grant would "
                        "mean nothing",
                        row.role);
    if (!rc)
        rc = wg_store_registry_grant(db, user, a ? a->username : "", (long long)time(NULL),
                                     json_is_true(g), err);
    rc = wg_api_audit(req, db, NULL, json_is_true(g) ? "registry.grant" : "registry.revoke",
                      "account", user, "registry_sensitive", rc, err);
    if (rc)
        return rc;
    return wg_reply_json(
        req, 200, json_pack("{s:s,s:b}", "username", user, "registry_sensitive", json_is_true(g)));
}
