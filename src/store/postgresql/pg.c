/* The PostgreSQL backend (backend.h), on libpq: one server connection per wg_db, each
 * statement of the queries table prepared on it at its first use (or, for the lists,
 * planned with its values at every call), values sent as text. A connection lost between
 * transactions is made again at the next statement; one lost inside a transaction fails
 * that transaction. Writers take the store's writer lock at BEGIN (schema.def, TX_BEGIN). */
#include "store/backend.h"

#include <stdatomic.h>
#include <stdlib.h>

#include <libpq-fe.h>

#include "core/alloc.h"
#include "core/log.h"

#define MAX_VALUES  64
#define MAX_PENDING 256 /* writes sent ahead before their answers are read */

struct pconn {
    PGconn *pg;
    char *url;
    unsigned char prepared[WG_Q_COUNT];
    PGconn *flusher;  /* with the flush deferred: the connection whose commits flush the log */
    int in_tx;        /* a transaction begun here is open: a connection lost now fails it */
    int indexer;      /* the text indexer's (pg_search_connect): its own lock, not the writers' */
    int async;        /* its commits do not wait for the disk (a deferred flush, bulk loading) */
    atomic_llong run; /* then: when the server its commits went to started (server_run) */
    atomic_int restarted; /* a connection was made again to a server started since: the
                           * commits whose log was not yet on disk may be lost */
    /* Writes sent ahead (backend.h, defer): on with defer, inside a transaction begun here,
     * a write whose caller asks nothing back is sent in libpq's pipeline mode without
     * waiting; pend[] says what each answer awaited is (a statement, or its preparation). */
    int defer, npend;
    struct {
        enum wg_q q;
        int prep;
    } pend[MAX_PENDING];
};

/* The URL as messages may show it: a password in it is never printed. */
static void shown(const char *url, char *out, size_t n)
{
    const char *at = strchr(url, '@'), *scheme = strstr(url, "://"), *colon;
    const char *pw = strstr(url, "password=");
    snprintf(out, n, "%s", url);
    if (scheme && at && (colon = strchr(scheme + 3, ':')) && colon < at)
        snprintf(out + (colon - url), n - (size_t)(colon - url), ":***%s", at);
    if (pw && (pw = strstr(out, "password="))) {
        size_t end = strcspn(pw + 9, "&");
        memmove((char *)pw + 12, pw + 9 + end, strlen(pw + 9 + end) + 1);
        memcpy((char *)pw + 9, "***", 3);
    }
}

/* What a failed result or connection says, as a wangge error: a broken constraint is a
 * conflict; a deadlock, a serialization failure, a lock not had in time, a statement
 * cancelled or timed out, a server shutting down or short of resources (too many
 * connections) and a lost connection are a moment's unavailability (the caller may try
 * again). */
static enum wg_rc pgerr(PGconn *pg, const PGresult *res, const char *what, struct wg_err *err)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg =
        res && *PQresultErrorMessage(res) ? PQresultErrorMessage(res) : PQerrorMessage(pg);
    enum wg_rc rc = WG_EDB;
    int len = (int)strcspn(msg, "\n");
    if (state && !strncmp(state, "23", 2))
        rc = WG_ECONFLICT;
    else if ((state &&
              (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03") ||
               !strncmp(state, "08", 2) || !strncmp(state, "57", 2) || !strncmp(state, "53", 2))) ||
             PQstatus(pg) == CONNECTION_BAD)
        rc = WG_EUNAVAIL;
    return wg_err_set(err, rc, "%s: %.*s", what, len, msg);
}

static int ok(const PGresult *res)
{
    ExecStatusType s = PQresultStatus(res);
    return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
}

/* Runs text on pg, statements without values, keeping the last result's verdict. */
static enum wg_rc run(PGconn *pg, const char *sql, const char *what, struct wg_err *err)
{
    PGresult *res = PQexec(pg, sql);
    enum wg_rc rc = ok(res) ? WG_OK : pgerr(pg, res, what, err);
    PQclear(res);
    return rc;
}

