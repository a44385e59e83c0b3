/* Open311 GeoReport v2: the shared answer helpers, GET discovery, GET services and GET
 * services/{code} (the service definitions). */
#include "api/open311/open311.h"

#include <stdarg.h>

#include "api/handlers.h"
#include "core/utf8.h"
#include "core/log.h"
#include "core/xml.h"
#include "domain/open311/open311.h"
#include "store/map/map_q.h"

/* When this interface last changed, for the discovery document: a POST answers the request's
 * id alone, and posted photos have a media_url. */
#define CHANGESET "2026-12-06T00:00:00+08:00"

int wg_o311_format(const struct wg_req *req)
{
    const char *f = req->nparams ? req->params[req->nparams - 1] : "";
    if (!strcmp(f, "json"))
        return 1;
    if (!strcmp(f, "xml"))
        return 0;
    return -1;
}

enum wg_rc wg_o311_reply(struct wg_req *req, int json, int status, const char *root, json_t *v)
{
    struct wg_buf b;
    char *out;
    size_t len;
    if (!v) /* a json_pack given text that is not UTF-8 */
        return wg_o311_error(req, json, 500, "the answer could not be written");
    if (json) {
        char *s = json_dumps(v, JSON_COMPACT);
        json_decref(v);
        return wg_reply_owned(req, status, "application/json; charset=utf-8", s, strlen(s));
    }
    wg_buf_init(&b, (size_t)64 << 20);
    wg_xml_render(&b, root, v, wg_open311_xml_item);
    json_decref(v);
    if (wg_buf_rc(&b)) {
        wg_buf_release(&b);
        return wg_o311_error(req, json, 500, "the answer is too large");
    }
    out = wg_buf_detach(&b, &len);
    return wg_reply_owned(req, status, "text/xml; charset=utf-8", out, len);
}

enum wg_rc wg_o311_error(struct wg_req *req, int json, int status, const char *fmt, ...)
{
    char raw[600], msg[3 * sizeof raw];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    wg_utf8_scrub(raw, msg, sizeof msg); /* it may quote a field name that is not UTF-8 */
    json_t *v = json_pack("[{s:i,s:s}]", "code", status, "description", msg);
    if (!v)
        return wg_reply_raw(req, 500, "text/plain; charset=utf-8", "internal error", 14);
    if (json) {
        char *s = json_dumps(v, JSON_COMPACT);
        json_decref(v);
        return wg_reply_owned(req, status, "application/json; charset=utf-8", s, strlen(s));
    }
    struct wg_buf b;
    char *out;
    size_t len;
    wg_buf_init(&b, 1 << 16);
    wg_xml_render(&b, "errors", v, wg_open311_xml_item);
    json_decref(v);
    out = wg_buf_detach(&b, &len);
    return wg_reply_owned(req, status, "text/xml; charset=utf-8", out, len);
}

enum wg_rc wg_o311_fail(struct wg_req *req, int json, const struct wg_err *e)
{
    int status = wg_rc_http_status(e->rc);
    if (e->rc == WG_EUNAUTH)
        status = 403; /* the specification's status for a missing or wrong api_key */
    if (status >= 500) {
        wg_error("%s %s: %s", req->method, req->log_path, e->msg[0] ? e->msg : "internal error");
        return wg_o311_error(req, json, status,
                             "the server could not complete the request; the details are in "
                             "its log");
    }
    return wg_o311_error(req, json, status, "%s", e->msg);
}

struct counties {
    char codes[8][16];
    int n;
    const char *want;
    int found;
};

static int add_county(const struct wg_region_row *r, void *ctx)
{
    struct counties *c = ctx;
    if (c->want && !strcmp(c->want, r->code))
        c->found = 1;
    if (c->n < 8)
        snprintf(c->codes[c->n], sizeof c->codes[0], "%s", r->code);
    c->n++;
    return 0;
}

