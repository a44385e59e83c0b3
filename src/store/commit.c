/* Group commit (store.h): one writer thread runs the jobs that concurrent requests hand it
 * in one transaction, answering them all after one COMMIT; a job that fails is undone
 * alone. The jobs of wg_committer_run live on their callers' stacks, and each caller sleeps
 * on its own semaphore until its batch is durable or failed; a job of wg_committer_submit
 * is the committer's, and its callback is called instead.
 *
 * When the backend can defer the flush of its log (backend.h), a second thread, the
 * flusher, makes batches durable: the writer's COMMIT only writes the batch to the log and
 * hands its jobs over, then goes on with the next batch while the flusher syncs the log
 * (one sync for every batch handed over since the last) and answers. So the writer never
 * waits for the disk, and waking the answered callers is off its path too. A job is still
 * answered WG_OK only once its batch is on disk. */
#include "store/store.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>

#include "core/alloc.h"
#include "core/log.h"
#include "store/backend.h"

#define DEFAULT_BATCH 1024
#define WAKE_BATCH    8 /* queued jobs that wake a writer waiting for the flusher */

struct job {
    wg_commit_fn fn;
    void *ctx;
    struct wg_err *err; /* the caller's, or own */
    struct wg_err own;
    enum wg_rc rc;
    sem_t done;             /* a waiting caller's (wg_committer_run) */
    wg_commit_done_fn then; /* or a submitter's (wg_committer_submit): the job is malloc'd */
    void *then_arg;
    struct job *next;
};

struct wg_committer {
    struct wg_store *st;
    struct wg_db *db;
    pthread_t thread, flusher;
    pthread_mutex_t mu;      /* everything below */
    pthread_cond_t cv;       /* the writer's: a job came, the flusher is free, or stop */
    pthread_cond_t fcv;      /* the flusher's: a batch to flush, or stop */
    struct job *head, *tail; /* queued jobs (queued of them) */
    int queued, wake_at;     /* a job that makes queued reach wake_at wakes the writer */
    int stopping, max_batch;
    struct wg_committer_stats stats;
    int deferred;              /* the backend defers the flush, and the flusher runs */
    struct job *fhead, *ftail; /* committed, waiting for the flush (fn of them) */
    int fn, flushing, fstopping;
    int in_flush; /* jobs of the sync under way */
};

/* The jobs of the open transaction, in order (last->next is NULL). */
struct batch {
    struct job *first, *last;
    int n;
    int redone; /* a job failed: the batch was done again, and now runs each job guarded */
};

/* Answers jobs first..(n of them) with what they hold; a job may be gone once posted. */
static void answer(struct job *j, int n)
{
    while (n-- > 0) {
        struct job *next = j->next;
        if (j->then) {
            j->then(j->then_arg, j->rc);
            free(j);
        } else {
            sem_post(&j->done);
        }
        j = next;
    }
}

/* The batch failed as a whole: every job that had succeeded gets the batch's error. */
static void fail_all(struct job *j, int n, const struct wg_err *e)
{
    for (int i = 0; i < n; i++, j = j->next)
        if (j->rc == WG_OK) {
            *j->err = *e;
            j->rc = e->rc ? e->rc : WG_EDB;
        }
}

/* The bucket of a batch of n jobs (store.h, sizes). */
static int size_bucket(int n)
{
    int b = 0;
    while (b < WG_COMMIT_SIZE_BUCKETS && n > (1 << b))
        b++;
    return b;
}

/* Counted before the jobs are answered, so a caller that has its answer also sees its job in
 * the statistics. */
static void count(struct wg_committer *c, int n, int failed, int redone)
{
    pthread_mutex_lock(&c->mu);
    c->stats.batches++;
    c->stats.redone += redone;
    c->stats.jobs += n;
    c->stats.failed_jobs += failed;
    if (n > c->stats.largest_batch)
        c->stats.largest_batch = n;
    c->stats.sizes[size_bucket(n)]++;
    pthread_mutex_unlock(&c->mu);
}

/* Up to room queued jobs, as a list of their own; called with mu held. */
static struct job *take(struct wg_committer *c, int room, int *n)
{
    struct job *first = c->head, *last = first;
    *n = 0;
    if (!first || room <= 0)
        return NULL;
    *n = 1;
    while (last->next && *n < room) {
        last = last->next;
        (*n)++;
    }
    c->head = last->next;
    last->next = NULL;
    if (!c->head)
        c->tail = NULL;
    c->queued -= *n;
    return first;
}

/* How a job ran in the open transaction. */
enum ran { RAN, REDO, BROKEN };

