/* What a store backend (sqlite/sqlite.c, postgresql/pg.c) provides: connect, run one
 * statement of the queries table with bound values, walk result rows, run a script of the
 * table. store.c and the typed query files (*_q.c) are written against this and never ask
 * which backend they have: what differs is a capability, a hook or a statement's text. */
#ifndef WG_STORE_BACKEND_H
#define WG_STORE_BACKEND_H

#include <stddef.h>

#include "core/err.h"

enum wg_val_type { WG_V_NULL, WG_V_INT, WG_V_REAL, WG_V_TEXT };

struct wg_val {
    enum wg_val_type t;
    long long i;
    double d;
    const char *s;
};

#define WG_VINT(x)  ((struct wg_val){.t = WG_V_INT, .i = (x)})
#define WG_VREAL(x) ((struct wg_val){.t = WG_V_REAL, .d = (x)})
#define WG_VTEXT(x) ((struct wg_val){.t = WG_V_TEXT, .s = (x)})
#define WG_VNULL    ((struct wg_val){.t = WG_V_NULL})
/* Text, or NULL when the string is empty. */
#define WG_VTEXT0(x) ((x) && *(x) ? WG_VTEXT(x) : WG_VNULL)

enum wg_q {
#define WG_Q(id, sqlite_sql, pg_sql) WG_Q_##id,
#include "store/queries.def"
    /* the schema's statements follow, from WG_Q_SCHEMA_FIRST on (schema.def) */
    WG_Q_SCHEMA_FIRST,
    WG_Q_SCHEMA_BEFORE_ = WG_Q_SCHEMA_FIRST - 1,
#include "store/schema.def"
#undef WG_Q
    WG_Q_COUNT
};

/* The dialects of SQL the queries table is written in, one text of each statement per
 * dialect. */
enum wg_dialect { WG_SQL_SQLITE, WG_SQL_PG, WG_SQL_DIALECTS };

/* In the table, a statement's PostgreSQL text NULL means the SQLite text serves both, and
 * WG_NONE means the statement does not exist in that dialect (a backend's own: SQLite's
 * pragmas, PostgreSQL's locks). */
#define WG_NONE ""

struct wg_query_text {
    const char *name;
    const char *sqlite;
    const char *pg;
};
extern const struct wg_query_text wg_queries[WG_Q_COUNT];

/* Statement q's text in dialect d, its parameters numbered as that dialect writes them
 * ("?1" in SQLite, "$1" in PostgreSQL); NULL when q does not exist in d. Parameters follow
 * SQLite's rule in both: "?N" is value N, a bare "?" is one more than the highest number
 * before it, so a value used twice is bound once. */
const char *wg_query_sql(enum wg_q q, enum wg_dialect d);
/* How many values q takes in dialect d (its highest parameter number; -1 when q does not
 * exist in d). The same in every dialect q exists in: the unit tests check. */
int wg_query_nparams(enum wg_q q, enum wg_dialect d);

struct wg_backend;
struct wg_backup_info;

/* One result row, as handed to a query callback (a backend zeroes it before the first). */
struct wg_row {
    const struct wg_backend *be;
    void *impl;
    int index; /* the row's number in its result (a backend's own use) */
    /* a value wg_row_copy could not fit: column + 1 (0: none), its length and the room; the
     * query then stops and fails naming them (wg_db_query) */
    int overflow_col;
    size_t overflow_len, overflow_room;
};

/* The text index of the orders' titles and contents (docs/API.md, `q`): every order whose
 * title or content holds the words as one run of characters is found, whatever the backend;
 * the index only narrows the orders the statement's LIKE then decides. */
struct wg_search_impl {
    /* The text indexer's own connection, when the index is written behind the orders up to
     * a mark (SQLite: a file of its own beside the store; PostgreSQL: pg_trgm indexes of a
     * table of its own, written under a lock of the indexers', apart from the writers');
     * NULL when a backend keeps its index in the orders' own transactions, so there is
     * nothing to catch up. */
    enum wg_rc (*connect)(const char *where, void **conn, struct wg_err *err);
    /* The words as statement ORDER_LIST_BY_TEXT takes them, into out (size n); "" when the
     * index cannot narrow them, and the orders are walked. */
    void (*words)(const char *text, char *out, size_t n);
};

/* Capabilities: what the store does differently with a backend, asked instead of its name. */
#define WG_CAP_SHARED 1u /* several wangge servers may use one store at once */

