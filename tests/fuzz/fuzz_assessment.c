/* Fuzz target: the bodies of assessment (domain/assess/assess.h) as a client sends them: a
 * grid scheme (PUT /api/v1/assessments/schemes/grid), or, for an input starting with 'i', an
 * item's entry (PUT /api/v1/assessments/{id}/items/{code}). What wg_assess_scheme_check
 * accepts is a scheme a run can use: groups adding up to 100, each group's items adding up to
 * its score, codes unique, computed items naming a metric counted for grids with its formula,
 * the bonus capped at most 20, class A above class B; and the items it builds score within
 * their standard for any figure. What wg_assess_item_read accepts has a version and sets
 * something. What either refuses says why. */
#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "domain/assess/assess.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_item(const json_t *it, double *sum)
{
    const char *code = json_string_value(json_object_get(it, "code"));
    double score = json_number_value(json_object_get(it, "score"));
    assert(code && *code && strlen(code) <= 16);
    assert(score > 0 && score <= 100);
    const char *metric = json_string_value(json_object_get(it, "metric"));
    if (metric) {
        static const char *const figs[] = {"{\"value\":null}", "{\"value\":0}", "{\"value\":0.5}",
                                           "{\"value\":1}", "{\"value\":1000}"};
        assert(wg_assess_metric_find(metric));
        for (size_t k = 0; k < sizeof figs / sizeof figs[0]; k++) {
            json_t *f = json_loads(figs[k], 0, NULL);
            double p = wg_assess_points(it, f);
            assert(p >= 0 && p <= score + 0.05);
            json_decref(f);
        }
    }
    *sum += score;
}

static void check_scheme(const json_t *body)
{
    struct wg_err err = {0};
    json_t *out = NULL, *g, *it;
    size_t i, k;
    if (wg_assess_scheme_check("grid", body, &out, &err) != WG_OK) {
        assert(err.rc == WG_EINVAL && err.msg[0] && !out);
        return;
    }
    double total = 0, bonus = 0;
    json_array_foreach(json_object_get(out, "groups"), i, g)
    {
        double sum = 0;
        json_array_foreach(json_object_get(g, "items"), k, it) check_item(it, &sum);
        assert(fabs(sum - json_number_value(json_object_get(g, "score"))) < 1e-6);
        total += sum;
    }
    assert(fabs(total - 100) < 1e-6);
    json_array_foreach(json_object_get(out, "bonus"), i, it) check_item(it, &bonus);
    double cap = json_number_value(json_object_get(out, "bonus_cap"));
    assert(cap >= 0 && cap <= 20);
    json_t *c = json_object_get(out, "classes");
    assert(json_number_value(json_object_get(c, "A")) > json_number_value(json_object_get(c, "B")));
    json_decref(out);
}

static void check_entry(const json_t *body)
{
    struct wg_err err = {0};
    long long version = 0;
    if (wg_assess_item_read(body, &version, &err) != WG_OK) {
        assert(err.rc == WG_EINVAL && err.msg[0]);
        return;
    }
    assert(version >= 1);
    assert(json_object_get(body, "self") || json_object_get(body, "reviewer") ||
           json_object_get(body, "evidence"));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int entry = size && data[0] == 'i';
    json_t *body =
        json_loadb((const char *)data + entry, size - (size_t)entry, JSON_REJECT_DUPLICATES, NULL);
    if (!body)
        return 0;
    if (entry)
        check_entry(body);
    else
        check_scheme(body);
    json_decref(body);
    return 0;
}
