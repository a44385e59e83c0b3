/* Whole numbers written by people: settings in a file or on the command line. */
#ifndef WG_CORE_NUM_H
#define WG_CORE_NUM_H

#include "core/err.h"

/* v as a decimal whole number from lo to hi into *out; anything else (empty, trailing text,
 * out of range) is WG_EINVAL naming `what`, the range and the text given. */
enum wg_rc wg_parse_whole(const char *what, const char *v, long lo, long hi, long *out,
                          struct wg_err *err);

#endif
