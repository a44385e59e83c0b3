/* Dispute screening tasks (domain/disputes/screening.h) on a real store on every backend:
 * each cadence's periods (half-monthly across month ends and February, weekly across a year
 * end), due dates on working days around a holiday, tasks made once per period, results and
 * corrections under versions with every bad field refused and nothing stored, the list in
 * scope, the reminders sent once, and the notes re-sealed by key rotation. */
#include "t.h"

#include "core/civil.h"
#include "domain/accounts/pii.h"
#include "domain/accounts/pii_keys.h"
#include "domain/accounts/pii_rotate.h"
#include "domain/disputes/dispute.h"
#include "domain/disputes/screening.h"
#include "domain/map/region.h"
#include "store/accounts/accounts_q.h"
#include "store/map/map_q.h"
#include "t_grid.h"
#include "t_store.h"

#define GRID    "371302001001001"
#define WEST    "371302001002001"
#define VILLAGE "371302001001"

/* 2026: National Day 1–7 October with Saturday 10 October worked; 2027: New Year's Day. */
static const char Y2026[] = "{\"holidays\":{\"2026-01-01\":\"元旦\",\"2026-10-01\":\"国庆节\","
                            "\"2026-10-02\":\"国庆节\",\"2026-10-03\":\"国庆节\","
                            "\"2026-10-04\":\"国庆节\",\"2026-10-05\":\"国庆节\","
                            "\"2026-10-06\":\"国庆节\",\"2026-10-07\":\"国庆节\"},"
                            "\"workdays\":{\"2026-10-10\":\"国庆节\"}}";
static const char Y2027[] = "{\"holidays\":{\"2027-01-01\":\"元旦\"}}";

static int day(const char *s)
{
    return wg_civil_parse_date(s);
}

/* 17:30 China time of a date, the default close of a working day. */
static long long close_of(const char *s)
{
    return wg_cst_midnight(day(s)) + 17 * 3600 + 30 * 60;
}

static void period_is(enum wg_screening_cadence c, const char *on, const char *first,
                      const char *last)
{
    int a = 0, b = 0;
    char fa[11], fb[11];
    wg_screening_period(c, day(on), &a, &b);
    wg_civil_format_date(a, fa);
    wg_civil_format_date(b, fb);
    T_EQ_STR(fa, first);
    T_EQ_STR(fb, last);
}

static void periods(void)
{
    period_is(WG_SCREENING_MONTHLY, "2026-02-10", "2026-02-01", "2026-02-28");
    period_is(WG_SCREENING_MONTHLY, "2028-02-29", "2028-02-01", "2028-02-29");
    period_is(WG_SCREENING_HALF_MONTHLY, "2026-01-15", "2026-01-01", "2026-01-15");
    period_is(WG_SCREENING_HALF_MONTHLY, "2026-01-31", "2026-01-16", "2026-01-31");
    period_is(WG_SCREENING_HALF_MONTHLY, "2026-02-16", "2026-02-16", "2026-02-28");
    period_is(WG_SCREENING_HALF_MONTHLY, "2024-02-20", "2024-02-16", "2024-02-29");
    period_is(WG_SCREENING_HALF_MONTHLY, "2026-04-30", "2026-04-16", "2026-04-30");
    period_is(WG_SCREENING_WEEKLY, "2026-12-31", "2026-12-28", "2027-01-03");
    period_is(WG_SCREENING_WEEKLY, "2027-01-03", "2026-12-28", "2027-01-03");
    period_is(WG_SCREENING_WEEKLY, "2026-12-28", "2026-12-28", "2027-01-03");
}

