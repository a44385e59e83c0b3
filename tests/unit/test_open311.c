/* Open311: W3C times, statuses, the checking of a submitted form against the service
 * definitions, the XML writer, form collection and the router's "{id}.{format}" paths. */
#include "t.h"

#include "api/app.h"
#include "core/form.h"
#include "core/xml.h"
#include "domain/open311/open311.h"
#include "http/route.h"

static int has(const char *msg, const char *part)
{
    if (strstr(msg, part))
        return 1;
    fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", msg, part);
    return 0;
}

static void test_times(void)
{
    static const struct {
        const char *in;
        long long t;
    } good[] = {
        {"1994-11-05T08:15:30-05:00", 784041330},
        {"1994-11-05T13:15:30Z", 784041330},
        {"1994-11-05T21:15:30+08:00", 784041330},
        {"1994-11-05T21:15:30 08:00", 784041330}, /* a '+' decoded to a space */
        {"1994-11-05T21:15:30.250+08:00", 784041330},
        {"1994-11-05T21:15+08:00", 784041300},
        {"1994-11-06", 784051200}, /* midnight in China: 16:00 UTC the day before */
        {"2024-02-29T00:00:00Z", 1709164800},
    };
    static const char *const bad[] = {"",
                                      "yesterday",
                                      "1994-11-05T08:15:30",
                                      "1994-13-05",
                                      "2023-02-29",
                                      "1994-11-05T24:00Z",
                                      "1994-11-05T08:15:30+8:00",
                                      "1994-11-05T08:15:30Zjunk",
                                      "1994-11-05 08:15:30Z",
                                      "1994-11-05T08:15:30.Z",
                                      "1899-12-31"};
    struct wg_err err = {0};
    long long t;
    char out[32];
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        T_EQ_INT(wg_open311_parse_time(good[i].in, &t, &err), WG_OK);
        T_EQ_INT(t, good[i].t);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        T_EQ_INT(wg_open311_parse_time(bad[i], &t, &err), WG_EINVAL);
        T_CHECK(has(err.msg, "W3C"));
    }
    wg_open311_format_time(784041330, out);
    T_EQ_STR(out, "1994-11-05T21:15:30+08:00");
    wg_open311_utc_time(784041330, out);
    T_EQ_STR(out, "1994-11-05T13:15:30Z");
    wg_open311_local_time("1994-11-05T13:15:30Z", out);
    T_EQ_STR(out, "1994-11-05T21:15:30+08:00");
    wg_open311_local_time("garbage", out);
    T_EQ_STR(out, "");
}

static void test_statuses(void)
{
    static const char *const open[] = {"received", "dispatched", "signed", "returning",
                                       "suspended"};
    static const char *const closed[] = {"replied", "verified", "closed", "merged", "invalid"};
    struct wg_err err = {0};
    char *s = NULL;
    for (size_t i = 0; i < 5; i++) {
        T_EQ_STR(wg_open311_status(open[i]), "open");
        T_EQ_STR(wg_open311_status(closed[i]), "closed");
        T_CHECK(wg_open311_status_notes(open[i])[0] && wg_open311_status_notes(closed[i])[0]);
    }
    T_EQ_STR(wg_open311_extended_status("dispatched"), "action_scheduled");
    T_EQ_STR(wg_open311_extended_status("signed"), "in_progress");
    T_EQ_STR(wg_open311_extended_status("replied"), "fixed");
    T_EQ_STR(wg_open311_extended_status("merged"), "duplicate");
    T_EQ_INT(wg_open311_states("closed", &s, &err), WG_OK);
    T_EQ_STR(s, "[\"replied\",\"verified\",\"closed\",\"merged\",\"invalid\"]");
    free(s);
    T_EQ_INT(wg_open311_states("open,closed", &s, &err), WG_OK);
    T_CHECK(s && strstr(s, "received") && strstr(s, "invalid"));
    free(s);
    T_EQ_INT(wg_open311_states("open,done", &s, &err), WG_EINVAL);
    T_CHECK(has(err.msg, "'done'"));
}

static void form_of(struct wg_form *f, const char *const *kv)
{
    wg_form_init(f);
    for (; kv[0]; kv += 2)
        wg_form_chunk(f, kv[0], NULL, NULL, kv[1], 0, strlen(kv[1]));
}

