/* 一长二员 stairwell teams and mobilisations (domain/partake/stairwell.h, mobilise.h) on a real
 * store on every backend: a team's rules (its building in scope, a unit with houses, each
 * member a registry person in scope and at most once, one team a stairwell, changes under the
 * version) with nothing stored on a refusal; the households of a stairwell matched by address
 * and the coverage counted from the visits — distinct households, by month, the registry's
 * visits written beside; a grid's stairwells with and without a team; a mobilisation's
 * recipients fixed at creation by kind and scope, the grid workers told, and its progress
 * with the reports once each and the overdue. */
#include "t.h"

#include "core/alloc.h"
#include "core/civil.h"
#include "domain/accounts/account.h"
#include "domain/accounts/pii_keys.h"
#include "domain/map/region.h"
#include "domain/partake/mobilise.h"
#include "domain/partake/stairwell.h"
#include "domain/partake/volunteer.h"
#include "domain/registry/person.h"
#include "store/accounts/accounts_q.h"
#include "store/map/map_q.h"
#include "store/registry/places_q.h"
#include "t_grid.h"
#include "t_store.h"

#define TOWN  "371302001"
#define GRID  "371302001001001"
#define GRID2 "371302001001002"
#define WEST  "371302002001001"

static struct wg_pii_keys *keys;
static long long now;

static void actor(struct wg_actor *a, const char *name, const char *role, const char *code)
{
    memset(a, 0, sizeof *a);
    snprintf(a->username, sizeof a->username, "%s", name);
    T_EQ_INT(wg_role_parse(role, &a->role, NULL), WG_OK);
    a->perms = wg_role_find(role)->perms;
    snprintf(a->scope.kind, sizeof a->scope.kind, "region");
    snprintf(a->scope.code, sizeof a->scope.code, "%s", code);
}

static void add_account(struct wg_db *db, const char *name, const char *role, const char *scope)
{
    struct wg_err err = {0};
    struct wg_account_row a = {0};
    snprintf(a.username, sizeof a.username, "%s", name);
    snprintf(a.role, sizeof a.role, "%s", role);
    snprintf(a.scope_kind, sizeof a.scope_kind, "region");
    snprintf(a.scope, sizeof a.scope, "%s", scope);
    snprintf(a.password_hash, sizeof a.password_hash, "x");
    T_EQ_INT(wg_store_account_insert(db, &a, &err), WG_OK);
}

static long long count(const char *table)
{
    char sql[120];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
    return t_store_one(t_store_dir, sql);
}

static long long add_person(struct wg_db *db, int seq, const char *grid)
{
    struct wg_err err = {0};
    struct wg_person p = {0};
    struct wg_scope all = {"region", ""};
    char id[19];
    snprintf(id, sizeof id, "37130219700101%03d", seq);
    t_id_check(id);
    json_t *b = json_pack("{s:s,s:s,s:s,s:s}", "id_number", id, "name", "刘淑芬", "residence",
                          "registered", "grid", grid);
    T_EQ_INT(wg_person_apply(&p, b, 0, now, &err), WG_OK);
    T_EQ_INT(wg_person_create(db, keys, &all, &p, now, &err), WG_OK);
    json_decref(b);
    long long id_ = p.id;
    wg_person_release(&p);
    return id_;
}

static void add_building(struct wg_db *db, const char *code, const char *grid)
{
    struct wg_err err = {0};
    struct wg_building_row b = {0};
    snprintf(b.code, sizeof b.code, "%s", code);
    snprintf(b.name, sizeof b.name, "沂河花园%s号楼", code);
    snprintf(b.grid, sizeof b.grid, "%s", grid);
    snprintf(b.address, sizeof b.address, "兰山区沂河花园%s号楼", code);
    b.floors = 6;
    snprintf(b.use, sizeof b.use, "residential");
    b.version = 1;
    T_EQ_INT(wg_store_building_insert(db, &b, &err), WG_OK);
}

