/* Volunteers (domain/partake/volunteer.h) on a real store on every backend: teams and
 * volunteers with their refusals naming the field and nothing stored, a person a volunteer
 * once, hours earning points at the team's rate with at most 24 on a day, redemptions never
 * below zero — with eight connections redeeming at once the points taken are exactly the
 * successes' and the balance never negative — the history, the rankings by hours in a period,
 * and wg_volunteer_of_person for the wish wall. */
#include "t.h"

#include <pthread.h>

#include "core/civil.h"
#include "domain/accounts/account.h"
#include "domain/accounts/pii_keys.h"
#include "domain/map/region.h"
#include "domain/partake/volunteer.h"
#include "domain/registry/person.h"
#include "store/map/map_q.h"
#include "t_grid.h"
#include "t_store.h"

#define TOWN      "371302001"
#define COMMUNITY "371302001001"
#define GRID      "371302001001001"
#define WEST      "371302002001001"

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
    snprintf(id, sizeof id, "37130219850101%03d", seq);
    t_id_check(id);
    json_t *b = json_pack("{s:s,s:s,s:s,s:s}", "id_number", id, "name", "陈志强", "residence",
                          "registered", "grid", grid);
    T_EQ_INT(wg_person_apply(&p, b, 0, now, &err), WG_OK);
    T_EQ_INT(wg_person_create(db, keys, &all, &p, now, &err), WG_OK);
    json_decref(b);
    long long pid = p.id;
    wg_person_release(&p);
    return pid;
}

static enum wg_rc with(enum wg_rc (*fn)(struct wg_db *, const struct wg_actor *, long long,
                                        const json_t *, long long, long long *, struct wg_err *),
                       struct wg_db *db, const struct wg_actor *a, long long id, const char *text,
                       struct wg_err *err)
{
    json_t *b = json_loads(text, 0, NULL);
    long long entry = 0;
    T_CHECK(b != NULL);
    enum wg_rc rc = fn(db, a, id, b, now, &entry, err);
    json_decref(b);
    return rc;
}

static json_t *view(struct wg_db *db, const struct wg_actor *a, long long id)
{
    struct wg_err err = {0};
    json_t *out = NULL;
    T_EQ_INT(wg_volunteer_view(db, keys, a, id, &out, &err), WG_OK);
    return out;
}

static double num(json_t *j, const char *field)
{
    return json_number_value(json_object_get(j, field));
}

struct racer {
    struct wg_store *st;
    const struct wg_actor *a;
    long long volunteer;
    pthread_barrier_t *go;
    int ok, refused, other;
};

static void *race(void *arg)
{
    struct racer *r = arg;
    struct wg_err err = {0};
    struct wg_db *db = NULL;
    if (wg_store_get(r->st, &db, &err))
        return NULL;
    pthread_barrier_wait(r->go);
    for (int i = 0; i < 5; i++) {
        json_t *b = json_pack("{s:i,s:s}", "points", 7, "what", "米面油");
        long long entry = 0;
        enum wg_rc rc = wg_volunteer_redeem(db, r->a, r->volunteer, b, now, &entry, &err);
        json_decref(b);
        if (rc == WG_OK)
            r->ok++;
        else if (rc == WG_ECONFLICT)
            r->refused++;
        else
            r->other++;
    }
    wg_store_put(db);
    return NULL;
}

static void concurrent(struct wg_store *st, const struct wg_actor *a, long long id)
{
    enum { N = 8 };
    pthread_t th[N];
    struct racer r[N];
    pthread_barrier_t go;
    pthread_barrier_init(&go, NULL, N);
    for (int i = 0; i < N; i++) {
        r[i] = (struct racer){st, a, id, &go, 0, 0, 0};
        pthread_create(&th[i], NULL, race, &r[i]);
    }
    int ok = 0, refused = 0, other = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        ok += r[i].ok;
        refused += r[i].refused;
        other += r[i].other;
    }
    pthread_barrier_destroy(&go);
    /* 100 points: fourteen redemptions of 7 fit (98), the rest are refused */
    T_EQ_INT(ok, 14);
    T_EQ_INT(refused, N * 5 - 14);
    T_EQ_INT(other, 0);
    T_EQ_INT(count("volunteer_redemption"), 14 + 1);
}

