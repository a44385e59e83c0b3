/* The fields of a submitted form (application/x-www-form-urlencoded or multipart/form-data),
 * as the HTTP layer hands them to a handler: each field a key, its value's bytes (text or a
 * file's content) and, for a file, its name and declared type. The HTTP layer fills it with
 * libmicrohttpd's post processor chunk by chunk; handlers only read it. Keys repeat when a
 * form repeats them ("attribute[kind][]=a&attribute[kind][]=b"), in the order sent. */
#ifndef WG_CORE_FORM_H
#define WG_CORE_FORM_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define WG_FORM_FIELDS_MAX 256 /* fields in one form */
#define WG_FORM_KEY_MAX    256 /* bytes of a key */

struct wg_form_field {
    char *key;          /* owned, NUL-terminated */
    char *filename;     /* owned; NULL unless the field is a file */
    char *content_type; /* owned; NULL when not declared */
    char *value;        /* owned, NUL-terminated (a file may hold NULs: use len) */
    size_t len;
};

struct wg_form {
    struct wg_form_field *fields;
    size_t n, cap;
    size_t max_value; /* bytes of one value; 0: 16 MiB */
    enum wg_rc rc;    /* sticky: the first failure */
    char msg[200];
};

void wg_form_init(struct wg_form *f);
void wg_form_release(struct wg_form *f);

/* Adds size bytes of a field's value found at offset off of that value: off 0 starts a new
 * field, a later offset continues the last one (which must have the same key). Fails —
 * and stays failed — past WG_FORM_FIELDS_MAX fields, a key longer than WG_FORM_KEY_MAX or
 * holding a NUL, a value over max_value, or chunks out of order. */
enum wg_rc wg_form_chunk(struct wg_form *f, const char *key, const char *filename,
                         const char *content_type, const char *data, uint64_t off, size_t size);

/* The first field with this key, or NULL. */
const struct wg_form_field *wg_form_get(const struct wg_form *f, const char *key);
/* The value of the first field with this key as text, or NULL when absent. */
const char *wg_form_value(const struct wg_form *f, const char *key);

#endif
