/* The party overlay (domain/registry/party.h): /api/v1/party/orgs (+ /{id}, /{id}/members,
 * /{id}/members/{person}) and /api/v1/party/centre-households (+ /{household}). Read with
 * registry_read and written with registry_write in one's scope, as the registry is; a PUT
 * needs If-Match with the version read; every write is audited, refusals too. */
#include "api/app.h"
#include "api/handlers.h"
#include "api/registry/registry.h"

#include <time.h>

#include "domain/registry/party.h"

static enum wg_rc reply_versioned(struct wg_req *req, int status, long long version, json_t *j)
{
    return wg_api_reply_versioned(req, status, version, j);
}

/* Runs the write in a transaction of its own. */
static enum wg_rc in_tx(struct wg_db *db, enum wg_rc rc, struct wg_err *err)
{
    if (!rc)
        rc = wg_db_commit(db, err);
    if (rc)
        wg_db_rollback(db);
    return rc;
}

enum wg_rc wg_api_party_orgs_list(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc =
             wg_party_org_list(db, wg_api_registry_scope(req), wg_req_query(req, "grid"),
                               wg_req_query(req, "region"), wg_req_query(req, "kind"),
                               wg_req_query(req, "limit"), wg_req_query(req, "cursor"), &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

static enum wg_rc save_org(struct wg_req *req, struct wg_db *db, struct wg_party_org_row *p,
                           long long expect, const char *action, struct wg_err *err)
{
    char id[24] = "";
    enum wg_rc rc = wg_party_org_apply(p, req->json, err);
    if (!rc && !(rc = wg_db_begin(db, err)))
        rc = in_tx(db,
                   wg_party_org_save(db, wg_api_registry_scope(req), p, expect,
                                     (long long)time(NULL), err),
                   err);
    if (p->id)
        snprintf(id, sizeof id, "%lld", p->id);
    return wg_api_audit(req, db, NULL, action, "party_org", id, rc ? NULL : p->area, rc, err);
}

enum wg_rc wg_api_party_orgs_create(struct wg_req *req, struct wg_err *err)
{
    struct wg_party_org_row p;
    struct wg_db *db;
    enum wg_rc rc;
    memset(&p, 0, sizeof p);
    if ((rc = wg_api_db(req, &db, err)) || (rc = save_org(req, db, &p, 0, "party.org.create", err)))
        return rc;
    return reply_versioned(req, 201, p.version, wg_party_org_json(&p));
}

enum wg_rc wg_api_party_orgs_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_party_org_row p;
    struct wg_db *db;
    long long id;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "party organization", &id, err)) ||
        (rc = wg_api_db(req, &db, err)) ||
        (rc = wg_party_org_get(db, wg_api_registry_scope(req), id, &p, err)))
        return rc;
    return reply_versioned(req, 200, p.version, wg_party_org_json(&p));
}

enum wg_rc wg_api_party_orgs_update(struct wg_req *req, struct wg_err *err)
{
    struct wg_party_org_row p;
    struct wg_db *db;
    long long id, version = 0;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "party organization", &id, err)) ||
        (rc = wg_api_db(req, &db, err)) ||
        (rc = wg_party_org_get(db, wg_api_registry_scope(req), id, &p, err)) ||
        (rc = wg_api_registry_version(req, "party organization", &version, err)))
        return rc;
    if (p.version != version) {
        rc = wg_err_set(err, WG_EPRECOND,
                        "party organization %lld is at version %lld, not %lld: someone changed "
                        "it since you read it; read it again",
                        id, p.version, version);
        return wg_api_audit(req, db, NULL, "party.org.update", "party_org", req->params[0], NULL,
                            rc, err);
    }
    if ((rc = save_org(req, db, &p, version, "party.org.update", err)))
        return rc;
    return reply_versioned(req, 200, p.version, wg_party_org_json(&p));
}

enum wg_rc wg_api_party_members_list(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_db *db;
    json_t *out = NULL;
    long long id;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "party organization", &id, err)) ||
        (rc = wg_api_db(req, &db, err)) ||
        (rc = wg_party_members_json(db, app->keys, wg_api_registry_scope(req), id, &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_party_members_add(struct wg_req *req, struct wg_err *err)
{
    struct wg_party_org_row p;
    struct wg_db *db;
    char detail[48] = "";
    long long id, person = 0;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "party organization", &id, err)) ||
        (rc = wg_api_db(req, &db, err)) ||
        (rc = wg_party_org_get(db, wg_api_registry_scope(req), id, &p, err)))
        return rc;
    if (!(rc = wg_db_begin(db, err)))
        rc = in_tx(db,
                   wg_party_member_add(db, wg_api_registry_scope(req), id, req->json,
                                       (long long)time(NULL), &person, err),
                   err);
    if (person)
        snprintf(detail, sizeof detail, "person %lld", person);
    if ((rc = wg_api_audit(req, db, NULL, "party.member.add", "party_org", req->params[0], detail,
                           rc, err)))
        return rc;
    return wg_reply_json(
        req, 201,
        json_pack("{s:I,s:I}", "party_org", (json_int_t)id, "person", (json_int_t)person));
}

