/* The outside geocoder (domain/map/geocoder.h): its settings checked, the request's URL as
 * 天地图 takes it, and its answers read — a point, none, a status other than "0", a point
 * outside China, text that is not JSON. The exchange itself is the HTTP client's
 * (test_http_client.c) and the e2e test's (a 天地图 stand-in on 127.0.0.1). */
#include "t.h"

#include "domain/map/geocoder.h"

static void test_settings(void)
{
    struct wg_geocoder g;
    struct wg_err err = {0};
    wg_geocoder_init(&g);
    T_CHECK(!wg_geocoder_enabled(&g));
    T_EQ_INT(wg_geocoder_set(&g, "geocoder_key", "not a key!", &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "geocoder_key") != NULL);
    T_EQ_INT(wg_geocoder_set(&g, "geocoder_url", "ftp://example.org/g", &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "geocoder_url") != NULL);
    T_EQ_INT(wg_geocoder_set(&g, "geocoder_url", "http://127.0.0.1:9/g?x=1", &err), WG_EINVAL);
    T_EQ_INT(wg_geocoder_set(&g, "geocoder_timeout_ms", "5", &err), WG_EINVAL);
    T_CHECK(!wg_geocoder_enabled(&g));
    T_EQ_INT(wg_geocoder_set(&g, "geocoder_key", "0123abcdef", &err), WG_OK);
    T_CHECK(wg_geocoder_enabled(&g));
    T_EQ_INT(wg_geocoder_set(&g, "geocoder_timeout_ms", "500", &err), WG_OK);
    T_EQ_INT(g.timeout_ms, 500);
    T_EQ_INT(g.connect_timeout_ms, 500);
}

static void test_url(void)
{
    struct wg_geocoder g;
    struct wg_err err = {0};
    char url[1024];
    wg_geocoder_init(&g);
    T_EQ_INT(wg_geocoder_set(&g, "geocoder_key", "abc123", &err), WG_OK);
    wg_geocoder_url(&g, "兰山区金雀山路", url, sizeof url);
    /* {"keyWord":"兰山区金雀山路"} in UTF-8, percent-encoded */
    T_EQ_STR(url, "https://api.tianditu.gov.cn/geocoder?ds=%7B%22keyWord%22%3A%22%E5%85%B0%E5%B1"
                  "%B1%E5%8C%BA%E9%87%91%E9%9B%80%E5%B1%B1%E8%B7%AF%22%7D&tk=abc123");
    T_EQ_INT(wg_geocoder_set(&g, "geocoder_url", "http://127.0.0.1:8999/geocoder", &err), WG_OK);
    wg_geocoder_url(&g, "a\"b", url, sizeof url);
    T_EQ_STR(url,
             "http://127.0.0.1:8999/geocoder?ds=%7B%22keyWord%22%3A%22a%5C%22b%22%7D&tk=abc123");
}

static void test_read(void)
{
    struct wg_geocoded g;
    struct wg_err err = {0};
    T_EQ_INT(wg_geocoder_read("{\"msg\":\"ok\",\"location\":{\"score\":100,\"level\":\"门址\","
                              "\"lon\":118.35,\"lat\":35.06,\"keyWord\":\"金雀山路18号\"},"
                              "\"searchVersion\":\"4.8.0\",\"status\":\"0\"}",
                              &g, &err),
             WG_OK);
    T_NEAR(g.lon, 118.35, 1e-9);
    T_NEAR(g.lat, 35.06, 1e-9);
    T_EQ_INT(g.score, 100);
    T_EQ_STR(g.level, "门址");
    /* numbers as text, no score */
    T_EQ_INT(wg_geocoder_read(
                 "{\"status\":\"0\",\"location\":{\"lon\":\"118.3\",\"lat\":\"35.1\"}}", &g, &err),
             WG_OK);
    T_EQ_INT(g.score, -1);
    T_NEAR(g.lat, 35.1, 1e-9);
    T_EQ_INT(wg_geocoder_read("{\"status\":\"101\",\"msg\":\"结果为空\"}", &g, &err), WG_ENOTFOUND);
    T_CHECK(strstr(err.msg, "101") != NULL);
    T_EQ_INT(wg_geocoder_read("{\"status\":\"0\"}", &g, &err), WG_ENOTFOUND);
    T_EQ_INT(
        wg_geocoder_read("{\"status\":\"0\",\"location\":{\"lon\":2.35,\"lat\":48.85}}", &g, &err),
        WG_ENOTFOUND);
    T_CHECK(strstr(err.msg, "outside China") != NULL);
    T_EQ_INT(wg_geocoder_read("<html>503</html>", &g, &err), WG_EIO);
    T_EQ_INT(wg_geocoder_read("[1,2]", &g, &err), WG_EIO);
}

int main(void)
{
    test_settings();
    test_url();
    test_read();
    return T_DONE("geocoder");
}
