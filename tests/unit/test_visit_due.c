/* The kept due days of visits (domain/registry/visit.h, migration 38), on a real store on every
 * backend: the lists of the due and the overdue are exact before the sweep has worked a
 * change out and after; a visit to a person or to their household moves their due day at
 * once; the sweep writes a due day only under the stamp it read; a change of cadence works
 * every due day out again; pages soonest first with totals; the overdue by grid; reminders
 * of due days that have moved purged after a month. */
#include "t.h"

#include <pthread.h>
#include <stdlib.h>

#include "domain/accounts/pii_keys.h"
#include "domain/registry/visit.h"
#include "store/map/map_q.h"
#include "store/registry/visit_q.h"
#include "t_grid.h"
#include "t_store.h"

#define GRID "371302001001001"
#define WEST "371302001002001"
#define NOW  1796000000LL /* 2026-11-30 in China */
#define DAY  86400LL

static long long add_person(struct wg_db *db, struct wg_pii_keys *keys, int seq, const char *grid,
                            const char *care, long long now)
{
    struct wg_err err = {0};
    struct wg_person p = {0};
    struct wg_scope all = {"region", ""};
    char id[19];
    snprintf(id, sizeof id, "3713021960%02d01%03d", 1 + seq / 1000, seq % 1000);
    t_id_check(id);
    json_t *b = json_pack("{s:s,s:s,s:s,s:s,s:[]}", "id_number", id, "name", "钱大娘", "residence",
                          "registered", "grid", grid, "care");
    if (*care)
        json_array_append_new(json_object_get(b, "care"), json_string(care));
    T_EQ_INT(wg_person_apply(&p, b, 0, now, &err), WG_OK);
    T_EQ_INT(wg_person_create(db, keys, &all, &p, now, &err), WG_OK);
    json_decref(b);
    long long pid = p.id;
    wg_person_release(&p);
    return pid;
}

static void visit(struct wg_db *db, const char *kind, long long subject, const char *grid,
                  long long at)
{
    struct wg_err err = {0};
    long long id = 0;
    struct wg_visit_row v = {.subject_id = subject, .visited_at = at, .created_at = at};
    snprintf(v.subject_kind, sizeof v.subject_kind, "%s", kind);
    snprintf(v.grid, sizeof v.grid, "%s", grid);
    snprintf(v.worker, sizeof v.worker, "gw");
    snprintf(v.method, sizeof v.method, "door");
    snprintf(v.created_by, sizeof v.created_by, "gw");
    v.content = "sealed";
    v.findings = "sealed";
    T_EQ_INT(wg_db_begin(db, &err), WG_OK);
    T_EQ_INT(wg_store_visit_insert(db, &v, &id, &err), WG_OK);
    T_EQ_INT(wg_db_commit(db, &err), WG_OK);
}

struct ctx {
    struct wg_db *db;
    struct wg_pii_keys *keys;
    const struct wg_calendar *cal;
    struct wg_cadence cad;
};

/* The overdue (status) of region "" as person ids, soonest first; *total the list's total. */
static int overdue(struct ctx *c, const char *status, const char *cursor, const char *limit,
                   long long ids[8], long long *total, char next[64])
{
    struct wg_err err = {0};
    struct wg_scope all = {"region", ""};
    struct wg_due_query q = {.status = status, .cursor = cursor, .limit = limit};
    json_t *out = NULL;
    T_EQ_INT(wg_visit_due_list(c->db, c->keys, c->cal, &c->cad, &all, &q, 0, NOW, &out, &err),
             WG_OK);
    if (!out)
        return -1;
    json_t *due = json_object_get(out, "due"), *e;
    size_t i;
    json_array_foreach(due, i, e)
    {
        if (i < 8)
            ids[i] = json_integer_value(json_object_get(json_object_get(e, "person"), "id"));
    }
    *total = json_integer_value(json_object_get(out, "total"));
    T_CHECK(json_is_true(json_object_get(out, "total_exact")));
    json_t *n = json_object_get(out, "next_cursor");
    snprintf(next, 64, "%s", json_is_string(n) ? json_string_value(n) : "");
    int size = (int)json_array_size(due);
    json_decref(out);
    return size;
}

static long settle(struct ctx *c)
{
    struct wg_err err = {0};
    long n = -1;
    T_EQ_INT(wg_visit_due_settle(c->db, NULL, c->keys, c->cal, &c->cad, NOW, &n, &err), WG_OK);
    return n;
}

struct marked {
    long long person, stamp;
    int rows;
};

