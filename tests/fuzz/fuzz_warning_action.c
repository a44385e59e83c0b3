/* Fuzz target: a step of a warning's loop (POST /api/v1/warnings/{id}/actions), as a client
 * sends it. What wg_warning_action_read accepts must be a step the loop can take: an action
 * of the four, a version from 1, the owner and note a judgement needs, the order a handling
 * needs, a note within its size. What it refuses says why. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/utf8.h"
#include "domain/alerts/warning.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct wg_err err = {0};
    const char *action, *owner, *note, *order;
    long long version;
    json_t *in = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (!in)
        return 0;
    if (wg_warning_action_read(in, &action, &version, &owner, &note, &order, &err) == WG_OK) {
        assert(action && version >= 1);
        assert(!strcmp(action, "judge") || !strcmp(action, "handle") || !strcmp(action, "close") ||
               !strcmp(action, "false_alarm"));
        if (!strcmp(action, "judge"))
            assert(owner && *owner && note && *note);
        if (!strcmp(action, "false_alarm"))
            assert(note && *note);
        if (!strcmp(action, "handle"))
            assert(order && *order);
        else
            assert(!order);
        assert(!note || (wg_utf8_valid(note) && wg_utf8_chars(note) <= WG_WARN_NOTE_MAX));
        assert(!owner || strlen(owner) < 64);
    } else {
        assert(err.rc == WG_EINVAL && err.msg[0]);
    }
    json_decref(in);
    return 0;
}
