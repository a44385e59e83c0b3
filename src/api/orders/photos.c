/* Photos: POST /api/v1/orders/{id}/photos (the body is the image), GET /api/v1/photos/{sha256}. */
#include "api/app.h"
#include "api/handlers.h"

#include <time.h>

#include "domain/orders/photo.h"

enum wg_rc wg_api_photos_add(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_db *db;
    json_t *out = NULL;
    long long id;
    enum wg_rc rc;
    if ((rc = wg_api_order_id(req->params[0], &id, err)) || (rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_photo_attach(db, req->actor, app->data_dir, id, req->body, req->body_len, 0,
                         (long long)time(NULL), &out, err);
    wg_api_keep(req, out);
    if (rc != WG_ENOTFOUND)
        rc = wg_api_audit(req, db, NULL, "order.photo", "order", req->params[0],
                          out ? json_string_value(json_object_get(out, "sha256")) : NULL, rc, err);
    return rc ? rc : wg_reply_json(req, 201, json_incref(out));
}

enum wg_rc wg_api_photos_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_db *db;
    char *bytes = NULL;
    size_t len = 0;
    const char *mime = NULL;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)))
        return rc;
    rc = wg_photo_read(db, req->actor, app->data_dir, req->params[0], &bytes, &len, &mime, err);
    return rc ? rc : wg_api_reply_photo(req, mime, bytes, len);
}

enum wg_rc wg_api_reply_photo(struct wg_req *req, const char *mime, char *bytes, size_t len)
{
    req->extra_header_name = "Content-Security-Policy";
    req->extra_header_value = "default-src 'none'; sandbox";
    return wg_reply_owned(req, 200, mime, bytes, len);
}
