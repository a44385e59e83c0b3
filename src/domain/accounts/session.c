/* Logins, session tokens, password changes and API keys. */
#include "domain/accounts/session.h"

#include <pthread.h>
#include <time.h>

#include <sodium.h>

#include "core/clock.h"
#include "store/accounts/accounts_q.h"

static void sha256_hex(const char *s, char out[65])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(d, (const unsigned char *)s, strlen(s));
    sodium_bin2hex(out, 65, d, sizeof d);
}

static void random_hex(char *out, size_t bytes)
{
    unsigned char buf[64];
    randombytes_buf(buf, bytes);
    sodium_bin2hex(out, bytes * 2 + 1, buf, bytes);
    sodium_memzero(buf, sizeof buf);
}

/* The caller an account stands for. A stored role this server does not know (written by
 * hand, or by a newer version) is refused rather than guessed at. */
static enum wg_rc actor_from(struct wg_actor *a, const struct wg_account_row *r, struct wg_err *err)
{
    const struct wg_role *role = wg_role_find(r->role);
    memset(a, 0, sizeof *a);
    if (!role)
        return wg_err_set(err, WG_EDB,
                          "account '%s' has the role '%s', which this server does "
                          "not know",
                          r->username, r->role);
    snprintf(a->username, sizeof a->username, "%s", r->username);
    a->role = (enum wg_role_id)(role - wg_roles);
    a->perms = role->perms;
    snprintf(a->scope.kind, sizeof a->scope.kind, "%s", r->scope_kind);
    snprintf(a->scope.code, sizeof a->scope.code, "%s", r->scope);
    a->must_change = r->must_change;
    return WG_OK;
}

static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[128];

static void make_dummy(void)
{
    if (wg_password_hash("not a password", dummy_hash, NULL) != WG_OK)
        dummy_hash[0] = '\0';
}

enum wg_rc wg_login_prepare(struct wg_db *db, const char *username, long long now,
                            struct wg_login *l, struct wg_err *err)
{
    struct wg_account_row a;
    enum wg_rc rc = WG_ENOTFOUND;
    memset(l, 0, sizeof *l);
    if (!username || !*username)
        return wg_err_set(err, WG_EINVAL, "username and password are required");
    /* a name too long to be any account's is nobody's: never looked up cut short */
    if (strlen(username) < sizeof l->username &&
        (rc = wg_store_account_get(db, username, &a, err)) && rc != WG_ENOTFOUND)
        return rc;
    snprintf(l->username, sizeof l->username, "%s", username);
    if (!rc && !a.disabled && a.locked_until <= now) {
        snprintf(l->hash, sizeof l->hash, "%s", a.password_hash);
        return WG_OK;
    }
    l->hopeless = 1;
    l->reason = rc ? "no such account" : a.disabled ? "account disabled" : "account locked";
    pthread_once(&dummy_once, make_dummy);
    memcpy(l->hash, dummy_hash, sizeof l->hash);
    return WG_OK;
}

void wg_login_verify(struct wg_login *l, const char *password)
{
    l->matched = wg_password_verify(l->hash, password) && !l->hopeless;
}

/* The failure's part of wg_login_finish: counted against the account, when there is one;
 * what (cannot) matched says why it failed. */
static enum wg_rc login_failed(struct wg_db *db, struct wg_login *l, const char *what,
                               long long now, struct wg_err *err)
{
    int failed = 0;
    long long until = 0, lock_until = now + WG_LOCK_SECONDS;
    enum wg_rc rc = wg_store_account_fail(db, l->username, now, WG_LOCK_FAILURES, lock_until,
                                          &failed, &until, err);
    if (rc && rc != WG_ENOTFOUND)
        return rc;
    if (!rc && failed == WG_LOCK_FAILURES && until == lock_until) {
        char at[32];
        wg_clock_iso(until, at);
        l->locked_until = until;
        snprintf(l->why, sizeof l->why, "%s; %d failed logins lock the account until %s", what,
                 WG_LOCK_FAILURES, at);
    } else {
        snprintf(l->why, sizeof l->why, "%s", rc ? "no such account" : what);
    }
    return wg_err_set(err, WG_EUNAUTH, WG_LOGIN_REFUSED);
}

