/* The generated grid team (sample.h): who serves each demo grid and what its card publishes,
 * as seed 002's 一格一员一卡 and seed 004's 五公开 describe it. */
#include "domain/registry/sample.h"
#include "core/rng.h"
#include "domain/registry/team.h"
#include "store/accounts/accounts_q.h"

#include <stdio.h>
#include <string.h>

/* A work phone of the 154 prefix, which no carrier has: demo phones reach nobody. */
static json_t *phone(uint64_t *s)
{
    char p[16];
    snprintf(p, sizeof p, "154%08llu", (unsigned long long)(wg_rng_next(s) % 100000000ull));
    return json_string(p);
}

static json_t *member(uint64_t *s, const char *role, const char *name, long long person,
                      const char *duty)
{
    json_t *m = json_pack("{s:s,s:s,s:s,s:o,s:s}", "role", role, "name", name, "since",
                          "2024-01-01", "work_phone", phone(s), "duty", duty);
    if (person)
        json_object_set_new(m, "person", json_integer(person));
    return m;
}

/* The candidate i, or a name drawn for someone living elsewhere (the police, a mediator). */
static const char *who(uint64_t *s, const struct wg_sample_team *t, size_t i, long long *person,
                       char *buf, size_t n)
{
    if (i < t->n) {
        *person = t->c[i].id;
        return t->c[i].name;
    }
    *person = 0;
    wg_sample_name(s, 1975 + (int)(wg_rng_next(s) % 20), (int)(wg_rng_next(s) % 2), buf, n);
    return buf;
}

static json_t *members(uint64_t *s, const struct wg_sample_team *t)
{
    json_t *m = json_array(), *x;
    char buf[32];
    long long person;
    const char *name = who(s, t, 0, &person, buf, sizeof buf);
    json_array_append_new(m, member(s, "head", name, person, "统筹网格工作，分析研判网格事项"));
    name = who(s, t, 1, &person, buf, sizeof buf);
    x = member(s, "full_time", name, person, "入户走访、信息采集、隐患排查、事项上报");
    if (t->worker && t->worker_exists)
        json_object_set_new(x, "username", json_string(t->worker));
    json_array_append_new(m, x);
    if (t->building && *t->building) {
        name = who(s, t, 2, &person, buf, sizeof buf);
        x = member(s, "building_head", name, person, "楼栋信息收集，邻里互助");
        json_object_set_new(x, "building", json_string(t->building));
        json_array_append_new(m, x);
    }
    name = who(s, t, 99, &person, buf, sizeof buf);
    json_array_append_new(m, member(s, "police", name, 0, "治安巡查，矛盾纠纷化解"));
    name = who(s, t, 99, &person, buf, sizeof buf);
    json_array_append_new(m, member(s, "mediator", name, 0, "邻里、家庭纠纷就地调解"));
    name = who(s, t, 3, &person, buf, sizeof buf);
    json_array_append_new(m, member(s, "volunteer", name, person, "关爱独居老人，环境整治"));
    return m;
}

enum wg_rc wg_sample_team(struct wg_db *db, uint64_t *s, const struct wg_sample_team *t,
                          long long now, struct wg_err *err)
{
    char station[160], address[200];
    struct wg_team out;
    struct wg_account_row a;
    struct wg_sample_team with = *t;
    struct wg_err e2 = {0};
    /* the worker's account named on the team when it exists (the demo's does) */
    with.worker_exists = t->worker && !wg_store_account_get(db, t->worker, &a, &e2);
    t = &with;
    snprintf(station, sizeof station, "%s派出所", t->town);
    snprintf(address, sizeof address, "兰山区%s", t->town);
    json_t *body = json_pack(
        "{s:o,s:{s:s,s:s,s:s,s:[{s:s,s:o},{s:s,s:o}]},s:{s:s,s:s,s:s}}", "members", members(s, t),
        "duties", "responsibilities",
        "宣传政策法规，采集人房物组织信息，走访关爱重点人群，排查化解矛盾纠纷，发现上报安全隐患",
        "commitment", "有呼必应、接诉即办、办结回访", "supervision_phone", "12345", "services",
        "name", "社区卫生室", "phone", phone(s), "name", "水电维修", "phone", phone(s),
        "police_station", "name", station, "phone", "110", "address", address);
    memset(&out, 0, sizeof out);
    enum wg_rc rc = wg_team_put(db, NULL, t->grid, 0, body, now, "admin", &out, err);
    json_decref(body);
    if (!rc)
        wg_team_release(&out);
    return rc;
}
