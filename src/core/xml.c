/* JSON value → XML element tree, with escaping. */
#include "core/xml.h"

#include <math.h>

void wg_xml_escape(struct wg_buf *b, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t run = 0; /* bytes copied as they are, flushed before each escape */
    for (size_t i = 0; i < len; i++) {
        const char *rep = NULL;
        unsigned char c = p[i];
        if (c == '&')
            rep = "&amp;";
        else if (c == '<')
            rep = "&lt;";
        else if (c == '>')
            rep = "&gt;";
        else if (c == '"')
            rep = "&quot;";
        else if (c == '\'')
            rep = "&apos;";
        else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            rep = ""; /* not a character XML 1.0 allows, even escaped */
        else if (c == 0xEF && i + 2 < len && p[i + 1] == 0xBF &&
                 (p[i + 2] == 0xBE || p[i + 2] == 0xBF)) {
            rep = ""; /* U+FFFE and U+FFFF are not XML characters either */
            wg_buf_add(b, s + i - run, run);
            run = 0;
            i += 2;
            continue;
        }
        if (!rep) {
            run++;
            continue;
        }
        wg_buf_add(b, s + i - run, run);
        run = 0;
        wg_buf_adds(b, rep);
    }
    wg_buf_add(b, s + len - run, run);
}

static void render(struct wg_buf *b, const char *name, const json_t *v, wg_xml_item_fn item,
                   int depth)
{
    if (depth > 32) /* answers are shallow; a deeper value is a bug, not a document */
        return;
    if (json_is_array(v)) {
        const char *in = item ? item(name) : NULL;
        size_t i;
        json_t *m;
        wg_buf_addf(b, "<%s>", name);
        json_array_foreach(v, i, m) render(b, in ? in : name, m, item, depth + 1);
        wg_buf_addf(b, "</%s>", name);
        return;
    }
    if (json_is_object(v)) {
        const char *k;
        json_t *m;
        wg_buf_addf(b, "<%s>", name);
        json_object_foreach((json_t *)v, k, m) render(b, k, m, item, depth + 1);
        wg_buf_addf(b, "</%s>", name);
        return;
    }
    if (json_is_null(v) || !v) {
        wg_buf_addf(b, "<%s></%s>", name, name);
        return;
    }
    wg_buf_addf(b, "<%s>", name);
    if (json_is_string(v))
        wg_xml_escape(b, json_string_value(v), json_string_length(v));
    else if (json_is_true(v))
        wg_buf_adds(b, "true");
    else if (json_is_false(v))
        wg_buf_adds(b, "false");
    else if (json_is_integer(v))
        wg_buf_addf(b, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v) && isfinite(json_real_value(v)))
        wg_buf_addf(b, "%.15g", json_real_value(v));
    wg_buf_addf(b, "</%s>", name);
}

enum wg_rc wg_xml_render(struct wg_buf *b, const char *root, const json_t *v, wg_xml_item_fn item)
{
    wg_buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    render(b, root, v, item, 0);
    wg_buf_adds(b, "\n");
    return wg_buf_rc(b);
}
