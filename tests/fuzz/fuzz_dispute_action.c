/* Fuzz target: the body of a dispute case's action (POST /api/v1/disputes/{id}/actions/{name}),
 * the first byte choosing the action. What wg_case_action_body accepts is a record the
 * timeline can keep: only the action's own keys, text of its lengths, a session's time in
 * range with a place or online, an agreement's four parts; what it refuses says why. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/disputes/dispute.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int listed(const char *const *names, const char *key)
{
    for (; *names; names++)
        if (!strcmp(*names, key))
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct wg_err err = {0};
    json_t *record = NULL, *v;
    const char *key;
    if (size < 1)
        return 0;
    enum wg_case_action a = (enum wg_case_action)(data[0] % WG_CASE_ACTION_COUNT);
    json_t *body = json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES, NULL);
    if (!body)
        return 0;
    if (wg_case_action_body(a, body, &record, &err) == WG_OK) {
        const char *const *names = wg_case_action_fields(a);
        json_object_foreach(record, key, v)
        {
            assert(listed(names, key));
            assert(json_is_string(v) || json_is_boolean(v) || json_is_integer(v));
        }
        if (a == WG_CASE_SESSION)
            assert(json_object_get(record, "place") ||
                   json_is_true(json_object_get(record, "online")));
        if (a == WG_CASE_AGREE)
            assert(json_object_get(record, "terms") && json_object_get(record, "performance"));
        char *text = json_dumps(record, JSON_COMPACT);
        assert(text);
        free(text);
    } else {
        assert(err.msg[0]);
    }
    json_decref(record);
    json_decref(body);
    return 0;
}
