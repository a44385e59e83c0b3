/* The registry's households (domain/registry/person.h): GET/POST /api/v1/households, GET/PUT
 * /api/v1/households/{id} with their members. In scope only, addresses masked; every write
 * recorded in the audit log, refusals too. */
#include "api/app.h"
#include "api/handlers.h"
#include "api/registry/registry.h"

#include <time.h>

static enum wg_rc reply_household(struct wg_req *req, struct wg_db *db, int status,
                                  const struct wg_household *h, struct wg_err *err)
{
    struct wg_app *app = req->app;
    json_t *out = NULL;
    int sensitive = 0;
    enum wg_rc rc;
    if ((rc = wg_api_registry_sensitive(req, db, &sensitive, err)) ||
        (rc = wg_household_json(db, app->keys, h, 1, sensitive, &out, err)))
        return rc;
    return wg_api_reply_versioned(req, status, h->version, out);
}

enum wg_rc wg_api_households_list(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_person_query q = {.grid = wg_req_query(req, "grid"),
                                .region = wg_req_query(req, "region"),
                                .limit = wg_req_query(req, "limit"),
                                .cursor = wg_req_query(req, "cursor")};
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_household_list(db, app->keys, wg_api_registry_scope(req), &q, &out, err);
    return rc ? rc : wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_households_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_household h;
    struct wg_db *db;
    long long id;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "household", &id, err)) ||
        (rc = wg_api_db(req, &db, err)) ||
        (rc = wg_household_load(db, app->keys, wg_api_registry_scope(req), id, &h, err)))
        return rc;
    rc = reply_household(req, db, 200, &h, err);
    wg_household_release(&h);
    return rc;
}

static enum wg_rc save(struct wg_req *req, struct wg_db *db, struct wg_household *h,
                       const char *action, struct wg_err *err)
{
    struct wg_app *app = req->app;
    long long now = (long long)time(NULL);
    json_t *members = NULL;
    char id[24];
    enum wg_rc rc = wg_household_apply(h, req->json, &members, err);
    if (!rc && !(rc = wg_db_begin(db, err))) {
        rc = wg_household_store(db, app->keys, wg_api_registry_scope(req), h, members, now, err);
        if (!rc)
            rc = wg_db_commit(db, err);
        if (rc)
            wg_db_rollback(db);
    }
    snprintf(id, sizeof id, "%lld", h->id);
    return wg_api_audit(req, db, NULL, action, "household", h->id ? id : "", h->grid, rc, err);
}

enum wg_rc wg_api_households_create(struct wg_req *req, struct wg_err *err)
{
    struct wg_household h;
    struct wg_db *db;
    enum wg_rc rc;
    memset(&h, 0, sizeof h);
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = save(req, db, &h, "household.create", err);
    if (!rc)
        rc = reply_household(req, db, 201, &h, err);
    wg_household_release(&h);
    return rc;
}

enum wg_rc wg_api_households_update(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_household h;
    struct wg_db *db;
    long long id, version = 0;
    enum wg_rc rc;
    if ((rc = wg_api_registry_id(req->params[0], "household", &id, err)) ||
        (rc = wg_api_registry_version(req, "household", &version, err)) ||
        (rc = wg_api_db(req, &db, err)) ||
        (rc = wg_household_load(db, app->keys, wg_api_registry_scope(req), id, &h, err)))
        return rc;
    if (h.version != version) {
        rc = wg_err_set(err, WG_EPRECOND,
                        "household %lld is at version %lld, not %lld: someone changed it since "
                        "you read it; read it again",
                        id, h.version, version);
        rc = wg_api_audit(req, db, NULL, "household.update", "household", req->params[0], NULL, rc,
                          err);
    } else {
        rc = save(req, db, &h, "household.update", err);
    }
    if (!rc)
        rc = reply_household(req, db, 200, &h, err);
    wg_household_release(&h);
    return rc;
}
