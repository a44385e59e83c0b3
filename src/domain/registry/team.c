/* The grid team (team.h): a body read and checked member by member, each error naming the
 * member's index and field, the accounts, persons and buildings it names checked, and the
 * team stored whole under its version. */
#include "domain/registry/team.h"

#include "core/alloc.h"
#include "core/civil.h"
#include "core/jfield.h"
#include "core/utf8.h"
#include "domain/accounts/pii.h"
#include "domain/registry/person.h"
#include "store/accounts/accounts_q.h"
#include "store/map/map_q.h"
#include "store/registry/places_q.h"
#include "store/registry/registry_q.h"

const char *const wg_team_roles[] = {
    "head",          /* 网格长 */
    "full_time",     /* 专职网格员 */
    "part_time",     /* 兼职网格员 */
    "micro",         /* 微网格员: a cadre sent down, with their home unit */
    "building_head", /* 楼栋长 */
    "unit_head",     /* 单元长 */
    "street_head",   /* 街长/路长 */
    "police",        /* 社区民警 */
    "party_guide",   /* 党建指导员 */
    "lawyer",        /* 法律顾问 */
    "mediator",      /* 调解员 */
    "volunteer",     /* 志愿者 */
    NULL,
};

const char *const wg_team_fields[] = {"members", "duties", "police_station", NULL};

static const char *const member_fields[] = {
    "name", "role",  "username", "person",     "home_unit", "building",
    "unit", "since", "until",    "work_phone", "duty",      NULL,
};
/* what the router cannot check below the top: the duties' and station's own keys */
static const char *const nested_fields[] = {
    "members",
    "duties",
    "duties.responsibilities",
    "duties.commitment",
    "duties.supervision_phone",
    "duties.services",
    "police_station",
    "police_station.name",
    "police_station.phone",
    "police_station.address",
    NULL,
};

#define NAME_CHARS    20
#define HOME_CHARS    40
#define UNIT_CHARS    8
#define DUTY_CHARS    60
#define RESP_CHARS    500
#define PROMISE_CHARS 200
#define SERVICES_MAX  20
#define STATION_CHARS 40
#define ADDRESS_CHARS 80

void wg_team_release(struct wg_team *t)
{
    free(t->m);
    t->m = NULL;
    t->n = 0;
}

/* A text field key of o, named label in errors, of at most max characters (lines: newlines
 * allowed) into out; absent or null is "" (an error when required). */
static enum wg_rc text(const json_t *o, const char *key, const char *label, size_t max,
                       int required, int lines, char *out, size_t n, struct wg_err *err)
{
    json_t *v = json_object_get(o, key);
    const char *s = json_string_value(v);
    *out = '\0';
    if (!v || json_is_null(v)) {
        if (required)
            return wg_err_set(err, WG_EINVAL, "'%s' is required", label);
        return WG_OK;
    }
    if (!s)
        return wg_err_set(err, WG_EINVAL, "'%s' must be a string", label);
    if (json_string_length(v) != strlen(s) || !wg_utf8_valid(s))
        return wg_err_set(err, WG_EINVAL, "'%s' must be text without NUL characters", label);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && !(lines && (*p == '\n' || *p == '\r' || *p == '\t'))) || *p == 0x7f)
            return wg_err_set(err, WG_EINVAL, "'%s' must not hold control characters", label);
    if (wg_utf8_chars(s) > max || strlen(s) >= n)
        return wg_err_set(err, WG_EINVAL, "'%s' is %zu characters; at most %zu", label,
                          wg_utf8_chars(s), max);
    if (required && strspn(s, " \t\r\n") == strlen(s))
        return wg_err_set(err, WG_EINVAL, "'%s' is empty", label);
    snprintf(out, n, "%s", s);
    return WG_OK;
}

/* A phone checked as every phone is (domain/accounts/pii.h); where service is set, a public
 * service number of 3 to 6 digits is taken too (110, 12345, 95598). */