struct wg_backend {
    const char *name;           /* as in messages: "SQLite", "PostgreSQL" */
    const char *const *schemes; /* the store URL schemes it answers, NULL-terminated */
    enum wg_dialect dialect;
    unsigned caps;
    /* Where to connect for store URL url ("sqlite:DIR": the file DIR/wangge.db); data is
     * the data directory, for a URL that names none. With create == 0 a store that is not
     * there is WG_ENOTFOUND telling to run 'wangge init'. */
    enum wg_rc (*locate)(const char *url, int create, char *where, size_t n, struct wg_err *err);
    enum wg_rc (*connect)(const char *where, int create, void **conn, struct wg_err *err);
    void (*disconnect)(void *conn);
    /* Runs text, one statement or several, with no values. The store runs only texts of the
     * queries table through it (wg_db_script); the tests run their own. */
    enum wg_rc (*script)(void *conn, const char *sql, struct wg_err *err);
    /* Runs statement q with values p[0..n) (n is checked against the statement by store.c). */
    enum wg_rc (*exec)(void *conn, enum wg_q q, const struct wg_val *p, size_t n, long *changes,
                       struct wg_err *err);
    enum wg_rc (*query)(void *conn, enum wg_q q, const struct wg_val *p, size_t n,
                        int (*cb)(struct wg_row *, void *), void *ctx, struct wg_err *err);
    /* Prepares statement q without running it: the tests check that every statement of the
     * table is sound on every backend, those no test runs included. */
    enum wg_rc (*prepare)(void *conn, enum wg_q q, struct wg_err *err);
    /* A transaction that writes: one writer at a time in the whole store, on every backend
     * (SQLite's BEGIN IMMEDIATE; PostgreSQL's writers queue on an advisory lock), so order
     * numbers, the audit chain, timelines and the counters' change log continue from the
     * last committed writer whichever server runs it. Readers never wait for it. */
    enum wg_rc (*begin)(void *conn, struct wg_err *err);
    enum wg_rc (*commit)(void *conn, struct wg_err *err);
    void (*rollback)(void *conn);
    /* How the backend would run statement q, one line per step; NULL when the backend
     * cannot tell. The plan checks of tests/unit/test_query_plans.c use it. */
    enum wg_rc (*plan)(void *conn, enum wg_q q, char *out, size_t n, struct wg_err *err);
    /* Optional (NULL: every COMMIT is durable when it returns). defer_flush(conn, 1): from
     * now on this connection's COMMIT returns once its transaction is written to the log,
     * before the log is on disk; flush(conn) then makes every transaction committed on the
     * connection before the call durable. flush may run on another thread while the
     * connection's next transaction is written; defer_flush(conn, 0) undoes it. The group
     * committer (commit.c) uses them to write one batch while the previous one is flushed. */
    enum wg_rc (*defer_flush)(void *conn, int on, struct wg_err *err);
    enum wg_rc (*flush)(void *conn, struct wg_err *err);
    /* Optional (NULL: every statement is answered before the call returns). defer(conn, 1):
     * from now on, inside a transaction, a write whose caller asks nothing back (exec without
     * changes) may be sent on without waiting for its answer; a failure of it then shows at
     * the next statement that waits, at sync, or at COMMIT, as theirs. sync(conn) waits for
     * every answer and returns the first failure. Only the group committer defers: a batch
     * with a failure is done again with deferral off, each job alone (commit.c). */
    void (*defer)(void *conn, int on);
    enum wg_rc (*sync)(void *conn, struct wg_err *err);
    /* Optional: bulk loading with commits that do not wait for the disk (durable 0), and
     * back (durable 1, which makes everything before durable). */
    enum wg_rc (*set_durable)(void *conn, int durable, struct wg_err *err);
    /* Optional (NULL: the backend is backed up with its own tools, docs/DEPLOY.md): copies
     * the store at where (as locate found it) into the new file dest from one read snapshot,
     * while servers go on writing it, and checks the copy (wg_store_backup). */
    enum wg_rc (*backup)(const char *where, const char *dest, struct wg_backup_info *info,
                         struct wg_err *err);
    const char *backup_tools; /* without backup: what backs the store up instead */
    struct wg_search_impl search;
    /* row accessors */
    const char *(*text)(struct wg_row *row, int col); /* "" for NULL */
    long long (*integer)(struct wg_row *row, int col);
    double (*real)(struct wg_row *row, int col);
    int (*isnull)(struct wg_row *row, int col);
};

/* The backend answering store URL url, or NULL (err says which schemes there are). */
const struct wg_backend *wg_backend_for(const char *url, struct wg_err *err);

extern const struct wg_backend wg_backend_sqlite, wg_backend_pg;

struct wg_db {
    struct wg_store *store;
    const struct wg_backend *be;
    void *conn;
    int in_tx;
    int gathering;            /* the committer's: small writes held for the batch (gather.h) */
    struct wg_gather *gather; /* made at the first write held */
    struct wg_db *next_free;
};

/* Runs script q of the queries table (statements separated by ';', no values). */
enum wg_rc wg_db_script(struct wg_db *db, enum wg_q q, struct wg_err *err);

/* Shorthands for the typed query files. */
enum wg_rc wg_db_exec(struct wg_db *db, enum wg_q q, const struct wg_val *p, size_t n,
                      long *changes, struct wg_err *err);
enum wg_rc wg_db_query(struct wg_db *db, enum wg_q q, const struct wg_val *p, size_t n,
                       int (*cb)(struct wg_row *, void *), void *ctx, struct wg_err *err);
const char *wg_row_text(struct wg_row *row, int col);
long long wg_row_int(struct wg_row *row, int col);
double wg_row_real(struct wg_row *row, int col);
int wg_row_isnull(struct wg_row *row, int col);
/* Copies column col's text into dst (size n). A value that does not fit is never cut: dst
 * is left empty and the query stops and fails with WG_EDB naming the column (the callback
 * need not check; -1 is returned for one that wants to stop at once). */
int wg_row_copy(struct wg_row *row, int col, char *dst, size_t n);
/* Runs q and takes the first column of its first row as a whole number into *out; *found
 * (may be NULL) says whether there was a row (*out is left alone when not). */
enum wg_rc wg_db_query_int(struct wg_db *db, enum wg_q q, const struct wg_val *p, size_t n,
                           long long *out, int *found, struct wg_err *err);

/* Prepares statement q on db's connection without running it (wg_backend.prepare). */
enum wg_rc wg_db_prepare(struct wg_db *db, enum wg_q q, struct wg_err *err);

/* The plan of statement q as text lines (see wg_backend.plan); WG_EINVAL when the backend
 * cannot tell. */
enum wg_rc wg_db_plan(struct wg_db *db, enum wg_q q, char *out, size_t n, struct wg_err *err);

/* COUNT(*) of a query taking one LIKE pattern: prefix followed by %. */
enum wg_rc wg_db_count_prefix(struct wg_db *db, enum wg_q q, const char *prefix, long *out,
                              struct wg_err *err);

#define WG_NVALS(a) (sizeof(a) / sizeof((a)[0]))

#endif
