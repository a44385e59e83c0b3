/* Fuzz target: the bodies of 一事一议 as clients send them — a new deliberation (POST
 * /api/v1/deliberations), a step ('s' first: POST …/{id}/steps) and a list entry's is the
 * store's side. What wg_delib_read accepts is a topic, a place of digits and 1 to 20 distinct
 * origins of the four kinds with ids above 0; what wg_delib_step_read accepts is a known step
 * holding only its own fields, each in bounds (dates as dates, votes within the attendees, one
 * lead of a task, a notice's until from its from). What either refuses says why. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "domain/partake/deliberation.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOW 1796100000LL /* 2026-12-01 */

static void check_new(const json_t *body)
{
    struct wg_err err = {0};
    const char *topic = NULL, *place = NULL;
    if (wg_delib_read(body, &topic, &place, &err) != WG_OK) {
        assert(err.rc == WG_EINVAL && err.msg[0]);
        return;
    }
    assert(topic && topic[0] && strspn(place, "0123456789") == strlen(place));
    const json_t *origin = json_object_get(body, "origin"), *o;
    size_t i;
    assert(json_array_size(origin) >= 1 && json_array_size(origin) <= WG_DELIB_ORIGINS_MAX);
    json_array_foreach(origin, i, o) assert(json_integer_value(json_object_get(o, "id")) > 0);
}

static void check_step(const json_t *body)
{
    struct wg_err err = {0};
    const char *step = NULL;
    if (wg_delib_step_read(body, NOW, &step, &err) != WG_OK) {
        assert(err.rc == WG_EINVAL && err.msg[0]);
        return;
    }
    assert(step && step[0]);
    if (!strcmp(step, "council")) {
        long long n = json_integer_value(json_object_get(body, "attendees"));
        long long v = json_integer_value(json_object_get(body, "for")) +
                      json_integer_value(json_object_get(body, "against")) +
                      json_integer_value(json_object_get(body, "abstain"));
        assert(n >= 1 && v <= n);
    }
    if (!strcmp(step, "notice"))
        assert(strcmp(json_string_value(json_object_get(body, "until")),
                      json_string_value(json_object_get(body, "from"))) >= 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int step = size && data[0] == 's';
    json_t *body =
        json_loadb((const char *)data + step, size - (size_t)step, JSON_REJECT_DUPLICATES, NULL);
    if (!body)
        return 0;
    if (step)
        check_step(body);
    else
        check_new(body);
    json_decref(body);
    return 0;
}