/* A house of building's unit and, when lived in, a household whose address is the house's. */
static long long add_home(struct wg_db *db, const char *building, const char *grid,
                          const char *unit, const char *room, int lived, long long *house)
{
    struct wg_err err = {0};
    struct wg_house_row h = {0};
    struct wg_household hh = {0};
    snprintf(h.building, sizeof h.building, "%s", building);
    snprintf(h.unit, sizeof h.unit, "%s", unit);
    h.floor = room[0] - '0';
    snprintf(h.room, sizeof h.room, "%s", room);
    snprintf(h.address, sizeof h.address, "兰山区沂河花园%s号楼%s单元%s室", building, unit, room);
    snprintf(h.use, sizeof h.use, lived ? "owner_occupied" : "empty");
    h.version = 1;
    T_EQ_INT(wg_store_house_insert(db, &h, &err), WG_OK);
    *house = h.id;
    if (!lived)
        return 0;
    snprintf(hh.number, sizeof hh.number, "YH%s-%s-%s", building, unit, room);
    snprintf(hh.grid, sizeof hh.grid, "%s", grid);
    hh.address = wg_strdup(h.address);
    T_EQ_INT(wg_household_store(db, keys, NULL, &hh, NULL, now, &err), WG_OK);
    long long id = hh.id;
    wg_household_release(&hh);
    return id;
}

static enum wg_rc make_team(struct wg_db *db, const struct wg_actor *a, const char *text,
                            long long *id, struct wg_err *err)
{
    json_error_t je;
    json_t *body = json_loads(text, 0, &je);
    T_CHECK(body != NULL);
    enum wg_rc rc = wg_stair_create(db, keys, a, body, now, id, err);
    json_decref(body);
    return rc;
}

static enum wg_rc visit(struct wg_db *db, const struct wg_actor *a, long long team,
                        const char *text, int *created, struct wg_err *err)
{
    json_t *body = json_loads(text, 0, NULL), *out = NULL;
    T_CHECK(body != NULL);
    enum wg_rc rc = wg_stair_visit(db, keys, a, team, body, now, &out, created, err);
    json_decref(body);
    json_decref(out);
    return rc;
}

static long long month_field(struct wg_db *db, const struct wg_actor *a, long long team,
                             const char *month, const char *field)
{
    struct wg_err err = {0};
    json_t *out = NULL;
    T_EQ_INT(wg_stair_month(db, keys, a, team, month, now, &out, &err), WG_OK);
    long long v = out ? json_integer_value(json_object_get(out, field)) : -1;
    if (!strcmp(field, "unvisited"))
        v = (long long)json_array_size(json_object_get(out, field));
    json_decref(out);
    return v;
}

struct fixture {
    long long p[6], far, team, hh[4], house[5], hh_other;
};

