/* The catalog: the shipped defaults (SPEC §3 names, anchors, flags), inherited limits, each
 * validation error, keyword suggestions on residents' sentences, and the JSON form (round
 * trip, and errors that name the position or the item). */
#include <jansson.h>

#include "domain/catalog/catalog.h"
#include "t.h"

static const struct wg_catalog_item *by_name(const struct wg_catalog *cat, const char *name)
{
    for (size_t i = 0; i < cat->n; i++)
        if (strcmp(cat->items[i].name, name) == 0)
            return &cat->items[i];
    return NULL;
}

static int has(const char *msg, const char *part)
{
    if (strstr(msg, part))
        return 1;
    fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", msg, part);
    return 0;
}

static void test_defaults(void)
{
    static const char *const domains[15] = {
        "城乡建设", "环境保护",       "交通运输", "教育文体", "劳动和社会保障",
        "商贸旅游", "卫生计生",       "党务政务", "国土资源", "纪检监察",
        "经济管理", "科技与信息产业", "民政",     "农村农业", "政法"};
    static const char *const classes[5][2] = {{"06", "市容环境"},
                                              {"07", "宣传广告"},
                                              {"08", "施工管理"},
                                              {"09", "街面秩序"},
                                              {"10", "其他"}};
    struct wg_catalog cat;
    struct wg_err err = {0};
    const struct wg_catalog_item *top[64], *kids[64], *it;
    size_t ntop, ndomains = 0, n12345 = 0, ncm = 0;

    wg_catalog_init(&cat);
    T_EQ_INT(wg_catalog_load_defaults(&cat, &err), WG_OK);
    T_EQ_STR(err.msg, "");
    T_CHECK(cat.indexed);

    /* the top level: the five city-management classes, then exactly the 15 SPEC domains */
    ntop = wg_catalog_children(&cat, NULL, top, 64);
    T_EQ_INT(ntop, 20);
    for (size_t i = 0; i < ntop && i < 64; i++) {
        if (top[i]->code[0] >= '2') {
            T_CHECK(ndomains < 15);
            if (ndomains < 15)
                T_EQ_STR(top[i]->name, domains[ndomains]);
            ndomains++;
        }
    }
    T_EQ_INT(ndomains, 15);
    for (int c = 0; c < 5; c++) {
        it = wg_catalog_find(&cat, classes[c][0]);
        T_CHECK(it && strcmp(it->name, classes[c][1]) == 0 && it->parent[0] == '\0');
    }

    /* every domain and class has 4–10 items, every item keywords and a code of its family:
     * domain + 2 digits under a 12345 domain, class + 3 digits under a city-management class,
     * where all but the two anchors are provisional (901 up) */
    for (size_t i = 0; i < ntop && i < 64; i++) {
        size_t nk = wg_catalog_children(&cat, top[i]->code, kids, 64);
        int cm = top[i]->code[0] < '2';
        T_CHECK(nk >= 4 && nk <= 11);
        for (size_t k = 0; k < nk && k < 64; k++) {
            const char *code = kids[k]->code;
            T_CHECK(kids[k]->nkeywords > 0);
            T_EQ_INT(strlen(code), cm ? 5 : 4);
            T_CHECK(strncmp(code, top[i]->code, 2) == 0);
            T_EQ_INT(wg_catalog_children(&cat, code, NULL, 0), 0);
            if (cm && strcmp(code, "06028") != 0 && strcmp(code, "09006") != 0)
                T_CHECK(code[2] == '9');
            if (cm)
                ncm++;
            else
                n12345++;
        }
    }
    printf("defaults: %zu items: 20 top-level nodes, %zu items under the 15 domains, %zu "
           "city-management items\n",
           cat.n, n12345, ncm);
    T_EQ_INT(cat.n, 20 + n12345 + ncm);

    /* SPEC's anchors */
    it = wg_catalog_find(&cat, "06028");
    T_CHECK(it && strcmp(it->name, "噪声扰民") == 0 && strcmp(it->parent, "06") == 0);
    it = wg_catalog_find(&cat, "09006");
    T_CHECK(it && strcmp(it->name, "占道经营") == 0 && strcmp(it->parent, "09") == 0);

    /* flags */
    it = by_name(&cat, "路灯不亮");
    T_CHECK(it && it->public_intake);
    it = by_name(&cat, "燃气泄漏");
    T_CHECK(it && it->urgency == WG_URGENCY_CRITICAL && !it->public_intake);
    it = by_name(&cat, "供水中断");
    T_CHECK(it && it->urgency == WG_URGENCY_URGENT);
    it = by_name(&cat, "乱堆物堆料");
    T_CHECK(it && it->self_handle && it->public_intake);
    it = by_name(&cat, "非法小广告");
    T_CHECK(it && it->self_handle);
    it = by_name(&cat, "违章建筑");
    T_CHECK(it && !it->self_handle && it->urgency == WG_URGENCY_NORMAL);

    T_CHECK(wg_catalog_find(&cat, "99") == NULL);
    T_CHECK(wg_catalog_find(&cat, "") == NULL);
    T_CHECK(wg_catalog_find(&cat, NULL) == NULL);
    wg_catalog_release(&cat);
}