static enum wg_rc phone(const json_t *o, const char *key, const char *label, int required,
                        int service, char *out, size_t n, struct wg_err *err)
{
    enum wg_rc rc = text(o, key, label, 40, required, 0, out, n, err);
    size_t len = strlen(out);
    if (!rc && *out && !(service && len >= 3 && len <= 6 && strspn(out, "0123456789") == len) &&
        (rc = wg_pii_check_phone(out, err)))
        wg_err_prefix(err, "'%s'%s", label,
                      service ? " (or a service number of 3 to 6 digits)" : "");
    return rc;
}

static enum wg_rc date(const json_t *o, const char *key, const char *label, char out[11], int *day,
                       struct wg_err *err)
{
    json_t *v = json_object_get(o, key);
    const char *s = json_string_value(v);
    *out = '\0';
    *day = -1;
    if (!v || json_is_null(v))
        return WG_OK;
    if (!s || strlen(s) != 10 || (*day = wg_civil_parse_date(s)) < 0)
        return wg_err_set(err, WG_EINVAL, "'%s' must be a date YYYY-MM-DD from %d to %d", label,
                          WG_YEAR_MIN, WG_YEAR_MAX);
    memcpy(out, s, 11);
    return WG_OK;
}

static enum wg_rc known(const json_t *o, const char *const *fields, const char *label,
                        const char *what, struct wg_err *err)
{
    const char *key;
    json_t *v;
    if (!json_is_object(o))
        return wg_err_set(err, WG_EINVAL, "'%s' must be an object", label);
    json_object_foreach((json_t *)o, key, v)
    {
        const char *const *f = fields;
        while (*f && strcmp(*f, key))
            f++;
        if (!*f)
            return wg_err_set(err, WG_EINVAL, "'%s.%.40s' is not a field of %s", label, key, what);
    }
    return WG_OK;
}

static int is_role(const char *role, const char *a, const char *b)
{
    return !strcmp(role, a) || (b && !strcmp(role, b));
}

/* Member i of the body into *m. */
static enum wg_rc member(const json_t *o, size_t i, struct wg_team_member_row *m,
                         struct wg_err *err)
{
    char l[13][40];
    const char *const *f;
    json_t *person = json_object_get(o, "person");
    int since = -1, until = -1, k = 0;
    enum wg_rc rc;
    for (f = member_fields; *f; f++)
        snprintf(l[k++], sizeof l[0], "members[%zu].%s", i, *f);
    snprintf(l[k], sizeof l[0], "members[%zu]", i);
    memset(m, 0, sizeof *m);
    m->pos = (int)i + 1;
    if ((rc = known(o, member_fields, l[k], "a team member", err)) ||
        (rc = text(o, "name", l[0], NAME_CHARS, 1, 0, m->name, sizeof m->name, err)) ||
        (rc = text(o, "role", l[1], 16, 1, 0, m->role, sizeof m->role, err)))
        return rc;
    for (f = wg_team_roles; *f && strcmp(*f, m->role); f++)
        ;
    if (!*f)
        return wg_err_set(err, WG_EINVAL,
                          "'%s' must be one of head, full_time, part_time, micro, building_head, "
                          "unit_head, street_head, police, party_guide, lawyer, mediator, "
                          "volunteer",
                          l[1]);
    if ((rc = text(o, "username", l[2], 63, 0, 0, m->username, sizeof m->username, err)) ||
        (rc = text(o, "home_unit", l[4], HOME_CHARS, 0, 0, m->home_unit, sizeof m->home_unit,
                   err)) ||
        (rc = text(o, "building", l[5], WG_BUILDING_CODE_MAX, 0, 0, m->building, sizeof m->building,
                   err)) ||
        (rc = text(o, "unit", l[6], UNIT_CHARS, 0, 0, m->unit, sizeof m->unit, err)) ||
        (rc = date(o, "since", l[7], m->since, &since, err)) ||
        (rc = date(o, "until", l[8], m->until, &until, err)) ||
        (rc = phone(o, "work_phone", l[9], 0, 0, m->work_phone, sizeof m->work_phone, err)) ||
        (rc = text(o, "duty", l[10], DUTY_CHARS, 0, 0, m->duty, sizeof m->duty, err)))
        return rc;
    if (person && !json_is_null(person)) {
        if (!json_is_integer(person) || json_integer_value(person) < 1)
            return wg_err_set(err, WG_EINVAL, "'%s' must be a registry person's id or null", l[3]);
        m->person = json_integer_value(person);
    }
    if (since >= 0 && until >= 0 && until < since)
        return wg_err_set(err, WG_EINVAL, "'%s' %s is before since %s", l[8], m->until, m->since);
    if (!strcmp(m->role, "micro") && !m->home_unit[0])
        return wg_err_set(err, WG_EINVAL,
                          "'%s' is required of a micro-grid member (the unit the cadre is sent "
                          "down from)",
                          l[4]);
    if (is_role(m->role, "building_head", "unit_head") && !m->building[0])
        return wg_err_set(err, WG_EINVAL, "'%s' is required of a %s (the building's code)", l[5],
                          !strcmp(m->role, "unit_head") ? "unit head" : "building head");
    if (!strcmp(m->role, "unit_head") && !m->unit[0])
        return wg_err_set(err, WG_EINVAL, "'%s' is required of a unit head", l[6]);
    return WG_OK;
}

