/* The SQLite backend: one database file per data directory, WAL journal, synchronous=FULL,
 * and each connection keeps its prepared statements for the life of the connection. */
#include "store/backend.h"
#include "core/alloc.h"
#include "core/log.h"
#include "store/sqlite/sqlite_wal.h"

#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

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

/* The text index lives in a database file of its own beside the store, "<store>-search"
 * (migration 20 moved it there), written only by the text indexer's connection
 * (sq_connect_search) so that indexing never holds the store's write lock: every other
 * connection attaches it read-only as "search", so a BEGIN IMMEDIATE there takes the store's
 * write lock and no more. Statements name its tables (order_fts, order_fts_mark) without a
 * schema and SQLite finds them in whichever schema has them. */
#define SEARCH_SUFFIX "-search"

static char *joined(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 1;
    char *s = wg_malloc(n);
    snprintf(s, n, "%s%s", a, b);
    return s;
}

/* "file:<path>?<query>" with the characters a URI filename gives meaning to escaped. */
static char *uri_of(const char *path, const char *query)
{
    size_t n = strlen(path) * 3 + strlen(query) + 8, o = 0;
    char *u = wg_malloc(n);
    o += (size_t)snprintf(u, n, "file:");
    for (const char *p = path; *p; p++) {
        if (*p == '%' || *p == '?' || *p == '#')
            o += (size_t)snprintf(u + o, n - o, "%%%02X", (unsigned char)*p);
        else
            u[o++] = *p;
    }
    snprintf(u + o, n - o, "?%s", query);
    return u;
}

static enum wg_rc open_db(const char *path, sqlite3 **db, struct wg_err *err)
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