/* Runs one job. Unguarded, it writes straight into the transaction: when it fails, its
 * writes cannot be told from the others', so the transaction must be done again (REDO).
 * Guarded, it runs inside a savepoint of its own, and a failure is rolled back alone.
 * BROKEN: the transaction cannot be kept (why in *e). */
static enum ran run_one(struct wg_db *db, struct job *j, int guarded, struct wg_err *e)
{
    if (!guarded) {
        /* a failure may also be a write an earlier job sent ahead (wg_db_defer) or held
         * (wg_db_gather) */
        if ((j->rc = j->fn(db, j->ctx, j->err)))
            return db->in_tx ? REDO : BROKEN;
    } else {
        if ((j->rc = wg_db_savepoint(db, j->err)))
            return BROKEN;
        if ((j->rc = j->fn(db, j->ctx, j->err))) {
            /* this job alone goes: back to its savepoint, then drop the savepoint */
            if (wg_db_rollback_to(db, e) || wg_db_release(db, e))
                return BROKEN;
        } else if (wg_db_release(db, e)) {
            return BROKEN;
        }
    }
    if (!db->in_tx) { /* a job must not end the batch's transaction */
        wg_err_set(e, WG_EINTERNAL, "group commit: a job ended the transaction");
        return BROKEN;
    }
    return RAN;
}

/* Runs the jobs from j to the end of the batch's list. Nonzero when the transaction broke
 * (why in *e): the jobs not yet run then answer the batch's error. */
static int run_from(struct wg_db *db, struct batch *b, struct job *j, struct wg_err *e);

/* A job failed unguarded: the transaction is rolled back and begun again, and the batch so
 * far runs again, each job in a savepoint now, so the failure is undone alone and the
 * others are kept. Jobs only write, from what their context holds, so running one again
 * does what running it once would have done. */
static int redo(struct wg_db *db, struct batch *b, struct wg_err *e)
{
    wg_db_rollback(db);
    wg_db_defer(db, 0);  /* each job's statements answered in turn: its failure is its own */
    wg_db_gather(db, 0); /* and each job's writes made at once */
    b->redone = 1;
    if (wg_db_begin(db, e)) {
        wg_err_prefix(e, "group commit: begin");
        for (struct job *j = b->first; j; j = j->next)
            j->rc = WG_OK;
        return 1;
    }
    for (struct job *j = b->first; j; j = j->next)
        *j->err = (struct wg_err){0};
    return run_from(db, b, b->first, e);
}

static int run_from(struct wg_db *db, struct batch *b, struct job *j, struct wg_err *e)
{
    for (; j; j = j->next) {
        enum ran r = run_one(db, j, b->redone, e);
        if (r == RAN)
            continue;
        if (r == REDO)
            return redo(db, b, e);
        if (!e->rc)
            *e = *j->err;
        for (j = j->next; j; j = j->next) /* the rest join the batch unrun */
            j->rc = WG_OK;
        return 1;
    }
    return 0;
}

/* Adds the k jobs of seg to the batch and runs them in the open transaction. Nonzero when
 * the transaction broke and cannot be kept (why in *e).
 *
 * A savepoint around every job would let a failing one be undone alone, but it costs every
 * job: each page a job first touches is copied for its savepoint (bench/intake: ~12% more
 * creates without). Jobs rarely fail, so they run bare, and a failure has the batch done
 * again with savepoints (redo). */
static int run_jobs(struct wg_db *db, struct batch *b, struct job *seg, int k, struct wg_err *e)
{
    if (b->last)
        b->last->next = seg;
    else
        b->first = seg;
    b->n += k;
    for (b->last = seg; b->last->next; b->last = b->last->next)
        ;
    return run_from(db, b, seg, e);
}

/* The transaction cannot tell one job's writes from another's: nothing is kept. */
static void abandon(struct wg_committer *c, struct batch *b, const struct wg_err *e)
{
    wg_error("group commit: batch of %d abandoned: %s", b->n, e->msg);
    wg_db_rollback(c->db);
    fail_all(b->first, b->n, e);
    count(c, b->n, b->n, b->redone);
    answer(b->first, b->n);
}

/* Commits the batch: it is answered now, or once the log is on disk when the flusher runs. */
static void finish(struct wg_committer *c, struct batch *b)
{
    struct wg_err e = {0};
    int failed = 0;
    if (wg_db_commit(c->db, &e)) {
        wg_err_prefix(&e, "group commit");
        abandon(c, b, &e);
        return;
    }
    for (struct job *j = b->first; j; j = j->next)
        failed += j->rc != WG_OK;
    count(c, b->n, failed, b->redone);
    if (!c->deferred) {
        answer(b->first, b->n);
        return;
    }
    pthread_mutex_lock(&c->mu);
    if (c->ftail)
        c->ftail->next = b->first;
    else
        c->fhead = b->first;
    c->ftail = b->last;
    c->fn += b->n;
    pthread_cond_signal(&c->fcv);
    pthread_mutex_unlock(&c->mu);
}

