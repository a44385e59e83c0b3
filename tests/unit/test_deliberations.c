/* Deliberations (domain/partake/deliberation.h) on a real store on every backend: every bad
 * body refused naming its field (a new one's and each step's, a field another step takes
 * included); a deliberation opened from records in scope only; the stages in order with
 * each out-of-order step and each stale version refused (WG_ECONFLICT naming the state) and
 * nothing written; the quorum rule at its edge (half the attendees is not enough); the task
 * on the working calendar; the public board by the notice's dates and place; the lists. */
#include "t.h"

#include "core/civil.h"
#include "domain/map/region.h"
#include "domain/partake/deliberation.h"
#include "domain/registry/party.h"
#include "store/catalog/catalog_q.h"
#include "t_grid.h"
#include "t_order.h"
#include "t_store.h"

#define GRID    "371302001001001"
#define VILLAGE "371302001001"
#define TOWN    "371302001"

static struct t_order to;
static struct wg_delib_env env;
static long long now;
static char today[11], later[11], past[11];

static json_t *body_of(const char *text)
{
    json_t *j = json_loads(text, 0, NULL);
    T_CHECK(j != NULL);
    return j;
}

static void bodies(void)
{
    static const struct {
        const char *json, *field;
    } bad[] = {
        {"{\"place\":\"371302001001\",\"origin\":[{\"kind\":\"order\",\"id\":1}]}", "'topic'"},
        {"{\"topic\":\"t\",\"place\":\"37130x\",\"origin\":[{\"kind\":\"order\",\"id\":1}]}",
         "'place'"},
        {"{\"topic\":\"t\",\"place\":\"371302001001\",\"origin\":[]}", "'origin'"},
        {"{\"topic\":\"t\",\"place\":\"371302001001\",\"origin\":[{\"kind\":\"x\",\"id\":1}]}",
         "'origin[0]'"},
        {"{\"topic\":\"t\",\"place\":\"371302001001\",\"origin\":[{\"kind\":\"order\"}]}",
         "'origin[0].id'"},
        {"{\"topic\":\"t\",\"place\":\"371302001001\",\"origin\":[{\"kind\":\"order\",\"id\":1},"
         "{\"kind\":\"order\",\"id\":1}]}",
         "'origin[1]'"},
        {"{\"topic\":\"t\",\"place\":\"371302001001\",\"origin\":[{\"kind\":\"order\",\"id\":1}],"
         "\"when\":1}",
         "'when'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *b = body_of(bad[i].json);
        struct wg_err err = {0};
        const char *topic, *place;
        T_EQ_INT(wg_delib_read(b, &topic, &place, &err), WG_EINVAL);
        T_CHECK(strstr(err.msg, bad[i].field) != NULL);
        json_decref(b);
    }
    char steps[12][320];
    const char *fields[12] = {"'step'",      "'date'",
                              "'opinion'",   "'text'",
                              "'attendees'", "'for', 'against', 'abstain'",
                              "'units[0]'",  "'lead_unit', 'lead_person'",
                              "'deadline'",  "'until'",
                              "'report'",    "'party_org'"};
    snprintf(steps[0], 320, "{\"step\":\"vote\"}");
    snprintf(steps[1], 320,
             "{\"step\":\"branch\",\"date\":\"%s\",\"party_org\":1,\"attendees\":5,"
             "\"opinion\":\"同意\"}",
             later);
    snprintf(steps[2], 320, "{\"step\":\"branch\",\"date\":\"%s\",\"party_org\":1,\"attendees\":5}",
             today);
    snprintf(steps[3], 320,
             "{\"step\":\"branch\",\"date\":\"%s\",\"party_org\":1,\"attendees\":5,"
             "\"opinion\":\"同意\",\"text\":\"x\"}",
             today);
    snprintf(steps[4], 320,
             "{\"step\":\"council\",\"date\":\"%s\",\"attendees\":0,\"for\":0,\"against\":0,"
             "\"abstain\":0}",
             today);
    snprintf(steps[5], 320,
             "{\"step\":\"council\",\"date\":\"%s\",\"attendees\":10,\"for\":6,\"against\":4,"
             "\"abstain\":1}",
             today);
    snprintf(steps[6], 320,
             "{\"step\":\"council\",\"date\":\"%s\",\"attendees\":10,\"for\":6,\"against\":4,"
             "\"abstain\":0,\"units\":[1]}",
             today);
    snprintf(steps[7], 320, "{\"step\":\"task\",\"what\":\"x\",\"deadline\":\"%s\"}", later);
    snprintf(steps[8], 320,
             "{\"step\":\"task\",\"what\":\"x\",\"lead_unit\":\"wy\",\"deadline\":\"%s\"}", past);
    snprintf(steps[9], 320,
             "{\"step\":\"notice\",\"text\":\"公示\",\"from\":\"%s\",\"until\":\"%s\"}", later,
             today);
    snprintf(steps[10], 320, "{\"step\":\"task_done\"}");
    snprintf(steps[11], 320,
             "{\"step\":\"branch\",\"date\":\"%s\",\"party_org\":0,\"attendees\":5,"
             "\"opinion\":\"同意\"}",
             today);
    for (size_t i = 0; i < 12; i++) {
        json_t *b = body_of(steps[i]);
        struct wg_err err = {0};
        const char *name;
        T_EQ_INT(wg_delib_step_read(b, now, &name, &err), WG_EINVAL);
        if (!strstr(err.msg, fields[i]))
            fprintf(stderr, "step %zu: %s\n", i, err.msg);
        T_CHECK(strstr(err.msg, fields[i]) != NULL);
        json_decref(b);
    }
}

static json_t *step(struct wg_db *db, const struct wg_actor *a, long long id, long long version,
                    const char *body, enum wg_rc want, const char *word)
{
    struct wg_err err = {0};
    json_t *b = body_of(body), *v = NULL;
    long long ver;
    enum wg_rc rc = wg_delib_step(db, &env, a, id, version, b, now, &err);
    if (rc != want)
        fprintf(stderr, "%s: %s\n", body, err.msg);
    T_EQ_INT(rc, want);
    if (word)
        T_CHECK(strstr(err.msg, word) != NULL);
    json_decref(b);
    if (!rc)
        T_EQ_INT(wg_delib_view(db, a, id, &v, &ver, &err), WG_OK);
    return v;
}

static const char *state_of(json_t *v)
{
    return json_string_value(json_object_get(v, "state"));
}

static long long open_one(struct wg_db *db, const struct wg_actor *a, long long order,
                          enum wg_rc want)
{
    char text[256];
    struct wg_err err = {0};
    long long id = 0;
    snprintf(text, sizeof text,
             "{\"topic\":\"小区停车难\",\"place\":\"" VILLAGE
             "\",\"origin\":[{\"kind\":\"order\",\"id\":%lld}]}",
             order);
    json_t *b = body_of(text);
    T_EQ_INT(wg_delib_create(db, &env, a, b, now, &id, &err), want);
    json_decref(b);
    return id;
}

/* The place's regions and grid, the property company, an order and a community's party
 * committee. */
static void setup(struct wg_db *db, const struct wg_actor *cw, long long *order,
                  struct wg_party_org_row *org)
{
    struct wg_err err = {0};
    struct wg_unit_row u = {"wy", "东关物业服务有限公司", "department"};
    t_add_region(db, "371302", "兰山区", "county");
    t_add_region(db, TOWN, "兰山街道", "town");
    t_add_region(db, VILLAGE, "东关社区", "village");
    t_add_grid(db, GRID);
    T_EQ_INT(wg_store_unit_insert(db, &u, &err), WG_OK);
    struct wg_order_input in;
    t_order_input(&in, "停车难", "车辆乱停");
    in.item = "06028";
    T_EQ_INT(wg_order_create(db, &to.env, NULL, cw, &in, now, order, &err), WG_OK);
    memset(org, 0, sizeof *org);
    json_t *ob =
        body_of("{\"name\":\"东关社区党委\",\"kind\":\"committee\",\"region\":\"" VILLAGE "\"}");
    T_EQ_INT(wg_party_org_apply(org, ob, &err), WG_OK);
    T_EQ_INT(wg_party_org_save(db, NULL, org, 0, now, &err), WG_OK);
    json_decref(ob);
}

static void walk(struct wg_db *db)
{
    struct wg_actor cw, west;
    struct wg_err err = {0};
    struct wg_party_org_row org;
    long long order = 0;
    char text[512];
    t_actor(&cw, "cw", "community", "region", "371302");
    t_actor(&west, "west", "community", "region", "371302002");
    setup(db, &cw, &order, &org);

    open_one(db, &west, order, WG_EINVAL); /* the place and the order outside */
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM deliberation"), 0);
    long long id = open_one(db, &cw, order, WG_OK);
    json_t *v = NULL;
    long long version;
    T_EQ_INT(wg_delib_view(db, &west, id, &v, &version, &err), WG_ENOTFOUND);

    char council[256];
    snprintf(council, sizeof council,
             "{\"step\":\"council\",\"date\":\"%s\",\"attendees\":20,\"property_company\":\"wy\","
             "\"for\":10,\"against\":6,\"abstain\":4}",
             today);
    step(db, &cw, id, 1, council, WG_ECONFLICT, "proposed");
    snprintf(text, sizeof text,
             "{\"step\":\"branch\",\"date\":\"%s\",\"party_org\":%lld,\"attendees\":7,"
             "\"opinion\":\"同意提交议事会\"}",
             today, org.id);
    json_decref(step(db, &west, id, 1, text, WG_ENOTFOUND, NULL));
    v = step(db, &cw, id, 1, text, WG_OK, NULL);
    T_EQ_STR(state_of(v), "discussed");
    json_decref(v);
    step(db, &cw, id, 1, council, WG_ECONFLICT, "version");
    v = step(db, &cw, id, 2, council, WG_OK, NULL);
    T_EQ_STR(state_of(v), "voted");
    json_decref(v);
    /* ten of twenty is half, not more than half: rejected */
    v = step(db, &cw, id, 3, "{\"step\":\"resolution\",\"text\":\"改建停车位\"}", WG_OK, NULL);
    T_EQ_STR(state_of(v), "rejected");
    T_CHECK(json_is_false(json_object_get(json_object_get(v, "resolution"), "passed")));
    json_decref(v);
    snprintf(text, sizeof text,
             "{\"step\":\"task\",\"what\":\"施划车位\",\"lead_unit\":\"wy\",\"deadline\":\"%s\"}",
             later);
    step(db, &cw, id, 4, text, WG_ECONFLICT, "rejected");
    json_decref(step(db, &cw, id, 4, "{\"step\":\"close\"}", WG_OK, NULL));

    /* eleven of twenty: resolved, then the task, its report, the notice */
    long long two = open_one(db, &cw, order, WG_OK);
    snprintf(text, sizeof text,
             "{\"step\":\"branch\",\"date\":\"%s\",\"party_org\":%lld,\"attendees\":7,"
             "\"opinion\":\"同意\"}",
             today, org.id);
    json_decref(step(db, &cw, two, 1, text, WG_OK, NULL));
    snprintf(council, sizeof council,
             "{\"step\":\"council\",\"date\":\"%s\",\"attendees\":20,\"for\":11,\"against\":9,"
             "\"abstain\":0,\"units\":[\"nobody\"]}",
             today);
    step(db, &cw, two, 2, council, WG_EINVAL, "'units[0]'");
    snprintf(council, sizeof council,
             "{\"step\":\"council\",\"date\":\"%s\",\"attendees\":20,\"for\":11,\"against\":9,"
             "\"abstain\":0,\"units\":[\"wy\"]}",
             today);
    json_decref(step(db, &cw, two, 2, council, WG_OK, NULL));
    v = step(db, &cw, two, 3, "{\"step\":\"resolution\",\"text\":\"改建\"}", WG_OK, NULL);
    T_EQ_STR(state_of(v), "resolved");
    json_decref(v);
    snprintf(text, sizeof text,
             "{\"step\":\"notice\",\"text\":\"公示\",\"from\":\"%s\","
             "\"until\":\"%s\"}",
             today, later);
    step(db, &cw, two, 4, text, WG_ECONFLICT, "resolved");
    char task[256];
    snprintf(task, sizeof task,
             "{\"step\":\"task\",\"what\":\"施划车位\",\"lead_person\":999,\"deadline\":\"%s\"}",
             later);
    step(db, &cw, two, 4, task, WG_EINVAL, "'lead_person'");
    snprintf(task, sizeof task,
             "{\"step\":\"task\",\"what\":\"施划车位\",\"lead_unit\":\"wy\",\"deadline\":\"%s\"}",
             later);
    v = step(db, &cw, two, 4, task, WG_OK, NULL);
    T_CHECK(json_integer_value(json_object_get(json_object_get(v, "task"), "due_at")) > now);
    json_decref(v);
    json_decref(
        step(db, &cw, two, 5, "{\"step\":\"task_done\",\"report\":\"已完成\"}", WG_OK, NULL));
    /* the board: nothing before the notice; then by the grid, the village, not elsewhere */
    T_EQ_INT(wg_delib_notices(db, GRID, NULL, now, &v, &err), WG_OK);
    T_EQ_INT(json_array_size(json_object_get(v, "notices")), 0);
    json_decref(v);
    json_decref(step(db, &cw, two, 6, text, WG_OK, NULL));
    T_EQ_INT(wg_delib_notices(db, GRID, NULL, now, &v, &err), WG_OK);
    T_EQ_INT(json_array_size(json_object_get(v, "notices")), 1);
    json_decref(v);
    T_EQ_INT(wg_delib_notices(db, NULL, "371302002001", now, &v, &err), WG_OK);
    T_EQ_INT(json_array_size(json_object_get(v, "notices")), 0);
    json_decref(v);
    T_EQ_INT(wg_delib_notices(db, NULL, NULL, now + 400 * 86400LL, &v, &err), WG_OK);
    T_EQ_INT(json_array_size(json_object_get(v, "notices")), 0); /* past its until */
    json_decref(v);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT COUNT(*) FROM deliberation_event"), 12);

    /* the lists */
    long long item = 0;
    json_t *b = body_of("{\"community\":\"" VILLAGE "\",\"kind\":\"needs\",\"title\":\"停车位\"}");
    T_EQ_INT(wg_partake_item_add(db, &cw, b, now, &item, &err), WG_OK);
    T_EQ_INT(wg_partake_item_add(db, &west, b, now, &item, &err), WG_EINVAL);
    json_decref(b);
    T_EQ_INT(wg_partake_items(db, &cw, VILLAGE, NULL, &v, &err), WG_OK);
    T_EQ_INT(json_array_size(json_object_get(v, "needs")), 1);
    json_decref(v);
    T_EQ_INT(wg_partake_items(db, &cw, NULL, "wants", &v, &err), WG_EINVAL);
}

int main(void)
{
    struct wg_err err = {0};
    struct wg_db *db = NULL;
    now = (long long)time(NULL);
    wg_civil_format_date(wg_cst_day(now), today);
    wg_civil_format_date(wg_cst_day(now) + 30, later);
    wg_civil_format_date(wg_cst_day(now) - 30, past);
    bodies();
    struct wg_store *st = t_store_open("deliberations");
    t_order_open(&to, t_store_dir, 1);
    env = (struct wg_delib_env){to.keys, to.cal};
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    walk(db);
    wg_store_put(db);
    t_order_close(&to);
    t_store_close(st);
    return T_DONE("deliberations");
}
