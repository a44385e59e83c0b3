/* 未诉先办 tasks and leaders' 帮包 (domain/alerts/task.h, sponsor.h) on a real store on every
 * backend: a task opened with every bad field refused naming it and nothing stored; who sees
 * a task (the region scope holding it, the units leading or helping it) and who moves it;
 * moves under the version, refused out of state or on a lost race; the list's filters and
 * pages; the effect counted from planted counter cells after, before and a year earlier;
 * the month's suggestions; the ranking of grids, assignments of leaders with their checks
 * and overlaps, the list's trends and the leader's notes; the report's description. */
#include "t.h"

#include "core/civil.h"
#include "domain/accounts/account.h"
#include "domain/accounts/pii_keys.h"
#include "domain/accounts/pii_rotate.h"
#include "domain/alerts/sponsor.h"
#include "domain/alerts/task.h"
#include "domain/map/region.h"
#include "domain/stats/stats.h"
#include "pdf/report.h"
#include "store/accounts/accounts_q.h"
#include "store/alerts/warning_q.h"
#include "store/catalog/catalog_q.h"
#include "store/map/map_q.h"
#include "store/stats/stats_q.h"
#include "t_grid.h"
#include "t_store.h"

#define COUNTY "371302"
#define TOWN   "371302001"
#define GRID   "371302001001001"
#define GRID2  "371302001001002"
#define WEST   "371302002001001"
#define NOISE  "06028"
#define SMOKE  "06908"

static struct wg_catalog cat;
static struct wg_calendar *cal;
static struct wg_task_env env;

static int day(const char *s)
{
    return wg_civil_parse_date(s);
}

static void actor(struct wg_actor *a, const char *name, const char *role, const char *kind,
                  const char *code)
{
    memset(a, 0, sizeof *a);
    snprintf(a->username, sizeof a->username, "%s", name);
    T_EQ_INT(wg_role_parse(role, &a->role, NULL), WG_OK);
    a->perms = wg_role_find(role)->perms;
    snprintf(a->scope.kind, sizeof a->scope.kind, "%s", kind);
    snprintf(a->scope.code, sizeof a->scope.code, "%s", code);
}

static void add_account(struct wg_db *db, const char *name, const char *role, const char *scope)
{
    struct wg_err err = {0};
    struct wg_account_row a = {0};
    snprintf(a.username, sizeof a.username, "%s", name);
    snprintf(a.role, sizeof a.role, "%s", role);
    snprintf(a.scope_kind, sizeof a.scope_kind, "region");
    snprintf(a.scope, sizeof a.scope, "%s", scope);
    snprintf(a.password_hash, sizeof a.password_hash, "x");
    T_EQ_INT(wg_store_account_insert(db, &a, &err), WG_OK);
}

static void add_unit(struct wg_db *db, const char *id, const char *name)
{
    struct wg_err err = {0};
    struct wg_unit_row u = {0};
    snprintf(u.id, sizeof u.id, "%s", id);
    snprintf(u.name, sizeof u.name, "%s", name);
    snprintf(u.kind, sizeof u.kind, "department");
    T_EQ_INT(wg_store_unit_insert(db, &u, &err), WG_OK);
}

/* n orders of item received in leaf on a day, as the counters hold them. */
static void plant(struct wg_db *db, const char *leaf, const char *item, int d, long long n)
{
    struct wg_err err = {0};
    struct wg_stat_cell c = {d, leaf, "", item, "hotline", {0}};
    c.c[WG_SC_RECEIVED] = n;
    T_EQ_INT(wg_db_begin(db, &err), WG_OK);
    T_EQ_INT(wg_store_stat_add(db, &c, &err), WG_OK);
    T_EQ_INT(wg_db_commit(db, &err), WG_OK);
}

static long long count(const char *table)
{
    char sql[80];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
    return t_store_one(t_store_dir, sql);
}

static enum wg_rc open_task(struct wg_db *db, const struct wg_actor *a, const char *text,
                            long long now, long long *id, struct wg_err *err)
{
    json_error_t je;
    json_t *body = json_loads(text, 0, &je);
    if (!body)
        fprintf(stderr, "bad test JSON: %s\n", je.text);
    T_CHECK(body != NULL);
    enum wg_rc rc = wg_task_create(db, &env, a, body, now, id, err);
    json_decref(body);
    return rc;
}

static enum wg_rc act(struct wg_db *db, const struct wg_actor *a, long long id, long long version,
                      const char *text, long long now, struct wg_err *err)
{
    json_t *body = json_loads(text, 0, NULL);
    T_CHECK(body != NULL);
    enum wg_rc rc = wg_task_act(db, env.keys, a, id, version, body, now, err);
    json_decref(body);
    return rc;
}

static long long version_of(struct wg_db *db, long long id, long long now)
{
    struct wg_err err = {0};
    struct wg_actor all;
    json_t *v = NULL;
    long long version = 0;
    actor(&all, "centre", "agent", "region", "");
    T_EQ_INT(wg_task_view(db, &env, &all, id, now, &v, &version, &err), WG_OK);
    json_decref(v);
    return version;
}

#define GOOD                                                                                       \
    "\"origin\":\"top_item\",\"topic\":\"整治东关社区夜间噪声\",\"scope\":\"" TOWN "\","           \
    "\"items\":[\"" NOISE "\"],\"lead_unit\":\"cg\",\"helpers\":[\"hb\"],"                         \
    "\"measures\":[\"夜间巡查\",\"约谈商户\"],\"deadline\":\"2026-12-31\""