static void notice(void *arg, const char *msg)
{
    (void)arg;
    (void)msg; /* "relation already exists, skipping" and the like: nothing for anyone */
}

/* Whether pg_trgm splits Chinese text into trigrams here (the database's LC_CTYPE decides):
 * a search is right either way, but without them it walks every order. Said once. */
static void check_trigrams(PGconn *pg)
{
    static atomic_int said;
    PGresult *res = PQexec(pg, wg_query_sql(WG_Q_PG_TRGM_CJK, WG_SQL_PG));
    if (ok(res) && PQntuples(res) == 1 && strtol(PQgetvalue(res, 0, 0), NULL, 10) == 0 &&
        !atomic_exchange(&said, 1))
        wg_warn("PostgreSQL: this database's character classes (LC_CTYPE '%s') do not take "
                "Chinese characters as letters, so its trigram index cannot narrow a search of "
                "orders in Chinese and every search walks the orders; make the database with "
                "LC_CTYPE 'C.UTF-8' or 'zh_CN.UTF-8' (docs/DEPLOY.md)",
                PQparameterStatus(pg, "lc_ctype") ? PQparameterStatus(pg, "lc_ctype") : "?");
    PQclear(res);
}

static enum wg_rc open_pg(const char *url, PGconn **out, struct wg_err *err)
{
    char where[1024];
    PGconn *pg = PQconnectdb(url);
    enum wg_rc rc = WG_OK;
    shown(url, where, sizeof where);
    if (!pg)
        return wg_err_set(err, WG_EUNAVAIL, "cannot connect to PostgreSQL at %s", where);
    if (PQstatus(pg) != CONNECTION_OK) {
        rc = wg_err_set(err, WG_EUNAVAIL, "cannot connect to PostgreSQL at %s: %.*s", where,
                        (int)strcspn(PQerrorMessage(pg), "\n"), PQerrorMessage(pg));
    } else if (PQserverVersion(pg) < 130000) {
        rc = wg_err_set(err, WG_EINVAL, "PostgreSQL at %s is version %d; wangge needs 13 or later",
                        where, PQserverVersion(pg) / 10000);
    } else {
        PQsetNoticeProcessor(pg, notice, NULL);
        rc = run(pg, wg_query_sql(WG_Q_PG_CONFIGURE, WG_SQL_PG), "cannot configure the session",
                 err);
    }
    if (rc) {
        PQfinish(pg);
        return rc;
    }
    *out = pg;
    return WG_OK;
}

/* "postgresql://..." or "postgres://...": libpq's own connection URL, checked here. */
static enum wg_rc pg_locate(const char *url, int create, char *where, size_t n, struct wg_err *err)
{
    char *msg = NULL, shownurl[1024];
    PQconninfoOption *opts = PQconninfoParse(url, &msg);
    (void)create; /* whether the schema is there is asked once connected (store.c) */
    shown(url, shownurl, sizeof shownurl);
    if (!opts) {
        enum wg_rc rc = wg_err_set(err, WG_EINVAL, "store %s: %.*s", shownurl,
                                   msg ? (int)strcspn(msg, "\n") : 9, msg ? msg : "not a URL");
        PQfreemem(msg);
        return rc;
    }
    PQconninfoFree(opts);
    if (strlen(url) >= n)
        return wg_err_set(err, WG_EINVAL, "store URL is longer than %zu bytes", n - 1);
    snprintf(where, n, "%s", url);
    return WG_OK;
}

static enum wg_rc pg_connect(const char *where, int create, void **out, struct wg_err *err)
{
    struct pconn *c;
    PGconn *pg;
    enum wg_rc rc = open_pg(where, &pg, err);
    (void)create;
    if (rc)
        return rc;
    check_trigrams(pg);
    c = wg_calloc(1, sizeof *c);
    c->pg = pg;
    c->url = wg_strdup(where);
    *out = c;
    return WG_OK;
}

