/* The registry's people (domain/registry/person.h) on a real store, on every backend: resident
 * ID numbers checked by GB 11643 with a birth date not in the future; a person sealed at rest
 * and opened to what was recorded; one person per ID document; lists in scope from a cursor;
 * key rotation re-sealing persons and households. The ID numbers are made up here, each with
 * its correct check character. */
#include "t.h"

#include <stdlib.h>

#include "domain/accounts/pii_keys.h"
#include "domain/accounts/pii_rotate.h"
#include "domain/registry/person.h"
#include "store/accounts/accounts_q.h"
#include "store/map/map_q.h"
#include "store/registry/registry_q.h"
#include "t_grid.h"
#include "t_store.h"

#define NOW 1796000000LL /* 2026-11-30 in China */

/* A made-up resident ID: region, birth date and sequence, and the ISO 7064 MOD 11-2 check. */
static void make_id(const char *region, const char *birth, int seq, char out[19])
{
    snprintf(out, 19, "%s%s%03d", region, birth, seq);
    t_id_check(out);
}

static void test_gb11643(void)
{
    struct wg_err err = {0};
    char id[19], bad[19];
    static const struct {
        const char *birth;
        int seq;
    } good[] = {{"19491231", 2}, {"19800101", 1}, {"20000229", 17}, {"20261128", 999}};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        make_id("371302", good[i].birth, good[i].seq, id);
        T_EQ_INT(wg_person_check_resident_id(id, NOW, &err), WG_OK);
    }
    make_id("110105", "19491231", 2, id); /* a check character X, in either case */
    T_EQ_STR(id, "11010519491231002X");
    T_EQ_INT(wg_person_check_resident_id(id, NOW, &err), WG_OK);
    T_EQ_INT(wg_person_check_resident_id("11010519491231002x", NOW, &err), WG_OK);
    /* a digit mistyped: the check character no longer matches */
    make_id("371302", "19800101", 1, id);
    memcpy(bad, id, sizeof bad);
    bad[10] = bad[10] == '0' ? '1' : '0';
    T_EQ_INT(wg_person_check_resident_id(bad, NOW, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "id_number") && strstr(err.msg, "check character"));
    bad[10] = id[10];
    bad[17] = id[17] == '0' ? '1' : '0';
    T_EQ_INT(wg_person_check_resident_id(bad, NOW, &err), WG_EINVAL);
    /* not a real date, a date in the future, a wrong length, a letter, no province */
    make_id("371302", "19800230", 1, id);
    T_EQ_INT(wg_person_check_resident_id(id, NOW, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "birth date") != NULL);
    make_id("371302", "20261201", 1, id);
    T_EQ_INT(wg_person_check_resident_id(id, NOW, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "future") != NULL);
    T_EQ_INT(wg_person_check_resident_id("37130219800101001", NOW, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "18 characters") != NULL);
    T_EQ_INT(wg_person_check_resident_id("3713021980010A0011", NOW, &err), WG_EINVAL);
    make_id("001302", "19800101", 1, id);
    T_EQ_INT(wg_person_check_resident_id(id, NOW, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "province") != NULL);
    T_EQ_INT(wg_person_check_resident_id("", NOW, &err), WG_EINVAL);
}

static json_t *body_of(const char *id, const char *grid, const char *phone)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s}", "id_number", id, "name", "王小明", "phone", phone,
                     "residence", "registered", "grid", grid);
}

struct raw {
    int rows, clear;
};

static int scan(const struct wg_sealed_row *r, void *ctx)
{
    struct raw *s = ctx;
    s->rows++;
    for (int i = 0; i < 4; i++)
        s->clear += !!strstr(r->v[i], "王小明") || !!strstr(r->v[i], "13912345678") ||
                    !!strstr(r->v[i], "371302198001010");
    return 0;
}

