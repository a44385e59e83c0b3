/* The demo's wish wall and 一事一议 (wish.h, deliberation.h; seeds 002 and 004): residents'
 * 心愿 orders filed through the portal's channel at a building of a party member's grid and
 * published in public words, taken on by the grid's party members or neighbours and carried
 * through every state; deliberations of a few communities at every stage, from their
 * complaints to the notice; the communities' needs, resources and projects lists. Written
 * through the same functions as the API. Demo data only. */
#include <stdint.h>
#include <stdlib.h>

#include "core/civil.h"
#include "domain/orders/history.h"
#include "domain/orders/order.h"
#include "domain/partake/deliberation.h"
#include "domain/partake/wish.h"
#include "store/partake/wish_q.h"

#define DAY 86400LL

/* A wish as the resident put it, as published, and how it ends: 0 published, 1 claimed,
 * 2 fulfilled, 3 confirmed, 4 withdrawn. */
static const struct sample_wish {
    const char *appeal, *title, *story, *note, *thanks;
    int end, days;
} wishes[] = {
    {"我家老人八十多岁腿脚不便，子女在外地，想请人每周帮忙买一次菜", "帮独居老人每周买一次菜",
     "一位八十多岁的独居老人腿脚不便，子女在外地工作，希望有人每周帮忙采购一次蔬菜和日用品。",
     "每周六上午由认领人帮老人采购蔬菜和日用品，已坚持四周。", "菜买得又新鲜又实惠，谢谢你们！", 3,
     40},
    {"孩子上四年级，我们两口子下班晚，希望有人每周辅导两次数学作业", "辅导小学生数学作业",
     "双职工家庭的孩子读小学四年级，家长下班晚，希望每周两个晚上有人辅导数学作业。",
     "每周二、周四晚七点到八点在社区书屋辅导，孩子单元测验成绩提高了。",
     "孩子现在做题有思路了，感谢志愿者老师！", 3, 35},
    {"想学用手机挂号，还想跟外地的儿子视频", "教老人用智能手机挂号、视频",
     "两位老人想学会用智能手机预约挂号，以及和外地子女视频通话。",
     "在社区党群服务中心开了两次手机课，老人已能独立挂号和视频。", "", 2, 28},
    {"我家平房屋顶漏雨，家里有残疾人，自己修不了", "帮残疾人家庭修补漏雨屋顶",
     "一户肢体残疾人家庭的平房屋顶漏雨，希望入冬前有人帮忙修补。",
     "联系共建单位施工队，更换防水卷材十二平方米，已不再漏雨。", "再也不怕下雨了，谢谢大家。", 3,
     50},
    {"5号楼老人多，上下楼太费劲，想在楼道装扶手", "老旧楼道加装扶手",
     "老旧小区一栋楼的住户多为老人，上下楼吃力，希望在楼道加装扶手。",
     "已量好尺寸，扶手材料由共建单位捐赠，计划下周安装。", "", 1, 12},
    {"孩子爸妈在外打工，孩子说新年想要一套绘本", "留守儿童的新年心愿：一套绘本",
     "一名父母在外务工的留守儿童，新年心愿是拥有一套自己的绘本。", "", "", 0, 5},
    {"老伴走了以后很少出门，想有人来家里说说话", "陪伴老人聊聊天",
     "一位老人平时很少出门，希望每周有人上门陪伴聊天、读读报纸。",
     "认领人每周三下午上门陪老人聊天读报，已连续三周。", "", 2, 25},
    {"轮椅刹车坏了，想换一台能用的", "为行动不便的老人换一台轮椅",
     "一位中风后行动不便的老人，现用轮椅刹车失灵，希望换一台轮椅。", "", "", 1, 8},
    {"卧床老人出不了门，想请人每月上门理发", "为卧床老人上门理发",
     "一位卧床老人出门不便，希望有人每月上门理发一次。", "", "", 0, 3},
    {"家里电线老化插座松了，怕着火，想找懂电的人看看", "帮老人检修老化电线",
     "老人家中电线老化、插座松动，担心用电安全，希望有懂电的人帮忙检修。",
     "认领人上门更换插座三个、线路一段，并讲解了安全用电。", "安心多了，谢谢师傅！", 3, 33},
    {"听力越来越差，想配一个助听器", "为听力下降的老人配助听器",
     "一位听力下降的老人希望配一台助听器，方便和家人交流。", "", "", 0, 2},
    {"想在小区里组织一次免费量血压", "组织老年人义诊量血压",
     "小区老人希望有医生来量血压、讲讲健康知识。", "", "", 4, 20},
};

