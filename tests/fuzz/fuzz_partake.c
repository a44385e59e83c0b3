/* Fuzz target: the bodies of the 一长二员, volunteer and mobilisation routes as clients send
 * them, each against a migrated SQLite store holding one of everything — a grid and its town,
 * building B1 with unit 1 (two houses, a household living in one), three persons, stairwell
 * team 1, volunteer team 1 and volunteer 1 with 5 points, mobilisation 1 calling the team — and
 * inside a transaction rolled back afterwards. The first byte picks the body: 't' a team
 * (POST /api/v1/stairwell-teams), 'u' its members (PUT …/1, version 1), 'v' a visit or a batch
 * (POST …/1/visits), 'g' a volunteer team, 'p' a volunteer, 'h' hours and 'r' a redemption
 * of volunteer 1, 'm' a mobilisation, 'k' a report on mobilisation 1. Whatever the bytes, the
 * answer is WG_OK or a refusal with its message and a code a client may get (400, 404, 409,
 * 413), a refused body leaves the rows as they were, and volunteer 1's balance never goes
 * below zero, nor after the rollback differs from the 5 it had. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/civil.h"
#include "domain/accounts/account.h"
#include "domain/accounts/pii_keys.h"
#include "domain/accounts/session.h"
#include "domain/map/region.h"
#include "domain/partake/mobilise.h"
#include "domain/partake/stairwell.h"
#include "domain/partake/volunteer.h"
#include "domain/registry/person.h"
#include "store/map/map_q.h"
#include "store/registry/places_q.h"
#include "store/store.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define GRID "371302001001001"
#define NOW  1796100000LL /* 2026-12-01 */

static struct wg_store *store;
static struct wg_db *db;
static struct wg_pii_keys *keys;
static struct wg_actor gw;

static void cleanup(void)
{
    if (db)
        wg_store_put(db);
    wg_store_close(store);
    wg_pii_keys_free(keys);
}

static void ok(enum wg_rc rc, const struct wg_err *err)
{
    if (rc) {
        fprintf(stderr, "fuzz_partake: set-up: %s\n", err->msg);
        exit(1);
    }
}

static void put(const char *text, enum wg_rc (*fn)(const json_t *, long long *))
{
    json_t *b = json_loads(text, 0, NULL);
    long long id = 0;
    assert(b && fn(b, &id) == WG_OK && id == 1);
    json_decref(b);
}

static enum wg_rc mk_team(const json_t *b, long long *id)
{
    struct wg_err err = {0};
    return wg_stair_create(db, keys, &gw, b, NOW, id, &err);
}

static enum wg_rc mk_vteam(const json_t *b, long long *id)
{
    struct wg_err err = {0};
    return wg_vteam_create(db, &gw, b, NOW, id, &err);
}

static enum wg_rc mk_vol(const json_t *b, long long *id)
{
    struct wg_err err = {0};
    return wg_volunteer_create(db, keys, &gw, b, NOW, id, &err);
}

static enum wg_rc mk_hours(const json_t *b, long long *id)
{
    struct wg_err err = {0};
    enum wg_rc rc = wg_volunteer_hours(db, &gw, 1, b, NOW, id, &err);
    return rc;
}

static enum wg_rc mk_mob(const json_t *b, long long *id)
{
    struct wg_err err = {0};
    int n = 0;
    return wg_mob_create(db, NULL, &gw, b, NOW, id, &n, &err);
}

