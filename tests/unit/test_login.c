/* Logins that hold under concurrency: a failure counted in one statement (each of many at
 * once counted, none lifting a lock) on either store, the success that stands only while the
 * account is as checked, the per-address budget that stays exact with logins in flight, and
 * the password pool that runs each job once, in order, with waiting logins passed over. */
#include "t.h"
#include "t_store.h"

#include <pthread.h>
#include <time.h>

#include "domain/accounts/account.h"
#include "domain/accounts/login_limit.h"
#include "domain/accounts/pwpool.h"
#include "domain/accounts/session.h"
#include "store/accounts/accounts_q.h"

#define NOW 1800000000LL

static void make_account(struct wg_store *st, const char *name)
{
    struct wg_db *db;
    struct wg_err err = {0};
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    T_EQ_INT(wg_account_create(db, name, "agent", "all", "Good-pass-2026", 0, &err), WG_OK);
    wg_store_put(db);
}

static void fail(struct wg_db *db, const char *name, long long now, int *failed, long long *until)
{
    struct wg_err err = {0};
    T_EQ_INT(wg_store_account_fail(db, name, now, 5, now + 900, failed, until, &err), WG_OK);
}

static void test_failures_counted_and_locks_kept(struct wg_store *st)
{
    struct wg_db *db;
    struct wg_err err = {0};
    struct wg_account_row a;
    long long until = -1;
    int failed = -1;
    make_account(st, "u1");
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    for (int i = 1; i <= 4; i++) {
        fail(db, "u1", NOW + i, &failed, &until);
        T_EQ_INT(failed, i);
        T_EQ_INT(until, 0);
    }
    fail(db, "u1", NOW + 5, &failed, &until); /* the fifth locks, for 15 minutes from now */
    T_EQ_INT(failed, 5);
    T_EQ_INT(until, NOW + 5 + 900);
    fail(db, "u1", NOW + 6, &failed, &until); /* during the lock: counted, lock unchanged */
    T_EQ_INT(failed, 6);
    T_EQ_INT(until, NOW + 5 + 900);
    /* the right password while locked does not stand */
    T_EQ_INT(wg_store_account_get(db, "u1", &a, &err), WG_OK);
    T_EQ_INT(wg_store_account_login(db, "u1", a.password_hash, NOW + 7, &a, &err), WG_ENOTFOUND);
    /* once the lock has ended, the first failure counts 1 again */
    fail(db, "u1", NOW + 5 + 900, &failed, &until);
    T_EQ_INT(failed, 1);
    T_EQ_INT(until, NOW + 5 + 900);
    /* a success clears the count, when the account has the hash that was checked */
    T_EQ_INT(wg_store_account_login(db, "u1", "$argon2id$other", NOW + 901, &a, &err),
             WG_ENOTFOUND);
    T_EQ_INT(wg_store_account_get(db, "u1", &a, &err), WG_OK);
    T_EQ_INT(wg_store_account_login(db, "u1", a.password_hash, NOW + 5 + 901, &a, &err), WG_OK);
    T_EQ_STR(a.username, "u1");
    T_EQ_INT(a.failed, 0);
    T_EQ_INT(a.locked_until, 0);
    T_EQ_INT(wg_store_account_fail(db, "nobody", NOW, 5, NOW + 900, &failed, &until, &err),
             WG_ENOTFOUND);
    wg_store_put(db);
}

/* Many failures at once, each on a connection of its own. */
struct racer {
    struct wg_store *st;
    pthread_barrier_t *go;
    int failed;
    long long until;
    enum wg_rc rc;
};

static void *race(void *arg)
{
    struct racer *r = arg;
    struct wg_db *db;
    struct wg_err err = {0};
    r->rc = wg_store_get(r->st, &db, &err);
    pthread_barrier_wait(r->go);
    if (!r->rc)
        r->rc = wg_store_account_fail(db, "u2", NOW, 5, NOW + 900, &r->failed, &r->until, &err);
    if (!r->rc)
        wg_store_put(db);
    return NULL;
}

static void test_failures_at_once(struct wg_store *st)
{
    enum { N = 12 };
    struct racer r[N];
    pthread_t th[N];
    pthread_barrier_t go;
    struct wg_db *db;
    struct wg_err err = {0};
    struct wg_account_row a;
    int locked_by = 0, seen[N + 1] = {0};
    make_account(st, "u2");
    pthread_barrier_init(&go, NULL, N);
    for (int i = 0; i < N; i++) {
        r[i] = (struct racer){st, &go, 0, 0, WG_OK};
        pthread_create(&th[i], NULL, race, &r[i]);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        T_EQ_INT(r[i].rc, WG_OK);
        T_EQ_INT(r[i].until, r[i].failed >= 5 ? NOW + 900 : 0);
        if (r[i].failed >= 1 && r[i].failed <= N)
            seen[r[i].failed]++;
        locked_by += r[i].failed == 5;
    }
    pthread_barrier_destroy(&go);
    /* every failure counted once: each saw a count of its own, 1 to N; one of them locked */
    for (int k = 1; k <= N; k++)
        T_EQ_INT(seen[k], 1);
    T_EQ_INT(locked_by, 1);
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    T_EQ_INT(wg_store_account_get(db, "u2", &a, &err), WG_OK);
    T_EQ_INT(a.failed, N);
    T_EQ_INT(a.locked_until, NOW + 900);
    wg_store_put(db);
}