static void cadences(void)
{
    struct wg_err err = {0};
    struct wg_screening_config c;
    wg_screening_defaults(&c);
    T_EQ_INT(c.at[WG_SCREENING_COUNTY], WG_SCREENING_MONTHLY);
    T_EQ_INT(c.at[WG_SCREENING_TOWN], WG_SCREENING_HALF_MONTHLY);
    T_EQ_INT(c.at[WG_SCREENING_VILLAGE], WG_SCREENING_WEEKLY);
    T_EQ_INT(c.at[WG_SCREENING_GRID], WG_SCREENING_WEEKLY);
    T_EQ_INT(wg_screening_set_cadence(&c, "county=weekly,grid=off", &err), WG_OK);
    T_EQ_INT(c.at[WG_SCREENING_COUNTY], WG_SCREENING_WEEKLY);
    T_EQ_INT(c.at[WG_SCREENING_GRID], WG_SCREENING_OFF);
    T_EQ_INT(c.at[WG_SCREENING_TOWN], WG_SCREENING_HALF_MONTHLY);
    static const char *const bad[] = {"county=daily",  "city=weekly", "county",
                                      "town=weekly,x", "=weekly",     NULL};
    for (int i = 0; bad[i]; i++) {
        T_EQ_INT(wg_screening_set_cadence(&c, bad[i], &err), WG_EINVAL);
        T_CHECK(strstr(err.msg, "screening_cadence") != NULL);
    }
    T_CHECK(strstr(err.msg, "'=weekly'") != NULL);
    T_EQ_INT(wg_screening_set_cadence(&c, "town=monthly,county=daily", &err), WG_EINVAL);
    T_EQ_INT(c.at[WG_SCREENING_TOWN], WG_SCREENING_HALF_MONTHLY); /* unchanged */
}