static void pg_disconnect(void *p)
{
    struct pconn *c = p;
    if (!c)
        return;
    PQfinish(c->pg); /* writes sent ahead and never settled were in a transaction: gone */
    PQfinish(c->flusher);
    free(c->url);
    free(c);
}

/* When the server pg talks to started, in microseconds (0: not known). A server that started
 * again lost the commits whose log was not yet on disk. */
static long long server_run(PGconn *pg)
{
    PGresult *res = PQexec(pg, wg_query_sql(WG_Q_PG_SERVER_RUN, WG_SQL_PG));
    long long t = ok(res) && PQntuples(res) == 1 ? strtoll(PQgetvalue(res, 0, 0), NULL, 10) : 0;
    PQclear(res);
    return t;
}

/* pg, made again for c while c's commits do not wait for the disk: notes whether the server
 * is another than the one those commits went to (the next flush then vouches for none). */
static void same_run(struct pconn *c, PGconn *pg)
{
    long long now = server_run(pg), was = atomic_exchange(&c->run, now);
    if (!now || now != was)
        atomic_store(&c->restarted, 1);
}

/* Whether c is between transactions. A lost connection says neither (libpq knows the
 * transaction's state no more): it is between them unless one begun here is still open. */
static int between(const struct pconn *c)
{
    if (PQstatus(c->pg) == CONNECTION_BAD)
        return !c->in_tx;
    return PQtransactionStatus(c->pg) == PQTRANS_IDLE;
}

/* A connection found broken between transactions is made again (its statements prepared
 * anew as they are used); WG_OK when it is sound. */
static enum wg_rc sound(struct pconn *c, struct wg_err *err)
{
    PGconn *pg;
    enum wg_rc rc;
    if (PQstatus(c->pg) == CONNECTION_OK)
        return WG_OK;
    if ((rc = open_pg(c->url, &pg, err)))
        return rc;
    if (c->async) {
        if ((rc = run(pg, wg_query_sql(WG_Q_PG_ASYNC_COMMIT, WG_SQL_PG), "reconnect", err))) {
            PQfinish(pg);
            return rc;
        }
        same_run(c, pg);
    }
    wg_warn("PostgreSQL: a lost connection was made again");
    PQfinish(c->pg);
    c->pg = pg;
    memset(c->prepared, 0, sizeof c->prepared);
    return WG_OK;
}

/* Reads the answers of every write sent ahead, and leaves pipeline mode: the first failure
 * among them, named by its statement (the transaction has then failed). */
static enum wg_rc settle(struct pconn *c, struct wg_err *err)
{
    enum wg_rc rc = WG_OK;
    PGresult *res;
    if (PQpipelineStatus(c->pg) == PQ_PIPELINE_OFF)
        return WG_OK;
    if (!PQpipelineSync(c->pg))
        rc = pgerr(c->pg, NULL, "sending writes ahead", err);
    for (int i = 0; i < c->npend; i++) {
        while ((res = PQgetResult(c->pg))) {
            ExecStatusType s = PQresultStatus(res);
            if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
                if (c->pend[i].prep)
                    c->prepared[c->pend[i].q] = 0;
                if (!rc && s != PGRES_PIPELINE_ABORTED)
                    rc = pgerr(c->pg, res, wg_queries[c->pend[i].q].name, err);
            }
            PQclear(res);
        }
    }
    c->npend = 0;
    /* the sync's own answer, then nothing */
    while ((res = PQgetResult(c->pg))) {
        ExecStatusType s = PQresultStatus(res);
        PQclear(res);
        if (s == PGRES_PIPELINE_SYNC)
            break;
    }
    if (!PQexitPipelineMode(c->pg) && !rc)
        rc = pgerr(c->pg, NULL, "sending writes ahead", err);
    return rc;
}

