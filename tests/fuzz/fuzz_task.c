/* Fuzz target: the bodies of a 未诉先办 task (POST /api/v1/tasks) and of a task's action (POST
 * /api/v1/tasks/{id}/actions), as a client sends them; an input starting with 'a' is an
 * action. What wg_task_read accepts is a task the store can keep: an origin from its list (a
 * warning's id above 0 with origin warning, none otherwise), a topic, a scope of digits, 1 to
 * 10 distinct items of the catalog none under another, a lead unit not among its at most 20
 * distinct helpers, 1 to 20 measures and a deadline from today to two years on. What
 * wg_task_action_read accepts is a known action with the note it needs. What either refuses
 * says why. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/civil.h"
#include "domain/alerts/task.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOW 1796100000LL /* 2026-12-01 */

static struct wg_catalog cat;
static int ready;

static void check_task(const json_t *body)
{
    struct wg_err err = {0};
    struct wg_task_draft d;
    if (wg_task_read(body, &cat, NOW, &d, &err) != WG_OK) {
        assert(err.rc == WG_EINVAL && err.msg[0]);
        return;
    }
    const char *o = d.row.origin;
    assert(!strcmp(o, "warning") || !strcmp(o, "top_problem") || !strcmp(o, "top_item"));
    assert(!strcmp(o, "warning") ? d.row.warning > 0 : d.row.warning == 0);
    assert(d.row.topic && d.row.topic[0]);
    assert(d.row.scope[0] && strspn(d.row.scope, "0123456789") == strlen(d.row.scope));
    assert(d.nitems >= 1 && d.nitems <= WG_TASK_ITEMS_MAX);
    for (size_t i = 0; i < d.nitems; i++) {
        assert(wg_catalog_find(&cat, d.items[i]));
        for (size_t k = 0; k < d.nitems; k++)
            assert(k == i || strncmp(d.items[i], d.items[k], strlen(d.items[k])));
    }
    assert(d.row.lead_unit[0] && d.nhelpers <= WG_TASK_HELPERS_MAX);
    for (size_t i = 0; i < d.nhelpers; i++)
        assert(strcmp(d.helpers[i], d.row.lead_unit));
    assert(d.nmeasures >= 1 && d.nmeasures <= WG_TASK_MEASURES_MAX);
    int day = wg_civil_parse_date(d.row.deadline);
    assert(day >= wg_cst_day(NOW) && day <= wg_cst_day(NOW) + 731);
}

static void check_action(const json_t *body)
{
    struct wg_err err = {0};
    const char *action = NULL, *note = NULL;
    if (wg_task_action_read(body, &action, &note, &err) != WG_OK) {
        assert(err.rc == WG_EINVAL && err.msg[0]);
        return;
    }
    assert(!strcmp(action, "progress") || !strcmp(action, "complete") || !strcmp(action, "close") ||
           !strcmp(action, "cancel"));
    assert(note || (strcmp(action, "progress") && strcmp(action, "cancel")));
    assert(!note || strlen(note) <= 4 * WG_TASK_NOTE_MAX);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct wg_err err = {0};
    if (!ready) {
        wg_catalog_init(&cat);
        assert(wg_catalog_load_defaults(&cat, &err) == WG_OK);
        ready = 1;
    }
    int action = size && data[0] == 'a';
    json_t *body = json_loadb((const char *)data + action, size - (size_t)action,
                              JSON_REJECT_DUPLICATES, NULL);
    if (!body)
        return 0;
    if (action)
        check_action(body);
    else
        check_task(body);
    json_decref(body);
    return 0;
}