static void test_limits(void)
{
    struct wg_catalog cat;
    struct wg_catalog_item *it;
    struct wg_catalog_limits l;
    struct wg_err err = {0};

    T_EQ_INT(WG_CATALOG_DAY_MINUTES, 450);
    wg_catalog_init(&cat);
    T_EQ_INT(wg_catalog_load_defaults(&cat, &err), WG_OK);
    /* 路灯不亮 takes the SPEC defaults: 2 h, 2, 5 and 10 working days */
    T_EQ_INT(wg_catalog_limits(&cat, "2108", &l, &err), WG_OK);
    T_EQ_INT(l.sign, 120);
    T_EQ_INT(l.ret, 900);
    T_EQ_INT(l.reply, 2250);
    T_EQ_INT(l.extension, 4500);
    /* 燃气泄漏 sets sign and reply (特急), inherits the rest */
    T_EQ_INT(wg_catalog_limits(&cat, "2104", &l, &err), WG_OK);
    T_EQ_INT(l.sign, 30);
    T_EQ_INT(l.ret, 900);
    T_EQ_INT(l.reply, 120);
    T_EQ_INT(l.extension, 4500);
    T_EQ_INT(wg_catalog_limits(&cat, "2101", &l, &err), WG_OK);
    T_EQ_INT(l.reply, 450);
    T_EQ_INT(wg_catalog_limits(&cat, "nope", &l, &err), WG_ENOTFOUND);
    T_CHECK(has(err.msg, "'nope'"));
    wg_catalog_release(&cat);

    /* three levels: each field from the nearest item that sets it, else the defaults */
    wg_catalog_init(&cat);
    cat.defaults.ret = 600;
    T_EQ_INT(wg_catalog_add(&cat, "C", "B", "孙", &it, &err), WG_OK); /* any order */
    T_EQ_INT(wg_catalog_add(&cat, "A", NULL, "祖", &it, &err), WG_OK);
    it->limits.reply = 900;
    it->limits.extension = 1800;
    T_EQ_INT(wg_catalog_add(&cat, "B", "A", "父", &it, &err), WG_OK);
    it->limits.sign = 10;
    it->limits.reply = 1000;
    T_EQ_INT(wg_catalog_validate(&cat, &err), WG_OK);
    T_EQ_INT(wg_catalog_limits(&cat, "C", &l, &err), WG_OK);
    T_EQ_INT(l.sign, 10);
    T_EQ_INT(l.ret, 600);
    T_EQ_INT(l.reply, 1000);
    T_EQ_INT(l.extension, 1800);
    T_EQ_INT(wg_catalog_limits(&cat, "A", &l, &err), WG_OK);
    T_EQ_INT(l.sign, 120);
    T_EQ_INT(l.reply, 900);
    /* before validation lookups scan; a broken chain is reported, not followed forever */
    T_EQ_INT(wg_catalog_add(&cat, "D", "Z", "断", NULL, &err), WG_OK);
    T_CHECK(!cat.indexed);
    T_CHECK(wg_catalog_find(&cat, "B") != NULL);
    T_EQ_INT(wg_catalog_limits(&cat, "D", &l, &err), WG_EINVAL);
    T_CHECK(has(err.msg, "'D'"));
    wg_catalog_release(&cat);

    wg_catalog_init(&cat);
    T_EQ_INT(wg_catalog_add(&cat, "X", "Y", "x", NULL, &err), WG_OK);
    T_EQ_INT(wg_catalog_add(&cat, "Y", "X", "y", NULL, &err), WG_OK);
    T_EQ_INT(wg_catalog_limits(&cat, "X", &l, &err), WG_EINVAL);
    wg_catalog_release(&cat);
}

/* One broken catalog per row: built by build(), it must fail validation with a message
 * holding `want` (which names the item). */
struct vcase {
    const char *what, *want;
    void (*build)(struct wg_catalog *cat);
};

static struct wg_catalog_item *add(struct wg_catalog *cat, const char *code, const char *parent)
{
    struct wg_catalog_item *it = NULL;
    struct wg_err err = {0};
    if (wg_catalog_add(cat, code, parent, "事项", &it, &err) != WG_OK)
        fprintf(stderr, "add %s: %s\n", code, err.msg);
    return it;
}