static void bad_bodies(struct wg_db *db, const struct wg_actor *agent, long long now)
{
    static const struct {
        const char *body, *names;
    } bad[] = {
        {"{" GOOD ",\"colour\":1}", "'colour'"},
        {"{\"origin\":\"rumour\",\"topic\":\"x\"}", "'origin'"},
        {"{" GOOD ",\"origin\":\"warning\"}", "'warning'"},
        {"{" GOOD ",\"warning\":3}", "'warning'"},
        {"{" GOOD ",\"topic\":\"   \"}", "'topic'"},
        {"{" GOOD ",\"scope\":\"371311\"}", "'scope'"},
        {"{" GOOD ",\"scope\":\"371302009\"}", "'scope'"},
        {"{" GOOD ",\"scope\":\"37x\"}", "'scope'"},
        {"{" GOOD ",\"items\":[]}", "'items'"},
        {"{" GOOD ",\"items\":[\"99999\"]}", "'items[0]'"},
        {"{" GOOD ",\"items\":[\"" NOISE "\",\"" NOISE "\"]}", "'items[1]'"},
        {"{" GOOD ",\"items\":[\"" NOISE "\",\"06\"]}", "'items[0]'"},
        {"{" GOOD ",\"lead_unit\":\"nobody\"}", "'lead_unit'"},
        {"{" GOOD ",\"helpers\":[\"cg\"]}", "'helpers[0]'"},
        {"{" GOOD ",\"helpers\":[\"zz\"]}", "'helpers[0]'"},
        {"{" GOOD ",\"measures\":[\"\"]}", "'measures[0]'"},
        {"{" GOOD ",\"measures\":\"巡查\"}", "'measures'"},
        {"{" GOOD ",\"deadline\":\"2026-02-30\"}", "'deadline'"},
        {"{" GOOD ",\"deadline\":\"2026-11-30\"}", "'deadline'"},
        {"{" GOOD ",\"deadline\":\"2030-01-01\"}", "'deadline'"},
        {"{" GOOD ",\"owner\":\"ghost\"}", "'owner'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct wg_err err = {0};
        long long id = 7;
        T_EQ_INT(open_task(db, agent, bad[i].body, now, &id, &err), WG_EINVAL);
        T_EQ_INT(id, 0);
        if (!strstr(err.msg, bad[i].names)) {
            fprintf(stderr, "case %zu: '%s' does not name %s\n", i, err.msg, bad[i].names);
            T_CHECK(0);
        }
    }
    T_EQ_INT(count("task"), 0);
    T_EQ_INT(count("task_event"), 0);
    T_EQ_INT(count("outbox"), 0);
    T_EQ_INT(count("task_unit"), 0);
}

static long long list_count(struct wg_db *db, const struct wg_actor *a,
                            const struct wg_task_query *q, long long now)
{
    struct wg_err err = {0};
    json_t *out = NULL;
    T_EQ_INT(wg_task_list(db, a, q, now, &out, &err), WG_OK);
    long long n = (long long)json_array_size(json_object_get(out, "tasks"));
    json_decref(out);
    return n;
}

static void moves(struct wg_db *db, long long now, long long a, long long b, long long c);

/* A task opened from a warning of its grid (two warnings planted as the follower stores them:
 * wn in the grid, wout in another town) moves the warning to handled. */
static void from_warning(struct wg_db *db, const struct wg_actor *agent, long long now,
                         long long *wn, long long *wout, long long *b)
{
    struct wg_err err = {0};
    struct wg_warning_row w = {.kind = "cluster",
                               .level = "yellow",
                               .item = SMOKE,
                               .scope = GRID,
                               .key = "t",
                               .count = 6,
                               .detail = "{}",
                               .note = "",
                               .first_at = now,
                               .last_at = now};
    T_EQ_INT(wg_store_warn_insert(db, &w, wn, &err), WG_OK);
    snprintf(w.scope, sizeof w.scope, "371302002001001");
    T_EQ_INT(wg_store_warn_insert(db, &w, wout, &err), WG_OK);
    char body[600];
    snprintf(body, sizeof body,
             "{\"origin\":\"warning\",\"warning\":%lld,\"topic\":\"油烟扰民专项\","
             "\"scope\":\"" GRID "\",\"items\":[\"" SMOKE "\"],\"lead_unit\":\"hb\","
             "\"measures\":[\"安装净化器\"],\"deadline\":\"2027-01-04\","
             "\"owner\":\"agent1\"}",
             *wn);
    T_EQ_INT(open_task(db, agent, body, now, b, &err), WG_OK);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM warning WHERE state = 'handled' AND "
                                      "handled_kind = 'task'"),
             1);
}

/* A second task from a handled warning, or one from a warning outside the opener's town or
 * none, is refused and stores nothing. */
static void warning_refusals(struct wg_db *db, const struct wg_actor *agent, long long wn,
                             long long wout, long long now)
{
    struct wg_err err = {0};
    struct wg_actor town;
    actor(&town, "agent3", "agent", "region", "371302001");
    char body[600];
    long long refused = 0;
    snprintf(body, sizeof body,
             "{\"origin\":\"warning\",\"warning\":%lld,\"topic\":\"油烟扰民专项\","
             "\"scope\":\"" GRID "\",\"items\":[\"" SMOKE "\"],\"lead_unit\":\"hb\","
             "\"measures\":[\"安装净化器\"],\"deadline\":\"2027-01-04\","
             "\"owner\":\"agent1\"}",
             wn);
    T_EQ_INT(open_task(db, agent, body, now, &refused, &err), WG_ECONFLICT);
    T_CHECK(strstr(err.msg, "'warning'") && strstr(err.msg, "handled"));
    T_EQ_INT(count("task"), 3);
    /* a warning outside the opener's town, or none, is refused and stores no task */
    for (int i = 0; i < 2; i++) {
        snprintf(body, sizeof body,
                 "{\"origin\":\"warning\",\"warning\":%lld,\"topic\":\"油烟扰民专项\","
                 "\"scope\":\"" GRID "\",\"items\":[\"" SMOKE "\"],\"lead_unit\":\"hb\","
                 "\"measures\":[\"安装净化器\"],\"deadline\":\"2027-01-04\"}",
                 i ? wout : 999999);
        T_EQ_INT(open_task(db, &town, body, now, &refused, &err), WG_EINVAL);
        T_CHECK(strstr(err.msg, "'warning'") != NULL);
    }
    T_EQ_INT(count("task"), 3);
}

