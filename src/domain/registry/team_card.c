/* The grid team answered (team.h): whole to its readers, and as the public grid card —
 * names, roles, duties and work phones of the current members, the police station and what
 * the grid publishes, nothing else of anyone. */
#include "domain/registry/team.h"

#include "store/registry/places_q.h"

static json_t *text_or_null(const char *s)
{
    return *s ? json_string(s) : json_null();
}

/* A stored JSON text, or fallback (a new reference) when there is none. */
static json_t *stored(const char *text, json_t *fallback)
{
    json_t *j = *text ? json_loads(text, 0, NULL) : NULL;
    if (!j)
        return fallback;
    json_decref(fallback);
    return j;
}

static json_t *no_duties(void)
{
    return json_pack("{s:s,s:s,s:s,s:[]}", "responsibilities", "", "commitment", "",
                     "supervision_phone", "", "services");
}

json_t *wg_team_json(const struct wg_team *t, int day)
{
    json_t *members = json_array();
    for (size_t i = 0; i < t->n; i++) {
        const struct wg_team_member_row *m = &t->m[i];
        json_array_append_new(
            members,
            json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b}", "name", m->name, "role",
                      m->role, "username", text_or_null(m->username), "person",
                      m->person ? json_integer(m->person) : json_null(), "home_unit",
                      text_or_null(m->home_unit), "building", text_or_null(m->building), "unit",
                      text_or_null(m->unit), "since", text_or_null(m->since), "until",
                      text_or_null(m->until), "work_phone", text_or_null(m->work_phone), "duty",
                      text_or_null(m->duty), "current", wg_team_current(m, day)));
    }
    return json_pack("{s:s,s:s,s:I,s:o,s:o,s:o,s:o,s:o}", "grid", t->grid, "grid_name",
                     t->grid_name, "version", (json_int_t)t->row.version, "members", members,
                     "duties", stored(t->row.duties, no_duties()), "police_station",
                     stored(t->row.station, json_null()), "updated_at",
                     t->row.version ? json_integer(t->row.updated_at) : json_null(), "updated_by",
                     text_or_null(t->row.updated_by));
}

static json_t *region_of(const struct wg_locate_result *w, const char *level)
{
    for (size_t i = 0; i < w->nchain; i++)
        if (!strcmp(w->chain[i]->level, level))
            return json_pack("{s:s,s:s}", "code", w->chain[i]->code, "name", w->chain[i]->name);
    return json_null();
}

/* One current member as the public sees them. */
static json_t *public_member(struct wg_db *db, const struct wg_team_member_row *m)
{
    json_t *o = json_pack("{s:s,s:s,s:o,s:o}", "role", m->role, "name", m->name, "duty",
                          text_or_null(m->duty), "work_phone", text_or_null(m->work_phone));
    struct wg_building_row b;
    struct wg_err e = {0};
    if (m->building[0] && (!strcmp(m->role, "building_head") || !strcmp(m->role, "unit_head"))) {
        /* the building served, by its name (a code means nothing to a resident) */
        if (!wg_store_building_get(db, m->building, &b, &e))
            json_object_set_new(o, "building", json_string(b.name));
        if (m->unit[0])
            json_object_set_new(o, "unit", json_string(m->unit));
    }
    return o;
}

enum wg_rc wg_team_card(struct wg_db *db, const struct wg_locate_result *where, int day,
                        json_t **out, struct wg_err *err)
{
    struct wg_team t;
    json_t *team, *police;
    enum wg_rc rc = wg_team_load(db, NULL, where->grid->code, &t, err);
    *out = NULL;
    if (rc == WG_ENOTFOUND) /* located, but not current in the store: an empty card */
        return wg_err_set(err, WG_ENOTFOUND, "point (%.6f, %.6f) lies in no grid", where->lon,
                          where->lat);
    if (rc)
        return rc;
    team = json_array();
    police = json_array();
    for (size_t i = 0; i < t.n; i++)
        if (wg_team_current(&t.m[i], day))
            json_array_append_new(strcmp(t.m[i].role, "police") ? team : police,
                                  public_member(db, &t.m[i]));
    *out =
        json_pack("{s:{s:s,s:s},s:o,s:o,s:o,s:o,s:o,s:o}", "grid", "code", where->grid->code,
                  "name", where->grid->name, "town", region_of(where, "town"), "village",
                  region_of(where, "village"), "team", team, "police", police, "police_station",
                  stored(t.row.station, json_null()), "duties", stored(t.row.duties, no_duties()));
    wg_team_release(&t);
    return WG_OK;
}
