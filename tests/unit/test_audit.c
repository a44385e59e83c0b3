/* The audit log: the canonical encoding (a fixed vector, field boundaries), appending and
 * verifying, transactions, cleaning of outside text, filters, tampering done directly in
 * the SQLite file, and concurrent appenders. */
#include "t.h"
#include "t_store.h"

#include <pthread.h>
#include <unistd.h>

#include "domain/accounts/audit.h"
#include "store/store.h"
#include "store/accounts/accounts_q.h"

#define ZEROS "0000000000000000000000000000000000000000000000000000000000000000"

static struct wg_audit_row sample(void)
{
    struct wg_audit_row r = {
        .seq = 1,
        .at = "2026-01-31T08:00:00.000Z",
        .actor = "ab",
        .role = "c",
        .source = "127.0.0.1",
        .action = "session.login",
        .object_type = "account",
        .object_id = "ab",
        .result = "ok",
        .detail = "",
        .prev_hash = ZEROS,
    };
    return r;
}

static void test_encoding(void)
{
    struct wg_audit_row r = sample(), s;
    char h[65], h2[65];
    /* pinned: computed independently (Python hashlib over the netstrings in audit.h) */
    wg_audit_hash(&r, h);
    T_EQ_STR(h, "020812798cba1f3c8e6b633e1e1baf814145709bc1b8a8cafa59f723abc9fe49");
    s = r;
    s.actor = "网格员";
    wg_audit_hash(&s, h2);
    T_EQ_STR(h2, "966638043d373f51ec8cc5da6d7555dd8a499b64c229713177404b3ee7b4e5f7");
    /* the same bytes split differently between fields hash differently */
    static const struct {
        const char *actor, *role, *object_id, *detail;
    } pairs[][2] = {
        {{"ab", "c", "x", ""}, {"a", "bc", "x", ""}},
        {{"a", "", "x", ""}, {"", "a", "x", ""}},
        {{"u", "r", "x", ""}, {"u", "r", "", "x"}},
        {{"u", "r", "1:a,", ""}, {"u", "r", "1", "a,"}},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        struct wg_audit_row a = sample(), b = sample();
        a.actor = pairs[i][0].actor, a.role = pairs[i][0].role;
        a.object_id = pairs[i][0].object_id, a.detail = pairs[i][0].detail;
        b.actor = pairs[i][1].actor, b.role = pairs[i][1].role;
        b.object_id = pairs[i][1].object_id, b.detail = pairs[i][1].detail;
        wg_audit_hash(&a, h);
        wg_audit_hash(&b, h2);
        T_CHECK(strcmp(h, h2) != 0);
    }
    /* seq and prev_hash are inside the hash */
    s = r;
    s.seq = 2;
    wg_audit_hash(&r, h);
    wg_audit_hash(&s, h2);
    T_CHECK(strcmp(h, h2) != 0);
    s = r;
    s.prev_hash = "1000000000000000000000000000000000000000000000000000000000000000";
    wg_audit_hash(&s, h2);
    T_CHECK(strcmp(h, h2) != 0);
}

/* copies of what a query or walk saw */
struct seen {
    int n;
    long long seq[64];
    char actor[64][WG_AUDIT_ACTOR_MAX];
    char action[64][WG_AUDIT_ACTION_MAX];
    char detail[64][WG_AUDIT_DETAIL_MAX];
    char prev[64][65], hash[64][65];
};

static int see(const struct wg_audit_row *r, void *ctx)
{
    struct seen *s = ctx;
    if (s->n == 64)
        return 1;
    s->seq[s->n] = r->seq;
    snprintf(s->actor[s->n], WG_AUDIT_ACTOR_MAX, "%s", r->actor);
    snprintf(s->action[s->n], WG_AUDIT_ACTION_MAX, "%s", r->action);
    snprintf(s->detail[s->n], WG_AUDIT_DETAIL_MAX, "%s", r->detail);
    snprintf(s->prev[s->n], 65, "%s", r->prev_hash);
    snprintf(s->hash[s->n], 65, "%s", r->hash);
    s->n++;
    return 0;
}

static struct seen *query(struct wg_db *db, const struct wg_audit_filter *f, enum wg_rc *rc)
{
    static struct seen s;
    struct wg_err err = {0};
    memset(&s, 0, sizeof s);
    *rc = wg_audit_query(db, f, see, &s, &err);
    return &s;
}

static enum wg_rc record(struct wg_db *db, const char *actor, const char *action,
                         const char *object_type, const char *object_id, const char *result)
{
    struct wg_audit_event ev = {.actor = actor,
                                .role = "sysadmin",
                                .source = "127.0.0.1",
                                .action = action,
                                .object_type = object_type,
                                .object_id = object_id,
                                .result = result};
    struct wg_err err = {0};
    enum wg_rc rc = wg_audit_record(db, &ev, &err);
    if (rc && rc != WG_EINVAL)
        fprintf(stderr, "(record: %s)\n", err.msg);
    return rc;
}

