/* Keyword suggestions: the catalog items a resident's words point at, best first, with
 * the text folded so full-width and upper-case Latin letters meet their plain forms. */
#include "domain/catalog/catalog.h"
#include "core/utf8.h"

#include <stdint.h>

#include "core/alloc.h"

/* ---- suggestions ---- */

/* Folds s (at most cap - 1 bytes are written) for matching: ASCII upper case and full-width
 * Latin letters and digits (U+FF10–FF19, FF21–FF3A, FF41–FF5A) become lower-case ASCII, so
 * "ＷＩＦＩ", "WiFi" and "wifi" meet. Stops at a character boundary. Returns the length. */
static size_t fold(const char *s, size_t len, char *out, size_t cap)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, o = 0;
    while (i < len && p[i]) {
        unsigned char c = p[i];
        size_t n = 1;
        if (c == 0xEF && i + 2 < len && (p[i + 1] == 0xBC || p[i + 1] == 0xBD) &&
            (p[i + 2] & 0xC0) == 0x80) {
            unsigned cp = 0xFF00u | ((p[i + 1] & 0x03u) << 6) | (p[i + 2] & 0x3Fu);
            if ((cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
                (cp >= 0xFF41 && cp <= 0xFF5A)) {
                if (o + 1 >= cap)
                    break;
                c = (unsigned char)(cp - 0xFEE0);
                out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
                i += 3;
                continue;
            }
        }
        if (c >= 0x80)
            while (i + n < len && (p[i + n] & 0xC0) == 0x80 && n < 4)
                n++;
        if (o + n >= cap)
            break;
        if (n == 1)
            out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        else
            memcpy(out + o, p + i, n), o += n;
        i += n;
    }
    out[o] = '\0';
    return o;
}

static int hint_better(const struct wg_catalog_hint *a, const struct wg_catalog_hint *b)
{
    if (a->score != b->score)
        return a->score > b->score;
    if (a->matched != b->matched)
        return a->matched > b->matched;
    return strcmp(a->item->code, b->item->code) < 0;
}

size_t wg_catalog_suggest(const struct wg_catalog *cat, const char *text,
                          struct wg_catalog_hint *out, size_t max)
{
    char *t;
    size_t len, count = 0;
    char kws[WG_CATALOG_KEYWORDS_MAX][WG_CATALOG_KEYWORD_MAX + 1];
    char name[WG_CATALOG_NAME_MAX + 1];
    if (!text || !out || max == 0)
        return 0;
    len = strnlen(text, WG_CATALOG_SUGGEST_TEXT_MAX + 1);
    if (len > WG_CATALOG_SUGGEST_TEXT_MAX) {
        len = WG_CATALOG_SUGGEST_TEXT_MAX;
        while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
            len--;
    }
    t = wg_malloc(len + 1);
    fold(text, len, t, len + 1);
    for (size_t i = 0; i < cat->n; i++) {
        const struct wg_catalog_item *it = &cat->items[i];
        struct wg_catalog_hint h = {it, 0, 0};
        size_t nk =
            it->nkeywords < WG_CATALOG_KEYWORDS_MAX ? it->nkeywords : WG_CATALOG_KEYWORDS_MAX;
        for (size_t k = 0; k < nk; k++) {
            int dup = 0;
            if (!fold(it->keywords[k], strlen(it->keywords[k]), kws[k], sizeof kws[k]))
                continue;
            for (size_t d = 0; d < k && !dup; d++)
                dup = strcmp(kws[d], kws[k]) == 0;
            if (!dup && strstr(t, kws[k])) {
                h.score += (int)wg_utf8_chars(kws[k]);
                h.matched++;
            }
        }
        if (fold(it->name, strlen(it->name), name, sizeof name) && strstr(t, name)) {
            h.score += 2 * (int)wg_utf8_chars(name);
            h.matched++;
        }
        if (h.score == 0)
            continue;
        /* keep out[] sorted best first, holding at most max */
        if (count == max && !hint_better(&h, &out[max - 1]))
            continue;
        {
            size_t pos = count < max ? count++ : max - 1;
            while (pos > 0 && hint_better(&h, &out[pos - 1])) {
                out[pos] = out[pos - 1];
                pos--;
            }
            out[pos] = h;
        }
    }
    free(t);
    return count;
}
