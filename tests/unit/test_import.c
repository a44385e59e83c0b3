/* The persons import (domain/registry/import.h) on a real store, on every backend: with its
 * rows read, checked and sealed on a second thread while the store writes, it answers
 * exactly what the one-thread import answers — the same report for a bad file, with nothing
 * stored; the same counts for a good one, and for it again. Files run past the rows the
 * reader may be ahead by, so that it waits for the store, and past the report's 1,000
 * refused rows, so that the store stops while the reader is ahead. */
#include "t.h"

#include <stdlib.h>

#include "core/buf.h"
#include "domain/accounts/pii_keys.h"
#include "domain/registry/import.h"
#include "store/map/map_q.h"
#include "store/registry/visit_q.h"
#include "t_grid.h"
#include "t_store.h"

#define NOW    1796000000LL /* 2026-11-30 in China */
#define HEADER "证件号码,姓名,联系电话,人口类型,网格编码,关爱对象,户号\r\n"

static struct wg_db *db;
static struct wg_pii_keys *keys;

/* A made-up resident ID for seq, with its check character. */
static void make_id(int seq, char out[19])
{
    snprintf(out, 19, "371302%04d%02d%02d%03d", 1940 + seq % 70, 1 + seq / 70 % 12,
             1 + seq / 840 % 28, seq / 23520 % 1000);
    t_id_check(out);
}

/* One row of persons seq: "bad" spoils its ID's check character; name and household as given. */
static void add_row(struct wg_buf *b, int seq, int bad, const char *name, const char *household)
{
    char id[19];
    make_id(seq, id);
    if (bad)
        id[17] = id[17] == '0' ? '1' : '0';
    wg_buf_addf(b, "%s,%s,138%08d,%s,37130200100%d,%s,%s\r\n", id, name, seq,
                seq % 5 ? "户籍" : "流动", 1 + seq % 3, seq % 7 ? "" : "独居老人", household);
}

/* Imports csv; *report is the answer as the route renders it, with the code and message. */
static enum wg_rc import(const char *csv, int two_threads, char **report)
{
    struct wg_err err = {0};
    struct wg_import_result res;
    struct wg_import_ctx c;
    memset(&c, 0, sizeof c);
    c.db = db, c.keys = keys, c.sensitive = 1, c.now = NOW, c.two_threads = two_threads;
    enum wg_rc rc =
        wg_import_run(&wg_import_persons, &c, csv, strlen(csv), WG_TABLE_CSV, &res, &err);
    json_t *j = wg_import_result_json(&wg_import_persons, &res);
    json_object_set_new(j, "rc", json_integer(rc));
    json_object_set_new(j, "message", json_string(rc ? err.msg : ""));
    *report = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
    json_decref(j);
    json_decref(res.errors);
    return rc;
}

/* A file both ways: the same answer, each time; returns the two-thread report (owned). */
static char *both_ways(const char *csv, enum wg_rc want)
{
    char *one = NULL, *two = NULL;
    T_EQ_INT(import(csv, 0, &one), want);
    T_EQ_INT(import(csv, 1, &two), want);
    T_EQ_STR(two, one);
    free(one);
    return two;
}

static int count_row(const struct wg_due_row *r, void *ctx)
{
    (void)r;
    ++*(int *)ctx;
    return 0;
}

/* The persons whose visit due day waits for the sweep (every person made is marked). */
static int marked(void)
{
    struct wg_err err = {0};
    int n = 0;
    T_EQ_INT(wg_store_visit_due_marked(db, "", "~", 0, 100000, count_row, &n, &err), WG_OK);
    return n;
}

static char *file(int from, int to, int bad_every, const char *household)
{
    struct wg_buf b;
    wg_buf_init(&b, 0);
    wg_buf_adds(&b, HEADER);
    for (int i = from; i < to; i++)
        add_row(&b, i, bad_every && i % bad_every == bad_every - 1, "王小明", household);
    return wg_buf_detach(&b, NULL);
}