static long long verify(struct wg_db *db, struct wg_audit_report *rep)
{
    struct wg_err err = {0};
    T_EQ_INT(wg_audit_verify(db, rep, &err), WG_OK);
    return rep->bad_seq;
}

static void test_append_and_verify(void)
{
    struct wg_store *st = t_store_open("audit");
    struct wg_db *db;
    struct wg_err err = {0};
    struct wg_audit_report rep;
    struct wg_audit_filter all = {0};
    enum wg_rc rc;
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    T_EQ_INT(verify(db, &rep), 0);
    T_EQ_INT(rep.records, 0);
    T_EQ_STR(rep.head, "");
    T_EQ_INT(record(db, "admin", "session.login", "account", "admin", "ok"), WG_OK);
    T_EQ_INT(record(db, "admin", "user.create", "account", "bob", "ok"), WG_OK);
    T_EQ_INT(record(db, NULL, "session.login_failed", "account", "bob", "denied"), WG_OK);
    T_EQ_INT(verify(db, &rep), 0);
    T_EQ_INT(rep.records, 3);
    struct seen *s = query(db, &all, &rc);
    T_EQ_INT(rc, WG_OK);
    T_EQ_INT(s->n, 3);
    T_EQ_INT(s->seq[0], 3); /* newest first */
    T_EQ_INT(s->seq[2], 1);
    T_EQ_STR(s->actor[0], "-"); /* nobody logged in */
    T_EQ_STR(s->prev[2], ZEROS);
    T_EQ_STR(s->prev[1], s->hash[2]);
    T_EQ_STR(s->prev[0], s->hash[1]);
    T_EQ_STR(rep.head, s->hash[0]);
    wg_store_put(db);
    t_store_close(st);
}

static void test_checks_and_cleaning(void)
{
    struct wg_store *st = t_store_open("audit");
    struct wg_db *db;
    struct wg_err err = {0};
    struct wg_audit_report rep;
    struct wg_audit_filter all = {0};
    char longtext[3000], bad_utf8[] = "a\xff\xc0\xafz";
    enum wg_rc rc;
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    /* names from code are checked, and nothing is appended when they are wrong */
    T_EQ_INT(record(db, "u", "Session Login", "", "", "ok"), WG_EINVAL);
    T_EQ_INT(record(db, "u", "", "", "", "ok"), WG_EINVAL);
    T_EQ_INT(record(db, "u", "x.y", "Account", "", "ok"), WG_EINVAL);
    T_EQ_INT(record(db, "u", "x.y", "", "", NULL), WG_EINVAL);
    T_EQ_INT(record(db, "u", "x.y", "", "", "OK"), WG_EINVAL);
    T_EQ_INT(verify(db, &rep), 0);
    T_EQ_INT(rep.records, 0);
    /* outside text: control characters become spaces, invalid UTF-8 '?', long values are cut
     * at a character boundary and marked */
    struct wg_audit_event ev = {.actor = "a\tb\nc", .action = "x.y", .result = "ok"};
    ev.detail = bad_utf8;
    T_EQ_INT(wg_audit_record(db, &ev, &err), WG_OK);
    longtext[0] = '\0';
    for (size_t i = 0; i < 900; i++) /* 2700 bytes of 3-byte characters */
        memcpy(longtext + 3 * i, "网\0", 4);
    ev.detail = longtext;
    ev.actor = longtext;
    T_EQ_INT(wg_audit_record(db, &ev, &err), WG_OK);
    struct seen *s = query(db, &all, &rc);
    T_EQ_INT(s->n, 2);
    T_EQ_STR(s->actor[1], "a b c");
    T_EQ_STR(s->detail[1], "a???z");
    size_t n = strlen(s->detail[0]);
    T_CHECK(n < WG_AUDIT_DETAIL_MAX && n > WG_AUDIT_DETAIL_MAX - 8);
    T_CHECK(n >= 3 && !strcmp(s->detail[0] + n - 3, "..."));
    T_EQ_INT((n - 3) % 3, 0); /* whole characters only */
    n = strlen(s->actor[0]);
    T_CHECK(n < WG_AUDIT_ACTOR_MAX && !strcmp(s->actor[0] + n - 3, "..."));
    T_EQ_INT(verify(db, &rep), 0);
    T_EQ_INT(rep.records, 2);
    wg_store_put(db);
    t_store_close(st);
}

