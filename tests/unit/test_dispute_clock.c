/* A dispute case's clock (domain/disputes/case_clock.h): the time boxes as a setting, a red or
 * orange case due by the close of the working day it came in on (the next one's when it came
 * outside working time, over a weekend or a holiday), the acceptance and level boxes in
 * working days, and the light. */
#include "t.h"

#include <string.h>

#include "core/civil.h"
#include "domain/disputes/case_clock.h"

/* A China time on a date, as unix seconds. */
static long long cst(int y, int m, int d, int hh, int mm)
{
    return wg_cst_midnight(wg_civil_days(y, m, d)) + hh * 3600LL + mm * 60LL;
}

static void test_boxes(void)
{
    struct wg_case_boxes b;
    struct wg_err err = {0};
    wg_case_boxes_init(&b);
    T_EQ_INT(b.accept_days, 2);
    T_EQ_INT(b.days[WG_CASE_GRID], 5);
    T_EQ_INT(b.days[WG_CASE_COUNTY], 22);
    T_EQ_INT(wg_case_boxes_set(&b, "grid=3,county=30,accept=1", &err), WG_OK);
    T_EQ_INT(b.days[WG_CASE_GRID], 3);
    T_EQ_INT(b.days[WG_CASE_COUNTY], 30);
    T_EQ_INT(b.accept_days, 1);
    const char *bad[] = {"grid=0", "town=61", "province=5", "grid", "grid=x", "village=5,=3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct wg_case_boxes before = b;
        T_EQ_INT(wg_case_boxes_set(&b, bad[i], &err), WG_EINVAL);
        T_CHECK(err.msg[0] != '\0');
        T_CHECK(memcmp(&before, &b, sizeof b) == 0); /* unchanged on an error */
    }
}

static void test_clocks(void)
{
    struct wg_calendar *cal = wg_calendar_new();
    struct wg_case_boxes b;
    struct wg_err err = {0};
    long long at = 0, due = 0;
    const char *table = "{\"holidays\": {\"2026-01-01\": \"New Year's Day,元旦,1\","
                        " \"2026-10-01\": \"National Day,国庆节,8\","
                        " \"2026-10-02\": \"National Day,国庆节,8\"}, \"workdays\": {}}";
    T_EQ_INT(wg_calendar_load_json(cal, table, strlen(table), &err), WG_OK);
    wg_case_boxes_init(&b);
    struct wg_case_env env = {NULL, cal, &b};
    /* Monday 2026-12-07 10:00: a red case is due at 17:30 the same day */
    long long mon = cst(2026, 12, 7, 10, 0);
    T_EQ_INT(wg_case_clock_register(&env, "red", mon, &at, &due, &err), WG_OK);
    T_EQ_INT(at, mon);
    T_EQ_INT(due, cst(2026, 12, 7, 17, 30));
    /* Friday 19:00 and Saturday: Monday's close */
    T_EQ_INT(wg_case_clock_register(&env, "orange", cst(2026, 12, 4, 19, 0), &at, &due, &err),
             WG_OK);
    T_EQ_INT(due, cst(2026, 12, 7, 17, 30));
    T_EQ_INT(wg_case_clock_register(&env, "red", cst(2026, 12, 5, 9, 0), &at, &due, &err), WG_OK);
    T_EQ_INT(due, cst(2026, 12, 7, 17, 30));
    /* before the day's work begins: that day's close */
    T_EQ_INT(wg_case_clock_register(&env, "red", cst(2026, 12, 7, 6, 0), &at, &due, &err), WG_OK);
    T_EQ_INT(due, cst(2026, 12, 7, 17, 30));
    /* National Day: the next working day's close */
    T_EQ_INT(wg_case_clock_register(&env, "red", cst(2026, 9, 30, 18, 0), &at, &due, &err), WG_OK);
    T_EQ_INT(due, cst(2026, 10, 5, 17, 30));
    /* yellow and green: two working days to be accepted */
    T_EQ_INT(wg_case_clock_register(&env, "green", mon, &at, &due, &err), WG_OK);
    T_EQ_INT(due, cst(2026, 12, 9, 10, 0));
    /* a level's box from its acceptance: the grid's five working days, the county's 22 */
    T_EQ_INT(wg_case_clock_level(&env, WG_CASE_GRID, mon, &at, &due, &err), WG_OK);
    T_EQ_INT(due, cst(2026, 12, 14, 10, 0));
    T_EQ_INT(wg_case_clock_level(&env, WG_CASE_TOWN, mon, &at, &due, &err), WG_OK);
    T_EQ_INT(due, cst(2026, 12, 28, 10, 0));
    /* into a year whose table is not loaded (2027): Monday to Friday, never an error */
    T_EQ_INT(wg_case_clock_level(&env, WG_CASE_COUNTY, mon, &at, &due, &err), WG_OK);
    T_EQ_INT(due, cst(2027, 1, 6, 10, 0));
    T_EQ_INT(wg_case_clock_register(&env, "red", cst(2026, 12, 31, 18, 0), &at, &due, &err), WG_OK);
    T_EQ_INT(due, cst(2027, 1, 1, 17, 30)); /* the next working day's close, by weekdays */
    /* lights: green early, yellow from 80%, red past due; none without a clock */
    T_EQ_STR(wg_case_light(&env, mon, cst(2026, 12, 14, 10, 0), mon + 3600), "green");
    T_EQ_STR(wg_case_light(&env, mon, cst(2026, 12, 14, 10, 0), cst(2026, 12, 11, 14, 0)),
             "yellow");
    T_EQ_STR(wg_case_light(&env, mon, cst(2026, 12, 14, 10, 0), cst(2026, 12, 14, 10, 1)), "red");
    T_CHECK(wg_case_light(&env, 0, 0, mon) == NULL);
    /* without a calendar no clock runs */
    struct wg_case_env none = {NULL, NULL, &b};
    T_EQ_INT(wg_case_clock_register(&none, "red", mon, &at, &due, &err), WG_OK);
    T_EQ_INT(due, 0);
    wg_calendar_free(cal);
}

int main(void)
{
    test_boxes();
    test_clocks();
    return T_DONE("dispute_clock");
}
