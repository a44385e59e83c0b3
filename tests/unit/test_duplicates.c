/* Duplicate candidates (domain/orders/duplicates.h): the text's bigram similarity, the
 * distance, the item's radius in the catalog, and the radius and windows on a store of
 * either backend (WANGGE_TEST_PG). */
#include "t.h"
#include "t_order.h"
#include "t_store.h"

#include <jansson.h>

#include "domain/orders/dup_cache.h"
#include "domain/orders/duplicates.h"

static void similarity(void)
{
    static const struct {
        const char *a, *b;
        int want;
    } cases[] = {
        {"噪声扰民", "噪声扰民", 100},
        {"噪声扰民！", "噪声 扰民", 100}, /* spaces and punctuation left out */
        {"ＡＢＣ１２", "abc12", 100},     /* full-width folded, case folded */
        {"ABC", "abc", 100},
        {"楼下烧烤店很吵", "楼下烧烤店很吵闹", 85}, /* 6 bigrams of 7 */
        {"abcd", "abce", 50},                       /* 2 of 4: at the threshold */
        {"abcd", "abxy", 20},                       /* 1 of 5 */
        {"路灯不亮", "噪声扰民", 0},
        {"", "", 0},              /* nothing to compare */
        {"吵", "吵", 0},          /* one character: no bigram */
        {"，。！", "，。！", 0},  /* punctuation alone */
        {"烧烤 店", "烤烧店", 0}, /* order matters: 烧烤,烤店 vs 烤烧,烧店 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int got = wg_dup_similarity(cases[i].a, cases[i].b);
        if (got != cases[i].want)
            fprintf(stderr, "case %zu: '%s' ~ '%s'\n", i, cases[i].a, cases[i].b);
        T_EQ_INT(got, cases[i].want);
        T_EQ_INT(wg_dup_similarity(cases[i].b, cases[i].a), got); /* symmetric */
    }
    /* bytes that are not UTF-8 are left out, never read past */
    T_EQ_INT(wg_dup_similarity("ab\xff\xfe", "ab"), 100);
}

static void metres(void)
{
    static const struct {
        double lon1, lat1, lon2, lat2, want, tol;
    } cases[] = {
        {118.303, 35.003, 118.303, 35.003, 0, 1e-9},
        {118.303, 35.003, 118.303, 35.004, 111.2, 0.2}, /* a thousandth of a degree north */
        {118.303, 35.003, 118.304, 35.003, 91.1, 0.2},  /* ... east, at 35° */
        {118.303, 35.003, 118.3035, 35.003, 45.6, 0.2},
        {116.397, 39.909, 121.473, 31.230, 1067000, 5000}, /* Beijing to Shanghai */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        T_NEAR(wg_dup_metres(cases[i].lon1, cases[i].lat1, cases[i].lon2, cases[i].lat2),
               cases[i].want, cases[i].tol);
}

/* The item's radius: its own, its parent's, the default; and in the catalog's JSON. */
static void radius_setting(void)
{
    struct wg_catalog cat;
    struct wg_err err = {0};
    wg_catalog_init(&cat);
    T_EQ_INT(wg_catalog_load_defaults(&cat, &err), WG_OK);
    T_EQ_INT(wg_catalog_dup_radius(&cat, "06028"), WG_CATALOG_DUP_RADIUS_DEFAULT);
    T_EQ_INT(wg_catalog_dup_radius(&cat, "nope"), WG_CATALOG_DUP_RADIUS_DEFAULT);
    T_EQ_INT(wg_catalog_dup_radius(NULL, "06028"), WG_CATALOG_DUP_RADIUS_DEFAULT);
    ((struct wg_catalog_item *)wg_catalog_find(&cat, "06"))->dup_radius = 500;
    T_EQ_INT(wg_catalog_dup_radius(&cat, "06028"), 500); /* the parent's */
    ((struct wg_catalog_item *)wg_catalog_find(&cat, "06028"))->dup_radius = 50;
    T_EQ_INT(wg_catalog_dup_radius(&cat, "06028"), 50);
    /* out and back in through JSON */
    json_t *j = wg_catalog_to_json(&cat);
    struct wg_catalog back;
    T_CHECK(j != NULL);
    wg_catalog_init(&back);
    T_EQ_INT(wg_catalog_from_json(&back, j, &err), WG_OK);
    T_EQ_INT(wg_catalog_dup_radius(&back, "06028"), 50);
    T_EQ_INT(wg_catalog_dup_radius(&back, "06901"), 500);
    wg_catalog_release(&back);
    /* bad values are refused, naming the item and the field */
    json_t *items = json_object_get(j, "items");
    json_t *bad[] = {json_integer(0), json_integer(WG_CATALOG_DUP_RADIUS_MAX + 1),
                     json_string("200"), json_real(1.5)};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_object_set_new(json_array_get(items, 0), "duplicate_radius_m", bad[i]);
        err = (struct wg_err){0};
        wg_catalog_init(&back);
        T_EQ_INT(wg_catalog_from_json(&back, j, &err), WG_EINVAL);
        T_CHECK(strstr(err.msg, "'duplicate_radius_m'") && strstr(err.msg, "items[0]"));
        wg_catalog_release(&back);
    }
    json_decref(j);
    wg_catalog_release(&cat);
}

