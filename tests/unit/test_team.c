/* The grid team (domain/registry/team.h) on either store: a team replaced whole under its
 * version, every bad member refused naming its index and field with nothing stored, the
 * accounts, persons and buildings it names checked, scope, who is current, and the public
 * card's fields — only names, roles, duties and work phones. */
#include <stdlib.h>

#include "core/civil.h"
#include "domain/map/grid.h"
#include "domain/map/locate.h"
#include "domain/registry/team.h"
#include "store/accounts/accounts_q.h"
#include "store/map/map_q.h"
#include "store/registry/places_q.h"
#include "store/registry/registry_q.h"

#include "t.h"
#include "t_store.h"

#define SQUARE(x0, y0, x1, y1)                                                                     \
    "{\"type\":\"Polygon\",\"coordinates\":[[[" #x0 "," #y0 "],[" #x1 "," #y0 "],[" #x1 "," #y1    \
    "],[" #x0 "," #y1 "],[" #x0 "," #y0 "]]]}"
#define GRID(code, name, geometry)                                                                 \
    "{\"type\":\"Feature\",\"properties\":{\"code\":\"" code "\",\"name\":\"" name                 \
    "\",\"kind\":\"base\"},\"geometry\":" geometry "}"

static const char *const GRIDS = "{\"type\":\"FeatureCollection\",\"features\":[" GRID(
    "371302001001001", "东关社区第1网格",
    SQUARE(118.30, 35.00, 118.31, 35.01)) "," GRID("371302002001001", "南坛村第1网格",
                                                   SQUARE(118.40, 35.00, 118.41, 35.01)) "]}";
#define G1  "371302001001001"
#define G2  "371302002001001"
#define NOW 1790000000LL /* 2026-09-21, China time */

struct world {
    struct wg_store *st;
    struct wg_db *db;
    struct wg_locator *loc;
    struct wg_scope town, other;
};

static void region(struct wg_db *db, const char *code, const char *name, const char *level,
                   const char *parent)
{
    struct wg_region_row r;
    struct wg_err err = {0};
    int changed = 0;
    memset(&r, 0, sizeof r);
    snprintf(r.code, sizeof r.code, "%s", code);
    snprintf(r.name, sizeof r.name, "%s", name);
    snprintf(r.level, sizeof r.level, "%s", level);
    snprintf(r.parent, sizeof r.parent, "%s", parent);
    T_EQ_INT(wg_store_region_put(db, &r, &changed, &err), WG_OK);
}

static void person(struct wg_db *db, const char *grid, const char *blind)
{
    struct wg_person_row p;
    struct wg_err err = {0};
    long long id = 0;
    memset(&p, 0, sizeof p);
    snprintf(p.id_type, sizeof p.id_type, "resident_id");
    p.id_number = p.name = p.special = "sealed";
    p.birth_date = "";
    p.phone = p.phone_blind = "";
    p.id_blind = blind;
    snprintf(p.residence, sizeof p.residence, "registered");
    snprintf(p.grid, sizeof p.grid, "%s", grid);
    T_EQ_INT(wg_store_person_insert(db, &p, NOW, 1, &id, &err), WG_OK);
}