/* The duties body (or null) as the stored JSON text. */
static enum wg_rc duties(const json_t *d, char *out, size_t n, struct wg_err *err)
{
    char resp[RESP_CHARS * 4 + 1], promise[PROMISE_CHARS * 4 + 1], sup[44];
    json_t *services = json_object_get(d, "services"), *s, *j, *list;
    size_t i;
    enum wg_rc rc;
    char *dump;
    if (json_is_null(d))
        d = NULL;
    if (d && !json_is_object(d))
        return wg_err_set(err, WG_EINVAL, "'duties' must be an object or null");
    if ((rc = text(d, "responsibilities", "duties.responsibilities", RESP_CHARS, 0, 1, resp,
                   sizeof resp, err)) ||
        (rc = text(d, "commitment", "duties.commitment", PROMISE_CHARS, 0, 1, promise,
                   sizeof promise, err)) ||
        (rc =
             phone(d, "supervision_phone", "duties.supervision_phone", 0, 1, sup, sizeof sup, err)))
        return rc;
    if (services && !json_is_null(services) &&
        (!json_is_array(services) || json_array_size(services) > SERVICES_MAX))
        return wg_err_set(err, WG_EINVAL,
                          "'duties.services' must be a list of at most %d {name, phone}",
                          SERVICES_MAX);
    list = json_array();
    json_array_foreach(services, i, s)
    {
        static const char *const sfields[] = {"name", "phone", NULL};
        char label[3][48], name[NAME_CHARS * 4 + 1], tel[44];
        snprintf(label[0], sizeof label[0], "duties.services[%zu]", i);
        snprintf(label[1], sizeof label[1], "duties.services[%zu].name", i);
        snprintf(label[2], sizeof label[2], "duties.services[%zu].phone", i);
        if ((rc = known(s, sfields, label[0], "a service", err)) ||
            (rc = text(s, "name", label[1], NAME_CHARS, 1, 0, name, sizeof name, err)) ||
            (rc = phone(s, "phone", label[2], 1, 1, tel, sizeof tel, err))) {
            json_decref(list);
            return rc;
        }
        json_array_append_new(list, json_pack("{s:s,s:s}", "name", name, "phone", tel));
    }
    j = json_pack("{s:s,s:s,s:s,s:o}", "responsibilities", resp, "commitment", promise,
                  "supervision_phone", sup, "services", list);
    dump = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!dump || strlen(dump) >= n) {
        free(dump);
        return wg_err_set(err, WG_ETOOBIG, "'duties' is too long");
    }
    snprintf(out, n, "%s", dump);
    free(dump);
    return WG_OK;
}