static void test_store(struct wg_db *db, struct wg_pii_keys *keys)
{
    struct wg_err err = {0};
    struct wg_scope town = {"region", "371302001"}, west = {"region", "371302001002"};
    struct wg_person p = {0}, q = {0}, back;
    char id[19];
    json_t *b, *out = NULL;
    t_add_grid(db, "371302001001001");
    t_add_grid(db, "371302001002001");
    make_id("371302", "19800101", 1, id);

    /* sealed at rest, opened to what was recorded */
    b = body_of(id, "371302001001001", "139 1234 5678");
    T_EQ_INT(wg_person_apply(&p, b, 0, NOW, &err), WG_OK);
    T_EQ_INT(wg_person_create(db, keys, &town, &p, NOW, &err), WG_OK);
    T_EQ_INT(p.id, 1);
    json_decref(b);
    T_EQ_INT(wg_person_load(db, keys, &town, p.id, &back, &err), WG_OK);
    T_EQ_STR(back.id_number, id);
    T_EQ_STR(back.name, "王小明");
    T_EQ_STR(back.phone, "13912345678");
    T_EQ_STR(back.birth_date, "1980-01-01");
    T_EQ_STR(back.gender, "male");
    T_EQ_INT(back.special, 0);
    T_EQ_INT(back.mental_risk, -1);
    wg_person_release(&back);
    struct raw r = {0, 0};
    T_EQ_INT(wg_store_sealed_page(db, WG_SEALED_PERSONS, 0, 10, scan, &r, &err), WG_OK);
    T_EQ_INT(r.rows, 1);
    T_EQ_INT(r.clear, 0);
    /* outside the scope it is not there */
    T_EQ_INT(wg_person_load(db, keys, &west, p.id, &back, &err), WG_ENOTFOUND);

    /* never twice: the same number however typed; another document type is another person */
    char spaced[24];
    snprintf(spaced, sizeof spaced, " %s ", id);
    b = body_of(spaced, "371302001001001", "");
    T_EQ_INT(wg_person_apply(&q, b, 0, NOW, &err), WG_OK);
    T_EQ_INT(wg_person_create(db, keys, &town, &q, NOW, &err), WG_ECONFLICT);
    T_CHECK(strstr(err.msg, "id_number") && strstr(err.msg, "person 1"));
    wg_person_release(&q);
    json_decref(b);
    b = json_pack("{s:s,s:s,s:s,s:s,s:s}", "id_type", "other", "id_number", id, "name", "王小明",
                  "residence", "floating", "grid", "371302001002001");
    memset(&q, 0, sizeof q);
    T_EQ_INT(wg_person_apply(&q, b, 0, NOW, &err), WG_OK);
    T_EQ_INT(wg_person_create(db, keys, &town, &q, NOW, &err), WG_OK);
    T_EQ_INT(q.id, 2);
    json_decref(b);

    /* the special populations need the grant, and are sealed even when empty */
    b = json_pack("{s:[s]}", "special", "drug");
    T_EQ_INT(wg_person_apply(&q, b, 0, NOW, &err), WG_EFORBIDDEN);
    T_CHECK(strstr(err.msg, "registry_sensitive") != NULL);
    T_EQ_INT(wg_person_apply(&q, b, 1, NOW, &err), WG_OK);
    T_EQ_INT(wg_person_update(db, keys, &town, &q, NOW, &err), WG_OK);
    T_EQ_INT(q.version, 2);
    q.version = 1; /* a stale change */
    T_EQ_INT(wg_person_update(db, keys, &town, &q, NOW, &err), WG_EPRECOND);
    json_decref(b);
    wg_person_release(&q);

    /* a list from a cursor; the west village's worker sees its own only */
    struct wg_person_query lq = {.region = "371302001", .limit = "1"};
    T_EQ_INT(wg_person_list(db, keys, &town, &lq, 1, &out, &err), WG_OK);
    T_EQ_INT(json_array_size(json_object_get(out, "persons")), 1);
    char cursor[64];
    snprintf(cursor, sizeof cursor, "%s", json_string_value(json_object_get(out, "next_cursor")));
    T_EQ_STR(cursor, "371302001001001.1");
    json_decref(out);
    lq.cursor = cursor;
    T_EQ_INT(wg_person_list(db, keys, &town, &lq, 1, &out, &err), WG_OK);
    json_t *second = json_array_get(json_object_get(out, "persons"), 0);
    T_EQ_INT(json_integer_value(json_object_get(second, "id")), 2);
    T_EQ_STR(json_string_value(json_array_get(json_object_get(second, "special"), 0)), "drug");
    json_decref(out);
    struct wg_person_query wq = {.grid = "371302001001001"};
    T_EQ_INT(wg_person_list(db, keys, &west, &wq, 0, &out, &err), WG_ENOTFOUND);
    struct wg_person_query sq = {.special = "drug"};
    T_EQ_INT(wg_person_list(db, keys, &town, &sq, 0, &out, &err), WG_EFORBIDDEN);
    struct wg_person_query pq = {.phone = "+86 139-1234-5678"};
    T_EQ_INT(wg_person_list(db, keys, &town, &pq, 0, &out, &err), WG_OK);
    T_EQ_INT(json_array_size(json_object_get(out, "persons")), 1);
    json_decref(out);
    wg_person_release(&p);

    /* a household, its address sealed */
    struct wg_household h = {0};
    json_t *members = NULL;
    b = json_pack("{s:s,s:s,s:s,s:i}", "number", "H-1", "grid", "371302001001001", "address",
                  "东关街道12号楼501", "head", 1);
    T_EQ_INT(wg_household_apply(&h, b, &members, &err), WG_OK);
    T_EQ_INT(wg_household_store(db, keys, &town, &h, members, NOW, &err), WG_OK);
    json_decref(b);
    wg_household_release(&h);
}

