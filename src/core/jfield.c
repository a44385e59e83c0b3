/* A client's JSON fields, read with their limits (jfield.h). */
#include "core/jfield.h"
#include "core/utf8.h"

#include "core/buf.h"

static int blank(const char *s)
{
    for (; *s; s++)
        if (!strchr(" \t\r\n", *s))
            return 0;
    return 1;
}

enum wg_rc wg_jf_text(const json_t *obj, const char *field, size_t min_chars, size_t max_chars,
                      const char **out, struct wg_err *err)
{
    json_t *v = json_object_get(obj, field);
    size_t n;
    *out = NULL;
    if (!v || json_is_null(v)) {
        if (min_chars)
            return wg_err_set(err, WG_EINVAL, "'%s' is required", field);
        return WG_OK;
    }
    if (!json_is_string(v))
        return wg_err_set(err, WG_EINVAL, "'%s' must be a string", field);
    *out = json_string_value(v);
    if (json_string_length(v) != strlen(*out))
        return wg_err_set(err, WG_EINVAL, "'%s' must not contain NUL characters", field);
    if (min_chars && blank(*out))
        return wg_err_set(err, WG_EINVAL, "'%s' is empty", field);
    n = wg_utf8_chars(*out);
    if (n > max_chars)
        return wg_err_set(err, WG_EINVAL, "'%s' is %zu characters; at most %zu", field, n,
                          max_chars);
    if (n < min_chars)
        return wg_err_set(err, WG_EINVAL, "'%s' is %zu characters; at least %zu", field, n,
                          min_chars);
    return WG_OK;
}

enum wg_rc wg_jf_one_of(const json_t *obj, const char *field, const char *const *list,
                        const char *dflt, const char **out, struct wg_err *err)
{
    json_t *v = json_object_get(obj, field);
    const char *s = json_string_value(v);
    struct wg_buf b;
    if (!v && dflt) {
        *out = dflt;
        return WG_OK;
    }
    for (const char *const *p = list; s && *p; p++)
        if (!strcmp(*p, s)) {
            *out = *p;
            return WG_OK;
        }
    wg_buf_init(&b, 512);
    for (const char *const *p = list; *p; p++)
        wg_buf_addf(&b, "%s%s", p == list ? "" : ", ", *p);
    wg_err_set(err, WG_EINVAL, "'%s' must be one of %s", field, wg_buf_str(&b));
    wg_buf_release(&b);
    return WG_EINVAL;
}

enum wg_rc wg_jf_bool(const json_t *obj, const char *field, int *out, struct wg_err *err)
{
    json_t *v = json_object_get(obj, field);
    *out = 0;
    if (!v)
        return WG_OK;
    if (!json_is_boolean(v))
        return wg_err_set(err, WG_EINVAL, "'%s' must be true or false", field);
    *out = json_is_true(v);
    return WG_OK;
}

enum wg_rc wg_jf_known(const json_t *obj, const char *const *fields, const char *what,
                       struct wg_err *err)
{
    const char *key;
    json_t *v;
    if (!json_is_object(obj))
        return wg_err_set(err, WG_EINVAL, "%s must be a JSON object", what);
    json_object_foreach((json_t *)obj, key, v)
    {
        const char *const *f = fields;
        while (*f && strcmp(*f, key))
            f++;
        if (!*f)
            return wg_err_set(err, WG_EINVAL, "'%.40s' is not a field of %s", key, what);
    }
    return WG_OK;
}
