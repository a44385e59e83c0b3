/* The grid workers' visits and patrols (domain/registry/visit.h, patrol.h): the cadence's due
 * day on the 2026 working calendar across National Day, Spring Festival and their make-up
 * Saturdays; then, on a real store on every backend, visits sealed at rest and recorded once
 * per client key, the due list, reminders sent once per overdue visit, a patrol's track
 * sealed, purged after its retention with the summary kept, and a grid's coverage. */
#include "t.h"

#include <stdlib.h>

#include "domain/accounts/pii_keys.h"
#include "domain/notify/notify.h"
#include "domain/registry/patrol.h"
#include "domain/registry/visit.h"
#include "store/accounts/accounts_q.h"
#include "store/map/map_q.h"
#include "t_grid.h"
#include "t_store.h"

/* chinese-days' 2026 as the State Council published it */
static const char *const Y2026 =
    "{\"holidays\": {\"2026-01-01\": \"\", \"2026-01-02\": \"\", \"2026-01-03\": \"\","
    " \"2026-02-15\": \"\", \"2026-02-16\": \"\", \"2026-02-17\": \"\", \"2026-02-18\": \"\","
    " \"2026-02-19\": \"\", \"2026-02-20\": \"\", \"2026-02-21\": \"\", \"2026-02-22\": \"\","
    " \"2026-02-23\": \"\", \"2026-04-04\": \"\", \"2026-04-05\": \"\", \"2026-04-06\": \"\","
    " \"2026-05-01\": \"\", \"2026-05-02\": \"\", \"2026-05-03\": \"\", \"2026-05-04\": \"\","
    " \"2026-05-05\": \"\", \"2026-06-19\": \"\", \"2026-06-20\": \"\", \"2026-06-21\": \"\","
    " \"2026-09-25\": \"\", \"2026-09-26\": \"\", \"2026-09-27\": \"\", \"2026-10-01\": \"\","
    " \"2026-10-02\": \"\", \"2026-10-03\": \"\", \"2026-10-04\": \"\", \"2026-10-05\": \"\","
    " \"2026-10-06\": \"\", \"2026-10-07\": \"\"},"
    " \"workdays\": {\"2026-01-04\": \"\", \"2026-02-14\": \"\", \"2026-02-28\": \"\","
    " \"2026-05-09\": \"\", \"2026-09-20\": \"\", \"2026-10-10\": \"\"}}";

#define GRID "371302001001001"
#define WEST "371302001002001"
#define NOW  1796000000LL /* 2026-11-30 in China */

/* y-m-d at hh:00 China time */
static long long at(int y, int m, int d, int hh)
{
    return wg_cst_midnight(wg_civil_days(y, m, d)) + hh * 3600LL;
}

static void date_of(int day, char out[11])
{
    wg_civil_format_date(day, out);
}