/* Sends write q with values vals ahead, preparing it first (ahead too) when it is new. */
static enum wg_rc send_ahead(struct pconn *c, enum wg_q q, const char *sql, const char *name,
                             const char *const *vals, int n, struct wg_err *err)
{
    if (c->npend + 2 > MAX_PENDING) {
        enum wg_rc rc = settle(c, err);
        if (rc)
            return rc;
    }
    if (PQpipelineStatus(c->pg) == PQ_PIPELINE_OFF && !PQenterPipelineMode(c->pg))
        return pgerr(c->pg, NULL, wg_queries[q].name, err);
    if (!c->prepared[q]) {
        if (!PQsendPrepare(c->pg, name, sql, 0, NULL))
            return pgerr(c->pg, NULL, wg_queries[q].name, err);
        c->prepared[q] = 1;
        c->pend[c->npend].q = q;
        c->pend[c->npend++].prep = 1;
    }
    if (!PQsendQueryPrepared(c->pg, name, n, vals, NULL, NULL, 0))
        return pgerr(c->pg, NULL, wg_queries[q].name, err);
    c->pend[c->npend].q = q;
    c->pend[c->npend++].prep = 0;
    return WG_OK;
}

/* Runs sql. Between transactions, a connection that proves lost at it (the server ended it
 * since its last use: nothing of sql ran) is made again and sql run once more. */
static enum wg_rc pg_script(void *p, const char *sql, struct wg_err *err)
{
    struct pconn *c = p;
    enum wg_rc rc = settle(c, err);
    if (rc)
        return rc;
    for (int attempt = 0; attempt < 2; attempt++) {
        int idle = between(c);
        if (idle && (rc = sound(c, err)))
            return rc;
        PGresult *res = PQexec(c->pg, sql);
        rc = ok(res) ? WG_OK : pgerr(c->pg, res, "script", err);
        PQclear(res);
        if (!rc || !idle || PQstatus(c->pg) != CONNECTION_BAD)
            break;
        wg_err_clear(err);
    }
    return rc;
}

/* Runs statement q with values v: its result, which the caller clears, or NULL with *err
 * set. Once more on a new connection when the first try found it lost between
 * transactions. With ahead set (a write whose caller asks nothing back, while writes are
 * deferred in a transaction) it is sent ahead instead: the result is NULL and *sent is set. */
static PGresult *execute(struct pconn *c, enum wg_q q, const struct wg_val *v, size_t n, int ahead,
                         int *sent, struct wg_err *err)
{
    const char *sql = wg_query_sql(q, WG_SQL_PG);
    char nums[MAX_VALUES][32], name[16];
    const char *vals[MAX_VALUES];
    PGresult *res = NULL;
    if (!sql) {
        wg_err_set(err, WG_EINTERNAL, "statement %s is not PostgreSQL's", wg_queries[q].name);
        return NULL;
    }
    if (n > MAX_VALUES) {
        wg_err_set(err, WG_EINTERNAL, "statement %s: more than %d values", wg_queries[q].name,
                   MAX_VALUES);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        switch (v[i].t) {
        case WG_V_NULL:
            vals[i] = NULL;
            break;
        case WG_V_INT:
            snprintf(nums[i], sizeof nums[i], "%lld", v[i].i);
            vals[i] = nums[i];
            break;
        case WG_V_REAL:
            snprintf(nums[i], sizeof nums[i], "%.17g", v[i].d);
            vals[i] = nums[i];
            break;
        default:
            vals[i] = v[i].s;
            break;
        }
    }
    snprintf(name, sizeof name, "wg%d", (int)q);
    if (ahead && strncmp(sql, WG_PG_PLAN_EACH, strlen(WG_PG_PLAN_EACH))) {
        *sent = !send_ahead(c, q, sql, name, vals, (int)n, err);
        return NULL;
    }
    if (settle(c, err))
        return NULL;
    for (int attempt = 0; attempt < 2; attempt++) {
        int idle = between(c);
        if (idle && sound(c, err))
            return NULL;
        if (!strncmp(sql, WG_PG_PLAN_EACH, strlen(WG_PG_PLAN_EACH))) {
            res = PQexecParams(c->pg, sql, (int)n, NULL, vals, NULL, NULL, 0);
        } else {
            if (!c->prepared[q]) {
                res = PQprepare(c->pg, name, sql, 0, NULL);
                if (!ok(res))
                    goto failed;
                PQclear(res);
                c->prepared[q] = 1;
            }
            res = PQexecPrepared(c->pg, name, (int)n, vals, NULL, NULL, 0);
        }
        if (ok(res))
            return res;
    failed:
        if (!(idle && PQstatus(c->pg) == CONNECTION_BAD && attempt == 0))
            break;
        PQclear(res);
        res = NULL;
    }
    pgerr(c->pg, res, wg_queries[q].name, err);
    PQclear(res);
    return NULL;
}