/* One transaction: BEGIN, then the queued jobs as they come, then COMMIT. While the flusher
 * is still syncing the previous batch, jobs that arrive run in this transaction at once, and
 * it commits as soon as the flusher is free (or the batch is full): the batch is as large as
 * what arrives during one sync, and its statements ran while the disk worked. Called and
 * returns with mu held, a job queued. */
static void write_batch(struct wg_committer *c)
{
    struct batch b = {0};
    struct wg_err e = {0};
    struct job *seg;
    int k, broke = 0;
    pthread_mutex_unlock(&c->mu);
    if (wg_db_begin(c->db, &e)) {
        wg_err_prefix(&e, "group commit: begin");
        pthread_mutex_lock(&c->mu);
        seg = take(c, c->max_batch, &k);
        pthread_mutex_unlock(&c->mu);
        for (struct job *j = seg; j; j = j->next)
            j->rc = WG_OK;
        fail_all(seg, k, &e);
        count(c, k, k, 0);
        answer(seg, k);
        pthread_mutex_lock(&c->mu);
        return;
    }
    wg_db_defer(c->db, 1);
    wg_db_gather(c->db, 1);
    pthread_mutex_lock(&c->mu);
    for (;;) {
        if ((seg = take(c, c->max_batch - b.n, &k))) {
            pthread_mutex_unlock(&c->mu);
            broke = run_jobs(c->db, &b, seg, k, &e);
            pthread_mutex_lock(&c->mu);
            if (broke)
                break;
            continue;
        }
        if (b.n >= c->max_batch || !c->deferred || c->stopping || (!c->flushing && !c->fhead))
            break;
        /* woken by the flusher, or by a handful of jobs: not by each one, as every wake-up
         * is a switch of threads */
        c->wake_at = WAKE_BATCH;
        pthread_cond_wait(&c->cv, &c->mu);
        c->wake_at = 1;
    }
    pthread_mutex_unlock(&c->mu);
    /* every write sent ahead answered before the COMMIT: a failure among them has the batch
     * done again, each job alone */
    if (!broke && !b.redone && wg_db_sync(c->db, &e)) {
        e = (struct wg_err){0};
        broke = redo(c->db, &b, &e);
    }
    if (broke)
        abandon(c, &b, &e);
    else
        finish(c, &b);
    pthread_mutex_lock(&c->mu);
}

