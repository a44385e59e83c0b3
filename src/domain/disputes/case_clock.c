/* A case's time boxes on the working calendar (dispute.h, docs/API.md "Time boxes and
 * supervision"): the box each level has, when a clock starts and ends, and its light. */
#include "domain/disputes/case_clock.h"

#include <stdio.h>
#include <string.h>

#include "core/civil.h"
#include "core/param.h"

/* Without boxes given (a case opened by an order's line, from the orders module): these. */
static const struct wg_case_boxes defaults = {2, {5, 10, 15, 22}};

void wg_case_boxes_init(struct wg_case_boxes *b)
{
    b->accept_days = 2;
    b->days[WG_CASE_GRID] = 5;
    b->days[WG_CASE_VILLAGE] = 10;
    b->days[WG_CASE_TOWN] = 15;
    b->days[WG_CASE_COUNTY] = 22;
}

enum wg_rc wg_case_boxes_set(struct wg_case_boxes *b, const char *spec, struct wg_err *err)
{
    struct wg_case_boxes next = *b;
    const char *p = spec ? spec : "";
    while (*p) {
        size_t n = strcspn(p, ","), k = strcspn(p, "=");
        char name[16], value[16];
        long long days;
        enum wg_case_level l;
        if (k >= n || k >= sizeof name || n - k - 1 >= sizeof value)
            return wg_err_set(err, WG_EINVAL, "'%.*s' is not level=days", (int)n, p);
        snprintf(name, sizeof name, "%.*s", (int)k, p);
        snprintf(value, sizeof value, "%.*s", (int)(n - k - 1), p + k + 1);
        if (wg_param_whole(value, 1, 60, &days))
            return wg_err_set(err, WG_EINVAL, "'%s' is 1 to 60 working days, not '%s'", name,
                              value);
        if (!strcmp(name, "accept"))
            next.accept_days = (int)days;
        else if (!wg_case_level_parse(name, &l, NULL))
            next.days[l] = (int)days;
        else
            return wg_err_set(err, WG_EINVAL,
                              "'%s' is not one of accept, grid, village, town, county", name);
        p += n + (p[n] == ',');
    }
    *b = next;
    return WG_OK;
}

/* days working days from start, on the lenient calendar: a county's box from December runs on
 * into a year whose table is not published yet by Monday to Friday, so that a mediator's
 * step is never refused for a table the administrator has still to load. */
static enum wg_rc add_days(const struct wg_calendar *cal, long long start, int days, long long *due,
                           struct wg_err *err)
{
    int64_t d = 0;
    enum wg_rc rc = wg_calendar_add_working_minutes_lenient(
        cal, start, (int64_t)days * wg_calendar_day_minutes(cal), &d, err);
    *due = d;
    return rc;
}

/* The close of the working day that `at` falls on, or of the next working day when it falls
 * outside working time: the first working minute from `at` lies in that day, and a whole
 * day's minutes from its midnight end at its close. */
static enum wg_rc day_close(const struct wg_calendar *cal, long long at, long long *close,
                            struct wg_err *err)
{
    int64_t first = 0, end = 0;
    enum wg_rc rc = wg_calendar_add_working_minutes_lenient(cal, at, 1, &first, err);
    if (!rc)
        rc = wg_calendar_add_working_minutes_lenient(cal, wg_cst_midnight(wg_cst_day(first - 1)),
                                                     wg_calendar_day_minutes(cal), &end, err);
    *close = end;
    return rc;
}

enum wg_rc wg_case_clock_register(const struct wg_case_env *env, const char *risk, long long now,
                                  long long *clock_at, long long *due_at, struct wg_err *err)
{
    int64_t due = 0;
    enum wg_rc rc = WG_OK;
    const struct wg_case_boxes *b = env->boxes ? env->boxes : &defaults;
    *clock_at = *due_at = 0;
    if (!env->calendar)
        return WG_OK;
    if (!strcmp(risk, "red") || !strcmp(risk, "orange")) {
        long long close = 0;
        rc = day_close(env->calendar, now, &close, err);
        due = close;
    } else {
        long long d = 0;
        rc = add_days(env->calendar, now, b->accept_days, &d, err);
        due = d;
    }
    if (!rc)
        *clock_at = now, *due_at = due;
    return rc;
}

enum wg_rc wg_case_clock_level(const struct wg_case_env *env, enum wg_case_level level,
                               long long now, long long *clock_at, long long *due_at,
                               struct wg_err *err)
{
    const struct wg_case_boxes *b = env->boxes ? env->boxes : &defaults;
    long long due = 0;
    *clock_at = *due_at = 0;
    if (!env->calendar || (unsigned)level >= WG_CASE_LEVEL_COUNT)
        return WG_OK;
    enum wg_rc rc = add_days(env->calendar, now, b->days[level], &due, err);
    if (!rc)
        *clock_at = now, *due_at = due;
    return rc;
}

const char *wg_case_light(const struct wg_case_env *env, long long clock_at, long long due_at,
                          long long now)
{
    if (!due_at)
        return NULL;
    if (!env->calendar)
        return now > due_at ? "red" : "green";
    return wg_calendar_light_name(wg_calendar_light(env->calendar, clock_at, due_at, now));
}
