/* Civil dates and China Standard Time (core/civil.h): day numbers both ways over four
 * centuries, every date's validity, the CST day around midnight, and the parsers' refusals. */
#include "t.h"

#include "core/civil.h"

static void test_round_trip(void)
{
    /* every day from 1900 to 2300 comes back as itself, one after another, weekdays cycling */
    int prev = wg_civil_days(1899, 12, 31), bad = 0;
    for (int y = 1900; y <= 2300; y++)
        for (int m = 1; m <= 12; m++)
            for (int d = 1; d <= wg_civil_month_days(y, m); d++) {
                int day = wg_civil_days(y, m, d), yy, mm, dd;
                wg_civil_date(day, &yy, &mm, &dd);
                bad += day != prev + 1 || yy != y || mm != m || dd != d ||
                       wg_civil_weekday(day) != (wg_civil_weekday(prev) + 1) % 7;
                prev = day;
            }
    T_EQ_INT(bad, 0);
}

static void test_known_days(void)
{
    static const struct {
        int y, m, d, day, weekday;
    } cases[] = {
        {1970, 1, 1, 0, 4},       {1969, 12, 31, -1, 3},   {2000, 2, 29, 11016, 2},
        {2026, 1, 1, 20454, 4},   {2026, 12, 6, 20793, 0}, {1990, 1, 1, 7305, 1},
        {2100, 12, 31, 47846, 5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        T_EQ_INT(wg_civil_days(cases[i].y, cases[i].m, cases[i].d), cases[i].day);
        T_EQ_INT(wg_civil_weekday(cases[i].day), cases[i].weekday);
    }
    T_EQ_INT(wg_civil_month_days(2024, 2), 29);
    T_EQ_INT(wg_civil_month_days(2100, 2), 28);
    T_EQ_INT(wg_civil_month_days(2000, 2), 29);
    T_EQ_INT(wg_civil_month_end(wg_civil_days(2026, 2, 10)), wg_civil_days(2026, 2, 28));
    T_EQ_INT(wg_civil_month_end(wg_civil_days(2026, 12, 31)), wg_civil_days(2026, 12, 31));
}

static void test_parse(void)
{
    static const struct {
        const char *s;
        int day;
    } dates[] = {
        {"2026-01-01", 20454}, {"2026-02-28", 20512}, {"2026-02-29", -1}, {"2024-02-29", 19782},
        {"2026-1-01", -1},     {"2026-01-1", -1},     {"2026/01/01", -1}, {"1989-12-31", -1},
        {"1990-01-01", 7305},  {"2100-12-31", 47846}, {"2101-01-01", -1}, {"", -1},
        {"2026-01-01x", -1},   {"1970-01-01", -1},    {"2026-02-30", -1}, {"2026-13-01", -1},
        {"2026-00-10", -1},    {"２026-01-01", -1},
    };
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++)
        T_EQ_INT(wg_civil_parse_date(dates[i].s), dates[i].day);
    T_EQ_INT(wg_civil_parse_date(NULL), -1);
    T_EQ_INT(wg_civil_parse_month("2026-02"), wg_civil_days(2026, 2, 1));
    T_EQ_INT(wg_civil_parse_month("2026-2"), -1);
    T_EQ_INT(wg_civil_parse_month("2026-13"), -1);
    T_EQ_INT(wg_civil_parse_month("1989-12"), -1);
    char out[11];
    wg_civil_format_date(20454 + 59, out);
    T_EQ_STR(out, "2026-03-01");
}

static void test_cst(void)
{
    /* 2026-01-01 00:00 in China is 2025-12-31 16:00 UTC */
    T_EQ_INT(wg_cst_day(1767196800LL), 20454);
    T_EQ_INT(wg_cst_day(1767196800LL - 1), 20453);
    T_EQ_INT(wg_cst_midnight(20454), 1767196800LL);
    T_EQ_INT(wg_cst_day(-WG_CST_OFFSET - 1), -1); /* before 1970, rounded down */
    char ymd[9];
    wg_cst_yyyymmdd(1767196800LL - 1, ymd);
    T_EQ_STR(ymd, "20251231");
    wg_cst_yyyymmdd(1767196800LL, ymd);
    T_EQ_STR(ymd, "20260101");
    T_EQ_INT(wg_cst_year(1767196800LL - 1), 2025);
    T_EQ_INT(wg_cst_year(1767196800LL), 2026);
    T_EQ_INT(wg_civil_time_of_iso("2025-12-31T16:00:00Z"), 1767196800LL);
    T_EQ_INT(wg_civil_time_of_iso("2025-12-31T16:00:00.123Z"), 1767196800LL);
    T_EQ_INT(wg_cst_day_of_iso("2025-12-31T16:00:00Z"), 20454);
    T_EQ_INT(wg_cst_day_of_iso("2025-12-31T15:59:59Z"), 20453);
    T_EQ_INT(wg_civil_time_of_iso("2025-12-31"), -1);
    T_EQ_INT(wg_civil_time_of_iso("2025-12-31X16:00:00Z"), -1);
    T_EQ_INT(wg_cst_day_of_iso(NULL), -1);
}

int main(void)
{
    test_round_trip();
    test_known_days();
    test_parse();
    test_cst();
    return T_DONE("civil");
}
