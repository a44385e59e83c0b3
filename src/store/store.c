/* The connection pool, schema migrations and transactions: the backend-neutral half of the
 * store, with the backends chosen by the store URL. */
#include "store/store.h"

#include <errno.h>
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>

#include <sodium.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "store/backend.h"
#include "store/gather.h"
#include "store/migrations.h"
#include "store/orders/orders_q.h"

#define POOL_MAX 16

static const struct wg_backend *const backends[] = {&wg_backend_sqlite, &wg_backend_pg};

struct wg_store {
    const struct wg_backend *be;
    char where[4096];
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct wg_db *free_list;
    int open_conns;
    int schema_version;
};

static enum wg_rc new_conn(struct wg_store *st, int create, struct wg_db **out, struct wg_err *err)
{
    struct wg_db *db = wg_calloc(1, sizeof *db);
    enum wg_rc rc;
    db->store = st;
    db->be = st->be;
    rc = st->be->connect(st->where, create, &db->conn, err);
    if (rc) {
        free(db);
        return rc;
    }
    *out = db;
    return WG_OK;
}

static void free_conn(struct wg_db *db)
{
    wg_gather_free(db->gather);
    db->be->disconnect(db->conn);
    free(db);
}

static int read_int(struct wg_row *row, void *ctx)
{
    *(long long *)ctx = wg_row_int(row, 0);
    return 1;
}

struct applied {
    unsigned char seen[1024]; /* seen[v]: migration v is applied */
    int max;
};

static int mark_applied(struct wg_row *row, void *ctx)
{
    struct applied *a = ctx;
    long long v = wg_row_int(row, 0);
    if (v > 0 && v < (long long)sizeof a->seen)
        a->seen[v] = 1;
    if (v > a->max)
        a->max = (int)v;
    return 0;
}

static int is_scheme(const char *url, const char *scheme)
{
    size_t n = strlen(scheme);
    return !strncmp(url, scheme, n) && url[n] == ':';
}

const struct wg_backend *wg_backend_for(const char *url, struct wg_err *err)
{
    for (size_t i = 0; i < sizeof backends / sizeof *backends; i++)
        for (const char *const *s = backends[i]->schemes; *s; s++)
            if (is_scheme(url, *s))
                return backends[i];
    wg_err_set(err, WG_EINVAL, "store '%.200s' is neither sqlite:DIR nor postgresql://...", url);
    return NULL;
}

/* One migration in a transaction of its own (a writer's: another server migrating the same
 * store waits, then finds it recorded and leaves it). */
static enum wg_rc apply(struct wg_db *db, const struct wg_migration *m, struct wg_err *err)
{
    const char *sql = wg_query_sql(m->q, db->be->dialect);
    long long recorded = 0;
    char now[32];
    enum wg_rc rc;
    struct wg_val v[] = {WG_VINT(m->version)};
    if ((rc = wg_db_begin(db, err)))
        return rc;
    wg_clock_iso_now(now);
    struct wg_val p[] = {WG_VINT(m->version), WG_VTEXT(now)};
    if (!(rc = wg_db_query_int(db, WG_Q_SCHEMA_HAS, v, 1, &recorded, NULL, err)) && !recorded &&
        (!sql || !(rc = db->be->script(db->conn, sql, err))))
        rc = wg_db_exec(db, WG_Q_SCHEMA_RECORD, p, 2, NULL, err);
    if (!rc)
        rc = wg_db_commit(db, err);
    if (rc) {
        wg_err_prefix(err, "migration %d (%s)", m->version, m->what);
        wg_db_rollback(db);
    }
    return rc;
}

/* Applies every migration not yet recorded, in the list's order — not only those above the
 * highest applied, so a data directory that got a later number first still gets the rest. */
static enum wg_rc migrate(struct wg_db *db, int *version, struct wg_err *err)
{
    struct applied a;
    enum wg_rc rc;
    memset(&a, 0, sizeof a);
    if ((rc = wg_db_begin(db, err)))
        return rc;
    if ((rc = wg_db_script(db, WG_Q_SCHEMA_INIT, err)) || (rc = wg_db_commit(db, err))) {
        wg_db_rollback(db);
        return rc;
    }
    rc = wg_db_query(db, WG_Q_SCHEMA_APPLIED, NULL, 0, mark_applied, &a, err);
    if (rc)
        return rc;
    int known = 0;
    for (size_t i = 0; i < wg_nmigrations; i++)
        if (wg_migrations[i].version > known)
            known = wg_migrations[i].version;
    if (a.max > known)
        return wg_err_set(err, WG_ECONFLICT,
                          "this store is at schema version %d, and this wangge knows up to %d: "
                          "a newer wangge migrated it; run that one (or restore a backup taken "
                          "before the upgrade)",
                          a.max, known);
    for (size_t i = 0; i < wg_nmigrations; i++) {
        const struct wg_migration *m = &wg_migrations[i];
        if (m->version < (int)sizeof a.seen && a.seen[m->version])
            continue;
        if ((rc = apply(db, m, err)))
            return rc;
        if (m->version > a.max)
            a.max = m->version;
    }
    *version = a.max;
    return WG_OK;
}