static void b_dup(struct wg_catalog *c)
{
    add(c, "21", NULL), add(c, "2101", "21"), add(c, "2101", "21");
}
static void b_noparent(struct wg_catalog *c)
{
    add(c, "21", NULL), add(c, "2101", "22");
}
static void b_cycle(struct wg_catalog *c)
{
    add(c, "21", NULL), add(c, "31", "33"), add(c, "32", "31"), add(c, "33", "32");
}
static void b_self(struct wg_catalog *c)
{
    add(c, "21", "21");
}
static void b_noname(struct wg_catalog *c)
{
    add(c, "21", NULL)->name[0] = '\0';
}
static void b_negative(struct wg_catalog *c)
{
    add(c, "21", NULL), add(c, "2101", "21")->limits.reply = -1;
}
static void b_huge(struct wg_catalog *c)
{
    add(c, "21", NULL)->limits.sign = WG_CATALOG_LIMIT_MAX + 1;
}
static void b_short_ext(struct wg_catalog *c)
{
    struct wg_catalog_item *it = add(c, "21", NULL);
    it->limits.reply = 2000;
    it->limits.extension = 1000;
}
static void b_short_ext_inherited(struct wg_catalog *c)
{
    struct wg_catalog_item *it = add(c, "21", NULL);
    it->limits.reply = 500;
    it->limits.extension = 1000;
    add(c, "2101", "21");
    add(c, "2102", "21")->limits.reply = 1200;
}
static void b_defaults(struct wg_catalog *c)
{
    c->defaults.sign = 0;
}
static void b_defaults_ext(struct wg_catalog *c)
{
    c->defaults.extension = c->defaults.reply - 1;
}
static void b_deep(struct wg_catalog *c)
{
    char code[8], parent[8] = "";
    for (int d = 1; d <= WG_CATALOG_MAX_DEPTH + 1; d++) {
        snprintf(code, sizeof code, "L%d", d);
        add(c, code, parent);
        snprintf(parent, sizeof parent, "%s", code);
    }
}
static void b_urgency(struct wg_catalog *c)
{
    add(c, "21", NULL)->urgency = (enum wg_urgency)7;
}

static void test_validate(void)
{
    static const struct vcase cases[] = {
        {"duplicate code", "item '2101' appears twice (items 1 and 2)", b_dup},
        {"missing parent", "item '2101': parent '22' does not exist", b_noparent},
        {"cycle", "its own ancestor", b_cycle},
        {"own parent", "item '21' is its own parent", b_self},
        {"empty name", "item '21': name is empty", b_noname},
        {"negative limit", "item '2101': reply limit -1", b_negative},
        {"limit too large", "item '21': sign limit", b_huge},
        {"extension < reply", "item '21': extension limit 1000 is shorter than its reply",
         b_short_ext},
        {"inherited extension < reply", "item '2102': extension limit 1000", b_short_ext_inherited},
        {"defaults", "catalog defaults: sign limit 0", b_defaults},
        {"defaults extension", "catalog defaults: extension limit", b_defaults_ext},
        {"too deep", "item 'L9' lies 9 levels deep", b_deep},
        {"urgency", "item '21': urgency 7", b_urgency},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct wg_catalog cat;
        struct wg_err err = {0};
        wg_catalog_init(&cat);
        cases[i].build(&cat);
        T_EQ_INT(wg_catalog_validate(&cat, &err), WG_EINVAL);
        T_CHECK(has(err.msg, cases[i].want) ||
                (fprintf(stderr, "  (case: %s)\n", cases[i].what), 0));
        T_CHECK(!cat.indexed);
        wg_catalog_release(&cat);
    }

    /* what wg_catalog_add refuses at once */
    {
        static const char *const bad_codes[] = {"", "a b", "路灯", "1234567890123456", "21/1"};
        struct wg_catalog cat;
        struct wg_catalog_item *it;
        struct wg_err err = {0};
        char longname[WG_CATALOG_NAME_MAX + 2];
        wg_catalog_init(&cat);
        for (size_t i = 0; i < sizeof bad_codes / sizeof bad_codes[0]; i++)
            T_EQ_INT(wg_catalog_add(&cat, bad_codes[i], NULL, "名", NULL, &err), WG_EINVAL);
        T_EQ_INT(wg_catalog_add(&cat, NULL, NULL, "名", NULL, &err), WG_EINVAL);
        T_EQ_INT(wg_catalog_add(&cat, "21", "x y", "名", NULL, &err), WG_EINVAL);
        T_CHECK(has(err.msg, "item '21': parent code"));
        T_EQ_INT(wg_catalog_add(&cat, "21", NULL, "\xff\xfe", NULL, &err), WG_EINVAL);
        T_CHECK(has(err.msg, "item '21': name is not valid UTF-8"));
        T_EQ_INT(wg_catalog_add(&cat, "21", NULL, "a\nb", NULL, &err), WG_EINVAL);
        T_EQ_INT(wg_catalog_add(&cat, "21", NULL, "\xed\xa0\x80", NULL, &err), WG_EINVAL);
        memset(longname, 'x', sizeof longname - 1);
        longname[sizeof longname - 1] = '\0';
        T_EQ_INT(wg_catalog_add(&cat, "21", NULL, longname, NULL, &err), WG_EINVAL);
        T_CHECK(has(err.msg, "item '21': name is"));
        T_EQ_INT(cat.n, 0);
        T_EQ_INT(wg_catalog_add(&cat, "21", NULL, "城乡建设", &it, &err), WG_OK);
        T_EQ_INT(wg_catalog_keyword_add(it, "", &err), WG_EINVAL);
        T_CHECK(has(err.msg, "item '21': empty keyword"));
        T_EQ_INT(wg_catalog_keyword_add(it, "很长很长很长很长很长很长很长很长很长很长很长", &err),
                 WG_EINVAL);
        T_EQ_INT(wg_catalog_keyword_add(it, "\x80", &err), WG_EINVAL);
        for (int k = 0; k < WG_CATALOG_KEYWORDS_MAX; k++)
            T_EQ_INT(wg_catalog_keyword_add(it, "词", &err), WG_OK);
        T_EQ_INT(wg_catalog_keyword_add(it, "词", &err), WG_EINVAL);
        T_CHECK(has(err.msg, "item '21': more than"));
        T_EQ_INT(wg_catalog_validate(&cat, &err), WG_OK);
        wg_catalog_release(&cat);
    }
}