struct place {
    long long member, neighbour;
    char grid[32];
    double lon, lat;
};

/* Twelve grids with a party member and a building's point, spread over the registry's party
 * members, each in another community where it has enough. */
static enum wg_rc places(struct wg_db *db, struct place *out, int *n, struct wg_err *err)
{
    static struct wg_partake_member m[2000];
    int got = 0;
    enum wg_rc rc = wg_store_partake_members(db, m, 2000, &got, err);
    *n = 0;
    for (int i = 0, step = got / 12 > 1 ? got / 12 : 1; !rc && i < got && *n < 12; i += step) {
        while (*n && i + 1 < got && !strncmp(out[*n - 1].grid, m[i].grid, 12))
            i++;
        struct place *p = &out[(*n)++];
        p->member = m[i].person;
        snprintf(p->grid, sizeof p->grid, "%s", m[i].grid);
        p->lon = m[i].lon, p->lat = m[i].lat;
        rc = wg_store_partake_neighbour(db, p->grid, &p->neighbour, err);
    }
    return rc;
}

static enum wg_rc move(struct wg_db *db, const struct wg_order_env *env, const struct wg_actor *a,
                       long long id, long long version, const char *action, json_t *body,
                       long long now, struct wg_err *err)
{
    enum wg_rc rc = wg_wish_act(db, env->keys, a, id, version, action, body, now, err);
    json_decref(body);
    return rc;
}

/* One wish: its order, publication and moves to its end. */
static enum wg_rc one_wish(struct wg_db *db, const struct wg_order_env *env,
                           const struct wg_locator *loc, uint64_t *s, const struct sample_wish *w,
                           const struct place *p, int k, long long now,
                           struct wg_wish_sample_report *rep, struct wg_err *err)
{
    struct wg_actor a = {0};
    struct wg_order_input in = {0};
    char title[160], name[32], phone[24];
    long long order = 0, id = 0, t = now - w->days * DAY;
    snprintf(a.username, sizeof a.username, "resident");
    a.role = WG_ROLE_AGENT;
    snprintf(a.scope.kind, sizeof a.scope.kind, "region");
    snprintf(a.scope.code, sizeof a.scope.code, "%.6s", p->grid);
    snprintf(title, sizeof title, "【心愿】%s", w->title);
    wg_history_reporter(s, name, sizeof name, phone, sizeof phone);
    in.channel = "app", in.type = "wish", in.title = title, in.content = w->appeal;
    in.urgency = "normal", in.county = a.scope.code, in.has_point = 1, in.lon = p->lon,
    in.lat = p->lat, in.crs = WG_CRS_WGS84, in.reporter_name = name, in.reporter_phone = phone;
    enum wg_rc rc = wg_order_create(db, env, loc, &a, &in, t, &order, err);
    snprintf(a.username, sizeof a.username, "%s", k % 2 ? "community" : "gridworker");
    json_t *b = json_pack("{s:I,s:s,s:s}", "order", (json_int_t)order, "title", w->title, "story",
                          w->story);
    if (!rc)
        rc = wg_wish_publish(db, env->keys, &a, b, t + 3 * 3600, &id, err);
    json_decref(b);
    if (!rc && w->end >= 1 && w->end <= 3) {
        /* every third taken on by a volunteer of the town, where it has one */
        int vol = k % 3 == 1 && p->neighbour;
        rc = move(db, env, &a, id, 1, "claim",
                  json_pack("{s:I,s:s}", "person", (json_int_t)(vol ? p->neighbour : p->member),
                            "as", vol ? "volunteer" : "party_member"),
                  t + DAY, err);
    }
    if (!rc && w->end >= 2 && w->end <= 3)
        rc = move(db, env, &a, id, 2, "fulfil", json_pack("{s:s}", "note", w->note),
                  now - (w->days / 4 + 1) * DAY, err);
    if (!rc && w->end == 3) {
        json_t *c = json_pack("{s:b,s:s}", "confirmed", 1, "thanks", w->thanks);
        rc = wg_wish_confirm_in(db, env->keys, order, c, now - (w->days / 8) * DAY, err);
        json_decref(c);
        rep->confirmed += !rc;
    }
    if (!rc && w->end == 4)
        rc = move(db, env, &a, id, 1, "withdraw",
                  json_pack("{s:s}", "reason", "社区卫生服务站已安排每月义诊，并入常规服务"),
                  t + 2 * DAY, err);
    rep->wishes += !rc;
    return rc;
}