/* The three steps of a login: every failure answers alike, the audit's reason tells them
 * apart. */
static void test_login_steps(struct wg_store *st)
{
    struct wg_db *db;
    struct wg_err err = {0};
    struct wg_actor actor;
    struct wg_login l;
    char token[WG_TOKEN_LEN + 1];
    long long now = (long long)time(NULL);
    make_account(st, "u3");
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    T_EQ_INT(wg_session_login(db, "u3", "Good-pass-2026", "t", now, token, &actor, &err), WG_OK);
    T_EQ_STR(actor.username, "u3");
    T_EQ_INT(strlen(token), WG_TOKEN_LEN);
    static const struct {
        const char *user, *password, *why;
    } fails[] = {
        {"u3", "Bad-pass-1", "wrong password"},
        {"ghost", "Bad-pass-1", "no such account"},
        {"", "Bad-pass-1", NULL}, /* refused before anything: no name */
        {"u3xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "x",
         "no such account"}, /* longer than any name: never looked up cut short */
    };
    for (size_t i = 0; i < sizeof fails / sizeof fails[0]; i++) {
        memset(&err, 0, sizeof err);
        enum wg_rc rc = wg_login_prepare(db, fails[i].user, now, &l, &err);
        if (!fails[i].why) {
            T_EQ_INT(rc, WG_EINVAL);
            continue;
        }
        T_EQ_INT(rc, WG_OK);
        wg_login_verify(&l, fails[i].password);
        T_EQ_INT(l.matched, 0);
        T_EQ_INT(wg_db_begin(db, &err), WG_OK);
        T_EQ_INT(wg_login_finish(db, &l, "t", now, token, &actor, &err), WG_EUNAUTH);
        T_EQ_INT(wg_db_commit(db, &err), WG_OK);
        T_EQ_STR(err.msg, WG_LOGIN_REFUSED);
        T_EQ_STR(l.why, fails[i].why);
    }
    /* checked while open, locked before it is written: the success does not stand */
    T_EQ_INT(wg_login_prepare(db, "u3", now, &l, &err), WG_OK);
    wg_login_verify(&l, "Good-pass-2026");
    T_EQ_INT(l.matched, 1);
    for (int i = 0; i < 4; i++) { /* with the one before, the fifth locks */
        int failed;
        long long until;
        fail(db, "u3", now, &failed, &until);
    }
    T_EQ_INT(wg_db_begin(db, &err), WG_OK);
    T_EQ_INT(wg_login_finish(db, &l, "t", now, token, &actor, &err), WG_EUNAUTH);
    T_EQ_INT(wg_db_commit(db, &err), WG_OK);
    T_EQ_STR(l.why, "account locked, disabled or given a new password meanwhile");
    /* and locked, the right password is refused as a wrong one, with the same cost */
    T_EQ_INT(wg_login_prepare(db, "u3", now, &l, &err), WG_OK);
    T_EQ_INT(l.hopeless, 1);
    T_CHECK(!strncmp(l.hash, "$argon2id$", 10));
    T_EQ_INT(wg_session_login(db, "u3", "Good-pass-2026", "t", now, token, &actor, &err),
             WG_EUNAUTH);
    T_EQ_STR(err.msg, WG_LOGIN_REFUSED);
    wg_store_put(db);
}