/* A store without a schema is only made by 'wangge init' (create). */
static enum wg_rc check_made(struct wg_db *db, const char *url, struct wg_err *err)
{
    long long n = 0;
    enum wg_rc rc = wg_db_query_int(db, WG_Q_SCHEMA_EXISTS, NULL, 0, &n, NULL, err);
    if (!rc && !n)
        rc = wg_err_set(err, WG_ENOTFOUND,
                        "'%.200s' holds no wangge store; run 'wangge init --store %.200s'", url,
                        url);
    return rc;
}

/* The store URL of where (a directory alone is SQLite's store in it) and its backend. */
static const struct wg_backend *resolve(const char *where, char *url, size_t n, struct wg_err *err)
{
    if (!wg_backend_for(where, err)) {
        wg_err_clear(err);
        snprintf(url, n, "sqlite:%s", where);
    } else {
        snprintf(url, n, "%s", where);
    }
    return wg_backend_for(url, err);
}

enum wg_rc wg_store_backup(const char *where, const char *dest, struct wg_backup_info *info,
                           struct wg_err *err)
{
    char url[4200], located[4096];
    const struct wg_backend *be = resolve(where, url, sizeof url, err);
    enum wg_rc rc;
    memset(info, 0, sizeof *info);
    if (!be)
        return err->rc;
    if (!be->backup)
        return wg_err_set(err, WG_EINVAL,
                          "a %s store is not backed up by 'wangge backup': back it up with %s "
                          "(docs/DEPLOY.md, section 6 'Backups'), and the data directory's "
                          "keys/, calendar/ and photos/ as files",
                          be->name, be->backup_tools ? be->backup_tools : "its own tools");
    if ((rc = be->locate(url, 0, located, sizeof located, err)))
        return rc;
    return be->backup(located, dest, info, err);
}

enum wg_rc wg_store_open(const char *where, int create, struct wg_store **out, struct wg_err *err)
{
    struct wg_store *st;
    struct wg_db *db = NULL;
    char url[4200];
    const struct wg_backend *be;
    enum wg_rc rc;
    if (sodium_init() < 0)
        return wg_err_set(err, WG_EINTERNAL, "libsodium failed to initialise");
    if (!(be = resolve(where, url, sizeof url, err)))
        return err->rc;
    st = wg_calloc(1, sizeof *st);
    st->be = be;
    if ((rc = be->locate(url, create, st->where, sizeof st->where, err))) {
        free(st);
        return rc;
    }
    pthread_mutex_init(&st->mu, NULL);
    pthread_cond_init(&st->cv, NULL);
    rc = new_conn(st, create, &db, err);
    if (!rc && !create)
        rc = check_made(db, url, err);
    if (!rc)
        rc = migrate(db, &st->schema_version, err);
    if (rc) {
        if (db)
            free_conn(db);
        pthread_mutex_destroy(&st->mu);
        pthread_cond_destroy(&st->cv);
        free(st);
        return rc;
    }
    st->open_conns = 1;
    db->next_free = NULL;
    st->free_list = db;
    *out = st;
    return WG_OK;
}

void wg_store_close(struct wg_store *st)
{
    if (!st)
        return;
    for (struct wg_db *db = st->free_list, *n; db; db = n) {
        n = db->next_free;
        free_conn(db);
    }
    pthread_mutex_destroy(&st->mu);
    pthread_cond_destroy(&st->cv);
    free(st);
}

int wg_store_shared(const struct wg_store *st)
{
    return (st->be->caps & WG_CAP_SHARED) != 0;
}

int wg_store_schema_version(struct wg_store *st)
{
    return st->schema_version;
}

enum wg_rc wg_store_search_open(struct wg_store *st, struct wg_db **out, struct wg_err *err)
{
    struct wg_db *db;
    enum wg_rc rc;
    *out = NULL;
    if (!st->be->search.connect)
        return WG_OK;
    db = wg_calloc(1, sizeof *db);
    db->store = st;
    db->be = st->be;
    if ((rc = st->be->search.connect(st->where, &db->conn, err))) {
        free(db);
        return rc;
    }
    *out = db;
    return WG_OK;
}

void wg_store_search_close(struct wg_db *db)
{
    if (db)
        free_conn(db);
}