static void test_transactions(void)
{
    struct wg_store *st = t_store_open("audit");
    struct wg_db *db;
    struct wg_err err = {0};
    struct wg_audit_report rep;
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    T_EQ_INT(record(db, "a", "x.one", "", "", "ok"), WG_OK);
    /* inside the caller's transaction the record rolls back with the change */
    T_EQ_INT(wg_db_begin(db, &err), WG_OK);
    T_EQ_INT(record(db, "a", "x.two", "", "", "ok"), WG_OK);
    T_CHECK(wg_db_in_tx(db));
    wg_db_rollback(db);
    T_EQ_INT(verify(db, &rep), 0);
    T_EQ_INT(rep.records, 1);
    /* ... and commits with it */
    T_EQ_INT(wg_db_begin(db, &err), WG_OK);
    T_EQ_INT(record(db, "a", "x.three", "", "", "ok"), WG_OK);
    T_EQ_INT(record(db, "a", "x.four", "", "", "ok"), WG_OK);
    T_EQ_INT(wg_db_commit(db, &err), WG_OK);
    T_EQ_INT(verify(db, &rep), 0);
    T_EQ_INT(rep.records, 3);
    /* an operation's outcome: ok, failed with its message, denied */
    struct wg_audit_event ev = {.action = "grid.import", .object_type = "file", .object_id = "f"};
    T_EQ_INT(wg_audit_outcome(db, &ev, WG_OK, &err), WG_OK);
    wg_err_set(&err, WG_EINVAL, "2 features fail the checks");
    T_EQ_INT(wg_audit_outcome(db, &ev, WG_EINVAL, &err), WG_EINVAL);
    T_EQ_STR(err.msg, "2 features fail the checks");
    wg_err_set(&err, WG_EFORBIDDEN, "no");
    T_EQ_INT(wg_audit_outcome(db, &ev, WG_EFORBIDDEN, &err), WG_EFORBIDDEN);
    struct wg_audit_filter f = {.action = "grid.import"};
    enum wg_rc rc;
    struct seen *s = query(db, &f, &rc);
    T_EQ_INT(s->n, 3);
    T_EQ_STR(s->detail[1], "2 features fail the checks");
    T_EQ_STR(s->detail[0], "no");
    T_EQ_INT(verify(db, &rep), 0);
    T_EQ_INT(rep.records, 6);
    wg_store_put(db);
    t_store_close(st);
}

