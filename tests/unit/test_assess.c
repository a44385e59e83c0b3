/* Assessment (domain/assess/assess.h) on a real store on every backend: the templates pass
 * their own check and sum to 100; bad schemes refused naming the field; the formulas (rate
 * with its target, count with its points each, full score with nothing due), the item score's
 * order (correction, reviewer, self, computed), the bonus cap, the class thresholds and the
 * stars; scheme versions under a race; a month's run over grids with planted counters, self
 * and reviewer entries by the right people, freezing and corrections with their history. */
#include "t.h"

#include "core/civil.h"
#include "domain/accounts/account.h"
#include "domain/assess/assess.h"
#include "domain/map/region.h"
#include "store/accounts/accounts_q.h"
#include "store/map/map_q.h"
#include "t_grid.h"
#include "t_store.h"

#define TOWN "371302001"
#define GRID "371302001001001"

static void actor(struct wg_actor *a, const char *name, const char *role, const char *code)
{
    memset(a, 0, sizeof *a);
    snprintf(a->username, sizeof a->username, "%s", name);
    T_EQ_INT(wg_role_parse(role, &a->role, NULL), WG_OK);
    a->perms = wg_role_find(role)->perms;
    snprintf(a->scope.kind, sizeof a->scope.kind, "region");
    snprintf(a->scope.code, sizeof a->scope.code, "%s", code);
}

