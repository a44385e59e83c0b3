/* The registry's organizations and things (domain/registry/org.h, thing.h), on either store:
 * the unified social credit code's checks and the component code's layout table by table;
 * organizations sealed, unique by credit code, versioned and scoped; things coded, listed,
 * and mended when the order linked to them closes. */
#include <stdlib.h>

#include "domain/accounts/pii_keys.h"
#include "domain/map/grid.h"
#include "domain/registry/org.h"
#include "domain/registry/party.h"
#include "domain/registry/thing.h"
#include "store/catalog/catalog_q.h"
#include "store/map/map_q.h"
#include "store/registry/registry_q.h"

#include "t.h"
#include "t_store.h"

static void test_credit_codes(void)
{
    static const struct {
        const char *code, *word; /* word: NULL when valid, else what the message says */
    } cases[] = {
        {"91350100M000100Y43", NULL}, /* the example of GB 32100-2015 */
        {"91371302MA00000151", NULL},
        {"91350100M000100Y4", "18 characters"},
        {"91350100M000100Y433", "18 characters"},
        {"", "18 characters"},
        {"91350100M000100Y4I", "character 18"},  /* I is never used */
        {"91350100m000100Y43", "character 9"},   /* lower case */
        {"9135O100M000100Y43", "character 5"},   /* O for 0 */
        {"913501A0M000100Y43", "division code"}, /* a letter in the division code */
        {"91350100M000100Y53", "organization code"},
        {"91350100M000100Y44", "should be '3'"},
        {"91350100M000100Y4Z", "character 18"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct wg_err err = {0};
        enum wg_rc rc = wg_org_check_credit_code(cases[i].code, &err);
        if (!cases[i].word) {
            T_EQ_INT(rc, WG_OK);
            continue;
        }
        T_EQ_INT(rc, WG_EINVAL);
        T_CHECK(strstr(err.msg, "'credit_code'") != NULL);
        if (!strstr(err.msg, cases[i].word))
            fprintf(stderr, "%s: %s\n", cases[i].code, err.msg);
        T_CHECK(strstr(err.msg, cases[i].word) != NULL);
    }
}

static void test_thing_codes(void)
{
    static const struct {
        const char *code, *word;
    } cases[] = {
        {"37130201010001", NULL},
        {"37130206999999", NULL},
        {"3713020101000", "14 digits"},
        {"371302010100011", "14 digits"},
        {"3713020101000A", "14 digits"},
        {"37130001010001", "county"}, /* a city's code, not a county's */
        {"37000001010001", "county"},
        {"37130207010001", "major class"},
        {"37130200010001", "major class"},
        {"37130211010001", "major class"},
        {"37130201000001", "minor class"},
        {"37130201010000", "sequence"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct wg_err err = {0};
        enum wg_rc rc = wg_thing_check_code("code", cases[i].code, &err);
        if (!cases[i].word) {
            T_EQ_INT(rc, WG_OK);
            continue;
        }
        T_EQ_INT(rc, WG_EINVAL);
        if (!strstr(err.msg, cases[i].word))
            fprintf(stderr, "%s: %s\n", cases[i].code, err.msg);
        T_CHECK(strstr(err.msg, cases[i].word) != NULL && strstr(err.msg, "'code'") != NULL);
    }
}

#define SQUARE(x0, y0, x1, y1)                                                                     \
    "{\"type\":\"Polygon\",\"coordinates\":[[[" #x0 "," #y0 "],[" #x1 "," #y0 "],[" #x1 "," #y1    \
    "],[" #x0 "," #y1 "],[" #x0 "," #y0 "]]]}"
#define GRID(code, geometry)                                                                       \
    "{\"type\":\"Feature\",\"properties\":{\"code\":\"" code "\",\"name\":\"网格\",\"kind\":"    \
    "\"base\"},\"geometry\":" geometry "}"

static const char *const GRIDS = "{\"type\":\"FeatureCollection\",\"features\":[" GRID(
    "371302001001001",
    SQUARE(118.30, 35.00, 118.31, 35.01)) "," GRID("371302002001001",
                                                   SQUARE(118.40, 35.00, 118.41, 35.01)) "]}";

static void world(struct wg_db *db)
{
    static const char *const regions[][4] = {
        {"37", "山东省", "province", ""},
        {"3713", "临沂市", "city", "37"},
        {"371302", "兰山区", "county", "3713"},
        {"371302001", "测试街道", "town", "371302"},
        {"371302002", "试验街道", "town", "371302"},
        {"371302001001", "东关社区居委会", "village", "371302001"},
        {"371302002001", "南坛村民委员会", "village", "371302002"},
    };
    struct wg_err err = {0};
    struct wg_import_report rep;
    struct wg_import_opts opts = {0};
    for (size_t i = 0; i < sizeof regions / sizeof regions[0]; i++) {
        struct wg_region_row r;
        int changed = 0;
        memset(&r, 0, sizeof r);
        snprintf(r.code, sizeof r.code, "%s", regions[i][0]);
        snprintf(r.name, sizeof r.name, "%s", regions[i][1]);
        snprintf(r.level, sizeof r.level, "%s", regions[i][2]);
        snprintf(r.parent, sizeof r.parent, "%s", regions[i][3]);
        T_EQ_INT(wg_store_region_put(db, &r, &changed, &err), WG_OK);
    }
    memset(&rep, 0, sizeof rep);
    T_EQ_INT(wg_grid_import(db, GRIDS, strlen(GRIDS), &opts, &rep, &err), WG_OK);
    wg_import_report_release(&rep);
    struct wg_unit_row u = {"sz", "市政公用事业服务中心", "department"};
    T_EQ_INT(wg_store_unit_insert(db, &u, &err), WG_OK);
}

/* Applies body (JSON text) onto o and saves it in a transaction of its own. */
static enum wg_rc org_save(struct wg_db *db, const struct wg_pii_keys *keys,
                           const struct wg_scope *scope, struct wg_org *o, const char *body,
                           long long expect, struct wg_err *err)
{
    json_t *j = json_loads(body, 0, NULL);
    enum wg_rc rc;
    T_CHECK(j != NULL);
    if (!(rc = wg_org_apply(o, j, err)) && !(rc = wg_db_begin(db, err))) {
        rc = wg_org_save(db, keys, scope, o, expect, 1700000000, err);
        if (!rc)
            rc = wg_db_commit(db, err);
        if (rc)
            wg_db_rollback(db);
    }
    json_decref(j);
    return rc;
}

#define ORG(code, grid)                                                                            \
    "{\"credit_code\":\"" code "\",\"name\":\"东关商贸\",\"kind\":\"enterprise\","             \
    "\"person_name\":\"欧阳明月\",\"person_phone\":\"13698765432\",\"grid\":\"" grid "\","         \
    "\"hazards\":[\"gas_user\"]}"

static void test_orgs(struct wg_db *db, const struct wg_pii_keys *keys)
{
    struct wg_scope town, other;
    struct wg_org o, again, seen;
    struct wg_err err = {0};
    json_t *list = NULL;
    T_EQ_INT(wg_scope_parse("371302001", &town, &err), WG_OK);
    T_EQ_INT(wg_scope_parse("371302002", &other, &err), WG_OK);
    memset(&o, 0, sizeof o);
    T_EQ_INT(org_save(db, keys, &town, &o, ORG("91350100M000100Y43", "371302001001001"), 0, &err),
             WG_OK);
    T_EQ_INT(o.version, 1);
    /* the same credit code twice: refused naming it, nothing stored */
    memset(&again, 0, sizeof again);
    T_EQ_INT(
        org_save(db, keys, &town, &again, ORG("91350100M000100Y43", "371302001001001"), 0, &err),
        WG_ECONFLICT);
    T_CHECK(strstr(err.msg, "'credit_code'") != NULL);
    wg_org_release(&again);
    /* a grid outside one's scope is as unknown as a missing one */
    memset(&again, 0, sizeof again);
    T_EQ_INT(
        org_save(db, keys, &town, &again, ORG("91371302MA00000151", "371302002001001"), 0, &err),
        WG_EINVAL);
    T_CHECK(strstr(err.msg, "'grid'") != NULL);
    wg_org_release(&again);
    /* stored sealed: the row holds neither the name nor the phone */
    T_EQ_INT(wg_org_load(db, keys, &town, o.id, &seen, &err), WG_OK);
    T_EQ_STR(seen.person_name, "欧阳明月");
    T_EQ_STR(seen.person_phone, "13698765432");
    T_EQ_INT(seen.hazards, 1u << 3);
    json_t *j = wg_org_json(&seen);
    T_EQ_STR(json_string_value(json_object_get(j, "person_name")), "欧阳*");
    T_EQ_STR(json_string_value(json_object_get(j, "person_phone")), "136****5432");
    json_decref(j);
    wg_org_release(&seen);
    T_EQ_INT(wg_org_load(db, keys, &other, o.id, &seen, &err), WG_ENOTFOUND);
    /* a change on the version read, then one on a version gone */
    T_EQ_INT(org_save(db, keys, &town, &o, "{\"kind\":\"school\"}", 1, &err), WG_OK);
    T_EQ_INT(o.version, 2);
    T_EQ_INT(org_save(db, keys, &town, &o, "{\"kind\":\"hospital\"}", 1, &err), WG_EPRECOND);
    T_EQ_INT(wg_org_load(db, keys, NULL, o.id, &seen, &err), WG_OK);
    T_EQ_STR(seen.kind, "school");
    wg_org_release(&seen);
    wg_org_release(&o);
    /* a list in scope, by kind */
    struct wg_org_query q = {NULL, NULL, "school", NULL, NULL, NULL};
    T_EQ_INT(wg_org_list(db, keys, &town, &q, &list, &err), WG_OK);
    T_EQ_INT(json_array_size(json_object_get(list, "orgs")), 1);
    json_decref(list);
    q.kind = "enterprise";
    T_EQ_INT(wg_org_list(db, keys, &town, &q, &list, &err), WG_OK);
    T_EQ_INT(json_array_size(json_object_get(list, "orgs")), 0);
    json_decref(list);
}

static enum wg_rc thing_save(struct wg_db *db, const struct wg_scope *scope, struct wg_thing_row *t,
                             const char *body, long long expect, struct wg_err *err)
{
    json_t *j = json_loads(body, 0, NULL);
    char klass[5];
    enum wg_rc rc;
    T_CHECK(j != NULL);
    if (!(rc = wg_thing_apply(t, j, klass, err)) && !(rc = wg_db_begin(db, err))) {
        rc = wg_thing_save(db, scope, t, klass, expect, 1700000000, err);
        if (!rc)
            rc = wg_db_commit(db, err);
        if (rc)
            wg_db_rollback(db);
    }
    json_decref(j);
    return rc;
}

#define THING(extra)                                                                               \
    "{\"name\":\"井盖\",\"owner_unit\":\"sz\",\"maint_unit\":\"sz\",\"grid\":"                   \
    "\"371302001001001\"" extra "}"

static void test_things(struct wg_db *db)
{
    struct wg_scope town;
    struct wg_thing_row t, u, got;
    struct wg_err err = {0};
    T_EQ_INT(wg_scope_parse("371302001", &town, &err), WG_OK);
    memset(&t, 0, sizeof t);
    T_EQ_INT(thing_save(db, &town, &t, THING(",\"class\":\"0203\""), 0, &err), WG_OK);
    T_EQ_STR(t.code, "37130202030001");
    memset(&u, 0, sizeof u);
    T_EQ_INT(thing_save(db, &town, &u, THING(",\"code\":\"37130202030041\""), 0, &err), WG_OK);
    memset(&u, 0, sizeof u);
    T_EQ_INT(thing_save(db, &town, &u, THING(",\"class\":\"0203\""), 0, &err), WG_OK);
    T_EQ_STR(u.code, "37130202030042"); /* after the highest of its county and class */
    memset(&u, 0, sizeof u);
    T_EQ_INT(
        thing_save(db, &town, &u, THING(",\"class\":\"0203\",\"maint_unit\":\"none\""), 0, &err),
        WG_EINVAL);
    T_CHECK(strstr(err.msg, "'maint_unit'") != NULL);
    memset(&u, 0, sizeof u);
    T_EQ_INT(thing_save(db, &town, &u, THING(",\"code\":\"37130302030001\""), 0, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "'grid'") != NULL && strstr(err.msg, "county") != NULL);
    /* damaged, linked to an order, mended when it closes */
    T_EQ_INT(thing_save(db, &town, &t, "{\"state\":\"damaged\"}", 1, &err), WG_OK);
    T_EQ_INT(wg_store_thing_link(db, 77, t.code, "gw", 1700000000, &err), WG_OK);
    T_EQ_INT(wg_store_thing_link(db, 77, "37130202030042", "gw", 1700000000, &err), WG_ECONFLICT);
    T_CHECK(strstr(err.msg, "'order'") != NULL);
    T_EQ_INT(wg_db_begin(db, &err), WG_OK);
    T_EQ_INT(wg_thing_order_closed(db, 78, 1, NULL, "ag", "agent", 1700000100, &err),
             WG_OK); /* none */
    T_EQ_INT(wg_thing_order_closed(db, 77, 1, NULL, "ag", "agent", 1700000100, &err), WG_OK);
    T_EQ_INT(wg_db_commit(db, &err), WG_OK);
    T_EQ_INT(wg_thing_get(db, &town, t.code, &got, &err), WG_OK);
    T_EQ_STR(got.state, "intact");
    T_EQ_INT(got.version, 3);
    /* an abandoned thing stays so */
    T_EQ_INT(thing_save(db, &town, &got, "{\"state\":\"abandoned\"}", 3, &err), WG_OK);
    T_EQ_INT(wg_db_begin(db, &err), WG_OK);
    T_EQ_INT(wg_thing_order_closed(db, 77, 1, NULL, "ag", "agent", 1700000200, &err), WG_OK);
    T_EQ_INT(wg_db_commit(db, &err), WG_OK);
    T_EQ_INT(wg_thing_get(db, &town, t.code, &got, &err), WG_OK);
    T_EQ_STR(got.state, "abandoned");
    /* the closing callback names the state; a bad one, or one for no thing, is refused */
    json_t *removed = json_string("removed"), *bad = json_string("gone");
    T_EQ_INT(wg_db_begin(db, &err), WG_OK);
    T_EQ_INT(wg_thing_order_closed(db, 77, 0, removed, "ag", "agent", 1700000300, &err), WG_OK);
    T_EQ_INT(wg_thing_order_closed(db, 77, 1, removed, "ag", "agent", 1700000300, &err), WG_OK);
    T_EQ_INT(wg_db_commit(db, &err), WG_OK);
    T_EQ_INT(wg_thing_get(db, &town, t.code, &got, &err), WG_OK);
    T_EQ_STR(got.state, "removed");
    T_EQ_INT(wg_thing_order_closed(db, 77, 1, bad, "ag", "agent", 1700000300, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "'thing_state'") != NULL);
    T_EQ_INT(wg_thing_order_closed(db, 79, 0, removed, "ag", "agent", 1700000300, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "'thing_state'") != NULL && strstr(err.msg, "no thing") != NULL);
    json_decref(removed);
    json_decref(bad);
}

static enum wg_rc party_org(struct wg_db *db, const struct wg_scope *scope,
                            struct wg_party_org_row *p, const char *body, struct wg_err *err)
{
    json_t *j = json_loads(body, 0, NULL);
    enum wg_rc rc;
    memset(p, 0, sizeof *p);
    if (!(rc = wg_party_org_apply(p, j, err)) && !(rc = wg_db_begin(db, err))) {
        rc = wg_party_org_save(db, scope, p, 0, 1700000000, err);
        if (!rc)
            rc = wg_db_commit(db, err);
        if (rc)
            wg_db_rollback(db);
    }
    json_decref(j);
    return rc;
}

static long long person(struct wg_db *db, const char *blind, const char *political,
                        long long household)
{
    struct wg_person_row p = {.id_type = "resident_id",
                              .id_number = "v1:x",
                              .name = "v1:x",
                              .phone = "",
                              .special = "v1:x",
                              .birth_date = "",
                              .id_blind = blind,
                              .phone_blind = "",
                              .grid = "371302001001001",
                              .household = household};
    struct wg_err err = {0};
    long long id = 0;
    snprintf(p.political, sizeof p.political, "%s", political);
    T_EQ_INT(wg_store_person_insert(db, &p, 1700000000, 1, &id, &err), WG_OK);
    return id;
}

static void test_party(struct wg_db *db)
{
    struct wg_scope town, other;
    struct wg_party_org_row committee, branch, p;
    struct wg_party_centre_row c;
    struct wg_household_row h = {.grid = "371302001001001", .address = "v1:x"};
    struct wg_err err = {0};
    long long homes[3], ids[2];
    T_EQ_INT(wg_scope_parse("371302001", &town, &err), WG_OK);
    T_EQ_INT(wg_scope_parse("371302002", &other, &err), WG_OK);
    T_EQ_INT(party_org(db, &town, &committee,
                       "{\"name\":\"党委\",\"kind\":\"committee\",\"region\":\"371302001001\"}",
                       &err),
             WG_OK);
    char body[160];
    snprintf(body, sizeof body,
             "{\"name\":\"支部\",\"kind\":\"branch\",\"grid\":\"371302001001001\","
             "\"parent\":%lld}",
             committee.id);
    T_EQ_INT(party_org(db, &town, &branch, body, &err), WG_OK);
    T_EQ_STR(branch.area, "371302001001001");
    T_EQ_INT(party_org(db, &other, &p,
                       "{\"name\":\"支部\",\"kind\":\"branch\",\"grid\":\"371302001001001\"}",
                       &err),
             WG_EINVAL); /* a grid outside one's scope */
    T_CHECK(strstr(err.msg, "'grid'") != NULL);
    T_EQ_INT(wg_party_org_get(db, &other, branch.id, &p, &err), WG_ENOTFOUND);
    for (int i = 0; i < 3; i++) {
        snprintf(h.number, sizeof h.number, "H-%d", i);
        T_EQ_INT(wg_store_household_insert(db, &h, 1700000000, &homes[i], &err), WG_OK);
    }
    long long member = person(db, "b1", "party_member", homes[0]);
    long long masses = person(db, "b2", "masses", homes[0]);
    json_t *j = json_pack("{s:I,s:s}", "person", (json_int_t)member, "role", "secretary");
    long long who = 0;
    T_EQ_INT(wg_party_member_add(db, &town, branch.id, j, 1700000000, &who, &err), WG_OK);
    T_EQ_INT(wg_party_member_add(db, &town, branch.id, j, 1700000000, &who, &err), WG_ECONFLICT);
    json_decref(j);
    j = json_pack("{s:I}", "person", (json_int_t)masses);
    T_EQ_INT(wg_party_member_add(db, &town, branch.id, j, 1700000000, &who, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "'person'") != NULL && strstr(err.msg, "masses") != NULL);
    json_decref(j);
    /* a central household serving one; a second may not serve the same */
    j = json_pack("{s:I,s:I,s:I,s:[I]}", "household", (json_int_t)homes[0], "party_org",
                  (json_int_t)branch.id, "member", (json_int_t)member, "serves",
                  (json_int_t)homes[1]);
    T_EQ_INT(wg_party_centre_save(db, &town, 0, j, 0, 1700000000, &c, &err), WG_OK);
    json_decref(j);
    T_EQ_INT(c.version, 1);
    T_EQ_INT(wg_store_party_served_by(db, homes[1], &who, &err), WG_OK);
    T_EQ_INT(who, homes[0]);
    ids[0] = homes[2];
    ids[1] = homes[1];
    T_EQ_INT(wg_store_party_served_set(db, homes[2], ids + 1, 1, &err), WG_ECONFLICT);
    T_EQ_INT(wg_store_party_served_set(db, homes[0], ids, 2, &err), WG_OK);
    T_EQ_INT(wg_store_party_served_by(db, homes[2], &who, &err), WG_OK);
    T_EQ_INT(who, homes[0]);
    T_EQ_INT(wg_party_centre_get(db, &other, homes[0], &c, &err), WG_ENOTFOUND);
}

int main(void)
{
    struct wg_err err = {0};
    struct wg_store *st;
    struct wg_pii_keys *keys = NULL;
    struct wg_db *db = NULL;
    test_credit_codes();
    test_thing_codes();
    st = t_store_open("orgs");
    if ((wg_pii_keys_create(t_store_dir, &err) && err.rc != WG_ECONFLICT) ||
        wg_pii_keys_load(t_store_dir, &keys, &err)) {
        fprintf(stderr, "keys: %s\n", err.msg);
        return 1;
    }
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    world(db);
    test_orgs(db, keys);
    test_things(db);
    test_party(db);
    wg_pii_keys_free(keys);
    wg_store_put(db);
    t_store_close(st);
    return T_DONE("orgs");
}
