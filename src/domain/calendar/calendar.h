/* The working-time calendar: which days are working days, which minutes of them are working
 * time, and deadlines and lights counted in working time (SPEC §3, "never calendar time").
 *
 * Days. Monday to Friday work and weekends rest, except as the State Council General Office
 * publishes each year: listed public holidays (节假日) rest, and listed weekend days work as
 * make-up working days (调休). The tables come from the npm package chinese-days
 * (dist/chinese-days.json): {"holidays": {"2025-10-01": "National Day,国庆节,3", ...},
 * "workdays": {"2025-09-28": "National Day,国庆节,3", ...}}. "inLieuDays" (the weekdays made
 * holidays, already inside "holidays") and any other top-level key are ignored.
 *
 * Years. A year is known once a loaded file lists a holiday in it (every real year has 元旦),
 * and a file that lists a year is taken as that year's whole table: loading it again, or a
 * corrected file, replaces what an earlier file said about that year; other years are kept.
 * A make-up working day listed in a year the file does not cover (2018-12-29 for 2019's New
 * Year) is applied to that date without making its year known. Years run 1990 to 2100.
 *
 * Unknown years are strict by default: a deadline that reaches a year with no table is an
 * error naming the year, so an administrator loads that year's table instead of orders
 * silently getting deadlines across a Spring Festival nobody entered. A caller that prefers
 * a deadline to an error (the server in the last days of December, before the next year's
 * notice is loaded) calls wg_calendar_set_fallback(cal, true): years with no table then
 * follow the plain Monday–Friday rule, and wg_calendar_check_years still names them, so the
 * caller can warn.
 *
 * Time. Times are UTC seconds; the calendar works in China Standard Time (UTC+8, no daylight
 * saving), converted by arithmetic, never through the process time zone. Working
 * hours are a list of daily periods, by default 08:30–12:00 and 13:30–17:30 (450 minutes);
 * a working day in a limit ("5 working days") is that many working minutes, so five working
 * days from Tuesday 10:00 end the next Tuesday 10:00.
 *
 * Deadlines. add(start, m) is the instant at which m working minutes have passed since start;
 * a start outside working time begins at the next working period, and a limit that ends with
 * a period ends at its close (Friday 17:30, not Monday 08:30). between(a, b) counts working
 * time in [a, b), so between(s, add(s, m)) == m.
 *
 * Lights. The share of the limit used, in working time: green under 80%, yellow from 80% up
 * to the deadline, red once the deadline has passed — also when no working minute has passed
 * since (a Friday 17:30 deadline is red on Saturday morning, not yellow until Monday).
 *
 * SPEC defaults: signing 2 working hours, returning 2 working days, replying 5 working days,
 * an extension at most 10 working days. Urgent (紧急) 24 hours and critical (特急) 2 hours are
 * natural time: an emergency reported on Friday evening cannot wait for Monday, and the
 * SPEC gives them in hours, not working hours or days.
 *
 * Speed: per year two 366-bit maps (holidays, make-up days) and a running count of working
 * days, so a day's status, between() and add() cost a few array reads, not a walk over days.
 * A calendar is not synchronised: load and configure it, then share it read-only. */
#ifndef WG_DOMAIN_CALENDAR_H
#define WG_DOMAIN_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/civil.h"
#include "core/err.h"

#define WG_CALENDAR_FIRST_YEAR    WG_YEAR_MIN
#define WG_CALENDAR_LAST_YEAR     WG_YEAR_MAX
#define WG_CALENDAR_MAX_PERIODS   8
#define WG_CALENDAR_DEFAULT_HOURS "08:30-12:00,13:30-17:30"
/* Calendar files larger than this are refused; the whole 2004–2026 table is about 30 KB. */
#define WG_CALENDAR_MAX_JSON (1024 * 1024)

/* SPEC §3 defaults (Shandong hotline rules). */
#define WG_CALENDAR_SIGN_MINUTES       120 /* working */
#define WG_CALENDAR_RETURN_DAYS        2   /* working */
#define WG_CALENDAR_REPLY_DAYS         5   /* working */
#define WG_CALENDAR_EXTENSION_MAX_DAYS 10  /* working */
#define WG_CALENDAR_URGENT_HOURS       24  /* natural */
#define WG_CALENDAR_CRITICAL_HOURS     2   /* natural */

struct wg_calendar;

/* A calendar with the default hours, no year known and strict about unknown years. */
struct wg_calendar *wg_calendar_new(void);
void wg_calendar_free(struct wg_calendar *cal);

/* Reads a chinese-days table (see above). Every date is checked — the form YYYY-MM-DD, a
 * real date, a year in 1990–2100, a make-up day that is a weekend day, no date in both
 * tables — and the message names the table and the key at fault. All or nothing: on error
 * the calendar is unchanged. */
enum wg_rc wg_calendar_load_json(struct wg_calendar *cal, const char *text, size_t len,
                                 struct wg_err *err);
/* The same from a file (WG_EIO when it cannot be read); messages start with the path. */
enum wg_rc wg_calendar_load_file(struct wg_calendar *cal, const char *path, struct wg_err *err);

/* The tables of a data directory (each .json file of DATA/calendar, as `wangge calendar load` keeps
 * them), as a server loads them; with none, the Monday–Friday rule for every year, and a
 * warning saying how to load the State Council's tables. */
enum wg_rc wg_calendar_load_data(struct wg_calendar *cal, const char *data, struct wg_err *err);