static void test_cadence(const struct wg_calendar *cal)
{
    struct wg_cadence c;
    struct wg_err err = {0};
    struct wg_person p = {0};
    struct wg_due d;
    char day[11];
    wg_cadence_defaults(&c);
    snprintf(p.grid, sizeof p.grid, GRID);
    p.mental_risk = -1;
    p.created_at = p.updated_at = at(2026, 1, 5, 9);
    static const struct {
        unsigned care, special;
        int risk;
        int last[3];     /* y, m, d of the last visit (at 10:00) */
        const char *due; /* the due day */
        int days;
    } cases[] = {
        /* community correction: weekly; a due day on a working Wednesday stays */
        {0, WG_SPECIAL_CORRECTION, -1, {2026, 9, 23}, "2026-09-30", 7},
        /* …on National Day moves past the holiday week to Thursday 8 October */
        {0, WG_SPECIAL_CORRECTION, -1, {2026, 9, 24}, "2026-10-08", 7},
        /* …on the make-up Saturday after it stays: it is a working day */
        {0, WG_SPECIAL_DRUG, -1, {2026, 10, 3}, "2026-10-10", 7},
        /* a plain Saturday moves to Monday */
        {0, WG_SPECIAL_DRUG, -1, {2026, 10, 24}, "2026-11-02", 7},
        /* Spring Festival: its make-up Saturday before (14 Feb) works, the nine days rest,
         * the make-up Saturday after (28 Feb) works */
        {0, WG_SPECIAL_CORRECTION, -1, {2026, 2, 7}, "2026-02-14", 7},
        {0, WG_SPECIAL_CORRECTION, -1, {2026, 2, 9}, "2026-02-24", 7},
        {0, WG_SPECIAL_CORRECTION, -1, {2026, 2, 21}, "2026-02-28", 7},
        /* a serious mental disorder: weekly from risk level 3, monthly below */
        {0, WG_SPECIAL_MENTAL, 3, {2026, 3, 2}, "2026-03-09", 7},
        {0, WG_SPECIAL_MENTAL, 2, {2026, 3, 2}, "2026-04-01", 30},
        /* key: monthly; care groups: quarterly, and 90 days from 3 July is 1 October */
        {0, WG_SPECIAL_RELEASED, -1, {2026, 8, 31}, "2026-09-30", 30},
        {WG_CARE_HARDSHIP, 0, -1, {2026, 7, 3}, "2026-10-08", 90},
        /* the shortest cadence of a person's groups */
        {WG_CARE_HARDSHIP, WG_SPECIAL_RELEASED, -1, {2026, 8, 31}, "2026-09-30", 30},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        p.care = cases[i].care;
        p.special = cases[i].special;
        p.mental_risk = cases[i].risk;
        long long last = at(cases[i].last[0], cases[i].last[1], cases[i].last[2], 10);
        T_EQ_INT(wg_cadence_due(&c, cal, &p, last, last, &d), 1);
        date_of(d.due_day, day);
        T_EQ_STR(day, cases[i].due);
        T_EQ_INT(d.days, cases[i].days);
        T_EQ_INT(d.overdue, 0);
        T_EQ_INT(d.change, 0);
    }
    /* overdue working days: due Thursday 8 October, on Monday 12 October Friday, the make-up
     * Saturday and Monday are past (Sunday rests) */
    p.care = 0;
    p.special = WG_SPECIAL_CORRECTION;
    T_EQ_INT(wg_cadence_due(&c, cal, &p, at(2026, 9, 24, 10), at(2026, 10, 12, 10), &d), 1);
    T_EQ_INT(d.overdue, 1);
    T_EQ_INT(d.overdue_days, 3);
    /* due 30 September, on 9 October: the holiday week counts none, 8 and 9 October two */
    T_EQ_INT(wg_cadence_due(&c, cal, &p, at(2026, 9, 23, 10), at(2026, 10, 9, 10), &d), 1);
    T_EQ_INT(d.overdue_days, 2);
    /* on the due day itself it is not overdue yet */
    T_EQ_INT(wg_cadence_due(&c, cal, &p, at(2026, 9, 23, 10), at(2026, 9, 30, 23), &d), 1);
    T_EQ_INT(d.overdue, 0);
    /* a change to a high-risk person's record after their visit: due within 24 hours */
    p.updated_at = at(2026, 9, 25, 10);
    T_EQ_INT(wg_cadence_due(&c, cal, &p, at(2026, 9, 23, 10), at(2026, 9, 26, 11), &d), 1);
    T_EQ_INT(d.change, 1);
    T_EQ_INT(d.due_at, at(2026, 9, 26, 10));
    T_EQ_INT(d.overdue, 1);
    T_EQ_INT(d.overdue_days, 0); /* Saturday 26 September is a holiday */
    /* …but not for a key person */
    p.special = WG_SPECIAL_RELEASED;
    T_EQ_INT(wg_cadence_due(&c, cal, &p, at(2026, 9, 23, 10), at(2026, 9, 26, 11), &d), 1);
    T_EQ_INT(d.change, 0);
    p.updated_at = p.created_at;
    /* people living alone: quarterly, daily where the region chose it — the next working
     * day, a make-up Sunday or Saturday included */
    p.special = 0;
    p.care = WG_CARE_ALONE;
    T_EQ_INT(wg_cadence_due(&c, cal, &p, at(2026, 9, 19, 10), at(2026, 9, 19, 10), &d), 1);
    T_EQ_INT(d.days, 90);
    T_EQ_INT(wg_cadence_set_daily(&c, "371302001", &err), WG_OK);
    T_EQ_INT(wg_cadence_due(&c, cal, &p, at(2026, 9, 19, 10), at(2026, 9, 19, 10), &d), 1);
    date_of(d.due_day, day);
    T_EQ_STR(day, "2026-09-20");
    T_EQ_INT(wg_cadence_due(&c, cal, &p, at(2026, 10, 9, 10), at(2026, 10, 9, 10), &d), 1);
    date_of(d.due_day, day);
    T_EQ_STR(day, "2026-10-10");
    T_EQ_INT(wg_cadence_due(&c, cal, &p, at(2026, 2, 13, 10), at(2026, 2, 13, 10), &d), 1);
    date_of(d.due_day, day);
    T_EQ_STR(day, "2026-02-14");
    T_EQ_INT(wg_cadence_due(&c, cal, &p, at(2026, 2, 14, 10), at(2026, 2, 14, 10), &d), 1);
    date_of(d.due_day, day);
    T_EQ_STR(day, "2026-02-24");
    snprintf(p.grid, sizeof p.grid, "371311001001001"); /* another county visits quarterly */
    T_EQ_INT(wg_cadence_due(&c, cal, &p, at(2026, 2, 14, 10), at(2026, 2, 14, 10), &d), 1);
    T_EQ_INT(d.days, 90);
    /* never visited: from the day the person was recorded; in no group: no cadence */
    snprintf(p.grid, sizeof p.grid, GRID);
    T_EQ_INT(wg_cadence_due(&c, cal, &p, 0, at(2026, 1, 5, 12), &d), 1);
    date_of(d.due_day, day);
    T_EQ_STR(day, "2026-01-06");
    p.care = 0;
    T_EQ_INT(wg_cadence_due(&c, cal, &p, 0, NOW, &d), 0);
    /* the settings: named groups, days in range; unchanged on error */
    T_EQ_INT(wg_cadence_set(&c, "hardship=60,released=14", &err), WG_OK);
    T_EQ_INT(c.days[6], 60);
    T_EQ_INT(wg_cadence_set(&c, "hardship=30,rich=7", &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "rich") != NULL);
    T_EQ_INT(c.days[6], 60);
    T_EQ_INT(wg_cadence_set(&c, "drug=999", &err), WG_EINVAL);
    T_EQ_INT(wg_cadence_set(&c, "drug", &err), WG_EINVAL);
    T_EQ_INT(wg_cadence_set_daily(&c, "3713x", &err), WG_EINVAL);
}