static void test_address_budget(void)
{
    struct wg_login_limit l;
    wg_login_limit_init(&l);
    for (int i = 0; i < WG_LOGIN_RATE_PER_MINUTE; i++)
        T_EQ_INT(wg_login_limit_admit(&l, "10.0.0.1", NOW), WG_LOGIN_GO);
    /* twenty in flight: the next waits, other addresses do not */
    T_EQ_INT(wg_login_limit_admit(&l, "10.0.0.1", NOW), WG_LOGIN_WAIT);
    T_EQ_INT(wg_login_limit_admit(&l, "10.0.0.2", NOW), WG_LOGIN_GO);
    T_EQ_INT(wg_login_limit_spent(&l, "10.0.0.1", NOW), 0);
    /* a success makes room; failures bring the address to its limit */
    wg_login_limit_settle(&l, "10.0.0.1", 0, NOW);
    T_EQ_INT(wg_login_limit_admit(&l, "10.0.0.1", NOW), WG_LOGIN_GO);
    for (int i = 0; i < WG_LOGIN_RATE_PER_MINUTE - 1; i++) {
        wg_login_limit_settle(&l, "10.0.0.1", 1, NOW + 10);
        T_EQ_INT(wg_login_limit_admit(&l, "10.0.0.1", NOW + 10), WG_LOGIN_WAIT);
    }
    wg_login_limit_settle(&l, "10.0.0.1", 1, NOW + 10);
    T_EQ_INT(wg_login_limit_admit(&l, "10.0.0.1", NOW + 10), WG_LOGIN_REFUSE);
    T_EQ_INT(wg_login_limit_spent(&l, "10.0.0.1", NOW + 10), 1);
    /* the window opened at the first failure and lasts a minute */
    T_EQ_INT(wg_login_limit_admit(&l, "10.0.0.1", NOW + 69), WG_LOGIN_REFUSE);
    T_EQ_INT(wg_login_limit_spent(&l, "10.0.0.1", NOW + 70), 0);
    T_EQ_INT(wg_login_limit_admit(&l, "10.0.0.1", NOW + 70), WG_LOGIN_GO);
    /* a flood from many addresses never takes a slot with a login in flight */
    char addr[48];
    for (int i = 0; i < 5000; i++) {
        snprintf(addr, sizeof addr, "10.1.%d.%d", i / 250, i % 250);
        enum wg_login_admit a = wg_login_limit_admit(&l, addr, NOW + 70);
        if (a == WG_LOGIN_GO)
            wg_login_limit_settle(&l, addr, 1, NOW + 70);
    }
    wg_login_limit_settle(&l, "10.0.0.1", 0, NOW + 71); /* would stop the test if it were gone */
    wg_login_limit_settle(&l, "10.0.0.2", 0, NOW + 71);
    wg_login_limit_release(&l);
}

/* Pool jobs that record the order they ran in and how. */
struct job {
    struct wg_pw_job pw;
    int id;
    enum wg_rc rc;
};

static struct {
    pthread_mutex_t mu;
    int order[16], n;
} ran = {PTHREAD_MUTEX_INITIALIZER, {0}, 0};

static void run_job(struct wg_pw_job *pw, enum wg_rc rc)
{
    struct job *j = (struct job *)pw;
    j->rc = rc;
    pthread_mutex_lock(&ran.mu);
    ran.order[ran.n++] = j->id;
    pthread_mutex_unlock(&ran.mu);
}

static int ran_count(void)
{
    pthread_mutex_lock(&ran.mu);
    int n = ran.n;
    pthread_mutex_unlock(&ran.mu);
    return n;
}

static void wait_ran(int n)
{
    for (int i = 0; i < 2000 && ran_count() < n; i++)
        usleep(1000);
}

static void test_password_pool(void)
{
    struct wg_login_limit l;
    struct wg_pwpool *p;
    struct wg_err err = {0};
    struct job jobs[6];
    long long now = (long long)time(NULL);
    wg_login_limit_init(&l);
    /* the address has every place taken: its logins wait, other work goes past them */
    for (int i = 0; i < WG_LOGIN_RATE_PER_MINUTE; i++)
        wg_login_limit_admit(&l, "10.0.0.9", now);
    T_EQ_INT(wg_pwpool_start(1, &l, &p, &err), WG_OK);
    T_EQ_INT(wg_pwpool_threads(p), 1);
    for (int i = 0; i < 6; i++) {
        jobs[i] = (struct job){{i < 2 ? "10.0.0.9" : NULL, run_job, NULL}, i, WG_EINTERNAL};
        T_EQ_INT(wg_pwpool_submit(p, &jobs[i].pw, &err), WG_OK);
    }
    wait_ran(4);
    T_EQ_INT(ran_count(), 4);
    T_EQ_INT(ran.order[0], 2);
    T_EQ_INT(ran.order[3], 5);
    /* one settled: the first waiting login goes; the address's failures spent: the other is
     * told so */
    wg_login_limit_settle(&l, "10.0.0.9", 0, now);
    wg_pwpool_kick(p);
    wait_ran(5);
    T_EQ_INT(ran.order[4], 0);
    T_EQ_INT(jobs[0].rc, WG_OK);
    for (int i = 0; i < WG_LOGIN_RATE_PER_MINUTE; i++) /* the 19 before and job 0 */
        wg_login_limit_settle(&l, "10.0.0.9", 1, now);
    wg_pwpool_kick(p);
    wait_ran(6);
    T_EQ_INT(ran.order[5], 1);
    T_EQ_INT(jobs[1].rc, WG_ERATE);
    /* stopping runs what still waits, told so */
    wg_pwpool_stop(p);
    T_EQ_INT(wg_pwpool_start(2, &l, &p, &err), WG_OK);
    for (int i = 0; i < WG_LOGIN_RATE_PER_MINUTE; i++)
        wg_login_limit_admit(&l, "10.0.0.8", now);
    jobs[0] = (struct job){{"10.0.0.8", run_job, NULL}, 7, WG_OK};
    T_EQ_INT(wg_pwpool_submit(p, &jobs[0].pw, &err), WG_OK);
    wg_pwpool_stop(p);
    T_EQ_INT(jobs[0].rc, WG_EUNAVAIL);
    wg_login_limit_release(&l);
}

