/* An outside geocoder for the address search (issue: 天地图 with the deployment's key): when
 * the registry holds no place for the words, the deployment may ask 天地图's geocoder
 * (GET {url}?ds={"keyWord":"..."}&tk=KEY) for a point. None is needed: without a key the
 * search answers from the registry alone.
 *
 * The answer is read as 天地图 documents it — {"status":"0","location":{"lon":..,"lat":..,
 * "score":..,"level":"..","keyWord":".."}} — its point in CGCS2000, which the map takes as
 * WGS-84 (they differ by less than a metre). Any other answer, a status other than "0", a
 * point outside China, no answer within the timeouts: WG_ENOTFOUND or WG_EIO with the reason,
 * never the key. */
#ifndef WG_DOMAIN_MAP_GEOCODER_H
#define WG_DOMAIN_MAP_GEOCODER_H

#include "core/err.h"

#define WG_GEOCODER_DEFAULT_URL "https://api.tianditu.gov.cn/geocoder"

struct wg_geocoder {
    char url[1024]; /* "" until a key is set: then the default */
    char key[128];  /* "": no geocoder */
    int connect_timeout_ms, timeout_ms;
};
void wg_geocoder_init(struct wg_geocoder *g); /* none; timeouts 1 s and 3 s */
/* geocoder_url, geocoder_key, geocoder_timeout_ms (a settings line); the URL checked. */
enum wg_rc wg_geocoder_set(struct wg_geocoder *g, const char *key, const char *value,
                           struct wg_err *err);
int wg_geocoder_enabled(const struct wg_geocoder *g);

struct wg_geocoded {
    double lon, lat;
    int score;      /* 0-100, as 天地图 rates its match; -1 when it gave none */
    char level[32]; /* 天地图's level of the match (门址, 兴趣点, 道路, ...), "" when none */
};
/* The request's URL for words q (size n). */
void wg_geocoder_url(const struct wg_geocoder *g, const char *q, char *out, size_t n);
/* Reads an answer's body. WG_ENOTFOUND when it holds no point. */
enum wg_rc wg_geocoder_read(const char *body, struct wg_geocoded *out, struct wg_err *err);
/* Asks the geocoder for q. */
enum wg_rc wg_geocode(const struct wg_geocoder *g, const char *q, struct wg_geocoded *out,
                      struct wg_err *err);

#endif