static enum wg_rc the_wishes(struct wg_db *db, const struct wg_order_env *env,
                             const struct wg_locator *loc, long long now,
                             struct wg_wish_sample_report *rep, struct wg_err *err)
{
    struct place p[12];
    uint64_t s = 371302022;
    int n = 0;
    enum wg_rc rc = places(db, p, &n, err);
    for (int k = 0; !rc && n && k < (int)(sizeof wishes / sizeof wishes[0]); k++)
        rc = one_wish(db, env, loc, &s, &wishes[k], &p[k % n], k, now, rep, err);
    return rc;
}

/* ---- deliberations ---- */

static const struct sample_matter {
    const char *topic, *opinion, *resolution, *what, *lead, *report, *notice;
    int yes, end; /* end: the last step taken, 1 branch … 7 close */
} matters[] = {
    {"小区闲置空地改建停车位", "支部委员一致认为停车难是居民反映最集中的问题，同意提交居民议事会",
     "同意将小区东侧闲置空地改建为停车位，住建部门牵头、物业公司出资，车位优先租给本小区居民",
     "施划停车位并安装道闸", "zjj", "已施划停车位32个、安装道闸1套，12月起对本小区居民开放",
     "经居民议事会表决通过，小区东侧闲置空地已改建为32个停车位，优先租给本小区居民，欢迎监督。", 27,
     7},
    {"老旧楼栋加装电梯意见征询", "支部认为应充分听取低层住户意见后再表决",
     "赞成票未过半数，暂不实施加装电梯，由社区继续做好低层住户沟通", NULL, NULL, NULL,
     "加装电梯事项经居民议事会表决未获通过，社区将继续征求意见，适时再议。", 12, 6},
    {"背街小巷安装路灯", "支部同意，建议由共建单位协助施工", "同意在两条背街小巷安装太阳能路灯16盏",
     "安装太阳能路灯16盏", "cgzf", NULL, NULL, 26, 4},
    {"垃圾分类投放点选址", "支部建议投放点远离住户窗口，兼顾老人投放距离", NULL, NULL, NULL, NULL,
     NULL, 0, 1},
};

static enum wg_rc step(struct wg_db *db, const struct wg_delib_env *env, const struct wg_actor *a,
                       long long id, long long version, json_t *body, long long at,
                       struct wg_err *err)
{
    enum wg_rc rc = wg_delib_step(db, env, a, id, version, body, at, err);
    json_decref(body);
    return rc;
}

static void day_of(long long t, int offset, char out[11])
{
    wg_civil_format_date(wg_cst_day(t) + offset, out);
}

/* One matter on a village: opened from its complaints and taken to its last step. */
static enum wg_rc one_matter(struct wg_db *db, const struct wg_delib_env *env,
                             const struct wg_actor *a, const struct sample_matter *m,
                             const char *village, long long org, long long now,
                             struct wg_wish_sample_report *rep, struct wg_err *err)
{
    long long ids[3], id = 0, t = now - 30 * DAY;
    int n = 0;
    char d[11], until[11];
    enum wg_rc rc = wg_store_partake_complaints(db, village, ids, 3, &n, err);
    if (rc || !n || !org)
        return rc;
    json_t *origin = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(origin, json_pack("{s:s,s:I}", "kind", "order", "id", ids[i]));
    json_t *b = json_pack("{s:s,s:s,s:o}", "topic", m->topic, "place", village, "origin", origin);
    rc = wg_delib_create(db, env, a, b, t, &id, err);
    json_decref(b);
    day_of(t + 3 * DAY, 0, d);
    if (!rc && m->end >= 1)
        rc = step(db, env, a, id, 1,
                  json_pack("{s:s,s:s,s:I,s:i,s:s}", "step", "branch", "date", d, "party_org", org,
                            "attendees", 9, "opinion", m->opinion),
                  t + 3 * DAY, err);
    day_of(t + 10 * DAY, 0, d);
    if (!rc && m->end >= 2)
        rc = step(db, env, a, id, 2,
                  json_pack("{s:s,s:s,s:i,s:[s,s],s:i,s:i,s:i}", "step", "council", "date", d,
                            "attendees", 41, "units", "zjj", "cgzf", "for", m->yes, "against",
                            41 - m->yes - 3, "abstain", 3),
                  t + 10 * DAY, err);
    if (!rc && m->end >= 3)
        rc = step(db, env, a, id, 3,
                  json_pack("{s:s,s:s}", "step", "resolution", "text", m->resolution), t + 11 * DAY,
                  err);
    day_of(now, 20, d);
    if (!rc && m->end >= 4 && m->what)
        rc = step(db, env, a, id, 4,
                  json_pack("{s:s,s:s,s:s,s:s}", "step", "task", "what", m->what, "lead_unit",
                            m->lead, "deadline", d),
                  t + 12 * DAY, err);
    if (!rc && m->end >= 5 && m->report)
        rc = step(db, env, a, id, 5,
                  json_pack("{s:s,s:s}", "step", "task_done", "report", m->report), now - 8 * DAY,
                  err);
    day_of(now, -5, d);
    day_of(now, 25, until);
    if (!rc && m->end >= 6)
        rc = step(db, env, a, id, m->what ? 6 : 4,
                  json_pack("{s:s,s:s,s:s,s:s}", "step", "notice", "text", m->notice, "from", d,
                            "until", until),
                  now - 5 * DAY, err);
    if (!rc && m->end >= 7)
        rc = step(db, env, a, id, 7, json_pack("{s:s}", "step", "close"), now - DAY, err);
    rep->notices += !rc && m->end >= 6;
    rep->deliberations += !rc;
    return rc;
}

