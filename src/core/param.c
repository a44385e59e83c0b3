/* Numbers people write, parsed strictly (param.h). */
#include "core/param.h"

#include <errno.h>
#include <math.h>

#include "core/civil.h"

enum wg_rc wg_param_coord(const char *s, const char *name, double lo, double hi, double *out,
                          struct wg_err *err)
{
    char *end;
    double v;
    if (!s)
        return wg_err_set(err, WG_EINVAL, "query parameter '%s' is required", name);
    if (!*s)
        return wg_err_set(err, WG_EINVAL, "query parameter '%s' is empty", name);
    errno = 0;
    v = strtod(s, &end);
    if (*end || errno || !isfinite(v))
        return wg_err_set(err, WG_EINVAL, "query parameter '%s' is '%.40s', not a number", name, s);
    if (v < lo || v > hi)
        return wg_err_set(err, WG_EINVAL, "query parameter '%s' is %g, outside [%g, %g]", name, v,
                          lo, hi);
    *out = v;
    return WG_OK;
}

int wg_param_whole(const char *s, long long lo, long long hi, long long *out)
{
    /* digits alone (a '-' first where negatives are allowed): no spaces, no '+', no 0x */
    const char *d = s + (*s == '-' && lo < 0);
    char *end;
    long long n;
    if (*d < '0' || *d > '9')
        return -1;
    errno = 0;
    n = strtoll(s, &end, 10);
    if (*end || errno || n < lo || n > hi)
        return -1;
    *out = n;
    return 0;
}

enum wg_rc wg_param_count(const char *s, const char *name, long long lo, long long hi,
                          long long *out, struct wg_err *err)
{
    if (!s || !wg_param_whole(s, lo, hi, out))
        return WG_OK;
    return wg_err_set(err, WG_EINVAL, "query parameter '%s' must be %lld to %lld, not '%.20s'",
                      name, lo, hi, s);
}

enum wg_rc wg_parse_whole(const char *what, const char *v, long lo, long hi, long *out,
                          struct wg_err *err)
{
    long long n;
    if (wg_param_whole(v, lo, hi, &n))
        return wg_err_set(err, WG_EINVAL, "%s must be a whole number from %ld to %ld, not '%s'",
                          what, lo, hi, v);
    *out = (long)n;
    return WG_OK;
}

enum wg_rc wg_param_time(const char *s, const char *name, char out[32], struct wg_err *err)
{
    static const char tmpl[] = "dddd-dd-ddTdd:dd:dd.ddd";
    size_t n = strnlen(s, 32);
    if (n && n < 32 && s[n - 1] == 'Z')
        n--;
    if (n == 10 || n == 13 || n == 16 || n == 19 || (n >= 21 && n <= 23)) {
        size_t i = 0;
        for (; i < n; i++)
            if (tmpl[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != tmpl[i])
                break;
        if (i == n) {
            int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
            int mo = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
            int h = n > 10 ? (s[11] - '0') * 10 + (s[12] - '0') : 0;
            int mi = n > 13 ? (s[14] - '0') * 10 + (s[15] - '0') : 0;
            int se = n > 16 ? (s[17] - '0') * 10 + (s[18] - '0') : 0;
            if (mo >= 1 && mo <= 12 && d >= 1 && d <= wg_civil_month_days(y, mo) && h < 24 &&
                mi < 60 && se < 60) {
                memcpy(out, s, n);
                out[n] = '\0';
                return WG_OK;
            }
        }
    }
    return wg_err_set(err, WG_EINVAL,
                      "%s '%.40s' is not a UTC time like 2026-01-31 or 2026-01-31T08:00:00Z", name,
                      s);
}

int wg_param_id(const char *s, long long lo, long long hi, long long *out)
{
    if (s[0] == '0' && s[1] != '\0')
        return -1;
    return wg_param_whole(s, lo, hi, out);
}

enum wg_rc wg_param_text(const char *s, const char *name, size_t max, struct wg_err *err)
{
    if (!s)
        return wg_err_set(err, WG_EINVAL, "query parameter '%s' is required", name);
    if (!*s)
        return wg_err_set(err, WG_EINVAL, "query parameter '%s' is empty", name);
    if (strnlen(s, max + 1) > max)
        return wg_err_set(err, WG_EINVAL, "query parameter '%s' is longer than %zu bytes", name,
                          max);
    return WG_OK;
}

enum wg_rc wg_param_time_cursor(const char *text, long long *at, long long *id, struct wg_err *err)
{
    const char *dot = text ? strchr(text, '.') : NULL;
    char head[24];
    *at = INT64_MAX;
    *id = INT64_MAX;
    if (!text || !*text)
        return WG_OK;
    if (dot && dot - text < (long)sizeof head) {
        snprintf(head, sizeof head, "%.*s", (int)(dot - text), text);
        if (!wg_param_whole(head, 0, INT64_MAX, at) && !wg_param_id(dot + 1, 1, INT64_MAX, id))
            return WG_OK;
    }
    return wg_err_set(err, WG_EINVAL,
                      "'cursor' is not a cursor of this list; pass the next_cursor of the page "
                      "before");
}
