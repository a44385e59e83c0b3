/* The registry's places — buildings and houses (domain/registry/building.h) — and the
 * address search (address.h), on either store: each field checked and refused naming it with
 * nothing stored, the grid settled from the point, versions, scope, and the search's order. */
#include <stdlib.h>

#include "domain/map/grid.h"
#include "domain/map/locate.h"
#include "domain/registry/address.h"
#include "domain/registry/building.h"
#include "store/map/map_q.h"

#include "t.h"
#include "t_store.h"

#define SQUARE(x0, y0, x1, y1)                                                                     \
    "{\"type\":\"Polygon\",\"coordinates\":[[[" #x0 "," #y0 "],[" #x1 "," #y0 "],[" #x1 "," #y1    \
    "],[" #x0 "," #y1 "],[" #x0 "," #y0 "]]]}"
#define GRID(code, name, kind, geometry)                                                           \
    "{\"type\":\"Feature\",\"properties\":{\"code\":\"" code "\",\"name\":\"" name                 \
    "\",\"kind\":\"" kind "\"},\"geometry\":" geometry "}"

static const char *const GRIDS = "{\"type\":\"FeatureCollection\",\"features\":[" GRID(
    "371302001001001", "东关社区第1网格", "base",
    SQUARE(118.30, 35.00, 118.31,
           35.01)) "," GRID("371302001001002", "东关社区第2网格", "base",
                            SQUARE(118.31, 35.00, 118.32,
                                   35.01)) "," GRID("371302002001001", "南坛村第1网格", "base",
                                                    SQUARE(118.40, 35.00, 118.41, 35.01)) "]}";

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

static void open_world(struct world *w)
{
    struct wg_err err = {0};
    struct wg_import_report rep;
    struct wg_import_opts opts = {0};
    memset(w, 0, sizeof *w);
    w->st = t_store_open("places");
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
    if (err.rc)
        fprintf(stderr, "import: %s\n", err.msg);
    wg_import_report_release(&rep);
    T_EQ_INT(wg_locator_build(w->db, &w->loc, &err), WG_OK);
    T_EQ_INT(wg_scope_parse("371302001", &w->town, &err), WG_OK);
    T_EQ_INT(wg_scope_parse("371302002", &w->other, &err), WG_OK);
}

static void close_world(struct world *w)
{
    wg_locator_release(w->loc);
    wg_store_put(w->db);
    t_store_close(w->st);
}

static int count_one(const struct wg_building_row *b, void *ctx)
{
    (void)b;
    (*(int *)ctx)++;
    return 0;
}

static int buildings(struct wg_db *db)
{
    struct wg_err err = {0};
    int n = 0;
    T_EQ_INT(wg_store_building_list(db, "", "", "", "", 1000, count_one, &n, &err), WG_OK);
    return n;
}

static enum wg_rc create(struct world *w, const struct wg_scope *scope, const char *text,
                         struct wg_building_row *out, struct wg_err *err)
{
    json_t *body = json_loads(text, 0, NULL);
    enum wg_rc rc;
    T_CHECK(body != NULL);
    memset(err, 0, sizeof *err);
    rc = wg_building_create(w->db, w->loc, scope, body, 1790000000, out, err);
    json_decref(body);
    return rc;
}

#define GOOD                                                                                                       \
    "\"name\":\"3号楼\",\"address\":\"兰山区测试街道东关社区金雀山路18号3号楼\",\"floors\":6," \
    "\"use\":\"residential\""

