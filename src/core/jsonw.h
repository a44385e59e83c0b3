/* JSON text written straight into a wg_buf, for answers too hot to build as jansson trees
 * first (the 201 of intake). The writer puts the commas: a member or element is preceded
 * by one when another came before it in the same object or array. key is NULL for an
 * array's elements and the top value. Errors stick in the buffer (wg_buf_rc). Strings must
 * be UTF-8; they are written as jansson writes them (", \ and control characters escaped,
 * everything else as is). */
#ifndef WG_CORE_JSONW_H
#define WG_CORE_JSONW_H

#include "core/buf.h"

#define WG_JW_DEPTH 16

struct wg_jw {
    struct wg_buf *b;
    int depth;
    unsigned char some[WG_JW_DEPTH]; /* a value came before in this container */
};

void wg_jw_init(struct wg_jw *w, struct wg_buf *b);
void wg_jw_open(struct wg_jw *w, const char *key, char brace); /* '{' or '[' */
void wg_jw_close(struct wg_jw *w, char brace);                 /* '}' or ']' */
void wg_jw_str(struct wg_jw *w, const char *key, const char *s);
void wg_jw_int(struct wg_jw *w, const char *key, long long v);
void wg_jw_real(struct wg_jw *w, const char *key, double v);
void wg_jw_bool(struct wg_jw *w, const char *key, int v);
/* A value already written as JSON text (as json_dumps makes it), copied as it is. */
void wg_jw_raw(struct wg_jw *w, const char *key, const char *json);

#endif
