/* The SQLite backend: one database file per data directory, WAL journal, synchronous=FULL,
 * and each connection keeps its prepared statements for the life of the connection. */
#include "store/sqlite/sqlite_conn.h"

#include "core/alloc.h"
#include "core/log.h"
#include "store/sqlite/sqlite_wal.h"

#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

struct conn {
    sqlite3 *db;
    sqlite3_stmt *stmts[WG_Q_COUNT];
    /* With the flush deferred (sq_defer_flush): the write-ahead log's path, and a descriptor
     * of it that only sq_flush uses, opened at the first flush (the log exists by then). */
    char *wal_path;
    int wal_fd;
};

static enum wg_rc dberr(sqlite3 *db, struct wg_err *err, const char *what)
{
    int code = sqlite3_extended_errcode(db);
    enum wg_rc rc = (code & 0xff) == SQLITE_CONSTRAINT ? WG_ECONFLICT
                    : (code & 0xff) == SQLITE_BUSY     ? WG_EUNAVAIL
                                                       : WG_EDB;
    return wg_err_set(err, rc, "%s: %s", what, sqlite3_errmsg(db));
}

/* Once per process, before the first connection: no allocation statistics. With them on,
 * every allocation in every connection takes one process-wide mutex, and the request threads
 * queue on it (SQLite's `SQLITE_CONFIG_MEMSTATUS`; nothing here reads those statistics). A
 * process that used SQLite before (a test, the benchmark's checker) keeps what it had. */
static void sq_configure(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

enum wg_rc wg_sqlite_open(const char *path, sqlite3 **db, struct wg_err *err)
{
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
    static pthread_once_t configured = PTHREAD_ONCE_INIT;
    pthread_once(&configured, sq_configure);
    if (sqlite3_open_v2(path, db, flags, wg_sqlite_wal_vfs()) != SQLITE_OK) {
        enum wg_rc rc = wg_err_set(err, WG_EDB, "cannot open '%s': %s", path,
                                   *db ? sqlite3_errmsg(*db) : "out of memory");
        sqlite3_close(*db);
        *db = NULL;
        return rc;
    }
    sqlite3_busy_timeout(*db, 10000);
    return WG_OK;
}

enum wg_rc wg_sqlite_run(sqlite3 *db, enum wg_q q, const char *what, struct wg_err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(db, wg_query_sql(q, WG_SQL_SQLITE), NULL, NULL, &msg) == SQLITE_OK)
        return WG_OK;
    enum wg_rc rc = wg_err_set(err, WG_EDB, "%s: %s", what, msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    return rc;
}

enum wg_rc wg_sqlite_once(sqlite3 *db, enum wg_q q, const char *a, const char *b, int *row,
                          struct wg_err *err)
{
    sqlite3_stmt *st = NULL;
    enum wg_rc rc = WG_OK;
    int s = SQLITE_DONE;
    if (sqlite3_prepare_v2(db, wg_query_sql(q, WG_SQL_SQLITE), -1, &st, NULL) != SQLITE_OK ||
        (a && sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC) != SQLITE_OK) ||
        (b && sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC) != SQLITE_OK) ||
        ((s = sqlite3_step(st)) != SQLITE_ROW && s != SQLITE_DONE))
        rc = dberr(db, err, wg_queries[q].name);
    else if (row)
        *row = s == SQLITE_ROW;
    sqlite3_finalize(st);
    return rc;
}

void *wg_sqlite_conn_wrap(sqlite3 *db)
{
    struct conn *c = wg_calloc(1, sizeof *c);
    c->db = db;
    c->wal_fd = -1;
    return c;
}

/* "sqlite:DIR": the file wangge.db in the data directory DIR. */
static enum wg_rc sq_locate(const char *url, int create, char *where, size_t n, struct wg_err *err)
{
    const char *dir = url + strlen("sqlite:");
    struct stat sb;
    if (!*dir)
        return wg_err_set(err, WG_EINVAL, "store '%s' names no directory (sqlite:DIR)", url);
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        if (!create)
            return wg_err_set(err, WG_ENOTFOUND,
                              "data directory '%s' does not exist; run 'wangge init --data %s'",
                              dir, dir);
        if (mkdir(dir, 0700) != 0)
            return wg_err_set(err, WG_EIO, "cannot create data directory '%s': %s", dir,
                              strerror(errno));
    }
    if ((size_t)snprintf(where, n, "%s/wangge.db", dir) >= n)
        return wg_err_set(err, WG_EINVAL, "store directory '%.40s...' is too long", dir);
    if (!create && stat(where, &sb) != 0)
        return wg_err_set(err, WG_ENOTFOUND,
                          "'%s' holds no wangge store; run 'wangge init --data %s'", dir, dir);
    return WG_OK;
}