static enum wg_rc pg_exec(void *p, enum wg_q q, const struct wg_val *v, size_t n, long *changes,
                          struct wg_err *err)
{
    struct pconn *c = p;
    int sent = 0;
    PGresult *res = execute(c, q, v, n, c->defer && c->in_tx && !changes, &sent, err);
    if (sent)
        return WG_OK;
    if (!res)
        return err->rc ? err->rc : WG_EDB;
    if (changes)
        *changes = atol(PQcmdTuples(res));
    PQclear(res);
    return WG_OK;
}

static enum wg_rc pg_query(void *p, enum wg_q q, const struct wg_val *v, size_t n,
                           int (*cb)(struct wg_row *, void *), void *ctx, struct wg_err *err)
{
    int sent = 0;
    PGresult *res = execute(p, q, v, n, 0, &sent, err);
    struct wg_row row = {0};
    if (!res)
        return err->rc ? err->rc : WG_EDB;
    row.be = &wg_backend_pg;
    row.impl = res;
    for (int i = 0, rows = PQntuples(res); i < rows; i++) {
        row.index = i;
        if (cb(&row, ctx) || row.overflow_col)
            break;
    }
    PQclear(res);
    return WG_OK;
}

static enum wg_rc pg_prepare(void *p, enum wg_q q, struct wg_err *err)
{
    struct pconn *c = p;
    const char *sql = wg_query_sql(q, WG_SQL_PG);
    char name[16];
    PGresult *res;
    enum wg_rc rc = WG_OK;
    if (!sql)
        return wg_err_set(err, WG_EINTERNAL, "statement %s is not PostgreSQL's",
                          wg_queries[q].name);
    if (c->prepared[q])
        return WG_OK;
    if ((rc = settle(c, err)))
        return rc;
    /* a statement planned at each call is checked as the unnamed one */
    snprintf(name, sizeof name, "wg%d", (int)q);
    int each = !strncmp(sql, WG_PG_PLAN_EACH, strlen(WG_PG_PLAN_EACH));
    res = PQprepare(c->pg, each ? "" : name, sql, 0, NULL);
    if (!ok(res))
        rc = pgerr(c->pg, res, wg_queries[q].name, err);
    else if (!each)
        c->prepared[q] = 1;
    PQclear(res);
    return rc;
}

/* BEGIN and the writers' lock (the text indexer's: its own). When the lock is not had (a timeout, a
 * cancel), the begun transaction is rolled back here: the caller was told it did not begin, and the
 * next user of the connection must not find it failed. */