static void tasks(struct wg_db *db, long long now)
{
    struct wg_err err = {0};
    struct wg_actor agent, other_town, cg, hb, lz, gw;
    actor(&agent, "agent1", "agent", "region", COUNTY);
    actor(&other_town, "agent2", "agent", "region", "371302002");
    actor(&cg, "cg1", "handler", "unit", "cg");
    actor(&hb, "hb1", "handler", "unit", "hb");
    actor(&lz, "lz1", "handler", "unit", "lz");
    actor(&gw, "gw1", "gridworker", "region", GRID);
    bad_bodies(db, &agent, now);

    long long a = 0, b = 0, c = 0, wn = 0, wout = 0;
    T_EQ_INT(open_task(db, &agent, "{" GOOD "}", now, &a, &err), WG_OK);
    T_CHECK(a > 0);
    from_warning(db, &agent, now, &wn, &wout, &b);
    T_EQ_INT(open_task(db, &agent,
                       "{\"origin\":\"top_problem\",\"topic\":\"西关噪声\",\"scope\":\"" WEST
                       "\",\"items\":[\"" NOISE "\"],\"lead_unit\":\"lz\","
                       "\"measures\":[\"约谈\"],\"deadline\":\"2026-12-04\"}",
                       now, &c, &err),
             WG_OK);
    /* (refusals after the three: PostgreSQL spends an id on a rolled-back insert) */
    warning_refusals(db, &agent, wn, wout, now);
    T_EQ_INT(count("task_unit"), 4);
    /* each unit told once a task: cg and hb of the first, hb of the second, lz of the third */
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM outbox WHERE kind = 'task_opened'"), 4);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM outbox WHERE kind = 'task_opened' "
                                      "AND recipient = 'unit:hb'"),
             2);
    T_EQ_INT(count("task_item"), 3);

    /* due at the close of the deadline's working day; 2026-12-31 is a Thursday */
    json_t *v = NULL;
    long long version = 0;
    T_EQ_INT(wg_task_view(db, &env, &agent, a, now, &v, &version, &err), WG_OK);
    T_EQ_INT(json_integer_value(json_object_get(v, "due_at")),
             wg_cst_midnight(day("2026-12-31")) + 17 * 3600 + 30 * 60);
    T_EQ_STR(json_string_value(json_object_get(v, "scope_name")), "兰山街道");
    T_EQ_STR(json_string_value(json_object_get(json_object_get(v, "lead_unit"), "name")),
             "城市管理局");
    T_EQ_STR(
        json_string_value(json_object_get(json_array_get(json_object_get(v, "items"), 0), "name")),
        "噪声扰民");
    T_EQ_INT(json_array_size(json_object_get(v, "timeline")), 1);
    T_EQ_STR(json_string_value(json_object_get(v, "owner")), "agent1");
    json_decref(v);
    /* 2026-12-05 is a Saturday: due at Monday's close */
    T_EQ_INT(t_store_one(t_store_dir, "SELECT due_at FROM task WHERE topic = '西关噪声'"),
             wg_cst_midnight(day("2026-12-04")) + 17 * 3600 + 30 * 60);

    /* who sees what */
    T_EQ_INT(wg_task_view(db, &env, &other_town, a, now, &v, &version, &err), WG_ENOTFOUND);
    T_EQ_INT(wg_task_view(db, &env, &hb, a, now, &v, &version, &err), WG_OK);
    json_decref(v);
    T_EQ_INT(wg_task_view(db, &env, &lz, a, now, &v, &version, &err), WG_ENOTFOUND);
    T_EQ_INT(wg_task_view(db, &env, &gw, a, now, &v, &version, &err), WG_ENOTFOUND);
    T_EQ_INT(wg_task_view(db, &env, &gw, b, now, &v, &version, &err), WG_OK);
    json_decref(v);

    struct wg_task_query q = {0};
    T_EQ_INT(list_count(db, &agent, &q, now), 3);
    T_EQ_INT(list_count(db, &other_town, &q, now), 1);
    T_EQ_INT(list_count(db, &hb, &q, now), 2);
    T_EQ_INT(list_count(db, &lz, &q, now), 1);
    T_EQ_INT(list_count(db, &gw, &q, now), 1);
    q.origin = "warning";
    T_EQ_INT(list_count(db, &agent, &q, now), 1);
    q.origin = NULL, q.item = NOISE;
    T_EQ_INT(list_count(db, &agent, &q, now), 2);
    q.item = NULL, q.unit = "hb";
    T_EQ_INT(list_count(db, &agent, &q, now), 2);
    T_EQ_INT(list_count(db, &lz, &q, now), 0); /* another unit's tasks are not lz's */
    q.unit = NULL, q.limit = "2";
    json_t *page = NULL;
    T_EQ_INT(wg_task_list(db, &agent, &q, now, &page, &err), WG_OK);
    T_EQ_INT(json_array_size(json_object_get(page, "tasks")), 2);
    q.cursor = json_string_value(json_object_get(page, "next_cursor"));
    T_CHECK(q.cursor != NULL);
    T_EQ_INT(list_count(db, &agent, &q, now), 1);
    json_decref(page);
    struct wg_task_query badq[] = {
        {.state = "asleep"}, {.origin = "x"}, {.limit = "0"}, {.cursor = "abc"}};
    for (size_t i = 0; i < sizeof badq / sizeof badq[0]; i++)
        T_EQ_INT(wg_task_list(db, &agent, &badq[i], now, &page, &err), WG_EINVAL);

    moves(db, now, a, b, c);
}