static void fixture(void)
{
    struct wg_err err = {0};
    struct wg_region_row r = {0};
    int changed = 0;
    snprintf(r.code, sizeof r.code, "371302001");
    snprintf(r.name, sizeof r.name, "兰山街道");
    snprintf(r.level, sizeof r.level, "town");
    wg_region_parent(r.code, r.parent, sizeof r.parent);
    ok(wg_store_region_put(db, &r, &changed, &err), &err);
    struct wg_grid_row g = {.version = 1,
                            .households = -1,
                            .population = -1,
                            .geometry = "{\"type\":\"Polygon\",\"coordinates\":[]}"};
    snprintf(g.code, sizeof g.code, GRID);
    snprintf(g.name, sizeof g.name, "东关社区第1网格");
    snprintf(g.kind, sizeof g.kind, "base");
    snprintf(g.village, sizeof g.village, "371302001001");
    snprintf(g.crs, sizeof g.crs, "EPSG:4326");
    snprintf(g.valid_from, sizeof g.valid_from, "2026-01-01T00:00:00");
    ok(wg_store_grid_insert(db, &g, &err), &err);
    struct wg_building_row b = {.floors = 6, .version = 1};
    snprintf(b.code, sizeof b.code, "B1");
    snprintf(b.name, sizeof b.name, "东关小区1号楼");
    snprintf(b.grid, sizeof b.grid, GRID);
    snprintf(b.address, sizeof b.address, "兰山区东关小区1号楼");
    snprintf(b.use, sizeof b.use, "residential");
    ok(wg_store_building_insert(db, &b, &err), &err);
    for (int i = 0; i < 2; i++) {
        struct wg_house_row h = {.floor = 1, .version = 1};
        snprintf(h.building, sizeof h.building, "B1");
        snprintf(h.unit, sizeof h.unit, "1");
        snprintf(h.room, sizeof h.room, "10%d", i + 1);
        snprintf(h.address, sizeof h.address, "兰山区东关小区1号楼1单元10%d室", i + 1);
        snprintf(h.use, sizeof h.use, "owner_occupied");
        ok(wg_store_house_insert(db, &h, &err), &err);
    }
    struct wg_household hh = {0};
    snprintf(hh.number, sizeof hh.number, "DG-1-101");
    snprintf(hh.grid, sizeof hh.grid, GRID);
    hh.address = wg_strdup("兰山区东关小区1号楼1单元101室");
    ok(wg_household_store(db, keys, NULL, &hh, NULL, NOW, &err), &err);
    wg_household_release(&hh);
    static const char *const ids[] = {"11010519491231002X", "110105194912310038",
                                      "110105194912310054"};
    for (int i = 0; i < 3; i++) {
        struct wg_person p = {0};
        struct wg_scope all = {"region", ""};
        json_t *pb = json_pack("{s:s,s:s,s:s,s:s}", "id_number", ids[i], "name", "王秀兰",
                               "residence", "registered", "grid", GRID);
        ok(wg_person_apply(&p, pb, 0, NOW, &err), &err);
        ok(wg_person_create(db, keys, &all, &p, NOW, &err), &err);
        json_decref(pb);
        wg_person_release(&p);
    }
    put("{\"building\":\"B1\",\"unit\":\"1\",\"head\":{\"person\":1},\"info\":{\"person\":2},"
        "\"guard\":{\"person\":3}}",
        mk_team);
    put("{\"name\":\"东关党员志愿服务队\",\"place\":\"" GRID "\",\"kind\":\"party\"}", mk_vteam);
    put("{\"person\":1,\"team\":1}", mk_vol);
    put("{\"date\":\"2026-11-30\",\"hours\":5,\"activity\":\"理发\"}", mk_hours);
    put("{\"title\":\"防汛\",\"content\":\"排查\",\"deadline\":\"2026-12-05\",\"scope\":\"" GRID
        "\",\"kinds\":[\"stairwell\"]}",
        mk_mob);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static char dir[] = "/tmp/wg-fuzz-partake-XXXXXX";
    struct wg_err err = {0};
    (void)argc, (void)argv;
    if (!mkdtemp(dir) || wg_store_open(dir, 1, &store, &err) || wg_store_get(store, &db, &err) ||
        wg_pii_keys_create(dir, &err) || wg_pii_keys_load(dir, &keys, &err)) {
        fprintf(stderr, "fuzz_partake: no store in %s: %s\n", dir, err.msg);
        exit(1);
    }
    snprintf(gw.username, sizeof gw.username, "gw");
    wg_role_parse("community", &gw.role, NULL);
    gw.perms = wg_role_find("community")->perms;
    snprintf(gw.scope.kind, sizeof gw.scope.kind, "region");
    snprintf(gw.scope.code, sizeof gw.scope.code, "371302001");
    fixture();
    atexit(cleanup);
    return 0;
}

static enum wg_rc run(char kind, json_t *in, struct wg_err *err)
{
    long long id = 0;
    int n = 0;
    json_t *out = NULL;
    enum wg_rc rc = WG_EINVAL;
    switch (kind) {
    case 't':
        rc = wg_stair_create(db, keys, &gw, in, NOW, &id, err);
        break;
    case 'u':
        rc = wg_stair_update(db, keys, &gw, 1, 1, in, NOW, err);
        break;
    case 'v':
        rc = wg_stair_visit(db, keys, &gw, 1, in, NOW, &out, &n, err);
        json_decref(out);
        break;
    case 'g':
        rc = wg_vteam_create(db, &gw, in, NOW, &id, err);
        break;
    case 'p':
        rc = wg_volunteer_create(db, keys, &gw, in, NOW, &id, err);
        break;
    case 'h':
        rc = wg_volunteer_hours(db, &gw, 1, in, NOW, &id, err);
        break;
    case 'r':
        rc = wg_volunteer_redeem(db, &gw, 1, in, NOW, &id, err);
        break;
    case 'm':
        rc = wg_mob_create(db, NULL, &gw, in, NOW, &id, &n, err);
        break;
    case 'k':
        rc = wg_mob_report(db, &gw, 1, in, NOW, err);
        break;
    default:
        return WG_OK;
    }
    return rc;
}

static double balance(void)
{
    struct wg_err err = {0};
    json_t *v = NULL;
    assert(wg_volunteer_view(db, keys, &gw, 1, &v, &err) == WG_OK);
    double b = json_number_value(json_object_get(v, "balance"));
    json_decref(v);
    return b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct wg_err err = {0};
    if (size < 1)
        return 0;
    json_t *in = json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES, NULL);
    if (!in)
        return 0;
    assert(wg_db_begin(db, &err) == WG_OK);
    enum wg_rc rc = run((char)data[0], in, &err);
    assert(rc == WG_OK ||
           (err.msg[0] && (rc == WG_EINVAL || rc == WG_ENOTFOUND || rc == WG_ECONFLICT ||
                           rc == WG_EFORBIDDEN || rc == WG_ETOOBIG)));
    assert(balance() >= 0);
    wg_db_rollback(db);
    assert(balance() == 5);
    json_decref(in);
    return 0;
}