static enum wg_rc pg_begin(void *p, struct wg_err *err)
{
    struct pconn *c = p;
    enum wg_q begin = c->indexer ? WG_Q_PG_TEXT_INDEX_BEGIN : WG_Q_TX_BEGIN;
    enum wg_rc rc = pg_script(p, wg_query_sql(begin, WG_SQL_PG), err);
    if (!rc)
        c->in_tx = 1;
    else if (PQstatus(c->pg) == CONNECTION_OK && PQtransactionStatus(c->pg) != PQTRANS_IDLE)
        PQclear(PQexec(c->pg, wg_query_sql(WG_Q_TX_ROLLBACK, WG_SQL_PG)));
    return rc;
}

/* A transaction that failed inside answers COMMIT with ROLLBACK: that is a failure here. */
static enum wg_rc pg_commit(void *p, struct wg_err *err)
{
    struct pconn *c = p;
    enum wg_rc rc = settle(c, err); /* a write sent ahead failed: the transaction goes */
    PGresult *res = PQexec(c->pg, wg_query_sql(rc ? WG_Q_TX_ROLLBACK : WG_Q_TX_COMMIT, WG_SQL_PG));
    c->in_tx = 0; /* committed, rolled back, or gone with a lost connection */
    if (!rc && !ok(res))
        rc = pgerr(c->pg, res, "commit", err);
    else if (!rc && strcmp(PQcmdStatus(res), "COMMIT"))
        rc = wg_err_set(err, WG_EDB, "commit: the transaction had failed and was rolled back");
    PQclear(res);
    return rc;
}

static void pg_rollback(void *p)
{
    struct pconn *c = p;
    struct wg_err ignored = {0};
    settle(c, &ignored);
    c->in_tx = 0;
    if (PQstatus(c->pg) == CONNECTION_OK && PQtransactionStatus(c->pg) != PQTRANS_IDLE)
        PQclear(PQexec(c->pg, wg_query_sql(WG_Q_TX_ROLLBACK, WG_SQL_PG)));
}

/* c's commits stop or start waiting for the disk. */
static enum wg_rc set_async(struct pconn *c, int on, struct wg_err *err)
{
    enum wg_rc rc =
        pg_script(c, wg_query_sql(on ? WG_Q_PG_ASYNC_COMMIT : WG_Q_PG_SYNC_COMMIT, WG_SQL_PG), err);
    c->async = on && !rc;
    if (c->async) {
        atomic_store(&c->run, server_run(c->pg));
        atomic_store(&c->restarted, 0);
    }
    return rc;
}

/* The committer's COMMIT does not wait for the log's flush; the flusher's own connection
 * commits a transaction that has an id and writes nothing, and that commit waits for the
 * log to be on disk up to its own record, past every commit before it (backend.h). */
static enum wg_rc pg_defer_flush(void *p, int on, struct wg_err *err)
{
    struct pconn *c = p;
    enum wg_rc rc;
    if (!on) {
        PQfinish(c->flusher);
        c->flusher = NULL;
        return set_async(c, 0, err);
    }
    if (!c->flusher && (rc = open_pg(c->url, &c->flusher, err)))
        return rc;
    return set_async(c, 1, err);
}

/* A flush that finds its connection lost (the server ended it: nothing of the flush ran) is
 * made again on a new one: its commit still comes after every commit before it, unless the
 * server started again meanwhile, which lost those not yet on disk, and then it vouches for
 * none of them. */
static enum wg_rc pg_flush(void *p, struct wg_err *err)
{
    struct pconn *c = p;
    enum wg_rc rc = WG_OK;
    if (!c->flusher)
        return wg_err_set(err, WG_EINTERNAL, "flush: the connection does not defer its flush");
    for (int attempt = 0; attempt < 2; attempt++) {
        if (PQstatus(c->flusher) != CONNECTION_OK) {
            PGconn *pg;
            if ((rc = open_pg(c->url, &pg, err)))
                return rc;
            PQfinish(c->flusher);
            c->flusher = pg;
            same_run(c, pg);
        }
        rc = run(c->flusher, wg_query_sql(WG_Q_PG_FLUSH, WG_SQL_PG), "flush", err);
        if (!rc || PQstatus(c->flusher) == CONNECTION_OK)
            break;
        wg_err_clear(err);
    }
    if (!rc && atomic_exchange(&c->restarted, 0))
        rc = wg_err_set(err, WG_EUNAVAIL,
                        "flush: PostgreSQL started again since these commits, "
                        "which may be lost");
    return rc;
}