/* Moves: progress by a helping unit, complete only by the lead or a reviewer. */
static void moves(struct wg_db *db, long long now, long long a, long long b, long long c)
{
    struct wg_err err = {0};
    struct wg_actor agent, cg, hb, lz, gw;
    struct wg_task_query q;
    actor(&agent, "agent1", "agent", "region", COUNTY);
    actor(&cg, "cg1", "handler", "unit", "cg");
    actor(&hb, "hb1", "handler", "unit", "hb");
    actor(&lz, "lz1", "handler", "unit", "lz");
    actor(&gw, "gw1", "gridworker", "region", GRID);
    long long ver = version_of(db, a, now);
    T_EQ_INT(act(db, &hb, a, ver, "{\"action\":\"progress\"}", now, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "'note'") != NULL);
    T_EQ_INT(act(db, &hb, a, ver, "{\"action\":\"snooze\",\"note\":\"x\"}", now, &err), WG_EINVAL);
    T_EQ_INT(act(db, &hb, a, ver, "{\"action\":\"progress\",\"note\":\"已约谈3家商户\"}", now + 60,
                 &err),
             WG_OK);
    T_EQ_INT(act(db, &hb, a, ver, "{\"action\":\"progress\",\"note\":\"again\"}", now + 61, &err),
             WG_ECONFLICT); /* the version moved on */
    ver = version_of(db, a, now);
    T_EQ_INT(act(db, &hb, a, ver, "{\"action\":\"complete\"}", now + 62, &err), WG_EFORBIDDEN);
    T_EQ_INT(act(db, &lz, a, ver, "{\"action\":\"progress\",\"note\":\"x\"}", now, &err),
             WG_ENOTFOUND);
    T_EQ_INT(act(db, &gw, b, version_of(db, b, now), "{\"action\":\"progress\",\"note\":\"x\"}",
                 now, &err),
             WG_EFORBIDDEN);
    T_EQ_INT(act(db, &cg, a, ver, "{\"action\":\"close\"}", now, &err), WG_EFORBIDDEN);
    T_EQ_INT(act(db, &agent, a, ver, "{\"action\":\"close\"}", now, &err), WG_ECONFLICT);
    T_EQ_INT(
        act(db, &cg, a, ver, "{\"action\":\"complete\",\"note\":\"整治完成\"}", now + 120, &err),
        WG_OK);
    ver = version_of(db, a, now);
    T_EQ_INT(act(db, &hb, a, ver, "{\"action\":\"progress\",\"note\":\"x\"}", now, &err),
             WG_ECONFLICT); /* done: no more progress */
    T_EQ_INT(
        act(db, &agent, a, ver, "{\"action\":\"close\",\"note\":\"成效明显\"}", now + 180, &err),
        WG_OK);
    T_EQ_INT(act(db, &agent, c, version_of(db, c, now), "{\"action\":\"cancel\"}", now, &err),
             WG_EINVAL);
    T_EQ_INT(act(db, &agent, c, version_of(db, c, now),
                 "{\"action\":\"cancel\",\"note\":\"并入区级专项\"}", now, &err),
             WG_OK);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM task_event WHERE task = 1"), 4);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT finished_at FROM task WHERE id = 1"), now + 120);
    q = (struct wg_task_query){.state = "closed"};
    T_EQ_INT(list_count(db, &agent, &q, now), 1);
    q.state = "open";
    T_EQ_INT(list_count(db, &agent, &q, now), 1);
}

/* Task 1 started on now's day over the town: plant noise orders before, after, a year back,
 * outside the town and of another item, and read the effect. */
