/* The registry import benchmark: a CSV of generated persons (100,000 by default: a made-up
 * resident ID with its check character, a name, a phone, a residence kind, one of 100 grids,
 * care groups for some) imported into a fresh SQLite store through the same framework as
 * POST /api/v1/persons/import — each row checked, sealed, blind-indexed and stored in one
 * transaction — then the same file again (every row unchanged). The reference, in the same
 * run: SQLite's plain insert of the same rows in clear into a table with a unique index on
 * the ID number, in one transaction with a prepared statement. Where the time goes: the
 * file's reading alone, and each row's checks, blind index and sealing alone, timed apart.
 * The import runs as the route runs a file of this size (two threads from
 * WG_IMPORT_TWO_THREADS_FROM bytes: the rows read, checked and sealed on a second thread while
 * the store writes; else one), and again the other way into a second fresh SQLite store, for
 * comparison. Options: --persons N; --store URL (an empty
 * PostgreSQL database, say, or a store of many persons kept by bench/persons --keep, whose
 * grids are used, instead of a fresh SQLite store; the reference stays SQLite's, and for a
 * SQLite store a second one inserts the same rows in clear into that store's own persons).
 * Prints rows/s and the ratio to the reference. */
#include <sodium.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "domain/accounts/pii_keys.h"
#include "domain/registry/import.h"
#include "domain/registry/person.h"
#include "store/map/map_q.h"

#define GRIDS 100

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void die(const char *what, const struct wg_err *err)
{
    fprintf(stderr, "import: %s: %s\n", what, err ? err->msg : "");
    exit(1);
}

static void make_id(int seq, char out[19])
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0, year = 1940 + seq % 70, month = 1 + seq / 70 % 12, day = 1 + seq / 840 % 28;
    snprintf(out, 19, "371302%04d%02d%02d%03d", year, month, day, seq / 23520 % 1000);
    for (int i = 0; i < 17; i++)
        sum += (out[i] - '0') * w[i];
    out[17] = "10X98765432"[sum % 11];
    out[18] = '\0';
}

static void grid_of(int i, char out[16])
{
    snprintf(out, 16, "3713020010%02d%03d", i % GRIDS / 10 + 1, i % 10 + 1);
}

static char *make_csv(int n, size_t *len)
{
    static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄"};
    static const char *const care[] = {"", "", "", "", "独居老人", "残疾人", "高龄老人；空巢老人"};
    struct wg_buf b;
    char id[19], grid[16];
    wg_buf_init(&b, 0);
    wg_buf_adds(&b, "证件号码,姓名,联系电话,人口类型,网格编码,关爱对象\r\n");
    for (int i = 0; i < n; i++) {
        make_id(i, id);
        grid_of(i, grid);
        wg_buf_addf(&b, "%s,%s小%d,138%08d,%s,%s,%s\r\n", id, surnames[i % 8], i % 97, i,
                    i % 5 ? "户籍" : "流动", grid, care[i % 7]);
    }
    return wg_buf_detach(&b, len);
}

static void add_grids(struct wg_db *db)
{
    struct wg_err err = {0};
    for (int i = 0; i < GRIDS; i++) {
        struct wg_grid_row g = {.version = 1,
                                .households = -1,
                                .population = -1,
                                .geometry = "{\"type\":\"Polygon\",\"coordinates\":[]}"};
        grid_of(i, g.code);
        snprintf(g.name, sizeof g.name, "网格%d", i);
        snprintf(g.kind, sizeof g.kind, "base");
        snprintf(g.village, sizeof g.village, "%.12s", g.code);
        snprintf(g.crs, sizeof g.crs, "EPSG:4326");
        snprintf(g.valid_from, sizeof g.valid_from, "2026-01-01T00:00:00");
        struct wg_grid_row had;
        if (!wg_store_grid_current(db, g.code, &had, NULL, &err))
            continue; /* a store given with --store may have it */
        if (wg_store_grid_insert(db, &g, &err))
            die("grid", &err);
    }
}

static enum wg_rc count_row(const struct wg_table_row *r, void *ctx, struct wg_err *err)
{
    (void)r, (void)err;
    (*(size_t *)ctx)++;
    return WG_OK;
}