static void test_good_file_and_again(void)
{
    char *csv = file(0, 1500, 0, ""), *one = NULL, *two = NULL;
    T_EQ_INT(import(csv, 1, &two), WG_OK);
    T_CHECK(strstr(two, "\"created\":1500") && strstr(two, "\"stored\":true"));
    free(two);
    /* each person made has its visit due day marked for the sweep, at the import's end */
    T_EQ_INT(marked(), 1500);
    /* again, either way: every row unchanged */
    two = both_ways(csv, WG_OK);
    T_CHECK(strstr(two, "\"unchanged\":1500") && strstr(two, "\"created\":0"));
    free(two);
    free(csv);
    /* a file of new and recorded persons, some renamed: the same counts either way */
    struct wg_buf b;
    wg_buf_init(&b, 0);
    wg_buf_adds(&b, HEADER);
    for (int i = 1200; i < 1800; i++)
        add_row(&b, i, 0, i % 4 ? "王小明" : "李小红", "");
    csv = wg_buf_detach(&b, NULL);
    T_EQ_INT(import(csv, 1, &two), WG_OK);
    T_CHECK(strstr(two, "\"created\":300") && strstr(two, "\"updated\":75") &&
            strstr(two, "\"unchanged\":225"));
    T_EQ_INT(marked(), 1800);
    T_EQ_INT(import(csv, 0, &one), WG_OK);
    T_CHECK(strstr(one, "\"unchanged\":600") != NULL);
    free(one);
    free(two);
    free(csv);
}

static void test_bad_files_store_nothing(void)
{
    /* new persons, a bad ID late in the file and one that repeats an earlier row's */
    struct wg_buf b;
    char *report, *probe, *csv;
    wg_buf_init(&b, 0);
    wg_buf_adds(&b, HEADER);
    for (int i = 2000; i < 3500; i++)
        add_row(&b, i == 3450 ? 2010 : i, i == 3400, "王小明", "");
    csv = wg_buf_detach(&b, NULL);
    int before = marked();
    report = both_ways(csv, WG_EINVAL);
    T_EQ_INT(marked(), before); /* nothing marked either */
    T_CHECK(strstr(report, "\"refused\":2") && strstr(report, "\"stored\":false") &&
            strstr(report, "\"row\":1402") && strstr(report, "\"row\":1452") &&
            strstr(report, "check character") && strstr(report, "the same as row 12"));
    free(report);
    free(csv);
    /* nothing of it was kept: its first row is still new */
    probe = file(2000, 2001, 0, "");
    T_EQ_INT(import(probe, 0, &report), WG_OK);
    T_CHECK(strstr(report, "\"created\":1") != NULL);
    free(report);
    free(probe);
    /* over 1,000 bad rows: the report stops, the reader ahead or not */
    csv = file(4000, 6200, 2, "");
    report = both_ways(csv, WG_EINVAL);
    T_CHECK(strstr(report, "\"refused\":1000") && strstr(report, "the report stops there"));
    free(report);
    free(csv);
    /* a household that does not exist, a name missing, a grid that does not exist */
    csv = file(7000, 7700, 0, "");
    wg_buf_init(&b, 0);
    wg_buf_adds(&b, csv);
    add_row(&b, 7700, 0, "王小明", "H-404");
    add_row(&b, 7701, 0, "", "");
    char id[19];
    make_id(7702, id);
    wg_buf_addf(&b, "%s,张三,,户籍,371302009999,,\r\n", id);
    free(csv);
    csv = wg_buf_detach(&b, NULL);
    report = both_ways(csv, WG_EINVAL);
    T_CHECK(strstr(report, "\"refused\":3") && strstr(report, "H-404") &&
            strstr(report, "'name' is required") && strstr(report, "371302009999"));
    free(report);
    free(csv);
    /* a file that goes bad after many good rows: the reader's error, nothing stored */
    csv = file(8000, 8700, 0, "");
    wg_buf_init(&b, 0);
    wg_buf_adds(&b, csv);
    wg_buf_adds(&b, "\"371302");
    free(csv);
    csv = wg_buf_detach(&b, NULL);
    report = both_ways(csv, WG_EINVAL);
    T_CHECK(strstr(report, "never closed") && strstr(report, "\"row\":0") &&
            strstr(report, "\"rows\":700"));
    free(report);
    free(csv);
    probe = file(8000, 8001, 0, "");
    T_EQ_INT(import(probe, 1, &report), WG_OK);
    T_CHECK(strstr(report, "\"created\":1") != NULL);
    free(report);
    free(probe);
}

int main(void)
{
    struct wg_err err = {0};
    struct wg_store *st = t_store_open("import");
    if ((wg_pii_keys_create(t_store_dir, &err) && err.rc != WG_ECONFLICT) ||
        wg_pii_keys_load(t_store_dir, &keys, &err)) {
        fprintf(stderr, "keys: %s\n", err.msg);
        return 1;
    }
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    t_add_grid(db, "371302001001");
    t_add_grid(db, "371302001002");
    t_add_grid(db, "371302001003");
    test_good_file_and_again();
    test_bad_files_store_nothing();
    wg_pii_keys_free(keys);
    wg_store_put(db);
    t_store_close(st);
    return T_DONE("import");
}
