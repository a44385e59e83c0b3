/* Fuzz target: a grid team's body (PUT /api/v1/grids/{code}/team), as a registry writer sends
 * it. What wg_team_apply accepts must be a team the store can hold: at most 200 members,
 * each with a known role, a name, dates that parse and follow each other, fields that fit
 * their columns, and duties and a station stored as JSON that reads back. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "core/civil.h"
#include "domain/registry/team.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct wg_err err = {0};
    struct wg_team t;
    json_t *body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (!body)
        return 0;
    memset(&t, 0, sizeof t);
    if (wg_team_apply(body, &t, &err) == WG_OK) {
        assert(t.n <= WG_TEAM_MEMBERS_MAX);
        for (size_t i = 0; i < t.n; i++) {
            const struct wg_team_member_row *m = &t.m[i];
            const char *const *r = wg_team_roles;
            while (*r && strcmp(*r, m->role))
                r++;
            assert(*r && m->name[0]);
            assert(!m->since[0] || wg_civil_parse_date(m->since) >= 0);
            assert(!m->until[0] || wg_civil_parse_date(m->until) >= 0);
            assert(!m->since[0] || !m->until[0] || strcmp(m->since, m->until) <= 0);
        }
        if (t.row.duties[0]) {
            json_t *d = json_loads(t.row.duties, 0, NULL);
            assert(d && json_is_array(json_object_get(d, "services")));
            json_decref(d);
        }
        if (t.row.station[0]) {
            json_t *st = json_loads(t.row.station, 0, NULL);
            assert(st && json_string_value(json_object_get(st, "name")));
            json_decref(st);
        }
    } else {
        assert(err.msg[0]);
    }
    wg_team_release(&t);
    json_decref(body);
    return 0;
}
