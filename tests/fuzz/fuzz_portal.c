/* Fuzz target: what the residents' portal reads from anyone on the internet — an appeal's
 * JSON body, a rating's and a tracking code as typed. What the appeal parser accepts must
 * make a well-formed order input (a known type, a point in range, a title that is valid
 * UTF-8 of bounded length); a code it reads must read back to the same hash. */
#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "domain/portal/portal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int utf8_ok(const char *s)
{
    json_t *j = json_string(s); /* jansson refuses invalid UTF-8 */
    int ok = j != NULL;
    json_decref(j);
    return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct wg_catalog cat;
    static int ready;
    struct wg_err err = {0};
    struct wg_portal_input in;
    struct wg_order_input oin;
    char hash[65], hash2[65], shown[WG_PORTAL_CODE_SHOWN], shown2[WG_PORTAL_CODE_SHOWN];
    char *text;
    json_t *body, *action = NULL;
    if (!ready) {
        if (sodium_init() < 0)
            return 0;
        wg_catalog_init(&cat);
        if (wg_catalog_load_defaults(&cat, &err))
            return 0;
        ready = 1;
    }
    body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (body) {
        if (wg_portal_parse(body, &cat, &in, &err) == WG_OK) {
            wg_portal_order_input(&in, &cat, &oin);
            assert(wg_portal_type_find(in.type->code) == in.type);
            assert(isfinite(oin.lon) && isfinite(oin.lat) && fabs(oin.lon) <= 180 &&
                   fabs(oin.lat) <= 90);
            assert(strlen(in.title) < sizeof in.title && utf8_ok(in.title));
            assert(!in.phone || !in.anonymous);
        } else {
            assert(err.rc == WG_EINVAL && err.msg[0]);
        }
        if (wg_portal_rating_parse(body, &action, &err) == WG_OK) {
            assert(json_is_string(json_object_get(action, "satisfaction")));
            assert(json_is_boolean(json_object_get(action, "resolved")));
        }
        json_decref(action);
        json_decref(body);
    }
    if (!(text = malloc(size + 1)))
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    if (wg_portal_code_hash(text, hash, shown, &err) == WG_OK) {
        assert(strlen(shown) == WG_PORTAL_CODE_SHOWN - 1);
        assert(wg_portal_code_hash(shown, hash2, shown2, &err) == WG_OK);
        assert(!strcmp(hash, hash2) && !strcmp(shown, shown2));
    } else {
        assert(err.rc == WG_ENOTFOUND);
    }
    free(text);
    return 0;
}