static void test_filters(void)
{
    struct wg_store *st = t_store_open("audit");
    struct wg_db *db;
    struct wg_err err = {0};
    enum wg_rc rc;
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    T_EQ_INT(record(db, "alice", "session.login", "account", "alice", "ok"), WG_OK);
    T_EQ_INT(record(db, "bob", "session.login", "account", "bob", "ok"), WG_OK);
    T_EQ_INT(record(db, "alice", "user.create", "account", "carol", "ok"), WG_OK);
    T_EQ_INT(record(db, "alice", "grid.import", "file", "a.geojson", "failed"), WG_OK);
    T_EQ_INT(record(db, "bob", "pii.reveal", "resident", "17", "ok"), WG_OK);
    static const struct {
        struct wg_audit_filter f;
        enum wg_rc rc;
        int n;
        long long first; /* newest seq returned */
    } cases[] = {
        {{0}, WG_OK, 5, 5},
        {{.actor = "alice"}, WG_OK, 3, 4},
        {{.actor = "ali"}, WG_OK, 0, 0}, /* exact, not a prefix */
        {{.action = "session.login"}, WG_OK, 2, 2},
        {{.actor = "bob", .action = "session.login"}, WG_OK, 1, 2},
        {{.object_type = "account"}, WG_OK, 3, 3},
        {{.object_type = "account", .object_id = "carol"}, WG_OK, 1, 3},
        {{.object_id = "17"}, WG_OK, 1, 5},
        {{.limit = 2}, WG_OK, 2, 5},
        {{.limit = 2, .offset = 2}, WG_OK, 2, 3},
        {{.offset = 10}, WG_OK, 0, 0},
        {{.since = "2000-01-01"}, WG_OK, 5, 5},
        {{.since = "2999-01-01T00:00:00Z"}, WG_OK, 0, 0},
        {{.until = "2000-01-01T00:00"}, WG_OK, 0, 0},
        {{.since = "2000-01-01", .until = "2999-12-31T23:59:59.999Z"}, WG_OK, 5, 5},
        {{.since = "yesterday"}, WG_EINVAL, 0, 0},
        {{.until = "2026-1-1"}, WG_EINVAL, 0, 0},
        {{.since = "2026-01-01T08:00:00.1234"}, WG_EINVAL, 0, 0},
        {{.limit = WG_AUDIT_LIMIT_MAX + 1}, WG_EINVAL, 0, 0},
        {{.limit = -1}, WG_EINVAL, 0, 0},
        {{.offset = -1}, WG_EINVAL, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct seen *s = query(db, &cases[i].f, &rc);
        T_EQ_INT(rc, cases[i].rc);
        T_EQ_INT(s->n, cases[i].n);
        if (s->n)
            T_EQ_INT(s->seq[0], cases[i].first);
        if (rc != cases[i].rc || s->n != cases[i].n)
            fprintf(stderr, "(filter case %zu)\n", i);
    }
    wg_store_put(db);
    t_store_close(st);
}

/* ---- tampering, done to the store directly as someone with access to it would ---- */

static void sql(const char *q, int want_ok)
{
    char msg[512];
    int ran = t_store_sql(t_store_dir, q, msg, sizeof msg) == 0;
    if (ran != want_ok)
        fprintf(stderr, "(sql '%s': %s)\n", q, ran ? "ok" : msg);
    T_EQ_INT(ran, want_ok);
}

static void test_tampering(void)
{
    struct wg_store *st = t_store_open("audit");
    struct wg_db *db;
    struct wg_err err = {0};
    struct wg_audit_report rep;
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    for (int i = 0; i < 5; i++)
        T_EQ_INT(record(db, "admin", "user.create", "account", "u", "ok"), WG_OK);
    /* the triggers refuse changes from any client */
    sql("UPDATE audit SET actor = 'mallory' WHERE seq = 2", 0);
    sql("DELETE FROM audit WHERE seq = 2", 0);
    sql("DELETE FROM audit", 0);
    /* someone who drops them is caught by the chain */
    sql(t_on_pg() ? "DROP TRIGGER audit_no_change ON audit; DROP TRIGGER audit_no_truncate ON audit"
                  : "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete",
        1);
    sql("UPDATE audit SET actor = 'mallory' WHERE seq = 2", 1);
    T_EQ_INT(verify(db, &rep), 2);
    T_CHECK(strstr(rep.what, "do not match its hash") != NULL);
    T_EQ_INT(rep.records, 1);
    sql("UPDATE audit SET actor = 'admin' WHERE seq = 2", 1);
    T_EQ_INT(verify(db, &rep), 0);
    T_EQ_INT(rep.records, 5);
    /* a record's prev_hash rewritten alone */
    sql("UPDATE audit SET prev_hash = (SELECT hash FROM audit WHERE seq = 1) WHERE seq = 3", 1);
    T_EQ_INT(verify(db, &rep), 3);
    sql("UPDATE audit SET prev_hash = (SELECT hash FROM audit WHERE seq = 2) WHERE seq = 3", 1);
    /* two records swapped */
    sql("UPDATE audit SET seq = -1 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = 4;"
        "UPDATE audit SET seq = 4 WHERE seq = -1",
        1);
    T_EQ_INT(verify(db, &rep), 3);
    sql("UPDATE audit SET seq = -1 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = 4;"
        "UPDATE audit SET seq = 4 WHERE seq = -1",
        1);
    T_EQ_INT(verify(db, &rep), 0);
    /* the last record removed: the counter notices */
    sql("DELETE FROM audit WHERE seq = 5", 1);
    T_EQ_INT(verify(db, &rep), 5);
    T_CHECK(strstr(rep.what, "ends at record 4") != NULL);
    /* a record in the middle removed */
    sql("DELETE FROM audit WHERE seq = 2", 1);
    T_EQ_INT(verify(db, &rep), 2);
    T_CHECK(strstr(rep.what, "missing") != NULL);
    /* the first removed */
    sql("DELETE FROM audit WHERE seq = 1", 1);
    T_EQ_INT(verify(db, &rep), 1);
    wg_store_put(db);
    t_store_close(st);
}

/* ---- concurrent appenders never fork the chain ---- */

#define THREADS 4
#define EACH    25

static void *appender(void *arg)
{
    struct wg_store *st = arg;
    struct wg_db *db;
    struct wg_err err = {0};
    int failed = 0;
    if (wg_store_get(st, &db, &err))
        return (void *)1;
    for (int i = 0; i < EACH; i++)
        failed |= record(db, "t", "x.concurrent", "", "", "ok") != WG_OK;
    wg_store_put(db);
    return failed ? (void *)1 : NULL;
}

static void test_concurrent(void)
{
    struct wg_store *st = t_store_open("audit");
    pthread_t th[THREADS];
    struct wg_db *db;
    struct wg_err err = {0};
    struct wg_audit_report rep;
    for (int i = 0; i < THREADS; i++)
        T_EQ_INT(pthread_create(&th[i], NULL, appender, st), 0);
    for (int i = 0; i < THREADS; i++) {
        void *res;
        pthread_join(th[i], &res);
        T_CHECK(res == NULL);
    }
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    T_EQ_INT(verify(db, &rep), 0);
    T_EQ_INT(rep.records, THREADS * EACH);
    wg_store_put(db);
    t_store_close(st);
}

int main(void)
{
    test_encoding();
    test_append_and_verify();
    test_checks_and_cleaning();
    test_transactions();
    test_filters();
    test_tampering();
    test_concurrent();
    return T_DONE("audit");
}
