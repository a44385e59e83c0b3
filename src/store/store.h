/* The store: everything wangge keeps, behind one interface with two backends, SQLite (the
 * embedded default, WAL mode, one file in the data directory) and PostgreSQL (for several
 * app servers). Only src/store/ speaks SQL: every statement is written once in queries.def,
 * and the rest of wangge calls the typed functions below.
 *
 * A struct wg_store is a pool of connections. Work is done on a struct wg_db, a connection
 * taken from the pool with wg_store_get() and given back with wg_store_put(); a transaction
 * lives on one wg_db between wg_db_begin() and wg_db_commit()/wg_db_rollback(). */
#ifndef WG_STORE_STORE_H
#define WG_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct wg_store;
struct wg_db;

/* Opens (and with create, makes) the store in data directory dir and applies pending
 * migrations. A directory that holds no store and create == 0 is WG_ENOTFOUND with a
 * message telling to run 'wangge init'. */
enum wg_rc wg_store_open(const char *dir, int create, struct wg_store **out, struct wg_err *err);
void wg_store_close(struct wg_store *st);
int wg_store_schema_version(struct wg_store *st);
/* 1 when several wangge servers may use the store at once (a capability of its backend,
 * store/backend.h's WG_CAP_SHARED), 0 when one server owns it. */
int wg_store_shared(const struct wg_store *st);

enum wg_rc wg_store_get(struct wg_store *st, struct wg_db **out, struct wg_err *err);
void wg_store_put(struct wg_db *db); /* rolls back a transaction left open */
/* A connection of its own, outside the pool, to the text index when the backend keeps it
 * apart from the store (SQLite: the file "wangge.db-search"); the only connection that may
 * write the index. *out is NULL when the backend keeps no such index. */
enum wg_rc wg_store_search_open(struct wg_store *st, struct wg_db **out, struct wg_err *err);
void wg_store_search_close(struct wg_db *db); /* NULL: nothing */

/* Bulk loading (demo history): commits stop waiting for the disk until durable is set back
 * to 1, which also checkpoints. Never for live traffic. */
enum wg_rc wg_db_set_durable(struct wg_db *db, int durable, struct wg_err *err);

enum wg_rc wg_db_begin(struct wg_db *db, struct wg_err *err);
/* A transaction that only reads: it sees the store as it was when it began, all along, and
 * neither waits for a writer nor holds one up. Ended by wg_db_commit or wg_db_rollback. */
enum wg_rc wg_db_begin_read(struct wg_db *db, struct wg_err *err);
enum wg_rc wg_db_commit(struct wg_db *db, struct wg_err *err);
void wg_db_rollback(struct wg_db *db);

/* Savepoints inside a transaction, nested as a stack: rolling back to the innermost undoes
 * what was done since it and keeps it open (release it after); releasing it keeps the work
 * as part of the enclosing transaction. */
enum wg_rc wg_db_savepoint(struct wg_db *db, struct wg_err *err);
enum wg_rc wg_db_release(struct wg_db *db, struct wg_err *err);
enum wg_rc wg_db_rollback_to(struct wg_db *db, struct wg_err *err);

/* ---- group commit ----
 * A committer is one thread with one connection that owns the store's hot write path.
 * Request threads hand it a job (a function and its context) with wg_committer_run() and
 * block, or with wg_committer_submit() and a callback. The thread takes every job queued
 * since its last commit (up to a batch cap) and runs them in one transaction. A job whose
 * function fails is undone alone and answers its own error, the others stay: the batch is
 * rolled back and run again with each job inside a savepoint of its own (so a job may run
 * more than once, and must only write, from what its context holds, and set its outputs
 * there). Then one COMMIT writes the whole batch to the log, and only once the log is on
 * disk are the jobs answered. With SQLite the COMMIT does not wait for the disk: a second
 * thread syncs the log (one fdatasync for every batch committed since its last) and
 * answers, while the writer goes on with the next batch. Other connections may read a
 * batch's rows in that moment before its sync; nobody is told it is stored before it is
 * durable. So a caller that got WG_OK knows its writes are on disk, and under load one fsync
 * is shared by as many requests as arrived during the previous one: there is no timer and
 * no waiting for a batch to fill, an idle store commits a lone job at once.
 *
 * If the COMMIT (or the BEGIN) fails, every job of the batch fails with that error and
 * nothing of it was kept. Jobs run one after another on the committer's connection: they
 * see each other's writes (order numbers and the audit chain continue from the previous
 * job), must not open or commit transactions themselves (wg_db_in_tx() is true for them),
 * and should only write: validation, sealing and rendering belong on the request's thread,
 * before and after. Reads on other connections keep going while a batch is written (WAL).
 */
struct wg_committer;
typedef enum wg_rc (*wg_commit_fn)(struct wg_db *db, void *ctx, struct wg_err *err);
/* Starts the thread on a connection of its own from st. max_batch 0: 1024. */
enum wg_rc wg_committer_start(struct wg_store *st, int max_batch, struct wg_committer **out,
                              struct wg_err *err);