static void test_rotation(struct wg_db *db, const char *dir)
{
    struct wg_err err = {0};
    struct wg_pii_keys *keys = NULL;
    struct wg_scope all = {"region", ""};
    struct wg_person p;
    struct wg_household h;
    size_t moved = 0;
    char msg[256];
    /* person 2's birth date as a store kept it before birth dates were sealed: read as it
     * is, sealed by the rotation */
    T_EQ_INT(t_store_sql(dir, "UPDATE person SET birth_date = '1990-05-01' WHERE id = 2", msg,
                         sizeof msg),
             0);
    T_EQ_INT(wg_pii_keys_rotate(dir, &err), WG_OK);
    T_EQ_INT(wg_pii_keys_load(dir, &keys, &err), WG_OK);
    T_EQ_INT(wg_person_load(db, keys, &all, 2, &p, &err), WG_OK);
    T_EQ_STR(p.birth_date, "1990-05-01");
    wg_person_release(&p);
    T_EQ_INT(wg_pii_rotate_stored(db, keys, &moved, &err), WG_OK);
    /* person 1: ID, name, phone, special, birth date; person 2: ID, name, special and the
     * clear birth date; the address */
    T_EQ_INT(moved, 5 + 4 + 1);
    T_EQ_INT(t_store_one(dir, "SELECT COUNT(*) FROM person WHERE birth_date LIKE 'v%'"), 2);
    T_EQ_INT(wg_person_load(db, keys, &all, 2, &p, &err), WG_OK);
    T_EQ_STR(p.birth_date, "1990-05-01");
    wg_person_release(&p);
    T_EQ_INT(wg_person_load(db, keys, &all, 1, &p, &err), WG_OK);
    T_EQ_STR(p.phone, "13912345678");
    wg_person_release(&p);
    T_EQ_INT(wg_household_load(db, keys, &all, 1, &h, &err), WG_OK);
    T_EQ_STR(h.address, "东关街道12号楼501");
    wg_household_release(&h);
    T_EQ_INT(wg_pii_rotate_stored(db, keys, &moved, &err), WG_OK);
    T_EQ_INT(moved, 0);
    wg_pii_keys_free(keys);
}

