/* Fuzz target: the body of a screening task's result (POST /api/v1/screenings/{id}/result).
 * What wg_screening_result_read accepts is a result the store can keep: only its own keys,
 * found in 0–1,000, a note of at most 1,000 characters, at most found case ids, each a
 * positive number and named once; what it refuses says why. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/disputes/screening.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct wg_err err = {0};
    long long found = -1;
    const char *note = NULL;
    json_t *ids = NULL, *v;
    size_t i;
    json_t *body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (!body)
        return 0;
    if (wg_screening_result_read(body, &found, &note, &ids, &err) == WG_OK) {
        assert(found >= 0 && found <= WG_SCREENING_FOUND_MAX);
        assert(!note || strlen(note) <= 4 * WG_SCREENING_NOTE_MAX);
        assert((long long)json_array_size(ids) <= found);
        json_array_foreach(ids, i, v)
        {
            assert(json_is_integer(v) && json_integer_value(v) > 0);
            for (size_t k = 0; k < i; k++)
                assert(json_integer_value(json_array_get(ids, k)) != json_integer_value(v));
        }
        char *text = json_dumps(ids, JSON_COMPACT);
        assert(text);
        free(text);
    } else {
        assert(err.msg[0]);
    }
    assert(ids);
    json_decref(ids);
    json_decref(body);
    return 0;
}
