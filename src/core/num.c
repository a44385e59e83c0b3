/* Whole numbers written by people. */
#include "core/num.h"

#include <stdlib.h>

enum wg_rc wg_parse_whole(const char *what, const char *v, long lo, long hi, long *out,
                          struct wg_err *err)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (!*v || *end || n < lo || n > hi)
        return wg_err_set(err, WG_EINVAL, "%s must be a whole number from %ld to %ld, not '%s'",
                          what, lo, hi, v);
    *out = n;
    return WG_OK;
}