struct scase {
    const char *text;
    const char *top;   /* code expected first, or NULL to check `names` instead */
    const char *names; /* a substring the first item's name must hold */
};

static void test_suggest(void)
{
    static const struct scase cases[] = {
        {"楼下烧烤店每天半夜很吵", NULL, "噪声"},
        {"路灯坏了好几天了", "2108", NULL},
        {"小区北门的路灯晚上不亮，黑灯瞎火的", "2108", NULL},
        {"闻到楼道里有很浓的煤气味", "2104", NULL},
        {"我们小区停水两天了，水龙头不出水", "2101", NULL},
        {"楼道里堆放了很多杂物，没人清理", "09903", NULL},
        {"电线杆上贴满了办证的小广告", "07901", NULL},
        {"学校门口有人摆地摊，占用人行道", "09006", NULL},
        {"对面工地半夜施工，打桩声音特别大", "08901", NULL},
        {"家里的ＷｉＦｉ又断网了", "3202", NULL},
        {"公司拖欠工资三个月了", "2501", NULL},
    };
    struct wg_catalog cat;
    struct wg_catalog_hint h[5];
    struct wg_err err = {0};
    size_t n;
    wg_catalog_init(&cat);
    T_EQ_INT(wg_catalog_load_defaults(&cat, &err), WG_OK);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        n = wg_catalog_suggest(&cat, cases[i].text, h, 5);
        T_CHECK(n > 0);
        if (n == 0)
            continue;
        if (cases[i].top && strcmp(h[0].item->code, cases[i].top) != 0)
            fprintf(stderr, "  \"%s\": first %s %s (%d), expected %s\n", cases[i].text,
                    h[0].item->code, h[0].item->name, h[0].score, cases[i].top);
        if (cases[i].top)
            T_EQ_STR(h[0].item->code, cases[i].top);
        else
            T_CHECK(has(h[0].item->name, cases[i].names));
        for (size_t k = 1; k < n; k++)
            T_CHECK(h[k - 1].score >= h[k].score);
    }
    /* the noise sentence: both noise items rank above the barbecue ones */
    n = wg_catalog_suggest(&cat, "楼下烧烤店每天半夜很吵", h, 5);
    T_CHECK(n >= 2);
    T_EQ_STR(h[0].item->code, "06028");
    T_EQ_INT(h[0].score, 3); /* 吵 (1) + 半夜 (2) */
    T_EQ_INT(h[0].matched, 2);

    /* naming the item outright weighs twice its length */
    n = wg_catalog_suggest(&cat, "占道经营", h, 1);
    T_EQ_INT(n, 1);
    T_EQ_STR(h[0].item->code, "09006");
    T_EQ_INT(h[0].score, 2 + 2 * 4); /* 占道 + the name */

    T_EQ_INT(wg_catalog_suggest(&cat, "", h, 5), 0);
    T_EQ_INT(wg_catalog_suggest(&cat, "今天天气不错", h, 5), 0);
    T_EQ_INT(wg_catalog_suggest(&cat, NULL, h, 5), 0);
    T_EQ_INT(wg_catalog_suggest(&cat, "路灯", h, 0), 0);
    /* a long text is read up to the cap, cut on a character boundary */
    {
        size_t len = WG_CATALOG_SUGGEST_TEXT_MAX * 2;
        char *big = malloc(len + 1);
        T_CHECK(big != NULL);
        if (big) {
            for (size_t i = 0; i + 3 <= len; i += 3)
                memcpy(big + i, "吵", 3);
            big[len - len % 3] = '\0';
            memcpy(big + WG_CATALOG_SUGGEST_TEXT_MAX + 10, "路灯", 6); /* past the cap */
            n = wg_catalog_suggest(&cat, big, h, 5);
            T_CHECK(n > 0);
            for (size_t k = 0; k < n; k++)
                T_CHECK(strcmp(h[k].item->code, "2108") != 0);
            free(big);
        }
    }
    wg_catalog_release(&cat);

    /* ties break on keywords found, then code; a repeated keyword counts once */
    {
        struct wg_catalog_item *it;
        wg_catalog_init(&cat);
        wg_catalog_add(&cat, "B", NULL, "乙", &it, &err);
        wg_catalog_keyword_add(it, "路灯", &err);
        wg_catalog_add(&cat, "A", NULL, "甲", &it, &err);
        wg_catalog_keyword_add(it, "路灯", &err);
        wg_catalog_keyword_add(it, "路灯", &err);
        wg_catalog_add(&cat, "C", NULL, "丙", &it, &err);
        wg_catalog_keyword_add(it, "路", &err);
        wg_catalog_keyword_add(it, "灯", &err);
        T_EQ_INT(wg_catalog_validate(&cat, &err), WG_OK);
        n = wg_catalog_suggest(&cat, "路灯", h, 5);
        T_EQ_INT(n, 3);
        T_EQ_STR(h[0].item->code, "C"); /* 2 points from 2 keywords */
        T_EQ_STR(h[1].item->code, "A");
        T_EQ_INT(h[1].score, 2);
        T_EQ_STR(h[2].item->code, "B");
        n = wg_catalog_suggest(&cat, "路灯", h, 2);
        T_EQ_INT(n, 2);
        T_EQ_STR(h[1].item->code, "A");
        wg_catalog_release(&cat);
    }
}