static void due_dates(const struct wg_calendar *cal)
{
    struct wg_err err = {0};
    long long due = 0;
    /* a week ending in New Year's Day and a weekend: Thursday's close */
    T_EQ_INT(wg_screening_due(cal, day("2026-12-28"), day("2027-01-03"), &due, &err), WG_OK);
    T_EQ_INT(due, close_of("2026-12-31"));
    /* National Day's week: the Saturday made a working day */
    T_EQ_INT(wg_screening_due(cal, day("2026-10-05"), day("2026-10-11"), &due, &err), WG_OK);
    T_EQ_INT(due, close_of("2026-10-10"));
    /* the week before it ends in the holiday: Wednesday the 30th */
    T_EQ_INT(wg_screening_due(cal, day("2026-09-28"), day("2026-10-04"), &due, &err), WG_OK);
    T_EQ_INT(due, close_of("2026-09-30"));
    /* February 2026 ends on a Saturday: Friday the 27th */
    T_EQ_INT(wg_screening_due(cal, day("2026-02-01"), day("2026-02-28"), &due, &err), WG_OK);
    T_EQ_INT(due, close_of("2026-02-27"));
    /* a period of holidays alone: the first working day after it */
    T_EQ_INT(wg_screening_due(cal, day("2026-10-01"), day("2026-10-07"), &due, &err), WG_OK);
    T_EQ_INT(due, close_of("2026-10-08"));
    /* a year with no table yet (the State Council has not published it): its last weekday,
     * closing as a working day closes */
    T_EQ_INT(wg_screening_due(cal, day("2028-01-03"), day("2028-01-09"), &due, &err), WG_OK);
    T_EQ_INT(due, wg_cst_midnight(day("2028-01-07")) + 17 * 3600 + 30 * 60);
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

static long long new_case(struct wg_db *db, struct wg_pii_keys *keys, const char *grid)
{
    struct wg_err err = {0};
    struct wg_scope all = {"region", ""};
    struct wg_case c;
    long long id = 0;
    char number[40];
    json_t *body = json_pack("{s:s,s:s,s:s,s:s,s:s,s:[{s:s,s:s},{s:s,s:s}]}", "source", "screening",
                             "type", "neighbours", "risk", "yellow", "description",
                             "排查发现：楼上漏水渗到楼下", "grid", grid, "parties", "role",
                             "applicant", "name", "王秀英", "role", "respondent", "name", "李建国");
    T_EQ_INT(wg_case_apply(&c, body, &err), WG_OK);
    struct wg_case_by by = {"gw", WG_ROLE_GRIDWORKER, &all, WG_CASE_GRID};
    struct wg_case_env env = {keys, NULL, NULL};
    T_EQ_INT(wg_case_create(db, &env, &c, &by, 1796000000LL, &id, number, NULL, &err), WG_OK);
    wg_case_release(&c);
    json_decref(body);
    return id;
}

/* The id of the open task of a region (the first in the list). */
static long long task_of(struct wg_db *db, const char *region, long long now)
{
    struct wg_err err = {0};
    struct wg_scope scope = {"region", ""};
    struct wg_screening_query q = {region, NULL, NULL, NULL, NULL, "200", NULL};
    json_t *out = NULL, *t;
    size_t i;
    long long id = 0;
    T_EQ_INT(wg_screening_list(db, &scope, &q, now, &out, &err), WG_OK);
    json_array_foreach(json_object_get(out, "screenings"), i, t)
    {
        if (!id && !strcmp(json_string_value(json_object_get(t, "region")), region))
            id = json_integer_value(json_object_get(t, "id"));
    }
    json_decref(out);
    return id;
}

static enum wg_rc result(struct wg_db *db, struct wg_pii_keys *keys, long long id,
                         long long version, const char *scope_code, const char *text,
                         int *corrected, struct wg_err *err)
{
    struct wg_scope scope = {"region", ""};
    snprintf(scope.code, sizeof scope.code, "%s", scope_code);
    struct wg_screening_by by = {id, version, 1796100000LL, "gw", &scope};
    json_error_t je;
    json_t *body = json_loads(text, 0, &je);
    T_CHECK(body != NULL);
    enum wg_rc rc = wg_screening_record(db, keys, &by, body, corrected, err);
    json_decref(body);
    return rc;
}

static long long list_count(struct wg_db *db, const char *scope_code, const char *state,
                            const char *level, long long now)
{
    struct wg_err err = {0};
    struct wg_scope scope = {"region", ""};
    snprintf(scope.code, sizeof scope.code, "%s", scope_code);
    struct wg_screening_query q = {NULL, level, state, NULL, NULL, "200", NULL};
    json_t *out = NULL;
    if (wg_screening_list(db, &scope, &q, now, &out, &err))
        return -1;
    long long n = (long long)json_array_size(json_object_get(out, "screenings"));
    json_decref(out);
    return n;
}

static void results(struct wg_db *db, struct wg_pii_keys *keys, long long now)
{
    struct wg_err err = {0};
    int corrected = -1;
    char text[4200];
    long long id = task_of(db, GRID, now), here = new_case(db, keys, GRID),
              west = new_case(db, keys, WEST);
    T_CHECK(id > 0);
    /* every bad body refused naming its field, nothing stored */
    static const struct {
        const char *body, *names;
        enum wg_rc rc;
    } bad[] = {
        {"{}", "'found'", WG_EINVAL},
        {"{\"found\": -1}", "'found'", WG_EINVAL},
        {"{\"found\": 1001}", "'found'", WG_EINVAL},
        {"{\"found\": \"1\"}", "'found'", WG_EINVAL},
        {"{\"found\": 0, \"nmae\": 1}", "'nmae'", WG_EINVAL},
        {"{\"found\": 0, \"note\": 5}", "'note'", WG_EINVAL},
        {"{\"found\": 0, \"disputes\": {}}", "'disputes'", WG_EINVAL},
        {"{\"found\": 0, \"disputes\": [1]}", "'disputes'", WG_EINVAL},
        {"{\"found\": 2, \"disputes\": [\"x\"]}", "'disputes[0]'", WG_EINVAL},
        {"{\"found\": 2, \"disputes\": [99999]}", "'disputes[0]'", WG_EINVAL},
        {"[]", "JSON object", WG_EINVAL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        T_EQ_INT(result(db, keys, id, 1, VILLAGE, bad[i].body, &corrected, &err), bad[i].rc);
        T_CHECK(strstr(err.msg, bad[i].names) != NULL);
    }
    snprintf(text, sizeof text, "{\"found\": 2, \"disputes\": [%lld, %lld]}", here, west);
    T_EQ_INT(result(db, keys, id, 1, VILLAGE, text, &corrected, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "'disputes[1]'") != NULL); /* a case outside the village */
    snprintf(text, sizeof text, "{\"found\": 2, \"disputes\": [%lld, %lld]}", here, here);
    T_EQ_INT(result(db, keys, id, 1, VILLAGE, text, &corrected, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "'disputes[1]'") != NULL);
    snprintf(text, sizeof text, "{\"found\": 0, \"note\": \"%01001d\"}", 0);
    T_EQ_INT(result(db, keys, id, 1, VILLAGE, text, &corrected, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "'note'") != NULL);
    /* outside the recorder's scope the task is not there */
    T_EQ_INT(result(db, keys, id, 1, "371302001002", "{\"found\": 0}", &corrected, &err),
             WG_ENOTFOUND);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM screening WHERE version <> 1"), 0);

    /* nothing found is a result; a stale version changes nothing */
    T_EQ_INT(result(db, keys, id, 1, VILLAGE, "{\"found\": 0}", &corrected, &err), WG_OK);
    T_EQ_INT(corrected, 0);
    T_EQ_INT(result(db, keys, id, 1, VILLAGE, "{\"found\": 0}", &corrected, &err), WG_EPRECOND);
    /* a correction of the done task: one case found, the note sealed */
    snprintf(text, sizeof text,
             "{\"found\": 1, \"note\": \"王秀英家与楼上漏水纠纷\", \"disputes\": [%lld]}", here);
    T_EQ_INT(result(db, keys, id, 2, VILLAGE, text, &corrected, &err), WG_OK);
    T_EQ_INT(corrected, 1);
    /* counted once, at the first result: the village's day row of the whole */
    T_EQ_INT(t_store_one(t_store_dir, "SELECT SUM(screened) FROM dispute_stat WHERE dim = '' AND "
                                      "span = 'd' AND region = '" VILLAGE "'"),
             1);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM screening WHERE note LIKE '%王秀英%'"),
             0);
    struct wg_scope village = {"region", VILLAGE};
    json_t *view = NULL;
    long long version = 0;
    T_EQ_INT(wg_screening_view(db, keys, &village, id, &view, &version, &err), WG_OK);
    T_EQ_INT(version, 3);
    T_EQ_STR(json_string_value(json_object_get(view, "state")), "done");
    T_EQ_STR(json_string_value(json_object_get(view, "note")), "王秀英家与楼上漏水纠纷");
    T_EQ_STR(json_string_value(json_object_get(view, "region_name")), "网格001");
    T_EQ_STR(json_string_value(json_object_get(view, "done_by")), "gw");
    json_t *cases = json_object_get(view, "disputes");
    T_EQ_INT(json_array_size(cases), 1);
    T_EQ_INT(json_integer_value(json_object_get(json_array_get(cases, 0), "id")), here);
    T_CHECK(json_string_value(json_object_get(json_array_get(cases, 0), "number")) != NULL);
    json_decref(view);
    struct wg_scope west_scope = {"region", "371302001002"};
    T_EQ_INT(wg_screening_view(db, keys, &west_scope, id, &view, &version, &err), WG_ENOTFOUND);
}

static void lists(struct wg_db *db, long long now, long long due)
{
    struct wg_err err = {0};
    struct wg_scope village = {"region", VILLAGE};
    /* a village's staff see their village's task and its grid's */
    T_EQ_INT(list_count(db, VILLAGE, NULL, NULL, now), 3);
    T_EQ_INT(list_count(db, VILLAGE, "done", NULL, now), 1);
    T_EQ_INT(list_count(db, VILLAGE, "open", "village", now), 1);
    T_EQ_INT(list_count(db, VILLAGE, "overdue", NULL, now), 0);
    T_EQ_INT(list_count(db, VILLAGE, "overdue", NULL, due + 1), 2);
    T_EQ_INT(list_count(db, "", NULL, NULL, now), 7);
    /* by due date then region, in pages */
    struct wg_screening_query q = {NULL, NULL, NULL, NULL, NULL, "3", NULL};
    json_t *out = NULL;
    T_EQ_INT(wg_screening_list(db, NULL, &q, now, &out, &err), WG_OK);
    const char *cursor = json_string_value(json_object_get(out, "next_cursor"));
    T_CHECK(cursor != NULL);
    json_t *first = json_array_get(json_object_get(out, "screenings"), 2);
    long long seen = json_integer_value(json_object_get(first, "id"));
    q.cursor = cursor;
    json_t *next = NULL;
    T_EQ_INT(wg_screening_list(db, NULL, &q, now, &next, &err), WG_OK);
    T_EQ_INT(json_array_size(json_object_get(next, "screenings")), 3);
    T_CHECK(json_integer_value(json_object_get(
                json_array_get(json_object_get(next, "screenings"), 0), "id")) != seen);
    json_decref(out);
    json_decref(next);
    /* from and to bound the due date */
    struct wg_screening_query d = {NULL, NULL, NULL, "2027-01-01", "2027-01-31", NULL, NULL};
    T_EQ_INT(wg_screening_list(db, &village, &d, now, &out, &err), WG_OK);
    T_EQ_INT(json_array_size(json_object_get(out, "screenings")), 0);
    json_decref(out);
    static const struct wg_screening_query bad[] = {
        {NULL, "city", NULL, NULL, NULL, NULL, NULL},
        {NULL, NULL, "late", NULL, NULL, NULL, NULL},
        {NULL, NULL, NULL, "2026-13-01", NULL, NULL, NULL},
        {NULL, NULL, NULL, "2026-12-02", "2026-12-01", NULL, NULL},
        {NULL, NULL, NULL, NULL, NULL, "0", NULL},
        {NULL, NULL, NULL, NULL, NULL, NULL, "x"},
    };
    static const char *const names[] = {"'level'", "'state'", "'from'", "'to'", "limit", "cursor"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        T_EQ_INT(wg_screening_list(db, &village, &bad[i], now, &out, &err), WG_EINVAL);
        T_CHECK(strstr(err.msg, names[i]) != NULL);
    }
    struct wg_screening_query other = {"371302001002", NULL, NULL, NULL, NULL, NULL, NULL};
    T_EQ_INT(wg_screening_list(db, &village, &other, now, &out, &err), WG_ENOTFOUND);
}

static void reminders(struct wg_db *db)
{
    struct wg_err err = {0};
    /* reminders: each open task past due once, to its level's staff in scope */
    add_account(db, "gw", "gridworker", VILLAGE);
    add_account(db, "west", "gridworker", "371302001002");
    add_account(db, "cs", "community", VILLAGE);
    add_account(db, "town", "supervisor", "371302001");
    add_account(db, "county", "supervisor", "371302");
    int count = 0;
    T_EQ_INT(wg_screening_remind(db, NULL, close_of("2026-12-04") - 1, &count, &err), WG_OK);
    T_EQ_INT(count, 0);
    T_EQ_INT(wg_screening_remind(db, NULL, close_of("2026-12-04") + 60, &count, &err), WG_OK);
    T_EQ_INT(count, 4); /* two villages and two grids open; the done grid not */
    T_EQ_INT(wg_screening_remind(db, NULL, close_of("2026-12-04") + 120, &count, &err), WG_OK);
    T_EQ_INT(count, 0);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM outbox WHERE kind = "
                                      "'screening_overdue' AND recipient = 'gw'"),
             1);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM outbox WHERE kind = "
                                      "'screening_overdue' AND recipient = 'cs'"),
             1);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM outbox WHERE kind = "
                                      "'screening_overdue' AND recipient = 'west'"),
             1);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM screening WHERE reminded_at > 0"), 4);
    T_EQ_INT(wg_screening_remind(db, NULL, close_of("2026-12-31") + 60, &count, &err), WG_OK);
    T_EQ_INT(count, 2); /* the town's and the county's */
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM outbox WHERE kind = "
                                      "'screening_overdue' AND recipient IN ('town', 'county')"),
             3); /* the town's supervisor is told of the town's, the county's of both */
}