static void effect(struct wg_db *db, long long now)
{
    struct wg_err err = {0};
    struct wg_actor agent;
    actor(&agent, "agent1", "agent", "region", COUNTY);
    int start = wg_cst_day(now);
    plant(db, GRID, NOISE, start - 10, 6);        /* before */
    plant(db, GRID2, NOISE, start - 1, 4);        /* before */
    plant(db, GRID, NOISE, start - 11, 50);       /* outside a 10-day window */
    plant(db, GRID, NOISE, start + 2, 3);         /* after */
    plant(db, GRID, SMOKE, start + 2, 9);         /* another item */
    plant(db, WEST, NOISE, start + 2, 9);         /* another town */
    plant(db, GRID, NOISE, day("2025-12-05"), 5); /* a year earlier, inside the window */
    json_t *out = NULL;
    long long later = now + 10 * 86400;
    T_EQ_INT(wg_task_effect(db, &agent, 1, NULL, later, &out, &err), WG_OK);
    T_EQ_INT(json_integer_value(json_object_get(out, "window_days")), 10);
    T_EQ_INT(json_integer_value(json_object_get(json_object_get(out, "after"), "orders")), 3);
    T_EQ_INT(json_integer_value(json_object_get(json_object_get(out, "before"), "orders")), 10);
    T_EQ_INT(json_integer_value(json_object_get(json_object_get(out, "last_year"), "orders")), 5);
    T_NEAR(json_real_value(json_object_get(out, "change")), -0.7, 1e-9);
    T_NEAR(json_real_value(json_object_get(out, "yoy_change")), -0.4, 1e-9);
    T_EQ_INT(json_array_size(json_object_get(out, "daily")), 10);
    T_EQ_STR(json_string_value(json_object_get(json_object_get(out, "last_year"), "from")),
             "2025-12-01");
    json_decref(out);
    /* a window asked for: 11 days takes in the 50 before */
    T_EQ_INT(wg_task_effect(db, &agent, 1, "11", later, &out, &err), WG_OK);
    T_EQ_INT(json_integer_value(json_object_get(json_object_get(out, "before"), "orders")), 60);
    json_decref(out);
    T_EQ_INT(wg_task_effect(db, &agent, 1, "0", later, &out, &err), WG_EINVAL);
    T_EQ_INT(wg_task_effect(db, &agent, 1, "366", later, &out, &err), WG_EINVAL);
    /* nothing before: no ratio */
    T_EQ_INT(wg_task_effect(db, &agent, 2, NULL, later, &out, &err), WG_OK);
    T_CHECK(json_is_null(json_object_get(out, "change")));
    T_EQ_INT(json_integer_value(json_object_get(json_object_get(out, "after"), "orders")), 9);
    json_decref(out);

    /* the monthly table */
    const char *items[] = {NOISE};
    T_EQ_INT(wg_task_monthly(db, TOWN, items, 1, later, &out, &err), WG_OK);
    json_t *months = json_object_get(out, "months");
    T_EQ_INT(json_array_size(months), 12);
    json_t *dec = json_array_get(months, 11), *nov = json_array_get(months, 10);
    T_EQ_STR(json_string_value(json_object_get(dec, "month")), "2026-12");
    T_EQ_INT(json_integer_value(json_object_get(dec, "orders")), 3);
    T_EQ_INT(json_integer_value(json_object_get(nov, "orders")), 60);
    T_EQ_INT(json_integer_value(json_object_get(json_object_get(nov, "by_item"), NOISE)), 60);
    json_decref(out);

    /* suggestions for November: noise in the town first, then smoke none (December) */
    T_EQ_INT(wg_task_suggest(db, &env, &agent, "2026-11", NULL, &out, &err), WG_OK);
    json_t *top = json_array_get(json_object_get(out, "top_items"), 0);
    T_EQ_STR(json_string_value(json_object_get(top, "item")), NOISE);
    T_EQ_INT(json_integer_value(json_object_get(top, "orders")), 60);
    json_t *prob = json_array_get(json_object_get(out, "top_problems"), 0);
    T_EQ_STR(json_string_value(json_object_get(prob, "town")), TOWN);
    T_EQ_STR(json_string_value(json_object_get(prob, "town_name")), "兰山街道");
    json_decref(out);
    T_EQ_INT(wg_task_suggest(db, &env, &agent, "2026-12", NULL, &out, &err), WG_OK);
    T_EQ_INT(json_array_size(json_object_get(out, "top_items")), 2);
    top = json_array_get(json_object_get(out, "top_items"), 0);
    T_EQ_STR(json_string_value(json_object_get(top, "item")), NOISE); /* 3 + 9 */
    T_EQ_INT(json_integer_value(json_object_get(top, "last_month")), 60);
    json_decref(out);
    struct wg_actor west;
    actor(&west, "agent2", "agent", "region", "371302002");
    T_EQ_INT(wg_task_suggest(db, &env, &west, "2026-12", TOWN, &out, &err), WG_ENOTFOUND);
    T_EQ_INT(wg_task_suggest(db, &env, &west, "2026-13", NULL, &out, &err), WG_EINVAL);
    T_EQ_INT(wg_task_suggest(db, &env, &west, NULL, NULL, &out, &err), WG_EINVAL);

    /* the report's description holds the figures */
    struct wg_report r;
    T_EQ_INT(wg_task_report(db, &env, &agent, 1, later, &r, &err), WG_OK);
    int figures = 0, table = 0;
    for (size_t i = 0; i < r.n; i++) {
        figures += r.blocks[i].kind == WG_REPORT_FIGURE;
        table += r.blocks[i].kind == WG_REPORT_TABLE && r.blocks[i].nrows == 13;
    }
    T_EQ_INT(figures, 5);
    T_EQ_INT(table, 1);
    wg_report_release(&r);
    T_EQ_INT(wg_task_report(db, &env, &west, 1, later, &r, &err), WG_ENOTFOUND);
    wg_report_release(&r);
}

static enum wg_rc assign(struct wg_db *db, const struct wg_actor *a, const char *text,
                         long long *id, struct wg_err *err)
{
    json_t *body = json_loads(text, 0, NULL);
    T_CHECK(body != NULL);
    enum wg_rc rc = wg_sponsor_create(db, a, body, 1796000000LL, id, err);
    json_decref(body);
    return rc;
}

static enum wg_rc note(struct wg_db *db, const struct wg_actor *a, long long id, const char *text,
                       struct wg_err *err)
{
    json_t *body = json_pack("{s:s}", "note", text);
    enum wg_rc rc = wg_sponsor_note(db, env.keys, a, id, body, 1796000100LL, err);
    json_decref(body);
    return rc;
}

static void assignments(struct wg_db *db, long long now);

