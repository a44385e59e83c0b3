/* Core pieces: region codes, CSV reading, the string builder, route matching, error table,
 * query-parameter parsing, UTF-8. */
#include "t.h"

#include <stdint.h>

#include "api/app.h"
#include "core/jfield.h"
#include "core/param.h"
#include "core/utf8.h"
#include "core/buf.h"
#include "core/csv.h"
#include "domain/map/region.h"
#include "http/route.h"

static void test_region_levels(void)
{
    static const struct {
        const char *code;
        enum wg_level lvl;
        const char *parent;
    } cases[] = {
        {"37", WG_LEVEL_PROVINCE, NULL},
        {"3713", WG_LEVEL_CITY, "37"},
        {"371302", WG_LEVEL_COUNTY, "3713"},
        {"371302001", WG_LEVEL_TOWN, "371302"},
        {"371302001001", WG_LEVEL_VILLAGE, "371302001"},
        {"371302001001001", WG_LEVEL_GRID, "371302001001"},
        {"371302001001001001", WG_LEVEL_MICRO, "371302001001001"},
        {"3", WG_LEVEL_NONE, NULL},
        {"37130", WG_LEVEL_NONE, NULL},
        {"37a302", WG_LEVEL_NONE, NULL},
        {"", WG_LEVEL_NONE, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct wg_err err = {0};
        char parent[16];
        T_EQ_INT(wg_region_level(cases[i].code, &err), cases[i].lvl);
        if (cases[i].lvl == WG_LEVEL_NONE)
            T_CHECK(err.rc == WG_EINVAL && err.msg[0]);
        if (cases[i].parent) {
            T_CHECK(wg_region_parent(cases[i].code, parent, sizeof parent));
            T_EQ_STR(parent, cases[i].parent);
        } else {
            T_CHECK(!wg_region_parent(cases[i].code, parent, sizeof parent));
        }
    }
    struct wg_err err = {0};
    wg_region_level("37a302", &err);
    T_CHECK(strstr(err.msg, "position 3") != NULL);
    T_EQ_STR(wg_level_name(WG_LEVEL_TOWN), "town");
    /* lengths, children, floors and ancestors: what other modules ask instead of counting */
    T_EQ_INT(wg_level_code_len(WG_LEVEL_COUNTY), 6);
    T_EQ_INT(wg_level_code_len(WG_LEVEL_NONE), 0);
    T_EQ_INT(wg_level_of_len(9), WG_LEVEL_TOWN);
    T_EQ_INT(wg_level_of_len(5), WG_LEVEL_NONE);
    static const size_t child[][2] = {{0, 2},   {2, 4},   {4, 6},  {6, 9}, {9, 12},
                                      {12, 15}, {15, 18}, {18, 0}, {5, 0}};
    for (size_t i = 0; i < sizeof child / sizeof child[0]; i++)
        T_EQ_INT(wg_level_child_len(child[i][0]), child[i][1]);
    T_EQ_INT(wg_level_floor_len(15, WG_LEVEL_TOWN), 9);
    T_EQ_INT(wg_level_floor_len(6, WG_LEVEL_TOWN), 6);
    T_EQ_INT(wg_level_floor_len(5, WG_LEVEL_TOWN), 4);
    T_EQ_INT(wg_level_floor_len(1, WG_LEVEL_TOWN), 0);
    char anc[16];
    T_CHECK(wg_region_prefix("371302001001001", WG_LEVEL_COUNTY, anc, sizeof anc));
    T_EQ_STR(anc, "371302");
    T_CHECK(!wg_region_prefix("3713", WG_LEVEL_COUNTY, anc, sizeof anc));
    T_EQ_STR(anc, "");
    T_CHECK(!wg_region_prefix("371302001001001", WG_LEVEL_VILLAGE, anc, 12)); /* no room */
}

struct rows {
    int n;
    char first[8][64];
    int nfields[8];
};

static enum wg_rc collect(const struct wg_csv_record *r, void *ctx, struct wg_err *err)
{
    struct rows *rows = ctx;
    (void)err;
    if (rows->n < 8) {
        snprintf(rows->first[rows->n], 64, "%s|%s", r->fields[0],
                 r->nfields > 1 ? r->fields[1] : "");
        rows->nfields[rows->n] = r->nfields;
    }
    rows->n++;
    return WG_OK;
}

static void test_csv(void)
{
    const char *ok = "\xEF\xBB\xBF"
                     "code,name\r\n37,\"山东省\"\n\n3713,\"a \"\"quoted\"\", b\"\n371302,plain";
    struct rows rows = {0};
    struct wg_err err = {0};
    T_EQ_INT(wg_csv_parse(ok, strlen(ok), collect, &rows, &err), WG_OK);
    T_EQ_INT(rows.n, 4);
    T_EQ_STR(rows.first[0], "code|name");
    T_EQ_STR(rows.first[1], "37|山东省");
    T_EQ_STR(rows.first[2], "3713|a \"quoted\", b");
    T_EQ_STR(rows.first[3], "371302|plain");
    static const struct {
        const char *text;
        const char *msg;
    } bad[] = {
        {"a,b\n1,\"open", "line 2: a quoted field is not closed"},
        {"a,b\n1,\"x\"y", "line 2: unexpected text after a closing quote"},
        {"a,b\n1,x\"y", "line 2: a quote inside an unquoted field"},
        {"1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,"
         "32,33",
         "more than 32 fields"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&rows, 0, sizeof rows);
        wg_err_clear(&err);
        T_EQ_INT(wg_csv_parse(bad[i].text, strlen(bad[i].text), collect, &rows, &err), WG_EINVAL);
        T_CHECK(strstr(err.msg, bad[i].msg) != NULL);
    }
}

static void test_buf(void)
{
    struct wg_buf b;
    char *s;
    size_t len;
    wg_buf_init(&b, 16);
    T_EQ_INT(wg_buf_addf(&b, "%d-%s", 42, "abc"), WG_OK);
    T_EQ_STR(wg_buf_str(&b), "42-abc");
    T_EQ_INT(wg_buf_adds(&b, "0123456789abc"), WG_ETOOBIG);
    T_EQ_INT(wg_buf_adds(&b, "x"), WG_ETOOBIG); /* sticky */
    T_EQ_STR(wg_buf_str(&b), "42-abc");         /* never truncated */
    wg_buf_reset(&b);
    T_EQ_INT(wg_buf_adds(&b, "ok"), WG_OK);
    s = wg_buf_detach(&b, &len);
    T_EQ_STR(s, "ok");
    T_EQ_INT(len, 2);
    free(s);
    wg_buf_release(&b);
}

static enum wg_rc h1(struct wg_req *req, struct wg_err *err)
{
    (void)req;
    (void)err;
    return WG_OK;
}

static void test_routes(void)
{
    static const struct wg_route routes[] = {
        {"GET", "/api/v1/regions/{code}/grids.geojson", h1, 0, 0, WG_BODY_NONE, NULL},
        {"GET", "/api/v1/regions/{code}", h1, 0, 0, WG_BODY_NONE, NULL},
        {"POST", "/api/v1/orders/{id}/actions/{name}", h1, 0, 0, WG_BODY_NONE, NULL},
        {"GET", "/open311/v2/requests/{id}.json", h1, 0, 0, WG_BODY_NONE, NULL},
    };
    struct wg_req req = {0};
    int pm;
    req.arena = wg_arena_new();
    T_CHECK(wg_route_match(routes, 4, "GET", "/api/v1/regions/37/grids.geojson", &req, &pm) ==
            &routes[0]);
    T_EQ_STR(req.params[0], "37");
    T_CHECK(wg_route_match(routes, 4, "GET", "/api/v1/regions/371302", &req, &pm) == &routes[1]);
    T_EQ_STR(req.params[0], "371302");
    T_CHECK(wg_route_match(routes, 4, "POST", "/api/v1/orders/9/actions/dispatch", &req, &pm) ==
            &routes[2]);
    T_EQ_STR(req.params[0], "9");
    T_EQ_STR(req.params[1], "dispatch");
    T_CHECK(wg_route_match(routes, 4, "GET", "/open311/v2/requests/12.5.json", &req, &pm) ==
            &routes[3]);
    T_EQ_STR(req.params[0], "12.5");
    T_CHECK(wg_route_match(routes, 4, "DELETE", "/api/v1/regions/37", &req, &pm) == NULL);
    T_CHECK(pm == 1);
    T_CHECK(wg_route_match(routes, 4, "GET", "/api/v1/regions/", &req, &pm) == NULL);
    T_CHECK(pm == 0);
    T_CHECK(wg_route_match(routes, 4, "GET", "/api/v1/regions/37/x", &req, &pm) == NULL);
    wg_arena_free(req.arena);
}

/* A catch-all {name*} takes the rest of the path, is tried after every other route wherever
 * it stands, never answers for a path another route has (that stays a 405) and never makes
 * a 405 itself. */
static void test_catch_all_route(void)
{
    static const struct wg_route routes[] = {
        {"GET", "/{path*}", h1, 0, 0, WG_BODY_NONE, NULL},
        {"GET", "/", h1, 0, 0, WG_BODY_NONE, NULL},
        {"POST", "/api/v1/session", h1, 0, 0, WG_BODY_NONE, NULL},
        {"GET", "/api/v1/regions/{code}", h1, 0, 0, WG_BODY_NONE, NULL},
    };
    struct wg_req req = {0};
    int pm;
    req.arena = wg_arena_new();
    T_CHECK(wg_route_match(routes, 4, "GET", "/api/v1/regions/37", &req, &pm) == &routes[3]);
    T_EQ_STR(req.params[0], "37");
    T_CHECK(wg_route_match(routes, 4, "GET", "/", &req, &pm) == &routes[1]);
    T_CHECK(wg_route_match(routes, 4, "GET", "/orders/12", &req, &pm) == &routes[0]);
    T_EQ_STR(req.params[0], "orders/12");
    T_CHECK(wg_route_match(routes, 4, "HEAD", "/assets/a-1.js", &req, &pm) == &routes[0]);
    T_EQ_STR(req.params[0], "assets/a-1.js");
    T_CHECK(wg_route_match(routes, 4, "GET", "/api/v1/session", &req, &pm) == NULL);
    T_CHECK(pm == 1); /* a 405, not the console */
    T_CHECK(wg_route_match(routes, 4, "POST", "/dispatch", &req, &pm) == NULL);
    T_CHECK(pm == 0); /* a 404 */
    wg_arena_free(req.arena);
}

/* The request line's URL checks made before the HTTP engine parses the query. */
static void test_uri_refusal(void)
{
    static const struct {
        const char *uri;
        int want;
    } cases[] = {
        {"/healthz", 0}, {"/api/v1/regions?q=a&b=c", 0},
        {"/x?", 0},      {"/x?&&&", 0}, /* 4 fields, empty ones counted too */
        {"/x%3F&a", 0},                 /* no query: '&' in the path is no field */
    };
    char big[WG_URL_MAX + 2], many[8 * WG_QUERY_PARAMS_MAX + 16];
    size_t n = 0;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        T_EQ_INT(wg_uri_refusal(cases[i].uri), cases[i].want);
    memset(big, 'a', sizeof big - 1);
    big[0] = '/';
    big[sizeof big - 1] = '\0';
    T_EQ_INT(wg_uri_refusal(big), 414); /* one byte over */
    big[sizeof big - 2] = '\0';
    T_EQ_INT(wg_uri_refusal(big), 0); /* at the limit */
    n += (size_t)snprintf(many, sizeof many, "/x?p=1");
    for (int i = 1; i < WG_QUERY_PARAMS_MAX; i++)
        n += (size_t)snprintf(many + n, sizeof many - n, "&p=%d", i % 10);
    T_EQ_INT(wg_uri_refusal(many), 0); /* 100 fields */
    snprintf(many + n, sizeof many - n, "&q");
    T_EQ_INT(wg_uri_refusal(many), 400); /* 101 */
}

static void test_errors(void)
{
    struct wg_err err = {0};
    T_EQ_INT(wg_err_set(&err, WG_ENOTFOUND, "grid '%s' does not exist", "1"), WG_ENOTFOUND);
    wg_err_prefix(&err, "feature %d", 3);
    T_EQ_STR(err.msg, "feature 3: grid '1' does not exist");
    struct wg_err more = {0};
    wg_err_set(&more, WG_EDB, "disk full");
    wg_err_also(&err, &more);
    T_EQ_STR(err.msg, "feature 3: grid '1' does not exist (and disk full)");
    T_EQ_INT(err.rc, WG_ENOTFOUND);
    wg_err_also(NULL, &more); /* nothing to add to */
    T_EQ_STR(wg_rc_code(WG_ENOTFOUND), "not_found");
    T_EQ_INT(wg_rc_http_status(WG_ETOOBIG), 413);
    T_EQ_INT(wg_rc_http_status(WG_EPRECOND), 412);
}

/* Query parameters: a refusal is WG_EINVAL naming the parameter; an absent count keeps its
 * default. */
static void test_params(void)
{
    static const struct {
        const char *s;
        enum wg_rc rc;
        long long out;
        const char *msg;
    } counts[] = {
        {NULL, WG_OK, 7, NULL},
        {"1", WG_OK, 1, NULL},
        {"20", WG_OK, 20, NULL},
        {"", WG_EINVAL, 7, "query parameter 'limit' must be 1 to 20, not ''"},
        {"0", WG_EINVAL, 7, "query parameter 'limit' must be 1 to 20, not '0'"},
        {"21", WG_EINVAL, 7, "query parameter 'limit' must be 1 to 20, not '21'"},
        {"3x", WG_EINVAL, 7, "query parameter 'limit' must be 1 to 20, not '3x'"},
        {"99999999999999999999", WG_EINVAL, 7, NULL},
        /* digits alone: what a person did not mean is refused, not read */
        {" 5", WG_EINVAL, 7, NULL},
        {"+5", WG_EINVAL, 7, NULL},
        {"5 ", WG_EINVAL, 7, NULL},
        {"0x10", WG_EINVAL, 7, NULL},
        {"-3", WG_EINVAL, 7, NULL},
        {"٣", WG_EINVAL, 7, NULL},
    };
    static const struct {
        const char *s;
        enum wg_rc rc;
        const char *msg;
    } texts[] = {
        {"噪", WG_OK, NULL},
        {"1234", WG_OK, NULL},
        {NULL, WG_EINVAL, "query parameter 'text' is required"},
        {"", WG_EINVAL, "query parameter 'text' is empty"},
        {"12345", WG_EINVAL, "query parameter 'text' is longer than 4 bytes"},
    };
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        struct wg_err err = {0};
        long long out = 7;
        T_EQ_INT(wg_param_count(counts[i].s, "limit", 1, 20, &out, &err), counts[i].rc);
        T_EQ_INT(out, counts[i].out);
        if (counts[i].msg)
            T_EQ_STR(err.msg, counts[i].msg);
    }
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        struct wg_err err = {0};
        T_EQ_INT(wg_param_text(texts[i].s, "text", 4, &err), texts[i].rc);
        if (texts[i].msg)
            T_EQ_STR(err.msg, texts[i].msg);
    }
    /* a range that allows negatives takes a leading '-' and nothing else */
    struct wg_err err = {0};
    long long v = 0;
    T_EQ_INT(wg_param_count("-3", "delta", -10, 10, &v, &err), WG_OK);
    T_EQ_INT(v, -3);
    T_EQ_INT(wg_param_count("--3", "delta", -10, 10, &v, &err), WG_EINVAL);
    T_EQ_INT(wg_param_count("-", "delta", -10, 10, &v, &err), WG_EINVAL);
}