static int take_marked(const struct wg_due_row *r, void *ctx)
{
    struct marked *m = ctx;
    m->person = r->p->id;
    m->stamp = r->stamp;
    m->rows++;
    return 0;
}

static void test_kept(struct ctx *c)
{
    struct wg_err err = {0};
    long long ids[8] = {0}, total = 0;
    char next[64];
    /* a family in hardship recorded 100 days ago in each grid: overdue; an 80-year-old
     * recorded 10 days ago: not yet; someone with no cadence */
    long long east = add_person(c->db, c->keys, 1, GRID, "hardship", NOW - 100 * DAY);
    long long west = add_person(c->db, c->keys, 2, WEST, "hardship", NOW - 101 * DAY);
    long long old = add_person(c->db, c->keys, 3, GRID, "over80", NOW - 10 * DAY);
    add_person(c->db, c->keys, 4, GRID, "", NOW - 10 * DAY);

    /* before the sweep: worked out as read, the soonest due (the longest overdue) first */
    T_EQ_INT(overdue(c, "overdue", NULL, NULL, ids, &total, next), 2);
    T_EQ_INT(ids[0], west);
    T_EQ_INT(ids[1], east);
    T_EQ_INT(total, 2);
    T_EQ_INT(settle(c), 4);
    T_EQ_INT(settle(c), 0);
    T_EQ_INT(overdue(c, "overdue", NULL, NULL, ids, &total, next), 2);
    T_EQ_INT(ids[0], west);
    T_EQ_INT(total, 2);
    T_EQ_INT(overdue(c, "due", NULL, NULL, ids, &total, next), 2);

    /* pages of one, soonest first, the cursor from the page before */
    T_EQ_INT(overdue(c, "overdue", NULL, "1", ids, &total, next), 1);
    T_EQ_INT(ids[0], west);
    T_CHECK(next[0] == 't');
    char cursor[64];
    snprintf(cursor, sizeof cursor, "%s", next);
    T_EQ_INT(overdue(c, "overdue", cursor, "1", ids, &total, next), 1);
    T_EQ_INT(ids[0], east);
    T_EQ_STR(next, "");
    struct wg_scope all = {"region", ""};
    struct wg_due_query bad = {.status = "overdue", .cursor = "371302001001001.4"};
    json_t *out = NULL;
    T_EQ_INT(wg_visit_due_list(c->db, c->keys, c->cal, &c->cad, &all, &bad, 0, NOW, &out, &err),
             WG_EINVAL);
    T_CHECK(strstr(err.msg, "'cursor'") != NULL);

    /* by grid, for the map */
    T_EQ_INT(wg_visit_due_grids(c->db, c->keys, c->cal, &c->cad, &all, NULL, "371302001", NOW, &out,
                                &err),
             WG_OK);
    T_EQ_INT(json_integer_value(json_object_get(out, "total")), 2);
    json_t *g0 = json_array_get(json_object_get(out, "grids"), 0);
    T_EQ_STR(json_string_value(json_object_get(g0, "grid")), GRID);
    T_EQ_INT(json_integer_value(json_object_get(g0, "overdue")), 1);
    json_decref(out);

    /* a visit today moves the due day at once, before the sweep and after */
    visit(c->db, "person", east, GRID, NOW - 3600);
    T_EQ_INT(overdue(c, "overdue", NULL, NULL, ids, &total, next), 1);
    T_EQ_INT(ids[0], west);
    T_EQ_INT(settle(c), 1);
    T_EQ_INT(overdue(c, "overdue", NULL, NULL, ids, &total, next), 1);
    /* a visit to the household counts for each member */
    T_EQ_INT(wg_db_begin(c->db, &err), WG_OK);
    T_EQ_INT(wg_store_person_set_household(c->db, west, 77, NOW - 200 * DAY, &err), WG_OK);
    T_EQ_INT(wg_db_commit(c->db, &err), WG_OK);
    T_EQ_INT(settle(c), 1);
    visit(c->db, "household", 77, WEST, NOW - 7200);
    T_EQ_INT(overdue(c, "overdue", NULL, NULL, ids, &total, next), 0);
    T_EQ_INT(total, 0);
    T_EQ_INT(settle(c), 1);
    T_EQ_INT(overdue(c, "overdue", NULL, NULL, ids, &total, next), 0);

    /* the sweep writes a due day only under the stamp it read: a write in between keeps
     * the row marked */
    T_EQ_INT(wg_db_begin(c->db, &err), WG_OK);
    T_EQ_INT(wg_store_visit_due_mark(c->db, old, &err), WG_OK);
    T_EQ_INT(wg_db_commit(c->db, &err), WG_OK);
    struct marked m = {0};
    T_EQ_INT(wg_store_visit_due_marked(c->db, "", "~", 0, 10, take_marked, &m, &err), WG_OK);
    T_EQ_INT(m.rows, 1);
    T_EQ_INT(m.person, old);
    T_EQ_INT(wg_db_begin(c->db, &err), WG_OK);
    T_EQ_INT(wg_store_visit_due_mark(c->db, old, &err), WG_OK);
    T_EQ_INT(wg_store_visit_due_settle(c->db, old, m.stamp, NOW + DAY, 0, &err), WG_OK);
    T_EQ_INT(wg_db_commit(c->db, &err), WG_OK);
    struct marked again = {0};
    T_EQ_INT(wg_store_visit_due_marked(c->db, "", "~", 0, 10, take_marked, &again, &err), WG_OK);
    T_EQ_INT(again.rows, 1);
    T_CHECK(again.stamp > m.stamp);
    T_EQ_INT(settle(c), 1);

    /* a new cadence (people over 80 every 5 days): every due day worked out again */
    T_EQ_INT(overdue(c, "overdue", NULL, NULL, ids, &total, next), 0);
    T_EQ_INT(wg_cadence_set(&c->cad, "over80=5", &err), WG_OK);
    T_CHECK(settle(c) >= 3);
    T_EQ_INT(overdue(c, "overdue", NULL, NULL, ids, &total, next), 1);
    T_EQ_INT(ids[0], old);

    /* reminded once; a month after a visit moved the due day, that reminder is purged */
    int reminded = 0;
    T_EQ_INT(wg_visit_remind(c->db, NULL, c->keys, c->cal, &c->cad, NOW, &reminded, &err), WG_OK);
    T_EQ_INT(reminded, 1);
    T_EQ_INT(wg_visit_remind(c->db, NULL, c->keys, c->cal, &c->cad, NOW, &reminded, &err), WG_OK);
    T_EQ_INT(reminded, 0);
    struct wg_due_query q = {.status = "overdue"};
    T_EQ_INT(wg_visit_due_list(c->db, c->keys, c->cal, &c->cad, &all, &q, 0, NOW, &out, &err),
             WG_OK);
    long long was = json_integer_value(
        json_object_get(json_array_get(json_object_get(out, "due"), 0), "due_at"));
    json_decref(out);
    visit(c->db, "person", old, GRID, NOW);
    T_EQ_INT(
        wg_visit_remind(c->db, NULL, c->keys, c->cal, &c->cad, NOW + 31 * DAY, &reminded, &err),
        WG_OK);
    int added = 0;
    T_EQ_INT(wg_db_begin(c->db, &err), WG_OK);
    T_EQ_INT(wg_store_visit_reminder_add(c->db, old, was, NOW, &added, &err), WG_OK);
    T_EQ_INT(wg_db_commit(c->db, &err), WG_OK);
    T_EQ_INT(added, 1);
}

