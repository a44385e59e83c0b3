/* Year-on-year comparison of the indicators' answers (compare=yoy, stats_query.h): the same
 * answer for the same days a year earlier, merged beside the period's own, so a leader reads
 * "this month against this month last year" in one call. */
#include "domain/stats/stats_query.h"

#include <string.h>

#include "core/civil.h"

/* The same calendar day a year earlier; 29 February becomes the 28th. */
static int year_back(int day)
{
    int y, m, d;
    wg_civil_date(day, &y, &m, &d);
    if (m == 2 && d == 29)
        d = 28;
    return wg_civil_days(y - 1, m, d);
}

/* now against then, per indicator: a rate (it carries a numerator) by the difference of its
 * values, anything else numeric by its relative change; null where either is missing or then
 * is zero. */
static json_t *change_of(json_t *now, json_t *then)
{
    json_t *out = json_object();
    const char *name;
    json_t *ind;
    json_object_foreach(now, name, ind)
    {
        json_t *a = json_object_get(ind, "value");
        json_t *b = then ? json_object_get(json_object_get(then, name), "value") : NULL;
        if (!json_is_number(a) && !json_is_null(a))
            continue; /* the grade is a letter */
        if (!json_is_number(a) || !json_is_number(b)) {
            json_object_set_new_nocheck(out, name, json_null());
            continue;
        }
        double x = json_number_value(a), y = json_number_value(b);
        if (json_object_get(ind, "numerator"))
            json_object_set_new_nocheck(out, name, json_real(x - y));
        else
            json_object_set_new_nocheck(out, name, y != 0 ? json_real((x - y) / y) : json_null());
    }
    return out;
}

/* Sets "previous" and "change" beside the "indicators" of row, from then's row (NULL: none). */
static void beside(json_t *row, json_t *then_row)
{
    json_t *then = then_row ? json_object_get(then_row, "indicators") : NULL;
    json_object_set_new_nocheck(row, "change", change_of(json_object_get(row, "indicators"), then));
    json_object_set(row, "previous", then ? then : json_null());
}

static json_t *by_field(json_t *list, const char *field)
{
    json_t *map = json_object(), *x;
    size_t i;
    json_array_foreach(list, i, x)
    {
        const char *k = json_string_value(json_object_get(x, field));
        if (k)
            json_object_set(map, k, x);
    }
    return map;
}

static void merge_rows(json_t *now, json_t *then, const char *list, const char *field)
{
    json_t *earlier = by_field(json_object_get(then, list), field), *row;
    size_t i;
    json_array_foreach(json_object_get(now, list), i, row)
    {
        const char *k = json_string_value(json_object_get(row, field));
        beside(row, k ? json_object_get(earlier, k) : NULL);
    }
    json_decref(earlier);
}

/* A series' points: by day, each with the point of the same date a year earlier; by week or
 * month, point by point in order (the weeks and months of the two periods line up so). */
static void merge_series(json_t *now, json_t *then)
{
    const char *by = json_string_value(json_object_get(now, "by"));
    json_t *earlier = by_field(json_object_get(then, "points"), "period"), *point;
    json_t *then_points = json_object_get(then, "points");
    size_t i;
    json_array_foreach(json_object_get(now, "points"), i, point)
    {
        json_t *match = NULL;
        if (by && !strcmp(by, "day")) {
            int d = wg_civil_parse_date(json_string_value(json_object_get(point, "period")));
            char p[11];
            if (d >= 0) {
                wg_civil_format_date(year_back(d), p);
                match = json_object_get(earlier, p);
            }
        } else {
            match = json_array_get(then_points, i);
        }
        beside(point, match);
    }
    json_decref(earlier);
}

static void merge_items(json_t *now, json_t *then)
{
    json_t *earlier = by_field(json_object_get(then, "items"), "item"), *item;
    size_t i;
    json_array_foreach(json_object_get(now, "items"), i, item)
    {
        json_t *was = json_object_get(earlier, json_string_value(json_object_get(item, "item")));
        json_int_t a = json_integer_value(json_object_get(item, "received"));
        json_int_t b = was ? json_integer_value(json_object_get(was, "received")) : 0;
        json_object_set_new_nocheck(item, "previous_received", json_integer(b));
        json_object_set_new_nocheck(item, "change",
                                    b ? json_real((double)(a - b) / (double)b) : json_null());
    }
    json_object_set(now, "previous_total_received", json_object_get(then, "total_received"));
    json_decref(earlier);
}

enum wg_rc wg_stats_answer(wg_stats_answer_fn *fn, const struct wg_stats_env *env,
                           const struct wg_actor *actor, const struct wg_stats_query *q,
                           json_t **out, struct wg_err *err)
{
    if (!q->compare)
        return fn(env, actor, q, out, err);
    if (strcmp(q->compare, "yoy"))
        return wg_err_set(err, WG_EINVAL, "'compare' must be yoy, not '%.20s'", q->compare);
    if (fn != wg_stats_summary && fn != wg_stats_series && fn != wg_stats_top_items &&
        fn != wg_stats_breakdown)
        return wg_err_set(err, WG_EINVAL,
                          "'compare' is answered by summary, series, top-items and breakdown");
    int from, to;
    enum wg_rc rc = wg_stats_period(env, q, &from, &to, err);
    if (rc || (rc = fn(env, actor, q, out, err)))
        return rc;
    char a[11], b[11];
    wg_civil_format_date(year_back(from), a);
    wg_civil_format_date(year_back(to), b);
    struct wg_stats_query earlier = *q;
    earlier.from = a;
    earlier.to = b;
    if (fn == wg_stats_top_items)
        earlier.limit = "100"; /* an item of today's top may rank lower a year ago */
    json_t *then = NULL;
    if ((rc = fn(env, actor, &earlier, &then, err))) {
        json_decref(*out);
        *out = NULL;
        return rc;
    }
    if (fn == wg_stats_summary)
        beside(*out, then);
    else if (fn == wg_stats_series)
        merge_series(*out, then);
    else if (fn == wg_stats_top_items)
        merge_items(*out, then);
    else
        merge_rows(*out, then, "rows", "key");
    json_object_set_new_nocheck(*out, "compare",
                                json_pack("{s:s,s:s,s:s}", "kind", "yoy", "from", a, "to", b));
    json_decref(then);
    return WG_OK;
}
