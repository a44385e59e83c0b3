/* The working-time calendar: day tables from chinese-days JSON, working hours, and deadlines,
 * elapsed working time and lights in China Standard Time. The rules and the decisions behind
 * them are in calendar.h; this file keeps per year two bitmaps and a running count of working
 * days, so every question is a few array reads. */
#include "domain/calendar/calendar.h"
#include "core/alloc.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>

#include <jansson.h>

#include "core/civil.h"
#include "core/log.h"

#define NYEARS (WG_CALENDAR_LAST_YEAR - WG_CALENDAR_FIRST_YEAR + 1)
/* Ten years of minutes: far beyond any limit, and it keeps minutes * 60 far from overflow. */
#define MAX_MINUTES ((int64_t)10 * 366 * 24 * 60)

/* The year of a day number. */
static int cst_year_of_day(int64_t day)
{
    int y, m, d;
    wg_civil_date((int)day, &y, &m, &d);
    return y;
}

struct year {
    uint64_t holiday[6]; /* bit doy: a listed public holiday */
    uint64_t workday[6]; /* bit doy: a listed make-up working day */
    uint16_t cum[367];   /* working days among days 0 .. doy-1 of the year */
    bool known;          /* a loaded file covered this year */
};

struct period {
    int start, end; /* minutes after midnight, China time */
};

struct wg_calendar {
    struct year years[NYEARS];
    int64_t base[NYEARS + 1]; /* working days from 1990-01-01 to 1 January of each year */
    int64_t day0[NYEARS + 1]; /* days since 1970-01-01 of 1 January of each year (and 2101) */
    struct period periods[WG_CALENDAR_MAX_PERIODS];
    int nperiods;
    int day_minutes;
    bool fallback;
};

static const char *weekday_name(int w)
{
    static const char *names[7] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                   "Thursday", "Friday", "Saturday"};
    return names[w];
}

static const char *month_name(int m)
{
    static const char *names[12] = {"January",   "February", "March",    "April",
                                    "May",       "June",     "July",     "August",
                                    "September", "October",  "November", "December"};
    return names[m - 1];
}

/* ---- day tables ---- */

static bool bit(const uint64_t *map, int doy)
{
    return (map[doy >> 6] >> (doy & 63)) & 1;
}

static void set_bit(uint64_t *map, int doy, bool on)
{
    if (on)
        map[doy >> 6] |= (uint64_t)1 << (doy & 63);
    else
        map[doy >> 6] &= ~((uint64_t)1 << (doy & 63));
}

static int year_days(const struct wg_calendar *cal, int yi)
{
    return (int)(cal->day0[yi + 1] - cal->day0[yi]);
}

/* The rule of the header, with no regard to whether the year is known. */
static bool works(const struct wg_calendar *cal, const struct year *yr, int yi, int doy)
{
    int w;
    if (bit(yr->holiday, doy))
        return false;
    if (bit(yr->workday, doy))
        return true;
    w = wg_civil_weekday(cal->day0[yi] + doy);
    return w != 0 && w != 6;
}

static void rebuild_counts(struct wg_calendar *cal, struct year *years)
{
    cal->base[0] = 0;
    for (int yi = 0; yi < NYEARS; yi++) {
        struct year *yr = &years[yi];
        int n = year_days(cal, yi), c = 0;
        yr->cum[0] = 0;
        for (int doy = 0; doy < n; doy++) {
            c += works(cal, yr, yi, doy);
            yr->cum[doy + 1] = (uint16_t)c;
        }
        cal->base[yi + 1] = cal->base[yi] + c;
    }
}

struct wg_calendar *wg_calendar_new(void)
{
    struct wg_calendar *cal = wg_calloc(1, sizeof *cal);
    struct wg_err err;
    for (int yi = 0; yi <= NYEARS; yi++)
        cal->day0[yi] = wg_civil_days(WG_CALENDAR_FIRST_YEAR + yi, 1, 1);
    rebuild_counts(cal, cal->years);
    if (wg_calendar_set_hours(cal, WG_CALENDAR_DEFAULT_HOURS, &err) != WG_OK) {
        free(cal);
        return NULL;
    }
    return cal;
}

void wg_calendar_free(struct wg_calendar *cal)
{
    free(cal);
}

void wg_calendar_set_fallback(struct wg_calendar *cal, bool on)
{
    cal->fallback = on;
}

