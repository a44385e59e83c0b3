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

/* Whether fields name key under prefix (prefix "" at the top: "key"; under "a.": "a.key"),
 * and whether some field names a key inside it ("key.…"). */
static int known_key(const char *const *fields, const char *prefix, const char *key, int *nested)
{
    size_t pn = strlen(prefix), kn = strlen(key);
    int found = 0;
    *nested = 0;
    for (const char *const *f = fields; *f; f++) {
        if (strncmp(*f, prefix, pn) || strncmp(*f + pn, key, kn))
            continue;
        if ((*f)[pn + kn] == '\0')
            found = 1;
        else if ((*f)[pn + kn] == '.')
            found = *nested = 1;
    }
    return found;
}

/* The keys under prefix, each once, for the error: "a, b, c". */
static void list_under(struct wg_buf *b, const char *const *fields, const char *prefix)
{
    size_t pn = strlen(prefix);
    int n = 0;
    for (const char *const *f = fields; *f; f++) {
        const char *const *g = fields;
        if (strncmp(*f, prefix, pn)) /* first: a field shorter than prefix ends before it */
            continue;
        size_t kn = strcspn(*f + pn, ".");
        while (g < f && (strncmp(*g, *f, pn + kn) || !strchr(".", (*g)[pn + kn])))
            g++;
        if (g == f) /* not named before */
            wg_buf_addf(b, "%s%.*s", n++ ? ", " : "", (int)kn, *f + pn);
    }
}

static enum wg_rc known_in(const json_t *obj, const char *const *fields, const char *prefix,
                           const char *what, struct wg_err *err)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        int nested;
        if (!known_key(fields, prefix, key, &nested)) {
            struct wg_buf b;
            wg_buf_init(&b, 1024);
            list_under(&b, fields, prefix);
            if (b.len)
                wg_err_set(err, WG_EINVAL, "'%s%.40s' is not a field of %s (its fields: %s)",
                           prefix, key, what, wg_buf_str(&b));
            else
                wg_err_set(err, WG_EINVAL, "'%s%.40s' is not a field of %s (it takes none)", prefix,
                           key, what);
            wg_buf_release(&b);
            return WG_EINVAL;
        }
        if (nested && json_is_object(v)) {
            char sub[128];
            enum wg_rc rc;
            if ((size_t)snprintf(sub, sizeof sub, "%s%s.", prefix, key) >= sizeof sub)
                return wg_err_set(err, WG_EINVAL, "'%.40s' is nested too deep in %s", key, what);
            if ((rc = known_in(v, fields, sub, what, err)))
                return rc;
        }
    }
    return WG_OK;
}

enum wg_rc wg_jf_known(const json_t *obj, const char *const *fields, const char *what,
                       struct wg_err *err)
{
    if (!json_is_object(obj))
        return wg_err_set(err, WG_EINVAL, "%s must be a JSON object", what);
    return known_in(obj, fields, "", what, err);
}