static void team_rules(struct wg_db *db, struct fixture *f)
{
    struct wg_actor gw, west;
    struct wg_err err = {0};
    char text[512];
    long long id = 0;
    actor(&gw, "gw", "gridworker", GRID);
    actor(&west, "west", "gridworker", WEST);
    static const struct {
        const char *body, *word;
    } bad[] = {
        {"{\"building\":\"NOPE\",\"unit\":\"1\"}", "'building'"},
        {"{\"building\":\"A1\",\"unit\":\"7\"}", "'unit'"},
        {"{\"building\":\"A1\",\"unit\":\"1\"}", "'head'"},
        {"{\"building\":\"A1\",\"unit\":\"1\",\"head\":{\"person\":\"x\"}}", "'head.person'"},
        {"{\"building\":\"A1\",\"unit\":\"1\",\"head\":{\"person\":99999}}", "'head.person'"},
        {"{\"building\":\"A1\",\"unit\":\"1\",\"extra\":1}", "'extra'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        T_EQ_INT(make_team(db, &gw, bad[i].body, &id, &err), WG_EINVAL);
        T_CHECK(strstr(err.msg, bad[i].word) != NULL);
    }
    /* a member twice, a member outside the scope, a since in the future */
    snprintf(text, sizeof text,
             "{\"building\":\"A1\",\"unit\":\"1\",\"head\":{\"person\":%lld},"
             "\"info\":{\"person\":%lld},\"guard\":{\"person\":%lld}}",
             f->p[0], f->p[1], f->p[0]);
    T_EQ_INT(make_team(db, &gw, text, &id, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "'guard.person'") && strstr(err.msg, "head"));
    snprintf(text, sizeof text,
             "{\"building\":\"A1\",\"unit\":\"1\",\"head\":{\"person\":%lld},"
             "\"info\":{\"person\":%lld},\"guard\":{\"person\":%lld}}",
             f->p[0], f->far, f->p[2]);
    T_EQ_INT(make_team(db, &gw, text, &id, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "'info.person'") != NULL);
    snprintf(text, sizeof text,
             "{\"building\":\"A1\",\"unit\":\"1\",\"head\":{\"person\":%lld,\"since\":"
             "\"2099-01-01\"},\"info\":{\"person\":%lld},\"guard\":{\"person\":%lld}}",
             f->p[0], f->p[1], f->p[2]);
    T_EQ_INT(make_team(db, &gw, text, &id, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "'head.since'") != NULL);
    T_EQ_INT(count("stairwell_team"), 0);
    snprintf(text, sizeof text,
             "{\"building\":\"A1\",\"unit\":\"1\",\"head\":{\"person\":%lld,\"since\":"
             "\"2024-05-01\"},\"info\":{\"person\":%lld},\"guard\":{\"person\":%lld}}",
             f->p[0], f->p[1], f->p[2]);
    T_EQ_INT(make_team(db, &west, text, &id, &err), WG_EINVAL); /* A1 is not west's */
    T_EQ_INT(make_team(db, &gw, text, &f->team, &err), WG_OK);
    T_EQ_INT(make_team(db, &gw, text, &id, &err), WG_ECONFLICT);
    T_EQ_INT(count("stairwell_team"), 1);
    /* changed as a whole under the version */
    json_t *m =
        json_pack("{s:{s:I},s:{s:I},s:{s:I}}", "head", "person", (json_int_t)f->p[3], "info",
                  "person", (json_int_t)f->p[1], "guard", "person", (json_int_t)f->p[2]);
    T_EQ_INT(wg_stair_update(db, keys, &gw, f->team, 2, m, now, &err), WG_ECONFLICT);
    T_EQ_INT(wg_stair_update(db, keys, &west, f->team, 1, m, now, &err), WG_ENOTFOUND);
    T_EQ_INT(wg_stair_update(db, keys, &gw, f->team, 1, m, now, &err), WG_OK);
    T_EQ_INT(wg_stair_update(db, keys, &gw, f->team, 1, m, now, &err), WG_ECONFLICT);
    json_decref(m);
    json_t *out = NULL;
    long long version = 0;
    T_EQ_INT(wg_stair_view(db, keys, &gw, f->team, now, &out, &version, &err), WG_OK);
    T_EQ_INT(version, 2);
    T_EQ_INT(json_integer_value(json_object_get(json_object_get(out, "head"), "person")), f->p[3]);
    T_EQ_STR(json_string_value(json_object_get(json_object_get(out, "head"), "name")), "刘*");
    json_decref(out);
}

static void coverage(struct wg_db *db, struct fixture *f)
{
    struct wg_actor gw;
    struct wg_err err = {0};
    char text[512];
    int created = 0;
    actor(&gw, "gw", "gridworker", GRID);
    /* three households live in unit 1 (its fourth house is empty), one in unit 2 */
    T_EQ_INT(month_field(db, &gw, f->team, NULL, "households"), 3);
    T_EQ_INT(month_field(db, &gw, f->team, NULL, "visited"), 0);
    T_EQ_INT(month_field(db, &gw, f->team, NULL, "unvisited"), 3);
    /* the other unit's household, an empty house, a future time: refused, nothing stored */
    snprintf(text, sizeof text,
             "{\"household\":%lld,\"visited_at\":%lld,\"by\":\"head\",\"content\":\"走访\"}",
             f->hh_other, now - 60);
    T_EQ_INT(visit(db, &gw, f->team, text, &created, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "'household'") != NULL);
    snprintf(text, sizeof text,
             "{\"house\":%lld,\"visited_at\":%lld,\"by\":\"head\",\"content\":\"走访\"}",
             f->house[3], now - 60);
    T_EQ_INT(visit(db, &gw, f->team, text, &created, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "'house'") != NULL);
    snprintf(text, sizeof text,
             "{\"household\":%lld,\"visited_at\":%lld,\"by\":\"head\",\"content\":\"走访\"}",
             f->hh[0], now + 3600);
    T_EQ_INT(visit(db, &gw, f->team, text, &created, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "'visited_at'") != NULL);
    T_EQ_INT(count("stairwell_visit") + count("visit"), 0);
    /* two visits to one household count once; one by its house; one last month */
    long long last_month = wg_cst_midnight(wg_civil_days(2026, 11, 20)) + 36000;
    snprintf(text, sizeof text,
             "{\"visits\":[{\"household\":%lld,\"visited_at\":%lld,\"by\":\"head\","
             "\"content\":\"了解老人身体\"},{\"household\":%lld,\"visited_at\":%lld,\"by\":"
             "\"info\",\"content\":\"更新底数\",\"client_key\":\"unit-test-0001\"},{\"house\":"
             "%lld,\"visited_at\":%lld,\"by\":\"guard\",\"content\":\"邀请议事\"},{\"household\":"
             "%lld,\"visited_at\":%lld,\"by\":\"guard\",\"content\":\"上月走访\"}]}",
             f->hh[0], now - 7200, f->hh[0], now - 3600, f->house[1], now - 60, f->hh[2],
             last_month);
    T_EQ_INT(visit(db, &gw, f->team, text, &created, &err), WG_OK);
    T_EQ_INT(created, 4);
    T_EQ_INT(count("stairwell_visit"), 4);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM visit WHERE method = 'stair' AND "
                                      "subject_kind = 'household'"),
             4);
    T_EQ_INT(month_field(db, &gw, f->team, NULL, "visited"), 2);
    T_EQ_INT(month_field(db, &gw, f->team, NULL, "unvisited"), 1);
    T_EQ_INT(month_field(db, &gw, f->team, "2026-11", "visited"), 1);
    /* the key met again: the same visit, nothing new */
    snprintf(text, sizeof text,
             "{\"household\":%lld,\"visited_at\":%lld,\"by\":\"info\",\"content\":\"更新底数\","
             "\"client_key\":\"unit-test-0001\"}",
             f->hh[0], now - 3600);
    T_EQ_INT(visit(db, &gw, f->team, text, &created, &err), WG_OK);
    T_EQ_INT(created, 0);
    T_EQ_INT(count("stairwell_visit"), 4);
    /* the grid: two stairwells in A1, one more in A2 of the other grid */
    json_t *out = NULL;
    T_EQ_INT(wg_stair_list(db, keys, &gw, NULL, NULL, now, &out, &err), WG_OK);
    T_EQ_INT(json_integer_value(json_object_get(out, "stairwells")), 2);
    T_EQ_INT(json_integer_value(json_object_get(out, "with_team")), 1);
    json_t *t0 = json_array_get(json_object_get(out, "teams"), 0);
    T_EQ_INT(json_integer_value(json_object_get(t0, "households")), 3);
    T_EQ_INT(json_integer_value(json_object_get(t0, "visited")), 2);
    T_EQ_INT(json_array_size(json_object_get(out, "without_team")), 1);
    json_decref(out);
}

