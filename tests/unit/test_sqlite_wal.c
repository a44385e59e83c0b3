/* The SQLite backend's file layer (store/sqlite/sqlite_wal.c): what one connection commits another
 * sees at once, whole, for commits small and large (larger than the gathering buffer, and
 * than one write of the system VFS) and with pages spilled and rewritten inside a
 * transaction; a process that dies after its commits leaves them all to the next one; and a
 * commit of many pages reaches the kernel in a few writes, not two per page. */
#include "t.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/sqlite/sqlite_wal.h"

static sqlite3 *open_db(const char *path, const char *pragmas)
{
    sqlite3 *db = NULL;
    T_EQ_INT(
        sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, wg_sqlite_wal_vfs()),
        SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    T_EQ_INT(sqlite3_exec(db, pragmas, NULL, NULL, NULL), SQLITE_OK);
    return db;
}

static long long one(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Inserts n rows of size bytes each in one transaction; returns the SQLite result. */
static int insert(sqlite3 *db, int n, int size)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "INSERT INTO t(body) VALUES (zeroblob(?))", -1, &st, NULL);
    for (int i = 0; i < n && rc == SQLITE_OK; i++) {
        sqlite3_bind_int(st, 1, size);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return sqlite3_exec(db, rc == SQLITE_OK ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL) == SQLITE_OK
               ? rc
               : SQLITE_ERROR;
}

/* The process's count of write calls so far (/proc/self/io), or -1. */
static long long writes_so_far(void)
{
    FILE *f = fopen("/proc/self/io", "r");
    char line[128];
    long long v = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "syscw: %lld", &v) == 1)
            break;
    if (f)
        fclose(f);
    return v;
}

static const char *PRAGMAS_W =
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=20;"
    "PRAGMA wal_autocheckpoint=0;";

static void test_readers_see_every_commit(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/seen.db", dir);
    sqlite3 *w = open_db(path, PRAGMAS_W);
    sqlite3 *r = open_db(path, "PRAGMA journal_mode=WAL;");
    T_EQ_INT(sqlite3_exec(w, "CREATE TABLE t(id INTEGER PRIMARY KEY, body BLOB)", NULL, NULL, NULL),
             SQLITE_OK);
    /* One row; a few pages; 2 MB (over the buffer and over one system write), with a page
     * cache of 20 pages so the transaction spills frames before its commit. */
    static const int sizes[][2] = {{1, 10}, {3, 3000}, {40, 900}, {1, 2 << 20}, {500, 5000}};
    long long rows = 0, bytes = 0;
    for (int round = 0; round < 3; round++)
        for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
            T_EQ_INT(insert(w, sizes[i][0], sizes[i][1]), SQLITE_OK);
            rows += sizes[i][0];
            bytes += (long long)sizes[i][0] * sizes[i][1];
            T_EQ_INT(one(r, "SELECT count(*) FROM t"), rows);
            T_EQ_INT(one(r, "SELECT sum(length(body)) FROM t"), bytes);
        }
    /* Pages rewritten inside one transaction, after they spilled. */
    T_EQ_INT(sqlite3_exec(w,
                          "BEGIN; UPDATE t SET body = zeroblob(100) WHERE id % 2 = 0;"
                          "UPDATE t SET body = zeroblob(7) WHERE id % 2 = 0; COMMIT;",
                          NULL, NULL, NULL),
             SQLITE_OK);
    T_EQ_INT(one(r, "SELECT count(*) FROM t WHERE length(body) = 7"), rows / 2);
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(r, "PRAGMA integrity_check", -1, &st, NULL);
    T_CHECK(sqlite3_step(st) == SQLITE_ROW &&
            strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0);
    sqlite3_finalize(st);
    /* A checkpoint through the same layer, then the log starts over and still reads back. */
    T_EQ_INT(sqlite3_wal_checkpoint_v2(w, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL), SQLITE_OK);
    T_EQ_INT(insert(w, 10, 100), SQLITE_OK);
    T_EQ_INT(one(r, "SELECT count(*) FROM t"), rows + 10);
    sqlite3_close(r);
    sqlite3_close(w);
}

static void test_commits_survive_the_process(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/died.db", dir);
    sqlite3 *setup = open_db(path, PRAGMAS_W);
    T_EQ_INT(
        sqlite3_exec(setup, "CREATE TABLE t(id INTEGER PRIMARY KEY, body BLOB)", NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(setup);
    pid_t pid = fork();
    if (pid == 0) {
        /* Commits, then dies without closing: the log is all there is. */
        sqlite3 *w = open_db(path, PRAGMAS_W);
        int ok = 1;
        for (int i = 0; i < 20 && ok; i++)
            ok = insert(w, 50, 1000 + i) == SQLITE_OK;
        sqlite3_exec(w, "BEGIN; INSERT INTO t(body) VALUES (zeroblob(70000));", NULL, NULL, NULL);
        _exit(ok ? 0 : 1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    T_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    sqlite3 *r = open_db(path, "PRAGMA journal_mode=WAL;");
    T_EQ_INT(one(r, "SELECT count(*) FROM t"), 20 * 50);
    T_EQ_INT(one(r, "SELECT count(*) FROM t WHERE length(body) = 70000"), 0);
    sqlite3_close(r);
}

static void test_few_writes_per_commit(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/few.db", dir);
    sqlite3 *w = open_db(path, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                               "PRAGMA wal_autocheckpoint=0;");
    T_EQ_INT(sqlite3_exec(w, "CREATE TABLE t(id INTEGER PRIMARY KEY, body BLOB)", NULL, NULL, NULL),
             SQLITE_OK);
    long long before = writes_so_far();
    T_EQ_INT(insert(w, 200, 3000), SQLITE_OK); /* ~200 pages: 400 writes a frame at a time */
    long long after = writes_so_far();
    T_CHECK(before >= 0 && after - before < 20);
    if (after - before >= 20)
        fprintf(stderr, "a commit of ~200 pages took %lld writes\n", after - before);
    sqlite3_close(w);
}

int main(void)
{
    char dir[] = "/tmp/wangge-test-wal-XXXXXX";
    if (!mkdtemp(dir))
        return 2;
    T_CHECK(wg_sqlite_wal_vfs() != NULL);
    test_readers_see_every_commit(dir);
    test_commits_survive_the_process(dir);
    test_few_writes_per_commit(dir);
    T_REMOVE_DIR(dir);
    return T_DONE("sqlite_wal");
}
