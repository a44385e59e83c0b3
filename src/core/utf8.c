/* The UTF-8 decoder and counts (utf8.h). */
#include "core/utf8.h"

#include <string.h>

size_t wg_utf8_seq(const unsigned char *s, size_t left, uint32_t *cp)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xBF;
    uint32_t v;
    size_t n;
    if (!left)
        return 0;
    if (c < 0x80) {
        v = c, n = 1;
        goto done;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2, v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3, v = c & 0x0F;
        lo = c == 0xE0 ? 0xA0 : 0x80; /* overlong */
        hi = c == 0xED ? 0x9F : 0xBF; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, v = c & 0x07;
        lo = c == 0xF0 ? 0x90 : 0x80; /* overlong */
        hi = c == 0xF4 ? 0x8F : 0xBF; /* past U+10FFFF */
    } else {
        return 0;
    }
    if (left < n || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if (i > 1 && (s[i] < 0x80 || s[i] > 0xBF))
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
done:
    if (cp)
        *cp = v;
    return n;
}

int wg_utf8_valid(const char *s)
{
    for (size_t k; *s; s += k)
        if (!(k = wg_utf8_seq((const unsigned char *)s, SIZE_MAX, NULL)))
            return 0;
    return 1;
}

void wg_utf8_scrub(const char *s, char *out, size_t n)
{
    size_t w = 0;
    if (!n)
        return;
    while (*s) {
        size_t k = wg_utf8_seq((const unsigned char *)s, SIZE_MAX, NULL);
        size_t put = k ? k : 3; /* U+FFFD is three bytes */
        if (w + put >= n)
            break;
        memcpy(out + w, k ? s : "\xEF\xBF\xBD", put);
        w += put;
        s += k ? k : 1;
    }
    out[w] = '\0';
}

size_t wg_utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

size_t wg_utf8_prefix(const char *s, size_t max)
{
    size_t i = 0, n = 0;
    for (; s[i]; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && n++ == max)
            break;
    return i;
}