static void open_world(struct world *w)
{
    struct wg_err err = {0};
    struct wg_import_report rep;
    struct wg_import_opts opts = {0};
    struct wg_account_row a;
    struct wg_building_row b;
    memset(w, 0, sizeof *w);
    w->st = t_store_open("team");
    T_EQ_INT(wg_store_get(w->st, &w->db, &err), WG_OK);
    region(w->db, "37", "山东省", "province", "");
    region(w->db, "3713", "临沂市", "city", "37");
    region(w->db, "371302", "兰山区", "county", "3713");
    region(w->db, "371302001", "测试街道", "town", "371302");
    region(w->db, "371302002", "试验街道", "town", "371302");
    region(w->db, "371302001001", "东关社区居委会", "village", "371302001");
    region(w->db, "371302002001", "南坛村民委员会", "village", "371302002");
    memset(&rep, 0, sizeof rep);
    T_EQ_INT(wg_grid_import(w->db, GRIDS, strlen(GRIDS), &opts, &rep, &err), WG_OK);
    wg_import_report_release(&rep);
    T_EQ_INT(wg_locator_build(w->db, &w->loc, &err), WG_OK);
    T_EQ_INT(wg_scope_parse("371302001", &w->town, &err), WG_OK);
    T_EQ_INT(wg_scope_parse("371302002", &w->other, &err), WG_OK);
    memset(&a, 0, sizeof a);
    snprintf(a.username, sizeof a.username, "gw1");
    snprintf(a.role, sizeof a.role, "gridworker");
    snprintf(a.scope_kind, sizeof a.scope_kind, "region");
    snprintf(a.scope, sizeof a.scope, "371302001");
    snprintf(a.password_hash, sizeof a.password_hash, "x");
    T_EQ_INT(wg_store_account_insert(w->db, &a, &err), WG_OK);
    memset(&b, 0, sizeof b);
    snprintf(b.code, sizeof b.code, "B-1");
    snprintf(b.name, sizeof b.name, "金雀山路18号3号楼");
    snprintf(b.grid, sizeof b.grid, G1);
    snprintf(b.address, sizeof b.address, "兰山区测试街道东关社区金雀山路18号3号楼");
    b.floors = 6;
    snprintf(b.use, sizeof b.use, "residential");
    T_EQ_INT(wg_store_building_insert(w->db, &b, &err), WG_OK);
    snprintf(b.code, sizeof b.code, "B-2");
    snprintf(b.grid, sizeof b.grid, G2);
    T_EQ_INT(wg_store_building_insert(w->db, &b, &err), WG_OK);
    person(w->db, G1, "blind-1"); /* person 1: in the town */
    person(w->db, G2, "blind-2"); /* person 2: outside it */
}

static void close_world(struct world *w)
{
    wg_locator_release(w->loc);
    wg_store_put(w->db);
    t_store_close(w->st);
}

/* A whole team: one member of each kind the rules single out. */
static const char *const TEAM =
    "{\"members\":["
    "{\"name\":\"张网格\",\"role\":\"head\",\"username\":\"gw1\",\"person\":1,"
    "\"work_phone\":\"0539-8123456\",\"duty\":\"全面负责\",\"since\":\"2026-01-01\"},"
    "{\"name\":\"李专职\",\"role\":\"full_time\",\"work_phone\":\"13800001111\"},"
    "{\"name\":\"王下沉\",\"role\":\"micro\",\"home_unit\":\"区财政局\",\"until\":\"2026-12-31\"},"
    "{\"name\":\"赵楼长\",\"role\":\"building_head\",\"building\":\"B-1\"},"
    "{\"name\":\"钱单元\",\"role\":\"unit_head\",\"building\":\"B-1\",\"unit\":\"2单元\"},"
    "{\"name\":\"孙民警\",\"role\":\"police\",\"work_phone\":\"0539-8110110\"},"
    "{\"name\":\"周离任\",\"role\":\"volunteer\",\"since\":\"2025-01-01\",\"until\":\"2025-12-31\"}"
    "],\"duties\":{\"responsibilities\":\"走访、巡查、上报\",\"commitment\":\"24小时不打烊\","
    "\"supervision_phone\":\"12345\",\"services\":[{\"name\":\"社区卫生室\",\"phone\":"
    "\"0539-8777777\"}]},\"police_station\":{\"name\":\"东关派出所\",\"phone\":\"0539-8111111\","
    "\"address\":\"金雀山路1号\"}}";

static enum wg_rc put(struct world *w, const struct wg_scope *scope, const char *grid,
                      long long expect, const char *text, struct wg_team *out, struct wg_err *err)
{
    json_t *body = json_loads(text, 0, NULL);
    enum wg_rc rc;
    T_CHECK(body != NULL);
    memset(err, 0, sizeof *err);
    rc = wg_team_put(w->db, scope, grid, expect, body, NOW, "gw1", out, err);
    json_decref(body);
    return rc;
}

