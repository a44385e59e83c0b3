/* The demo's 未诉先办 tasks and leaders' 帮包 (task.h, wg_task_sample): made from what the
 * demo's history put in the counters — the months' top problems (an item in a town) and top
 * items — through the same functions the API calls, at times in the past, so the tasks' effects
 * and the 帮包's trends are measured on the history like any other. */
#include "domain/alerts/task.h"

#include <stdlib.h>

#include "core/alloc.h"
#include "core/civil.h"
#include "domain/accounts/account.h"
#include "domain/alerts/sponsor.h"
#include "domain/orders/history.h"
#include "store/accounts/accounts_q.h"

#define DAY 86400LL

/* Seed 000's district leaders (38 of them, 包联 65 compounds), as pinyin usernames. */
static const char *const leaders[] = {
    "wangjianguo",   "lihongmei",    "zhangweidong",  "liuguoqiang", "chenxiaoling", "yangzhiyong",
    "zhaolijun",     "huangjianhua", "zhoumin",       "wuhaibin",    "xuchunyan",    "sunjianping",
    "mayongsheng",   "zhuxiaodong",  "huliqun",       "guoqingsong", "hejianjun",    "gaoxiumei",
    "linzhigang",    "luowei",       "zhengxiaohong", "liangguohua", "songjianmin",  "xiehaiyan",
    "tangzhiming",   "hanxiuzhen",   "fengjianxin",   "dengliping",  "caoyonggang",  "pengxiaoyan",
    "zenglihua",     "xiaojianjun",  "tianguirong",   "dongweiguo",  "yuanhongxia",  "panzhiqiang",
    "jiangxiaoping", "caijianhua",
};
#define NLEADERS (sizeof leaders / sizeof leaders[0])
#define NPLACES  65

static const char *const notes[] = {
    "到网格实地走访，听取网格员和居民代表意见，梳理出噪声、停车两类突出问题",
    "召集街道、社区和物业召开协调会，明确整改责任人和完成时限",
    "督导综合行政执法中队夜间巡查，现场劝离占道经营摊点",
    "回访反映问题的居民，对整改进度表示认可，个别问题仍需跟进",
    "协调住建部门对老旧小区雨污管网进行疏通，积水问题明显缓解",
    "本月该网格热线诉求量较上月下降，重复诉求已逐户销号",
    "约谈物业公司负责人，督促落实垃圾清运和公共区域保洁",
    "与社区党组织共同开展“我为群众办实事”接访，当场解决诉求3件",
};

static const char *const progress[] = {
    "已建立问题台账，逐条交办到责任单位",
    "联合执法检查重点点位，责令限期整改",
    "对近一个月重复诉求的群众逐户回访，解释整改安排",
    "召开专题调度会，协调解决跨部门问题",
};

/* The unit whose domain holds item (the demo's routing), and a second one to help. */
static void units_for(const char *item, const char **lead, const char **help)
{
    *lead = "cgzf";
    for (size_t i = 0; i < wg_demo_ndepartments; i++)
        if (!strncmp(item, wg_demo_departments[i].domain, 2))
            *lead = wg_demo_departments[i].id;
    *help = strcmp(*lead, "zjj") ? "zjj" : "cgzf";
}

static void month_of(long long t, int back, char out[8])
{
    int y, m, d;
    wg_civil_date(wg_cst_day(t), &y, &m, &d);
    int k = y * 12 + m - 1 - back;
    snprintf(out, 8, "%04d-%02d", k / 12, k % 12 + 1);
}

static enum wg_rc act(struct wg_db *db, const struct wg_task_env *env, const struct wg_actor *a,
                      long long id, const char *action, const char *note, long long at,
                      struct wg_err *err)
{
    json_t *view = NULL, *body = json_pack("{s:s}", "action", action);
    long long version = 0;
    if (note)
        json_object_set_new(body, "note", json_string(note));
    enum wg_rc rc = wg_task_view(db, env, a, id, at, &view, &version, err);
    if (!rc)
        rc = wg_task_act(db, env->keys, a, id, version, body, at, err);
    json_decref(view);
    json_decref(body);
    return rc;
}