enum wg_rc wg_login_finish(struct wg_db *db, struct wg_login *l, const char *source, long long now,
                           char token[WG_TOKEN_LEN + 1], struct wg_actor *actor, struct wg_err *err)
{
    struct wg_account_row a;
    char hash[65];
    enum wg_rc rc;
    l->locked_until = 0;
    l->why[0] = '\0';
    if (!l->matched)
        return login_failed(db, l, l->reason ? l->reason : "wrong password", now, err);
    rc = wg_store_account_login(db, l->username, l->hash, now, &a, err);
    if (rc == WG_ENOTFOUND)
        return login_failed(db, l, "account locked, disabled or given a new password meanwhile",
                            now, err);
    if (rc || (rc = actor_from(actor, &a, err)))
        return rc;
    random_hex(token, WG_TOKEN_LEN / 2);
    sha256_hex(token, hash);
    if ((rc = wg_store_session_insert(db, hash, l->username, now, source, err)))
        return rc;
    snprintf(actor->token_hash, sizeof actor->token_hash, "%s", hash);
    return WG_OK;
}

enum wg_rc wg_session_login(struct wg_db *db, const char *username, const char *password,
                            const char *source, long long now, char token[WG_TOKEN_LEN + 1],
                            struct wg_actor *actor, struct wg_err *err)
{
    struct wg_login l;
    enum wg_rc rc;
    if (!password || !*password)
        return wg_err_set(err, WG_EINVAL, "username and password are required");
    if ((rc = wg_login_prepare(db, username, now, &l, err)))
        return rc;
    wg_login_verify(&l, password);
    if ((rc = wg_db_begin(db, err)))
        return rc;
    rc = wg_login_finish(db, &l, source, now, token, actor, err);
    if (rc && rc != WG_EUNAUTH) {
        wg_db_rollback(db);
        return rc;
    }
    struct wg_err cerr = {0};
    if (wg_db_commit(db, &cerr)) {
        wg_db_rollback(db);
        *err = cerr;
        return cerr.rc;
    }
    return rc; /* a failure is counted: it commits too */
}

/* ---- sessions found valid, by token hash: a direct-mapped table, one lock ---- */

#define CACHE_SLOTS 1024

struct cached {
    char hash[65]; /* "" when empty */
    struct wg_actor actor;
    long long created_at, last_seen, until;
};

static struct {
    pthread_mutex_t mu;
    long ttl;
    unsigned long long gen; /* moves at every drop: a check that began before one keeps out */
    struct cached slot[CACHE_SLOTS];
} cache = {.mu = PTHREAD_MUTEX_INITIALIZER};

static struct cached *slot_of(const char *hash)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++)
        v = v * 16 + (unsigned)(hash[i] <= '9' ? hash[i] - '0' : hash[i] - 'a' + 10);
    return &cache.slot[v % CACHE_SLOTS];
}

void wg_session_cache(long seconds)
{
    pthread_mutex_lock(&cache.mu);
    cache.ttl = seconds > 0 ? seconds : 0;
    for (int i = 0; i < CACHE_SLOTS; i++)
        cache.slot[i].hash[0] = '\0';
    pthread_mutex_unlock(&cache.mu);
}

static int cache_get(const char *hash, long long now, const struct wg_session_limits *lim,
                     struct wg_actor *actor, unsigned long long *gen)
{
    int hit = 0;
    pthread_mutex_lock(&cache.mu);
    *gen = cache.gen;
    struct cached *c = slot_of(hash);
    if (cache.ttl && !strcmp(c->hash, hash) && now < c->until &&
        now - c->last_seen <= lim->idle_seconds && now - c->created_at <= lim->absolute_seconds) {
        *actor = c->actor;
        c->last_seen = now;
        hit = 1;
    }
    pthread_mutex_unlock(&cache.mu);
    return hit;
}

static void cache_put(const char *hash, const struct wg_actor *actor, long long created_at,
                      long long now, unsigned long long gen)
{
    pthread_mutex_lock(&cache.mu);
    if (cache.ttl && gen == cache.gen) {
        struct cached *c = slot_of(hash);
        memcpy(c->hash, hash, sizeof c->hash);
        c->actor = *actor;
        c->created_at = created_at;
        c->last_seen = now;
        c->until = now + cache.ttl;
    }
    pthread_mutex_unlock(&cache.mu);
}

