/* Civil time: dates of the Gregorian calendar as day numbers (days since 1970-01-01), and
 * China Standard Time — UTC+8 all year, no daylight saving — in which every deadline, report
 * day and appeal number of wangge is counted. The one home of this arithmetic: nothing else
 * adds the offset or converts dates by hand, and the process time zone is never consulted. */
#ifndef WG_CORE_CIVIL_H
#define WG_CORE_CIVIL_H

#include <stdint.h>

#define WG_CST_OFFSET  (8 * 3600) /* seconds China Standard Time is ahead of UTC */
#define WG_DAY_SECONDS 86400
/* The years wangge takes dates in (the working calendar's tables cover exactly these). */
#define WG_YEAR_MIN 1990
#define WG_YEAR_MAX 2100

/* Day number of a date (H. Hinnant's days_from_civil; any year, proleptic Gregorian), and
 * back. The date need not be valid: 2026-02-30 is the day after 2026-02-28's next day. */
int wg_civil_days(int y, int m, int d);
void wg_civil_date(int day, int *y, int *m, int *d);
int wg_civil_leap(int y);
int wg_civil_month_days(int y, int m); /* 28..31; m from 1 */
int wg_civil_weekday(int day);         /* 0 Sunday .. 6 Saturday */
/* 1 when y-m-d names a real date within WG_YEAR_MIN..WG_YEAR_MAX. */
int wg_civil_valid(int y, int m, int d);

/* "YYYY-MM-DD" → day number, "YYYY-MM" → the day number of its first day; -1 for anything
 * else, an impossible date (2026-02-30) or a year outside WG_YEAR_MIN..WG_YEAR_MAX. */
int wg_civil_parse_date(const char *s);
int wg_civil_parse_month(const char *s);
void wg_civil_format_date(int day, char out[11]); /* "YYYY-MM-DD" */
/* The last day of the month holding day. */
int wg_civil_month_end(int day);

/* The CST day of a unix time (floor, so times before 1970 work too), and a CST day's first
 * second as a unix time. */
int wg_cst_day(long long utc);
long long wg_cst_midnight(int day);
/* The CST date of a unix time as "YYYYMMDD" (appeal numbers) and its year. */
void wg_cst_yyyymmdd(long long utc, char out[9]);
int wg_cst_year(long long utc);

/* Unix seconds of a UTC time written "YYYY-MM-DDTHH:MM:SS" (anything after the seconds —
 * fractions, Z — is ignored, as wangge writes its own times in UTC); -1 when it does not
 * parse. */
long long wg_civil_time_of_iso(const char *iso);
/* The CST day of such a time; -1 when it does not parse. */
int wg_cst_day_of_iso(const char *iso);

#endif