static char *dump(const struct wg_catalog *cat)
{
    json_t *j = wg_catalog_to_json(cat);
    char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    return s;
}

static void test_json_roundtrip(void)
{
    struct wg_catalog a, b;
    struct wg_err err = {0};
    char *s1, *s2;
    wg_catalog_init(&a);
    wg_catalog_init(&b);
    T_EQ_INT(wg_catalog_load_defaults(&a, &err), WG_OK);
    a.defaults.ret = 1000; /* non-default defaults travel too */
    s1 = dump(&a);
    T_CHECK(s1 != NULL);
    T_EQ_INT(wg_catalog_parse(&b, s1, strlen(s1), &err), WG_OK);
    T_EQ_STR(err.msg, "");
    s2 = dump(&b);
    T_EQ_STR(s2, s1);
    T_EQ_INT(b.n, a.n);
    T_EQ_INT(b.defaults.ret, 1000);
    for (size_t i = 0; i < a.n && i < b.n; i++) {
        const struct wg_catalog_item *x = &a.items[i], *y = &b.items[i];
        int same = strcmp(x->code, y->code) == 0 && strcmp(x->parent, y->parent) == 0 &&
                   strcmp(x->name, y->name) == 0 &&
                   memcmp(&x->limits, &y->limits, sizeof x->limits) == 0 &&
                   x->urgency == y->urgency && x->self_handle == y->self_handle &&
                   x->public_intake == y->public_intake && x->nkeywords == y->nkeywords;
        for (size_t k = 0; same && k < x->nkeywords; k++)
            same = strcmp(x->keywords[k], y->keywords[k]) == 0;
        if (!same)
            fprintf(stderr, "  item %zu (%s) differs after the round trip\n", i, x->code);
        T_CHECK(same);
    }
    /* the documented shape */
    {
        json_t *j = wg_catalog_to_json(&a), *items = json_object_get(j, "items"), *it = NULL, *v;
        size_t i;
        json_array_foreach(items, i, v)
        {
            if (strcmp(json_string_value(json_object_get(v, "code")), "2104") == 0)
                it = v;
        }
        T_CHECK(it != NULL);
        T_EQ_STR(json_string_value(json_object_get(it, "parent")), "21");
        T_EQ_STR(json_string_value(json_object_get(it, "urgency")), "critical");
        T_EQ_INT(
            json_integer_value(json_object_get(json_object_get(it, "limits"), "reply_minutes")),
            120);
        T_CHECK(json_object_get(json_object_get(it, "limits"), "return_minutes") == NULL);
        T_CHECK(json_is_false(json_object_get(it, "public_intake")));
        T_CHECK(json_object_get(json_array_get(items, 0), "parent") == NULL);
        T_EQ_INT(json_integer_value(
                     json_object_get(json_object_get(j, "defaults"), "extension_minutes")),
                 4500);
        json_decref(j);
    }
    free(s1);
    free(s2);
    wg_catalog_release(&a);
    wg_catalog_release(&b);

    /* a minimal document: defaults filled in, flags off, parent null allowed */
    {
        const char *doc = "{\"items\":[{\"code\":\"21\",\"name\":\"城乡建设\",\"parent\":null},"
                          "{\"code\":\"2108\",\"parent\":\"21\",\"name\":\"路灯不亮\"}]}";
        struct wg_catalog_limits l;
        wg_catalog_init(&a);
        T_EQ_INT(wg_catalog_parse(&a, doc, strlen(doc), &err), WG_OK);
        T_EQ_INT(a.n, 2);
        T_EQ_INT(wg_catalog_limits(&a, "2108", &l, &err), WG_OK);
        T_EQ_INT(l.reply, WG_CATALOG_REPLY_DEFAULT);
        wg_catalog_release(&a);
    }
}