/* Times are a real UTC time or a prefix of one, its "Z" dropped for comparing as text; ids in
 * paths are their digits exactly as written. */
static void test_times_and_ids(void)
{
    static const struct {
        const char *s, *out;
    } times[] = {
        {"2026-01-31", "2026-01-31"},
        {"2026-01-31T08", "2026-01-31T08"},
        {"2026-01-31T08:00:00Z", "2026-01-31T08:00:00"},
        {"2024-02-29T23:59:59.999Z", "2024-02-29T23:59:59.999"},
        {"';--", NULL},
        {"2026-13-01", NULL},
        {"2026-02-29", NULL}, /* not a leap year */
        {"2026-01-31T24:00", NULL},
        {"2026-01-31T08:60", NULL},
        {"2026-01-31 08:00", NULL},
        {"2026-01-31Z0", NULL},
        {"2026-1-31", NULL},
        {"", NULL},
        {"Z", NULL},
    };
    static const struct {
        const char *s;
        int ok;
        long long out;
    } ids[] = {
        {"1", 1, 1},
        {"120", 1, 120},
        {"01", 0, 0},
        {"0", 0, 0},
        {" 1", 0, 0},
        {"+1", 0, 0},
        {"1 ", 0, 0},
        {"", 0, 0},
        {"1.0", 0, 0},
        {"1%00", 0, 0},
        {"99999999999999999999", 0, 0},
    };
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
        struct wg_err err = {0};
        char out[32] = "";
        enum wg_rc rc = wg_param_time(times[i].s, "since", out, &err);
        T_EQ_INT(rc, times[i].out ? WG_OK : WG_EINVAL);
        if (times[i].out)
            T_EQ_STR(out, times[i].out);
        else
            T_CHECK(!strncmp(err.msg, "since '", 7) && strstr(err.msg, "not a UTC time"));
    }
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        long long v = 0;
        T_EQ_INT(wg_param_id(ids[i].s, 1, INT64_MAX, &v), ids[i].ok ? 0 : -1);
        T_EQ_INT(v, ids[i].out);
    }
    /* a newest-first list's cursor: "<time>.<id>", or nothing for the first page */
    static const struct {
        const char *s;
        long long at, id;
    } cursors[] = {{NULL, INT64_MAX, INT64_MAX},
                   {"", INT64_MAX, INT64_MAX},
                   {"1796000000.42", 1796000000, 42},
                   {"0.1", 0, 1},
                   {"1796000000", -1, 0},
                   {"1796000000.0", -1, 0},
                   {"-5.3", -1, 0},
                   {".3", -1, 0},
                   {"x.3", -1, 0},
                   {"1.3.4", -1, 0},
                   {"123456789012345678901234.1", -1, 0}};
    for (size_t i = 0; i < sizeof cursors / sizeof cursors[0]; i++) {
        struct wg_err err = {0};
        long long at = 0, id = 0;
        enum wg_rc rc = wg_param_time_cursor(cursors[i].s, &at, &id, &err);
        T_EQ_INT(rc, cursors[i].at < 0 ? WG_EINVAL : WG_OK);
        if (cursors[i].at >= 0) {
            T_EQ_INT(at, cursors[i].at);
            T_EQ_INT(id, cursors[i].id);
        } else {
            T_CHECK(strstr(err.msg, "'cursor'") != NULL);
        }
    }
}