static void test_post(void)
{
    struct wg_catalog cat;
    struct wg_err err = {0};
    struct wg_form f;
    struct wg_open311_post p;
    wg_catalog_init(&cat);
    T_EQ_INT(wg_catalog_load_defaults(&cat, &err), WG_OK);
    const char *ok[] = {"api_key",
                        "k",
                        "service_code",
                        "2108",
                        "lat",
                        "35.1",
                        "long",
                        "118.2",
                        "attribute[lamp]",
                        "LS-1",
                        "attribute[count]",
                        "more",
                        "attribute[since]",
                        "",
                        "first_name",
                        "三",
                        NULL};
    form_of(&f, ok);
    T_EQ_INT(wg_open311_post_parse(&cat, &f, &p, &err), WG_OK);
    T_CHECK(p.has_point && p.lat == 35.1 && p.lon == 118.2 && !strcmp(p.api_key, "k"));
    char *s = json_dumps(p.attributes, JSON_COMPACT | JSON_SORT_KEYS);
    T_EQ_STR(s, "{\"count\":\"more\",\"lamp\":\"LS-1\"}"); /* a blank optional one is absent */
    free(s);
    wg_open311_post_release(&p);
    wg_form_release(&f);

    const char *multi[] = {"service_code",
                           "06028",
                           "address_id",
                           "A-1",
                           "attribute[source][]",
                           "shop",
                           "attribute[source][]",
                           "other",
                           "attribute[when]",
                           "2026-01-15T23:30:00+08:00",
                           NULL};
    form_of(&f, multi);
    T_EQ_INT(wg_open311_post_parse(&cat, &f, &p, &err), WG_OK);
    s = json_dumps(p.attributes, JSON_COMPACT | JSON_SORT_KEYS);
    T_EQ_STR(s, "{\"source\":[\"shop\",\"other\"],\"when\":\"2026-01-15T23:30:00+08:00\"}");
    free(s);
    wg_open311_post_release(&p);
    wg_form_release(&f);

    static const struct {
        const char *kv[16];
        enum wg_rc rc;
        const char *msg;
    } bad[] = {
        {{"lat", "1", "long", "2", NULL}, WG_EINVAL, "service_code is required"},
        {{"service_code", "9999", NULL}, WG_ENOTFOUND, "'9999'"},
        {{"service_code", "2501", NULL}, WG_ENOTFOUND, "'2501'"},
        {{"service_code", "06901", NULL}, WG_EINVAL, "the place is required"},
        {{"service_code", "06901", "lat", "1", NULL}, WG_EINVAL, "lat and long"},
        {{"service_code", "06901", "lat", "x", "long", "1", NULL}, WG_EINVAL, "'lat'"},
        {{"service_code", "06901", "lat", "1", "long", "181", NULL}, WG_EINVAL, "'long'"},
        {{"service_code", "2108", "address_id", "1", "attribute[lamp]", "a", NULL},
         WG_EINVAL,
         "'count' is required"},
        {{"service_code", "2108", "address_id", "1", "attribute[lamp]", "a", "attribute[count]",
          "3", NULL},
         WG_EINVAL,
         "not one of 1, 2-5, more"},
        {{"service_code", "2108", "address_id", "1", "attribute[lamp]", "a\nb", "attribute[count]",
          "1", NULL},
         WG_EINVAL,
         "one line"},
        {{"service_code", "2108", "address_id", "1", "attribute[lamp]", "a", "attribute[lamp]", "b",
          "attribute[count]", "1", NULL},
         WG_EINVAL,
         "takes one value"},
        {{"service_code", "2108", "address_id", "1", "attribute[lamp", "a", NULL},
         WG_EINVAL,
         "not an attribute field"},
        {{"service_code", "06028", "address_id", "1", "attribute[source]", "shop",
          "attribute[source]", "shop", "attribute[when]", "2026-01-15", NULL},
         WG_EINVAL,
         "given twice"},
        {{"service_code", "2107", "address_id", "1", "attribute[size]", "1e999", NULL},
         WG_EINVAL,
         "must be a number"},
        {{"service_code", "06901", "address_id", "1", "email", "nobody", NULL}, WG_EINVAL, "email"},
        {{"service_code", "06901", "address_id", "1", "phone", "123", NULL}, WG_EINVAL, "phone"},
        {{"service_code", "06901", "address_id", "1", "description", "\xff\xfe", NULL},
         WG_EINVAL,
         "UTF-8"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        form_of(&f, bad[i].kv);
        T_EQ_INT(wg_open311_post_parse(&cat, &f, &p, &err), bad[i].rc);
        T_CHECK(has(err.msg, bad[i].msg));
        wg_open311_post_release(&p);
        wg_form_release(&f);
    }
    /* the services and a definition */
    json_t *svc = wg_open311_services_json(&cat);
    size_t n = 0;
    for (size_t i = 0; i < cat.n; i++)
        n += cat.items[i].public_intake;
    T_EQ_INT(json_array_size(svc), n);
    json_decref(svc);
    json_t *def = wg_open311_definition_json(wg_catalog_find(&cat, "2108"));
    T_EQ_STR(json_string_value(
                 json_object_get(json_array_get(json_object_get(def, "attributes"), 1), "code")),
             "count");
    json_decref(def);
    wg_catalog_release(&cat);
}

static const char *items(const char *list)
{
    return !strcmp(list, "errors") ? "error" : NULL;
}

static void test_xml(void)
{
    struct wg_buf b;
    json_t *v =
        json_pack("[{s:i,s:s,s:n,s:b,s:f,s:[s,s]}]", "code", 400, "description",
                  "a < b & \"c\" 'd' >\x01 路灯", "none", "ok", 1, "x", 1.5, "tags", "a", "b");
    wg_buf_init(&b, 4096);
    T_EQ_INT(wg_xml_render(&b, "errors", v, items), WG_OK);
    T_EQ_STR(wg_buf_str(&b),
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<errors><error><code>400</code>"
             "<description>a &lt; b &amp; &quot;c&quot; &apos;d&apos; &gt; 路灯</description>"
             "<none></none><ok>true</ok><x>1.5</x><tags><tags>a</tags><tags>b</tags></tags>"
             "</error></errors>\n");
    wg_buf_release(&b);
    json_decref(v);
    wg_buf_init(&b, 64);
    wg_xml_escape(&b, "\xef\xbf\xbfok\xef\xbf\xbe", 9);
    T_EQ_STR(wg_buf_str(&b), "ok");
    wg_buf_release(&b);
    T_EQ_STR(wg_open311_xml_item("service_requests"), "request");
    T_EQ_STR(wg_open311_xml_item("service_request_updates"), "request_update");
    T_CHECK(wg_open311_xml_item("nothing") == NULL);
}

static void test_form(void)
{
    struct wg_form f;
    wg_form_init(&f);
    f.max_value = 10;
    T_EQ_INT(wg_form_chunk(&f, "a", NULL, NULL, "12345", 0, 5), WG_OK);
    T_EQ_INT(wg_form_chunk(&f, "a", NULL, NULL, "678", 5, 3), WG_OK);
    T_EQ_INT(wg_form_chunk(&f, "m", "p.png", "image/png", "\0\1", 0, 2), WG_OK);
    T_EQ_STR(wg_form_value(&f, "a"), "12345678");
    T_CHECK(wg_form_get(&f, "m")->len == 2 && !strcmp(wg_form_get(&f, "m")->filename, "p.png"));
    T_CHECK(wg_form_value(&f, "zz") == NULL);
    T_EQ_INT(wg_form_chunk(&f, "a", NULL, NULL, "9", 9, 1), WG_EINVAL); /* out of order */
    T_CHECK(has(f.msg, "out of order"));
    T_EQ_INT(wg_form_chunk(&f, "b", NULL, NULL, "1", 0, 1), WG_EINVAL); /* it stays failed */
    wg_form_release(&f);
    wg_form_init(&f);
    f.max_value = 10;
    T_EQ_INT(wg_form_chunk(&f, "a", NULL, NULL, "12345678901", 0, 11), WG_ETOOBIG);
    wg_form_release(&f);
    wg_form_init(&f);
    for (int i = 0; i < WG_FORM_FIELDS_MAX; i++)
        T_EQ_INT(wg_form_chunk(&f, "k", NULL, NULL, "v", 0, 1), WG_OK);
    T_EQ_INT(wg_form_chunk(&f, "k", NULL, NULL, "v", 0, 1), WG_ETOOBIG);
    wg_form_release(&f);
}

/* Paths ending in ".xml" or ".json", against the real route table. */
static void test_routes(void)
{
    static const struct {
        const char *method, *path, *pattern, *p0, *p1;
    } cases[] = {
        {"GET", "/open311/v2/services.xml", "/open311/v2/services.{format}", "xml", NULL},
        {"GET", "/open311/v2/services/2108.json", "/open311/v2/services/{code}.{format}", "2108",
         "json"},
        {"GET", "/open311/v2/services/06.9.json", "/open311/v2/services/{code}.{format}", "06.9",
         "json"},
        {"POST", "/open311/v2/requests.json", "/open311/v2/requests.{format}", "json", NULL},
        {"GET", "/open311/v2/requests/371302-20260115-000001.xml",
         "/open311/v2/requests/{id}.{format}", "371302-20260115-000001", "xml"},
        {"GET", "/open311/v2/tokens/ab12.json", "/open311/v2/tokens/{token}.{format}", "ab12",
         "json"},
        {"GET", "/open311/v2/servicerequestupdates.xml",
         "/open311/v2/servicerequestupdates.{format}", "xml", NULL},
        {"GET", "/api/v1/regions/3713/grids.geojson", "/api/v1/regions/{code}/grids.geojson",
         "3713", NULL},
    };
    static const char *const none[] = {
        "/open311/v2/services", "/open311/v2/services.", "/open311/v2/services/.json",
        "/open311/v2/requests/a/b.json", "/open311/v2/services/2108"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct wg_req req = {0};
        int pm;
        req.arena = wg_arena_new();
        const struct wg_route *r =
            wg_route_match(wg_routes, wg_nroutes, cases[i].method, cases[i].path, &req, &pm);
        T_CHECK(r && !strcmp(r->pattern, cases[i].pattern));
        if (r) {
            T_EQ_STR(req.params[0], cases[i].p0);
            if (cases[i].p1)
                T_EQ_STR(req.params[1], cases[i].p1);
        }
        wg_arena_free(req.arena);
    }
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        struct wg_req req = {0};
        int pm;
        req.arena = wg_arena_new();
        /* no Open311 route: at most the console's files, which answer every other GET */
        const struct wg_route *r = wg_route_match(wg_routes, wg_nroutes, "GET", none[i], &req, &pm);
        T_CHECK(!r || !strncmp(r->pattern, "/{", 2));
        wg_arena_free(req.arena);
    }
}

int main(void)
{
    test_times();
    test_statuses();
    test_post();
    test_xml();
    test_form();
    test_routes();
    return T_DONE("open311");
}
