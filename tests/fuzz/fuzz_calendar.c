/* Fuzz target: the working calendar's chinese-days loader (admins load tables from outside),
 * then a deadline, its inverse and a light over whatever loaded, with the Monday–Friday
 * fallback on so every year answers. */
#include <stddef.h>
#include <stdint.h>

#include "domain/calendar/calendar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct wg_calendar *cal = wg_calendar_new();
    struct wg_err err = {0};
    int64_t start = 1758852000, deadline; /* 2025-09-26 10:00 China time */
    if (!cal)
        return 0;
    if (wg_calendar_load_json(cal, (const char *)data, size, &err) != WG_OK)
        goto out;
    wg_calendar_set_fallback(cal, true);
    for (int64_t m = 0; m < 20000; m += 2249) {
        if (wg_calendar_add_working_minutes(cal, start, m, &deadline, &err) != WG_OK)
            __builtin_trap();
        if (wg_calendar_working_minutes_between(cal, start, deadline) != m)
            __builtin_trap();
        (void)wg_calendar_light(cal, start, deadline, start + m * 30);
    }
    (void)wg_calendar_is_workday(cal, 2025, 10, 1);
out:
    wg_calendar_free(cal);
    return 0;
}
