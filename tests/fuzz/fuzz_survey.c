/* Fuzz target: the bodies of a telephone survey's questionnaire (POST /api/v1/surveys) and of
 * a call's outcome (POST /api/v1/surveys/{id}/calls/{cid}), as a client sends them; an input
 * starting with 'c' is a call's outcome, checked against the questions of the district's usual
 * questionnaire. What wg_survey_read accepts is a questionnaire the results can count: a title,
 * a kind, a scope of digits, a period of at most a year, 1 to 30 questions numbered q1… with
 * exactly one single-choice key question, every single-choice question 2 to 10 distinct
 * options scored 0 to 100. What wg_survey_call_read accepts is a known outcome, with answers
 * only when reached, each a valid option index, boolean or text. What either refuses says why. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/civil.h"
#include "domain/assess/survey.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static json_t *usual;

static void check_survey(const json_t *body)
{
    struct wg_err err = {0};
    struct wg_survey_draft d;
    size_t i, keys = 0;
    const json_t *q;
    if (wg_survey_read(body, 1, &d, &err) != WG_OK) {
        assert(err.rc == WG_EINVAL && err.msg[0] && !d.questions);
        return;
    }
    assert(d.title && d.title[0] && d.kind && d.scope);
    assert(strspn(d.scope, "0123456789") == strlen(d.scope));
    int from = wg_civil_parse_date(d.period_from), to = wg_civil_parse_date(d.period_to);
    assert(from >= 0 && to >= from && to - from <= 366);
    size_t n = json_array_size(d.questions);
    assert(n >= 1 && n <= WG_SURVEY_QUESTIONS_MAX);
    json_array_foreach(d.questions, i, q)
    {
        char id[16];
        snprintf(id, sizeof id, "q%zu", i + 1);
        assert(!strcmp(json_string_value(json_object_get(q, "id")), id));
        const char *kind = json_string_value(json_object_get(q, "kind"));
        keys += json_is_true(json_object_get(q, "key"));
        if (strcmp(kind, "single"))
            continue;
        const json_t *opts = json_object_get(q, "options"), *o;
        size_t k;
        assert(json_array_size(opts) >= 2 && json_array_size(opts) <= WG_SURVEY_OPTIONS_MAX);
        json_array_foreach(opts, k, o)
        {
            json_int_t s = json_integer_value(json_object_get(o, "score"));
            assert(s >= 0 && s <= 100 && json_is_boolean(json_object_get(o, "positive")));
        }
    }
    assert(keys == 1);
    assert(!strcmp(json_string_value(json_object_get(
                       json_array_get(d.questions, wg_survey_key(d.questions)), "kind")),
                   "single"));
    json_decref(d.questions);
}

static void check_call(const json_t *body)
{
    struct wg_err err = {0};
    const char *outcome = NULL;
    if (wg_survey_call_read(usual, body, &outcome, &err) != WG_OK) {
        assert(err.rc == WG_EINVAL && err.msg[0]);
        return;
    }
    const json_t *a = json_object_get(body, "answers");
    assert(!strcmp(outcome, "reached") ? json_is_object(a) : !a || json_is_null(a));
    if (!strcmp(outcome, "reached")) {
        const json_t *q1 = json_object_get(a, "q1");
        assert(json_is_integer(q1) && json_integer_value(q1) >= 0 && json_integer_value(q1) < 5);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!usual) {
        struct wg_err err = {0};
        struct wg_survey_draft d;
        json_t *b = json_loads(
            "{\"title\":\"安全感调查\",\"kind\":\"safety\",\"scope\":\"371302\",\"period_from\":"
            "\"2026-11-01\",\"period_to\":\"2026-12-31\",\"questions\":[{\"text\":\"安全吗\","
            "\"kind\":\"single\",\"options\":[{\"label\":\"很安全\",\"score\":100},{\"label\":"
            "\"安全\",\"score\":80},{\"label\":\"一般\",\"score\":60},{\"label\":\"不太安全\","
            "\"score\":30},{\"label\":\"不安全\",\"score\":0}]},{\"text\":\"走访过吗\",\"kind\":"
            "\"yesno\"},{\"text\":\"建议\",\"kind\":\"text\"}]}",
            0, NULL);
        assert(b && wg_survey_read(b, 1, &d, &err) == WG_OK);
        usual = d.questions;
        json_decref(b);
    }
    int call = size && data[0] == 'c';
    json_t *body =
        json_loadb((const char *)data + call, size - (size_t)call, JSON_REJECT_DUPLICATES, NULL);
    if (!body)
        return 0;
    if (call)
        check_call(body);
    else
        check_survey(body);
    json_decref(body);
    return 0;
}