static enum wg_rc mobilise(struct wg_db *db, const struct wg_actor *a, const char *scope,
                           const char *kinds, long long *id, int *n, struct wg_err *err)
{
    char text[512];
    snprintf(text, sizeof text,
             "{\"title\":\"防汛动员\",\"content\":\"今晚暴雨，请各楼道排查地下室\",\"deadline\":"
             "\"2026-12-03\",\"scope\":\"%s\",\"kinds\":%s}",
             scope, kinds);
    json_t *body = json_loads(text, 0, NULL);
    T_CHECK(body != NULL);
    enum wg_rc rc = wg_mob_create(db, NULL, a, body, now, id, n, err);
    json_decref(body);
    return rc;
}

static enum wg_rc report(struct wg_db *db, const struct wg_actor *a, long long id, const char *kind,
                         long long team, const char *step, long long at, struct wg_err *err)
{
    json_t *b = json_pack("{s:s,s:I,s:s,s:s}", "kind", kind, "team", (json_int_t)team, "step", step,
                          "note", "已完成");
    enum wg_rc rc = wg_mob_report(db, a, id, b, at, err);
    json_decref(b);
    return rc;
}

static long long progress(struct wg_db *db, const struct wg_actor *a, long long id, long long at,
                          const char *field)
{
    struct wg_err err = {0};
    json_t *out = NULL;
    T_EQ_INT(wg_mob_view(db, a, id, at, &out, &err), WG_OK);
    long long v = json_integer_value(json_object_get(json_object_get(out, "progress"), field));
    json_decref(out);
    return v;
}

