/* Form fields collected from chunks, with caps on their number and size. */
#include "core/form.h"
#include "core/alloc.h"

#include <stdarg.h>

#define VALUE_MAX_DEFAULT ((size_t)16 << 20)

void wg_form_init(struct wg_form *f)
{
    memset(f, 0, sizeof *f);
}

void wg_form_release(struct wg_form *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++) {
        free(f->fields[i].key);
        free(f->fields[i].filename);
        free(f->fields[i].content_type);
        free(f->fields[i].value);
    }
    free(f->fields);
    wg_form_init(f);
}

static enum wg_rc fail(struct wg_form *f, enum wg_rc rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static enum wg_rc fail(struct wg_form *f, enum wg_rc rc, const char *fmt, ...)
{
    va_list ap;
    if (f->rc)
        return f->rc;
    va_start(ap, fmt);
    vsnprintf(f->msg, sizeof f->msg, fmt, ap);
    va_end(ap);
    f->rc = rc;
    return rc;
}

static char *dup0(const char *s)
{
    return s ? wg_strdup(s) : NULL;
}

enum wg_rc wg_form_chunk(struct wg_form *f, const char *key, const char *filename,
                         const char *content_type, const char *data, uint64_t off, size_t size)
{
    size_t max = f->max_value ? f->max_value : VALUE_MAX_DEFAULT;
    struct wg_form_field *fl;
    char *nv;
    if (f->rc)
        return f->rc;
    if (!key)
        key = "";
    if (strlen(key) > WG_FORM_KEY_MAX)
        return fail(f, WG_EINVAL, "a form field's name is longer than %d bytes", WG_FORM_KEY_MAX);
    if (off == 0) {
        if (f->n >= WG_FORM_FIELDS_MAX)
            return fail(f, WG_ETOOBIG, "the form has more than %d fields", WG_FORM_FIELDS_MAX);
        wg_grow(&f->fields, &f->cap, f->n, sizeof *f->fields, 16);
        fl = &f->fields[f->n];
        memset(fl, 0, sizeof *fl);
        fl->key = wg_strdup(key);
        fl->filename = dup0(filename);
        fl->content_type = dup0(content_type);
        fl->value = wg_calloc(1, 1);
        f->n++;
    } else {
        fl = f->n ? &f->fields[f->n - 1] : NULL;
        if (!fl || strcmp(fl->key, key) || off != fl->len)
            return fail(f, WG_EINVAL, "form field '%.60s' arrived out of order", key);
    }
    if (!size)
        return WG_OK;
    if (size > max || fl->len > max - size)
        return fail(f, WG_ETOOBIG, "form field '%.60s' is larger than %zu bytes", key, max);
    nv = wg_realloc(fl->value, fl->len + size + 1);
    memcpy(nv + fl->len, data, size);
    fl->len += size;
    nv[fl->len] = '\0';
    fl->value = nv;
    return WG_OK;
}

const struct wg_form_field *wg_form_get(const struct wg_form *f, const char *key)
{
    for (size_t i = 0; f && key && i < f->n; i++)
        if (!strcmp(f->fields[i].key, key))
            return &f->fields[i];
    return NULL;
}

const char *wg_form_value(const struct wg_form *f, const char *key)
{
    const struct wg_form_field *fl = wg_form_get(f, key);
    return fl ? fl->value : NULL;
}
