/* What lists and an order's answer show beside its state: its supervision (督办) and, while
 * it waits for the callback, since when and until when (order_ctx.h). */
#include "domain/orders/order_ctx.h"

#include "core/civil.h"
#include "core/clock.h"
#include "domain/calendar/calendar.h"

#define LEVEL_CHARS 16

void wg_order_supervision_level(const json_t *body, char *out, size_t n)
{
    const char *v = json_string_value(json_object_get(body, "level"));
    size_t len = 0, chars = 0;
    out[0] = '\0';
    if (!v || !n)
        return;
    /* whole UTF-8 characters, at most LEVEL_CHARS of them and what out holds */
    while (v[len] && chars < LEVEL_CHARS) {
        size_t c = 1;
        while (((unsigned char)v[len + c] & 0xc0) == 0x80)
            c++;
        if (len + c >= n)
            break;
        len += c;
        chars++;
    }
    memcpy(out, v, len);
    out[len] = '\0';
}

void wg_order_marks_json(const struct wg_order_env *env, const struct wg_order_row *o, json_t *j)
{
    long long since;
    int64_t deadline = 0;
    char iso[32];
    struct wg_err err = {0};
    if (o->supervised)
        json_object_set_new(j, "supervised", json_pack("{s:s}", "level", o->supervision));
    if (!o->callback_since[0])
        return;
    since = wg_civil_time_of_iso(o->callback_since);
    if (!env->calendar ||
        wg_calendar_add_working_days(env->calendar, since, WG_ORDER_CALLBACK_DAYS, &deadline, &err))
        deadline = since + WG_ORDER_CALLBACK_DAYS * 86400LL; /* a year with no table */
    wg_clock_iso(deadline, iso);
    json_object_set_new(j, "callback",
                        json_pack("{s:s,s:s}", "since", o->callback_since, "deadline", iso));
}