enum wg_rc wg_api_party_members_remove(struct wg_req *req, struct wg_err *err)
{
    struct wg_party_org_row p;
    struct wg_db *db;
    char detail[48];
    long long id, person;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "party organization", &id, err)) ||
        (rc = wg_api_registry_id(req->params[1], "member", &person, err)) ||
        (rc = wg_api_db(req, &db, err)) ||
        (rc = wg_party_org_get(db, wg_api_registry_scope(req), id, &p, err)))
        return rc;
    if (!(rc = wg_db_begin(db, err)))
        rc =
            in_tx(db, wg_party_member_remove(db, wg_api_registry_scope(req), id, person, err), err);
    snprintf(detail, sizeof detail, "person %lld", person);
    if ((rc = wg_api_audit(req, db, NULL, "party.member.remove", "party_org", req->params[0],
                           detail, rc, err)))
        return rc;
    return wg_reply_json(req, 200,
                         json_pack("{s:I,s:I,s:b}", "party_org", (json_int_t)id, "person",
                                   (json_int_t)person, "removed", 1));
}

/* ---- central households ---- */

enum wg_rc wg_api_party_centres_list(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_party_centre_list(db, wg_api_registry_scope(req), wg_req_query(req, "grid"),
                                   wg_req_query(req, "region"), wg_req_query(req, "limit"),
                                   wg_req_query(req, "cursor"), &out, err)))
        return rc;
    return wg_reply_json(req, 200, out);
}

static enum wg_rc reply_centre(struct wg_req *req, struct wg_db *db, int status,
                               const struct wg_party_centre_row *c, struct wg_err *err)
{
    json_t *out = NULL;
    enum wg_rc rc = wg_party_centre_json(db, c, &out, err);
    return rc ? rc : reply_versioned(req, status, c->version, out);
}

static enum wg_rc save_centre(struct wg_req *req, struct wg_db *db, long long household,
                              long long expect, const char *action, struct wg_party_centre_row *out,
                              struct wg_err *err)
{
    enum wg_rc rc = wg_db_begin(db, err);
    char id[24] = "";
    if (!rc)
        rc = in_tx(db,
                   wg_party_centre_save(db, wg_api_registry_scope(req), household, req->json,
                                        expect, (long long)time(NULL), out, err),
                   err);
    if (!rc)
        snprintf(id, sizeof id, "%lld", out->household);
    else if (household)
        snprintf(id, sizeof id, "%lld", household);
    return wg_api_audit(req, db, NULL, action, "party_centre", id, NULL, rc, err);
}

enum wg_rc wg_api_party_centres_create(struct wg_req *req, struct wg_err *err)
{
    struct wg_party_centre_row c;
    struct wg_db *db;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = save_centre(req, db, 0, 0, "party.centre.create", &c, err)))
        return rc;
    return reply_centre(req, db, 201, &c, err);
}

enum wg_rc wg_api_party_centres_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_party_centre_row c;
    struct wg_db *db;
    long long id;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "central household", &id, err)) ||
        (rc = wg_api_db(req, &db, err)) ||
        (rc = wg_party_centre_get(db, wg_api_registry_scope(req), id, &c, err)))
        return rc;
    return reply_centre(req, db, 200, &c, err);
}

enum wg_rc wg_api_party_centres_update(struct wg_req *req, struct wg_err *err)
{
    struct wg_party_centre_row c;
    struct wg_db *db;
    long long id, version = 0;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "central household", &id, err)) ||
        (rc = wg_api_db(req, &db, err)) ||
        (rc = wg_party_centre_get(db, wg_api_registry_scope(req), id, &c, err)) ||
        (rc = wg_api_registry_version(req, "central household", &version, err)))
        return rc;
    if (c.version != version) {
        rc = wg_err_set(err, WG_EPRECOND,
                        "central household %lld is at version %lld, not %lld: someone changed it "
                        "since you read it; read it again",
                        id, c.version, version);
        return wg_api_audit(req, db, NULL, "party.centre.update", "party_centre", req->params[0],
                            NULL, rc, err);
    }
    if ((rc = save_centre(req, db, id, version, "party.centre.update", &c, err)))
        return rc;
    return reply_centre(req, db, 200, &c, err);
}