static void templates(void)
{
    for (int k = 0; wg_assess_kinds[k]; k++) {
        struct wg_err err = {0};
        json_t *d = wg_assess_scheme_default(wg_assess_kinds[k]), *out = NULL;
        T_CHECK(d != NULL);
        T_EQ_INT(wg_assess_scheme_check(wg_assess_kinds[k], d, &out, &err), WG_OK);
        T_NEAR(json_number_value(json_object_get(out, "bonus_cap")), 10, 1e-9);
        json_decref(out);
        json_decref(d);
    }
    static const struct {
        const char *patch, *field;
    } bad[] = {
        {"{\"groups\":[]}", "'groups'"},
        {"{\"bonus_cap\":30}", "bonus_cap"},
        {"{\"classes\":{\"A\":80,\"B\":85}}", "classes.B"},
        {"{\"name\":\"\"}", "name"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct wg_err err = {0};
        json_t *d = wg_assess_scheme_default("grid"), *p = json_loads(bad[i].patch, 0, NULL),
               *out = NULL;
        json_object_update(d, p);
        T_EQ_INT(wg_assess_scheme_check("grid", d, &out, &err), WG_EINVAL);
        T_CHECK(strstr(err.msg, bad[i].field) != NULL);
        T_CHECK(out == NULL);
        json_decref(d);
        json_decref(p);
    }
    /* a unit's scheme may not count grid workers' findings */
    struct wg_err err = {0};
    json_t *d = wg_assess_scheme_default("unit"), *out = NULL;
    json_t *it = json_array_get(
        json_object_get(json_array_get(json_object_get(d, "groups"), 0), "items"), 0);
    json_object_set_new(it, "metric", json_string("findings"));
    T_EQ_INT(wg_assess_scheme_check("unit", d, &out, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "groups[0].items[0].metric") != NULL);
    json_decref(d);
}

static void scoring(void)
{
    json_t *rate =
        json_loads("{\"score\":10,\"formula\":{\"type\":\"rate\",\"target\":0.9}}", 0, NULL);
    json_t *count =
        json_loads("{\"score\":15,\"formula\":{\"type\":\"count\",\"per\":2}}", 0, NULL);
    static const struct {
        const char *fig;
        int is_rate;
        double want;
    } cases[] = {
        {"{\"value\":0.45}", 1, 5.0}, {"{\"value\":0.9}", 1, 10}, {"{\"value\":1.0}", 1, 10},
        {"{\"value\":null}", 1, 10},  {"{\"value\":0}", 1, 0},    {"{\"value\":3}", 0, 6},
        {"{\"value\":8}", 0, 15},     {"{\"value\":0}", 0, 0},    {"{\"value\":0.333}", 1, 3.7},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *f = json_loads(cases[i].fig, 0, NULL);
        T_NEAR(wg_assess_points(cases[i].is_rate ? rate : count, f), cases[i].want, 1e-9);
        json_decref(f);
    }
    json_t *item =
        json_loads("{\"computed\":4,\"self\":6,\"reviewer\":5,\"corrected\":7}", 0, NULL);
    T_NEAR(wg_assess_item_score(item), 7, 1e-9);
    json_object_del(item, "corrected");
    T_NEAR(wg_assess_item_score(item), 5, 1e-9);
    json_object_set_new(item, "reviewer", json_null());
    T_NEAR(wg_assess_item_score(item), 6, 1e-9);
    json_object_set_new(item, "self", json_null());
    T_NEAR(wg_assess_item_score(item), 4, 1e-9);
    json_t *scheme = wg_assess_scheme_default("grid");
    json_t *items = json_loads("[{\"group\":\"G1\",\"computed\":50},{\"group\":\"G2\",\"computed\":"
                               "28},{\"group\":\"bonus\",\"reviewer\":5},{\"group\":\"bonus\","
                               "\"reviewer\":5},{\"group\":\"bonus\",\"self\":5}]",
                               0, NULL);
    double total = 0;
    char cls[2];
    json_t *groups = json_object();
    wg_assess_total(items, scheme, &total, cls, groups);
    T_NEAR(total, 88, 1e-9); /* 78 + the bonus capped at 10 */
    T_EQ_STR(cls, "B");
    T_NEAR(json_number_value(json_object_get(groups, "bonus")), 10, 1e-9);
    T_EQ_STR(wg_assess_class(scheme, 90), "A");
    T_EQ_STR(wg_assess_class(scheme, 74.9), "C");
    T_EQ_INT(wg_assess_stars(95), 5);
    T_EQ_INT(wg_assess_stars(89.9), 3);
    T_EQ_INT(wg_assess_stars(10), 0);
    json_decref(groups);
    json_decref(items);
    json_decref(scheme);
    json_decref(item);
    json_decref(rate);
    json_decref(count);
}

static long long first_id(struct wg_db *db, const struct wg_actor *a, const char *period)
{
    struct wg_err err = {0};
    json_t *out = NULL;
    struct wg_assess_query q = {"grid", period, NULL, NULL};
    T_EQ_INT(
        wg_assess_list(db, a, &q, wg_cst_midnight(wg_civil_parse_date("2026-12-20")), &out, &err),
        WG_OK);
    json_t *r = json_array_get(json_object_get(out, "results"), 0);
    long long id = r ? json_integer_value(json_object_get(r, "id")) : 0;
    json_decref(out);
    return id;
}

static void run_and_freeze(struct wg_db *db)
{
    struct wg_err err = {0};
    struct wg_actor sup, gw, other;
    long long now = wg_cst_midnight(wg_civil_parse_date("2026-12-20")) + 3600;
    actor(&sup, "sup", "supervisor", TOWN);
    actor(&gw, "gw", "gridworker", GRID);
    actor(&other, "south", "supervisor", "371302002");
    json_t *body = json_pack("{s:s,s:s}", "kind", "grid", "period", "2026-12"), *out = NULL;
    T_EQ_INT(wg_assess_run(db, NULL, NULL, &sup, body, now, &out, &err), WG_OK);
    T_EQ_INT(json_integer_value(json_object_get(out, "created")), 1);
    json_decref(out);
    long long id = first_id(db, &sup, "2026-12");
    T_CHECK(id > 0);
    T_EQ_INT(wg_assess_view(db, &other, id, &out, &err), WG_ENOTFOUND);
    json_t *e = json_pack("{s:i,s:f}", "version", 1, "self", 9.0);
    T_EQ_INT(wg_assess_item_put(db, &sup, id, "G3.2", e, now, &err), WG_EFORBIDDEN);
    T_EQ_INT(wg_assess_item_put(db, &gw, id, "G3.2", e, now, &err), WG_OK);
    T_EQ_INT(wg_assess_item_put(db, &gw, id, "G3.2", e, now, &err), WG_ECONFLICT); /* stale */
    json_decref(e);
    e = json_pack("{s:i}", "version", 2);
    T_EQ_INT(wg_assess_freeze(db, &gw, id, e, now, &err), WG_EFORBIDDEN);
    T_EQ_INT(wg_assess_freeze(db, &sup, id, e, now, &err), WG_OK);
    json_decref(e);
    e = json_pack("{s:i,s:f}", "version", 3, "self", 8.0);
    T_EQ_INT(wg_assess_item_put(db, &gw, id, "G3.2", e, now, &err), WG_ECONFLICT); /* frozen */
    json_decref(e);
    e = json_pack("{s:i,s:s,s:f}", "version", 3, "code", "G3.2", "score", 10.0);
    T_EQ_INT(wg_assess_correct(db, &sup, id, e, now, &err), WG_EINVAL); /* no reason */
    json_object_set_new(e, "reason", json_string("复核后更正"));
    T_EQ_INT(wg_assess_correct(db, &sup, id, e, now, &err), WG_OK);
    json_decref(e);
    T_EQ_INT(wg_assess_view(db, &sup, id, &out, &err), WG_OK);
    T_EQ_STR(json_string_value(json_object_get(out, "state")), "frozen");
    json_t *h = json_object_get(out, "history"), *last = json_array_get(h, json_array_size(h) - 1);
    T_EQ_STR(json_string_value(json_object_get(last, "old")), "9.0");
    T_EQ_STR(json_string_value(json_object_get(last, "new")), "10.0");
    json_decref(out);
    /* a run again leaves the frozen result alone */
    T_EQ_INT(wg_assess_run(db, NULL, NULL, &sup, body, now, &out, &err), WG_OK);
    T_EQ_INT(json_integer_value(json_object_get(out, "frozen")), 1);
    json_decref(out);
    json_decref(body);
}

static void versions(struct wg_db *db)
{
    struct wg_err err = {0};
    struct wg_actor sup;
    actor(&sup, "sup", "supervisor", TOWN);
    json_t *s = wg_assess_scheme_default("worker"), *out = NULL;
    json_object_set_new(s, "version", json_integer(0));
    T_EQ_INT(wg_assess_scheme_put(db, &sup, "worker", s, 100, &err), WG_OK);
    T_EQ_INT(wg_assess_scheme_put(db, &sup, "worker", s, 101, &err), WG_ECONFLICT);
    json_object_set_new(s, "version", json_integer(1));
    T_EQ_INT(wg_assess_scheme_put(db, &sup, "worker", s, 102, &err), WG_OK);
    T_EQ_INT(wg_assess_scheme_get(db, "worker", &out, &err), WG_OK);
    T_EQ_INT(json_integer_value(json_object_get(out, "version")), 2);
    json_decref(out);
    T_EQ_INT(wg_assess_scheme_at(db, "worker", 1, &out, &err), WG_OK);
    json_decref(out);
    json_decref(s);
}

int main(void)
{
    struct wg_err err = {0};
    struct wg_db *db = NULL;
    templates();
    scoring();
    struct wg_store *st = t_store_open("assess");
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    t_add_grid(db, GRID);
    versions(db);
    run_and_freeze(db);
    wg_store_put(db);
    t_store_close(st);
    return T_DONE("assess");
}