static enum wg_rc sq_connect(const char *where, int create, void **out, struct wg_err *err)
{
    sqlite3 *db = NULL;
    struct stat sb;
    enum wg_rc rc;
    if (!create && stat(where, &sb) != 0)
        return wg_err_set(err, WG_ENOTFOUND, "cannot open '%s': %s", where, strerror(errno));
    if ((rc = wg_sqlite_open(where, &db, err)))
        return rc;
    if ((rc = wg_sqlite_run(db, WG_Q_SQLITE_CONFIGURE, "cannot configure the store", err)))
        wg_err_prefix(err, "'%s'", where);
    else
        rc = wg_sqlite_search_attach(db, where, err);
    if (rc) {
        sqlite3_close(db);
        return rc;
    }
    *out = wg_sqlite_conn_wrap(db);
    return WG_OK;
}

static void sq_disconnect(void *p)
{
    struct conn *c = p;
    if (!c)
        return;
    for (int i = 0; i < WG_Q_COUNT; i++)
        sqlite3_finalize(c->stmts[i]);
    sqlite3_close(c->db);
    if (c->wal_fd >= 0)
        close(c->wal_fd);
    free(c->wal_path);
    free(c);
}

static enum wg_rc sq_script(void *p, const char *sql, struct wg_err *err)
{
    struct conn *c = p;
    char *msg = NULL;
    if (sqlite3_exec(c->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        enum wg_rc rc = wg_err_set(err, WG_EDB, "%s", msg ? msg : "script failed");
        sqlite3_free(msg);
        return rc;
    }
    return WG_OK;
}

static enum wg_rc prepare(struct conn *c, enum wg_q q, const struct wg_val *p, size_t n,
                          sqlite3_stmt **out, struct wg_err *err)
{
    sqlite3_stmt *st = c->stmts[q];
    if (!st) {
        const char *sql = wg_query_sql(q, WG_SQL_SQLITE);
        if (!sql)
            return wg_err_set(err, WG_EINTERNAL, "statement %s is not SQLite's",
                              wg_queries[q].name);
        if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
            return dberr(c->db, err, wg_queries[q].name);
        c->stmts[q] = st;
    }
    for (size_t i = 0; i < n; i++) {
        int rc, col = (int)i + 1;
        switch (p[i].t) {
        case WG_V_NULL:
            rc = sqlite3_bind_null(st, col);
            break;
        case WG_V_INT:
            rc = sqlite3_bind_int64(st, col, p[i].i);
            break;
        case WG_V_REAL:
            rc = sqlite3_bind_double(st, col, p[i].d);
            break;
        default:
            rc = sqlite3_bind_text(st, col, p[i].s, -1, SQLITE_STATIC);
            break;
        }
        if (rc != SQLITE_OK) {
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            return dberr(c->db, err, wg_queries[q].name);
        }
    }
    *out = st;
    return WG_OK;
}

static enum wg_rc sq_prepare(void *p, enum wg_q q, struct wg_err *err)
{
    sqlite3_stmt *st;
    return prepare(p, q, NULL, 0, &st, err);
}

static void done(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

static enum wg_rc sq_exec(void *p, enum wg_q q, const struct wg_val *v, size_t n, long *changes,
                          struct wg_err *err)
{
    struct conn *c = p;
    sqlite3_stmt *st;
    enum wg_rc rc = prepare(c, q, v, n, &st, err);
    int s;
    if (rc)
        return rc;
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        ;
    if (s != SQLITE_DONE) {
        rc = dberr(c->db, err, wg_queries[q].name);
        done(st);
        return rc;
    }
    if (changes)
        *changes = (long)sqlite3_changes(c->db);
    done(st);
    return WG_OK;
}

static enum wg_rc sq_query(void *p, enum wg_q q, const struct wg_val *v, size_t n,
                           int (*cb)(struct wg_row *, void *), void *ctx, struct wg_err *err)
{
    struct conn *c = p;
    sqlite3_stmt *st;
    struct wg_row row = {0};
    enum wg_rc rc = prepare(c, q, v, n, &st, err);
    int s;
    if (rc)
        return rc;
    row.be = &wg_backend_sqlite;
    row.impl = st;
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        if (cb(&row, ctx) || row.overflow_col)
            break;
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        rc = dberr(c->db, err, wg_queries[q].name);
    done(st);
    return rc;
}

static enum wg_rc sq_begin(void *p, struct wg_err *err)
{
    return sq_script(p, wg_query_sql(WG_Q_TX_BEGIN, WG_SQL_SQLITE), err);
}

static enum wg_rc sq_commit(void *p, struct wg_err *err)
{
    return sq_script(p, wg_query_sql(WG_Q_TX_COMMIT, WG_SQL_SQLITE), err);
}

static void sq_rollback(void *p)
{
    struct conn *c = p;
    if (!sqlite3_get_autocommit(c->db))
        sqlite3_exec(c->db, wg_query_sql(WG_Q_TX_ROLLBACK, WG_SQL_SQLITE), NULL, NULL, NULL);
}

static enum wg_rc sq_set_durable(void *p, int durable, struct wg_err *err)
{
    return sq_script(
        p, wg_query_sql(durable ? WG_Q_SQLITE_DURABLE : WG_Q_SQLITE_BULK, WG_SQL_SQLITE), err);
}

/* synchronous=NORMAL: in WAL mode a COMMIT then writes its frames to the log without an
 * fsync, and the log is still synced before every checkpoint copies it into the database.
 * The caller makes the commits durable with sq_flush before it tells anyone they are. */
static enum wg_rc sq_defer_flush(void *p, int on, struct wg_err *err)
{
    struct conn *c = p;
    const char *db = sqlite3_db_filename(c->db, "main");
    if (on && !c->wal_path) {
        size_t n;
        if (!db || !*db)
            return wg_err_set(err, WG_EINVAL, "a store in memory has no log to flush");
        n = strlen(db) + 5;
        c->wal_path = wg_malloc(n);
        snprintf(c->wal_path, n, "%s-wal", db);
    }
    /* The committer's connection also checkpoints every 4,000 pages instead of SQLite's
     * 1,000: the pages a load of intake dirties over and over (the ends of the indexes,
     * the counters) are copied to the database once per checkpoint, so fewer copies per
     * order (bench/intake: ~15% more creates; at 10,000 the long checkpoints showed in p99). */
    return sq_script(
        p, wg_query_sql(on ? WG_Q_SQLITE_DEFER_FLUSH : WG_Q_SQLITE_OWN_FLUSH, WG_SQL_SQLITE), err);
}

/* fdatasync of the log: every frame written before the call, so every transaction committed
 * on this connection before it, is on disk when it returns. Runs on a thread of its own,
 * beside the connection's next transaction, so it touches nothing of the connection but the
 * descriptor it owns. A log that was removed and made anew (no connection was open on the
 * store for a moment) is opened again. */
static enum wg_rc sq_flush(void *p, struct wg_err *err)
{
    struct conn *c = p;
    struct stat sb;
    if (!c->wal_path)
        return wg_err_set(err, WG_EINTERNAL, "flush: the connection does not defer its flush");
    if (c->wal_fd >= 0 && (fstat(c->wal_fd, &sb) || sb.st_nlink == 0)) {
        close(c->wal_fd);
        c->wal_fd = -1;
    }
    if (c->wal_fd < 0 && (c->wal_fd = open(c->wal_path, O_RDONLY | O_CLOEXEC)) < 0)
        return wg_err_set(err, WG_EDB, "cannot open the log '%s': %s", c->wal_path,
                          strerror(errno));
    if (fdatasync(c->wal_fd))
        return wg_err_set(err, WG_EDB, "cannot flush the log '%s' to disk: %s", c->wal_path,
                          strerror(errno));
    return WG_OK;
}

/* EXPLAIN QUERY PLAN of the statement's text, each step's detail on a line of its own. */
static enum wg_rc sq_plan(void *p, enum wg_q q, char *out, size_t n, struct wg_err *err)
{
    struct conn *c = p;
    char sql[4096];
    sqlite3_stmt *st;
    size_t used = 0;
    int w = snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", wg_query_sql(q, WG_SQL_SQLITE));
    if (w < 0 || (size_t)w >= sizeof sql)
        return wg_err_set(err, WG_EINVAL, "plan: statement %s is too long", wg_queries[q].name);
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
        return dberr(c->db, err, wg_queries[q].name);
    if (n)
        out[0] = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *d = (const char *)sqlite3_column_text(st, 3);
        w = snprintf(out + used, n - used, "%s\n", d ? d : "");
        if (w < 0 || used + (size_t)w >= n) {
            sqlite3_finalize(st);
            return wg_err_set(err, WG_EINVAL, "plan: the plan of %s is too long",
                              wg_queries[q].name);
        }
        used += (size_t)w;
    }
    sqlite3_finalize(st);
    return WG_OK;
}

static const char *sq_text(struct wg_row *r, int col)
{
    const unsigned char *t = sqlite3_column_text((sqlite3_stmt *)r->impl, col);
    return t ? (const char *)t : "";
}

static long long sq_int(struct wg_row *r, int col)
{
    return sqlite3_column_int64((sqlite3_stmt *)r->impl, col);
}

static double sq_real(struct wg_row *r, int col)
{
    return sqlite3_column_double((sqlite3_stmt *)r->impl, col);
}

static int sq_isnull(struct wg_row *r, int col)
{
    return sqlite3_column_type((sqlite3_stmt *)r->impl, col) == SQLITE_NULL;
}

static const char *const sq_schemes[] = {"sqlite", NULL};

const struct wg_backend wg_backend_sqlite = {
    .name = "SQLite",
    .schemes = sq_schemes,
    .dialect = WG_SQL_SQLITE,
    .caps = 0,
    .locate = sq_locate,
    .connect = sq_connect,
    .disconnect = sq_disconnect,
    .script = sq_script,
    .exec = sq_exec,
    .query = sq_query,
    .prepare = sq_prepare,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .plan = sq_plan,
    .defer_flush = sq_defer_flush,
    .flush = sq_flush,
    .set_durable = sq_set_durable,
    .backup = wg_sqlite_backup,
    .search = {.connect = wg_sqlite_search_connect, .words = wg_sqlite_search_words},
    .text = sq_text,
    .integer = sq_int,
    .real = sq_real,
    .isnull = sq_isnull,
};
