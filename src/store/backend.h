/* What a store backend (sqlite.c, and pg.c to come) provides: connect, run one statement of
 * the queries table with bound values, walk result rows, run a migration script. store.c
 * and the typed query files (*_q.c) are written against this and nothing backend-specific. */
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
#undef WG_Q
    WG_Q_COUNT
};

struct wg_query_text {
    const char *name;
    const char *sqlite;
    const char *pg; /* NULL: same as sqlite, with ? turned into $n */
};
extern const struct wg_query_text wg_queries[WG_Q_COUNT];

struct wg_backend;

/* One result row, as handed to a query callback (a backend zeroes it before the first). */
struct wg_row {
    const struct wg_backend *be;
    void *impl;
    /* a value wg_row_copy could not fit: column + 1 (0: none), its length and the room; the
     * query then stops and fails naming them (wg_db_query) */
    int overflow_col;
    size_t overflow_len, overflow_room;
};

struct wg_backend {
    const char *name;
    enum wg_rc (*connect)(const char *where, int create, void **conn, struct wg_err *err);
    /* Optional (NULL: the backend keeps its text index with the orders). A connection to
     * the text index kept beside the store, the only one that writes it, with the orders
     * readable; its transactions lock the index alone (sqlite.c). */
    enum wg_rc (*connect_search)(const char *where, void **conn, struct wg_err *err);
    void (*disconnect)(void *conn);
    enum wg_rc (*script)(void *conn, const char *sql, struct wg_err *err);
    enum wg_rc (*exec)(void *conn, enum wg_q q, const struct wg_val *p, size_t n, long *changes,
                       struct wg_err *err);
    enum wg_rc (*query)(void *conn, enum wg_q q, const struct wg_val *p, size_t n,
                        int (*cb)(struct wg_row *, void *), void *ctx, struct wg_err *err);
    enum wg_rc (*begin)(void *conn, struct wg_err *err);
    enum wg_rc (*commit)(void *conn, struct wg_err *err);
    void (*rollback)(void *conn);
    /* How the backend would run statement q, one line per step (EXPLAIN QUERY PLAN); NULL
     * when the backend cannot tell. The plan checks of tests/unit/test_query_plans.c use it. */
    enum wg_rc (*plan)(void *conn, enum wg_q q, char *out, size_t n, struct wg_err *err);
    /* Optional (NULL: every COMMIT is durable when it returns). defer_flush(conn, 1): from
     * now on this connection's COMMIT returns once its transaction is written to the log,
     * before the log is on disk; flush(conn) then makes every transaction committed on the
     * connection before the call durable. flush may run on another thread while the
     * connection's next transaction is written; defer_flush(conn, 0) undoes it. The group
     * committer (commit.c) uses them to write one batch while the previous one is flushed. */
    enum wg_rc (*defer_flush)(void *conn, int on, struct wg_err *err);
    enum wg_rc (*flush)(void *conn, struct wg_err *err);
    /* row accessors */
    const char *(*text)(struct wg_row *row, int col); /* "" for NULL */
    long long (*integer)(struct wg_row *row, int col);
    double (*real)(struct wg_row *row, int col);
    int (*isnull)(struct wg_row *row, int col);
};

extern const struct wg_backend wg_backend_sqlite;

struct wg_db {
    struct wg_store *store;
    const struct wg_backend *be;
    void *conn;
    int in_tx;
    struct wg_db *next_free;
};

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

/* The plan of statement q as text lines (see wg_backend.plan); WG_EINVAL when the backend
 * cannot tell. */
enum wg_rc wg_db_plan(struct wg_db *db, enum wg_q q, char *out, size_t n, struct wg_err *err);

/* COUNT(*) of a query taking one LIKE pattern: prefix followed by %. */
enum wg_rc wg_db_count_prefix(struct wg_db *db, enum wg_q q, const char *prefix, long *out,
                              struct wg_err *err);

#define WG_NVALS(a) (sizeof(a) / sizeof((a)[0]))

#endif