/* Closes task id at `at` with what its effect measured then, as a reviewer writes it. */
static enum wg_rc close_measured(struct wg_db *db, const struct wg_task_env *env,
                                 const struct wg_actor *agent, long long id, long long at,
                                 struct wg_err *err)
{
    json_t *e = NULL;
    char note[256];
    enum wg_rc rc = wg_task_effect(db, agent, id, NULL, at, &e, err);
    if (rc)
        return rc;
    long long after = json_integer_value(json_object_get(json_object_get(e, "after"), "orders"));
    long long before = json_integer_value(json_object_get(json_object_get(e, "before"), "orders"));
    snprintf(note, sizeof note, "经成效评估：启动后%d天诉求%lld件，启动前同期%lld件，%s，予以办结",
             (int)json_integer_value(json_object_get(e, "window_days")), after, before,
             after < before   ? "诉求量下降"
             : after > before ? "诉求量仍有上升，转入常态化监测"
                              : "诉求量持平，转入常态化监测");
    json_decref(e);
    return act(db, env, agent, id, "close", note, at, err);
}

/* One task from a suggestion s (an item, and a town for a problem), started at start;
 * life: 0 open with progress, 1 done, 2 closed. */
static enum wg_rc one_task(struct wg_db *db, const struct wg_task_env *env,
                           const struct wg_actor *agent, const json_t *s, int problem,
                           long long start, int life, long long now,
                           struct wg_task_sample_report *rep, struct wg_err *err)
{
    const char *item = json_string_value(json_object_get(s, "item"));
    const char *name = json_string_value(json_object_get(s, "name"));
    const char *town = problem ? json_string_value(json_object_get(s, "town")) : agent->scope.code;
    const char *place = problem ? json_string_value(json_object_get(s, "town_name")) : "全区";
    const char *lead, *help;
    char topic[200], first[200], deadline[11], unit[80];
    long long id = 0;
    units_for(item, &lead, &help);
    snprintf(topic, sizeof topic, "%s%s问题专项整治", place, name);
    snprintf(first, sizeof first, "开展%s集中整治，对群众反映集中的点位逐一核查", name);
    wg_civil_format_date(wg_cst_day(start) + 45, deadline);
    json_t *body = json_pack("{s:s,s:s,s:s,s:[s],s:s,s:[s],s:[s,s,s],s:s}", "origin",
                             problem ? "top_problem" : "top_item", "topic", topic, "scope", town,
                             "items", item, "lead_unit", lead, "helpers", help, "measures", first,
                             "牵头单位每周联合巡查，建立问题台账",
                             "对重复诉求群众逐户回访，问题销号管理", "deadline", deadline);
    enum wg_rc rc = wg_task_create(db, env, agent, body, start, &id, err);
    json_decref(body);
    if (rc)
        return rc;
    rep->tasks++;
    struct wg_actor handler = *agent;
    snprintf(handler.username, sizeof handler.username, "%s%s", WG_DEMO_HANDLER_PREFIX, lead);
    handler.role = WG_ROLE_HANDLER;
    handler.perms = wg_roles[WG_ROLE_HANDLER].perms;
    snprintf(handler.scope.kind, sizeof handler.scope.kind, "unit");
    snprintf(handler.scope.code, sizeof handler.scope.code, "%s", lead);
    (void)unit;
    long long step = (now - start) / 4;
    for (int i = 0; !rc && i < 2 + (int)(id % 2); i++) {
        long long at = start + (i + 1) * (life ? 5 * DAY : step / 2 + 1);
        if (at >= now)
            break;
        rc = act(db, env, &handler, id, "progress", progress[(id + i) % 4], at, err);
        rep->progress += !rc;
    }
    if (!rc && life >= 1)
        rc = act(db, env, &handler, id, "complete", "整治措施已落实，相关点位问题已整改到位",
                 start + 20 * DAY, err);
    if (!rc && life == 2)
        rc = close_measured(db, env, agent, id, start + 30 * DAY, err);
    rep->closed += life == 2, rep->done += life == 1, rep->open += life == 0;
    return rc;
}

static enum wg_rc make_leaders(struct wg_db *db, const char *county, const char *password,
                               struct wg_task_sample_report *rep, struct wg_err *err)
{
    for (size_t i = 0; i < NLEADERS; i++) {
        struct wg_account_row a;
        enum wg_rc rc = wg_store_account_get(db, leaders[i], &a, err);
        if (rc == WG_OK)
            continue;
        if (rc != WG_ENOTFOUND ||
            (rc = wg_account_create(db, leaders[i], "leader", county, password, 0, err)))
            return rc;
        rep->leaders++;
    }
    return WG_OK;
}

