/* GET /api/v1/calendar?year=YYYY: the working calendar in force for a year, as the console's
 * administration shows it — whether the State Council's table for the year is loaded, the
 * working minutes of a day, and every date that breaks the Monday–Friday rule (public
 * holidays on weekdays, make-up working days on weekends). Tables are loaded on the server
 * with `wangge calendar load`. */
#include "api/app.h"
#include "api/handlers.h"

#include <time.h>

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : d[m - 1];
}

/* 0 Sunday … 6 Saturday (Sakamoto's method) */
static int weekday(int y, int m, int d)
{
    static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3)
        y -= 1;
    return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
}

enum wg_rc wg_api_calendar_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    const char *ys = wg_req_query(req, "year");
    long year;
    char *end;
    json_t *holidays, *workdays;
    if (ys) {
        year = strtol(ys, &end, 10);
        if (!*ys || *end || year < 1990 || year > 2100)
            return wg_err_set(err, WG_EINVAL, "'year' must be a year from 1990 to 2100, not '%.20s'",
                              ys);
    } else {
        time_t now = time(NULL) + 8 * 3600; /* the year in China Standard Time */
        struct tm tm;
        gmtime_r(&now, &tm);
        year = tm.tm_year + 1900;
    }
    holidays = json_array();
    workdays = json_array();
    for (int m = 1; m <= 12; m++)
        for (int d = 1; d <= days_in_month((int)year, m); d++) {
            int wd = weekday((int)year, m, d), weekend = wd == 0 || wd == 6;
            int work = wg_calendar_is_workday(app->calendar, (int)year, m, d);
            char date[16];
            if (work < 0 || work == !weekend)
                continue;
            snprintf(date, sizeof date, "%04ld-%02d-%02d", year, m, d);
            json_array_append_new(work ? workdays : holidays, json_string(date));
        }
    return wg_reply_json(req, 200,
                         json_pack("{s:i,s:b,s:i,s:o,s:o}", "year", (int)year, "loaded",
                                   wg_calendar_has_year(app->calendar, (int)year), "day_minutes",
                                   wg_calendar_day_minutes(app->calendar), "holidays", holidays,
                                   "workdays", workdays));
}