/* Each bad building, the field its error must name. */
static const struct {
    const char *body, *field;
} BAD[] = {
    {"{\"address\":\"a\",\"floors\":6,\"use\":\"mixed\",\"grid\":\"371302001001001\"}", "'name'"},
    {"{" GOOD ",\"floors\":0,\"grid\":\"371302001001001\"}", "'floors'"},
    {"{" GOOD ",\"floors\":201,\"grid\":\"371302001001001\"}", "'floors'"},
    {"{" GOOD ",\"floors\":2.5,\"grid\":\"371302001001001\"}", "'floors'"},
    {"{" GOOD ",\"use\":\"castle\",\"grid\":\"371302001001001\"}", "'use'"},
    {"{" GOOD "}", "'grid'"},
    {"{" GOOD ",\"grid\":\"3713\"}", "'grid'"},
    {"{" GOOD ",\"grid\":\"371302001009009\"}", "'grid'"},
    {"{" GOOD ",\"lon\":118.305}", "'lat'"},
    {"{" GOOD ",\"lon\":118.305,\"lat\":\"35\"}", "'lat'"},
    {"{" GOOD ",\"lon\":190,\"lat\":35}", "'lon'"},
    {"{" GOOD ",\"lon\":118.5,\"lat\":35.5}", "'lon', 'lat'"},
    {"{" GOOD ",\"lon\":118.305,\"lat\":35.005,\"grid\":\"371302001001002\"}", "'grid'"},
    {"{" GOOD ",\"lon\":118.405,\"lat\":35.005}", "'lon', 'lat'"}, /* another town's */
    {"{" GOOD ",\"grid\":\"371302002001001\"}", "'grid'"},         /* another town's */
    {"{" GOOD ",\"code\":\"a/b\",\"grid\":\"371302001001001\"}", "'code'"},
    {"{\"name\":\"楼\",\"address\":\"路路路路路路路路路路路路路路路路路路路路路路路路路路路路路路路"
     "路路路路路路路路路路路路路路路路路路路路路路路路路路路路路路路路路路路路路路路路路路路路路路"
     "路路路路路\",\"floors\":6,\"use\":\"mixed\",\"grid\":\"371302001001001\"}",
     "'address'"},
};

static void test_buildings(struct world *w)
{
    struct wg_building_row b, again;
    struct wg_err err;
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        T_EQ_INT(create(w, &w->town, BAD[i].body, &b, &err), WG_EINVAL);
        if (!strstr(err.msg, BAD[i].field))
            fprintf(stderr, "bad building %zu: '%s' does not name %s\n", i, err.msg, BAD[i].field);
        T_CHECK(strstr(err.msg, BAD[i].field) != NULL);
    }
    T_EQ_INT(buildings(w->db), 0);
    /* the point settles the grid; the grid and a sequence make the code */
    T_EQ_INT(create(w, &w->town, "{" GOOD ",\"lon\":118.305,\"lat\":35.005}", &b, &err), WG_OK);
    T_EQ_STR(b.grid, "371302001001001");
    T_EQ_STR(b.code, "371302001001001001");
    T_EQ_STR(b.grid_name, "东关社区第1网格");
    T_EQ_INT(b.version, 1);
    T_EQ_INT(create(w, &w->town, "{" GOOD ",\"grid\":\"371302001001001\"}", &again, &err), WG_OK);
    T_EQ_STR(again.code, "371302001001001002");
    T_EQ_INT(again.has_point, 0);
    T_EQ_INT(
        create(w, NULL, "{" GOOD ",\"code\":\"B-1\",\"lon\":118.405,\"lat\":35.005}", &again, &err),
        WG_OK);
    T_EQ_INT(
        create(w, NULL, "{" GOOD ",\"code\":\"B-1\",\"lon\":118.405,\"lat\":35.005}", &again, &err),
        WG_ECONFLICT);
    T_CHECK(strstr(err.msg, "'B-1'") != NULL);
    T_EQ_INT(buildings(w->db), 3);
    /* outside the scope a building does not exist */
    memset(&err, 0, sizeof err);
    T_EQ_INT(wg_building_get(w->db, &w->other, b.code, &again, &err), WG_ENOTFOUND);
    memset(&err, 0, sizeof err);
    T_EQ_INT(wg_building_get(w->db, &w->other, "B-1", &again, &err), WG_OK);
    /* a change: on the version read, checked as a new one is */
    json_t *fewer = json_pack("{s:i}", "floors", 4), *none = json_pack("{s:i}", "floors", 0);
    memset(&err, 0, sizeof err);
    T_EQ_INT(wg_building_update(w->db, w->loc, &w->town, b.code, 1, none, 1790000100, &again, &err),
             WG_EINVAL);
    T_CHECK(strstr(err.msg, "'floors'") != NULL);
    T_EQ_INT(
        wg_building_update(w->db, w->loc, &w->town, b.code, 1, fewer, 1790000100, &again, &err),
        WG_OK);
    T_EQ_INT(again.version, 2);
    T_EQ_INT(again.floors, 4);
    T_EQ_INT(again.updated_at, 1790000100);
    memset(&err, 0, sizeof err);
    T_EQ_INT(
        wg_building_update(w->db, w->loc, &w->town, b.code, 1, fewer, 1790000200, &again, &err),
        WG_EPRECOND);
    T_EQ_INT(
        wg_building_update(w->db, w->loc, &w->other, b.code, 2, fewer, 1790000200, &again, &err),
        WG_ENOTFOUND);
    json_decref(fewer);
    json_decref(none);
}