struct jcase {
    const char *doc, *want;
    enum wg_rc rc;
};

static void test_json_errors(void)
{
    static const struct jcase cases[] = {
        {"{\"items\": [", "malformed JSON at line 1, column", WG_EINVAL},
        {"{\"items\": [\n  {\"code\": \"21\",, }]}", "line 2, column 17", WG_EINVAL},
        {"", "malformed JSON at line 1", WG_EINVAL},
        {"[]", "catalog: expected a JSON object", WG_EINVAL},
        {"{}", "'items' is required", WG_EINVAL},
        {"{\"items\":[], \"version\":2}", "catalog: unknown field 'version'", WG_EINVAL},
        {"{\"items\":[],\"items\":[]}", "duplicate", WG_EINVAL},
        {"{\"items\":[7]}", "items[0]: expected an object", WG_EINVAL},
        {"{\"items\":[{\"code\":\"21\",\"name\":\"a\"},{\"name\":\"b\"}]}",
         "items[1]: 'code' is required", WG_EINVAL},
        {"{\"items\":[{\"code\":21,\"name\":\"a\"}]}", "items[0]: 'code' is required", WG_EINVAL},
        {"{\"items\":[{\"code\":\"21\"}]}", "items[0] ('21'): 'name' is required", WG_EINVAL},
        {"{\"items\":[{\"code\":\"2 1\",\"name\":\"a\"}]}", "items[0]: item code '2 1'", WG_EINVAL},
        {"{\"items\":[{\"code\":\"21\",\"name\":\"a\",\"urgency\":\"high\"}]}",
         "items[0] ('21'): urgency 'high' is not one of normal, urgent, critical", WG_EINVAL},
        {"{\"items\":[{\"code\":\"21\",\"name\":\"a\",\"urgency\":1}]}",
         "items[0] ('21'): 'urgency' must be a string", WG_EINVAL},
        {"{\"items\":[{\"code\":\"21\",\"name\":\"a\",\"self_handle\":1}]}",
         "items[0] ('21'): 'self_handle' must be true or false", WG_EINVAL},
        {"{\"items\":[{\"code\":\"21\",\"name\":\"a\",\"public_intake\":\"yes\"}]}",
         "items[0] ('21'): 'public_intake' must be true or false", WG_EINVAL},
        {"{\"items\":[{\"code\":\"21\",\"name\":\"a\",\"keyword\":[]}]}",
         "items[0] ('21'): unknown field 'keyword'", WG_EINVAL},
        {"{\"items\":[{\"code\":\"21\",\"name\":\"a\",\"keywords\":\"路灯\"}]}",
         "items[0] ('21'): 'keywords' must be an array", WG_EINVAL},
        {"{\"items\":[{\"code\":\"21\",\"name\":\"a\",\"keywords\":[\"路灯\",3]}]}",
         "items[0] ('21'): keywords[1] must be a string", WG_EINVAL},
        {"{\"items\":[{\"code\":\"21\",\"name\":\"a\",\"keywords\":[\"\"]}]}",
         "items[0], keywords[0]: item '21': empty keyword", WG_EINVAL},
        {"{\"items\":[{\"code\":\"21\",\"name\":\"a\",\"limits\":{\"reply_minutes\":0}}]}",
         "items[0] ('21'): 'reply_minutes' is 0, must be between 1 and", WG_EINVAL},
        {"{\"items\":[{\"code\":\"21\",\"name\":\"a\",\"limits\":{\"reply_minutes\":1e3}}]}",
         "items[0] ('21'): 'reply_minutes' must be an integer", WG_EINVAL},
        {"{\"items\":[{\"code\":\"21\",\"name\":\"a\",\"limits\":{\"reply\":10}}]}",
         "items[0] ('21'): unknown limit 'reply'", WG_EINVAL},
        {"{\"items\":[{\"code\":\"21\",\"name\":\"a\",\"limits\":[]}]}",
         "items[0] ('21'): 'limits' must be an object", WG_EINVAL},
        {"{\"items\":[{\"code\":\"21\",\"name\":\"a\",\"limits\":{\"sign_minutes\":"
         "99999999999}}]}",
         "'sign_minutes' is 99999999999", WG_EINVAL},
        {"{\"items\":[{\"code\":\"21\",\"name\":\"a\",\"parent\":\"\"}]}",
         "items[0] ('21'): 'parent' is empty", WG_EINVAL},
        {"{\"items\":[{\"code\":\"21\",\"name\":\"a\",\"parent\":5}]}",
         "items[0] ('21'): 'parent' must be a string or null", WG_EINVAL},
        {"{\"items\":[{\"code\":\"21\",\"name\":\"\"}]}", "item '21': name is empty", WG_EINVAL},
        {"{\"items\":[{\"code\":\"2101\",\"parent\":\"21\",\"name\":\"a\"}]}",
         "item '2101': parent '21' does not exist", WG_EINVAL},
        {"{\"items\":[{\"code\":\"21\",\"name\":\"a\"},{\"code\":\"21\",\"name\":\"b\"}]}",
         "item '21' appears twice (items 0 and 1)", WG_EINVAL},
        {"{\"defaults\":{\"reply_minutes\":5000},\"items\":[]}",
         "catalog defaults: extension limit 4500 is shorter than the reply limit 5000", WG_EINVAL},
        {"{\"defaults\":7,\"items\":[]}", "defaults: 'limits' must be an object", WG_EINVAL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct wg_catalog cat;
        struct wg_err err = {0};
        wg_catalog_init(&cat);
        T_EQ_INT(wg_catalog_parse(&cat, cases[i].doc, strlen(cases[i].doc), &err), cases[i].rc);
        T_CHECK(has(err.msg, cases[i].want) ||
                (fprintf(stderr, "  (case %zu: %s)\n", i, cases[i].doc), 0));
        wg_catalog_release(&cat);
    }
    /* an empty catalog is valid */
    {
        struct wg_catalog cat;
        struct wg_err err = {0};
        wg_catalog_init(&cat);
        T_EQ_INT(wg_catalog_parse(&cat, "{\"items\":[]}", 12, &err), WG_OK);
        T_EQ_INT(cat.n, 0);
        T_CHECK(wg_catalog_find(&cat, "21") == NULL);
        wg_catalog_release(&cat);
    }
}

static void test_children_and_names(void)
{
    struct wg_catalog cat;
    struct wg_err err = {0};
    const struct wg_catalog_item *kids[3];
    enum wg_urgency u;
    wg_catalog_init(&cat);
    T_EQ_INT(wg_catalog_load_defaults(&cat, &err), WG_OK);
    T_EQ_INT(wg_catalog_children(&cat, "21", kids, 3), 10);
    T_EQ_STR(kids[0]->code, "2101");
    T_EQ_STR(kids[2]->code, "2103");
    T_EQ_INT(wg_catalog_children(&cat, "2108", kids, 3), 0);
    T_EQ_INT(wg_catalog_children(&cat, "", kids, 3), 20);
    T_EQ_STR(kids[0]->code, "06");
    wg_catalog_release(&cat);

    T_EQ_STR(wg_catalog_urgency_name(WG_URGENCY_CRITICAL), "critical");
    T_EQ_INT(wg_catalog_urgency_parse("urgent", &u, &err), WG_OK);
    T_EQ_INT(u, WG_URGENCY_URGENT);
    T_EQ_INT(wg_catalog_urgency_parse("Urgent", &u, &err), WG_EINVAL);
    wg_catalog_release(NULL);
}

/* Open311 attributes: the shipped ones, their JSON form read back exactly, and every rule. */
static void test_attributes(void)
{
    struct wg_catalog cat, back;
    struct wg_err err = {0};
    const struct wg_catalog_item *it;
    const struct wg_catalog_attr *a;
    int seen[6] = {0};
    wg_catalog_init(&cat);
    T_EQ_INT(wg_catalog_load_defaults(&cat, &err), WG_OK);
    it = wg_catalog_find(&cat, "2108");
    T_CHECK(it && it->public_intake && it->nattrs >= 2);
    a = it ? wg_catalog_attr_find(it, "lamp") : NULL;
    T_CHECK(a && a->type == WG_ATTR_STRING && a->required && a->variable && a->order == 1);
    a = it ? wg_catalog_attr_find(it, "count") : NULL;
    T_CHECK(a && a->type == WG_ATTR_SINGLEVALUELIST && a->required && a->nvalues == 3);
    T_CHECK(a && wg_catalog_value_find(a, "2-5") && !wg_catalog_value_find(a, "6"));
    T_CHECK(a && strcmp(wg_catalog_value_find(a, "1")->name, "1 盏") == 0);
    for (size_t i = 0; i < cat.n; i++) {
        for (size_t k = 0; k < cat.items[i].nattrs; k++) {
            seen[cat.items[i].attrs[k].type] = 1;
            T_CHECK(cat.items[i].public_intake); /* only public items ask questions */
        }
    }
    for (int t = 0; t < 6; t++)
        T_CHECK(seen[t]);
    /* the JSON form carries them and reads back to the same document */
    json_t *j = wg_catalog_to_json(&cat);
    char *s1 = json_dumps(j, JSON_COMPACT), *s2;
    T_CHECK(strstr(s1, "\"attributes\":[{\"code\":\"lamp\",\"datatype\":\"string\",\"required\":"
                       "true,\"variable\":true,\"order\":1,"));
    T_CHECK(strstr(s1, "{\"key\":\"2-5\",\"name\":\"2–5 盏\"}"));
    wg_catalog_init(&back);
    T_EQ_INT(wg_catalog_parse(&back, s1, strlen(s1), &err), WG_OK);
    json_t *j2 = wg_catalog_to_json(&back);
    s2 = json_dumps(j2, JSON_COMPACT);
    T_EQ_STR(s1, s2);
    free(s1);
    free(s2);
    json_decref(j);
    json_decref(j2);
    wg_catalog_release(&back);
    wg_catalog_release(&cat);

    /* defaults of the input form: required false, variable true, order by position */
    const char *min =
        "{\"items\":[{\"code\":\"A\",\"name\":\"甲\",\"attributes\":["
        "{\"code\":\"x\",\"datatype\":\"text\",\"description\":\"说明\"},"
        "{\"code\":\"y\",\"datatype\":\"multivaluelist\",\"description\":\"选\","
        "\"datatype_description\":null,\"values\":[{\"key\":\"k\",\"name\":\"n\"}]}]}]}";
    wg_catalog_init(&cat);
    T_EQ_INT(wg_catalog_parse(&cat, min, strlen(min), &err), WG_OK);
    it = wg_catalog_find(&cat, "A");
    T_CHECK(it && it->nattrs == 2 && !it->attrs[0].required && it->attrs[0].variable &&
            it->attrs[1].order == 2 && it->attrs[1].datatype_description[0] == '\0');
    wg_catalog_release(&cat);

    static const struct {
        const char *attrs, *msg;
    } bad[] = {
        {"[{\"code\":\"x\",\"datatype\":\"list\",\"description\":\"d\"}]", "datatype 'list'"},
        {"[{\"code\":\"x\",\"datatype\":\"string\"}]", "'description' is required"},
        {"[{\"code\":\"x y\",\"datatype\":\"string\",\"description\":\"d\"}]", "attribute code"},
        {"[{\"code\":\"x\",\"datatype\":\"string\",\"description\":\"d\"},"
         "{\"code\":\"x\",\"datatype\":\"text\",\"description\":\"d\"}]",
         "'x' appears twice"},
        {"[{\"code\":\"x\",\"datatype\":\"singlevaluelist\",\"description\":\"d\"}]",
         "at least one value"},
        {"[{\"code\":\"x\",\"datatype\":\"number\",\"description\":\"d\","
         "\"values\":[{\"key\":\"1\",\"name\":\"one\"}]}]",
         "takes no values"},
        {"[{\"code\":\"x\",\"datatype\":\"singlevaluelist\",\"description\":\"d\","
         "\"values\":[{\"key\":\"1\",\"name\":\"a\"},{\"key\":\"1\",\"name\":\"b\"}]}]",
         "key '1' appears twice"},
        {"[{\"code\":\"x\",\"datatype\":\"singlevaluelist\",\"description\":\"d\","
         "\"values\":[{\"key\":\"1\"}]}]",
         "values[0] must be"},
        {"[{\"code\":\"x\",\"datatype\":\"string\",\"description\":\"d\",\"order\":0}]", "'order'"},
        {"[{\"code\":\"x\",\"datatype\":\"string\",\"description\":\"d\",\"order\":2},"
         "{\"code\":\"y\",\"datatype\":\"string\",\"description\":\"d\"}]",
         "same order 2"},
        {"[{\"code\":\"x\",\"datatype\":\"string\",\"description\":\"d\",\"colour\":1}]",
         "unknown field 'colour'"},
        {"[{\"code\":\"x\",\"datatype\":\"string\",\"description\":\"d\",\"required\":\"yes\"}]",
         "'required' must be"},
        {"{}", "'attributes' must be an array"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char doc[1024];
        snprintf(doc, sizeof doc,
                 "{\"items\":[{\"code\":\"A\",\"name\":\"甲\",\"attributes\":%s}]}", bad[i].attrs);
        wg_catalog_init(&cat);
        T_EQ_INT(wg_catalog_parse(&cat, doc, strlen(doc), &err), WG_EINVAL);
        T_CHECK(has(err.msg, bad[i].msg));
        wg_catalog_release(&cat);
    }
}

int main(void)
{
    test_defaults();
    test_limits();
    test_validate();
    test_suggest();
    test_json_roundtrip();
    test_json_errors();
    test_children_and_names();
    test_attributes();
    return T_DONE("catalog");
}