/* The sweep settling rows while a list reads them: a row is read once, marked or settled,
 * never both, and the total stays what it is (each list reads one snapshot of the store). */
struct sweeper {
    struct ctx *c;
    struct wg_db *db;
    volatile int done;
};

static void *sweep_on(void *arg)
{
    struct sweeper *s = arg;
    struct wg_err err = {0};
    long long max = 0;
    long n = 0;
    T_EQ_INT(wg_store_person_max_id(s->db, &max, &err), WG_OK);
    for (int i = 0; i < 150; i++) {
        T_EQ_INT(wg_db_begin(s->db, &err), WG_OK);
        T_EQ_INT(wg_store_visit_due_touch_ids(s->db, 0, max, &err), WG_OK);
        T_EQ_INT(wg_db_commit(s->db, &err), WG_OK);
        T_EQ_INT(wg_visit_due_settle(s->db, NULL, s->c->keys, s->c->cal, &s->c->cad, NOW, &n, &err),
                 WG_OK);
    }
    s->done = 1;
    return NULL;
}

static void test_sweep_meanwhile(struct ctx *c, struct wg_store *st)
{
    struct wg_err err = {0};
    struct wg_scope all = {"region", ""};
    long long ids[8] = {0}, total = 0;
    char next[64];
    for (int i = 0; i < 3; i++)
        add_person(c->db, c->keys, 50 + i, i % 2 ? GRID : WEST, "hardship", NOW - (100 + i) * DAY);
    settle(c);
    T_EQ_INT(overdue(c, "overdue", NULL, NULL, ids, &total, next), 3);
    struct sweeper s = {c, NULL, 0};
    T_EQ_INT(wg_store_get(st, &s.db, &err), WG_OK);
    pthread_t t;
    pthread_create(&t, NULL, sweep_on, &s);
    int lists = 0, twice = 0, wrong = 0;
    while (!s.done) {
        struct wg_due_query q = {.status = "overdue"};
        json_t *out = NULL, *e;
        size_t i;
        long long seen[8] = {0};
        T_EQ_INT(wg_visit_due_list(c->db, c->keys, c->cal, &c->cad, &all, &q, 0, NOW, &out, &err),
                 WG_OK);
        json_array_foreach(json_object_get(out, "due"), i, e)
        {
            long long id = json_integer_value(json_object_get(json_object_get(e, "person"), "id"));
            for (size_t k = 0; k < i && k < 8; k++)
                twice += seen[k] == id;
            if (i < 8)
                seen[i] = id;
        }
        wrong += json_array_size(json_object_get(out, "due")) != 3 ||
                 json_integer_value(json_object_get(out, "total")) != 3;
        json_decref(out);
        T_EQ_INT(wg_visit_due_grids(c->db, c->keys, c->cal, &c->cad, &all, NULL, "371302001", NOW,
                                    &out, &err),
                 WG_OK);
        wrong += json_integer_value(json_object_get(out, "total")) != 3;
        json_decref(out);
        lists++;
    }
    pthread_join(t, NULL);
    wg_store_put(s.db);
    T_CHECK(lists > 0);
    T_EQ_INT(twice, 0);
    T_EQ_INT(wrong, 0);
}