static enum wg_rc house(struct world *w, const char *building, const char *text,
                        struct wg_house_row *out, struct wg_err *err)
{
    json_t *body = json_loads(text, 0, NULL);
    enum wg_rc rc;
    T_CHECK(body != NULL);
    memset(err, 0, sizeof *err);
    rc = wg_house_create(w->db, &w->town, building, body, 1790000000, out, err);
    json_decref(body);
    return rc;
}

static void test_houses(struct world *w)
{
    static const struct {
        const char *body, *field;
    } bad[] = {
        {"{\"floor\":0,\"room\":\"1\",\"use\":\"empty\"}", "'floor'"},
        {"{\"floor\":5,\"room\":\"1\",\"use\":\"empty\"}", "'floor'"}, /* 4 floors now */
        {"{\"floor\":-6,\"room\":\"1\",\"use\":\"empty\"}", "'floor'"},
        {"{\"room\":\"1\",\"use\":\"empty\"}", "'floor'"},
        {"{\"floor\":1,\"use\":\"empty\"}", "'room'"},
        {"{\"floor\":1,\"room\":\"123456789\",\"use\":\"empty\"}", "'room'"},
        {"{\"floor\":1,\"room\":\"1\",\"use\":\"hotel\"}", "'use'"},
        {"{\"floor\":1,\"room\":\"1\",\"use\":\"empty\",\"tenants\":2}", "'tenants'"},
        {"{\"floor\":1,\"room\":\"1\",\"use\":\"rented\",\"tenants\":100}", "'tenants'"},
    };
    struct wg_house_row h, low;
    struct wg_err err;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        T_EQ_INT(house(w, "371302001001001001", bad[i].body, &h, &err), WG_EINVAL);
        if (!strstr(err.msg, bad[i].field))
            fprintf(stderr, "bad house %zu: '%s' does not name %s\n", i, err.msg, bad[i].field);
        T_CHECK(strstr(err.msg, bad[i].field) != NULL);
    }
    T_EQ_INT(house(w, "371302001001001001",
                   "{\"unit\":\"2\",\"floor\":4,\"room\":\"401\",\"use\":\"rented\",\"tenants\":3}",
                   &h, &err),
             WG_OK);
    T_EQ_STR(h.address, "兰山区测试街道东关社区金雀山路18号3号楼2单元401室");
    T_EQ_INT(h.tenants, 3);
    T_EQ_STR(h.grid, "371302001001001");
    T_EQ_INT(house(w, "371302001001001001", "{\"floor\":-5,\"room\":\"B1\",\"use\":\"business\"}",
                   &low, &err),
             WG_OK);
    T_EQ_INT(house(w, "371302001001001001",
                   "{\"unit\":\"2\",\"floor\":3,\"room\":\"401\",\"use\":\"empty\"}", &low, &err),
             WG_ECONFLICT);
    T_EQ_INT(house(w, "B-1", "{\"floor\":1,\"room\":\"1\",\"use\":\"empty\"}", &low, &err),
             WG_ENOTFOUND); /* another town's building */
    /* the building keeps its houses under its floors */
    json_t *fewer = json_pack("{s:i}", "floors", 3);
    struct wg_building_row b;
    memset(&err, 0, sizeof err);
    T_EQ_INT(wg_building_update(w->db, w->loc, &w->town, "371302001001001001", 2, fewer, 1790000300,
                                &b, &err),
             WG_EINVAL);
    T_CHECK(strstr(err.msg, "'floors'") != NULL);
    json_decref(fewer);
    /* let no more: its tenants go with it */
    json_t *empty = json_pack("{s:s}", "use", "empty");
    memset(&err, 0, sizeof err);
    T_EQ_INT(wg_house_update(w->db, &w->town, h.id, 1, empty, 1790000400, &low, &err), WG_OK);
    T_EQ_INT(low.tenants, 0);
    T_EQ_INT(low.version, 2);
    T_EQ_INT(wg_house_update(w->db, &w->town, h.id, 1, empty, 1790000400, &low, &err), WG_EPRECOND);
    T_EQ_INT(wg_house_update(w->db, &w->other, h.id, 2, empty, 1790000400, &low, &err),
             WG_ENOTFOUND);
    json_decref(empty);
}