/* Sessions that ended unseen are removed by the sweep, by idle time or by age; one still
 * in use stays and is still checked. */
static void test_sessions_purged(struct wg_store *st)
{
    struct wg_db *db;
    struct wg_err err = {0};
    struct wg_actor actor;
    struct wg_session_limits lim = {1800, 43200};
    char idle[WG_TOKEN_LEN + 1], old[WG_TOKEN_LEN + 1], live[WG_TOKEN_LEN + 1];
    long long now = (long long)time(NULL), n = 0;
    long purged = -1;
    make_account(st, "u5");
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    T_EQ_INT(wg_session_login(db, "u5", "Good-pass-2026", "t", now - 1801, idle, &actor, &err),
             WG_OK);
    T_EQ_INT(wg_session_login(db, "u5", "Good-pass-2026", "t", now - 43201, old, &actor, &err),
             WG_OK);
    T_EQ_INT(wg_session_login(db, "u5", "Good-pass-2026", "t", now - 1700, live, &actor, &err),
             WG_OK);
    /* the old one was seen a minute ago (by limits it then met), but began over 12 hours ago */
    T_EQ_INT(wg_session_check(db, old, now - 60, &(struct wg_session_limits){1000000, 1000000},
                              &actor, &err),
             WG_OK);
    long long before = 0;
    T_EQ_INT(wg_store_session_count_active(db, 0, 0, &before, &err), WG_OK);
    T_EQ_INT(wg_session_purge(db, now, &lim, &purged, &err), WG_OK);
    T_EQ_INT(purged, 2);
    T_EQ_INT(wg_store_session_count_active(db, 0, 0, &n, &err), WG_OK);
    T_EQ_INT(before - n, 2);
    T_EQ_INT(wg_session_check(db, live, now, &lim, &actor, &err), WG_OK);
    T_EQ_INT(wg_session_purge(db, now, &lim, &purged, &err), WG_OK);
    T_EQ_INT(purged, 0);
    wg_store_put(db);
}

/* The cost of new hashes from the environment: out of range refused by name, each hash
 * keeping its own cost and checked whatever the process's, the default libsodium's
 * "interactive". */
static void test_password_cost(void)
{
    struct wg_err err = {0};
    char light[128], real[128];
    T_EQ_INT(wg_password_hash("Good-pass-2026", real, &err), WG_OK);
    T_CHECK(strstr(real, "$m=65536,t=2,") != NULL);
    setenv("WANGGE_ARGON2_MEMORY_MIB", "4097", 1);
    T_EQ_INT(wg_password_cost_from_env(&err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "WANGGE_ARGON2_MEMORY_MIB") && strstr(err.msg, "4097"));
    setenv("WANGGE_ARGON2_MEMORY_MIB", "1", 1);
    setenv("WANGGE_ARGON2_PASSES", "1 ", 1);
    T_EQ_INT(wg_password_cost_from_env(&err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "WANGGE_ARGON2_PASSES") != NULL);
    setenv("WANGGE_ARGON2_PASSES", "1", 1);
    T_EQ_INT(wg_password_cost_from_env(&err), WG_OK);
    T_EQ_INT(wg_password_hash("Good-pass-2026", light, &err), WG_OK);
    T_CHECK(strstr(light, "$m=1024,t=1,") != NULL);
    T_CHECK(wg_password_verify(real, "Good-pass-2026"));
    T_CHECK(wg_password_verify(light, "Good-pass-2026"));
    T_CHECK(!wg_password_verify(light, "Good-pass-2025"));
    unsetenv("WANGGE_ARGON2_MEMORY_MIB");
    unsetenv("WANGGE_ARGON2_PASSES");
}

int main(void)
{
    struct wg_store *st = t_store_open("login");
    test_failures_counted_and_locks_kept(st);
    test_failures_at_once(st);
    test_login_steps(st);
    test_sessions_purged(st);
    t_store_close(st);
    test_address_budget();
    test_password_pool();
    test_password_cost();
    return T_DONE("login");
}