bool wg_calendar_has_year(const struct wg_calendar *cal, int year)
{
    return year >= WG_CALENDAR_FIRST_YEAR && year <= WG_CALENDAR_LAST_YEAR &&
           cal->years[year - WG_CALENDAR_FIRST_YEAR].known;
}

/* A year is counted when its table is loaded, or when years with none follow the
 * Monday–Friday rule: the calendar's fallback, or a lenient call's. */
static bool usable(const struct wg_calendar *cal, int yi, bool lenient)
{
    return cal->years[yi].known || cal->fallback || lenient;
}

static int is_workday(const struct wg_calendar *cal, int y, int m, int d, bool lenient)
{
    int yi = y - WG_CALENDAR_FIRST_YEAR;
    if (y < WG_CALENDAR_FIRST_YEAR || y > WG_CALENDAR_LAST_YEAR || m < 1 || m > 12 || d < 1 ||
        d > wg_civil_month_days(y, m) || !usable(cal, yi, lenient))
        return -1;
    return works(cal, &cal->years[yi], yi, (int)(wg_civil_days(y, m, d) - cal->day0[yi]));
}

int wg_calendar_is_workday(const struct wg_calendar *cal, int y, int m, int d)
{
    return is_workday(cal, y, m, d, false);
}

int wg_calendar_is_workday_lenient(const struct wg_calendar *cal, int y, int m, int d)
{
    return is_workday(cal, y, m, d, true);
}

/* ---- working hours ---- */

/* "HH:MM" (24:00 allowed) at *p, in minutes after midnight; -1 when it is not one. */
static int parse_clock(const char **p)
{
    const char *s = *p;
    int h, m;
    if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' || s[2] != ':' || s[3] < '0' ||
        s[3] > '9' || s[4] < '0' || s[4] > '9')
        return -1;
    h = (s[0] - '0') * 10 + (s[1] - '0');
    m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0))
        return -1;
    *p = s + 5;
    return h * 60 + m;
}

/* At most `max` of the n bytes at s, for quoting in a message, never cutting a UTF-8
 * character (messages end up in JSON answers, which must stay valid UTF-8). */
