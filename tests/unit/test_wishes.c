/* The wish wall (domain/partake/wish.h) on a real store on every backend: the text checks
 * that keep the resident's identity off the wall (phones, ID numbers, the reporter's name),
 * every bad body refused naming its field, publishing from a wish order only and once, the
 * states published → claimed → fulfilled → confirmed or withdrawn with every move out of
 * order or on a stale version refused and nothing written, the claimant checked against the
 * registry's party members, and the public wall without the withdrawn. */
#include "t.h"

#include "domain/partake/volunteer.h"
#include "domain/partake/wish.h"
#include "domain/registry/party.h"
#include "domain/registry/person.h"
#include "t_grid.h"
#include "t_order.h"
#include "t_store.h"

#define GRID "371302001001001"

static struct t_order to;

static json_t *body_of(const char *text)
{
    json_t *j = json_loads(text, 0, NULL);
    T_CHECK(j != NULL);
    return j;
}

static void text_checks(void)
{
    static const struct {
        const char *text, *name, *word; /* word: what the refusal says, NULL when taken */
    } cases[] = {
        {"帮老人买菜", NULL, NULL},
        {"3号楼2单元，每周六上午", NULL, NULL},
        {"需要100斤大米和20桶油", NULL, NULL},
        {"联系13905391234", NULL, "phone"},
        {"电话 139 0539 1234", NULL, "phone"},
        {"座机0539-8123456", NULL, "phone"},
        {"身份证371302197001010012", NULL, "ID number"},
        {"证件号37130219700101001X", NULL, "ID number"},
        {"赵桂兰阿姨想学智能手机", "赵桂兰", "name"},
        {"赵阿姨想学智能手机", "赵桂兰", NULL},
        {"王某想要轮椅", "王", NULL}, /* a one-character name would refuse everything */
        {"", NULL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct wg_err err = {0};
        enum wg_rc rc = wg_wish_text_check("story", cases[i].text, cases[i].name, &err);
        if (!cases[i].word) {
            T_EQ_INT(rc, WG_OK);
            continue;
        }
        T_EQ_INT(rc, WG_EINVAL);
        T_CHECK(strstr(err.msg, "'story'") && strstr(err.msg, cases[i].word));
    }
}

static void bodies(void)
{
    static const struct {
        const char *json, *field;
    } bad[] = {
        {"[]", "JSON object"},
        {"{\"title\":\"t\",\"story\":\"s\"}", "'order'"},
        {"{\"order\":0,\"title\":\"t\",\"story\":\"s\"}", "'order'"},
        {"{\"order\":\"1\",\"title\":\"t\",\"story\":\"s\"}", "'order'"},
        {"{\"order\":1,\"title\":\"\",\"story\":\"s\"}", "'title'"},
        {"{\"order\":1,\"title\":\"t\"}", "'story'"},
        {"{\"order\":1,\"title\":\"t\",\"story\":\"s\",\"name\":\"x\"}", "'name'"},
        {"{\"order\":1,\"title\":\"电话13905391234\",\"story\":\"s\"}", "'title'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *b = body_of(bad[i].json);
        struct wg_err err = {0};
        long long order;
        const char *title, *story;
        T_EQ_INT(wg_wish_read(b, &order, &title, &story, &err), WG_EINVAL);
        T_CHECK(strstr(err.msg, bad[i].field) != NULL);
        json_decref(b);
    }
    static const struct {
        int kind; /* 0 claim, 1 fulfil, 2 withdraw, 3 confirm */
        const char *json, *field;
    } moves[] = {
        {0, "{\"person\":1}", "'as'"},
        {0, "{\"person\":1,\"as\":\"mayor\"}", "'as'"},
        {0, "{\"as\":\"volunteer\"}", "'person'"},
        {1, "{}", "'note'"},
        {1, "{\"note\":\"ok\",\"photo\":\"ABC\"}", "'photo'"},
        {1, "{\"note\":\"电话13905391234\"}", "'note'"},
        {2, "{\"reason\":\"\"}", "'reason'"},
        {3, "{\"confirmed\":false}", "'confirmed'"},
        {3, "{\"thanks\":\"谢谢\"}", "'confirmed'"},
        {3, "{\"confirmed\":true,\"thanks\":\"13905391234\"}", "'thanks'"},
    };
    for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++) {
        json_t *b = body_of(moves[i].json);
        struct wg_err err = {0};
        const char *a, *c;
        long long n;
        enum wg_rc rc = moves[i].kind == 0   ? wg_wish_claim_read(b, &n, &a, &err)
                        : moves[i].kind == 1 ? wg_wish_fulfil_read(b, &a, &c, &err)
                        : moves[i].kind == 2 ? wg_wish_withdraw_read(b, &a, &err)
                                             : wg_wish_confirm_read(b, &a, &err);
        T_EQ_INT(rc, WG_EINVAL);
        T_CHECK(strstr(err.msg, moves[i].field) != NULL);
        json_decref(b);
    }
}

static long long add_order(struct wg_db *db, const struct wg_actor *a, const char *type,
                           const char *name, long long now)
{
    struct wg_order_input in;
    struct wg_err err = {0};
    long long id = 0;
    t_order_input(&in, "希望有人帮忙买菜", "家里老人腿脚不便");
    in.type = type;
    in.item = "06028";
    in.reporter_name = name;
    in.reporter_phone = name ? "13812345678" : NULL;
    T_EQ_INT(wg_order_create(db, &to.env, NULL, a, &in, now, &id, &err), WG_OK);
    return id;
}

static long long add_person(struct wg_db *db, const char *body, long long now)
{
    struct wg_person p;
    struct wg_err err = {0};
    json_t *b = body_of(body);
    memset(&p, 0, sizeof p);
    T_EQ_INT(wg_person_apply(&p, b, 0, now, &err), WG_OK);
    T_EQ_INT(wg_person_create(db, to.keys, NULL, &p, now, &err), WG_OK);
    long long id = p.id;
    wg_person_release(&p);
    json_decref(b);
    return id;
}

static long long count(struct wg_db *db, const char *table)
{
    char sql[96];
    (void)db;
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
    return t_store_one(t_store_dir, sql);
}

static long long publish(struct wg_db *db, const struct wg_actor *a, long long order,
                         const char *story, enum wg_rc want, long long now)
{
    char text[512];
    struct wg_err err = {0};
    long long id = 0;
    snprintf(text, sizeof text, "{\"order\":%lld,\"title\":\"帮老人买菜\",\"story\":\"%s\"}", order,
             story);
    json_t *b = body_of(text);
    T_EQ_INT(wg_wish_publish(db, to.keys, a, b, now, &id, &err), want);
    json_decref(b);
    return id;
}

static void act(struct wg_db *db, const struct wg_actor *a, long long id, long long version,
                const char *action, const char *body, enum wg_rc want, const char *word)
{
    struct wg_err err = {0};
    json_t *b = body_of(body);
    T_EQ_INT(wg_wish_act(db, to.keys, a, id, version, action, b, 1796000000, &err), want);
    if (word)
        T_CHECK(strstr(err.msg, word) != NULL);
    json_decref(b);
}

static void store_walk(struct wg_db *db)
{
    struct wg_actor gw, west;
    struct wg_err err = {0};
    long long now = 1796000000, version;
    t_actor(&gw, "gw", "gridworker", "region", "371302");
    t_actor(&west, "west", "community", "region", "371302002");
    t_add_grid(db, GRID);
    long long wish_order = add_order(db, &gw, "wish", "赵桂兰", now);
    long long complaint = add_order(db, &gw, "complaint", NULL, now);
    long long member = add_person(db,
                                  "{\"id_number\":\"371302197001010012\",\"name\":\"王建国\","
                                  "\"residence\":\"registered\",\"grid\":\"" GRID
                                  "\",\"political\":\"party_member\"}",
                                  now);
    long long other = add_person(db,
                                 "{\"id_number\":\"371302197001010039\",\"name\":\"李秀英\","
                                 "\"residence\":\"registered\",\"grid\":\"" GRID "\"}",
                                 now);
    struct wg_party_org_row org;
    memset(&org, 0, sizeof org);
    json_t *ob = body_of("{\"name\":\"东关党支部\",\"kind\":\"branch\",\"grid\":\"" GRID "\"}");
    T_EQ_INT(wg_party_org_apply(&org, ob, &err), WG_OK);
    T_EQ_INT(wg_party_org_save(db, NULL, &org, 0, now, &err), WG_OK);
    json_decref(ob);
    char mb[64];
    snprintf(mb, sizeof mb, "{\"person\":%lld,\"role\":\"member\"}", member);
    ob = body_of(mb);
    long long added = 0;
    T_EQ_INT(wg_party_member_add(db, NULL, org.id, ob, now, &added, &err), WG_OK);
    json_decref(ob);

    /* refused: the reporter's name, a complaint, an order outside; nothing stored */
    publish(db, &gw, wish_order, "赵桂兰阿姨腿脚不便", WG_EINVAL, now);
    publish(db, &gw, complaint, "老人腿脚不便", WG_EINVAL, now);
    publish(db, &west, wish_order, "老人腿脚不便", WG_EINVAL, now);
    T_EQ_INT(count(db, "wish"), 0);
    T_EQ_INT(count(db, "wish_event"), 0);
    long long id = publish(db, &gw, wish_order, "老人腿脚不便，希望有人每周帮忙买菜", WG_OK, now);
    T_CHECK(id > 0);
    publish(db, &gw, wish_order, "再来一次", WG_ECONFLICT, now);
    T_EQ_INT(count(db, "wish"), 1);

    json_t *v = NULL;
    T_EQ_INT(wg_wish_view(db, &west, id, &v, &version, &err), WG_ENOTFOUND);
    T_EQ_INT(wg_wish_view(db, &gw, id, &v, &version, &err), WG_OK);
    T_EQ_STR(json_string_value(json_object_get(v, "state")), "published");
    json_decref(v);

    char claim[96];
    snprintf(claim, sizeof claim, "{\"person\":%lld,\"as\":\"party_member\"}", other);
    act(db, &gw, id, 1, "claim", claim, WG_EINVAL, "'as'");
    act(db, &gw, id, 1, "fulfil", "{\"note\":\"买好了\"}", WG_ECONFLICT, "published");
    act(db, &west, id, 1, "withdraw", "{\"reason\":\"x\"}", WG_ENOTFOUND, NULL);
    snprintf(claim, sizeof claim, "{\"person\":%lld,\"as\":\"party_member\"}", member);
    act(db, &gw, id, 1, "claim", claim, WG_OK, NULL);
    act(db, &gw, id, 1, "withdraw", "{\"reason\":\"重复\"}", WG_ECONFLICT, "version");
    act(db, &gw, id, 2, "claim", claim, WG_ECONFLICT, "claimed");
    act(db, &gw, id, 2, "fulfil", "{\"note\":\"每周六帮老人买菜\"}", WG_OK, NULL);
    act(db, &gw, id, 3, "withdraw", "{\"reason\":\"重复\"}", WG_ECONFLICT, "fulfilled");

    /* the resident's side: the appeal page's form, then the confirmation */
    T_EQ_INT(wg_wish_of_order(db, wish_order, &v, &err), WG_OK);
    T_EQ_STR(json_string_value(json_object_get(v, "claimant")), "党员 王*");
    T_CHECK(json_is_true(json_object_get(v, "confirmable")));
    T_CHECK(!json_object_get(v, "order") && !json_object_get(v, "created_by"));
    json_decref(v);
    T_EQ_INT(wg_wish_of_order(db, complaint, &v, &err), WG_OK);
    T_CHECK(v == NULL);
    json_t *c = body_of("{\"confirmed\":true,\"thanks\":\"赵桂兰谢谢大家\"}");
    T_EQ_INT(wg_wish_confirm_in(db, to.keys, wish_order, c, now, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "'thanks'") != NULL);
    json_decref(c);
    c = body_of("{\"confirmed\":true,\"thanks\":\"谢谢党员同志\"}");
    T_EQ_INT(wg_wish_confirm_in(db, to.keys, complaint, c, now, &err), WG_ENOTFOUND);
    T_EQ_INT(wg_wish_confirm_in(db, to.keys, wish_order, c, now, &err), WG_OK);
    T_EQ_INT(wg_wish_confirm_in(db, to.keys, wish_order, c, now, &err), WG_ECONFLICT);
    json_decref(c);
    T_EQ_INT(wg_wish_view(db, &gw, id, &v, &version, &err), WG_OK);
    T_EQ_STR(json_string_value(json_object_get(v, "state")), "confirmed");
    T_EQ_INT(version, 4);
    T_EQ_INT(json_array_size(json_object_get(v, "timeline")), 4);
    json_decref(v);
    /* the order's timeline has a line of each move */
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM order_event WHERE action = 'wish'"), 4);

    /* a volunteer's claim, a withdrawal; the public wall leaves the withdrawn out */
    long long second_order = add_order(db, &gw, "wish", NULL, now);
    long long second = publish(db, &gw, second_order, "想学用智能手机挂号", WG_OK, now);
    snprintf(claim, sizeof claim, "{\"person\":%lld,\"as\":\"volunteer\"}", other);
    /* a resident of the registry who serves in no volunteer team is not taken as one */
    act(db, &gw, second, 1, "claim", claim, WG_EINVAL, "'as'");
    json_t *tb =
        body_of("{\"name\":\"东关巾帼志愿服务队\",\"place\":\"" GRID "\",\"kind\":\"women\"}");
    long long vteam = 0, vol = 0;
    T_EQ_INT(wg_vteam_create(db, &gw, tb, now, &vteam, &err), WG_OK);
    json_decref(tb);
    char vb[64];
    snprintf(vb, sizeof vb, "{\"person\":%lld,\"team\":%lld}", other, vteam);
    tb = body_of(vb);
    T_EQ_INT(wg_volunteer_create(db, to.keys, &gw, tb, now, &vol, &err), WG_OK);
    json_decref(tb);
    act(db, &gw, second, 1, "claim", claim, WG_OK, NULL);
    act(db, &gw, second, 2, "withdraw", "{\"reason\":\"已由家属教会\"}", WG_OK, NULL);
    T_EQ_INT(wg_wish_public_list(db, NULL, NULL, NULL, NULL, NULL, &v, &err), WG_OK);
    T_EQ_INT(json_array_size(json_object_get(v, "wishes")), 1);
    json_decref(v);
    T_EQ_INT(wg_wish_list(db, &gw, "withdrawn", NULL, NULL, &v, &err), WG_OK);
    T_EQ_INT(json_array_size(json_object_get(v, "wishes")), 1);
    json_decref(v);
    T_EQ_INT(wg_wish_list(db, &west, NULL, NULL, NULL, &v, &err), WG_OK);
    T_EQ_INT(json_array_size(json_object_get(v, "wishes")), 0);
    json_decref(v);
    T_EQ_INT(wg_wish_public_list(db, NULL, NULL, "withdrawn", NULL, NULL, &v, &err), WG_EINVAL);
    T_EQ_INT(wg_wish_public_list(db, "abc", NULL, NULL, NULL, NULL, &v, &err), WG_EINVAL);
}

int main(void)
{
    struct wg_err err = {0};
    struct wg_db *db = NULL;
    text_checks();
    bodies();
    struct wg_store *st = t_store_open("wishes");
    t_order_open(&to, t_store_dir, 0);
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    store_walk(db);
    wg_store_put(db);
    t_order_close(&to);
    t_store_close(st);
    return T_DONE("wishes");
}