enum wg_rc wg_store_get(struct wg_store *st, struct wg_db **out, struct wg_err *err)
{
    struct wg_db *db;
    enum wg_rc rc;
    pthread_mutex_lock(&st->mu);
    while (!st->free_list && st->open_conns >= POOL_MAX)
        pthread_cond_wait(&st->cv, &st->mu);
    if ((db = st->free_list)) {
        st->free_list = db->next_free;
        pthread_mutex_unlock(&st->mu);
        *out = db;
        return WG_OK;
    }
    st->open_conns++;
    pthread_mutex_unlock(&st->mu);
    rc = new_conn(st, 0, &db, err);
    if (rc) {
        pthread_mutex_lock(&st->mu);
        st->open_conns--;
        pthread_cond_signal(&st->cv);
        pthread_mutex_unlock(&st->mu);
        return rc;
    }
    *out = db;
    return WG_OK;
}

void wg_store_put(struct wg_db *db)
{
    struct wg_store *st;
    if (!db)
        return;
    if (db->in_tx)
        wg_db_rollback(db);
    st = db->store;
    pthread_mutex_lock(&st->mu);
    db->next_free = st->free_list;
    st->free_list = db;
    pthread_cond_signal(&st->cv);
    pthread_mutex_unlock(&st->mu);
}

enum wg_rc wg_db_prepare(struct wg_db *db, enum wg_q q, struct wg_err *err)
{
    if (wg_query_nparams(q, db->be->dialect) < 0)
        return wg_err_set(err, WG_EINVAL, "statement %s does not exist in %s", wg_queries[q].name,
                          db->be->name);
    return db->be->prepare(db->conn, q, err);
}

enum wg_rc wg_db_plan(struct wg_db *db, enum wg_q q, char *out, size_t n, struct wg_err *err)
{
    if (!db->be->plan)
        return wg_err_set(err, WG_EINVAL, "the %s store cannot show plans", db->be->name);
    return db->be->plan(db->conn, q, out, n, err);
}

enum wg_rc wg_db_begin(struct wg_db *db, struct wg_err *err)
{
    enum wg_rc rc;
    wg_gather_drop(db->gather);
    rc = db->be->begin(db->conn, err);
    if (!rc)
        db->in_tx = 1;
    return rc;
}

void wg_db_defer(struct wg_db *db, int on)
{
    if (db->be->defer)
        db->be->defer(db->conn, on);
}

void wg_db_gather(struct wg_db *db, int on)
{
    if (!on)
        wg_gather_drop(db->gather);
    db->gathering = on;
}

/* What is held is written before statement q runs (gather.h). */
static enum wg_rc flush_before(struct wg_db *db, enum wg_q q, struct wg_err *err)
{
    return db->gathering && wg_gather_must_flush(db, q) ? wg_gather_flush(db, err) : WG_OK;
}

enum wg_rc wg_db_sync(struct wg_db *db, struct wg_err *err)
{
    enum wg_rc rc = db->gathering && db->in_tx ? wg_gather_flush(db, err) : WG_OK;
    if (!rc && db->be->sync)
        rc = db->be->sync(db->conn, err);
    return rc;
}

enum wg_rc wg_db_begin_read(struct wg_db *db, struct wg_err *err)
{
    enum wg_rc rc = wg_db_script(db, WG_Q_TX_BEGIN_READ, err);
    if (!rc)
        db->in_tx = 1;
    return rc;
}

enum wg_rc wg_db_commit(struct wg_db *db, struct wg_err *err)
{
    enum wg_rc rc = db->gathering ? wg_gather_flush(db, err) : WG_OK;
    if (!rc)
        rc = db->be->commit(db->conn, err);
    if (!rc)
        db->in_tx = 0;
    wg_gather_drop(db->gather); /* the heads are the store's again, or rolled back */
    return rc;
}

void wg_db_rollback(struct wg_db *db)
{
    wg_gather_drop(db->gather);
    db->be->rollback(db->conn);
    db->in_tx = 0;
}

enum wg_rc wg_db_savepoint(struct wg_db *db, struct wg_err *err)
{
    return wg_db_exec(db, WG_Q_SAVEPOINT, NULL, 0, NULL, err);
}

enum wg_rc wg_db_release(struct wg_db *db, struct wg_err *err)
{
    return wg_db_exec(db, WG_Q_SAVEPOINT_RELEASE, NULL, 0, NULL, err);
}

enum wg_rc wg_db_rollback_to(struct wg_db *db, struct wg_err *err)
{
    /* what is held came after the savepoint, which wrote everything before it */
    wg_gather_drop(db->gather);
    return wg_db_exec(db, WG_Q_SAVEPOINT_ROLLBACK, NULL, 0, NULL, err);
}