/* Forgets one session (hash) or every session of one account (user). */
static void cache_drop(const char *hash, const char *user)
{
    pthread_mutex_lock(&cache.mu);
    cache.gen++;
    if (hash && !strcmp(slot_of(hash)->hash, hash))
        slot_of(hash)->hash[0] = '\0';
    for (int i = 0; user && i < CACHE_SLOTS; i++)
        if (cache.slot[i].hash[0] && !strcmp(cache.slot[i].actor.username, user))
            cache.slot[i].hash[0] = '\0';
    pthread_mutex_unlock(&cache.mu);
}

enum wg_rc wg_session_check(struct wg_db *db, const char *token, long long now,
                            const struct wg_session_limits *lim, struct wg_actor *actor,
                            struct wg_err *err)
{
    struct wg_session_row s;
    struct wg_account_row a;
    char hash[65];
    unsigned long long gen;
    enum wg_rc rc;
    if (!token || strlen(token) != WG_TOKEN_LEN)
        return wg_err_set(err, WG_EUNAUTH,
                          "not logged in: send 'Authorization: Bearer <token>' "
                          "from POST /api/v1/session");
    sha256_hex(token, hash);
    if (cache_get(hash, now, lim, actor, &gen))
        return WG_OK;
    rc = wg_store_session_get(db, hash, &s, err);
    if (rc == WG_ENOTFOUND)
        return wg_err_set(err, WG_EUNAUTH, "session is unknown or has ended; log in again");
    if (rc)
        return rc;
    /* an ended session's row is removed as it is met; the caller is refused either way, so
     * a failure to remove it only leaves it for the next time */
    if (now - s.last_seen > lim->idle_seconds || now - s.created_at > lim->absolute_seconds) {
        wg_store_session_delete(db, hash, NULL);
        return wg_err_set(err, WG_EUNAUTH, "session has expired; log in again");
    }
    rc = wg_store_account_get(db, s.username, &a, err);
    if (rc == WG_ENOTFOUND || (!rc && a.disabled)) {
        wg_store_session_delete(db, hash, NULL);
        return wg_err_set(err, WG_EUNAUTH, "account is no longer active");
    }
    if (rc)
        return rc;
    /* last_seen moves at most once a minute: idle expiry needs no finer grain, and most
     * requests then only read */
    if (now - s.last_seen >= 60 && (rc = wg_store_session_touch(db, hash, now, err)))
        return rc;
    if ((rc = actor_from(actor, &a, err)))
        return rc;
    snprintf(actor->token_hash, sizeof actor->token_hash, "%s", hash);
    cache_put(hash, actor, s.created_at, now, gen);
    return WG_OK;
}

enum wg_rc wg_session_logout(struct wg_db *db, const struct wg_actor *actor, struct wg_err *err)
{
    enum wg_rc rc = wg_store_session_delete(db, actor->token_hash, err);
    cache_drop(actor->token_hash, NULL); /* after: a check meanwhile cannot put it back */
    return rc;
}

enum wg_rc wg_password_change_prepare(struct wg_db *db, const struct wg_actor *actor,
                                      const char *old_pw, const char *new_pw,
                                      struct wg_password_change *pc, struct wg_err *err)
{
    struct wg_account_row a;
    enum wg_rc rc;
    memset(pc, 0, sizeof *pc);
    if (!old_pw || !new_pw)
        return wg_err_set(err, WG_EINVAL, "old_password and new_password are required");
    if (!strcmp(old_pw, new_pw))
        return wg_err_set(err, WG_EINVAL, "new_password must differ from the old one");
    if ((rc = wg_password_check(new_pw, err)) ||
        (rc = wg_store_account_get(db, actor->username, &a, err)))
        return rc;
    memcpy(pc->stored, a.password_hash, sizeof pc->stored);
    return WG_OK;
}

void wg_password_change_hash(struct wg_password_change *pc, const char *old_pw, const char *new_pw)
{
    pc->old_ok = wg_password_verify(pc->stored, old_pw);
    if (pc->old_ok)
        wg_password_hash(new_pw, pc->hash, NULL);
}

