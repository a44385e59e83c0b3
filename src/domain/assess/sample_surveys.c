/* The demo's telephone surveys (survey.h, wg_survey_demo): the district's safety survey of the
 * last two-month round finished — drawn from the registry by town, called by two agents with
 * the refusals, missed calls and retries of a real round, answered with towns that differ —
 * and closed; this round's satisfaction survey open with a third of its numbers called.
 * Written through the same functions as the API, in one transaction. */
#include "domain/assess/survey.h"

#include <stdlib.h>

#include "core/civil.h"
#include "domain/accounts/account.h"
#include "store/accounts/accounts_q.h"

#define HOUR 3600LL
#define DAY  86400LL

static const char *const remarks[] = {
    "小区路灯坏了好几盏，晚上回家不太安全",
    "希望夜里多安排几次巡逻",
    "电动车在楼道里充电，担心着火",
    "网格员经常来走访，服务很热情",
    "农贸市场门口早上占道经营，车过不去",
    "广场舞声音太大，晚上十点还在跳",
    "希望小区门口加装监控",
    "物业管理不到位，外来人员随便进出",
    "对社区工作很满意，有事找得到人",
    "学校门口上下学时段交通比较乱",
};

static const char *const safety_q =
    "[{\"text\":\"您觉得您所在的镇街社会治安状况安全吗？\",\"kind\":\"single\",\"key\":true,"
    "\"options\":[{\"label\":\"很安全\",\"score\":100},{\"label\":\"安全\",\"score\":80},"
    "{\"label\":\"一般\",\"score\":60,\"positive\":false},{\"label\":\"不太安全\",\"score\":30},"
    "{\"label\":\"不安全\",\"score\":0}]},"
    "{\"text\":\"近两个月网格员是否到您家走访过？\",\"kind\":\"yesno\"},"
    "{\"text\":\"您身边有没有让您感到不安全的事？\",\"kind\":\"text\"}]";
static const char *const satisfied_q =
    "[{\"text\":\"您对您所在村（社区）的网格化服务管理工作满意吗？\",\"kind\":\"single\","
    "\"key\":true,\"options\":[{\"label\":\"很满意\",\"score\":100},{\"label\":\"满意\","
    "\"score\":80},{\"label\":\"一般\",\"score\":60,\"positive\":false},{\"label\":\"不太满意\","
    "\"score\":30},{\"label\":\"不满意\",\"score\":0}]},"
    "{\"text\":\"您反映的问题是否得到及时处理？\",\"kind\":\"yesno\"},"
    "{\"text\":\"您对网格工作还有什么意见建议？\",\"kind\":\"text\"}]";

static uint64_t rng = 0x2026DEC7ull;
static double uniform(void)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

static void agent_of(struct wg_actor *a, const char *name, const char *county)
{
    memset(a, 0, sizeof *a);
    snprintf(a->username, sizeof a->username, "%s", name);
    a->role = WG_ROLE_AGENT;
    a->perms = wg_roles[WG_ROLE_AGENT].perms;
    snprintf(a->scope.kind, sizeof a->scope.kind, "region");
    snprintf(a->scope.code, sizeof a->scope.code, "%s", county);
}

/* A resident's answers: towns further down the list feel a little less safe (or satisfied). */
static json_t *answers(const char *town)
{
    int k = (int)(strtol(town + 6, NULL, 10) % 9);
    double positive = 0.95 - 0.028 * k, u = uniform();
    int q1 = u < positive            ? (uniform() < 0.52 ? 0 : 1)
             : (u = uniform()) < 0.6 ? 2
             : u < 0.9               ? 3
                                     : 4;
    json_t *a = json_pack("{s:i,s:b}", "q1", q1, "q2", uniform() < 0.82);
    if (uniform() < 0.18)
        json_object_set_new(a, "q3", json_string(remarks[(size_t)(uniform() * 10) % 10]));
    return a;
}

static const char *outcome(void)
{
    double u = uniform();
    return u < 0.74   ? "reached"
           : u < 0.83 ? "refused"
           : u < 0.94 ? "no_answer"
           : u < 0.98 ? "busy"
                      : "wrong_number";
}

/* Calls of survey id by the two agents from at, every 100 seconds, until share of the sample
 * is settled (1: all of it). */
static enum wg_rc call_round(struct wg_db *db, const struct wg_actor *agents, long long id,
                             long long at, double share, long long size,
                             struct wg_survey_sample_report *rep, struct wg_err *err)
{
    long long settled = 0;
    enum wg_rc rc = WG_OK;
    for (int turn = 0; !rc && settled < (long long)(share * (double)size); turn++) {
        const struct wg_actor *a = &agents[turn % 2];
        json_t *got = NULL, *out = NULL, *body;
        long long call = 0, now = at + turn * 100LL;
        if ((rc = wg_survey_call_next(db, a, id, now, &got, &call, err)) || !call) {
            json_decref(got);
            break;
        }
        const char *o = outcome();
        const char *town = json_string_value(json_object_get(json_object_get(got, "call"), "town"));
        body = json_pack("{s:s}", "outcome", o);
        if (!strcmp(o, "reached"))
            json_object_set_new(body, "answers", answers(town));
        rc = wg_survey_call_record(db, a, id, call, body, now + 60, &out, err);
        rep->calls++;
        rep->reached += !strcmp(o, "reached");
        settled += out && !strcmp(json_string_value(json_object_get(out, "sample_state")), "done");
        json_decref(body);
        json_decref(out);
        json_decref(got);
    }
    return rc;
}