static const char *kind_of(json_t *arr, size_t i)
{
    return json_string_value(json_object_get(json_array_get(arr, i), "kind"));
}

static void test_search(struct world *w)
{
    struct wg_err err = {0};
    json_t *out = NULL;
    T_EQ_INT(wg_address_search(w->db, w->loc, &w->town, "金雀山", 10, &out, &err), WG_OK);
    /* the building and its two houses hold it; none begins with it */
    T_EQ_INT(json_array_size(out), 4);
    json_decref(out);
    T_EQ_INT(wg_address_search(w->db, w->loc, &w->town, "兰山区测试街道东关社区金雀山路18号3号楼",
                               10, &out, &err),
             WG_OK);
    T_EQ_STR(kind_of(out, 0), "building"); /* the shortest of the prefixes */
    json_t *grid = json_object_get(json_array_get(out, 0), "grid");
    T_EQ_STR(json_string_value(json_object_get(grid, "code")), "371302001001001");
    json_decref(out);
    T_EQ_INT(wg_address_search(w->db, w->loc, &w->town, "东关", 10, &out, &err), WG_OK);
    T_EQ_STR(kind_of(out, 0), "village");
    json_t *point = json_object_get(json_array_get(out, 0), "point");
    T_NEAR(json_real_value(json_object_get(point, "lon")), 118.31, 1e-9);
    json_decref(out);
    T_EQ_INT(wg_address_search(w->db, w->loc, &w->town, "东关", 1, &out, &err), WG_OK);
    T_EQ_INT(json_array_size(out), 1);
    json_decref(out);
    /* another town sees none of this town's */
    T_EQ_INT(wg_address_search(w->db, w->loc, &w->other, "金雀山", 10, &out, &err), WG_OK);
    T_EQ_INT(json_array_size(out), 1); /* its own B-1 */
    json_decref(out);
    /* nothing holds it: an empty answer */
    T_EQ_INT(wg_address_search(w->db, w->loc, &w->town, "没有这个地方", 10, &out, &err), WG_OK);
    T_EQ_INT(json_array_size(out), 0);
    json_decref(out);
    T_EQ_INT(wg_address_search(w->db, w->loc, NULL, "", 10, &out, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "'q'") != NULL);
    T_EQ_INT(wg_address_search(w->db, w->loc, NULL, "a", 51, &out, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "'limit'") != NULL);
}

static size_t found(struct world *w, const char *q)
{
    struct wg_err err = {0};
    json_t *out = NULL;
    T_EQ_INT(wg_address_search(w->db, w->loc, NULL, q, 50, &out, &err), WG_OK);
    size_t n = json_array_size(out);
    json_decref(out);
    return n;
}

/* The bigram index follows a building's changes: its old name is no longer found, its new
 * one is; a word of two characters is looked up through it; a word of one character finds
 * what begins with it only. */
static void test_search_index(struct world *w)
{
    struct wg_building_row b;
    struct wg_err err = {0};
    json_t *rename = json_pack("{s:s, s:s}", "name", "翠湖苑8号楼", "address",
                               "兰山区测试街道东关社区翠湖路8号");
    T_EQ_INT(create(w, &w->town,
                    "{\"code\":\"G-1\",\"grid\":\"371302001001001\",\"name\":\"锦绣华庭1号楼\","
                    "\"address\":\"兰山区测试街道东关社区锦绣路1号\",\"floors\":9,"
                    "\"use\":\"residential\"}",
                    &b, &err),
             WG_OK);
    T_EQ_INT(found(w, "锦绣华庭"), 1);
    T_EQ_INT(found(w, "锦绣路1号"), 1);
    T_EQ_INT(found(w, "华庭"), 1); /* two characters: through the index */
    T_EQ_INT(found(w, "翠湖"), 0);
    T_EQ_INT(wg_building_update(w->db, w->loc, &w->town, "G-1", 1, rename, 1790000500, &b, &err),
             WG_OK);
    T_EQ_INT(found(w, "锦绣华庭"), 0);
    T_EQ_INT(found(w, "锦绣路"), 0);
    T_EQ_INT(found(w, "翠湖苑"), 1);
    T_EQ_INT(found(w, "翠湖路8号"), 1);
    T_EQ_INT(found(w, "翠"), 0); /* one character: only what begins with it */
    json_decref(rename);
}