static enum wg_rc run(sqlite3 *db, const char *sql, const char *what, struct wg_err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return WG_OK;
    enum wg_rc rc = wg_err_set(err, WG_EDB, "%s: %s", what, msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    return rc;
}

/* ATTACH the file at path, read-only, as name. */
static enum wg_rc attach(sqlite3 *db, const char *path, const char *name, struct wg_err *err)
{
    char *uri = uri_of(path, "mode=ro");
    char sql[64];
    sqlite3_stmt *st = NULL;
    enum wg_rc rc = WG_OK;
    snprintf(sql, sizeof sql, "ATTACH ?1 AS %s", name);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, uri, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = wg_err_set(err, WG_EDB, "cannot attach '%s': %s", path, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    free(uri);
    return rc;
}

/* Whether schema holds the table name, made by a statement with the words made_with in it
 * (NULL: whatever made it). */
static int has_table_made(sqlite3 *db, const char *schema, const char *name, const char *made_with)
{
    char sql[160];
    sqlite3_stmt *st = NULL;
    int yes = 0;
    snprintf(sql, sizeof sql,
             "SELECT 1 FROM %s.sqlite_master WHERE name = ?1 AND instr(sql, ?2) > 0", schema);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_bind_text(st, 2, made_with ? made_with : "", -1, SQLITE_STATIC) == SQLITE_OK)
        yes = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return yes;
}

static int has_table(sqlite3 *db, const char *schema, const char *name)
{
    return has_table_made(db, schema, name, NULL);
}

/* The trigram index keeps which orders hold each run of three characters, not where, nor
 * their text (content = ''): a search narrows by it and its LIKE decides (order_q.c). Made
 * so, the index takes half the indexer's time and a seventh of the disk of one that keeps
 * both. An index file made before is made again in this form when the store opens. */
#define COMPACT "detail = none"

/* The text index's tables: the full-text entries, the mark, and the reporters' phone lookup
 * (migration 22 dropped the store's own index of the blind index, so intake writes one
 * random index entry fewer per order). The lookup keeps the first 16 hex digits of the blind
 * index (64 bits): entries a quarter the size, so the indexer dirties fewer pages; a list
 * compares the whole blind index on the order itself. */
#define SEARCH_TABLES                                                                              \
    "CREATE VIRTUAL TABLE IF NOT EXISTS main.order_fts USING fts5(title, content,"                 \
    " tokenize = 'trigram', " COMPACT ", content = '');"                                           \
    "CREATE TABLE IF NOT EXISTS main.order_fts_mark (upto INTEGER NOT NULL);"                      \
    "CREATE TABLE IF NOT EXISTS main.order_phone (key TEXT NOT NULL, id INTEGER NOT NULL,"         \
    " PRIMARY KEY (key, id)) WITHOUT ROWID;"

/* Makes the text index's file complete when a table is missing, in one transaction. A store
 * from before migration 20 still holds its index: it is copied over with its mark, so nothing
 * is indexed again; otherwise the mark starts at 0 and the text indexer indexes every order
 * behind. A file from before the phone lookup gets it for every order up to its mark, and one
 * whose trigram index is of the older form gets it anew, for the same orders. */
static enum wg_rc ensure_search(sqlite3 *db, const char *store_path, struct wg_err *err)
{
    enum wg_rc rc;
    if (has_table(db, "main", "order_fts_mark") && has_table(db, "main", "order_phone") &&
        has_table_made(db, "main", "order_fts", COMPACT))
        return WG_OK;
    if ((rc = attach(db, store_path, "store", err)))
        return rc;
    /* what is missing is read again under the lock: another connection may have made it */
    if (!(rc = run(db, "BEGIN IMMEDIATE", "cannot make the text index", err))) {
        int marked = has_table(db, "main", "order_fts_mark");
        int phones = has_table(db, "main", "order_phone");
        int old = !marked && has_table(db, "store", "order_fts") &&
                  has_table(db, "store", "order_fts_mark");
        int orders = has_table(db, "store", "work_order");
        int remake = marked && has_table(db, "main", "order_fts") &&
                     !has_table_made(db, "main", "order_fts", COMPACT);
        if (remake)
            rc = run(db, "DROP TABLE main.order_fts;", "cannot make the text index anew", err);
        if (!rc)
            rc = run(db, SEARCH_TABLES, "cannot make the text index", err);
        if (!rc && remake && orders) {
            wg_info("text index: making it anew in its compact form for every indexed order "
                    "(once)");
            rc = run(db,
                     "INSERT INTO main.order_fts(rowid, title, content)"
                     " SELECT id, title, content FROM store.work_order"
                     " WHERE id <= (SELECT upto FROM main.order_fts_mark);",
                     "cannot make the text index anew", err);
        }
        if (!rc && old)
            rc = run(db,
                     "INSERT INTO main.order_fts(rowid, title, content)"
                     " SELECT rowid, title, content FROM store.order_fts;"
                     "INSERT INTO main.order_fts_mark(upto) SELECT upto FROM store.order_fts_mark;",
                     "cannot copy the text index", err);
        if (!rc && !marked && !old)
            rc = run(db, "INSERT INTO main.order_fts_mark(upto) VALUES (0);",
                     "cannot make the text index", err);
        /* in key order: 0.6 s instead of 2.3 s for 470,000 orders */
        if (!rc && !phones && orders) {
            wg_info("text index: making the reporters' phone lookup of every indexed order "
                    "(once)");
            rc = run(db,
                     "INSERT INTO main.order_phone(key, id)"
                     " SELECT substr(reporter_phone_blind, 1, 16), id FROM store.work_order"
                     " WHERE reporter_phone_blind <> ''"
                     " AND id <= (SELECT upto FROM main.order_fts_mark) ORDER BY 1;",
                     "cannot fill the phone lookup", err);
        }
        if (!rc)
            rc = run(db, "COMMIT", "cannot make the text index", err);
        if (rc)
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    }
    enum wg_rc rc2 = run(db, "DETACH store", "cannot detach the store", err);
    return rc ? rc : rc2;
}

/* Whether the last error of db says its file (or an attached one) is not a sound database. */
static int damaged(sqlite3 *db)
{
    int code = sqlite3_errcode(db) & 0xff;
    return code == SQLITE_NOTADB || code == SQLITE_CORRUPT;
}

/* The text index is made from the orders: a damaged file is moved aside (its log and shared
 * memory removed) so that a new one is made and filled again, instead of the store failing
 * to open. */
static void set_aside(const char *path, const char *why)
{
    char aside[4200], side[4200];
    snprintf(aside, sizeof aside, "%s.damaged", path);
    if (rename(path, aside) != 0)
        return;
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    wg_warn("the text index '%s' is damaged (%s): moved to '%s'; a new one is made and every "
            "order indexed again",
            path, why, aside);
}

static enum wg_rc open_search_once(const char *store_path, const char *path, sqlite3 **out,
                                   struct wg_err *err)
{
    enum wg_rc rc;
    if (!(rc = open_db(path, out, err)) &&
        !(rc = run(*out, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                   "cannot configure the text index", err)))
        rc = ensure_search(*out, store_path, err);
    return rc;
}

/* Opens (making it when missing, or anew when damaged) the text index's file of the store at
 * store_path. */
static enum wg_rc open_search(const char *store_path, sqlite3 **out, struct wg_err *err)
{
    char *path = joined(store_path, SEARCH_SUFFIX);
    enum wg_rc rc;
    *out = NULL;
    rc = open_search_once(store_path, path, out, err);
    if (rc && *out && damaged(*out)) {
        sqlite3_close(*out);
        *out = NULL;
        set_aside(path, err->msg);
        rc = open_search_once(store_path, path, out, err);
    }
    if (rc) {
        sqlite3_close(*out);
        *out = NULL;
    }
    free(path);
    return rc;
}

static enum wg_rc sq_connect(const char *where, int create, void **out, struct wg_err *err)
{
    struct conn *c = wg_calloc(1, sizeof *c);
    enum wg_rc rc;
    sqlite3 *search = NULL;
    char *search_path = joined(where, SEARCH_SUFFIX);
    struct stat sb;
    c->wal_fd = -1;
    if (!create && stat(where, &sb) != 0)
        rc = wg_err_set(err, WG_ENOTFOUND, "cannot open '%s': %s", where, strerror(errno));
    else
        rc = open_db(where, &c->db, err);
    if (!rc && (rc = run(c->db,
                         "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                         "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-32768;",
                         "cannot configure the store", err)))
        wg_err_prefix(err, "'%s'", where);
    /* The text index's file is attached read-only, so it must exist with its schema first:
     * when it is missing, has no schema, is of an older form or is damaged, open_search makes
     * it (anew). */
    if (!rc && (attach(c->db, search_path, "search", err) ||
                !has_table(c->db, "search", "order_fts_mark") ||
                !has_table(c->db, "search", "order_phone") ||
                !has_table_made(c->db, "search", "order_fts", COMPACT))) {
        if (sqlite3_db_filename(c->db, "search")) /* attached, without a schema */
            sqlite3_exec(c->db, "DETACH search", NULL, NULL, NULL);
        if (!(rc = open_search(where, &search, err)))
            rc = attach(c->db, search_path, "search", err);
        sqlite3_close(search);
    }
    free(search_path);
    if (rc) {
        sqlite3_close(c->db);
        free(c);
        return rc;
    }
    *out = c;
    return WG_OK;
}

/* The text indexer's connection: the text index's file as main, written here only, and the
 * store attached read-only as "store" (so its BEGIN IMMEDIATE locks the index alone). */
static enum wg_rc sq_connect_search(const char *where, void **out, struct wg_err *err)
{
    struct conn *c = wg_calloc(1, sizeof *c);
    enum wg_rc rc;
    c->wal_fd = -1;
    if (!(rc = open_search(where, &c->db, err)) &&
        ((rc = attach(c->db, where, "store", err)) ||
         (rc = run(c->db, "PRAGMA cache_size=-32768; PRAGMA wal_autocheckpoint=8000;",
                   "cannot configure the text index", err))))
        sqlite3_close(c->db);
    if (rc) {
        free(c);
        return rc;
    }
    *out = c;
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
        if (sqlite3_prepare_v3(c->db, wg_queries[q].sqlite, -1, SQLITE_PREPARE_PERSISTENT, &st,
                               NULL) != SQLITE_OK)
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
    return sq_script(p, "BEGIN IMMEDIATE", err);
}

static enum wg_rc sq_commit(void *p, struct wg_err *err)
{
    return sq_script(p, "COMMIT", err);
}

static void sq_rollback(void *p)
{
    struct conn *c = p;
    if (!sqlite3_get_autocommit(c->db))
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
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
    return sq_script(p,
                     on ? "PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=4000"
                        : "PRAGMA synchronous=FULL; PRAGMA wal_autocheckpoint=1000",
                     err);
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
    int w = snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", wg_queries[q].sqlite);
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

const struct wg_backend wg_backend_sqlite = {
    .name = "sqlite",
    .connect = sq_connect,
    .connect_search = sq_connect_search,
    .disconnect = sq_disconnect,
    .script = sq_script,
    .exec = sq_exec,
    .query = sq_query,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .plan = sq_plan,
    .defer_flush = sq_defer_flush,
    .flush = sq_flush,
    .text = sq_text,
    .integer = sq_int,
    .real = sq_real,
    .isnull = sq_isnull,
};