/* An order of item at a point east of (118.303, 35.003), received at t, inserted as intake
 * would (the point set after prepare: the test has no grids to locate it in). */
static long long put(struct wg_db *db, const struct wg_order_env *env, const char *item,
                     double east_m, const char *phone, const char *content, long long t)
{
    struct wg_order_input in;
    struct wg_order_draft d;
    struct wg_actor agent;
    struct wg_err err = {0};
    long long id = 0;
    t_actor(&agent, "agent", "agent", "region", "");
    t_order_input(&in, "噪声扰民", content);
    in.item = item;
    in.reporter_phone = phone;
    T_EQ_INT(wg_order_prepare(env, NULL, &agent, &in, t, &d, &err), WG_OK);
    d.row.has_point = 1;
    d.row.lat = 35.003;
    d.row.lon = 118.303 + east_m / (111320.0 * cos(35.003 * M_PI / 180));
    T_EQ_INT(wg_db_begin(db, &err), WG_OK);
    T_EQ_INT(wg_order_insert(db, &d, &err), WG_OK);
    T_EQ_INT(wg_db_commit(db, &err), WG_OK);
    id = d.row.id;
    wg_order_draft_release(&d);
    return id;
}

/* The candidates of a new order like put()'s, as "id:reason,reason;..." in their order. */
static void found(struct wg_db *db, const struct wg_order_env *env, const char *item,
                  const char *phone, const char *content, long long t, char *out, size_t n)
{
    struct wg_order_input in;
    struct wg_order_draft d;
    struct wg_actor agent;
    struct wg_err err = {0};
    size_t i, k;
    json_t *c, *r;
    t_actor(&agent, "agent", "agent", "region", "");
    t_order_input(&in, "噪声扰民", content);
    in.item = item;
    in.reporter_phone = phone;
    T_EQ_INT(wg_order_prepare(env, NULL, &agent, &in, t, &d, &err), WG_OK);
    d.row.has_point = 1;
    d.row.lon = 118.303;
    d.row.lat = 35.003;
    T_EQ_INT(wg_order_duplicates(db, env, &d, t, &err), WG_OK);
    out[0] = '\0';
    json_t *all = d.dups_all ? json_incref(d.dups_all) : json_array();
    T_CHECK(!d.dups == !d.dups_all); /* kept, and answered, together */
    json_array_foreach(all, i, c)
    {
        snprintf(out + strlen(out), n - strlen(out), "%s%lld:", i ? ";" : "",
                 (long long)json_integer_value(json_object_get(c, "id")));
        json_array_foreach(json_object_get(c, "reasons"), k, r)
            snprintf(out + strlen(out), n - strlen(out), "%s%s", k ? "," : "",
                     json_string_value(json_object_get(r, "reason")));
    }
    json_decref(all);
    wg_order_draft_release(&d);
}

/* The searches on a store, by the store's statements or (cached) by the window kept in
 * memory (dup_cache.h): the same answers. */