static void add_worker(struct wg_db *db, const char *name, const char *scope)
{
    struct wg_err err = {0};
    struct wg_account_row a = {0};
    snprintf(a.username, sizeof a.username, "%s", name);
    snprintf(a.role, sizeof a.role, "gridworker");
    snprintf(a.scope_kind, sizeof a.scope_kind, "region");
    snprintf(a.scope, sizeof a.scope, "%s", scope);
    snprintf(a.password_hash, sizeof a.password_hash, "x");
    T_EQ_INT(wg_store_account_insert(db, &a, &err), WG_OK);
}

/* A made-up resident ID with its check character. */
static void make_id(int seq, char out[19])
{
    snprintf(out, 19, "37130219500101%03d", seq);
    t_id_check(out);
}

static long long add_person(struct wg_db *db, struct wg_pii_keys *keys, int seq, const char *grid,
                            const char *care, long long now)
{
    struct wg_err err = {0};
    struct wg_person p = {0};
    struct wg_scope all = {"region", ""};
    char id[19];
    make_id(seq, id);
    json_t *b = json_pack("{s:s,s:s,s:s,s:s,s:[s]}", "id_number", id, "name", "赵老汉", "residence",
                          "registered", "grid", grid, "care", care);
    T_EQ_INT(wg_person_apply(&p, b, 0, now, &err), WG_OK);
    T_EQ_INT(wg_person_create(db, keys, &all, &p, now, &err), WG_OK);
    json_decref(b);
    long long pid = p.id;
    wg_person_release(&p);
    return pid;
}

struct raw {
    int rows, clear;
    const char *secret;
};

static int scan(const struct wg_sealed_row *r, void *ctx)
{
    struct raw *s = ctx;
    s->rows++;
    for (int i = 0; i < WG_SEALED_MAX && r->v[i]; i++)
        s->clear += strstr(r->v[i], s->secret) != NULL;
    return 0;
}

static int count_notes(struct wg_db *db, const char *user)
{
    struct wg_err err = {0};
    struct wg_actor a = {0};
    json_t *out = NULL;
    snprintf(a.username, sizeof a.username, "%s", user);
    a.role = WG_ROLE_GRIDWORKER;
    snprintf(a.scope.kind, sizeof a.scope.kind, "region");
    T_EQ_INT(wg_notify_list(db, &a, 0, 50, 0, &out, &err), WG_OK);
    json_t *list = json_object_get(out, "notifications");
    int n = (int)json_array_size(list);
    if (n)
        T_EQ_STR(json_string_value(json_object_get(json_array_get(list, 0), "kind")), "visit_due");
    json_decref(out);
    return n;
}