int main(void)
{
    struct wg_err err = {0};
    struct wg_pii_keys *keys = NULL;
    struct wg_db *db = NULL;
    struct wg_calendar *cal = wg_calendar_new();
    T_EQ_INT(wg_calendar_load_json(cal, Y2026, strlen(Y2026), &err), WG_OK);
    T_EQ_INT(wg_calendar_load_json(cal, Y2027, strlen(Y2027), &err), WG_OK);
    periods();
    cadences();
    due_dates(cal);

    struct wg_store *st = t_store_open("screening");
    if ((wg_pii_keys_create(t_store_dir, &err) && err.rc != WG_ECONFLICT) ||
        wg_pii_keys_load(t_store_dir, &keys, &err)) {
        fprintf(stderr, "keys: %s\n", err.msg);
        return 1;
    }
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    t_add_region(db, "371302", "兰山区", "county");
    t_add_region(db, "371302001", "兰山街道", "town");
    t_add_region(db, VILLAGE, "东关社区", "village");
    t_add_region(db, "371302001002", "西关社区", "village");
    t_add_grid(db, GRID);
    t_add_grid(db, WEST);

    /* each level's task of the period holding 1 December 2026, made once */
    struct wg_screening_config cfg;
    wg_screening_defaults(&cfg);
    long long now = wg_cst_midnight(day("2026-12-01")) + 10 * 3600;
    long made = 0;
    T_EQ_INT(wg_screening_generate(db, NULL, cal, &cfg, now, 0, &made, &err), WG_OK);
    T_EQ_INT(made, 6);
    T_EQ_INT(wg_screening_generate(db, NULL, cal, &cfg, now + 60, 0, &made, &err), WG_OK);
    T_EQ_INT(made, 0);
    T_EQ_INT(wg_screening_generate(db, NULL, cal, &cfg, now + 60, 1, &made, &err), WG_OK);
    T_EQ_INT(made, 0);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM screening WHERE level = 'county' AND "
                                      "period_start = '2026-12-01' AND period_end = '2026-12-31'"),
             1);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT due_at FROM screening WHERE level = 'county'"),
             close_of("2026-12-31"));
    T_EQ_INT(t_store_one(t_store_dir, "SELECT due_at FROM screening WHERE level = 'town'"),
             close_of("2026-12-15"));
    T_EQ_INT(t_store_one(t_store_dir, "SELECT due_at FROM screening WHERE region = '" GRID "'"),
             close_of("2026-12-04"));
    /* a grid added in the period: the full pass makes its task, the probe does not look */
    t_add_grid(db, "371302001001002");
    T_EQ_INT(wg_screening_generate(db, NULL, cal, &cfg, now + 120, 0, &made, &err), WG_OK);
    T_EQ_INT(made, 0);
    T_EQ_INT(wg_screening_generate(db, NULL, cal, &cfg, now + 120, 1, &made, &err), WG_OK);
    T_EQ_INT(made, 1);
    /* a level switched off makes none; a year with no table yet is made by weekdays */
    cfg.at[WG_SCREENING_GRID] = WG_SCREENING_OFF;
    long long y2028 = wg_cst_midnight(day("2028-01-05")) + 3600;
    T_EQ_INT(wg_screening_generate(db, NULL, cal, &cfg, y2028, 0, &made, &err), WG_OK);
    T_EQ_INT(made, 4);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM screening WHERE period_start >= "
                                      "'2028-01-01'"),
             4);
    char msg[200];
    T_EQ_INT(t_store_sql(t_store_dir, "DELETE FROM screening WHERE period_start >= '2028-01-01'",
                         msg, sizeof msg),
             0);

    results(db, keys, now);
    lists(db, now, close_of("2026-12-04"));

    reminders(db);

    /* key rotation re-seals the one note */
    T_EQ_INT(wg_pii_keys_rotate(t_store_dir, &err), WG_OK);
    struct wg_pii_keys *rotated = NULL;
    size_t moved = 0;
    T_EQ_INT(wg_pii_keys_load(t_store_dir, &rotated, &err), WG_OK);
    T_EQ_INT(wg_pii_rotate_stored(db, rotated, &moved, &err), WG_OK);
    T_CHECK(moved >= 1);
    struct wg_scope all = {"region", ""};
    json_t *view = NULL;
    long long version = 0;
    T_EQ_INT(wg_screening_view(db, rotated, &all, task_of(db, GRID, now), &view, &version, &err),
             WG_OK);
    T_EQ_STR(json_string_value(json_object_get(view, "note")), "王秀英家与楼上漏水纠纷");
    json_decref(view);
    wg_pii_keys_free(rotated);

    wg_pii_keys_free(keys);
    wg_calendar_free(cal);
    wg_store_put(db);
    t_store_close(st);
    return T_DONE("screening");
}
