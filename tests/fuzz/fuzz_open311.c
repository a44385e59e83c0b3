/* Fuzz target: what an Open311 client sends. The input is a form, one "key=value" field per
 * line (the HTTP layer's post processor has split and decoded it), read against the shipped
 * catalog's service definitions; its first line is also read as a W3C date-time and a status
 * filter, and whatever is accepted is rendered as XML, which must stay well formed. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "core/xml.h"
#include "domain/open311/open311.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct wg_catalog cat;
static int ready;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct wg_form form;
    struct wg_open311_post p;
    struct wg_err err = {0};
    const char *s = (const char *)data, *end = s + size;
    char first[128];
    long long t;
    char *states = NULL;
    if (!ready) {
        wg_catalog_init(&cat);
        assert(wg_catalog_load_defaults(&cat, &err) == WG_OK);
        ready = 1;
    }
    wg_form_init(&form);
    form.max_value = 1 << 16;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s)), *eq;
        size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
        char key[WG_FORM_KEY_MAX + 2];
        eq = memchr(s, '=', len);
        size_t klen = eq ? (size_t)(eq - s) : len;
        if (klen > WG_FORM_KEY_MAX + 1)
            klen = WG_FORM_KEY_MAX + 1;
        memcpy(key, s, klen);
        key[klen] = '\0';
        if (!strlen(key) || strlen(key) == klen) /* keys hold no NUL */
            wg_form_chunk(&form, key, NULL, NULL, eq ? eq + 1 : "", 0,
                          eq ? len - (size_t)(eq + 1 - s) : 0);
        s += len + 1;
    }
    if (wg_open311_post_parse(&cat, &form, &p, &err) == WG_OK) {
        struct wg_buf b;
        assert(p.item && wg_open311_is_service(p.item) && p.attributes);
        assert(p.has_point || p.address_string || p.address_id);
        wg_buf_init(&b, 1 << 20);
        assert(wg_xml_render(&b, "attributes", p.attributes, NULL) == WG_OK);
        wg_buf_release(&b);
    }
    wg_open311_post_release(&p);
    wg_form_release(&form);
    size_t n = size < sizeof first - 1 ? size : sizeof first - 1;
    memcpy(first, data, n);
    first[n] = '\0';
    first[strcspn(first, "\n")] = '\0';
    if (wg_open311_parse_time(first, &t, &err) == WG_OK) {
        char out[32], back[32];
        long long t2;
        wg_open311_format_time(t, out);
        assert(wg_open311_parse_time(out, &t2, &err) == WG_OK && t2 == t);
        wg_open311_utc_time(t, back);
    }
    if (wg_open311_states(first, &states, &err) == WG_OK)
        assert(states);
    free(states);
    return 0;
}