static void test_visits(struct wg_db *db, struct wg_pii_keys *keys, const struct wg_calendar *cal)
{
    struct wg_err err = {0};
    struct wg_actor gw = {.role = WG_ROLE_GRIDWORKER}, west = {.role = WG_ROLE_GRIDWORKER};
    struct wg_visit v, back;
    struct wg_cadence cad;
    json_t *order = NULL, *out = NULL;
    const char *secret = "老人说儿子在外打工三年未归";
    snprintf(gw.username, sizeof gw.username, "gw");
    snprintf(gw.scope.kind, sizeof gw.scope.kind, "region");
    snprintf(gw.scope.code, sizeof gw.scope.code, GRID);
    west = gw;
    snprintf(west.username, sizeof west.username, "west");
    snprintf(west.scope.code, sizeof west.scope.code, WEST);
    t_add_grid(db, GRID);
    t_add_grid(db, WEST);
    add_worker(db, "gw", GRID);
    add_worker(db, "west", WEST);
    long long created = NOW - 200 * 86400LL;
    long long pid = add_person(db, keys, 1, GRID, "hardship", created);

    /* recorded, sealed at rest, opened to what was said */
    json_t *b = json_pack("{s:{s:s,s:I},s:s,s:s,s:s,s:s}", "subject", "kind", "person", "id",
                          (json_int_t)pid, "method", "door", "content", secret, "findings", "",
                          "client_key", "phone-key-0001");
    T_EQ_INT(wg_visit_parse(&v, b, NOW, &order, &err), WG_OK);
    T_CHECK(order == NULL);
    T_EQ_INT(wg_visit_check(db, &west, &v, &err), WG_EINVAL); /* not in west's scope */
    T_CHECK(strstr(err.msg, "'subject'") != NULL);
    T_EQ_INT(wg_visit_check(db, &gw, &v, &err), WG_OK);
    T_EQ_STR(v.grid, GRID);
    T_EQ_STR(v.worker, "gw");
    v.visited_at = NOW - 100 * 86400LL;
    T_EQ_INT(wg_db_begin(db, &err), WG_OK);
    T_EQ_INT(wg_visit_insert(db, keys, &v, NOW, &err), WG_OK);
    T_EQ_INT(wg_db_commit(db, &err), WG_OK);
    T_EQ_INT(v.id, 1);
    /* the same client key again: the visit it made, never a second */
    T_EQ_INT(wg_db_begin(db, &err), WG_OK);
    T_EQ_INT(wg_visit_insert(db, keys, &v, NOW, &err), WG_ECONFLICT);
    T_CHECK(strstr(err.msg, "visit 1") != NULL);
    wg_db_rollback(db);
    long long same = 0;
    T_EQ_INT(wg_visit_by_client(db, "gw", "phone-key-0001", &same, &err), WG_OK);
    T_EQ_INT(same, 1);
    wg_visit_release(&v);
    json_decref(b);
    T_EQ_INT(wg_visit_load(db, keys, &gw.scope, 1, &back, &err), WG_OK);
    T_EQ_STR(back.content, secret);
    T_EQ_STR(back.findings, "");
    /* in clear to its worker; withheld from anyone else in scope, who reveals it */
    json_t *j = wg_visit_json(&back, "gw");
    T_EQ_STR(json_string_value(json_object_get(j, "content")), secret);
    json_decref(j);
    j = wg_visit_json(&back, "leader");
    T_CHECK(json_is_null(json_object_get(j, "content")));
    T_CHECK(json_is_true(json_object_get(j, "withheld")));
    json_decref(j);
    wg_visit_release(&back);
    T_EQ_INT(wg_visit_load(db, keys, &west.scope, 1, &back, &err), WG_ENOTFOUND);
    struct raw r = {0, 0, secret};
    T_EQ_INT(wg_store_sealed_page(db, WG_SEALED_VISITS, 0, 10, scan, &r, &err), WG_OK);
    T_EQ_INT(r.rows, 1);
    T_EQ_INT(r.clear, 0);
    struct wg_visit_query q = {.grid = GRID};
    T_EQ_INT(wg_visit_list(db, keys, &gw.scope, &q, &out, &err), WG_OK);
    T_EQ_INT(json_array_size(json_object_get(out, "visits")), 1);
    json_decref(out);

    /* due: the hardship family visited 100 days ago is overdue; reminded once, to the grid's
     * worker; a visit today ends it */
    wg_cadence_defaults(&cad);
    struct wg_due_query dq = {.grid = GRID, .status = "overdue"};
    T_EQ_INT(wg_visit_due_list(db, keys, cal, &cad, &gw.scope, &dq, 0, NOW, &out, &err), WG_OK);
    json_t *due = json_array_get(json_object_get(out, "due"), 0);
    T_EQ_INT(json_array_size(json_object_get(out, "due")), 1);
    T_CHECK(json_is_true(json_object_get(due, "overdue")));
    T_CHECK(json_integer_value(json_object_get(due, "overdue_days")) > 0);
    json_decref(out);
    int reminded = 0;
    T_EQ_INT(wg_visit_remind(db, NULL, keys, cal, &cad, NOW, &reminded, &err), WG_OK);
    T_EQ_INT(reminded, 1);
    T_EQ_INT(count_notes(db, "gw"), 1);
    T_EQ_INT(count_notes(db, "west"), 0);
    T_EQ_INT(wg_visit_remind(db, NULL, keys, cal, &cad, NOW + 60, &reminded, &err), WG_OK);
    T_EQ_INT(reminded, 0);
    T_EQ_INT(count_notes(db, "gw"), 1);

    /* a special population's cadence shows only with the grant */
    long long drug = add_person(db, keys, 2, GRID, "disabled", created);
    struct wg_person dp;
    struct wg_scope all = {"region", ""};
    T_EQ_INT(wg_person_load(db, keys, &all, drug, &dp, &err), WG_OK);
    dp.special = WG_SPECIAL_DRUG;
    T_EQ_INT(wg_person_update(db, keys, &all, &dp, created, &err), WG_OK);
    wg_person_release(&dp);
    dq.status = "all";
    T_EQ_INT(wg_visit_due_list(db, keys, cal, &cad, &gw.scope, &dq, 0, NOW, &out, &err), WG_OK);
    due = json_array_get(json_object_get(out, "due"), 1);
    T_CHECK(json_is_null(json_object_get(due, "group")));
    T_CHECK(json_is_null(json_object_get(due, "cadence_days")));
    json_decref(out);
    T_EQ_INT(wg_visit_due_list(db, keys, cal, &cad, &gw.scope, &dq, 1, NOW, &out, &err), WG_OK);
    due = json_array_get(json_object_get(out, "due"), 1);
    T_EQ_STR(json_string_value(json_object_get(due, "group")), "drug");
    json_decref(out);
}