/* Bulk loading: commits that do not wait for the disk, then one that does, for all. */
static enum wg_rc pg_set_durable(void *p, int durable, struct wg_err *err)
{
    struct pconn *c = p;
    enum wg_rc rc;
    if (!durable)
        return set_async(c, 1, err);
    if ((rc = set_async(c, 0, err)) ||
        (rc = pg_script(p, wg_query_sql(WG_Q_PG_FLUSH, WG_SQL_PG), err)))
        return rc;
    if (atomic_exchange(&c->restarted, 0))
        rc = wg_err_set(err, WG_EUNAVAIL,
                        "PostgreSQL started again while loading: what was "
                        "loaded before may be lost");
    return rc;
}

/* The text indexer's connection (backend.h, search): a connection to the store whose
 * transactions take the indexers' lock instead of the writers', so that filling order_text
 * and order_phone (migration 25) never holds up intake. Orders are numbered and committed by
 * one writer at a time, so every order committed after the indexer read the newest id has a
 * greater one. */
static enum wg_rc pg_search_connect(const char *where, void **out, struct wg_err *err)
{
    enum wg_rc rc = pg_connect(where, 0, out, err);
    if (!rc)
        ((struct pconn *)*out)->indexer = 1;
    return rc;
}

/* pg_trgm's indexes of order_text take the list's LIKE pattern itself: the words only say
 * whether they can narrow it, as three characters or more (fewer: the orders are walked). */
static void pg_words(const char *text, char *out, size_t n)
{
    size_t chars = 0;
    for (const char *s = text; *s; s++)
        chars += ((unsigned char)*s & 0xc0) != 0x80;
    if (n)
        snprintf(out, n, "%s", chars >= 3 && strlen(text) < n ? text : "");
}

static void pg_defer(void *p, int on)
{
    ((struct pconn *)p)->defer = on;
}

static enum wg_rc pg_sync(void *p, struct wg_err *err)
{
    return settle(p, err);
}

static const char *pg_text(struct wg_row *r, int col)
{
    return PQgetvalue((PGresult *)r->impl, r->index, col);
}

static long long pg_int(struct wg_row *r, int col)
{
    const char *s = pg_text(r, col);
    if (*s == 't' || *s == 'f') /* a boolean */
        return *s == 't';
    return strtoll(s, NULL, 10);
}

static double pg_real(struct wg_row *r, int col)
{
    return strtod(pg_text(r, col), NULL);
}

static int pg_isnull(struct wg_row *r, int col)
{
    return PQgetisnull((PGresult *)r->impl, r->index, col);
}

static const char *const pg_schemes[] = {"postgresql", "postgres", NULL};

const struct wg_backend wg_backend_pg = {
    .name = "PostgreSQL",
    .schemes = pg_schemes,
    .dialect = WG_SQL_PG,
    .caps = WG_CAP_SHARED,
    .locate = pg_locate,
    .connect = pg_connect,
    .disconnect = pg_disconnect,
    .script = pg_script,
    .exec = pg_exec,
    .query = pg_query,
    .prepare = pg_prepare,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .plan = NULL,
    .defer_flush = pg_defer_flush,
    .flush = pg_flush,
    .set_durable = pg_set_durable,
    .backup_tools = "pg_basebackup and the WAL archive",
    .defer = pg_defer,
    .sync = pg_sync,
    .search = {.connect = pg_search_connect, .words = pg_words},
    .text = pg_text,
    .integer = pg_int,
    .real = pg_real,
    .isnull = pg_isnull,
};