/* One survey over county: made, drawn (per_town numbers), opened at `from`. */
static enum wg_rc one(struct wg_db *db, const struct wg_pii_keys *keys, const struct wg_actor *sup,
                      const char *county, const char *title, const char *kind, const char *qs,
                      int first_day, long long per_town, long long *id, long long *size,
                      struct wg_survey_sample_report *rep, struct wg_err *err)
{
    char from[11], to[11], text[2600];
    json_t *body, *out = NULL, *v = NULL;
    long long version = 0, at = wg_cst_midnight(first_day) + 9 * HOUR;
    int y, m, d;
    enum wg_rc rc;
    wg_civil_date(first_day, &y, &m, &d);
    wg_civil_format_date(first_day, from);
    wg_civil_format_date(wg_civil_days(y, m, 1) + wg_civil_month_days(y, m) +
                             wg_civil_month_days(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1) - 1,
                         to);
    snprintf(text, sizeof text,
             "{\"title\":\"%s\",\"kind\":\"%s\",\"scope\":\"%s\",\"period_from\":\"%s\","
             "\"period_to\":\"%s\",\"questions\":%s}",
             title, kind, county, from, to, qs);
    body = json_loads(text, 0, NULL);
    rc = body ? wg_survey_create(db, sup, body, at - 20 * DAY, id, err)
              : wg_err_set(err, WG_EINTERNAL, "the demo's questionnaire does not parse");
    json_decref(body);
    body = json_pack("{s:s,s:I,s:I}", "frame", "registry", "per_town", (json_int_t)per_town, "seed",
                     (json_int_t)(first_day * 7 % 100000));
    if (!rc)
        rc = wg_survey_sample(db, keys, sup, *id, body, at - 3 * DAY, &out, err);
    json_decref(body);
    if (!rc) {
        *size = json_integer_value(json_object_get(out, "drawn"));
        rep->numbers += (int)*size;
        rep->surveys++;
        rc = wg_survey_view(db, sup, *id, &v, &version, err);
    }
    json_decref(out);
    json_decref(v);
    body = json_pack("{s:s}", "action", "open");
    if (!rc)
        rc = wg_survey_act(db, sup, *id, version, body, at - DAY, err);
    json_decref(body);
    return rc;
}

static enum wg_rc rounds(struct wg_db *db, const struct wg_pii_keys *keys, const char *county,
                         long long now, struct wg_survey_sample_report *rep, struct wg_err *err)
{
    struct wg_actor sup, agents[2];
    int y, m, d, today = wg_cst_day(now);
    long long id = 0, size = 0, version = 0;
    char title[160];
    json_t *v = NULL, *close = json_pack("{s:s}", "action", "close");
    enum wg_rc rc;
    agent_of(&sup, "supervisor", county);
    sup.role = WG_ROLE_SUPERVISOR;
    sup.perms = wg_roles[WG_ROLE_SUPERVISOR].perms;
    agent_of(&agents[0], "wangli", county);
    agent_of(&agents[1], "chenjing", county);
    wg_civil_date(today, &y, &m, &d);
    int round = (m - 1) / 2, first = wg_civil_days(y, round * 2 + 1, 1);
    int prev_first = round ? wg_civil_days(y, round * 2 - 1, 1) : wg_civil_days(y - 1, 11, 1);
    /* the last round: safety, finished in its second month and closed */
    snprintf(title, sizeof title, "%d年第%d期群众安全感电话调查", round ? y : y - 1,
             round ? round : 6);
    rc = one(db, keys, &sup, county, title, "safety", safety_q, prev_first, 60, &id, &size, rep,
             err);
    if (!rc)
        rc = call_round(db, agents, id, wg_cst_midnight(prev_first + 35) + 9 * HOUR, 1.0, size, rep,
                        err);
    if (!rc)
        rc = wg_survey_view(db, &sup, id, &v, &version, err);
    if (!rc)
        rc = wg_survey_act(db, &sup, id, version, close, wg_cst_midnight(prev_first + 58), err);
    json_decref(v);
    json_decref(close);
    /* this round: satisfaction, a third called so far (from the round's first days) */
    snprintf(title, sizeof title, "%d年第%d期群众满意度电话调查", y, round + 1);
    if (!rc)
        rc = one(db, keys, &sup, county, title, "satisfaction", satisfied_q, first, 40, &id, &size,
                 rep, err);
    long long start = today - first > 3 ? wg_cst_midnight(first + 3) + 9 * HOUR : now - 6 * HOUR;
    if (!rc)
        rc = call_round(db, agents, id, start, 0.35, size, rep, err);
    return rc;
}

enum wg_rc wg_survey_demo(struct wg_db *db, const struct wg_pii_keys *keys, const char *county,
                          const char *password, long long now, struct wg_survey_sample_report *rep,
                          struct wg_err *err)
{
    struct wg_actor sup;
    json_t *list = NULL;
    enum wg_rc rc;
    memset(rep, 0, sizeof *rep);
    agent_of(&sup, "supervisor", county);
    struct wg_survey_query q = {NULL, NULL, "1", NULL};
    if ((rc = wg_survey_list(db, &sup, &q, &list, err)))
        return rc;
    int made = json_array_size(json_object_get(list, "surveys")) > 0;
    json_decref(list);
    if (made)
        return WG_OK;
    static const char *const names[] = {"wangli", "chenjing"};
    for (size_t i = 0; i < 2; i++) {
        struct wg_account_row a;
        rc = wg_store_account_get(db, names[i], &a, err);
        if (rc == WG_ENOTFOUND)
            rc = wg_account_create(db, names[i], "agent", county, password, 0, err);
        if (rc)
            return rc;
    }
    if ((rc = wg_db_begin(db, err)))
        return rc;
    rc = rounds(db, keys, county, now, rep, err);
    if (!rc)
        rc = wg_db_commit(db, err);
    if (rc)
        wg_db_rollback(db);
    return rc;
}