static void on_a_store(int cached)
{
    char dir[] = "/tmp/wangge-dups-XXXXXX", got[256];
    struct wg_err err = {0};
    struct wg_store *st;
    struct wg_db *db;
    struct t_order o;
    long long now = 1790000000; /* 2026-09-21 */
    T_CHECK(mkdtemp(dir) != NULL);
    T_EQ_INT(wg_store_open(t_store_where(dir, 1), 1, &st, &err), WG_OK);
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    t_order_open(&o, dir, 0);
    if (cached)
        o.env.dups = wg_dup_cache_new();
    long long in190 = put(db, &o.env, "06028", 190, NULL, "甲乙丙丁", now - 3600);
    long long out210 = put(db, &o.env, "06028", 210, NULL, "戊己庚辛", now - 3600);
    put(db, &o.env, "09006", 10, NULL, "壬癸子丑", now - 3600); /* another item */
    long long old = put(db, &o.env, "06028", 10, NULL, "寅卯辰巳", now - 8 * 86400);
    long long alike = put(db, &o.env, "2108", 3000, NULL, "楼下烧烤店每天半夜很吵", now - 60);
    found(db, &o.env, "06028", NULL, "楼下烧烤店每天半夜很吵！", now, got, sizeof got);
    char want[256];
    snprintf(want, sizeof want, "%lld:similar_text;%lld:item_near", alike, in190);
    T_EQ_STR(got, want); /* newest first among one reason each */
    /* a wider radius for the item takes the one at 210 m in */
    ((struct wg_catalog_item *)wg_catalog_find(&o.cat, "06028"))->dup_radius = 250;
    found(db, &o.env, "06028", NULL, "无关的内容", now, got, sizeof got);
    snprintf(want, sizeof want, "%lld:item_near;%lld:item_near", out210, in190);
    T_EQ_STR(got, want);
    (void)old; /* eight days back: outside the item's week */
    /* the same phone in the month, not past it */
    long long month = put(db, &o.env, NULL, 5000, "13812345678", "卯辰", now - 29 * 86400);
    put(db, &o.env, NULL, 5000, "13812345678", "巳午", now - 31 * 86400);
    found(db, &o.env, "2108", "138 1234 5678", "未申酉戌", now, got, sizeof got);
    snprintf(want, sizeof want, "%lld:same_phone", month);
    T_EQ_STR(got, want);
    wg_dup_cache_free(o.env.dups);
    wg_store_put(db);
    wg_store_close(st);
    t_order_close(&o);
    t_store_drop(dir);
    T_REMOVE_DIR(dir);
}

/* Takes action on order id (at version) as the centre's agent, with body (JSON text). */
static void act(struct wg_db *db, const struct wg_order_env *env, long long id,
                enum wg_order_action action, const char *body, int version, long long t)
{
    struct wg_actor agent;
    struct wg_err err = {0};
    json_error_t je;
    json_t *b = json_loads(body, 0, &je), *out = NULL;
    t_actor(&agent, "agent", "agent", "region", "");
    T_EQ_INT(wg_order_act(db, env, &agent, id, action, b, version, t, &out, &err), WG_OK);
    if (err.rc)
        fprintf(stderr, "act on %lld: %s\n", id, err.msg);
    json_decref(out);
    json_decref(b);
}

/* The window kept in memory: another server's creates seen at the next search, merged and
 * invalid orders leaving it while a closed one stays, and the window moving on. */
static void the_window(void)
{
    char dir[] = "/tmp/wangge-dupw-XXXXXX", got[256], want[256];
    struct wg_err err = {0};
    struct wg_store *st;
    struct wg_db *db, *other;
    struct t_order o;
    size_t orders, bytes;
    long long now = 1790000000;
    T_CHECK(mkdtemp(dir) != NULL);
    T_EQ_INT(wg_store_open(t_store_where(dir, 1), 2, &st, &err), WG_OK);
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    T_EQ_INT(wg_store_get(st, &other, &err), WG_OK); /* as another server's connection */
    t_order_open(&o, dir, 0);
    struct wg_order_env mine = o.env;
    mine.dups = wg_dup_cache_new();
    long long a = put(db, &o.env, "06028", 10, NULL, "甲乙丙丁", now - 600);
    found(db, &mine, "06028", NULL, "无关的内容", now, got, sizeof got);
    snprintf(want, sizeof want, "%lld:item_near", a);
    T_EQ_STR(got, want); /* the county filled from the store */
    long long b = put(other, &o.env, "06028", 20, NULL, "戊己庚辛", now - 500);
    long long c = put(other, &o.env, "06028", 30, NULL, "壬癸子丑", now - 400);
    long long d = put(other, &o.env, "06028", 40, NULL, "寅卯辰巳", now - 300);
    long long e = put(other, &o.env, "2108", 4000, NULL, "楼下烧烤店每天半夜很吵", now - 200);
    found(db, &mine, "06028", NULL, "楼下烧烤店每天半夜很吵", now, got, sizeof got);
    snprintf(want, sizeof want,
             "%lld:similar_text;%lld:item_near;%lld:item_near;%lld:item_near;"
             "%lld:item_near",
             e, d, c, b, a);
    T_EQ_STR(got, want); /* the other's four, seen */
    act(other, &o.env, a, WG_ACTION_INVALIDATE, "{\"reason\":\"a test call\"}", 1, now - 100);
    char into[64];
    snprintf(into, sizeof into, "{\"into\":%lld}", c);
    act(other, &o.env, d, WG_ACTION_MERGE, into, 1, now - 100);
    act(other, &o.env, e, WG_ACTION_MERGE, into, 1, now - 100);
    act(other, &o.env, b, WG_ACTION_ANSWER, "{\"answer\":\"已告知\"}", 1, now - 90);
    act(other, &o.env, b, WG_ACTION_CALLBACK, "{\"satisfaction\":\"satisfied\"}", 2, now - 80);
    found(db, &mine, "06028", NULL, "楼下烧烤店每天半夜很吵", now, got, sizeof got);
    snprintf(want, sizeof want, "%lld:item_near;%lld:item_near", c, b);
    T_EQ_STR(got, want); /* merged and invalid gone, closed kept, as the store says */
    found(db, &o.env, "06028", NULL, "楼下烧烤店每天半夜很吵", now, got, sizeof got);
    T_EQ_STR(got, want);
    wg_dup_cache_size(mine.dups, &orders, &bytes);
    T_EQ_INT((long long)orders, 5);
    /* eight days on, the window holds none of them */
    found(db, &mine, "06028", NULL, "楼下烧烤店每天半夜很吵", now + 8 * 86400, got, sizeof got);
    T_EQ_STR(got, "");
    wg_dup_cache_size(mine.dups, &orders, &bytes);
    T_EQ_INT((long long)orders, 0);
    wg_dup_cache_free(mine.dups);
    wg_store_put(other);
    wg_store_put(db);
    wg_store_close(st);
    t_order_close(&o);
    t_store_drop(dir);
    T_REMOVE_DIR(dir);
}

