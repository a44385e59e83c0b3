/* Parsing of query-string values with errors that name the parameter and the value. */
#ifndef WG_API_PARAMS_H
#define WG_API_PARAMS_H

#include "core/err.h"

/* A required decimal number in [lo, hi]. */
enum wg_rc wg_param_coord(const char *s, const char *name, double lo, double hi, double *out,
                          struct wg_err *err);

#endif