/* Each bad change to member 3 (or the team), the field its error must name. */
static const struct {
    const char *key, *value, *field;
} BAD[] = {
    {"name", "null", "'members[3].name'"},
    {"name", "\"\"", "'members[3].name'"},
    {"name", "\"一二三四五六七八九十一二三四五六七八九十一\"", "'members[3].name'"},
    {"role", "\"king\"", "'members[3].role'"},
    {"role", "\"micro\"", "'members[3].home_unit'"},
    {"role", "\"unit_head\"", "'members[3].unit'"},
    {"building", "null", "'members[3].building'"},
    {"building", "\"B-2\"", "'members[3].building'"}, /* another grid's */
    {"building", "\"B-9\"", "'members[3].building'"},
    {"username", "\"nobody\"", "'members[3].username'"},
    {"username", "7", "'members[3].username'"},
    {"person", "2", "'members[3].person'"}, /* outside the scope */
    {"person", "99", "'members[3].person'"},
    {"person", "\"1\"", "'members[3].person'"},
    {"since", "\"2026-02-30\"", "'members[3].since'"},
    {"since", "\"tomorrow\"", "'members[3].since'"},
    {"until", "\"1980-01-01\"", "'members[3].until'"},
    {"work_phone", "\"12\"", "'members[3].work_phone'"},
    {"work_phone", "\"call me\"", "'members[3].work_phone'"},
    {"duty", "\"a\\u0001b\"", "'members[3].duty'"},
    {"phone", "\"13800001111\"", "'members[3].phone'"}, /* no personal phone is kept */
    {"", "{\"members\":{}}", "'members'"},
    {"", "{\"duties\":{}}", "'members'"},
    {"", "{\"members\":[],\"duties\":{\"hours\":\"8-5\"}}", "'duties.hours'"},
    {"", "{\"members\":[],\"duties\":{\"supervision_phone\":\"x\"}}", "'duties.supervision_phone'"},
    {"", "{\"members\":[],\"duties\":{\"services\":[{\"name\":\"医生\"}]}}",
     "'duties.services[0].phone'"},
    {"", "{\"members\":[],\"police_station\":{\"phone\":\"0539-8111111\"}}",
     "'police_station.name'"},
    {"", "{\"members\":[7]}", "'members[0]'"},
};

static void test_put_and_refusals(struct world *w)
{
    struct wg_team t;
    struct wg_err err = {0};
    T_EQ_INT(wg_team_load(w->db, &w->town, G1, &t, &err), WG_OK);
    T_EQ_INT(t.row.version, 0);
    T_EQ_INT(t.n, 0);
    T_EQ_STR(t.grid_name, "东关社区第1网格");
    wg_team_release(&t);
    T_EQ_INT(put(w, &w->town, G1, 0, TEAM, &t, &err), WG_OK);
    T_EQ_INT(t.row.version, 1);
    wg_team_release(&t);
    T_EQ_INT(wg_team_load(w->db, &w->town, G1, &t, &err), WG_OK);
    T_EQ_INT(t.n, 7);
    T_EQ_STR(t.m[0].name, "张网格");
    T_EQ_STR(t.m[0].username, "gw1");
    T_EQ_INT(t.m[0].person, 1);
    T_EQ_STR(t.m[0].since, "2026-01-01");
    T_EQ_STR(t.m[2].home_unit, "区财政局");
    T_EQ_STR(t.m[4].unit, "2单元");
    T_EQ_STR(t.row.updated_by, "gw1");
    T_CHECK(strstr(t.row.duties, "24小时不打烊") != NULL);
    T_CHECK(strstr(t.row.station, "东关派出所") != NULL);
    wg_team_release(&t);
    /* a second writer on the same version is refused, and nothing changes */
    T_EQ_INT(put(w, &w->town, G1, 0, "{\"members\":[]}", &t, &err), WG_EPRECOND);
    T_EQ_INT(put(w, &w->town, G1, 2, "{\"members\":[]}", &t, &err), WG_EPRECOND);
    /* outside the scope the grid is not there */
    T_EQ_INT(put(w, &w->other, G1, 1, "{\"members\":[]}", &t, &err), WG_ENOTFOUND);
    T_EQ_INT(wg_team_load(w->db, &w->other, G1, &t, &err), WG_ENOTFOUND);
    T_EQ_INT(wg_team_load(w->db, NULL, "371302001009009", &t, &err), WG_ENOTFOUND);
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        json_t *body = json_loads(TEAM, 0, NULL),
               *m3 = json_array_get(json_object_get(body, "members"), 3);
        char *text = NULL;
        if (*BAD[i].key) {
            json_object_set_new(m3, BAD[i].key, json_loads(BAD[i].value, JSON_DECODE_ANY, NULL));
            text = json_dumps(body, 0);
        }
        json_decref(body);
        T_EQ_INT(put(w, &w->town, G1, 1, text ? text : BAD[i].value, &t, &err), WG_EINVAL);
        if (!strstr(err.msg, BAD[i].field))
            fprintf(stderr, "bad team %zu: '%s' does not name %s\n", i, err.msg, BAD[i].field);
        T_CHECK(strstr(err.msg, BAD[i].field) != NULL);
        free(text);
    }
    /* nothing of any refused change was stored */
    T_EQ_INT(wg_team_load(w->db, &w->town, G1, &t, &err), WG_OK);
    T_EQ_INT(t.row.version, 1);
    T_EQ_INT(t.n, 7);
    wg_team_release(&t);
    /* a smaller team replaces the whole; duties and station stay when not sent */
    T_EQ_INT(put(w, &w->town, G1, 1, "{\"members\":[{\"name\":\"新网格长\",\"role\":\"head\"}]}",
                 &t, &err),
             WG_OK);
    T_EQ_INT(t.row.version, 2);
    wg_team_release(&t);
    T_EQ_INT(wg_team_load(w->db, NULL, G1, &t, &err), WG_OK);
    T_EQ_INT(t.n, 1);
    T_EQ_STR(t.m[0].name, "新网格长");
    T_CHECK(strstr(t.row.duties, "24小时不打烊") != NULL);
    wg_team_release(&t);
}