/* The one UTF-8 decoder: RFC 3629's valid forms only, and cuts that never split one. */
static void test_utf8(void)
{
    static const struct {
        const char *s;
        size_t len, want;
        uint32_t cp;
    } seqs[] = {
        {"A", 1, 1, 'A'},
        {"\xC3\xA9", 2, 2, 0xE9},            /* é */
        {"\xE5\x85\xB0", 3, 3, 0x5170},      /* 兰 */
        {"\xF0\x9F\x98\x80", 4, 4, 0x1F600}, /* 😀 */
        {"\xC0\xAF", 2, 0, 0},               /* overlong '/' */
        {"\xE0\x80\xAF", 3, 0, 0},           /* overlong */
        {"\xED\xA0\x80", 3, 0, 0},           /* a surrogate */
        {"\xF4\x90\x80\x80", 4, 0, 0},       /* past U+10FFFF */
        {"\xE5\x85", 2, 0, 0},               /* cut short */
        {"\xE5\x85\x41", 3, 0, 0},           /* a continuation that is not one */
        {"\x80", 1, 0, 0},                   /* a lone continuation byte */
        {"\xFF", 1, 0, 0},
    };
    for (size_t i = 0; i < sizeof seqs / sizeof seqs[0]; i++) {
        uint32_t cp = 0;
        T_EQ_INT(wg_utf8_seq((const unsigned char *)seqs[i].s, seqs[i].len, &cp), seqs[i].want);
        if (seqs[i].want)
            T_EQ_INT(cp, seqs[i].cp);
    }
    /* a NUL-terminated string may say it has SIZE_MAX bytes: the NUL stops a sequence */
    T_EQ_INT(wg_utf8_seq((const unsigned char *)"\xE5", SIZE_MAX, NULL), 0);
    T_EQ_INT(wg_utf8_chars("兰山区 ok"), 6);
    T_EQ_INT(wg_utf8_prefix("兰山区", 2), 6);
    T_EQ_INT(wg_utf8_prefix("兰山区", 9), 9);
    T_EQ_INT(wg_utf8_prefix("", 3), 0);
    /* whole strings: valid or not; scrubbed for a log, stray bytes as U+FFFD, cut whole */
    char out[16];
    T_CHECK(wg_utf8_valid("兰山区 ok") && wg_utf8_valid(""));
    T_CHECK(!wg_utf8_valid("ok\xFF") && !wg_utf8_valid("\xC0\xAF") && !wg_utf8_valid("\xE5\xB1"));
    wg_utf8_scrub("a\xFF\xFE兰", out, sizeof out);
    T_EQ_STR(out, "a\xEF\xBF\xBD\xEF\xBF\xBD兰");
    wg_utf8_scrub("兰山区", out, 7); /* room for two characters and the NUL */
    T_EQ_STR(out, "兰山");
}