/* Each row's checks, blind index and sealing of its three personal fields, without the store. */
static double seal_only(const struct wg_pii_keys *keys, int n, double *cpu)
{
    struct wg_err err = {0};
    char id[19], grid[16], phone[16], blind[WG_PII_BLIND_HEX];
    double t = now_s(), u = cpu_s();
    for (int i = 0; i < n; i++) {
        struct wg_person p;
        char *s1 = NULL, *s2 = NULL, *s3 = NULL;
        make_id(i, id);
        grid_of(i, grid);
        snprintf(phone, sizeof phone, "138%08d", i);
        json_t *body = json_pack("{s:s,s:s,s:s,s:s,s:s}", "id_number", id, "name", "王小明",
                                 "phone", phone, "residence", "registered", "grid", grid);
        memset(&p, 0, sizeof p);
        if (wg_person_apply(&p, body, 1, (long long)time(NULL), &err) ||
            wg_person_id_blind(keys, &p, blind, &err) ||
            wg_pii_blind(keys, WG_PII_PHONE, phone, blind, &err) ||
            wg_pii_encrypt(keys, id, "person.id_number", &s1, &err) ||
            wg_pii_encrypt(keys, p.name, "person.name", &s2, &err) ||
            wg_pii_encrypt(keys, phone, "person.phone", &s3, &err))
            die("seal", &err);
        free(s1), free(s2), free(s3);
        wg_person_release(&p);
        json_decref(body);
    }
    *cpu = cpu_s() - u;
    return now_s() - t;
}

/* SQLite's plain insert of the same rows, in clear, in one transaction. */
static double reference(const char *dir, int n, double *cpu)
{
    char path[300], id[19], grid[16], phone[16], name[32];
    sqlite3 *db;
    sqlite3_stmt *st;
    snprintf(path, sizeof path, "%s/reference.db", dir);
    if (sqlite3_open(path, &db) ||
        sqlite3_exec(db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE p(id INTEGER "
                     "PRIMARY KEY, id_number TEXT UNIQUE, name TEXT, phone TEXT, residence TEXT, "
                     "grid TEXT, care INTEGER); CREATE INDEX p_phone ON p(phone); CREATE INDEX "
                     "p_grid ON p(grid, id)",
                     NULL, NULL, NULL) ||
        sqlite3_prepare_v2(db,
                           "INSERT INTO p(id_number,name,phone,residence,grid,care) "
                           "VALUES (?,?,?,?,?,?)",
                           -1, &st, NULL))
        die("reference", NULL);
    double t = now_s(), u = cpu_s();
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    for (int i = 0; i < n; i++) {
        make_id(i, id);
        grid_of(i, grid);
        snprintf(phone, sizeof phone, "138%08d", i);
        snprintf(name, sizeof name, "王小%d", i % 97);
        sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, phone, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, i % 5 ? "registered" : "floating", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, grid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 6, i % 7 > 3);
        if (sqlite3_step(st) != SQLITE_DONE)
            die("reference insert", NULL);
        sqlite3_reset(st);
    }
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    t = now_s() - t;
    *cpu = cpu_s() - u;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return t;
}

/* SQLite's plain insert of the same rows, in clear, into the persons of the store given (its
 * table and indexes, so the same number of rows before them): the ID's and the phone's index
 * keys random 32 hex digits as blind indexes are, made before the clock starts. One
 * transaction, its commit timed as the import's is; then its rows are taken out again. */