static enum wg_rc sponsorships(struct wg_db *db, const struct wg_pii_keys *keys,
                               const struct wg_actor *agent, long long now,
                               struct wg_task_sample_report *rep, struct wg_err *err)
{
    char last[8], next[8];
    json_t *rank = NULL;
    month_of(now, 1, last);
    month_of(now, -1, next);
    enum wg_rc rc = wg_sponsor_ranking(db, agent, last, "grid", NULL, "65", &rank, err);
    json_t *places = json_object_get(rank, "places"), *p;
    size_t i;
    json_array_foreach(places, i, p)
    {
        if (rc)
            break;
        const char *leader = leaders[i % NLEADERS];
        char why[160];
        long long id = 0, at = now - 35 * DAY + (long long)i * 3600;
        snprintf(why, sizeof why, "%s月热线诉求%lld件，全区第%zu位", last + 5,
                 (long long)json_integer_value(json_object_get(p, "orders")), i + 1);
        json_t *body = json_pack("{s:s,s:s,s:s,s:s,s:s}", "place",
                                 json_string_value(json_object_get(p, "place")), "leader", leader,
                                 "from", last, "to", next, "note", why);
        /* a place with a leader already keeps them */
        rc = json_is_null(json_object_get(p, "sponsorship"))
                 ? wg_sponsor_create(db, agent, body, at, &id, err)
                 : WG_ECONFLICT;
        json_decref(body);
        if (rc == WG_ECONFLICT) {
            wg_err_clear(err);
            rc = WG_OK;
            continue;
        }
        if (rc)
            break;
        rep->sponsorships++;
        struct wg_actor la = *agent;
        snprintf(la.username, sizeof la.username, "%s", leader);
        la.role = WG_ROLE_LEADER;
        la.perms = wg_roles[WG_ROLE_LEADER].perms;
        for (int k = 0; !rc && k < 1 + (int)(i % 3); k++) {
            json_t *n = json_pack("{s:s}", "note", notes[(i + (size_t)k * 3) % 8]);
            rc = wg_sponsor_note(db, keys, &la, id, n, at + (k + 1) * 9 * DAY, err);
            json_decref(n);
            rep->notes += !rc;
        }
    }
    json_decref(rank);
    return rc;
}

enum wg_rc wg_task_sample(struct wg_db *db, const struct wg_task_env *env, const char *county,
                          const char *password, long long now, struct wg_task_sample_report *rep,
                          struct wg_err *err)
{
    struct wg_actor agent;
    json_t *list = NULL, *sug2 = NULL, *sug1 = NULL;
    char m2[8], m1[8];
    enum wg_rc rc;
    memset(rep, 0, sizeof *rep);
    memset(&agent, 0, sizeof agent);
    snprintf(agent.username, sizeof agent.username, "agent");
    agent.role = WG_ROLE_AGENT;
    agent.perms = wg_roles[WG_ROLE_AGENT].perms;
    snprintf(agent.scope.kind, sizeof agent.scope.kind, "region");
    snprintf(agent.scope.code, sizeof agent.scope.code, "%s", county);
    struct wg_task_query q = {NULL, NULL, NULL, NULL, "1", NULL};
    if ((rc = wg_task_list(db, &agent, &q, now, &list, err)))
        return rc;
    int made = json_array_size(json_object_get(list, "tasks")) > 0;
    json_decref(list);
    if (made)
        return WG_OK;
    month_of(now, 2, m2);
    month_of(now, 1, m1);
    if ((rc = wg_task_suggest(db, env, &agent, m2, NULL, &sug2, err)) ||
        (rc = wg_task_suggest(db, env, &agent, m1, NULL, &sug1, err)))
        goto out;
    json_t *p2 = json_object_get(sug2, "top_problems"), *i1 = json_object_get(sug1, "top_items"),
           *p1 = json_object_get(sug1, "top_problems");
    /* two months back: the top problems, closed or done; last month: the top items and
     * problems, running */
    for (size_t i = 0; !rc && i < 4 && i < json_array_size(p2); i++)
        rc = one_task(db, env, &agent, json_array_get(p2, i), 1,
                      now - (55 - (long long)i * 3) * DAY, i < 2 ? 2 : 1, now, rep, err);
    for (size_t i = 0; !rc && i < 2 && i < json_array_size(i1); i++)
        rc = one_task(db, env, &agent, json_array_get(i1, i), 0,
                      now - (20 - (long long)i * 4) * DAY, 0, now, rep, err);
    for (size_t i = 4; !rc && i < 6 && i < json_array_size(p1); i++)
        rc = one_task(db, env, &agent, json_array_get(p1, i), 1, now - (12 - (long long)i) * DAY, 0,
                      now, rep, err);
    if (!rc)
        rc = make_leaders(db, county, password, rep, err);
    if (!rc)
        rc = sponsorships(db, env->keys, &agent, now, rep, err);
out:
    json_decref(sug2);
    json_decref(sug1);
    return rc;
}