static enum wg_rc station(const json_t *s, char *out, size_t n, struct wg_err *err)
{
    char name[STATION_CHARS * 4 + 1], tel[44], addr[ADDRESS_CHARS * 4 + 1];
    enum wg_rc rc;
    json_t *j;
    char *dump;
    *out = '\0';
    if (json_is_null(s))
        return WG_OK;
    if (!json_is_object(s))
        return wg_err_set(err, WG_EINVAL, "'police_station' must be an object or null");
    if ((rc =
             text(s, "name", "police_station.name", STATION_CHARS, 1, 0, name, sizeof name, err)) ||
        (rc = phone(s, "phone", "police_station.phone", 0, 1, tel, sizeof tel, err)) ||
        (rc = text(s, "address", "police_station.address", ADDRESS_CHARS, 0, 0, addr, sizeof addr,
                   err)))
        return rc;
    j = json_pack("{s:s,s:s,s:s}", "name", name, "phone", tel, "address", addr);
    dump = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!dump || strlen(dump) >= n) {
        free(dump);
        return wg_err_set(err, WG_ETOOBIG, "'police_station' is too long");
    }
    snprintf(out, n, "%s", dump);
    free(dump);
    return WG_OK;
}

enum wg_rc wg_team_apply(const json_t *body, struct wg_team *t, struct wg_err *err)
{
    json_t *members = json_object_get(body, "members"), *d, *s, *e;
    struct wg_team_member_row *m;
    size_t i;
    enum wg_rc rc;
    if ((rc = wg_jf_known(body, nested_fields, "a grid team", err)))
        return rc;
    if (!json_is_array(members))
        return wg_err_set(err, WG_EINVAL,
                          "'members' is required: the whole team, a list of at most %d members",
                          WG_TEAM_MEMBERS_MAX);
    if (json_array_size(members) > WG_TEAM_MEMBERS_MAX)
        return wg_err_set(err, WG_EINVAL, "'members' holds %zu members; at most %d",
                          json_array_size(members), WG_TEAM_MEMBERS_MAX);
    m = wg_calloc(json_array_size(members) + 1, sizeof *m);
    json_array_foreach(members, i, e)
    {
        if ((rc = member(e, i, &m[i], err))) {
            free(m);
            return rc;
        }
    }
    if ((d = json_object_get(body, "duties")) &&
        (rc = duties(d, t->row.duties, sizeof t->row.duties, err))) {
        free(m);
        return rc;
    }
    if ((s = json_object_get(body, "police_station")) &&
        (rc = station(s, t->row.station, sizeof t->row.station, err))) {
        free(m);
        return rc;
    }
    free(t->m);
    t->m = m;
    t->n = json_array_size(members);
    return WG_OK;
}

static int add_member(const struct wg_team_member_row *r, void *ctx)
{
    struct wg_team *t = ctx;
    if (t->n < WG_TEAM_MEMBERS_MAX)
        t->m[t->n++] = *r;
    return 0;
}

enum wg_rc wg_team_load(struct wg_db *db, const struct wg_scope *scope, const char *grid,
                        struct wg_team *out, struct wg_err *err)
{
    struct wg_grid_row g;
    enum wg_rc rc;
    memset(out, 0, sizeof *out);
    if (strlen(grid) >= sizeof out->grid || !wg_registry_covers(scope, grid))
        return wg_err_set(err, WG_ENOTFOUND, "grid '%.20s' does not exist", grid);
    if ((rc = wg_store_grid_current(db, grid, &g, NULL, err)))
        return rc;
    snprintf(out->grid, sizeof out->grid, "%s", g.code);
    snprintf(out->grid_name, sizeof out->grid_name, "%s", g.name);
    out->m = wg_calloc(WG_TEAM_MEMBERS_MAX + 1, sizeof *out->m);
    if ((rc = wg_store_team_get(db, grid, &out->row, err)) ||
        (rc = wg_store_team_members(db, grid, add_member, out, err)))
        wg_team_release(out);
    return rc;
}