enum wg_rc wg_password_change_finish(struct wg_db *db, const struct wg_actor *actor,
                                     const struct wg_password_change *pc, struct wg_err *err)
{
    enum wg_rc rc;
    if (!pc->old_ok)
        return wg_err_set(err, WG_EFORBIDDEN, "old_password is wrong");
    if ((rc = wg_db_begin(db, err)))
        return rc;
    if ((rc = wg_store_account_change_password(db, actor->username, pc->stored, pc->hash, err)) ||
        (rc = wg_store_session_delete_user(db, actor->username, err)) ||
        (rc = wg_store_session_insert(db, actor->token_hash, actor->username, (long long)time(NULL),
                                      NULL, err)) ||
        (rc = wg_db_commit(db, err))) {
        wg_db_rollback(db);
        return rc;
    }
    cache_drop(NULL, actor->username); /* its other sessions end, and must_change is cleared */
    return WG_OK;
}

enum wg_rc wg_password_reset(struct wg_db *db, const char *username, const char *hash,
                             struct wg_err *err)
{
    enum wg_rc rc;
    if ((rc = wg_db_begin(db, err)))
        return rc;
    if ((rc = wg_store_account_set_password(db, username, hash, 1, err)) ||
        (rc = wg_store_session_delete_user(db, username, err)) || (rc = wg_db_commit(db, err))) {
        wg_db_rollback(db);
        return rc;
    }
    cache_drop(NULL, username); /* after: a check meanwhile cannot put a session back */
    return WG_OK;
}

enum wg_rc wg_apikey_create(struct wg_db *db, const char *name, const char *scope, uint32_t perms,
                            char key[WG_APIKEY_LEN + 1], char id[24], struct wg_err *err)
{
    struct wg_apikey_row k;
    struct wg_scope sc;
    char hash[65];
    enum wg_rc rc;
    memset(&k, 0, sizeof k);
    if (!name || !*name || strlen(name) >= sizeof k.name)
        return wg_err_set(err, WG_EINVAL, "an API key needs a name of 1 to 127 bytes");
    if ((rc = wg_scope_parse(scope, &sc, err)))
        return rc;
    random_hex(id, 8); /* 16 hex */
    /* "wgk_" + 16 hex of id + "_" + 43 hex of secret (172 bits) = 64 characters */
    char secret[45];
    random_hex(secret, 22);
    snprintf(key, WG_APIKEY_LEN + 1, "wgk_%s_%.43s", id, secret);
    sodium_memzero(secret, sizeof secret);
    sha256_hex(key, hash);
    snprintf(k.id, sizeof k.id, "%s", id);
    snprintf(k.name, sizeof k.name, "%s", name);
    snprintf(k.scope_kind, sizeof k.scope_kind, "%s", sc.kind);
    snprintf(k.scope, sizeof k.scope, "%s", sc.code);
    k.permissions = perms;
    return wg_store_apikey_insert(db, &k, hash, err);
}

enum wg_rc wg_apikey_check(struct wg_db *db, const char *key, struct wg_actor *actor,
                           struct wg_err *err)
{
    struct wg_apikey_row k;
    char hash[65];
    enum wg_rc rc;
    if (!key || strlen(key) != WG_APIKEY_LEN || strncmp(key, "wgk_", 4))
        return wg_err_set(err, WG_EUNAUTH, "API key is not valid");
    sha256_hex(key, hash);
    rc = wg_store_apikey_get(db, hash, &k, err);
    if (rc == WG_ENOTFOUND || (!rc && k.revoked_at[0]))
        return wg_err_set(err, WG_EUNAUTH, "API key is not valid or has been revoked");
    if (rc)
        return rc;
    memset(actor, 0, sizeof *actor);
    snprintf(actor->username, sizeof actor->username, "apikey:%s", k.id);
    actor->role = WG_ROLE_APIKEY;
    actor->perms = (uint32_t)k.permissions;
    snprintf(actor->scope.kind, sizeof actor->scope.kind, "%s", k.scope_kind);
    snprintf(actor->scope.code, sizeof actor->scope.code, "%s", k.scope);
    return WG_OK;
}

enum wg_rc wg_session_purge(struct wg_db *db, long long now, const struct wg_session_limits *lim,
                            long *n, struct wg_err *err)
{
    return wg_store_session_purge(db, now - lim->idle_seconds, now - lim->absolute_seconds, n, err);
}