static int batch_count(const char *batch, const char *sealed, long long n, long long when,
                       void *ctx)
{
    (void)batch, (void)n, (void)when;
    *(int *)ctx += !strstr(sealed, "118.305");
    return 0;
}

static void test_patrols(struct wg_db *db, struct wg_pii_keys *keys)
{
    struct wg_err err = {0};
    struct wg_actor gw = {.role = WG_ROLE_GRIDWORKER};
    struct wg_patrol p, back;
    struct wg_patrol_config cfg;
    int existed = 0, added = 0, sealed = 0;
    long n = 0;
    json_t *out = NULL;
    long long now = (long long)time(NULL);
    snprintf(gw.username, sizeof gw.username, "gw");
    snprintf(gw.scope.kind, sizeof gw.scope.kind, "region");
    snprintf(gw.scope.code, sizeof gw.scope.code, GRID);
    wg_patrol_config_defaults(&cfg);
    json_t *b =
        json_pack("{s:s,s:I}", "client_key", "patrol-1", "started_at", (json_int_t)(now - 600));
    T_EQ_INT(wg_patrol_start(db, keys, &gw, b, now, &p, &existed, &err), WG_OK);
    T_EQ_INT(existed, 0);
    T_EQ_STR(p.grid, GRID); /* the worker's own grid */
    wg_patrol_release(&p);
    T_EQ_INT(wg_patrol_start(db, keys, &gw, b, now, &p, &existed, &err), WG_OK);
    T_EQ_INT(existed, 1);
    json_decref(b);
    b = json_pack("{s:s,s:[[f,f,I],[f,f,I]]}", "batch", "b1", "points", 118.305, 35.005,
                  (json_int_t)(now - 500), 118.306, 35.005, (json_int_t)(now - 400));
    T_EQ_INT(wg_patrol_points(db, keys, &gw, p.id, b, now, &added, &err), WG_OK);
    T_EQ_INT(added, 1);
    T_EQ_INT(wg_patrol_points(db, keys, &gw, p.id, b, now, &added, &err), WG_OK);
    T_EQ_INT(added, 0);
    json_decref(b);
    T_EQ_INT(wg_store_patrol_track(db, p.id, batch_count, &sealed, &err), WG_OK);
    T_EQ_INT(sealed, 1); /* one batch, no coordinate in clear */
    /* a bad check is refused naming it, and frees what it read once (ASan watched a double
     * free here) */
    b = json_pack("{s:[{s:s,s:b},{s:s,s:s}]}", "checks", "place", "学校周边", "ok", 1, "place",
                  "学校周边", "ok", "yes");
    T_EQ_INT(wg_patrol_stop(db, keys, &cfg, &gw, p.id, b, now, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "'checks' item 1") != NULL);
    json_decref(b);
    b = json_pack("{s:[{s:s,s:b}]}", "checks", "place", "学校周边", "ok", 1);
    T_EQ_INT(wg_patrol_stop(db, keys, &cfg, &gw, p.id, b, now, &err), WG_OK);
    T_EQ_INT(wg_patrol_stop(db, keys, &cfg, &gw, p.id, b, now, &err), WG_ECONFLICT);
    json_decref(b);
    /* the track is kept 180 days, then purged; the summary stays */
    T_EQ_INT(wg_patrol_purge(db, NULL, &cfg, now + 179 * 86400LL, &n, &err), WG_OK);
    T_EQ_INT(n, 0);
    T_EQ_INT(wg_patrol_purge(db, NULL, &cfg, now + 181 * 86400LL, &n, &err), WG_OK);
    T_EQ_INT(n, 1);
    T_EQ_INT(wg_patrol_load(db, keys, &gw.scope, p.id, &back, &err), WG_OK);
    T_EQ_INT(back.points, 2);
    T_CHECK(back.distance_m > 80 && back.distance_m < 100);
    T_CHECK(back.stopped_at > 0);
    T_EQ_INT(wg_patrol_json(db, keys, &back, 1, &out, &err), WG_OK);
    T_EQ_INT(json_array_size(json_object_get(out, "track")), 0);
    T_EQ_INT(json_array_size(json_object_get(out, "checks")), 1);
    json_decref(out);
    wg_patrol_release(&back);
    wg_patrol_release(&p);

    /* coverage: one household of two visited through a member this month */
    struct wg_scope all = {"region", ""};
    char month[8];
    char day[11];
    wg_civil_format_date(wg_cst_day(NOW), day);
    snprintf(month, sizeof month, "%.7s", day);
    T_EQ_INT(wg_patrol_coverage(db, &all, GRID, month, &out, &err), WG_OK);
    T_EQ_INT(json_integer_value(json_object_get(out, "households")), 0);
    T_CHECK(json_is_null(json_object_get(out, "coverage")));
    json_decref(out);
    T_EQ_INT(wg_patrol_coverage(db, &all, GRID, "2026-13", &out, &err), WG_EINVAL);
    T_EQ_INT(wg_patrol_coverage(db, &all, "371302009009009", month, &out, &err), WG_ENOTFOUND);
}

int main(void)
{
    struct wg_err err = {0};
    struct wg_calendar *cal = wg_calendar_new();
    if (wg_calendar_load_json(cal, Y2026, strlen(Y2026), &err)) {
        fprintf(stderr, "calendar: %s\n", err.msg);
        return 1;
    }
    wg_calendar_set_fallback(cal, true);
    test_cadence(cal);
    struct wg_store *st = t_store_open("visits");
    struct wg_pii_keys *keys = NULL;
    struct wg_db *db = NULL;
    if ((wg_pii_keys_create(t_store_dir, &err) && err.rc != WG_ECONFLICT) ||
        wg_pii_keys_load(t_store_dir, &keys, &err)) {
        fprintf(stderr, "keys: %s\n", err.msg);
        return 1;
    }
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    test_visits(db, keys, cal);
    test_patrols(db, keys);
    wg_pii_keys_free(keys);
    wg_store_put(db);
    t_store_close(st);
    wg_calendar_free(cal);
    return T_DONE("visits");
}