static void mobilisations(struct wg_db *db, struct fixture *f)
{
    struct wg_actor sup, gw, gw2, west;
    struct wg_err err = {0};
    long long id = 0, vt = 0, id2 = 0;
    actor(&gw2, "gw2", "gridworker", GRID2);
    int n = 0;
    actor(&sup, "sup", "supervisor", TOWN);
    actor(&gw, "gw", "gridworker", GRID);
    actor(&west, "west", "gridworker", WEST);
    json_t *t =
        json_pack("{s:s,s:s,s:s}", "name", "沂河巾帼志愿服务队", "place", GRID2, "kind", "women");
    T_EQ_INT(wg_vteam_create(db, &sup, t, now, &vt, &err), WG_OK);
    json_decref(t);
    T_EQ_INT(mobilise(db, &sup, TOWN, "[]", &id, &n, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "'kinds'") != NULL);
    T_EQ_INT(mobilise(db, &sup, "371302002", "[\"stairwell\"]", &id, &n, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "'scope'") != NULL);
    T_EQ_INT(mobilise(db, &sup, GRID2, "[\"stairwell\"]", &id, &n, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "no stairwell teams") != NULL);
    T_EQ_INT(count("mobilisation"), 0);
    long long outbox = count("outbox");
    T_EQ_INT(mobilise(db, &sup, TOWN, "[\"stairwell\",\"volunteer\"]", &id, &n, &err), WG_OK);
    T_EQ_INT(n, 2);
    T_EQ_INT(progress(db, &gw, id, now, "teams"), 2);
    /* gw's grid holds the stairwell team, the volunteer team's (GRID2) has no worker */
    T_EQ_INT(count("outbox"), outbox + 1);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM outbox WHERE recipient = 'gw' AND "
                                      "kind = 'mobilisation'"),
             1);
    T_EQ_INT(mobilise(db, &sup, TOWN, "[\"volunteer\"]", &id2, &n, &err), WG_OK);
    T_EQ_INT(n, 1);
    /* reports: the team's grid staff, once each; done acknowledges too */
    T_EQ_INT(report(db, &west, id, "stairwell", f->team, "ack", now, &err), WG_ENOTFOUND);
    T_EQ_INT(report(db, &gw2, id, "stairwell", f->team, "ack", now, &err), WG_EFORBIDDEN);
    T_EQ_INT(report(db, &gw, id, "volunteer", vt, "ack", now, &err), WG_EFORBIDDEN);
    T_EQ_INT(report(db, &gw, id, "stairwell", 999, "ack", now, &err), WG_EINVAL);
    T_EQ_INT(report(db, &gw, id, "stairwell", f->team, "ack", now, &err), WG_OK);
    T_EQ_INT(report(db, &gw, id, "stairwell", f->team, "ack", now, &err), WG_ECONFLICT);
    T_EQ_INT(report(db, &sup, id, "volunteer", vt, "done", now, &err), WG_OK);
    T_EQ_INT(progress(db, &gw, id, now, "acknowledged"), 2);
    T_EQ_INT(progress(db, &gw, id, now, "done"), 1);
    T_EQ_INT(progress(db, &gw, id, now, "outstanding"), 1);
    T_EQ_INT(progress(db, &gw, id, now, "overdue"), 0);
    long long late = wg_cst_midnight(wg_civil_days(2026, 12, 4)) + 3600;
    T_EQ_INT(progress(db, &gw, id, late, "overdue"), 1);
    T_EQ_INT(report(db, &gw, id, "stairwell", f->team, "done", late, &err), WG_OK);
    T_EQ_INT(progress(db, &gw, id, late, "overdue"), 0);
    T_EQ_INT(progress(db, &gw, id2, now, "teams"), 1);
    /* a team made later is not called by the ones before */
    long long house = 0;
    add_home(db, "A1", GRID, "2", "201", 1, &house);
    char text[512];
    long long t2 = 0;
    snprintf(text, sizeof text,
             "{\"building\":\"A1\",\"unit\":\"2\",\"head\":{\"person\":%lld},"
             "\"info\":{\"person\":%lld},\"guard\":{\"person\":%lld}}",
             f->p[0], f->p[1], f->p[2]);
    T_EQ_INT(make_team(db, &gw, text, &t2, &err), WG_OK);
    T_EQ_INT(progress(db, &gw, id, now, "teams"), 2);
    json_t *list = NULL;
    T_EQ_INT(wg_mob_list(db, &gw2, NULL, NULL, now, &list, &err), WG_OK);
    T_EQ_INT(json_array_size(json_object_get(list, "mobilisations")), 2);
    json_decref(list);
    T_EQ_INT(wg_mob_list(db, &west, NULL, NULL, now, &list, &err), WG_OK);
    T_EQ_INT(json_array_size(json_object_get(list, "mobilisations")), 0);
    json_decref(list);
    T_EQ_INT(wg_mob_view(db, &west, id, now, &list, &err), WG_ENOTFOUND);
}