static int person_seen(const struct wg_person_row *r, void *ctx)
{
    snprintf(ctx, 32, "%s", r->grid);
    return 1;
}

/* The accounts, persons and buildings the members name: each must exist (and a person and a
 * building lie in scope, a building in this grid). */
static enum wg_rc check_refs(struct wg_db *db, const struct wg_scope *scope,
                             const struct wg_team *t, struct wg_err *err)
{
    for (size_t i = 0; i < t->n; i++) {
        const struct wg_team_member_row *m = &t->m[i];
        struct wg_account_row a;
        struct wg_building_row b;
        char pgrid[32] = "";
        enum wg_rc rc;
        if (m->username[0]) {
            rc = wg_store_account_get(db, m->username, &a, err);
            if (rc == WG_ENOTFOUND)
                return wg_err_set(err, WG_EINVAL,
                                  "'members[%zu].username': there is no account "
                                  "'%s'",
                                  i, m->username);
            if (rc)
                return rc;
        }
        if (m->person) {
            rc = wg_store_person_get(db, m->person, person_seen, pgrid, err);
            if (rc == WG_ENOTFOUND || (!rc && !wg_registry_covers(scope, pgrid)))
                return wg_err_set(err, WG_EINVAL,
                                  "'members[%zu].person': person %lld does not exist", i,
                                  m->person);
            if (rc)
                return rc;
        }
        if (m->building[0]) {
            rc = wg_store_building_get(db, m->building, &b, err);
            if (rc == WG_ENOTFOUND || (!rc && strcmp(b.grid, t->grid)))
                return wg_err_set(err, WG_EINVAL,
                                  "'members[%zu].building': grid '%s' has no building '%s'", i,
                                  t->grid, m->building);
            if (rc)
                return rc;
        }
    }
    return WG_OK;
}

enum wg_rc wg_team_put(struct wg_db *db, const struct wg_scope *scope, const char *grid,
                       long long expect, const json_t *body, long long now, const char *by,
                       struct wg_team *out, struct wg_err *err)
{
    enum wg_rc rc = wg_team_load(db, scope, grid, out, err);
    if (rc)
        return rc;
    if (out->row.version != expect) {
        rc = wg_err_set(err, WG_EPRECOND,
                        "the team of grid '%s' is at version %lld, not %lld: someone changed it "
                        "since you read it; read it again",
                        grid, out->row.version, expect);
        goto out;
    }
    if ((rc = wg_team_apply(body, out, err)) || (rc = check_refs(db, scope, out, err)))
        goto out;
    if (!out->row.duties[0])
        snprintf(out->row.duties, sizeof out->row.duties, "%s",
                 "{\"responsibilities\":\"\",\"commitment\":\"\",\"supervision_phone\":\"\","
                 "\"services\":[]}");
    out->row.updated_at = now;
    snprintf(out->row.updated_by, sizeof out->row.updated_by, "%s", by ? by : "");
    if ((rc = wg_db_begin(db, err)))
        goto out;
    rc = wg_store_team_replace(db, out->grid, expect, &out->row, out->m, out->n, err);
    if (!rc)
        rc = wg_db_commit(db, err);
    if (rc)
        wg_db_rollback(db);
out:
    if (rc)
        wg_team_release(out);
    return rc;
}

int wg_team_current(const struct wg_team_member_row *m, int day)
{
    int since = m->since[0] ? wg_civil_parse_date(m->since) : -1;
    int until = m->until[0] ? wg_civil_parse_date(m->until) : -1;
    return (since < 0 || since <= day) && (until < 0 || day <= until);
}
