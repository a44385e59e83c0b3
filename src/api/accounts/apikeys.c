/* Integration API keys, for account administrators: GET/POST /api/v1/apikeys and DELETE
 * /api/v1/apikeys/{id}. A key is shown once, when it is made; only its hash is kept. */
#include "api/app.h"
#include "api/handlers.h"

#include <sodium.h>

#include "domain/accounts/account.h"
#include "store/accounts/accounts_q.h"

static int add_key(const struct wg_apikey_row *k, void *ctx)
{
    json_t *perms = json_array();
    for (uint32_t b = 1; b && b <= WG_P_METRICS; b <<= 1)
        if ((uint32_t)k->permissions & b)
            json_array_append_new(perms, json_string(wg_perm_name(b)));
    json_t *o = json_pack("{s:s,s:s,s:{s:s,s:s},s:o,s:b}", "id", k->id, "name", k->name, "scope",
                          "kind", k->scope_kind, "code", k->scope, "permissions", perms, "revoked",
                          k->revoked_at[0] != 0);
    json_array_append_new(ctx, o);
    return 0;
}

static enum wg_rc fill_keys(struct wg_req *req, struct wg_db *db, json_t *arr, struct wg_err *err)
{
    (void)req;
    return wg_store_apikey_each(db, add_key, arr, err);
}

enum wg_rc wg_api_apikeys_list(struct wg_req *req, struct wg_err *err)
{
    return wg_api_reply_list(req, "apikeys", fill_keys, err);
}

enum wg_rc wg_api_apikeys_create(struct wg_req *req, struct wg_err *err)
{
    json_t *plist = json_object_get(req->json, "permissions"), *p;
    char list[256] = "", key[WG_APIKEY_LEN + 1], id[24];
    uint32_t perms;
    size_t i;
    struct wg_db *db;
    enum wg_rc rc;
    if (!json_is_array(plist))
        return wg_err_set(err, WG_EINVAL, "'permissions' must be an array, e.g. [\"open311\"]");
    json_array_foreach(plist, i, p)
    {
        if (!json_is_string(p) || strlen(list) + strlen(json_string_value(p)) + 2 > sizeof list)
            return wg_err_set(err, WG_EINVAL, "permissions[%zu] is not a permission name", i);
        if (i)
            strncat(list, ",", sizeof list - strlen(list) - 1);
        strncat(list, json_string_value(p), sizeof list - strlen(list) - 1);
    }
    if ((rc = wg_perm_parse_list(list, &perms, err)) || (rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_apikey_create(db, wg_api_field(req, "name"), wg_api_field(req, "scope"), perms, key, id,
                          err);
    rc = wg_api_audit(req, db, NULL, "apikey.create", "apikey", rc ? "" : id, list, rc, err);
    if (rc)
        return rc;
    json_t *out = json_pack("{s:s,s:s,s:s}", "id", id, "key", key, "note",
                            "the key is shown only now; store it safely");
    sodium_memzero(key, sizeof key);
    return wg_reply_json(req, 201, out);
}

enum wg_rc wg_api_apikeys_revoke(struct wg_req *req, struct wg_err *err)
{
    struct wg_db *db;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_store_apikey_revoke(db, req->params[0], err);
    rc = wg_api_audit(req, db, NULL, "apikey.revoke", "apikey", req->params[0], NULL, rc, err);
    return rc ? rc
              : wg_reply_json(req, 200, json_pack("{s:s,s:b}", "id", req->params[0], "revoked", 1));
}
