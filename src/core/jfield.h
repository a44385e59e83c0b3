/* The fields of a JSON object a client sent (a request body): each read by its type with its
 * limits, and every error naming the field and saying what is accepted, so that every write
 * route answers a bad field the same way. Text is counted in characters, as people count
 * it; a string holding a NUL is refused (it would be cut short in C). */
#ifndef WG_CORE_JFIELD_H
#define WG_CORE_JFIELD_H

#include <jansson.h>
#include <stddef.h>

#include "core/err.h"

/* A text field of min_chars to max_chars characters into *out (borrowed from obj); absent or
 * null is *out NULL, an error when min_chars > 0, as is text of white space alone. */
enum wg_rc wg_jf_text(const json_t *obj, const char *field, size_t min_chars, size_t max_chars,
                      const char **out, struct wg_err *err);
/* A field whose value is one of the NULL-terminated list; absent gives dflt (NULL: absent is
 * an error). The error lists the accepted values. */
enum wg_rc wg_jf_one_of(const json_t *obj, const char *field, const char *const *list,
                        const char *dflt, const char **out, struct wg_err *err);
/* true or false; absent is 0. */
enum wg_rc wg_jf_bool(const json_t *obj, const char *field, int *out, struct wg_err *err);
/* obj must be an object holding only the NULL-terminated fields; what names it in the error
 * ("'nmae' is not a field of an appeal (its fields: …)"). A field "a.b" names key b of the
 * object under key a, whose keys are then checked too when it is an object
 * ("'reporter.nmae' is not a field of …"); a key listed with no "key.…" entries may hold any
 * value. */
enum wg_rc wg_jf_known(const json_t *obj, const char *const *fields, const char *what,
                       struct wg_err *err);

#endif
