/* The one parser of query-string values (and of numbers given on the command line): each
 * strict — digits alone, no spaces or signs a person did not mean — with an error that names
 * the parameter, what it takes and what was given. */
#ifndef WG_CORE_PARAM_H
#define WG_CORE_PARAM_H

#include <stddef.h>

#include "core/err.h"

/* A required decimal number in [lo, hi]. */
enum wg_rc wg_param_coord(const char *s, const char *name, double lo, double hi, double *out,
                          struct wg_err *err);
/* An optional whole number in [lo, hi]; *out keeps its default when s is NULL (absent). A
 * value that is not digits alone, or is out of range, is WG_EINVAL. */
enum wg_rc wg_param_count(const char *s, const char *name, long long lo, long long hi,
                          long long *out, struct wg_err *err);
/* A text of 1 to max bytes: absent, empty and longer are errors (check an optional one only
 * when it is there). */
enum wg_rc wg_param_text(const char *s, const char *name, size_t max, struct wg_err *err);

#endif