static void sponsorships(struct wg_db *db, long long now)
{
    struct wg_err err = {0};
    struct wg_actor agent, west, leader, other_leader;
    actor(&agent, "agent1", "agent", "region", COUNTY);
    actor(&west, "agent2", "agent", "region", "371302002");
    actor(&leader, "wangjm", "leader", "region", COUNTY);
    actor(&other_leader, "lihua", "leader", "region", TOWN);
    json_t *out = NULL;
    /* November: GRID 56, GRID2 4; October none */
    T_EQ_INT(wg_sponsor_ranking(db, &agent, "2026-11", "grid", NULL, NULL, &out, &err), WG_OK);
    json_t *places = json_object_get(out, "places");
    T_EQ_INT(json_array_size(places), 2);
    T_EQ_STR(json_string_value(json_object_get(json_array_get(places, 0), "place")), GRID);
    T_EQ_INT(json_integer_value(json_object_get(json_array_get(places, 0), "orders")), 56);
    T_EQ_STR(json_string_value(json_object_get(json_array_get(places, 0), "name")), "网格001");
    T_CHECK(json_is_null(json_object_get(out, "note")));
    json_decref(out);
    T_EQ_INT(wg_sponsor_ranking(db, &agent, "2026-12", "compound", NULL, "1", &out, &err), WG_OK);
    T_CHECK(strstr(json_string_value(json_object_get(out, "note")), "compound") != NULL);
    places = json_object_get(out, "places");
    T_EQ_INT(json_array_size(places), 1);
    T_EQ_STR(json_string_value(json_object_get(json_array_get(places, 0), "place")), GRID);
    T_EQ_INT(json_integer_value(json_object_get(json_array_get(places, 0), "orders")), 12);
    T_EQ_INT(json_integer_value(json_object_get(json_array_get(places, 0), "last_month")), 56);
    json_decref(out);
    T_EQ_INT(wg_sponsor_ranking(db, &west, "2026-12", NULL, NULL, NULL, &out, &err), WG_OK);
    T_EQ_STR(json_string_value(
                 json_object_get(json_array_get(json_object_get(out, "places"), 0), "place")),
             WEST);
    json_decref(out);
    T_EQ_INT(wg_sponsor_ranking(db, &agent, "2026-12", "street", NULL, NULL, &out, &err),
             WG_EINVAL);
    T_EQ_INT(wg_sponsor_ranking(db, &agent, "12/2026", NULL, NULL, NULL, &out, &err), WG_EINVAL);
    T_EQ_INT(wg_sponsor_ranking(db, &west, "2026-12", NULL, TOWN, NULL, &out, &err), WG_ENOTFOUND);

    assignments(db, now);
}

