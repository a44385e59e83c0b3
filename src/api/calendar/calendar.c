/* GET /api/v1/calendar?year=YYYY: the working calendar in force for a year, as the console's
 * administration shows it — whether the State Council's table for the year is loaded, the
 * working minutes of a day, and every date that breaks the Monday–Friday rule (public
 * holidays on weekdays, make-up working days on weekends). Tables are loaded on the server
 * with `wangge calendar load`. */
#include "api/app.h"
#include "api/handlers.h"
#include "core/civil.h"
#include "core/param.h"

#include <time.h>

enum wg_rc wg_api_calendar_get(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    const char *ys = wg_req_query(req, "year");
    long long year;
    json_t *holidays, *workdays;
    enum wg_rc rc;
    if (!ys) /* this year, in China Standard Time */
        year = wg_cst_year((long long)time(NULL));
    else if ((rc = wg_param_count(ys, "year", WG_YEAR_MIN, WG_YEAR_MAX, &year, err)))
        return rc;
    holidays = json_array();
    workdays = json_array();
    for (int m = 1; m <= 12; m++)
        for (int d = 1; d <= wg_civil_month_days((int)year, m); d++) {
            int wd = wg_civil_weekday(wg_civil_days((int)year, m, d)), weekend = wd == 0 || wd == 6;
            int work = wg_calendar_is_workday(app->calendar, (int)year, m, d);
            char date[16];
            if (work < 0 || work == !weekend)
                continue;
            snprintf(date, sizeof date, "%04lld-%02d-%02d", year, m, d);
            json_array_append_new(work ? workdays : holidays, json_string(date));
        }
    return wg_reply_json(req, 200,
                         json_pack("{s:i,s:b,s:i,s:o,s:o}", "year", (int)year, "loaded",
                                   wg_calendar_has_year(app->calendar, (int)year), "day_minutes",
                                   wg_calendar_day_minutes(app->calendar), "holidays", holidays,
                                   "workdays", workdays));
}
