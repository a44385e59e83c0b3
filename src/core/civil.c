/* Civil dates and China Standard Time (civil.h). */
#include "core/civil.h"

/* Division rounding toward minus infinity, for days before 1970. */
static long long floor_div(long long a, long long b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

int wg_civil_days(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void wg_civil_date(int z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

int wg_civil_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int wg_civil_month_days(int y, int m)
{
    static const int n[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && wg_civil_leap(y) ? 29 : n[m - 1];
}

int wg_civil_weekday(int day)
{
    int w = (day + 4) % 7; /* 1970-01-01 was a Thursday */
    return w < 0 ? w + 7 : w;
}

int wg_civil_valid(int y, int m, int d)
{
    return y >= WG_YEAR_MIN && y <= WG_YEAR_MAX && m >= 1 && m <= 12 && d >= 1 &&
           d <= wg_civil_month_days(y, m);
}

/* n decimal digits at s, or -1. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int wg_civil_parse_date(const char *s)
{
    int y, m, d;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    return wg_civil_valid(y, m, d) ? wg_civil_days(y, m, d) : -1;
}

int wg_civil_parse_month(const char *s)
{
    int y, m;
    if (!s || strlen(s) != 7 || s[4] != '-')
        return -1;
    y = digits(s, 4), m = digits(s + 5, 2);
    return wg_civil_valid(y, m, 1) ? wg_civil_days(y, m, 1) : -1;
}

void wg_civil_format_date(int day, char out[11])
{
    int y, m, d;
    wg_civil_date(day, &y, &m, &d);
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

int wg_civil_month_end(int day)
{
    int y, m, d;
    wg_civil_date(day, &y, &m, &d);
    return wg_civil_days(y, m, wg_civil_month_days(y, m));
}

int wg_cst_day(long long utc)
{
    return (int)floor_div(utc + WG_CST_OFFSET, WG_DAY_SECONDS);
}

long long wg_cst_midnight(int day)
{
    return (long long)day * WG_DAY_SECONDS - WG_CST_OFFSET;
}

void wg_cst_yyyymmdd(long long utc, char out[9])
{
    int y, m, d;
    wg_civil_date(wg_cst_day(utc), &y, &m, &d);
    snprintf(out, 9, "%04d%02d%02d", y % 10000, m, d);
}

int wg_cst_year(long long utc)
{
    int y, m, d;
    wg_civil_date(wg_cst_day(utc), &y, &m, &d);
    return y;
}

int wg_cst_day_of_iso(const char *iso)
{
    long long t = wg_civil_time_of_iso(iso);
    return t < 0 ? -1 : wg_cst_day(t);
}

long long wg_civil_time_of_iso(const char *iso)
{
    int y, mo, d, h, mi, s;
    if (!iso || strlen(iso) < 19 || (y = digits(iso, 4)) < 0 || iso[4] != '-' ||
        (mo = digits(iso + 5, 2)) < 1 || mo > 12 || iso[7] != '-' || (d = digits(iso + 8, 2)) < 1 ||
        d > 31 || (iso[10] != 'T' && iso[10] != ' ') || (h = digits(iso + 11, 2)) < 0 ||
        (mi = digits(iso + 14, 2)) < 0 || (s = digits(iso + 17, 2)) < 0)
        return -1;
    return (long long)wg_civil_days(y, mo, d) * WG_DAY_SECONDS + h * 3600 + mi * 60 + s;
}
