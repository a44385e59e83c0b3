/* The residents' portal's pure parts: tracking codes (form, reading back, hashing), the
 * submission's checks and the title the centre sees, and the type table. */
#include "t.h"

#include <sodium.h>

#include "domain/portal/portal.h"

static void test_codes(void)
{
    char a[WG_PORTAL_CODE_SHOWN], b[WG_PORTAL_CODE_SHOWN], shown[WG_PORTAL_CODE_SHOWN];
    char h1[65], h2[65];
    struct wg_err err = {0};
    wg_portal_code_new(a);
    wg_portal_code_new(b);
    T_EQ_INT(strlen(a), 19);
    T_CHECK(strcmp(a, b) != 0);
    for (int i = 0; i < 19; i++)
        T_CHECK(i % 5 == 4 ? a[i] == '-'
                           : strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", a[i]) != NULL);
    T_EQ_INT(wg_portal_code_hash(a, h1, shown, &err), WG_OK);
    T_EQ_STR(shown, a);
    /* typed back: case, dashes and spaces do not matter; O, I, L read as 0, 1, 1 */
    T_EQ_INT(wg_portal_code_hash("abcd efgh-jkmn-pq01", h1, shown, &err), WG_OK);
    T_EQ_STR(shown, "ABCD-EFGH-JKMN-PQ01");
    T_EQ_INT(wg_portal_code_hash("ABCDEFGHJKMNPQOI", h2, shown, &err), WG_OK);
    T_EQ_STR(h1, h2);
    T_EQ_INT(wg_portal_code_hash("ABCDEFGHJKMNPQOL", h2, shown, &err), WG_OK);
    T_EQ_STR(h1, h2);
    static const char *const bad[] = {"",
                                      "ABCD",
                                      "ABCD-EFGH-JKMN-PQRSX",
                                      "ABCD-EFGH-JKMN-PQRU",
                                      "ABCD-EFGH-JKMN-PQR!",
                                      "你好你好你好你好",
                                      NULL};
    for (const char *const *p = bad; *p; p++)
        T_EQ_INT(wg_portal_code_hash(*p, h1, shown, &err), WG_ENOTFOUND);
    T_EQ_INT(wg_portal_code_hash(NULL, h1, shown, &err), WG_ENOTFOUND);
}

static void test_parse(void)
{
    struct wg_catalog cat;
    struct wg_portal_input in;
    struct wg_order_input oin;
    struct wg_err err = {0};
    wg_catalog_init(&cat);
    T_EQ_INT(wg_catalog_load_defaults(&cat, &err), WG_OK);
    json_t *body = json_pack("{s:s,s:s,s:s,s:f,s:f,s:s}", "type", "green", "item", "06028", "text",
                             "  希望小区里多装几盏路灯，晚上太黑了，老人孩子出门不方便，"
                             "请尽快安排",
                             "lon", 118.3, "lat", 35.0, "crs", "gcj02");
    T_EQ_INT(wg_portal_parse(body, &cat, &in, &err), WG_OK);
    T_CHECK(in.anonymous); /* no phone: nobody to call back */
    T_EQ_STR(in.title, "【心愿】希望小区里多装几盏路灯，晚上太黑了，老人孩子出门不方便，请尽…");
    wg_portal_order_input(&in, &cat, &oin);
    T_EQ_STR(oin.channel, "app");
    T_EQ_STR(oin.type, "wish");
    T_EQ_STR(oin.urgency, "normal");
    T_EQ_INT(oin.crs, WG_CRS_GCJ02);
    T_CHECK(oin.has_point && oin.anonymous && !oin.reporter_phone);
    json_object_set_new(body, "type", json_string("complaint"));
    json_object_set_new(body, "text", json_string("短"));
    json_object_set_new(body, "phone", json_string("13812345678"));
    T_EQ_INT(wg_portal_parse(body, &cat, &in, &err), WG_OK);
    T_EQ_STR(in.title, "短");
    T_CHECK(!in.anonymous);
    json_object_set_new(body, "anonymous", json_true());
    T_EQ_INT(wg_portal_parse(body, &cat, &in, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "'phone'") != NULL);
    json_decref(body);
    wg_catalog_release(&cat);
}

static void test_types(void)
{
    int bags = 0, plain = 0;
    for (const struct wg_portal_type *t = wg_portal_types; t->code; t++) {
        bags += t->bag;
        plain += !t->bag;
        T_CHECK(wg_portal_type_find(t->code) == t);
    }
    T_EQ_INT(bags, 5);
    T_EQ_INT(plain, 7);
    T_EQ_STR(wg_portal_type_find("orange")->zh, "宣传");
    T_CHECK(wg_portal_type_find("purple") == NULL);
    T_CHECK(wg_portal_type_find(NULL) == NULL);
    /* listed: 投诉 and 求助 first, then the bags; no name twice; every type still taken */
    T_EQ_STR(wg_portal_types[0].zh, "投诉");
    T_EQ_STR(wg_portal_types[1].zh, "求助");
    for (const struct wg_portal_type *t = wg_portal_types; t->code; t++)
        for (const struct wg_portal_type *u = t + 1; t->listed && u->code; u++)
            T_CHECK(!u->listed || strcmp(t->zh, u->zh) != 0);
    T_EQ_INT(wg_portal_type_find("wish")->listed, 0);
    T_EQ_INT(wg_portal_type_find("green")->listed, 2);
}

static void test_config(void)
{
    struct wg_portal_config c;
    struct wg_err err = {0};
    wg_portal_config_init(&c);
    T_EQ_INT(c.per_address, 20);
    T_EQ_INT(wg_portal_config_set(&c, "portal_appeals_per_phone", "3", &err), WG_OK);
    T_EQ_INT(c.per_phone, 3);
    T_EQ_INT(wg_portal_config_set(&c, "portal_photos", "-1", &err), WG_EINVAL);
    T_EQ_INT(wg_portal_config_set(&c, "portal_misses_per_address", "", &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "portal_misses_per_address") != NULL);
    T_EQ_INT(wg_portal_config_set(&c, "portal_nothing", "1", &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "portal_nothing") != NULL);
}

static void test_client_addr(void)
{
    struct wg_portal_config c;
    struct wg_err err = {0};
    char out[46];
    wg_portal_config_init(&c);
    /* by default the header is the client's to write, so it is ignored */
    wg_portal_client_addr(&c, "10.0.0.5", "1.2.3.4", out);
    T_EQ_STR(out, "10.0.0.5");
    T_EQ_INT(wg_portal_config_set(&c, "portal_trust_forwarded", "on", &err), WG_OK);
    static const struct {
        const char *header, *want;
    } cases[] = {
        {"203.0.113.7", "203.0.113.7"},
        /* what the client sent comes first; the proxy appends the address it saw */
        {"1.1.1.1, 203.0.113.7", "203.0.113.7"},
        {"spoofed,  2001:db8::1 ", "2001:db8::1"},
        {"203.0.113.7, not-an-address", "127.0.0.1"},
        {"", "127.0.0.1"},
        {"203.0.113.7,", "127.0.0.1"},
        {NULL, "127.0.0.1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wg_portal_client_addr(&c, "127.0.0.1", cases[i].header, out);
        T_EQ_STR(out, cases[i].want);
    }
    T_EQ_INT(wg_portal_config_set(&c, "portal_trust_forwarded", "maybe", &err), WG_EINVAL);
}

int main(void)
{
    if (sodium_init() < 0)
        return 2;
    test_codes();
    test_parse();
    test_types();
    test_config();
    test_client_addr();
    return T_DONE("portal");
}