/* A store from before migration 40, its blind indexes the whole MAC's 64 hex digits (the
 * first 32 are what a lookup computes now): cut when it opens, so a person is still found by
 * phone and never recorded twice, and the portal's per-phone throttle keeps its count. */
static void test_blind_before_migration_40(struct wg_store **st, struct wg_db **db)
{
    struct wg_pii_keys *keys = NULL; /* rotated above */
    struct wg_err err = {0};
    struct wg_scope town = {"region", "371302001"};
    char msg[256], id[19];
    json_t *out = NULL;
    wg_store_put(*db);
    wg_store_close(*st);
    T_EQ_INT(t_store_sql(t_store_dir,
                         "UPDATE person SET id_blind = id_blind || "
                         "'00112233445566778899aabbccddeeff', phone_blind = CASE WHEN phone_blind "
                         "= '' THEN '' ELSE phone_blind || '00112233445566778899aabbccddeeff' END;"
                         "INSERT INTO portal_throttle(key, win, hits, expires) VALUES "
                         "('appeal:phone:00112233445566778899aabbccddeeff00112233445566778899aab"
                         "bccddeeff', 1, 3, 2000000000), ('appeal:addr:127.0.0.1', 1, 2, "
                         "2000000000);"
                         "DELETE FROM schema_version WHERE version = 40;",
                         msg, sizeof msg),
             0);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM person WHERE length(id_blind) = 64"),
             2);
    T_EQ_INT(wg_store_open(t_store_where(t_store_dir, 0), 0, st, &err), WG_OK);
    T_EQ_INT(wg_store_get(*st, db, &err), WG_OK);
    T_EQ_INT(wg_pii_keys_load(t_store_dir, &keys, &err), WG_OK);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM person WHERE length(id_blind) = 32 "
                                      "AND length(phone_blind) IN (0, 32)"),
             2);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT hits FROM portal_throttle WHERE key = "
                                      "'appeal:phone:00112233445566778899aabbccddeeff'"),
             3);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT hits FROM portal_throttle WHERE key = "
                                      "'appeal:addr:127.0.0.1'"),
             2);
    struct wg_person_query pq = {.phone = "13912345678"};
    T_EQ_INT(wg_person_list(*db, keys, &town, &pq, 0, &out, &err), WG_OK);
    T_EQ_INT(json_array_size(json_object_get(out, "persons")), 1);
    json_decref(out);
    struct wg_person q = {0};
    make_id("371302", "19800101", 1, id);
    json_t *b = body_of(id, "371302001001001", "");
    T_EQ_INT(wg_person_apply(&q, b, 0, NOW, &err), WG_OK);
    T_EQ_INT(wg_person_create(*db, keys, &town, &q, NOW, &err), WG_ECONFLICT);
    T_CHECK(strstr(err.msg, "person 1") != NULL);
    wg_person_release(&q);
    json_decref(b);
    wg_pii_keys_free(keys);
}

int main(void)
{
    struct wg_err err = {0};
    struct wg_store *st = t_store_open("registry");
    struct wg_pii_keys *keys = NULL;
    struct wg_db *db = NULL;
    test_gb11643();
    if ((wg_pii_keys_create(t_store_dir, &err) && err.rc != WG_ECONFLICT) ||
        wg_pii_keys_load(t_store_dir, &keys, &err)) {
        fprintf(stderr, "keys: %s\n", err.msg);
        return 1;
    }
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    test_store(db, keys);
    test_rotation(db, t_store_dir);
    test_blind_before_migration_40(&st, &db);
    wg_pii_keys_free(keys);
    wg_store_put(db);
    t_store_close(st);
    return T_DONE("registry");
}