/* A building's new standard address reaches its houses that took theirs from it; a house
 * with an address of its own keeps it. */
static void test_readdress(struct world *w)
{
    struct wg_building_row b;
    struct wg_house_row h1, h2, got;
    struct wg_err err = {0};
    T_EQ_INT(create(w, &w->town,
                    "{\"code\":\"R-1\",\"grid\":\"371302001001001\",\"name\":\"旧楼\","
                    "\"address\":\"兰山区测试街道东关社区老街1号\",\"floors\":5,"
                    "\"use\":\"residential\"}",
                    &b, &err),
             WG_OK);
    T_EQ_INT(house(w, "R-1", "{\"unit\":\"1\",\"floor\":2,\"room\":\"201\",\"use\":\"empty\"}", &h1,
                   &err),
             WG_OK);
    T_EQ_INT(house(w, "R-1",
                   "{\"unit\":\"1\",\"floor\":3,\"room\":\"301\",\"use\":\"empty\","
                   "\"address\":\"兰山区测试街道东关社区菜市场北门商铺\"}",
                   &h2, &err),
             WG_OK);
    json_t *moved = json_pack("{s:s}", "address", "兰山区测试街道东关社区新华路8号");
    T_EQ_INT(wg_building_update(w->db, w->loc, &w->town, "R-1", 1, moved, 1790000600, &b, &err),
             WG_OK);
    json_decref(moved);
    T_EQ_INT(wg_house_get(w->db, &w->town, h1.id, &got, &err), WG_OK);
    T_EQ_STR(got.address, "兰山区测试街道东关社区新华路8号1单元201室");
    T_EQ_INT(got.version, 2);
    T_EQ_INT(wg_house_get(w->db, &w->town, h2.id, &got, &err), WG_OK);
    T_EQ_STR(got.address, "兰山区测试街道东关社区菜市场北门商铺");
    T_EQ_INT(got.version, 1);
    /* the floors' check runs in the write's transaction: below a house is refused */
    json_t *low = json_pack("{s:i}", "floors", 2);
    T_EQ_INT(wg_building_update(w->db, w->loc, &w->town, "R-1", 2, low, 1790000700, &b, &err),
             WG_EINVAL);
    T_CHECK(strstr(err.msg, "'floors'") != NULL);
    json_decref(low);
    T_CHECK(!wg_db_in_tx(w->db));
}

/* A store from before migration 37: its buildings are indexed when it opens. */
static void test_search_before_migration_37(struct world *w)
{
    char msg[256];
    size_t before = found(w, "金雀山");
    T_CHECK(before >= 4);
    wg_locator_release(w->loc);
    wg_store_put(w->db);
    wg_store_close(w->st); /* kept, to be opened again */
    T_EQ_INT(t_store_sql(t_store_dir,
                         "DROP TABLE place_gram; DELETE FROM schema_version WHERE version = 37;",
                         msg, sizeof msg),
             0);
    struct wg_err err = {0};
    T_EQ_INT(wg_store_open(t_store_where(t_store_dir, 0), 0, &w->st, &err), WG_OK);
    T_EQ_INT(wg_store_get(w->st, &w->db, &err), WG_OK);
    T_EQ_INT(wg_locator_build(w->db, &w->loc, &err), WG_OK);
    T_EQ_INT(found(w, "翠湖苑"), 1);
    T_EQ_INT(found(w, "金雀山"), before);
    T_CHECK(t_store_one(t_store_dir, "SELECT COUNT(*) FROM place_gram") > 20);
}

int main(void)
{
    struct world w;
    open_world(&w);
    test_buildings(&w);
    test_houses(&w);
    test_search(&w);
    test_search_index(&w);
    test_readdress(&w);
    test_search_before_migration_37(&w);
    close_world(&w);
    return T_DONE("places");
}