/* Many orders of one item about the point, over nine days, some invalid, added while the
 * window is in use: the window answers as the store's statements do, where their limits
 * (the item's newest in the box, the live ones of them, the county's newest texts) bite. */
static void same_as_the_store(void)
{
    static const char *texts[] = {"楼下烧烤店每天半夜很吵", "楼下烧烤店半夜很吵闹",
                                  "路灯不亮已经一个月",     "小区路灯坏了一个月",
                                  "垃圾没人清运",           "噪声扰民"};
    char dir[] = "/tmp/wangge-dups-XXXXXX", a[512], b[512];
    struct wg_err err = {0};
    struct wg_store *st;
    struct wg_db *db;
    struct t_order o;
    long long now = 1790000000;
    T_CHECK(mkdtemp(dir) != NULL);
    T_EQ_INT(wg_store_open(t_store_where(dir, 1), 1, &st, &err), WG_OK);
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    t_order_open(&o, dir, 0);
    struct wg_order_env mine = o.env;
    mine.dups = wg_dup_cache_new();
    int differ = 0;
    for (int i = 0; i < 240; i++) {
        const char *item = i % 4 == 3 ? "2108" : "06028";
        double east = (double)((i * 37) % 81 - 40) * 5;
        long long t = now - (i * 7919LL) % (9 * 86400);
        long long id = put(db, &o.env, item, east, i % 5 ? NULL : "13812345678", texts[i % 6], t);
        if (i % 7 == 0)
            act(db, &o.env, id, WG_ACTION_INVALIDATE, "{\"reason\":\"a test call\"}", 1, t);
        if (i % 20 != 19)
            continue;
        for (int k = 0; k < 4; k++) {
            const char *pitem = k % 2 ? "2108" : "06028", *text = texts[(i + k) % 6];
            found(db, &o.env, pitem, "13812345678", text, now - k * 3600, a, sizeof a);
            found(db, &mine, pitem, "13812345678", text, now - k * 3600, b, sizeof b);
            if (strcmp(a, b)) {
                fprintf(stderr, "after %d orders, probe %d:\n store  %s\n window %s\n", i + 1, k, a,
                        b);
                differ++;
            }
            T_CHECK(strlen(a) > 0);
        }
    }
    /* the item's newest in the box mostly invalid: fewer than WG_DUP_SCAN live among them */
    for (int i = 0; i < 76; i++) {
        long long id = put(db, &o.env, "06028", (double)(i % 9) * 10, NULL, texts[i % 6], now - 99);
        act(db, &o.env, id, WG_ACTION_INVALIDATE, "{\"reason\":\"a test call\"}", 1, now - 98);
    }
    found(db, &o.env, "06028", NULL, "无关的内容", now, a, sizeof a);
    found(db, &mine, "06028", NULL, "无关的内容", now, b, sizeof b);
    T_EQ_STR(b, a);
    T_CHECK(strlen(a) > 0);
    T_EQ_INT(differ, 0);
    wg_dup_cache_free(mine.dups);
    wg_store_put(db);
    wg_store_close(st);
    t_order_close(&o);
    t_store_drop(dir);
    T_REMOVE_DIR(dir);
}

int main(void)
{
    similarity();
    metres();
    radius_setting();
    on_a_store(0);
    on_a_store(1);
    the_window();
    same_as_the_store();
    return T_DONE("duplicates");
}
