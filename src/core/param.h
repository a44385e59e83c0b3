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
/* The one reading of a whole number: digits alone (with a '-' first only when lo < 0), in
 * [lo, hi]; 0 with *out set, -1 for anything else. The functions below are it with their
 * own messages. */
int wg_param_whole(const char *s, long long lo, long long hi, long long *out);
/* An optional whole number in [lo, hi]; *out keeps its default when s is NULL (absent). A
 * value that is not digits alone, or is out of range, is WG_EINVAL. */
enum wg_rc wg_param_count(const char *s, const char *name, long long lo, long long hi,
                          long long *out, struct wg_err *err);
/* A text of 1 to max bytes: absent, empty and longer are errors (check an optional one only
 * when it is there). */
enum wg_rc wg_param_text(const char *s, const char *name, size_t max, struct wg_err *err);

/* A UTC time or a prefix of one, as times are stored and compared as text: "YYYY-MM-DD",
 * then optionally "Thh", ":mm", ":ss", ".s{1,3}", and an optional final "Z", which is dropped
 * so that text comparison orders it rightly ("...T08:00:00" sorts before
 * "...T08:00:00.000Z"; "...T08:00:00Z" would sort after). Every part must be a real date and
 * time of day. out (32 bytes) is the text to compare with; anything else is WG_EINVAL naming
 * the parameter and what was given. */
enum wg_rc wg_param_time(const char *s, const char *name, char out[32], struct wg_err *err);
/* An id in a path, exactly: the digits of a number in [lo, hi] as it is written, without a
 * leading zero; 0 with *out set, -1 for anything else (a path naming nothing: 404). */
int wg_param_id(const char *s, long long lo, long long hi, long long *out);

/* The cursor of a newest-first list, "<time>.<id>" of the page before's last row: the time
 * (unix seconds, 0 or more) and the id (1 or more) into *at and *id; absent or "" is the first
 * page (both INT64_MAX). Anything else is WG_EINVAL naming cursor. */
enum wg_rc wg_param_time_cursor(const char *text, long long *at, long long *id, struct wg_err *err);

/* A setting's value (a settings file line or a flag), v from lo to hi into *out; anything
 * else is WG_EINVAL naming `what`, the range and the text given. */
enum wg_rc wg_parse_whole(const char *what, const char *v, long lo, long hi, long *out,
                          struct wg_err *err);

#endif