static double reference_in(const char *dir, int n, double *cpu)
{
    char path[300], id[19], grid[16], phone[16], del[96];
    sqlite3 *db;
    sqlite3_stmt *st, *one;
    snprintf(path, sizeof path, "%s/wangge.db", dir);
    char(*keys)[2][33] = malloc((size_t)n * sizeof *keys);
    for (int i = 0; i < n; i++)
        for (int k = 0; k < 2; k++) {
            unsigned char raw[16];
            randombytes_buf(raw, sizeof raw);
            sodium_bin2hex(keys[i][k], sizeof keys[i][k], raw, sizeof raw);
        }
    if (sqlite3_open(path, &db) ||
        sqlite3_exec(db, "PRAGMA synchronous=FULL; PRAGMA cache_size=-32768", NULL, NULL, NULL) ||
        sqlite3_prepare_v2(db, "SELECT COALESCE(MAX(id), 0) FROM person", -1, &one, NULL) ||
        sqlite3_step(one) != SQLITE_ROW ||
        sqlite3_prepare_v2(db,
                           "INSERT INTO person(id, id_type, id_number, id_blind, name, gender, "
                           "birth_date, phone, phone_blind, residence, political, grid, care, "
                           "special, created_at, updated_at, version) VALUES ((SELECT MAX(id) "
                           "FROM person) + 1, 'resident_id', ?, ?, '王小明', 'male', "
                           "'1990-01-01', ?, ?, 'registered', '', ?, 0, '0 -1', 1796000000, "
                           "1796000000, 1)",
                           -1, &st, NULL))
        die("reference in the store", NULL);
    snprintf(del, sizeof del, "DELETE FROM person WHERE id > %lld",
             (long long)sqlite3_column_int64(one, 0));
    sqlite3_finalize(one);
    double t = now_s(), u = cpu_s();
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    for (int i = 0; i < n; i++) {
        make_id(i, id);
        grid_of(i, grid);
        snprintf(phone, sizeof phone, "138%08d", i);
        sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, keys[i][0], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, phone, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, keys[i][1], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, grid, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE)
            die("reference insert in the store", NULL);
        sqlite3_reset(st);
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL))
        die("reference commit in the store", NULL);
    t = now_s() - t;
    *cpu = cpu_s() - u;
    sqlite3_finalize(st);
    if (sqlite3_exec(db, del, NULL, NULL, NULL))
        die("reference rows taken out of the store", NULL);
    sqlite3_close(db);
    free(keys);
    return t;
}

static double run_import(struct wg_db *db, const struct wg_pii_keys *keys, const char *csv,
                         size_t len, int two_threads, struct wg_import_result *res, double *cpu)
{
    struct wg_err err = {0};
    struct wg_import_ctx c;
    memset(&c, 0, sizeof c);
    c.db = db, c.keys = keys, c.sensitive = 1, c.now = (long long)time(NULL);
    c.two_threads = two_threads;
    double t = now_s(), u = cpu_s();
    if (wg_import_run(&wg_import_persons, &c, csv, len, WG_TABLE_CSV, res, &err)) {
        fprintf(stderr, "%s\n", json_dumps(res->errors, 0));
        die("import", &err);
    }
    *cpu = cpu_s() - u;
    json_decref(res->errors);
    return now_s() - t;
}

/* A fresh store with the grids: the URL given, or a new SQLite store in dir/name. */
static struct wg_store *fresh_store(const char *url, const char *dir, const char *name,
                                    struct wg_db **db)
{
    struct wg_err err = {0};
    struct wg_store *st = NULL;
    char where[300];
    snprintf(where, sizeof where, "%s/%s", dir, name);
    if (wg_store_open(url ? url : where, 1, &st, &err) || wg_store_get(st, db, &err))
        die("store", &err);
    add_grids(*db);
    return st;
}

/* Both imports of the file into a fresh store: the first creates every person, the second
 * changes none. t[0], cpu[0]: the first; t[1], cpu[1]: the second. */
static void import_twice(const char *url, const char *dir, const char *name,
                         const struct wg_pii_keys *keys, const char *csv, size_t len, int n,
                         int two_threads, double t[2], double cpu[2])
{
    struct wg_import_result res;
    struct wg_db *db = NULL;
    struct wg_store *st = fresh_store(url, dir, name, &db);
    t[0] = run_import(db, keys, csv, len, two_threads, &res, &cpu[0]);
    if (res.created != (size_t)n)
        die("the first import did not create every person", NULL);
    t[1] = run_import(db, keys, csv, len, two_threads, &res, &cpu[1]);
    if (res.unchanged != (size_t)n)
        die("the second import changed something", NULL);
    wg_store_put(db);
    wg_store_close(st);
}

static void print_pair(const char *how, int n, const double t[2], const double cpu[2])
{
    printf("  %s:\n", how);
    printf("    first import:      %6.0f rows/s (%.2f s; cpu %.2f s: %.0f rows/s)\n", n / t[0],
           t[0], cpu[0], n / cpu[0]);
    printf("    again (unchanged): %6.0f rows/s (%.2f s; cpu %.2f s: %.0f rows/s)\n", n / t[1],
           t[1], cpu[1], n / cpu[1]);
}

