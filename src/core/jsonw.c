/* JSON text writer (core/jsonw.h). */
#include "core/jsonw.h"

#include <stdio.h>
#include <string.h>

void wg_jw_init(struct wg_jw *w, struct wg_buf *b)
{
    memset(w, 0, sizeof *w);
    w->b = b;
}

static void put_string(struct wg_buf *b, const char *s)
{
    const char *run = s;
    wg_buf_add(b, "\"", 1);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        const char *esc = NULL;
        char u[8];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        switch (c) {
        case '"':
            esc = "\\\"";
            break;
        case '\\':
            esc = "\\\\";
            break;
        case '\b':
            esc = "\\b";
            break;
        case '\f':
            esc = "\\f";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\r':
            esc = "\\r";
            break;
        case '\t':
            esc = "\\t";
            break;
        default:
            snprintf(u, sizeof u, "\\u%04X", c);
            esc = u;
        }
        wg_buf_add(b, run, (size_t)(s - run));
        wg_buf_adds(b, esc);
        run = s + 1;
    }
    wg_buf_add(b, run, (size_t)(s - run));
    wg_buf_add(b, "\"", 1);
}

/* the comma and the key before a value */
static void lead(struct wg_jw *w, const char *key)
{
    if (w->depth > 0 && w->depth <= WG_JW_DEPTH) {
        if (w->some[w->depth - 1])
            wg_buf_add(w->b, ",", 1);
        w->some[w->depth - 1] = 1;
    }
    if (key) {
        put_string(w->b, key);
        wg_buf_add(w->b, ":", 1);
    }
}

void wg_jw_open(struct wg_jw *w, const char *key, char brace)
{
    lead(w, key);
    wg_buf_add(w->b, &brace, 1);
    if (w->depth < WG_JW_DEPTH)
        w->some[w->depth] = 0;
    w->depth++;
}

void wg_jw_close(struct wg_jw *w, char brace)
{
    wg_buf_add(w->b, &brace, 1);
    if (w->depth > 0)
        w->depth--;
}

void wg_jw_str(struct wg_jw *w, const char *key, const char *s)
{
    lead(w, key);
    put_string(w->b, s ? s : "");
}

void wg_jw_int(struct wg_jw *w, const char *key, long long v)
{
    char s[24], *p = s + sizeof s;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    lead(w, key);
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        *--p = '-';
    wg_buf_add(w->b, p, (size_t)(s + sizeof s - p));
}

/* as jansson: "%.17g" (exact), and a real always shows it is one */
void wg_jw_real(struct wg_jw *w, const char *key, double v)
{
    char s[48];
    int n;
    lead(w, key);
    n = snprintf(s, sizeof s - 2, "%.17g", v);
    if (n > 0 && n < (int)sizeof s - 2 && !strpbrk(s, ".eEn"))
        memcpy(s + n, ".0", 3);
    wg_buf_adds(w->b, s);
}

void wg_jw_raw(struct wg_jw *w, const char *key, const char *json)
{
    lead(w, key);
    wg_buf_adds(w->b, json);
}

void wg_jw_bool(struct wg_jw *w, const char *key, int v)
{
    lead(w, key);
    wg_buf_adds(w->b, v ? "true" : "false");
}