/* A body holding a key its route does not take is refused naming the key, nested ones by
 * their path; every route that reads a JSON body says which keys it takes. */
static void test_body_keys(void)
{
    static const char *const fields[] = {"title", "reporter.name", "reporter.phone", "tags", NULL};
    static const struct {
        const char *body, *msg;
    } cases[] = {
        {"{}", NULL},
        {"{\"title\": \"a\", \"tags\": {\"any\": 1}}", NULL},
        {"{\"reporter\": {\"name\": \"a\", \"phone\": \"b\"}}", NULL},
        {"{\"reporter\": \"not an object: the handler's to refuse\"}", NULL},
        {"{\"titel\": \"a\"}",
         "'titel' is not a field of an order (its fields: title, reporter, tags)"},
        {"{\"reporter\": {\"nmae\": \"a\"}}",
         "'reporter.nmae' is not a field of an order (its fields: name, phone)"},
        {"[1]", "an order must be a JSON object"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct wg_err err = {0};
        json_t *j = json_loads(cases[i].body, 0, NULL);
        enum wg_rc rc = wg_jf_known(j, fields, "an order", &err);
        T_EQ_INT(rc, cases[i].msg ? WG_EINVAL : WG_OK);
        if (cases[i].msg)
            T_EQ_STR(err.msg, cases[i].msg);
        json_decref(j);
    }
    for (size_t i = 0; i < wg_nroutes; i++) {
        const struct wg_route *r = &wg_routes[i];
        int json = (r->flags & (WG_R_JSON | WG_R_JSON_OPT)) != 0;
        if (json != (r->keys != NULL))
            fprintf(stderr, "route %s %s: a JSON body and its keys go together\n", r->method,
                    r->pattern);
        T_CHECK(json == (r->keys != NULL));
        T_CHECK(!r->keys || r->keys->of || (r->keys->names && r->keys->what));
    }
}

int main(void)
{
    test_utf8();
    test_region_levels();
    test_csv();
    test_buf();
    test_routes();
    test_catch_all_route();
    test_uri_refusal();
    test_errors();
    test_params();
    test_times_and_ids();
    test_body_keys();
    return T_DONE("core");
}