int main(int argc, char **argv)
{
    struct wg_err err = {0};
    struct wg_pii_keys *keys = NULL;
    char dir[] = "/tmp/wg-bench-import-XXXXXX";
    const char *store = NULL;
    int n = 100000;
    double t2[2], cpu2[2], t1[2], cpu1[2], cpu_seal, cpu_ref;
    for (int i = 1; i + 1 < argc; i++)
        if (!strcmp(argv[i], "--persons"))
            n = (int)strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--store"))
            store = argv[++i];
    if (n < 1 || n > 200000 - 1 || !mkdtemp(dir))
        die("--persons takes 1 to 199,999 (an import's row limit)", NULL);
    if (wg_pii_keys_create(dir, &err) || wg_pii_keys_load(dir, &keys, &err))
        die("keys", &err);
    size_t len = 0, rows = 0;
    char *csv = make_csv(n, &len);
    double t_read = now_s();
    if (wg_table_read(csv, len, WG_TABLE_CSV, NULL, count_row, &rows, &err))
        die("read", &err);
    t_read = now_s() - t_read;
    seal_only(keys, n, &cpu_seal);
    /* the import as the route runs it and, into another fresh SQLite store, the other way:
     * t1 and cpu1 the route's, t2 and cpu2 the other's */
    int route = len >= WG_IMPORT_TWO_THREADS_FROM;
    import_twice(store, dir, "route", keys, csv, len, n, route, t1, cpu1);
    if (!store)
        import_twice(NULL, dir, "other", keys, csv, len, n, !route, t2, cpu2);
    double t_ref = reference(dir, n, &cpu_ref), cpu_in = 0;
    double t_in = store && !strncmp(store, "sqlite:", 7) ? reference_in(store + 7, n, &cpu_in) : 0;
    /* processor seconds are steadier than the clock on a shared machine: both are shown */
    printf("import of %d persons (%.1f MiB of CSV), sealed and blind-indexed, %s:\n", n,
           len / 1048576.0, store ? store : "SQLite");
    static const char *const how[] = {
        "one thread", "two threads (rows read and sealed ahead while the store writes)"};
    char what[160];
    snprintf(what, sizeof what, "as the route imports a file of this size: %s", how[route]);
    print_pair(what, n, t1, cpu1);
    if (!store) {
        snprintf(what, sizeof what, "for comparison, %s", how[!route]);
        print_pair(what, n, t2, cpu2);
    }
    printf("  SQLite's plain insert of the same rows: %.0f rows/s (%.3f s; cpu %.3f s)\n",
           n / t_ref, t_ref, cpu_ref);
    printf("  ratio to SQLite's plain insert: %.1fx by the clock, %.1fx by processor time\n",
           t1[0] / t_ref, cpu1[0] / cpu_ref);
    if (t_in > 0) {
        printf("  SQLite's plain insert of the same rows into this store's persons (its indexes, "
               "random keys for the ID and phone): %.0f rows/s (%.3f s; cpu %.3f s)\n",
               n / t_in, t_in, cpu_in);
        printf("  ratio to it: %.1fx by the clock, %.1fx by processor time\n", t1[0] / t_in,
               cpu1[0] / cpu_in);
    }
    if (!store) {
        const double *one = route ? t2 : t1, *two = route ? t1 : t2;
        const double *cpu_one = route ? cpu2 : cpu1, *cpu_two = route ? cpu1 : cpu2;
        printf("  two threads against one, first import: %.2fx the rows/s by the clock, %.2fx "
               "by processor time\n",
               one[0] / two[0], cpu_one[0] / cpu_two[0]);
    }
    printf("  where the time goes (cpu): reading the CSV %.2f s; checks, blind indexes and "
           "sealing %.2f s; the rest (lookups, inserts, the framework) %.2f s\n",
           t_read, cpu_seal, cpu1[0] - t_read - cpu_seal);
    printf("  target 50,000 rows/s: %s (%.0f by the clock, %.0f by processor time)\n",
           n / t1[0] >= 50000 ? "met" : "not met", n / t1[0], n / cpu1[0]);
    free(csv);
    wg_pii_keys_free(keys);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) ? 1 : 0;
}