/* A big import the sweep has not reached: the list works out at most 2,000 marked rows, then
 * answers from the settled and says it is settling; the sweep ends that. */
static void test_settling(struct ctx *c)
{
    struct wg_err err = {0};
    struct wg_scope all = {"region", ""};
    struct wg_due_query q = {.status = "overdue", .region = "371302001"};
    json_t *out = NULL;
    T_EQ_INT(wg_db_begin(c->db, &err), WG_OK);
    for (int i = 0; i < 2100; i++)
        add_person(c->db, c->keys, 100 + i, i % 2 ? GRID : WEST, "hardship", NOW - 120 * DAY);
    T_EQ_INT(wg_db_commit(c->db, &err), WG_OK);
    T_EQ_INT(wg_visit_due_list(c->db, c->keys, c->cal, &c->cad, &all, &q, 0, NOW, &out, &err),
             WG_OK);
    T_CHECK(json_is_true(json_object_get(out, "settling")));
    T_CHECK(json_is_false(json_object_get(out, "total_exact")));
    T_EQ_INT(json_array_size(json_object_get(out, "due")), 50);
    json_decref(out);
    T_CHECK(settle(c) >= 2100);
    T_EQ_INT(wg_visit_due_list(c->db, c->keys, c->cal, &c->cad, &all, &q, 0, NOW, &out, &err),
             WG_OK);
    T_CHECK(json_is_false(json_object_get(out, "settling")));
    T_CHECK(json_integer_value(json_object_get(out, "total")) >= 1000);
    json_decref(out);
    T_EQ_INT(wg_visit_due_grids(c->db, c->keys, c->cal, &c->cad, &all, NULL, "371302001", NOW, &out,
                                &err),
             WG_OK);
    T_CHECK(json_integer_value(json_object_get(out, "total")) >= 2100);
    T_CHECK(json_is_true(json_object_get(out, "total_exact")));
    json_decref(out);
}

int main(void)
{
    struct wg_err err = {0};
    struct ctx c = {0};
    struct wg_calendar *cal = wg_calendar_new();
    wg_calendar_set_fallback(cal, true);
    struct wg_store *st = t_store_open("visit_due");
    if ((wg_pii_keys_create(t_store_dir, &err) && err.rc != WG_ECONFLICT) ||
        wg_pii_keys_load(t_store_dir, &c.keys, &err)) {
        fprintf(stderr, "keys: %s\n", err.msg);
        return 1;
    }
    T_EQ_INT(wg_store_get(st, &c.db, &err), WG_OK);
    c.cal = cal;
    wg_cadence_defaults(&c.cad);
    t_add_grid(c.db, GRID);
    t_add_grid(c.db, WEST);
    test_kept(&c);
    test_sweep_meanwhile(&c, st);
    test_settling(&c);
    wg_pii_keys_free(c.keys);
    wg_store_put(c.db);
    t_store_close(st);
    wg_calendar_free(cal);
    return T_DONE("visit_due");
}