struct made {
    long long party, women, vz, vl;
};

static void points(struct wg_store *st, struct wg_db *db, const struct made *m);

static void volunteers(struct wg_store *st, struct wg_db *db)
{
    struct wg_actor comm, west;
    struct wg_err err = {0};
    long long party = 0, women = 0, other = 0, vz = 0, vl = 0, id = 0;
    char text[512];
    actor(&comm, "comm", "community", TOWN);
    actor(&west, "west", "gridworker", WEST);
    static const struct {
        const char *body, *word;
    } bad[] = {
        {"{\"name\":\"队\",\"place\":\"371302002\",\"kind\":\"party\"}", "'place'"},
        {"{\"name\":\"队\",\"place\":\"371302001099\",\"kind\":\"party\"}", "'place'"},
        {"{\"name\":\"队\",\"place\":\"" COMMUNITY "\",\"kind\":\"choir\"}", "'kind'"},
        {"{\"name\":\"队\",\"place\":\"" COMMUNITY "\",\"kind\":\"party\",\"rate\":21}", "'rate'"},
        {"{\"name\":\"\",\"place\":\"" COMMUNITY "\",\"kind\":\"party\"}", "'name'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *b = json_loads(bad[i].body, 0, NULL);
        T_EQ_INT(wg_vteam_create(db, &comm, b, now, &id, &err), WG_EINVAL);
        T_CHECK(strstr(err.msg, bad[i].word) != NULL);
        json_decref(b);
    }
    T_EQ_INT(count("volunteer_team"), 0);
    json_t *b = json_pack("{s:s,s:s,s:s,s:i}", "name", "沂河党员志愿服务队", "place", COMMUNITY,
                          "kind", "party", "rate", 2);
    T_EQ_INT(wg_vteam_create(db, &comm, b, now, &party, &err), WG_OK);
    T_EQ_INT(wg_vteam_create(db, &comm, b, now, &id, &err), WG_ECONFLICT);
    json_decref(b);
    b = json_pack("{s:s,s:s,s:s}", "name", "沂河巾帼志愿服务队", "place", GRID, "kind", "women");
    T_EQ_INT(wg_vteam_create(db, &comm, b, now, &women, &err), WG_OK);
    json_decref(b);
    b = json_pack("{s:s,s:s,s:s}", "name", "南坛平安巡防队", "place", WEST, "kind", "patrol");
    T_EQ_INT(wg_vteam_create(db, &west, b, now, &other, &err), WG_OK);
    json_decref(b);
    long long zhang = add_person(db, 1, GRID), li = add_person(db, 2, GRID),
              far = add_person(db, 3, WEST);
    snprintf(text, sizeof text, "{\"person\":%lld,\"team\":%lld,\"skills\":[\"理发\"]}", far,
             party);
    b = json_loads(text, 0, NULL);
    T_EQ_INT(wg_volunteer_create(db, keys, &comm, b, now, &id, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "'person'") != NULL);
    json_decref(b);
    snprintf(text, sizeof text, "{\"person\":%lld,\"team\":%lld}", zhang, other);
    b = json_loads(text, 0, NULL);
    T_EQ_INT(wg_volunteer_create(db, keys, &comm, b, now, &id, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "'team'") != NULL);
    json_decref(b);
    T_EQ_INT(count("volunteer"), 0);
    struct wg_volunteer_of of;
    int found = -1;
    T_EQ_INT(wg_volunteer_of_person(db, zhang, &of, &found, &err), WG_OK);
    T_EQ_INT(found, 0);
    snprintf(text, sizeof text, "{\"person\":%lld,\"team\":%lld,\"skills\":[\"理发\",\"量血压\"]}",
             zhang, party);
    b = json_loads(text, 0, NULL);
    T_EQ_INT(wg_volunteer_create(db, keys, &comm, b, now, &vz, &err), WG_OK);
    T_EQ_INT(wg_volunteer_create(db, keys, &comm, b, now, &id, &err), WG_ECONFLICT);
    json_decref(b);
    T_EQ_INT(wg_volunteer_of_person(db, zhang, &of, &found, &err), WG_OK);
    T_EQ_INT(found, 1);
    T_EQ_INT(of.volunteer, vz);
    T_EQ_INT(of.team, party);
    T_EQ_STR(of.team_kind, "party");
    snprintf(text, sizeof text, "{\"person\":%lld,\"team\":%lld}", li, women);
    b = json_loads(text, 0, NULL);
    T_EQ_INT(wg_volunteer_create(db, keys, &comm, b, now, &vl, &err), WG_OK);
    json_decref(b);
    struct made m = {party, women, vz, vl};
    points(st, db, &m);
}

static void points(struct wg_store *st, struct wg_db *db, const struct made *m)
{
    struct wg_actor comm, west;
    struct wg_err err = {0};
    long long women = m->women, vz = m->vz, vl = m->vl;
    actor(&comm, "comm", "community", TOWN);
    actor(&west, "west", "gridworker", WEST);
    /* hours: rate 2, 24 a day at most, tenths only */
    T_EQ_INT(with(wg_volunteer_hours, db, &comm, vz,
                  "{\"date\":\"2026-12-01\",\"hours\":1.25,\"activity\":\"理发\"}", &err),
             WG_EINVAL);
    T_EQ_INT(with(wg_volunteer_hours, db, &comm, vz,
                  "{\"date\":\"2026-12-02\",\"hours\":1,\"activity\":\"理发\"}", &err),
             WG_EINVAL);
    T_EQ_INT(with(wg_volunteer_hours, db, &comm, vz,
                  "{\"date\":\"2026-12-01\",\"hours\":20,\"activity\":\"防汛值守\"}", &err),
             WG_OK);
    T_EQ_INT(with(wg_volunteer_hours, db, &comm, vz,
                  "{\"date\":\"2026-12-01\",\"hours\":4.5,\"activity\":\"送餐\"}", &err),
             WG_EINVAL);
    T_CHECK(strstr(err.msg, "'hours'") && strstr(err.msg, "20.0"));
    T_EQ_INT(with(wg_volunteer_hours, db, &comm, vz,
                  "{\"date\":\"2026-12-01\",\"hours\":4,\"activity\":\"送餐\"}", &err),
             WG_OK);
    T_EQ_INT(with(wg_volunteer_hours, db, &comm, vz,
                  "{\"date\":\"2026-11-28\",\"hours\":26,\"activity\":\"清扫\"}", &err),
             WG_EINVAL);
    T_EQ_INT(with(wg_volunteer_hours, db, &comm, vz,
                  "{\"date\":\"2026-11-28\",\"hours\":26,\"activity\":\"清扫\"}", &err),
             WG_EINVAL);
    char body[160];
    snprintf(body, sizeof body,
             "{\"date\":\"2026-11-28\",\"hours\":2.5,\"activity\":\"巡防\",\"team\":%lld}", women);
    T_EQ_INT(with(wg_volunteer_hours, db, &comm, vz, body, &err), WG_OK);
    T_EQ_INT(with(wg_volunteer_hours, db, &comm, vl,
                  "{\"date\":\"2026-11-30\",\"hours\":6,\"activity\":\"宣讲\"}", &err),
             WG_OK);
    T_EQ_INT(with(wg_volunteer_hours, db, &west, vz,
                  "{\"date\":\"2026-11-30\",\"hours\":1,\"activity\":\"宣讲\"}", &err),
             WG_ENOTFOUND);
    json_t *v = view(db, &comm, vz);
    /* 24 hours at the party team's 2 points, 2.5 at the women's 1 */
    T_NEAR(num(v, "earned"), 50.5, 1e-9);
    T_EQ_INT(json_array_size(json_object_get(v, "history")), 3);
    json_decref(v);
    /* redemptions: never below zero */
    T_EQ_INT(with(wg_volunteer_redeem, db, &comm, vz, "{\"points\":51,\"what\":\"电饭煲\"}", &err),
             WG_ECONFLICT);
    T_EQ_INT(with(wg_volunteer_redeem, db, &comm, vz, "{\"points\":0,\"what\":\"x\"}", &err),
             WG_EINVAL);
    T_EQ_INT(with(wg_volunteer_redeem, db, &comm, vz, "{\"points\":50,\"what\":\"电饭煲\"}", &err),
             WG_OK);
    T_EQ_INT(count("volunteer_redemption"), 1);
    v = view(db, &comm, vz);
    T_NEAR(num(v, "balance"), 0.5, 1e-9);
    json_decref(v);
    /* a hundred points more, then eight connections redeem at once */
    T_EQ_INT(with(wg_volunteer_hours, db, &comm, vl,
                  "{\"date\":\"2026-11-29\",\"hours\":24,\"activity\":\"值守\"}", &err),
             WG_OK);
    T_EQ_INT(with(wg_volunteer_hours, db, &comm, vl,
                  "{\"date\":\"2026-11-27\",\"hours\":24,\"activity\":\"值守\"}", &err),
             WG_OK);
    T_EQ_INT(with(wg_volunteer_hours, db, &comm, vl,
                  "{\"date\":\"2026-11-26\",\"hours\":24,\"activity\":\"值守\"}", &err),
             WG_OK);
    T_EQ_INT(with(wg_volunteer_hours, db, &comm, vl,
                  "{\"date\":\"2026-11-25\",\"hours\":22,\"activity\":\"值守\"}", &err),
             WG_OK);
    v = view(db, &comm, vl);
    T_NEAR(num(v, "balance"), 100, 1e-9);
    json_decref(v);
    concurrent(st, &comm, vl);
    v = view(db, &comm, vl);
    T_NEAR(num(v, "redeemed"), 98, 1e-9);
    T_NEAR(num(v, "balance"), 2, 1e-9);
    json_decref(v);
    /* rankings by hours in a period */
    json_t *r = NULL;
    T_EQ_INT(wg_volunteer_rankings(db, keys, &comm, NULL, "2026-11-28", "2026-12-01", NULL, now, &r,
                                   &err),
             WG_OK);
    json_t *first = json_array_get(json_object_get(r, "volunteers"), 0);
    T_EQ_INT(json_integer_value(json_object_get(first, "volunteer")), vl); /* 6 + 24 */
    T_NEAR(num(first, "hours"), 30, 1e-9);
    T_NEAR(num(json_array_get(json_object_get(r, "volunteers"), 1), "hours"), 26.5, 1e-9);
    json_decref(r);
    T_EQ_INT(wg_volunteer_rankings(db, keys, &comm, NULL, NULL, NULL, NULL, now, &r, &err), WG_OK);
    first = json_array_get(json_object_get(r, "volunteers"), 0);
    T_EQ_INT(json_integer_value(json_object_get(first, "volunteer")), vl);
    T_NEAR(num(first, "hours"), 100, 1e-9);
    json_t *teams = json_object_get(r, "teams");
    T_EQ_INT(json_array_size(teams), 2);
    T_EQ_INT(json_integer_value(json_object_get(json_array_get(teams, 0), "team")), women);
    T_NEAR(num(json_array_get(teams, 0), "hours"), 102.5, 1e-9);
    json_decref(r);
    T_EQ_INT(wg_volunteer_rankings(db, keys, &comm, NULL, "2026-12-02", "2026-12-01", NULL, now, &r,
                                   &err),
             WG_EINVAL);
    T_EQ_INT(wg_volunteer_rankings(db, keys, &west, COMMUNITY, NULL, NULL, NULL, now, &r, &err),
             WG_ENOTFOUND);
}

int main(void)
{
    struct wg_err err = {0};
    struct wg_db *db = NULL;
    struct wg_store *st = t_store_open("volunteers");
    if ((wg_pii_keys_create(t_store_dir, &err) && err.rc != WG_ECONFLICT) ||
        wg_pii_keys_load(t_store_dir, &keys, &err)) {
        fprintf(stderr, "keys: %s\n", err.msg);
        return 1;
    }
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    now = wg_cst_midnight(wg_civil_days(2026, 12, 1)) + 20 * 3600;
    t_add_region(db, "371302", "兰山区", "county");
    t_add_region(db, TOWN, "兰山街道", "town");
    t_add_region(db, COMMUNITY, "沂河社区", "village");
    t_add_region(db, "371302002", "柳青街道", "town");
    t_add_grid(db, GRID);
    t_add_grid(db, WEST);
    volunteers(st, db);
    wg_store_put(db);
    t_store_close(st);
    wg_pii_keys_free(keys);
    return T_DONE("volunteers");
}
