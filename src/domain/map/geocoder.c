/* The outside geocoder (geocoder.h): 天地图's forward geocoding over the HTTP client. */
#include "domain/map/geocoder.h"
#include "core/alloc.h"
#include "core/param.h"
#include "http/client.h"

#include <jansson.h>
#include <stdlib.h>

#define ANSWER_MAX (16 << 10)

void wg_geocoder_init(struct wg_geocoder *g)
{
    memset(g, 0, sizeof *g);
    g->connect_timeout_ms = 1000;
    g->timeout_ms = 3000;
}

enum wg_rc wg_geocoder_set(struct wg_geocoder *g, const char *key, const char *value,
                           struct wg_err *err)
{
    struct wg_http_url u;
    long ms;
    if (!strcmp(key, "geocoder_key")) {
        if (strlen(value) >= sizeof g->key ||
            strspn(value, "0123456789abcdefABCDEF") != strlen(value))
            return wg_err_set(err, WG_EINVAL,
                              "geocoder_key must be the 天地图 key: hexadecimal, at most %zu "
                              "characters",
                              sizeof g->key - 1);
        snprintf(g->key, sizeof g->key, "%s", value);
    } else if (!strcmp(key, "geocoder_url")) {
        if (strlen(value) >= sizeof g->url || strchr(value, '?'))
            return wg_err_set(err, WG_EINVAL, "geocoder_url must be a URL without a query");
        if (wg_http_url_parse(value, &u, err))
            return wg_err_prefix(err, "geocoder_url"), WG_EINVAL;
        snprintf(g->url, sizeof g->url, "%s", value);
    } else if (!strcmp(key, "geocoder_timeout_ms")) {
        if (wg_parse_whole(key, value, 100, 30000, &ms, err))
            return WG_EINVAL;
        g->timeout_ms = (int)ms;
        g->connect_timeout_ms = (int)(ms < 1000 ? ms : 1000);
    } else {
        return wg_err_set(err, WG_EINVAL, "unknown setting '%s'", key);
    }
    return WG_OK;
}

int wg_geocoder_enabled(const struct wg_geocoder *g)
{
    return g->key[0] != '\0';
}

void wg_geocoder_url(const struct wg_geocoder *g, const char *q, char *out, size_t n)
{
    json_t *ds = json_pack("{s:s}", "keyWord", q);
    char *text = json_dumps(ds, JSON_COMPACT);
    char *eds = wg_http_escape(text), *ekey = wg_http_escape(g->key);
    snprintf(out, n, "%s?ds=%s&tk=%s", g->url[0] ? g->url : WG_GEOCODER_DEFAULT_URL, eds, ekey);
    free(eds);
    free(ekey);
    free(text);
    json_decref(ds);
}

/* A number given as a number or as text ("118.35"). */
static int number_of(json_t *v, double *out)
{
    char *end;
    if (json_is_number(v)) {
        *out = json_number_value(v);
        return 1;
    }
    if (!json_is_string(v))
        return 0;
    *out = strtod(json_string_value(v), &end);
    return end != json_string_value(v) && !*end;
}

enum wg_rc wg_geocoder_read(const char *body, struct wg_geocoded *out, struct wg_err *err)
{
    json_t *j = json_loads(body, 0, NULL), *loc, *status;
    double score = -1;
    enum wg_rc rc = WG_OK;
    memset(out, 0, sizeof *out);
    if (!json_is_object(j)) {
        json_decref(j);
        return wg_err_set(err, WG_EIO, "the geocoder's answer is not a JSON object");
    }
    status = json_object_get(j, "status");
    loc = json_object_get(j, "location");
    if (!json_is_string(status) || strcmp(json_string_value(status), "0"))
        rc = wg_err_set(err, WG_ENOTFOUND, "the geocoder found no place (status %s: %.80s)",
                        json_is_string(status) ? json_string_value(status) : "none",
                        json_string_value(json_object_get(j, "msg")) ?: "");
    else if (!json_is_object(loc) || !number_of(json_object_get(loc, "lon"), &out->lon) ||
             !number_of(json_object_get(loc, "lat"), &out->lat))
        rc = wg_err_set(err, WG_ENOTFOUND, "the geocoder's answer holds no point");
    else if (out->lon < 73 || out->lon > 136 || out->lat < 3 || out->lat > 54)
        rc = wg_err_set(err, WG_ENOTFOUND, "the geocoder's point (%.4f, %.4f) is outside China",
                        out->lon, out->lat);
    if (!rc) {
        out->score = number_of(json_object_get(loc, "score"), &score) ? (int)score : -1;
        snprintf(out->level, sizeof out->level, "%s",
                 json_string_value(json_object_get(loc, "level")) ?: "");
    }
    json_decref(j);
    return rc;
}

enum wg_rc wg_geocode(const struct wg_geocoder *g, const char *q, struct wg_geocoded *out,
                      struct wg_err *err)
{
    char text[4096];
    struct wg_http_url u;
    struct wg_http_answer a = {wg_malloc(ANSWER_MAX + 1), ANSWER_MAX, 0};
    int status = 0;
    enum wg_rc rc;
    wg_geocoder_url(g, q, text, sizeof text);
    struct wg_http_post req = {.get = 1,
                               .answer = &a,
                               .url = &u,
                               .connect_timeout_ms = g->connect_timeout_ms,
                               .timeout_ms = g->timeout_ms};
    if (!(rc = wg_http_url_parse(text, &u, err)) && !(rc = wg_http_post(&req, &status, err))) {
        if (status != 200)
            rc = wg_err_set(err, WG_EIO, "the geocoder at %s answered %d", u.authority, status);
        else
            rc = wg_geocoder_read(a.data, out, err);
    }
    free(a.data);
    return rc;
}