enum wg_rc wg_o311_jurisdiction(struct wg_db *db, const char *jid, int needed, char county[16],
                                struct wg_err *err)
{
    struct counties c = {.want = jid && *jid ? jid : NULL};
    char list[160] = "";
    enum wg_rc rc = wg_store_region_by_level(db, "county", add_county, &c, err);
    county[0] = '\0';
    if (rc)
        return rc;
    for (int i = 0; i < c.n && i < 8; i++) {
        size_t n = strlen(list);
        snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", c.codes[i]);
    }
    if (c.n > 8) {
        size_t n = strlen(list);
        snprintf(list + n, sizeof list - n, ", …");
    }
    if (c.want) {
        if (!c.found)
            return wg_err_set(err, WG_ENOTFOUND,
                              "jurisdiction_id '%.40s' is not served here (served: %s)", jid,
                              c.n ? list : "none");
        snprintf(county, 16, "%s", jid);
        return WG_OK;
    }
    if (c.n == 1) {
        snprintf(county, 16, "%s", c.codes[0]);
        return WG_OK;
    }
    if (c.n > 1 && needed)
        return wg_err_set(err, WG_EINVAL,
                          "jurisdiction_id is required: this deployment serves several counties "
                          "(%s)",
                          list);
    return WG_OK;
}

/* The county of a GET: its jurisdiction_id, checked. */
static enum wg_rc jurisdiction_of(struct wg_req *req, int json, char county[16], int *answered)
{
    struct wg_err err = {0};
    struct wg_db *db;
    enum wg_rc rc = wg_api_db(req, &db, &err);
    if (!rc) {
        rc = wg_o311_jurisdiction(db, wg_req_query(req, "jurisdiction_id"), 1, county, &err);
    }
    *answered = rc != WG_OK;
    return rc ? wg_o311_fail(req, json, &err) : WG_OK;
}

static int host_ok(const char *h)
{
    if (!h || !*h || strlen(h) > 255)
        return 0;
    for (; *h; h++)
        if (!((*h >= 'a' && *h <= 'z') || (*h >= 'A' && *h <= 'Z') || (*h >= '0' && *h <= '9') ||
              strchr(".-:[]", *h)))
            return 0;
    return 1;
}

void wg_o311_base(struct wg_req *req, char url[320])
{
    const char *host = wg_req_header(req, "Host"), *proto = wg_req_header(req, "X-Forwarded-Proto");
    snprintf(url, 320, "%s://%s/open311/v2", proto && !strcmp(proto, "https") ? "https" : "http",
             host_ok(host) ? host : "localhost");
}

enum wg_rc wg_api_open311_discovery(struct wg_req *req, struct wg_err *err)
{
    int json = wg_o311_format(req);
    char url[320];
    (void)err;
    if (json < 0)
        return wg_o311_error(req, 0, 404, "format '%.20s' is not served: use .xml or .json",
                             req->params[0]);
    wg_o311_base(req, url);
    json_t *v = json_pack(
        "{s:s,s:s,s:s,s:[{s:s,s:s,s:s,s:s,s:[s,s]}]}", "changeset", CHANGESET, "contact",
        "网格化服务管理中心（综治中心）：请向本地中心联系接入事宜", "key_service",
        "api_key 由本系统的系统管理员签发：带 open311 权限的集成密钥（POST /api/v1/apikeys）",
        "endpoints", "specification", "http://wiki.open311.org/GeoReport_v2", "url", url,
        "changeset", CHANGESET, "type", "production", "formats", "text/xml", "application/json");
    return wg_o311_reply(req, json, 200, "discovery", v);
}

enum wg_rc wg_api_open311_services(struct wg_req *req, struct wg_err *err)
{
    int json = wg_o311_format(req), answered;
    char county[16];
    (void)err;
    if (json < 0)
        return wg_o311_error(req, 0, 404, "format '%.20s' is not served: use .xml or .json",
                             req->params[0]);
    if (jurisdiction_of(req, json, county, &answered) || answered)
        return WG_OK;
    return wg_o311_reply(req, json, 200, "services", wg_open311_services_json(wg_api_catalog(req)));
}

enum wg_rc wg_api_open311_definition(struct wg_req *req, struct wg_err *err)
{
    int json = wg_o311_format(req), answered;
    const struct wg_catalog_item *it;
    char county[16];
    (void)err;
    if (json < 0)
        return wg_o311_error(req, 0, 404, "format '%.20s' is not served: use .xml or .json",
                             req->params[1]);
    if (jurisdiction_of(req, json, county, &answered) || answered)
        return WG_OK;
    it = wg_catalog_find(wg_api_catalog(req), req->params[0]);
    if (!wg_open311_is_service(it))
        return wg_o311_error(req, json, 404, "service_code '%.40s' is not a service here",
                             req->params[0]);
    return wg_o311_reply(req, json, 200, "service_definition", wg_open311_definition_json(it));
}