/* Statement q exists in the store's dialect and takes n values. */
static enum wg_rc fits(struct wg_db *db, enum wg_q q, size_t n, struct wg_err *err)
{
    int want = wg_query_nparams(q, db->be->dialect);
    if (want < 0)
        return wg_err_set(err, WG_EINTERNAL, "statement %s does not exist in %s",
                          wg_queries[q].name, db->be->name);
    if ((size_t)want != n)
        return wg_err_set(err, WG_EINTERNAL, "statement %s takes %d values, not %zu",
                          wg_queries[q].name, want, n);
    return WG_OK;
}

enum wg_rc wg_db_script(struct wg_db *db, enum wg_q q, struct wg_err *err)
{
    enum wg_rc rc = fits(db, q, 0, err);
    if (!rc)
        rc = flush_before(db, q, err);
    return rc ? rc : db->be->script(db->conn, wg_query_sql(q, db->be->dialect), err);
}

enum wg_rc wg_db_exec(struct wg_db *db, enum wg_q q, const struct wg_val *p, size_t n,
                      long *changes, struct wg_err *err)
{
    enum wg_rc rc = fits(db, q, n, err);
    if (!rc)
        rc = flush_before(db, q, err);
    return rc ? rc : db->be->exec(db->conn, q, p, n, changes, err);
}

/* A query's callback, watched for a value wg_row_copy could not fit. */
struct guard {
    int (*cb)(struct wg_row *, void *);
    void *ctx;
    int col;
    size_t len, room;
};

static int guarded(struct wg_row *row, void *p)
{
    struct guard *g = p;
    int stop = g->cb(row, g->ctx);
    if (row->overflow_col) {
        g->col = row->overflow_col;
        g->len = row->overflow_len;
        g->room = row->overflow_room;
        return 1;
    }
    return stop;
}

enum wg_rc wg_db_query(struct wg_db *db, enum wg_q q, const struct wg_val *p, size_t n,
                       int (*cb)(struct wg_row *, void *), void *ctx, struct wg_err *err)
{
    struct guard g = {cb, ctx, 0, 0, 0};
    enum wg_rc rc = fits(db, q, n, err);
    if (!rc)
        rc = flush_before(db, q, err);
    if (!rc)
        rc = db->be->query(db->conn, q, p, n, guarded, &g, err);
    if (!rc && g.col)
        rc = wg_err_set(err, WG_EDB,
                        "%s: column %d holds %zu bytes, more than the %zu it is read "
                        "into",
                        wg_queries[q].name, g.col - 1, g.len, g.room - 1);
    return rc;
}

struct first_int {
    long long v;
    int found;
};

static int take_int(struct wg_row *row, void *ctx)
{
    struct first_int *f = ctx;
    f->v = wg_row_int(row, 0);
    f->found = 1;
    return 1;
}

enum wg_rc wg_db_query_int(struct wg_db *db, enum wg_q q, const struct wg_val *p, size_t n,
                           long long *out, int *found, struct wg_err *err)
{
    struct first_int f = {0, 0};
    enum wg_rc rc = wg_db_query(db, q, p, n, take_int, &f, err);
    if (!rc && f.found)
        *out = f.v;
    if (found)
        *found = !rc && f.found;
    return rc;
}

const char *wg_row_text(struct wg_row *row, int col)
{
    return row->be->text(row, col);
}

long long wg_row_int(struct wg_row *row, int col)
{
    return row->be->integer(row, col);
}

double wg_row_real(struct wg_row *row, int col)
{
    return row->be->real(row, col);
}

int wg_row_isnull(struct wg_row *row, int col)
{
    return row->be->isnull(row, col);
}

int wg_row_copy(struct wg_row *row, int col, char *dst, size_t n)
{
    const char *s = wg_row_text(row, col);
    size_t len = strlen(s);
    if (len >= n) {
        dst[0] = '\0';
        if (!row->overflow_col) {
            row->overflow_col = col + 1;
            row->overflow_len = len;
            row->overflow_room = n;
        }
        return -1;
    }
    memcpy(dst, s, len + 1);
    return 0;
}

enum wg_rc wg_db_count_prefix(struct wg_db *db, enum wg_q q, const char *prefix, long *out,
                              struct wg_err *err)
{
    char pat[64];
    long long n = 0;
    enum wg_rc rc;
    if (strlen(prefix) > sizeof pat - 2)
        return wg_err_set(err, WG_EINVAL, "code '%.20s...' is too long", prefix);
    snprintf(pat, sizeof pat, "%s%%", prefix);
    struct wg_val p[] = {WG_VTEXT(pat)};
    rc = wg_db_query(db, q, p, 1, read_int, &n, err);
    *out = (long)n;
    return rc;
}

enum wg_rc wg_db_set_durable(struct wg_db *db, int durable, struct wg_err *err)
{
    return db->be->set_durable ? db->be->set_durable(db->conn, durable, err) : WG_OK;
}
