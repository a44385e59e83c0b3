/* Fuzz target: the catalog JSON reader (the admin API takes whole catalogs from outside).
 * Whatever it accepts must export and read back to the same document, answer every
 * lookup, and take its own text as a suggestion query. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/catalog/catalog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct wg_catalog cat, back;
    struct wg_catalog_hint hints[8];
    struct wg_err err = {0};
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    wg_catalog_init(&cat);
    wg_catalog_init(&back);
    if (wg_catalog_parse(&cat, (const char *)data, size, &err) == WG_OK) {
        json_t *j = wg_catalog_to_json(&cat);
        char *s1 = j ? json_dumps(j, JSON_COMPACT) : NULL, *s2 = NULL;
        json_t *j2;
        if (s1) {
            assert(wg_catalog_parse(&back, s1, strlen(s1), &err) == WG_OK);
            j2 = wg_catalog_to_json(&back);
            s2 = j2 ? json_dumps(j2, JSON_COMPACT) : NULL;
            assert(!s2 || strcmp(s1, s2) == 0);
            json_decref(j2);
        }
        for (size_t i = 0; i < cat.n; i++) {
            struct wg_catalog_limits l;
            assert(wg_catalog_find(&cat, cat.items[i].code) != NULL);
            assert(wg_catalog_limits(&cat, cat.items[i].code, &l, &err) == WG_OK);
            assert(l.sign > 0 && l.ret > 0 && l.reply > 0 && l.extension >= l.reply);
            (void)wg_catalog_children(&cat, cat.items[i].code, NULL, 0);
        }
        free(s1);
        free(s2);
        json_decref(j);
    }
    (void)wg_catalog_suggest(&cat, text, hints, 8);
    wg_catalog_release(&cat);
    wg_catalog_release(&back);
    free(text);
    return 0;
}
