/* The text indexer (text_index.h): a thread with the text index's own connection that makes
 * the entries of waiting orders a chunk at a time, and the catch-up that searches wait on. */
#include "domain/orders/text_index.h"
#include "core/alloc.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "domain/orders/order.h"
#include "store/orders/orders_q.h"

#define POLL_MS    50
#define CHUNK_MOST 2048

struct wg_text_index {
    struct wg_db *db; /* the text index's connection, the thread's alone once it runs */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t wake, caught_up;
    int stop;
    unsigned long long asked, served; /* catch-ups asked for, and answered */
    struct wg_err served_err;         /* how the last answered catch-up went */
};

/* One transaction: the entries of up to CHUNK_MOST waiting orders; *more when some still
 * wait; *indexed (added to) how many were indexed. */
static enum wg_rc chunk(struct wg_db *db, int *more, long long *indexed, struct wg_err *err)
{
    long long pending = 0;
    int n = 0;
    enum wg_rc rc;
    *more = 0;
    if ((rc = wg_store_order_fts_backlog(db, &pending, err)) || !pending)
        return rc;
    if ((rc = wg_db_begin(db, err)))
        return rc;
    if ((rc = wg_order_index_pending(db, CHUNK_MOST, &n, err)) || (rc = wg_db_commit(db, err))) {
        wg_db_rollback(db);
        return rc;
    }
    *more = pending > n;
    *indexed += n;
    return WG_OK;
}

static enum wg_rc drain(struct wg_db *db, long long *indexed, struct wg_err *err)
{
    int more = 1;
    long long n = 0;
    enum wg_rc rc = WG_OK;
    while (more && !rc)
        rc = chunk(db, &more, &n, err);
    if (indexed)
        *indexed = n;
    return rc;
}

static void *run(void *arg)
{
    struct wg_text_index *ix = arg;
    int failing = 0;
    pthread_setname_np(pthread_self(), "wg-indexer"); /* for top -H and bench/intake */
    pthread_mutex_lock(&ix->mu);
    while (!ix->stop) {
        unsigned long long target = ix->asked;
        struct wg_err err = {0};
        int more = 0;
        long long n = 0;
        pthread_mutex_unlock(&ix->mu);
        enum wg_rc rc =
            target > ix->served ? drain(ix->db, NULL, &err) : chunk(ix->db, &more, &n, &err);
        if (rc && !failing++) /* a store that fails keeps failing: say it once per outage */
            wg_error("text index of new orders: paused: %s", err.msg);
        else if (!rc && failing) {
            wg_info("text index of new orders: resumed");
            failing = 0;
        }
        pthread_mutex_lock(&ix->mu);
        if (target > ix->served) {
            ix->served = target;
            ix->served_err = err;
            pthread_cond_broadcast(&ix->caught_up);
        }
        if (!more && !ix->stop && ix->asked == ix->served) {
            struct timespec ts = wg_clock_after_ms(CLOCK_REALTIME, POLL_MS);
            pthread_cond_timedwait(&ix->wake, &ix->mu, &ts);
        }
    }
    pthread_mutex_unlock(&ix->mu);
    return NULL;
}

enum wg_rc wg_text_index_start(struct wg_store *st, struct wg_text_index **out, struct wg_err *err)
{
    struct wg_text_index *ix = wg_calloc(1, sizeof *ix);
    long long dropped = 0;
    enum wg_rc rc;
    *out = NULL;
    if ((rc = wg_store_search_open(st, &ix->db, err)))
        goto fail;
    if (ix->db) {
        if ((rc = wg_db_begin(ix->db, err)))
            goto fail;
        if ((rc = wg_store_order_fts_trim(ix->db, &dropped, err)) ||
            (rc = wg_db_commit(ix->db, err))) {
            wg_db_rollback(ix->db);
            goto fail;
        }
        if (dropped)
            wg_info("text index: dropped the entries of %lld orders the store does not hold",
                    dropped);
    }
    pthread_mutex_init(&ix->mu, NULL);
    pthread_cond_init(&ix->wake, NULL);
    pthread_cond_init(&ix->caught_up, NULL);
    if (ix->db && pthread_create(&ix->thread, NULL, run, ix) != 0) {
        rc = wg_err_set(err, WG_EINTERNAL, "cannot start the text indexer: %s", strerror(errno));
        pthread_mutex_destroy(&ix->mu);
        pthread_cond_destroy(&ix->wake);
        pthread_cond_destroy(&ix->caught_up);
        goto fail;
    }
    *out = ix;
    return WG_OK;
fail:
    wg_err_prefix(err, "text index");
    wg_store_search_close(ix->db);
    free(ix);
    return rc;
}

void wg_text_index_stop(struct wg_text_index *ix)
{
    if (!ix)
        return;
    if (ix->db) {
        struct wg_err err = {0};
        pthread_mutex_lock(&ix->mu);
        ix->stop = 1;
        pthread_cond_signal(&ix->wake);
        pthread_cond_broadcast(&ix->caught_up);
        pthread_mutex_unlock(&ix->mu);
        pthread_join(ix->thread, NULL);
        if (drain(ix->db, NULL, &err))
            wg_error("text index of new orders: %s", err.msg);
        wg_store_search_close(ix->db);
    }
    pthread_mutex_destroy(&ix->mu);
    pthread_cond_destroy(&ix->wake);
    pthread_cond_destroy(&ix->caught_up);
    free(ix);
}

enum wg_rc wg_text_index_catch_up(struct wg_text_index *ix, struct wg_err *err)
{
    enum wg_rc rc = WG_OK;
    if (!ix || !ix->db)
        return WG_OK;
    pthread_mutex_lock(&ix->mu);
    unsigned long long mine = ++ix->asked;
    pthread_cond_signal(&ix->wake);
    while (ix->served < mine && !ix->stop)
        pthread_cond_wait(&ix->caught_up, &ix->mu);
    if (ix->served < mine)
        rc = wg_err_set(err, WG_EUNAVAIL, "the text index is stopping");
    else if (ix->served_err.rc)
        rc = wg_err_set(err, ix->served_err.rc, "text index: %s", ix->served_err.msg);
    pthread_mutex_unlock(&ix->mu);
    return rc;
}

enum wg_rc wg_text_index_all(struct wg_store *st, long long *indexed, struct wg_err *err)
{
    struct wg_db *db = NULL;
    enum wg_rc rc = wg_store_search_open(st, &db, err);
    if (indexed)
        *indexed = 0;
    if (rc || !db)
        return rc;
    rc = drain(db, indexed, err);
    wg_store_search_close(db);
    return rc;
}
