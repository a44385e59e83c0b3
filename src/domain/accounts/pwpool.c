/* The password pool (pwpool.h): a queue under one lock, and threads taking from it. */
#include "domain/accounts/pwpool.h"
#include "core/alloc.h"

#include <pthread.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

struct wg_pwpool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct wg_pw_job *head;
    int queued, stopping, nthreads;
    struct wg_login_limit *limit;
    pthread_t *threads;
};

/* The first job that may run now, unlinked, and how (*rc); NULL when none may. A login whose
 * address must wait stays; once the pool stops, it runs too, told so. Called with p->mu
 * held. */
static struct wg_pw_job *take(struct wg_pwpool *p, enum wg_rc *rc)
{
    long long now = (long long)time(NULL);
    for (struct wg_pw_job **at = &p->head; *at; at = &(*at)->next) {
        struct wg_pw_job *j = *at;
        enum wg_login_admit a =
            j->addr ? wg_login_limit_admit(p->limit, j->addr, now) : WG_LOGIN_GO;
        if (a == WG_LOGIN_WAIT && !p->stopping)
            continue;
        *rc = a == WG_LOGIN_GO ? WG_OK : a == WG_LOGIN_REFUSE ? WG_ERATE : WG_EUNAVAIL;
        *at = j->next;
        p->queued--;
        return j;
    }
    return NULL;
}

static void *work(void *arg)
{
    struct wg_pwpool *p = arg;
    /* Checking a password yields to serving requests: a burst of logins takes the CPU only as
     * far as the requests leave it (on Linux a thread has a niceness of its own). */
    setpriority(PRIO_PROCESS, (id_t)gettid(), WG_PWPOOL_NICE);
    pthread_mutex_lock(&p->mu);
    for (;;) {
        enum wg_rc rc;
        struct wg_pw_job *j = take(p, &rc);
        if (j) {
            pthread_mutex_unlock(&p->mu);
            j->run(j, rc);
            pthread_mutex_lock(&p->mu);
        } else if (p->stopping && !p->head) {
            break;
        } else {
            pthread_cond_wait(&p->cv, &p->mu);
        }
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

enum wg_rc wg_pwpool_start(int threads, struct wg_login_limit *limit, struct wg_pwpool **out,
                           struct wg_err *err)
{
    struct wg_pwpool *p = wg_calloc(1, sizeof *p);
    if (threads <= 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        threads = cores >= 8 ? 4 : cores >= 2 ? (int)cores / 2 : 1;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    p->limit = limit;
    p->threads = wg_calloc((size_t)threads, sizeof *p->threads);
    for (; p->nthreads < threads; p->nthreads++)
        if (pthread_create(&p->threads[p->nthreads], NULL, work, p) != 0) {
            wg_pwpool_stop(p);
            return wg_err_set(err, WG_EINTERNAL, "cannot start the password pool's threads");
        }
    *out = p;
    return WG_OK;
}

void wg_pwpool_stop(struct wg_pwpool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stopping = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->nthreads; i++)
        pthread_join(p->threads[i], NULL);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p->threads);
    free(p);
}

int wg_pwpool_threads(const struct wg_pwpool *p)
{
    return p->nthreads;
}

enum wg_rc wg_pwpool_submit(struct wg_pwpool *p, struct wg_pw_job *job, struct wg_err *err)
{
    enum wg_rc rc = WG_OK;
    pthread_mutex_lock(&p->mu);
    if (p->stopping) {
        rc = wg_err_set(err, WG_EUNAVAIL, "the server is stopping");
    } else if (p->queued >= WG_PWPOOL_QUEUE) {
        rc = wg_err_set(err, WG_EUNAVAIL,
                        "%d password checks are already waiting; try again in a moment", p->queued);
    } else {
        struct wg_pw_job **at = &p->head;
        while (*at)
            at = &(*at)->next;
        job->next = NULL;
        *at = job;
        p->queued++;
        pthread_cond_signal(&p->cv);
    }
    pthread_mutex_unlock(&p->mu);
    return rc;
}

void wg_pwpool_kick(struct wg_pwpool *p)
{
    pthread_mutex_lock(&p->mu);
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}