/* Assignments refused field by field, made, overlapping refused; notes; the list. */
static void assignments(struct wg_db *db, long long now)
{
    struct wg_err err = {0};
    struct wg_actor agent, west, leader, other_leader;
    actor(&agent, "agent1", "agent", "region", COUNTY);
    actor(&west, "agent2", "agent", "region", "371302002");
    actor(&leader, "wangjm", "leader", "region", COUNTY);
    actor(&other_leader, "lihua", "leader", "region", TOWN);
    json_t *out = NULL;
    static const struct {
        const char *body, *names;
        enum wg_rc rc;
    } bad[] = {
        {"{\"place\":\"" GRID "\",\"leader\":\"wangjm\"}", "'month'", WG_EINVAL},
        {"{\"place\":\"" GRID "\",\"leader\":\"wangjm\",\"month\":\"2026-13\"}", "'month'",
         WG_EINVAL},
        {"{\"place\":\"" GRID "\",\"leader\":\"wangjm\",\"from\":\"2026-12\",\"to\":\"2026-11\"}",
         "'to'", WG_EINVAL},
        {"{\"place\":\"" GRID "\",\"leader\":\"wangjm\",\"from\":\"2026-01\",\"to\":\"2028-01\"}",
         "24", WG_EINVAL},
        {"{\"place\":\"" GRID "\",\"leader\":\"agent1\",\"month\":\"2026-12\"}", "'leader'",
         WG_EINVAL},
        {"{\"place\":\"" GRID "\",\"leader\":\"nobody\",\"month\":\"2026-12\"}", "'leader'",
         WG_EINVAL},
        {"{\"place\":\"" WEST "\",\"leader\":\"lihua\",\"month\":\"2026-12\"}", "'leader'",
         WG_EINVAL},
        {"{\"place\":\"371302001009009\",\"leader\":\"wangjm\",\"month\":\"2026-12\"}", "'place'",
         WG_EINVAL},
        {"{\"place\":\"" GRID "\",\"leader\":\"wangjm\",\"month\":\"2026-12\",\"x\":1}", "'x'",
         WG_EINVAL},
    };
    long long id = 0, first = 0, second = 0;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        T_EQ_INT(assign(db, &agent, bad[i].body, &id, &err), bad[i].rc);
        if (!strstr(err.msg, bad[i].names)) {
            fprintf(stderr, "sponsor case %zu: '%s' does not name %s\n", i, err.msg, bad[i].names);
            T_CHECK(0);
        }
    }
    /* a place outside the assigner's scope is as unknown as a missing one */
    T_EQ_INT(assign(db, &west,
                    "{\"place\":\"" GRID "\",\"leader\":\"wangjm\",\"month\":\"2026-12\"}", &id,
                    &err),
             WG_EINVAL);
    T_EQ_INT(count("sponsorship"), 0);
    T_EQ_INT(assign(db, &agent,
                    "{\"place\":\"" GRID "\",\"leader\":\"wangjm\",\"from\":\"2026-11\","
                    "\"to\":\"2027-01\",\"note\":\"噪声投诉集中\"}",
                    &first, &err),
             WG_OK);
    T_EQ_INT(assign(db, &agent,
                    "{\"place\":\"" GRID "\",\"leader\":\"lihua\",\"month\":\"2027-01\"}", &id,
                    &err),
             WG_ECONFLICT);
    T_CHECK(strstr(err.msg, "sponsorship 1") != NULL);
    T_EQ_INT(assign(db, &agent,
                    "{\"place\":\"" GRID2 "\",\"leader\":\"lihua\",\"month\":\"2026-12\"}", &second,
                    &err),
             WG_OK);
    T_EQ_INT(t_store_one(t_store_dir,
                         "SELECT COUNT(*) FROM outbox WHERE kind = "
                         "'sponsorship_assigned' AND recipient IN ('wangjm', 'lihua')"),
             2);
    /* ranking shows who holds each place */
    T_EQ_INT(wg_sponsor_ranking(db, &agent, "2026-11", NULL, NULL, NULL, &out, &err), WG_OK);
    json_t *s = json_object_get(json_array_get(json_object_get(out, "places"), 0), "sponsorship");
    T_EQ_STR(json_string_value(json_object_get(s, "leader")), "wangjm");
    T_CHECK(json_is_null(
        json_object_get(json_array_get(json_object_get(out, "places"), 1), "sponsorship")));
    json_decref(out);

    /* notes: the leader and reviewers; another leader may not */
    T_EQ_INT(note(db, &leader, first, "走访商户5家，督促安装隔音设施", &err), WG_OK);
    T_EQ_INT(note(db, &other_leader, first, "x", &err), WG_EFORBIDDEN);
    T_EQ_INT(note(db, &agent, first, "热线跟踪回访", &err), WG_OK);
    T_EQ_INT(note(db, &west, first, "x", &err), WG_ENOTFOUND);
    T_EQ_INT(note(db, &leader, first, "", &err), WG_EINVAL);
    T_EQ_INT(note(db, &leader, 99, "x", &err), WG_ENOTFOUND);
    T_EQ_INT(count("sponsorship_note"), 2);

    /* the list: a leader's own first, with the place's trend and the notes newest first */
    struct wg_sponsor_query q = {0};
    T_EQ_INT(wg_sponsor_list(db, env.keys, &other_leader, &q, now, &out, &err), WG_OK);
    json_t *arr = json_object_get(out, "sponsorships");
    T_EQ_INT(json_array_size(arr), 2);
    T_EQ_STR(json_string_value(json_object_get(json_array_get(arr, 0), "leader")), "lihua");
    T_CHECK(json_is_true(json_object_get(json_array_get(arr, 0), "mine")));
    json_t *w = json_array_get(arr, 1);
    T_EQ_STR(json_string_value(json_object_get(w, "place_name")), "网格001");
    json_t *trend = json_object_get(w, "trend");
    T_EQ_INT(json_array_size(trend), 6);
    T_EQ_STR(json_string_value(json_object_get(json_array_get(trend, 5), "month")), "2026-12");
    T_EQ_INT(json_integer_value(json_object_get(json_array_get(trend, 5), "orders")), 12);
    T_EQ_INT(json_integer_value(json_object_get(json_array_get(trend, 4), "orders")), 56);
    T_EQ_STR(
        json_string_value(json_object_get(json_array_get(json_object_get(w, "notes"), 0), "note")),
        "热线跟踪回访");
    json_decref(out);
    q.month = "2027-01";
    T_EQ_INT(wg_sponsor_list(db, env.keys, &agent, &q, now, &out, &err), WG_OK);
    T_EQ_INT(json_array_size(json_object_get(out, "sponsorships")), 1);
    json_decref(out);
    q = (struct wg_sponsor_query){.leader = "lihua"};
    T_EQ_INT(wg_sponsor_list(db, env.keys, &agent, &q, now, &out, &err), WG_OK);
    T_EQ_INT(json_array_size(json_object_get(out, "sponsorships")), 1);
    json_decref(out);
    T_EQ_INT(wg_sponsor_list(db, env.keys, &west, &(struct wg_sponsor_query){0}, now, &out, &err),
             WG_OK);
    T_EQ_INT(json_array_size(json_object_get(out, "sponsorships")), 0);
    json_decref(out);
    q = (struct wg_sponsor_query){.month = "2026/12"};
    T_EQ_INT(wg_sponsor_list(db, env.keys, &agent, &q, now, &out, &err), WG_EINVAL);
    (void)second;
}

/* The demo's tasks and 帮包 made from the counters planted above, once. */
static void sample(struct wg_db *db)
{
    struct wg_err err = {0};
    struct wg_task_sample_report rep;
    long long now = wg_cst_midnight(day("2027-01-10")) + 12 * 3600;
    long long before = count("task"), notes = count("sponsorship_note");
    T_EQ_INT(t_store_sql(t_store_dir, "DELETE FROM task_unit", NULL, 0), 0);
    T_EQ_INT(t_store_sql(t_store_dir, "DELETE FROM task_item", NULL, 0), 0);
    T_EQ_INT(t_store_sql(t_store_dir, "DELETE FROM task_event", NULL, 0), 0);
    T_EQ_INT(t_store_sql(t_store_dir, "DELETE FROM task", NULL, 0), 0);
    T_CHECK(before == 3);
    T_EQ_INT(wg_task_sample(db, &env, COUNTY, "Demo-2026", now, &rep, &err), WG_OK);
    if (err.rc)
        fprintf(stderr, "sample: %s\n", err.msg);
    /* November's top problem (noise in the town) closed; December's two top items open */
    T_EQ_INT(rep.tasks, 3);
    T_EQ_INT(rep.closed, 1);
    T_EQ_INT(rep.open, 2);
    T_CHECK(rep.progress >= 4);
    T_EQ_INT(rep.leaders, 38);
    /* December's ranking: the first grid has its leader already, the western one gets one */
    T_EQ_INT(rep.sponsorships, 1);
    T_EQ_INT(count("sponsorship_note") - notes, rep.notes);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM task WHERE state = 'closed' AND "
                                      "origin = 'top_problem' AND scope = '" TOWN "'"),
             1);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM task_unit WHERE unit = 'cgzf' AND "
                                      "role = 'lead'"),
             3);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM sponsorship WHERE place = '" WEST
                                      "' AND month_from = '2026-12' AND month_to = '2027-02'"),
             1);
    /* the close says what the effect measured: 30 days after the start against before; the
     * notes are sealed at rest */
    struct wg_actor all;
    json_t *v = NULL;
    long long version = 0, closed = t_store_one(t_store_dir, "SELECT id FROM task WHERE state = "
                                                             "'closed'");
    actor(&all, "centre", "agent", "region", "");
    T_EQ_INT(wg_task_view(db, &env, &all, closed, now, &v, &version, &err), WG_OK);
    json_t *timeline = json_object_get(v, "timeline");
    json_t *last = json_array_get(timeline, json_array_size(timeline) - 1);
    T_EQ_STR(json_string_value(json_object_get(last, "action")), "close");
    T_CHECK(strstr(json_string_value(json_object_get(last, "note")), "启动后30天诉求") != NULL);
    json_decref(v);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM task_event WHERE note LIKE '%诉求%'"),
             0);
    /* once only */
    T_EQ_INT(wg_task_sample(db, &env, COUNTY, "Demo-2026", now, &rep, &err), WG_OK);
    T_EQ_INT(rep.tasks, 0);
    T_EQ_INT(count("task"), 3);
}

