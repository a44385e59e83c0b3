/* Parsing of query-string values with errors that name the parameter and the value. */
#ifndef WG_API_PARAMS_H
#define WG_API_PARAMS_H

#include <stddef.h>

#include "core/err.h"

/* A required decimal number in [lo, hi]. */
enum wg_rc wg_param_coord(const char *s, const char *name, double lo, double hi, double *out,
                          struct wg_err *err);
/* An optional whole number in [lo, hi]; *out keeps its default when s is NULL (absent). */
enum wg_rc wg_param_count(const char *s, const char *name, long long lo, long long hi,
                          long long *out, struct wg_err *err);
/* A text of 1 to max bytes: absent, empty and longer are errors (check an optional one only
 * when it is there). */
enum wg_rc wg_param_text(const char *s, const char *name, size_t max, struct wg_err *err);

#endif