static void test_current(void)
{
    struct wg_team_member_row m;
    int day = wg_civil_parse_date("2026-06-15");
    memset(&m, 0, sizeof m);
    T_EQ_INT(wg_team_current(&m, day), 1);
    snprintf(m.since, sizeof m.since, "2026-06-15");
    T_EQ_INT(wg_team_current(&m, day), 1);
    T_EQ_INT(wg_team_current(&m, day - 1), 0);
    snprintf(m.until, sizeof m.until, "2026-06-15");
    T_EQ_INT(wg_team_current(&m, day), 1);
    T_EQ_INT(wg_team_current(&m, day + 1), 0);
}

/* The card shows the current members' public fields only. */
static void test_card(struct world *w)
{
    struct wg_locate_result r;
    struct wg_team t;
    struct wg_err err = {0};
    json_t *card = NULL, *m;
    size_t i;
    char *text;
    T_EQ_INT(put(w, &w->town, G1, 2, TEAM, &t, &err), WG_OK);
    wg_team_release(&t);
    T_EQ_INT(wg_locator_locate(w->loc, 118.305, 35.005, WG_CRS_WGS84, &r, &err), WG_OK);
    T_EQ_INT(wg_team_card(w->db, &r, wg_cst_day(NOW), &card, &err), WG_OK);
    T_EQ_STR(json_string_value(json_object_get(json_object_get(card, "grid"), "code")), G1);
    T_EQ_STR(json_string_value(json_object_get(json_object_get(card, "town"), "name")), "测试街道");
    T_EQ_STR(json_string_value(json_object_get(json_object_get(card, "village"), "name")),
             "东关社区居委会");
    /* 7 members: the police officer apart, the volunteer who left not shown */
    T_EQ_INT(json_array_size(json_object_get(card, "team")), 5);
    T_EQ_INT(json_array_size(json_object_get(card, "police")), 1);
    json_array_foreach(json_object_get(card, "team"), i, m)
    {
        const char *key;
        json_t *v;
        json_object_foreach(m, key, v)
            T_CHECK(!strcmp(key, "role") || !strcmp(key, "name") || !strcmp(key, "duty") ||
                    !strcmp(key, "work_phone") || !strcmp(key, "building") || !strcmp(key, "unit"));
    }
    m = json_array_get(json_object_get(card, "team"), 3);
    T_EQ_STR(json_string_value(json_object_get(m, "building")), "金雀山路18号3号楼");
    text = json_dumps(card, 0);
    T_CHECK(strstr(text, "gw1") == NULL && strstr(text, "区财政局") == NULL &&
            strstr(text, "周离任") == NULL && strstr(text, "B-1") == NULL &&
            strstr(text, "2026-01-01") == NULL);
    T_CHECK(strstr(text, "东关派出所") != NULL && strstr(text, "社区卫生室") != NULL);
    free(text);
    json_decref(card);
    /* a grid without a team: an empty card */
    T_EQ_INT(wg_locator_locate(w->loc, 118.405, 35.005, WG_CRS_WGS84, &r, &err), WG_OK);
    T_EQ_INT(wg_team_card(w->db, &r, wg_cst_day(NOW), &card, &err), WG_OK);
    T_EQ_INT(json_array_size(json_object_get(card, "team")), 0);
    T_CHECK(json_is_null(json_object_get(card, "police_station")));
    json_decref(card);
}

int main(void)
{
    struct world w;
    open_world(&w);
    test_put_and_refusals(&w);
    test_current();
    test_card(&w);
    close_world(&w);
    return T_DONE("team");
}