/* Key rotation re-seals the timelines' and the notes' texts, which read back the same. */
static void rotation(struct wg_db *db)
{
    struct wg_err err = {0};
    struct wg_pii_keys *rotated = NULL;
    struct wg_actor all;
    size_t moved = 0;
    json_t *v = NULL;
    long long version = 0, now = wg_cst_midnight(day("2027-01-10"));
    long long events = count("task_event"), notes = count("sponsorship_note");
    T_EQ_INT(wg_pii_keys_rotate(t_store_dir, &err), WG_OK);
    T_EQ_INT(wg_pii_keys_load(t_store_dir, &rotated, &err), WG_OK);
    T_EQ_INT(wg_pii_rotate_stored(db, rotated, &moved, &err), WG_OK);
    T_CHECK((long long)moved >= events + notes);
    wg_pii_keys_free((struct wg_pii_keys *)env.keys);
    env.keys = rotated;
    actor(&all, "centre", "agent", "region", "");
    long long first_task = t_store_one(t_store_dir, "SELECT MIN(id) FROM task");
    T_EQ_INT(wg_task_view(db, &env, &all, first_task, now, &v, &version, &err), WG_OK);
    /* the first line's note is the topic the task was opened with */
    T_EQ_STR(json_string_value(
                 json_object_get(json_array_get(json_object_get(v, "timeline"), 0), "note")),
             json_string_value(json_object_get(v, "topic")));
    json_decref(v);
    T_EQ_INT(wg_sponsor_list(db, env.keys, &all, &(struct wg_sponsor_query){.leader = "wangjm"},
                             now, &v, &err),
             WG_OK);
    json_t *first = json_array_get(json_object_get(v, "sponsorships"), 0);
    T_EQ_STR(json_string_value(
                 json_object_get(json_array_get(json_object_get(first, "notes"), 1), "note")),
             "走访商户5家，督促安装隔音设施");
    json_decref(v);
}

int main(void)
{
    struct wg_err err = {0};
    struct wg_db *db = NULL;
    wg_catalog_init(&cat);
    T_EQ_INT(wg_catalog_load_defaults(&cat, &err), WG_OK);
    cal = wg_calendar_new();
    static const char y2026[] = "{\"holidays\":{\"2026-01-01\":\"元旦\"}}";
    T_EQ_INT(wg_calendar_load_json(cal, y2026, strlen(y2026), &err), WG_OK);
    env = (struct wg_task_env){cal, &cat, NULL};

    struct wg_store *st = t_store_open("tasks");
    struct wg_pii_keys *keys = NULL;
    if ((wg_pii_keys_create(t_store_dir, &err) && err.rc != WG_ECONFLICT) ||
        wg_pii_keys_load(t_store_dir, &keys, &err)) {
        fprintf(stderr, "keys: %s\n", err.msg);
        return 1;
    }
    env.keys = keys;
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    t_add_region(db, COUNTY, "兰山区", "county");
    t_add_region(db, TOWN, "兰山街道", "town");
    t_add_region(db, "371302001001", "东关社区", "village");
    t_add_region(db, "371302002", "柳青街道", "town");
    t_add_region(db, "371302002001", "南坛村", "village");
    t_add_grid(db, GRID);
    t_add_grid(db, GRID2);
    t_add_grid(db, WEST);
    add_unit(db, "cg", "城市管理局");
    add_unit(db, "hb", "生态环境分局");
    add_unit(db, "lz", "柳青街道办事处");
    add_unit(db, "cgzf", "综合行政执法局");
    add_unit(db, "zjj", "住房和城乡建设局");
    add_account(db, "agent1", "agent", COUNTY);
    add_account(db, "wangjm", "leader", COUNTY);
    add_account(db, "lihua", "leader", TOWN);

    long long now = wg_cst_midnight(day("2026-12-01")) + 10 * 3600;
    tasks(db, now);
    effect(db, now);
    sponsorships(db, now);
    sample(db);
    rotation(db);

    wg_store_put(db);
    t_store_close(st);
    wg_pii_keys_free((struct wg_pii_keys *)env.keys);
    wg_calendar_free(cal);
    wg_catalog_release(&cat);
    return T_DONE("tasks");
}
