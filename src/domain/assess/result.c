/* Scoring (assess.h), pure: an item's points from its figure by its formula, an item's score
 * from what was entered, the total with the bonus capped, the class and a worker's stars. */
#include "domain/assess/assess.h"

#include <math.h>

static double tenth(double v)
{
    return floor(v * 10 + 0.5) / 10;
}

double wg_assess_points(const json_t *item, const json_t *figure)
{
    const json_t *f = json_object_get(item, "formula");
    double score = json_number_value(json_object_get(item, "score"));
    const char *type = json_string_value(json_object_get(f, "type"));
    const json_t *value = json_object_get(figure, "value");
    if (!type || !figure)
        return 0;
    if (!strcmp(type, "count")) {
        double per = json_number_value(json_object_get(f, "per"));
        double v = json_number_value(value) * per;
        return tenth(v < score ? v : score);
    }
    double target = json_number_value(json_object_get(f, "target"));
    if (json_is_null(value) || !value)
        return tenth(score); /* nothing was due: nothing was missed */
    double share = target > 0 ? json_number_value(value) / target : 0;
    return tenth(score * (share < 1 ? (share > 0 ? share : 0) : 1));
}

double wg_assess_item_score(const json_t *item)
{
    static const char *const order[] = {"corrected", "reviewer", "self", "computed"};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const json_t *v = json_object_get(item, order[i]);
        if (json_is_number(v))
            return json_number_value(v);
    }
    return 0;
}

const char *wg_assess_class(const json_t *scheme, double total)
{
    const json_t *c = json_object_get(scheme, "classes");
    double a = json_number_value(json_object_get(c, "A")),
           b = json_number_value(json_object_get(c, "B"));
    if (!json_is_object(c))
        a = 90, b = 75;
    return total + 1e-9 >= a ? "A" : total + 1e-9 >= b ? "B" : "C";
}

void wg_assess_total(const json_t *items, const json_t *scheme, double *total, char cls[2],
                     json_t *groups)
{
    double main = 0, bonus = 0, cap = json_number_value(json_object_get(scheme, "bonus_cap"));
    size_t i;
    const json_t *it;
    json_array_foreach(items, i, it)
    {
        const char *g = json_string_value(json_object_get(it, "group"));
        double s = wg_assess_item_score(it);
        if (g && !strcmp(g, "bonus"))
            bonus += s;
        else
            main += s;
        if (groups && g) {
            double was = json_number_value(json_object_get(groups, g));
            json_object_set_new(groups, g, json_real(tenth(was + s)));
        }
    }
    if (bonus > cap)
        bonus = cap;
    if (groups)
        json_object_set_new(groups, "bonus", json_real(tenth(bonus)));
    *total = tenth(main + bonus);
    snprintf(cls, 2, "%s", wg_assess_class(scheme, *total));
}

int wg_assess_stars(double total)
{
    static const double steps[] = {95, 90, 80, 70, 60};
    for (int i = 0; i < 5; i++)
        if (total + 1e-9 >= steps[i])
            return 5 - i;
    return 0;
}