/* Runs the jobs already queued, then stops the thread; later runs answer WG_EUNAVAIL.
 * NULL is a no-op. */
void wg_committer_stop(struct wg_committer *c);
/* Runs fn(db, ctx, err) in the next batch and returns once that batch committed or failed:
 * fn's own error (its writes undone), the batch's error, or WG_OK when durable. */
enum wg_rc wg_committer_run(struct wg_committer *c, wg_commit_fn fn, void *ctx, struct wg_err *err);
/* fn in a transaction: by the committer c, or on db in one of its own when c is NULL (a tool
 * or a test without a committer). */
enum wg_rc wg_committer_or_db(struct wg_committer *c, struct wg_db *db, wg_commit_fn fn, void *ctx,
                              struct wg_err *err);
/* The same without waiting: queues fn(db, ctx, err) and returns WG_OK, and then(then_arg, rc)
 * is called once with what wg_committer_run would have returned, on a thread of the
 * committer's, when the batch is durable or failed (so it must be quick and must not use the
 * committer). ctx and err must live until then. Not queued (then is never called): an error,
 * WG_EUNAVAIL once the committer stops. */
typedef void (*wg_commit_done_fn)(void *then_arg, enum wg_rc rc);
enum wg_rc wg_committer_submit(struct wg_committer *c, wg_commit_fn fn, void *ctx,
                               struct wg_err *err, wg_commit_done_fn then, void *then_arg);
/* Batch sizes are counted in buckets of at most 1, 2, 4, ... 1024 jobs, and over. */
#define WG_COMMIT_SIZE_BUCKETS 11
struct wg_committer_stats {
    long long batches, jobs, failed_jobs, largest_batch;
    long long flushes; /* syncs of the log by the flusher (0 when COMMIT syncs it itself) */
    long long redone;  /* batches done again because one of their jobs failed */
    /* batches by size: sizes[i] those of 2^(i-1) < n <= 2^i jobs, the last those over 1024 */
    long long sizes[WG_COMMIT_SIZE_BUCKETS + 1];
    int queued;   /* now: jobs waiting for a batch */
    int flushing; /* now: jobs committed, waiting for the log to reach the disk */
};
void wg_committer_stats(struct wg_committer *c, struct wg_committer_stats *out);

/* Named counters: the grid epoch is bumped by every grid import, so servers that share the
 * store can notice and rebuild their locate index. */
enum wg_rc wg_store_meta_get(struct wg_db *db, const char *name, long long *out,
                             struct wg_err *err);
enum wg_rc wg_store_meta_bump(struct wg_db *db, const char *name, struct wg_err *err);
enum wg_rc wg_store_meta_set(struct wg_db *db, const char *name, long long value,
                             struct wg_err *err);

/* Copies every row of store from into store to, which must be new (made by wg_store_open
 * with create, holding nothing yet): from one snapshot of from, so a store in use copies
 * whole; then reads both back, table by table, and fails naming the first table whose copy
 * differs. progress (may be NULL) is called after each table. The keys stay in the data
 * directory: the copy's servers need the same. */
struct wg_copy_report {
    int tables;
    long long rows;
};
enum wg_rc wg_store_copy(struct wg_store *from, struct wg_store *to,
                         void (*progress)(const char *table, long long rows, void *ctx), void *ctx,
                         struct wg_copy_report *rep, struct wg_err *err);

/* An online backup of the store at url (a store URL or a data directory, as wg_store_open
 * takes them) into the new file dest (which must not exist): a copy of one moment, taken
 * while servers go on writing the store, then checked (SQLite's quick_check) and described
 * in *info. Migrations are not applied: the store is only read. A backend without such a
 * copy (PostgreSQL, which has pg_basebackup) is WG_EINVAL saying so. */
struct wg_backup_info {
    int schema_version;
    long long orders;
    long long bytes; /* the copy's size */
};
enum wg_rc wg_store_backup(const char *url, const char *dest, struct wg_backup_info *info,
                           struct wg_err *err);

/* The group committer's own (backend.h, defer and sync): writes sent on without waiting for
 * their answers, and the wait for all of them, with the first failure. Without a backend
 * that defers, nothing and WG_OK. */
void wg_db_defer(struct wg_db *db, int on);
/* The group committer's too: its transactions hold the small writes every job makes and
 * write each table's for the batch at once (store/gather.h). Off drops what is held. */
void wg_db_gather(struct wg_db *db, int on);
/* Writes what is held (wg_db_gather), then waits for the writes sent on. */
enum wg_rc wg_db_sync(struct wg_db *db, struct wg_err *err);

/* Whether db is inside a transaction (wg_db_begin without commit or rollback yet). */
int wg_db_in_tx(const struct wg_db *db);

#endif