int main(void)
{
    struct wg_err err = {0};
    struct wg_db *db = NULL;
    struct wg_store *st = t_store_open("stairwells");
    if ((wg_pii_keys_create(t_store_dir, &err) && err.rc != WG_ECONFLICT) ||
        wg_pii_keys_load(t_store_dir, &keys, &err)) {
        fprintf(stderr, "keys: %s\n", err.msg);
        return 1;
    }
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    now = wg_cst_midnight(wg_civil_days(2026, 12, 1)) + 10 * 3600;
    t_add_region(db, "371302", "兰山区", "county");
    t_add_region(db, TOWN, "兰山街道", "town");
    t_add_region(db, "371302001001", "沂河社区", "village");
    t_add_region(db, "371302002", "柳青街道", "town");
    t_add_grid(db, GRID);
    t_add_grid(db, GRID2);
    t_add_grid(db, WEST);
    add_account(db, "gw", "gridworker", GRID);
    add_account(db, "west", "gridworker", WEST);
    struct fixture f;
    memset(&f, 0, sizeof f);
    for (int i = 0; i < 6; i++)
        f.p[i] = add_person(db, i + 1, GRID);
    f.far = add_person(db, 9, WEST);
    add_building(db, "A1", GRID);
    add_building(db, "W1", WEST);
    static const char *const rooms[] = {"101", "102", "201", "202"};
    for (int i = 0; i < 4; i++)
        f.hh[i] = add_home(db, "A1", GRID, "1", rooms[i], i != 3, &f.house[i]);
    f.hh_other = add_home(db, "A1", GRID, "2", "101", 1, &f.house[4]);
    team_rules(db, &f);
    coverage(db, &f);
    mobilisations(db, &f);
    wg_store_put(db);
    t_store_close(st);
    wg_pii_keys_free(keys);
    return T_DONE("stairwells");
}
