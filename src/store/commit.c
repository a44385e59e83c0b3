/* Group commit (store.h): one writer thread runs the jobs that concurrent requests hand it
 * in one transaction, each inside a savepoint, and answers them all after one COMMIT. The
 * jobs live on their callers' stacks; each caller sleeps on its own semaphore until its
 * batch is durable or failed. */
#include "store/store.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <time.h>

#include "core/log.h"
#include "store/backend.h"

#define DEFAULT_BATCH 1024

struct job {
    wg_commit_fn fn, after;
    void *ctx;
    struct wg_err *err; /* the caller's, or own */
    struct wg_err own;
    enum wg_rc rc;
    sem_t done;
    struct job *next;
};

struct wg_committer {
    struct wg_store *st;
    struct wg_db *db;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct job *head, *tail;
    int stopping, max_batch;
    struct wg_committer_stats stats;
    wg_commit_idle_fn idle; /* work behind the jobs, or NULL */
    void *idle_ctx;
    int idle_due; /* the idle work asked to run before the writer sleeps */
};

/* Answers jobs first..(n of them) with what they hold; a job may be gone once posted. */
static void answer(struct job *j, int n)
{
    while (n-- > 0) {
        struct job *next = j->next;
        sem_post(&j->done);
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

/* Counted before the jobs are answered, so a caller that has its answer also sees its job in
 * the statistics. */
static void count(struct wg_committer *c, int n, int failed)
{
    pthread_mutex_lock(&c->mu);
    c->stats.batches++;
    c->stats.jobs += n;
    c->stats.failed_jobs += failed;
    if (n > c->stats.largest_batch)
        c->stats.largest_batch = n;
    pthread_mutex_unlock(&c->mu);
}

static int run_batch(struct wg_committer *c, struct job *first, int n)
{
    struct wg_db *db = c->db;
    struct wg_err e = {0};
    struct job *j = first;
    int failed = 0;
    for (int i = 0; i < n; i++, j = j->next)
        j->rc = WG_OK;
    if (wg_db_begin(db, &e)) {
        wg_err_prefix(&e, "group commit: begin");
        fail_all(first, n, &e);
        count(c, n, n);
        answer(first, n);
        return n;
    }
    j = first;
    for (int i = 0; i < n; i++, j = j->next) {
        if ((j->rc = wg_db_savepoint(db, j->err)))
            goto broken;
        if ((j->rc = j->fn(db, j->ctx, j->err))) {
            failed++;
            /* this job alone goes: back to its savepoint, then drop the savepoint */
            if (wg_db_rollback_to(db, &e) || wg_db_release(db, &e))
                goto broken;
        } else if (wg_db_release(db, &e)) {
            goto broken;
        }
        if (!db->in_tx) { /* a job must not end the batch's transaction */
            wg_err_set(&e, WG_EINTERNAL, "group commit: a job ended the transaction");
            goto broken;
        }
    }
    j = first;
    for (int i = 0; i < n; i++, j = j->next)
        if (j->rc == WG_OK && j->after && (j->rc = j->after(db, j->ctx, j->err)))
            goto broken;
    if (wg_db_commit(db, &e)) {
        wg_err_prefix(&e, "group commit");
        wg_db_rollback(db);
        fail_all(first, n, &e);
        failed = n;
    }
    count(c, n, failed);
    answer(first, n);
    return failed;
broken:
    /* the connection can no longer tell one job's writes from another's: nothing is kept */
    if (!e.rc)
        e = *j->err;
    wg_error("group commit: batch of %d abandoned: %s", n, e.msg);
    wg_db_rollback(db);
    fail_all(first, n, &e);
    count(c, n, n);
    answer(first, n);
    return n;
}

#define IDLE_MS 50

static const struct timespec *deadline(long ms, struct timespec *ts)
{
    clock_gettime(CLOCK_REALTIME, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
    return ts;
}

static void *writer(void *arg)
{
    struct wg_committer *c = arg;
    struct timespec ts;
    pthread_setname_np(pthread_self(), "wg-writer"); /* for top -H and bench/intake */
    pthread_mutex_lock(&c->mu);
    for (;;) {
        struct job *first, *last;
        int n = 1;
        int quiet = 0; /* no job came for IDLE_MS: the store is idle */
        while (!c->head && !c->stopping && !quiet) {
            if (c->idle && c->idle_due)
                quiet = pthread_cond_timedwait(&c->cv, &c->mu, deadline(IDLE_MS, &ts)) == ETIMEDOUT;
            else
                pthread_cond_wait(&c->cv, &c->mu);
        }
        if (!c->head && c->stopping) { /* the work behind the jobs is finished first */
            wg_commit_idle_fn fn = c->idle;
            void *ctx = c->idle_ctx;
            int again = fn && c->idle_due;
            pthread_mutex_unlock(&c->mu);
            while (again)
                again = fn(c->db, ctx, 1);
            pthread_mutex_lock(&c->mu);
            break;
        }
        if (!c->head) { /* idle: the rest of the work behind the jobs */
            wg_commit_idle_fn fn = c->idle;
            void *ctx = c->idle_ctx;
            pthread_mutex_unlock(&c->mu);
            int again = fn ? fn(c->db, ctx, 1) : 0;
            pthread_mutex_lock(&c->mu);
            c->idle_due = again;
            continue;
        }
        first = last = c->head;
        while (last->next && n < c->max_batch) {
            last = last->next;
            n++;
        }
        c->head = last->next;
        if (!c->head)
            c->tail = NULL;
        pthread_mutex_unlock(&c->mu);
        run_batch(c, first, n);
        pthread_mutex_lock(&c->mu);
        if (c->idle) {
            wg_commit_idle_fn fn = c->idle;
            void *ctx = c->idle_ctx;
            pthread_mutex_unlock(&c->mu);
            int again = fn(c->db, ctx, 0);
            pthread_mutex_lock(&c->mu);
            c->idle_due = again;
        }
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

enum wg_rc wg_committer_start(struct wg_store *st, int max_batch, struct wg_committer **out,
                              struct wg_err *err)
{
    struct wg_committer *c = calloc(1, sizeof *c);
    enum wg_rc rc;
    if (!c)
        return wg_err_set(err, WG_ENOMEM, "out of memory");
    c->st = st;
    c->max_batch = max_batch > 0 ? max_batch : DEFAULT_BATCH;
    if ((rc = wg_store_get(st, &c->db, err))) {
        free(c);
        return rc;
    }
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    if (pthread_create(&c->thread, NULL, writer, c)) {
        wg_store_put(c->db);
        pthread_mutex_destroy(&c->mu);
        pthread_cond_destroy(&c->cv);
        free(c);
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
    wg_store_put(c->db);
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cv);
    free(c);
}

enum wg_rc wg_committer_run(struct wg_committer *c, wg_commit_fn fn, wg_commit_fn after, void *ctx,
                            struct wg_err *err)
{
    struct job j;
    memset(&j, 0, sizeof j);
    j.fn = fn;
    j.after = after;
    j.ctx = ctx;
    j.err = err ? err : &j.own;
    if (sem_init(&j.done, 0, 0))
        return wg_err_set(err, WG_EINTERNAL, "cannot make a semaphore: %s", strerror(errno));
    pthread_mutex_lock(&c->mu);
    if (c->stopping) {
        pthread_mutex_unlock(&c->mu);
        sem_destroy(&j.done);
        return wg_err_set(err, WG_EUNAVAIL, "the store is shutting down");
    }
    if (c->tail)
        c->tail->next = &j;
    else
        c->head = &j;
    c->tail = &j;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
    while (sem_wait(&j.done) && errno == EINTR)
        ;
    sem_destroy(&j.done);
    return j.rc;
}

void wg_committer_set_idle(struct wg_committer *c, wg_commit_idle_fn fn, void *ctx)
{
    pthread_mutex_lock(&c->mu);
    c->idle = fn;
    c->idle_ctx = ctx;
    c->idle_due = fn != NULL;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

void wg_committer_stats(struct wg_committer *c, struct wg_committer_stats *out)
{
    pthread_mutex_lock(&c->mu);
    *out = c->stats;
    pthread_mutex_unlock(&c->mu);
}