/* Working hours as "HH:MM-HH:MM[,HH:MM-HH:MM...]": at most 8 periods, each starting before
 * it ends (24:00 may end the last), in order and not overlapping. Unchanged on error. */
enum wg_rc wg_calendar_set_hours(struct wg_calendar *cal, const char *spec, struct wg_err *err);
/* Working minutes in a working day (450 by default). */
int wg_calendar_day_minutes(const struct wg_calendar *cal);

/* When on, years with no table follow the Monday–Friday rule instead of being errors. */
void wg_calendar_set_fallback(struct wg_calendar *cal, bool on);
bool wg_calendar_has_year(const struct wg_calendar *cal, int year);
/* WG_OK when every year from a's to b's (China time) has a table; otherwise WG_ENOTFOUND
 * naming the first that has none — even with the fallback on, so a caller can warn — or
 * WG_EINVAL when a time lies outside 1990–2100. */
enum wg_rc wg_calendar_check_years(const struct wg_calendar *cal, int64_t a_utc, int64_t b_utc,
                                   struct wg_err *err);

/* 1 when the date is a working day, 0 when not; -1 when it is not a real date in 1990–2100
 * or its year has no table (and the fallback is off). */
int wg_calendar_is_workday(const struct wg_calendar *cal, int y, int m, int d);

/* *deadline_utc = the instant `minutes` working minutes after start_utc (start itself when
 * minutes is 0). WG_EINVAL for negative minutes, more than ten years of them, or a time
 * outside 1990–2100; WG_ENOTFOUND naming the year when the span reaches a year with no
 * table (fallback off). */
enum wg_rc wg_calendar_add_working_minutes(const struct wg_calendar *cal, int64_t start_utc,
                                           int64_t minutes, int64_t *deadline_utc,
                                           struct wg_err *err);
/* The same for `days` working days of wg_calendar_day_minutes each. */
enum wg_rc wg_calendar_add_working_days(const struct wg_calendar *cal, int64_t start_utc, int days,
                                        int64_t *deadline_utc, struct wg_err *err);
/* Whole working minutes in [a_utc, b_utc); 0 when b is not after a; -1 when a time lies
 * outside 1990–2100 or the span reaches a year with no table (fallback off) — ask
 * wg_calendar_check_years for the message. */
int64_t wg_calendar_working_minutes_between(const struct wg_calendar *cal, int64_t a_utc,
                                            int64_t b_utc);

enum wg_light { WG_LIGHT_GREEN, WG_LIGHT_YELLOW, WG_LIGHT_RED };

/* The light of a limit that runs from start to deadline, at now, on working time. It never
 * fails: a deadline made by add() lies in known years, and a now past it is red whatever
 * year it is in; years with no table count by the Monday–Friday rule here. */
enum wg_light wg_calendar_light(const struct wg_calendar *cal, int64_t start_utc,
                                int64_t deadline_utc, int64_t now_utc);
/* The same on natural time, for the urgent and critical limits. */
enum wg_light wg_calendar_light_natural(int64_t start_utc, int64_t deadline_utc, int64_t now_utc);
const char *wg_calendar_light_name(enum wg_light light); /* "green", "yellow", "red" */

/* The SPEC default limits, and the clock each runs on. */
enum wg_calendar_limit {
    WG_LIMIT_SIGN,     /* 2 working hours */
    WG_LIMIT_RETURN,   /* 2 working days */
    WG_LIMIT_REPLY,    /* 5 working days */
    WG_LIMIT_URGENT,   /* 24 natural hours */
    WG_LIMIT_CRITICAL, /* 2 natural hours */
};
bool wg_calendar_limit_is_natural(enum wg_calendar_limit limit);
enum wg_rc wg_calendar_default_deadline(const struct wg_calendar *cal, enum wg_calendar_limit limit,
                                        int64_t start_utc, int64_t *deadline_utc,
                                        struct wg_err *err);
/* The close of the next working day after start's day (China time): the unit's contact with
 * the reporter is due then (第2天责任单位与群众协商). A dispatch on Friday, or on Saturday, is due
 * at Monday's close (17:30 by default); the days in between that are not working days are
 * skipped as add() skips them. Errors as add()'s. */
enum wg_rc wg_calendar_next_day_close(const struct wg_calendar *cal, int64_t start_utc,
                                      int64_t *deadline_utc, struct wg_err *err);
/* wg_calendar_is_workday, wg_calendar_add_working_minutes and wg_calendar_next_day_close,
 * lenient: a year with no table yet follows the Monday–Friday rule for this
 * call, whatever the fallback, as if the State Council's notice had no holiday in it. For
 * clocks that must run on through the last weeks of December before the next year's table
 * is published (a dispute case's time box, a screening task's due day); every other
 * deadline stays strict, and wg_calendar_check_years still names the year for a warning. */
int wg_calendar_is_workday_lenient(const struct wg_calendar *cal, int y, int m, int d);
enum wg_rc wg_calendar_add_working_minutes_lenient(const struct wg_calendar *cal, int64_t start_utc,
                                                   int64_t minutes, int64_t *deadline_utc,
                                                   struct wg_err *err);
enum wg_rc wg_calendar_next_day_close_lenient(const struct wg_calendar *cal, int64_t start_utc,
                                              int64_t *deadline_utc, struct wg_err *err);
/* An approved extension: `days` (1 to 10) working days more after deadline_utc. */
enum wg_rc wg_calendar_extend(const struct wg_calendar *cal, int64_t deadline_utc, int days,
                              int64_t *new_deadline_utc, struct wg_err *err);

#endif
