/* Query-string value parsing. */
#include "api/params.h"

#include <errno.h>
#include <math.h>

enum wg_rc wg_param_coord(const char *s, const char *name, double lo, double hi, double *out,
                          struct wg_err *err)
{
    char *end;
    double v;
    if (!s || !*s)
        return wg_err_set(err, WG_EINVAL, "query parameter '%s' is required", name);
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
