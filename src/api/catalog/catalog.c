/* The dispatch catalog: GET /api/v1/catalog (the catalog in force and its version), the items
 * a text points at (GET /api/v1/catalog/suggest), and its administration: PUT and DELETE
 * /api/v1/catalog/items/{code}, GET /api/v1/catalog/versions and /api/v1/catalog/versions/{n}.
 * Changes are versioned (domain/catalog/catalog_store.h), audited, and in force on this server at
 * once and on the others sharing the store within a second. */
#include "api/app.h"
#include "api/handlers.h"
#include "core/param.h"

#include <time.h>

#include "domain/catalog/catalog_store.h"

enum wg_rc wg_api_catalog_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_catalog_snap *snap = wg_catalog_slot_acquire(&app->catalogs);
    json_t *cat;
    long long v;
    if (!snap)
        return wg_err_set(err, WG_EUNAVAIL, "the catalog is not loaded yet");
    v = snap->snap.version;
    cat = wg_catalog_to_json(&snap->cat);
    wg_catalog_snap_release(snap);
    if (!cat)
        return wg_err_set(err, WG_EINTERNAL, "catalog version %lld could not be written as JSON",
                          v);
    return wg_api_reply_versioned(req, 200, v,
                                  json_pack("{s:I,s:o}", "version", (json_int_t)v, "catalog", cat));
}

/* A suggestion's text travels in the URL, which the HTTP layer caps at about 16 KB: 4 KB of
 * Chinese percent-encoded is 12 KB. The first words are what classify a text anyway. */
#define SUGGEST_TEXT_MAX  4096
#define SUGGEST_LIMIT_MAX 20

/* GET /api/v1/catalog/suggest?text=…[&limit=3]: the items of the catalog in force that the
 * text points at, best first (wg_catalog_suggest says how they score). */
enum wg_rc wg_api_catalog_suggest(struct wg_req *req, struct wg_err *err)
{
    const char *text = wg_req_query(req, "text");
    const struct wg_catalog *cat = wg_api_catalog(req);
    struct wg_catalog_hint hints[SUGGEST_LIMIT_MAX];
    long long limit = 3;
    json_t *items;
    size_t n;
    enum wg_rc rc;
    if ((rc = wg_param_text(text, "text", SUGGEST_TEXT_MAX, err)) ||
        (rc = wg_param_count(wg_req_query(req, "limit"), "limit", 1, SUGGEST_LIMIT_MAX, &limit,
                             err)))
        return rc;
    if (!cat)
        return wg_err_set(err, WG_EUNAVAIL, "the catalog is not loaded yet");
    n = wg_catalog_suggest(cat, text, hints, (size_t)limit);
    items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, json_pack("{s:s,s:s,s:i}", "code", hints[i].item->code, "name",
                                               hints[i].item->name, "score", hints[i].score));
    return wg_reply_json(req, 200, json_pack("{s:o}", "items", items));
}

/* If-Match, when sent, is the catalog version the change was made on; -1: any. */
static enum wg_rc if_match(struct wg_req *req, long long *version, struct wg_err *err)
{
    enum wg_rc rc = wg_api_if_match(req, "a catalog version", 0, 1LL << 53, version, err);
    if (rc == WG_ENOTFOUND) {
        *version = -1;
        return WG_OK;
    }
    return rc;
}
/* The item as the catalog in force now holds it. */
static json_t *item_in_force(struct wg_app *app, const char *code)
{
    struct wg_catalog_snap *snap = wg_catalog_slot_acquire(&app->catalogs);
    json_t *cat = snap ? wg_catalog_to_json(&snap->cat) : NULL, *it, *found = NULL;
    size_t i;
    wg_catalog_snap_release(snap);
    json_array_foreach(json_object_get(cat, "items"), i, it)
    {
        const char *c = json_string_value(json_object_get(it, "code"));
        if (c && !strcmp(c, code)) {
            found = json_incref(it);
            break;
        }
    }
    json_decref(cat);
    return found ? found : json_null();
}

/* Runs one change on a store connection, audits it, and puts the new version in force. */
static enum wg_rc change(struct wg_req *req, const char *action, int put, long long *version,
                         int *created, struct wg_err *err)
{
    struct wg_app *app = req->app;
    const struct wg_actor *actor = req->actor;
    struct wg_catalog_change ch = {actor->username, (long long)time(NULL), -1};
    const char *code = req->params[0];
    char detail[48] = "";
    struct wg_db *db;
    enum wg_rc rc;
    if ((rc = if_match(req, &ch.expect_version, err)) || (rc = wg_api_db(req, &db, err)))
        return rc;
    rc = put ? wg_catalog_store_put_item(db, &ch, code, req->json, version, created, err)
             : wg_catalog_store_delete_item(db, &ch, code, version, err);
    if (!rc)
        snprintf(detail, sizeof detail, "version %lld", *version);
    rc = wg_api_audit(req, db, NULL, action, "catalog_item", code, detail, rc, err);
    if (rc)
        return rc;
    wg_api_release(req); /* the reload takes a connection of its own */
    return wg_app_catalog_refresh(app, err);
}

enum wg_rc wg_api_catalog_put_item(struct wg_req *req, struct wg_err *err)
{
    long long version = 0;
    int created = 0;
    enum wg_rc rc = change(req, "catalog.put_item", 1, &version, &created, err);
    if (rc)
        return rc;
    return wg_api_reply_versioned(req, created ? 201 : 200, version,
                                  json_pack("{s:I,s:b,s:o}", "version", (json_int_t)version,
                                            "created", created, "item",
                                            item_in_force(req->app, req->params[0])));
}

enum wg_rc wg_api_catalog_delete_item(struct wg_req *req, struct wg_err *err)
{
    long long version = 0;
    enum wg_rc rc = change(req, "catalog.delete_item", 0, &version, NULL, err);
    if (rc)
        return rc;
    return wg_api_reply_versioned(
        req, 200, version,
        json_pack("{s:I,s:s}", "version", (json_int_t)version, "deleted", req->params[0]));
}

enum wg_rc wg_api_catalog_versions(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc = wg_api_db(req, &db, err);
    if (rc)
        return rc;
    rc = wg_catalog_store_versions_json(db, &out, err);
    return rc ? rc : wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_catalog_version(struct wg_req *req, struct wg_err *err)
{
    const char *s = req->params[0];
    struct wg_db *db;
    json_t *out = NULL;
    long long n;
    enum wg_rc rc;
    /* anything that is not a version number is a version that does not exist */
    if (wg_param_id(s, 0, 1LL << 53, &n))
        return wg_err_set(err, WG_ENOTFOUND, "catalog version '%.20s' does not exist", s);
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_catalog_store_version_json(db, n, &out, err);
    return rc ? rc : wg_reply_json(req, 200, out);
}