static const struct {
    const char *kind, *title, *detail;
} entries[] = {
    {"needs", "老旧小区停车位不足", "晚高峰车辆沿路乱停，消防通道时常被占"},
    {"needs", "独居老人助餐服务", "社区60岁以上独居老人43人，午餐需求集中"},
    {"needs", "背街小巷照明不足", "两条背街小巷夜间无照明，居民出行不便"},
    {"resources", "物业公司闲置空地", "小区东侧约900平方米闲置空地"},
    {"resources", "共建单位党员志愿服务队", "住建局、综合行政执法局党员每月到社区服务一次"},
    {"resources", "社区党群服务中心活动室", "工作日晚间和周末可供议事、培训使用"},
    {"projects", "停车位改建工程", "施划车位32个、安装道闸，物业公司出资"},
    {"projects", "老年助餐点", "依托党群服务中心设助餐点，每餐补贴3元"},
    {"projects", "太阳能路灯安装", "共建单位协助安装路灯16盏"},
};

static enum wg_rc the_matters(struct wg_db *db, const struct wg_order_env *oenv, long long now,
                              struct wg_wish_sample_report *rep, struct wg_err *err)
{
    struct wg_delib_env env = {oenv->keys, oenv->calendar};
    struct wg_actor a = {0};
    struct place p[12];
    int n = 0;
    enum wg_rc rc = places(db, p, &n, err);
    snprintf(a.username, sizeof a.username, "community");
    a.role = WG_ROLE_COMMUNITY;
    snprintf(a.scope.kind, sizeof a.scope.kind, "region");
    for (int k = 0; !rc && k < n && k < (int)(sizeof matters / sizeof matters[0]); k++) {
        char village[16];
        long long org = 0;
        snprintf(village, sizeof village, "%.12s", p[k].grid);
        snprintf(a.scope.code, sizeof a.scope.code, "%s", village);
        if (!(rc = wg_store_partake_org(db, village, &org, err)))
            rc = one_matter(db, &env, &a, &matters[k], village, org, now, rep, err);
        for (size_t i = 0; !rc && k < 3 && i < sizeof entries / sizeof entries[0]; i++) {
            long long id;
            json_t *b =
                json_pack("{s:s,s:s,s:s,s:s}", "community", village, "kind", entries[i].kind,
                          "title", entries[i].title, "detail", entries[i].detail);
            rc = wg_partake_item_add(db, &a, b, now - 40 * DAY, &id, err);
            json_decref(b);
            rep->items += !rc;
        }
    }
    return rc;
}

static int one_there(const struct wg_wish_row *w, void *ctx)
{
    (void)w;
    *(int *)ctx = 1;
    return 1;
}

enum wg_rc wg_wish_sample(struct wg_db *db, const struct wg_order_env *env,
                          const struct wg_locator *loc, const char *county, long long now,
                          struct wg_wish_sample_report *rep, struct wg_err *err)
{
    int any = 0;
    char hi[16];
    enum wg_rc rc;
    memset(rep, 0, sizeof *rep);
    snprintf(hi, sizeof hi, "%s~", county);
    if ((rc = wg_store_wish_list(db, county, hi, "", INT64_MAX, 1, one_there, &any, err)) || any)
        return rc;
    /* each order, wish and step commits on its own, as it would through the API */
    if (!(rc = the_wishes(db, env, loc, now, rep, err)))
        rc = the_matters(db, env, now, rep, err);
    return rc;
}
