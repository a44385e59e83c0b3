/* Fuzz target: a mediation body's body (POST and PUT /api/v1/mediation-bodies), as the centre
 * sends it. What wg_body_parse accepts must be a body the store can hold: a name, a kind from
 * its list, a region of digits, at most 200 members each with a username and only known
 * types of dispute as specialities. What it refuses says why. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "domain/disputes/body.h"
#include "domain/disputes/dispute.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int listed(const char *const *list, const char *v)
{
    for (; v && *list; list++)
        if (!strcmp(v, *list))
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct wg_err err = {0};
    struct wg_body_input b;
    json_t *in = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (!in)
        return 0;
    if (wg_body_parse(in, &b, &err) == WG_OK) {
        assert(b.name && b.name[0] && listed(wg_body_kinds, b.kind));
        assert(b.region && b.region[0] && strspn(b.region, "0123456789") == strlen(b.region));
        assert(!b.members || json_array_size(b.members) <= WG_BODY_MEMBERS_MAX);
        for (size_t i = 0; b.members && i < json_array_size(b.members); i++) {
            json_t *m = json_array_get(b.members, i), *spec = json_object_get(m, "specialities");
            const char *u = json_string_value(json_object_get(m, "username"));
            assert(u && u[0]);
            for (size_t k = 0; json_is_array(spec) && k < json_array_size(spec); k++)
                assert(listed(wg_case_types, json_string_value(json_array_get(spec, k))));
        }
    } else {
        assert(err.rc == WG_EINVAL && err.msg[0]);
    }
    json_decref(in);
    return 0;
}