static int quote_len(const char *s, int n, int max)
{
    if (n <= max)
        return n;
    n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

static const char *skip_spaces(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* "HH:MM-HH:MM", spaces allowed around the dash, exactly filling the n bytes at s. */
static bool parse_period(const char *s, int n, int *a, int *b)
{
    const char *q = s;
    if ((*a = parse_clock(&q)) < 0)
        return false;
    q = skip_spaces(q);
    if (*q != '-')
        return false;
    q = skip_spaces(q + 1);
    if ((*b = parse_clock(&q)) < 0)
        return false;
    return q == s + n;
}

enum wg_rc wg_calendar_set_hours(struct wg_calendar *cal, const char *spec, struct wg_err *err)
{
    struct period got[WG_CALENDAR_MAX_PERIODS];
    int n = 0, total = 0;
    const char *p = spec ? skip_spaces(spec) : "";
    if (!*p)
        return wg_err_set(err, WG_EINVAL, "working hours are empty: give periods such as \"%s\"",
                          WG_CALENDAR_DEFAULT_HOURS);
    for (;;) {
        const char *item = p;
        int len, a, b;
        while (*p && *p != ',')
            p++;
        len = (int)(p - item);
        while (len > 0 && (item[len - 1] == ' ' || item[len - 1] == '\t'))
            len--;
        if (n == WG_CALENDAR_MAX_PERIODS)
            return wg_err_set(err, WG_EINVAL, "working hours: more than %d periods",
                              WG_CALENDAR_MAX_PERIODS);
        if (!parse_period(item, len, &a, &b))
            return wg_err_set(err, WG_EINVAL,
                              "working hours: period \"%.*s\" is not of the form HH:MM-HH:MM "
                              "(00:00 to 24:00)",
                              quote_len(item, len, 40), item);
        if (a >= b)
            return wg_err_set(err, WG_EINVAL,
                              "working hours: period \"%.*s\" does not start before it ends", len,
                              item);
        if (n > 0 && a < got[n - 1].end)
            return wg_err_set(err, WG_EINVAL,
                              "working hours: period \"%.*s\" starts before the one before it "
                              "ends (periods go in order and do not overlap)",
                              len, item);
        got[n].start = a;
        got[n].end = b;
        total += b - a;
        n++;
        if (!*p)
            break;
        p = skip_spaces(p + 1);
        if (!*p)
            return wg_err_set(err, WG_EINVAL, "working hours end with a comma");
    }
    memcpy(cal->periods, got, sizeof got[0] * (size_t)n);
    cal->nperiods = n;
    cal->day_minutes = total;
    return WG_OK;
}

int wg_calendar_day_minutes(const struct wg_calendar *cal)
{
    return cal->day_minutes;
}

/* ---- positions in time ---- */

struct pos {
    int yi, doy;
    int64_t day; /* days since 1970-01-01, China time */
    int sod;     /* second of that day */
};

static bool locate(const struct wg_calendar *cal, int64_t t, struct pos *out)
{
    int64_t lo = cal->day0[0] * WG_DAY_SECONDS - WG_CST_OFFSET;
    int64_t hi = cal->day0[NYEARS] * WG_DAY_SECONDS - WG_CST_OFFSET;
    int64_t local;
    if (t < lo || t >= hi)
        return false;
    local = t + WG_CST_OFFSET; /* positive: 1990 is after 1970 */
    out->day = local / WG_DAY_SECONDS;
    out->sod = (int)(local % WG_DAY_SECONDS);
    out->yi = cst_year_of_day(out->day) - WG_CALENDAR_FIRST_YEAR;
    out->doy = (int)(out->day - cal->day0[out->yi]);
    return true;
}

/* Working seconds of a working day before second-of-day sod. */
static int64_t partial_day(const struct wg_calendar *cal, int sod)
{
    int64_t s = 0;
    for (int i = 0; i < cal->nperiods; i++) {
        int64_t a = cal->periods[i].start * 60, b = cal->periods[i].end * 60;
        if (sod <= a)
            break;
        s += (sod < b ? sod : b) - a;
    }
    return s;
}

/* Working seconds from 1990-01-01 00:00 China time to p. */
static int64_t working_seconds(const struct wg_calendar *cal, const struct pos *p)
{
    const struct year *yr = &cal->years[p->yi];
    int64_t s = (cal->base[p->yi] + yr->cum[p->doy]) * (int64_t)cal->day_minutes * 60;
    if (works(cal, yr, p->yi, p->doy))
        s += partial_day(cal, p->sod);
    return s;
}

/* Every year from..to counted (usable); strict: loaded, whatever the fallback. */
static enum wg_rc need_years(const struct wg_calendar *cal, int from, int to, bool strict,
                             bool lenient, struct wg_err *err)
{
    for (int yi = from; yi <= to; yi++)
        if (strict ? !cal->years[yi].known : !usable(cal, yi, lenient))
            return wg_err_set(err, WG_ENOTFOUND,
                              "the working calendar has no table for %d: load that year's "
                              "holidays (wangge calendar load)",
                              WG_CALENDAR_FIRST_YEAR + yi);
    return WG_OK;
}

static enum wg_rc out_of_range(struct wg_err *err, const char *what, int64_t t)
{
    return wg_err_set(err, WG_EINVAL, "%s %lld is outside the working calendar's years %d-%d", what,
                      (long long)t, WG_CALENDAR_FIRST_YEAR, WG_CALENDAR_LAST_YEAR);
}

enum wg_rc wg_calendar_check_years(const struct wg_calendar *cal, int64_t a_utc, int64_t b_utc,
                                   struct wg_err *err)
{
    struct pos a, b;
    if (!locate(cal, a_utc, &a))
        return out_of_range(err, "time", a_utc);
    if (!locate(cal, b_utc, &b))
        return out_of_range(err, "time", b_utc);
    return a.yi <= b.yi ? need_years(cal, a.yi, b.yi, true, false, err)
                        : need_years(cal, b.yi, a.yi, true, false, err);
}

/* ---- deadlines ---- */

static enum wg_rc add_minutes(const struct wg_calendar *cal, int64_t start_utc, int64_t minutes,
                              bool lenient, int64_t *deadline_utc, struct wg_err *err)
{
    struct pos p;
    int64_t daysec = (int64_t)cal->day_minutes * 60, target, k, r;
    int yi, lo, hi;
    enum wg_rc rc;
    if (minutes < 0 || minutes > MAX_MINUTES)
        return wg_err_set(err, WG_EINVAL,
                          "a limit of %lld working minutes is out of range (0 to %lld)",
                          (long long)minutes, (long long)MAX_MINUTES);
    if (!locate(cal, start_utc, &p))
        return out_of_range(err, "start time", start_utc);
    if ((rc = need_years(cal, p.yi, p.yi, false, lenient, err)))
        return rc;
    if (minutes == 0) {
        *deadline_utc = start_utc;
        return WG_OK;
    }
    /* The deadline is the first instant whose working-second count reaches target: within
     * the (k+1)-th working day since 1990, r seconds into its working time. */
    target = working_seconds(cal, &p) + minutes * 60;
    k = (target - 1) / daysec;
    r = target - k * daysec;
    if (k >= cal->base[NYEARS])
        return wg_err_set(err, WG_EINVAL,
                          "%lld working minutes after %lld run past the working calendar's "
                          "last year %d",
                          (long long)minutes, (long long)start_utc, WG_CALENDAR_LAST_YEAR);
    for (yi = p.yi; cal->base[yi + 1] <= k; yi++)
        ;
    if ((rc = need_years(cal, p.yi, yi, false, lenient, err)))
        return rc;
    /* First day of the year whose running count passes k. */
    lo = 0;
    hi = year_days(cal, yi) - 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (cal->base[yi] + cal->years[yi].cum[mid + 1] > k)
            hi = mid;
        else
            lo = mid + 1;
    }
    for (int i = 0; i < cal->nperiods; i++) {
        int64_t len = (int64_t)(cal->periods[i].end - cal->periods[i].start) * 60;
        if (r <= len) {
            *deadline_utc = (cal->day0[yi] + lo) * WG_DAY_SECONDS - WG_CST_OFFSET +
                            (int64_t)cal->periods[i].start * 60 + r;
            return WG_OK;
        }
        r -= len;
    }
    return wg_err_set(err, WG_EINTERNAL, "working calendar: a day's periods did not add up");
}

enum wg_rc wg_calendar_add_working_minutes(const struct wg_calendar *cal, int64_t start_utc,
                                           int64_t minutes, int64_t *deadline_utc,
                                           struct wg_err *err)
{
    return add_minutes(cal, start_utc, minutes, false, deadline_utc, err);
}

enum wg_rc wg_calendar_add_working_minutes_lenient(const struct wg_calendar *cal, int64_t start_utc,
                                                   int64_t minutes, int64_t *deadline_utc,
                                                   struct wg_err *err)
{
    return add_minutes(cal, start_utc, minutes, true, deadline_utc, err);
}

enum wg_rc wg_calendar_add_working_days(const struct wg_calendar *cal, int64_t start_utc, int days,
                                        int64_t *deadline_utc, struct wg_err *err)
{
    if (days < 0)
        return wg_err_set(err, WG_EINVAL, "a limit of %d working days is out of range", days);
    return wg_calendar_add_working_minutes(cal, start_utc, (int64_t)days * cal->day_minutes,
                                           deadline_utc, err);
}

int64_t wg_calendar_working_minutes_between(const struct wg_calendar *cal, int64_t a_utc,
                                            int64_t b_utc)
{
    struct pos a, b;
    if (!locate(cal, a_utc, &a) || !locate(cal, b_utc, &b))
        return -1;
    if (b_utc <= a_utc)
        return 0;
    if (need_years(cal, a.yi, b.yi, false, false, NULL) != WG_OK)
        return -1;
    return (working_seconds(cal, &b) - working_seconds(cal, &a)) / 60;
}

/* ---- lights ---- */

static enum wg_light share(int64_t used, int64_t limit)
{
    /* used * 100 < limit * 80, in integers: a limit is at most ten years of seconds. */
    return used * 5 < limit * 4 ? WG_LIGHT_GREEN : WG_LIGHT_YELLOW;
}

enum wg_light wg_calendar_light_natural(int64_t start_utc, int64_t deadline_utc, int64_t now_utc)
{
    if (now_utc > deadline_utc)
        return WG_LIGHT_RED;
    if (now_utc <= start_utc)
        return WG_LIGHT_GREEN;
    return share(now_utc - start_utc, deadline_utc - start_utc);
}

enum wg_light wg_calendar_light(const struct wg_calendar *cal, int64_t start_utc,
                                int64_t deadline_utc, int64_t now_utc)
{
    struct pos s, d, n;
    int64_t ws;
    if (now_utc > deadline_utc)
        return WG_LIGHT_RED;
    if (now_utc <= start_utc)
        return WG_LIGHT_GREEN;
    if (!locate(cal, start_utc, &s) || !locate(cal, deadline_utc, &d) || !locate(cal, now_utc, &n))
        return wg_calendar_light_natural(start_utc, deadline_utc, now_utc);
    ws = working_seconds(cal, &s);
    return share(working_seconds(cal, &n) - ws, working_seconds(cal, &d) - ws);
}

const char *wg_calendar_light_name(enum wg_light light)
{
    switch (light) {
    case WG_LIGHT_GREEN:
        return "green";
    case WG_LIGHT_YELLOW:
        return "yellow";
    case WG_LIGHT_RED:
        return "red";
    }
    return "unknown";
}

/* ---- SPEC defaults ---- */

bool wg_calendar_limit_is_natural(enum wg_calendar_limit limit)
{
    return limit == WG_LIMIT_URGENT || limit == WG_LIMIT_CRITICAL;
}

static enum wg_rc add_natural(int64_t start_utc, int hours, int64_t *deadline_utc,
                              struct wg_err *err)
{
    if (start_utc > INT64_MAX - (int64_t)hours * 3600)
        return wg_err_set(err, WG_EINVAL, "start time %lld is out of range", (long long)start_utc);
    *deadline_utc = start_utc + (int64_t)hours * 3600;
    return WG_OK;
}

enum wg_rc wg_calendar_default_deadline(const struct wg_calendar *cal, enum wg_calendar_limit limit,
                                        int64_t start_utc, int64_t *deadline_utc,
                                        struct wg_err *err)
{
    switch (limit) {
    case WG_LIMIT_SIGN:
        return wg_calendar_add_working_minutes(cal, start_utc, WG_CALENDAR_SIGN_MINUTES,
                                               deadline_utc, err);
    case WG_LIMIT_RETURN:
        return wg_calendar_add_working_days(cal, start_utc, WG_CALENDAR_RETURN_DAYS, deadline_utc,
                                            err);
    case WG_LIMIT_REPLY:
        return wg_calendar_add_working_days(cal, start_utc, WG_CALENDAR_REPLY_DAYS, deadline_utc,
                                            err);
    case WG_LIMIT_URGENT:
        return add_natural(start_utc, WG_CALENDAR_URGENT_HOURS, deadline_utc, err);
    case WG_LIMIT_CRITICAL:
        return add_natural(start_utc, WG_CALENDAR_CRITICAL_HOURS, deadline_utc, err);
    }
    return wg_err_set(err, WG_EINVAL, "unknown time limit %d", (int)limit);
}

enum wg_rc wg_calendar_extend(const struct wg_calendar *cal, int64_t deadline_utc, int days,
                              int64_t *new_deadline_utc, struct wg_err *err)
{
    if (days < 1 || days > WG_CALENDAR_EXTENSION_MAX_DAYS)
        return wg_err_set(err, WG_EINVAL, "an extension is 1 to %d working days, not %d",
                          WG_CALENDAR_EXTENSION_MAX_DAYS, days);
    return wg_calendar_add_working_days(cal, deadline_utc, days, new_deadline_utc, err);
}

/* A whole working day from the midnight that ends start's day: add() begins at the next
 * working period and ends a limit that ends with a period at its close. */
static enum wg_rc next_day_close(const struct wg_calendar *cal, int64_t start_utc, bool lenient,
                                 int64_t *deadline_utc, struct wg_err *err)
{
    int64_t midnight;
    if (start_utc < 0 || start_utc > INT64_MAX / 2)
        return out_of_range(err, "a start", start_utc);
    midnight = ((start_utc + 8 * 3600) / 86400 + 1) * 86400 - 8 * 3600;
    return add_minutes(cal, midnight, cal->day_minutes, lenient, deadline_utc, err);
}

enum wg_rc wg_calendar_next_day_close(const struct wg_calendar *cal, int64_t start_utc,
                                      int64_t *deadline_utc, struct wg_err *err)
{
    return next_day_close(cal, start_utc, false, deadline_utc, err);
}

enum wg_rc wg_calendar_next_day_close_lenient(const struct wg_calendar *cal, int64_t start_utc,
                                              int64_t *deadline_utc, struct wg_err *err)
{
    return next_day_close(cal, start_utc, true, deadline_utc, err);
}

/* ---- loading chinese-days tables ---- */

/* Checks a table's key; on success the year's index and the day of the year. */
static enum wg_rc parse_key(const struct wg_calendar *cal, const char *table, const char *key,
                            int *yi, int *doy, struct wg_err *err)
{
    int y, m, d, q = quote_len(key, (int)strlen(key), 40);
    bool form = strlen(key) == 10 && key[4] == '-' && key[7] == '-';
    for (int i = 0; form && i < 10; i++)
        if (i != 4 && i != 7 && (key[i] < '0' || key[i] > '9'))
            form = false;
    if (!form)
        return wg_err_set(err, WG_EINVAL, "%s: key \"%.*s\" is not a date of the form YYYY-MM-DD",
                          table, q, key);
    y = (key[0] - '0') * 1000 + (key[1] - '0') * 100 + (key[2] - '0') * 10 + (key[3] - '0');
    m = (key[5] - '0') * 10 + (key[6] - '0');
    d = (key[8] - '0') * 10 + (key[9] - '0');
    if (m < 1 || m > 12)
        return wg_err_set(err, WG_EINVAL, "%s: \"%s\" does not exist (there is no month %d)", table,
                          key, m);
    if (d < 1 || d > wg_civil_month_days(y, m))
        return wg_err_set(err, WG_EINVAL, "%s: \"%s\" does not exist (%s %d has %d days)", table,
                          key, month_name(m), y, wg_civil_month_days(y, m));
    if (y < WG_CALENDAR_FIRST_YEAR || y > WG_CALENDAR_LAST_YEAR)
        return wg_err_set(err, WG_EINVAL,
                          "%s: \"%s\" is outside the working calendar's years %d-%d", table, key,
                          WG_CALENDAR_FIRST_YEAR, WG_CALENDAR_LAST_YEAR);
    *yi = y - WG_CALENDAR_FIRST_YEAR;
    *doy = (int)(wg_civil_days(y, m, d) - cal->day0[*yi]);
    return WG_OK;
}

static enum wg_rc check_value(const char *table, const char *key, json_t *v, struct wg_err *err)
{
    if (!json_is_string(v))
        return wg_err_set(
            err, WG_EINVAL,
            "%s: \"%s\" must name its holiday as a string (\"National Day,国庆节,3\")", table, key);
    return WG_OK;
}

static enum wg_rc apply(const struct wg_calendar *cal, struct year *years, json_t *holidays,
                        json_t *workdays, struct wg_err *err)
{
    bool covered[NYEARS] = {false};
    const char *key;
    json_t *v;
    int yi, doy;
    enum wg_rc rc;
    if (json_object_size(holidays) == 0)
        return wg_err_set(err, WG_EINVAL, "calendar JSON: \"holidays\" lists no dates");
    json_object_foreach(holidays, key, v)
    {
        if ((rc = parse_key(cal, "holidays", key, &yi, &doy, err)) ||
            (rc = check_value("holidays", key, v, err)))
            return rc;
        covered[yi] = true;
    }
    /* A year the file covers is replaced whole, so a corrected table can also take days out. */
    for (yi = 0; yi < NYEARS; yi++) {
        if (covered[yi]) {
            memset(years[yi].holiday, 0, sizeof years[yi].holiday);
            memset(years[yi].workday, 0, sizeof years[yi].workday);
            years[yi].known = true;
        }
    }
    json_object_foreach(holidays, key, v)
    {
        parse_key(cal, "holidays", key, &yi, &doy, NULL);
        set_bit(years[yi].holiday, doy, true);
        set_bit(years[yi].workday, doy, false);
    }
    if (!workdays)
        return WG_OK;
    json_object_foreach(workdays, key, v)
    {
        int w;
        if ((rc = parse_key(cal, "workdays", key, &yi, &doy, err)) ||
            (rc = check_value("workdays", key, v, err)))
            return rc;
        if (json_object_get(holidays, key))
            return wg_err_set(err, WG_EINVAL,
                              "workdays: \"%s\" is also listed in \"holidays\"; a day is one or "
                              "the other",
                              key);
        w = wg_civil_weekday(cal->day0[yi] + doy);
        if (w != 0 && w != 6)
            return wg_err_set(err, WG_EINVAL,
                              "workdays: \"%s\" is a %s; a make-up working day is a Saturday or "
                              "Sunday",
                              key, weekday_name(w));
        set_bit(years[yi].workday, doy, true);
        set_bit(years[yi].holiday, doy, false);
    }
    return WG_OK;
}

enum wg_rc wg_calendar_load_json(struct wg_calendar *cal, const char *text, size_t len,
                                 struct wg_err *err)
{
    json_error_t je;
    json_t *root = NULL, *holidays, *workdays;
    struct year *staged = NULL;
    enum wg_rc rc;
    if (len > WG_CALENDAR_MAX_JSON)
        return wg_err_set(err, WG_ETOOBIG, "calendar JSON of %zu bytes is over the %d-byte limit",
                          len, WG_CALENDAR_MAX_JSON);
    root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return wg_err_set(err, WG_EINVAL, "calendar JSON is malformed at line %d, column %d: %s",
                          je.line, je.column, je.text);
    if (!json_is_object(root)) {
        rc = wg_err_set(err, WG_EINVAL,
                        "calendar JSON must be an object with \"holidays\" and \"workdays\"");
        goto out;
    }
    holidays = json_object_get(root, "holidays");
    workdays = json_object_get(root, "workdays");
    if (!json_is_object(holidays)) {
        rc = wg_err_set(err, WG_EINVAL, "calendar JSON: \"holidays\" %s",
                        holidays ? "must be an object of dates" : "is missing");
        goto out;
    }
    if (workdays && !json_is_object(workdays)) {
        rc = wg_err_set(err, WG_EINVAL, "calendar JSON: \"workdays\" must be an object of dates");
        goto out;
    }
    /* Staged, so a bad date anywhere leaves the calendar as it was. */
    staged = wg_malloc(sizeof cal->years);
    memcpy(staged, cal->years, sizeof cal->years);
    if ((rc = apply(cal, staged, holidays, workdays, err)))
        goto out;
    memcpy(cal->years, staged, sizeof cal->years);
    rebuild_counts(cal, cal->years);
out:
    free(staged);
    json_decref(root);
    return rc;
}

enum wg_rc wg_calendar_load_file(struct wg_calendar *cal, const char *path, struct wg_err *err)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n;
    enum wg_rc rc;
    if (!f)
        return wg_err_set(err, WG_EIO, "%s: cannot open: %s", path, strerror(errno));
    buf = wg_malloc(WG_CALENDAR_MAX_JSON + 1);
    n = fread(buf, 1, WG_CALENDAR_MAX_JSON + 1, f);
    if (ferror(f)) {
        rc = wg_err_set(err, WG_EIO, "%s: cannot read: %s", path, strerror(errno));
        goto out;
    }
    if (n > WG_CALENDAR_MAX_JSON) {
        rc = wg_err_set(err, WG_ETOOBIG, "%s: larger than the %d-byte limit of a calendar file",
                        path, WG_CALENDAR_MAX_JSON);
        goto out;
    }
    if ((rc = wg_calendar_load_json(cal, buf, n, err)))
        wg_err_prefix(err, "%s", path);
out:
    free(buf);
    fclose(f);
    return rc;
}

enum wg_rc wg_calendar_load_data(struct wg_calendar *cal, const char *data, struct wg_err *err)
{
    char dir[4096];
    DIR *d;
    struct dirent *e;
    int n = 0;
    snprintf(dir, sizeof dir, "%s/calendar", data);
    if ((d = opendir(dir))) {
        while ((e = readdir(d))) {
            char path[8192];
            size_t len = strlen(e->d_name);
            if (len < 6 || strcmp(e->d_name + len - 5, ".json"))
                continue;
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            if (wg_calendar_load_file(cal, path, err)) {
                closedir(d);
                return WG_EINVAL;
            }
            n++;
        }
        closedir(d);
    }
    if (!n) {
        wg_calendar_set_fallback(cal, true);
        wg_warn("no holiday tables in %s: counting Monday to Friday as working days; load the "
                "State Council's tables with 'wangge calendar load'",
                dir);
    }
    return WG_OK;
}