/* Syncs the log for every batch handed over since its last sync, then answers them. */
static void *flusher(void *arg)
{
    struct wg_committer *c = arg;
    pthread_setname_np(pthread_self(), "wg-flusher");
    pthread_mutex_lock(&c->mu);
    for (;;) {
        struct job *first;
        struct wg_err e = {0};
        int n;
        while (!c->fhead && !c->fstopping)
            pthread_cond_wait(&c->fcv, &c->mu);
        if (!c->fhead)
            break;
        first = c->fhead;
        n = c->fn;
        c->fhead = c->ftail = NULL;
        c->fn = 0;
        c->flushing = 1;
        c->in_flush = n;
        pthread_mutex_unlock(&c->mu);
        if (c->db->be->flush(c->db->conn, &e)) {
            /* committed but perhaps not on disk: nobody is told it is stored */
            wg_error("group commit: %s; %d writes are not known to be durable", e.msg, n);
            fail_all(first, n, &e);
        }
        pthread_mutex_lock(&c->mu);
        c->stats.flushes++;
        c->flushing = 0;
        c->in_flush = 0;
        pthread_cond_signal(&c->cv); /* the writer may commit its next batch now */
        pthread_mutex_unlock(&c->mu);
        answer(first, n);
        pthread_mutex_lock(&c->mu);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

static void *writer(void *arg)
{
    struct wg_committer *c = arg;
    pthread_setname_np(pthread_self(), "wg-writer"); /* for top -H and bench/intake */
    pthread_mutex_lock(&c->mu);
    for (;;) {
        while (!c->head && !c->stopping)
            pthread_cond_wait(&c->cv, &c->mu);
        if (!c->head)
            break;
        write_batch(c);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

/* Answers what is handed over, stops the flusher, and gives the connection back its own
 * flushing before it returns to the pool. */
static void stop_flusher(struct wg_committer *c)
{
    struct wg_err e = {0};
    if (!c->deferred)
        return;
    pthread_mutex_lock(&c->mu);
    c->fstopping = 1;
    pthread_cond_signal(&c->fcv);
    pthread_mutex_unlock(&c->mu);
    pthread_join(c->flusher, NULL);
    c->deferred = 0;
    if (c->db->be->defer_flush(c->db->conn, 0, &e))
        wg_error("group commit: %s", e.msg);
}

static void destroy(struct wg_committer *c)
{
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cv);
    pthread_cond_destroy(&c->fcv);
    free(c);
}

enum wg_rc wg_committer_start(struct wg_store *st, int max_batch, struct wg_committer **out,
                              struct wg_err *err)
{
    struct wg_committer *c = wg_calloc(1, sizeof *c);
    enum wg_rc rc;
    c->st = st;
    c->max_batch = max_batch > 0 ? max_batch : DEFAULT_BATCH;
    c->wake_at = 1;
    if ((rc = wg_store_get(st, &c->db, err))) {
        free(c);
        return rc;
    }
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    pthread_cond_init(&c->fcv, NULL);
    if (c->db->be->defer_flush && c->db->be->flush) {
        struct wg_err e = {0};
        if (c->db->be->defer_flush(c->db->conn, 1, &e)) /* a store in memory, say */
            wg_debug("group commit: each COMMIT flushes its own log: %s", e.msg);
        else if (pthread_create(&c->flusher, NULL, flusher, c))
            c->db->be->defer_flush(c->db->conn, 0, &e);
        else
            c->deferred = 1;
    }
    if (pthread_create(&c->thread, NULL, writer, c)) {
        stop_flusher(c);
        wg_store_put(c->db);
        destroy(c);
        return wg_err_set(err, WG_EINTERNAL, "cannot start the group commit thread");
    }
    *out = c;
    return WG_OK;
}

void wg_committer_stop(struct wg_committer *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->mu);
    c->stopping = 1;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
    pthread_join(c->thread, NULL);
    stop_flusher(c);
    wg_store_put(c->db);
    destroy(c);
}

/* Queues j; WG_EUNAVAIL (not queued) once the committer stops. */
static enum wg_rc enqueue(struct wg_committer *c, struct job *j, struct wg_err *err)
{
    pthread_mutex_lock(&c->mu);
    if (c->stopping) {
        pthread_mutex_unlock(&c->mu);
        return wg_err_set(err, WG_EUNAVAIL, "the store is shutting down");
    }
    if (c->tail)
        c->tail->next = j;
    else
        c->head = j;
    c->tail = j;
    if (++c->queued >= c->wake_at)
        pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
    return WG_OK;
}

enum wg_rc wg_committer_run(struct wg_committer *c, wg_commit_fn fn, void *ctx, struct wg_err *err)
{
    struct job j;
    enum wg_rc rc;
    memset(&j, 0, sizeof j);
    j.fn = fn;
    j.ctx = ctx;
    j.err = err ? err : &j.own;
    if (sem_init(&j.done, 0, 0))
        return wg_err_set(err, WG_EINTERNAL, "cannot make a semaphore: %s", strerror(errno));
    if ((rc = enqueue(c, &j, err))) {
        sem_destroy(&j.done);
        return rc;
    }
    while (sem_wait(&j.done) && errno == EINTR)
        ;
    sem_destroy(&j.done);
    return j.rc;
}

enum wg_rc wg_committer_submit(struct wg_committer *c, wg_commit_fn fn, void *ctx,
                               struct wg_err *err, wg_commit_done_fn then, void *then_arg)
{
    struct job *j = wg_calloc(1, sizeof *j);
    enum wg_rc rc;
    j->fn = fn;
    j->ctx = ctx;
    j->err = err ? err : &j->own;
    j->then = then;
    j->then_arg = then_arg;
    if ((rc = enqueue(c, j, err)))
        free(j);
    return rc;
}

void wg_committer_stats(struct wg_committer *c, struct wg_committer_stats *out)
{
    pthread_mutex_lock(&c->mu);
    *out = c->stats;
    out->queued = c->queued;
    out->flushing = c->fn + c->in_flush;
    pthread_mutex_unlock(&c->mu);
}

enum wg_rc wg_committer_or_db(struct wg_committer *c, struct wg_db *db, wg_commit_fn fn, void *ctx,
                              struct wg_err *err)
{
    enum wg_rc rc;
    if (c)
        return wg_committer_run(c, fn, ctx, err);
    if ((rc = wg_db_begin(db, err)))
        return rc;
    if ((rc = fn(db, ctx, err)) || (rc = wg_db_commit(db, err)))
        wg_db_rollback(db);
    return rc;
}
