/* Typed queries over accounts, sessions and API keys. */
#include "store/store.h"

#include "core/alloc.h"
#include "core/clock.h"
#include "store/backend.h"
#include "store/accounts/accounts_q.h"

static void fill_account(struct wg_row *row, struct wg_account_row *a)
{
    wg_row_copy(row, 0, a->username, sizeof a->username);
    wg_row_copy(row, 1, a->role, sizeof a->role);
    wg_row_copy(row, 2, a->scope_kind, sizeof a->scope_kind);
    wg_row_copy(row, 3, a->scope, sizeof a->scope);
    wg_row_copy(row, 4, a->password_hash, sizeof a->password_hash);
    a->must_change = (int)wg_row_int(row, 5);
    a->disabled = (int)wg_row_int(row, 6);
    a->failed = (int)wg_row_int(row, 7);
    a->locked_until = wg_row_int(row, 8);
}

enum wg_rc wg_store_account_insert(struct wg_db *db, const struct wg_account_row *a,
                                   struct wg_err *err)
{
    char now[32];
    enum wg_rc rc;
    wg_clock_iso_now(now);
    struct wg_val p[] = {WG_VTEXT(a->username),
                         WG_VTEXT(a->role),
                         WG_VTEXT(a->scope_kind),
                         WG_VTEXT(a->scope),
                         WG_VTEXT(a->password_hash),
                         WG_VINT(a->must_change),
                         WG_VTEXT(now),
                         WG_VTEXT(now)};
    rc = wg_db_exec(db, WG_Q_ACCOUNT_INSERT, p, WG_NVALS(p), NULL, err);
    if (rc == WG_ECONFLICT)
        return wg_err_set(err, WG_ECONFLICT, "account '%s' already exists", a->username);
    return rc;
}

struct one {
    void *out;
    int n;
};

static int get_account(struct wg_row *row, void *ctx)
{
    struct one *o = ctx;
    fill_account(row, o->out);
    o->n++;
    return 1;
}

enum wg_rc wg_store_account_get(struct wg_db *db, const char *username, struct wg_account_row *out,
                                struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(username)};
    struct one o = {out, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_ACCOUNT_GET, p, 1, get_account, &o, err);
    if (!rc && !o.n)
        return wg_err_set(err, WG_ENOTFOUND, "account '%s' does not exist", username);
    return rc;
}

struct each_account {
    int (*cb)(const struct wg_account_row *, void *);
    void *ctx;
};

static int each_account(struct wg_row *row, void *ctx)
{
    struct each_account *e = ctx;
    struct wg_account_row a;
    fill_account(row, &a);
    return e->cb(&a, e->ctx);
}

enum wg_rc wg_store_account_each(struct wg_db *db, int (*cb)(const struct wg_account_row *, void *),
                                 void *ctx, struct wg_err *err)
{
    struct each_account e = {cb, ctx};
    return wg_db_query(db, WG_Q_ACCOUNT_LIST, NULL, 0, each_account, &e, err);
}

static enum wg_rc exec_one(struct wg_db *db, enum wg_q q, const struct wg_val *p, size_t n,
                           const char *what, const char *name, struct wg_err *err)
{
    long changes = 0;
    enum wg_rc rc = wg_db_exec(db, q, p, n, &changes, err);
    if (!rc && changes == 0)
        return wg_err_set(err, WG_ENOTFOUND, "%s '%s' does not exist", what, name);
    return rc;
}

enum wg_rc wg_store_account_set_password(struct wg_db *db, const char *username, const char *hash,
                                         int must_change, struct wg_err *err)
{
    char now[32];
    wg_clock_iso_now(now);
    struct wg_val p[] = {WG_VTEXT(hash), WG_VINT(must_change), WG_VTEXT(now), WG_VTEXT(username)};
    return exec_one(db, WG_Q_ACCOUNT_SET_PASSWORD, p, WG_NVALS(p), "account", username, err);
}

struct failed {
    int n, failed;
    long long locked_until;
};

static int get_failed(struct wg_row *row, void *ctx)
{
    struct failed *f = ctx;
    f->failed = (int)wg_row_int(row, 0);
    f->locked_until = wg_row_int(row, 1);
    f->n++;
    return 1;
}

enum wg_rc wg_store_account_change_password(struct wg_db *db, const char *username, const char *old,
                                            const char *hash, struct wg_err *err)
{
    char now[32];
    long changes = 0;
    enum wg_rc rc;
    wg_clock_iso_now(now);
    struct wg_val p[] = {WG_VTEXT(hash), WG_VTEXT(now), WG_VTEXT(username), WG_VTEXT(old)};
    if (!(rc = wg_db_exec(db, WG_Q_ACCOUNT_CHANGE_PASSWORD, p, WG_NVALS(p), &changes, err)) &&
        !changes)
        return wg_err_set(err, WG_ECONFLICT,
                          "the password of '%s' was changed or reset meanwhile; log in again",
                          username);
    return rc;
}

enum wg_rc wg_store_account_fail(struct wg_db *db, const char *username, long long now, int lock_at,
                                 long long lock_until, int *failed, long long *locked_until,
                                 struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(now), WG_VINT(lock_at), WG_VINT(lock_until), WG_VTEXT(username)};
    struct failed f = {0, 0, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_ACCOUNT_FAIL, p, WG_NVALS(p), get_failed, &f, err);
    if (!rc && !f.n)
        return wg_err_set(err, WG_ENOTFOUND, "account '%s' does not exist", username);
    *failed = f.failed;
    *locked_until = f.locked_until;
    return rc;
}

enum wg_rc wg_store_account_login(struct wg_db *db, const char *username, const char *hash,
                                  long long now, struct wg_account_row *out, struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(username), WG_VTEXT(hash), WG_VINT(now)};
    struct one o = {out, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_ACCOUNT_LOGIN, p, WG_NVALS(p), get_account, &o, err);
    if (!rc && !o.n)
        return wg_err_set(err, WG_ENOTFOUND,
                          "account '%s' is no longer as its password was checked", username);
    return rc;
}

enum wg_rc wg_store_session_insert(struct wg_db *db, const char *token_hash, const char *username,
                                   long long now, const char *source, struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(token_hash), WG_VTEXT(username), WG_VINT(now), WG_VINT(now),
                         WG_VTEXT0(source)};
    return wg_db_exec(db, WG_Q_SESSION_INSERT, p, WG_NVALS(p), NULL, err);
}

static int get_session(struct wg_row *row, void *ctx)
{
    struct one *o = ctx;
    struct wg_session_row *s = o->out;
    wg_row_copy(row, 0, s->username, sizeof s->username);
    s->created_at = wg_row_int(row, 1);
    s->last_seen = wg_row_int(row, 2);
    o->n++;
    return 1;
}

enum wg_rc wg_store_session_get(struct wg_db *db, const char *token_hash,
                                struct wg_session_row *out, struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(token_hash)};
    struct one o = {out, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_SESSION_GET, p, 1, get_session, &o, err);
    if (!rc && !o.n)
        return wg_err_set(err, WG_ENOTFOUND, "no such session");
    return rc;
}

enum wg_rc wg_store_session_touch(struct wg_db *db, const char *token_hash, long long now,
                                  struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(now), WG_VTEXT(token_hash)};
    return wg_db_exec(db, WG_Q_SESSION_TOUCH, p, 2, NULL, err);
}

enum wg_rc wg_store_session_delete(struct wg_db *db, const char *token_hash, struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(token_hash)};
    return wg_db_exec(db, WG_Q_SESSION_DELETE, p, 1, NULL, err);
}

enum wg_rc wg_store_session_delete_user(struct wg_db *db, const char *username, struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(username)};
    return wg_db_exec(db, WG_Q_SESSION_DELETE_USER, p, 1, NULL, err);
}

enum wg_rc wg_store_session_purge(struct wg_db *db, long long idle_since, long long created_since,
                                  long *n, struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(idle_since), WG_VINT(created_since)};
    *n = 0;
    return wg_db_exec(db, WG_Q_SESSION_PURGE, p, 2, n, err);
}

enum wg_rc wg_store_session_count_active(struct wg_db *db, long long idle_since,
                                         long long created_since, long long *n, struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(idle_since), WG_VINT(created_since)};
    *n = 0;
    return wg_db_query_int(db, WG_Q_SESSION_COUNT_ACTIVE, p, 2, n, NULL, err);
}

static void fill_key(struct wg_row *row, struct wg_apikey_row *k)
{
    wg_row_copy(row, 0, k->id, sizeof k->id);
    wg_row_copy(row, 1, k->name, sizeof k->name);
    wg_row_copy(row, 2, k->scope_kind, sizeof k->scope_kind);
    wg_row_copy(row, 3, k->scope, sizeof k->scope);
    k->permissions = wg_row_int(row, 4);
    wg_row_copy(row, 5, k->revoked_at, sizeof k->revoked_at);
}

enum wg_rc wg_store_apikey_insert(struct wg_db *db, const struct wg_apikey_row *k,
                                  const char *key_hash, struct wg_err *err)
{
    char now[32];
    wg_clock_iso_now(now);
    struct wg_val p[] = {
        WG_VTEXT(k->id),    WG_VTEXT(k->name),       WG_VTEXT(key_hash), WG_VTEXT(k->scope_kind),
        WG_VTEXT(k->scope), WG_VINT(k->permissions), WG_VTEXT(now)};
    return wg_db_exec(db, WG_Q_APIKEY_INSERT, p, WG_NVALS(p), NULL, err);
}

static int get_key(struct wg_row *row, void *ctx)
{
    struct one *o = ctx;
    fill_key(row, o->out);
    o->n++;
    return 1;
}

enum wg_rc wg_store_apikey_get(struct wg_db *db, const char *key_hash, struct wg_apikey_row *out,
                               struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(key_hash)};
    struct one o = {out, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_APIKEY_GET, p, 1, get_key, &o, err);
    if (!rc && !o.n)
        return wg_err_set(err, WG_ENOTFOUND, "no such API key");
    return rc;
}

struct each_key {
    int (*cb)(const struct wg_apikey_row *, void *);
    void *ctx;
};

static int each_key(struct wg_row *row, void *ctx)
{
    struct each_key *e = ctx;
    struct wg_apikey_row k;
    fill_key(row, &k);
    return e->cb(&k, e->ctx);
}

enum wg_rc wg_store_apikey_each(struct wg_db *db, int (*cb)(const struct wg_apikey_row *, void *),
                                void *ctx, struct wg_err *err)
{
    struct each_key e = {cb, ctx};
    return wg_db_query(db, WG_Q_APIKEY_LIST, NULL, 0, each_key, &e, err);
}

enum wg_rc wg_store_apikey_revoke(struct wg_db *db, const char *id, struct wg_err *err)
{
    char now[32];
    wg_clock_iso_now(now);
    struct wg_val p[] = {WG_VTEXT(now), WG_VTEXT(id)};
    return exec_one(db, WG_Q_APIKEY_REVOKE, p, 2, "valid API key", id, err);
}

enum wg_rc wg_store_account_set_profile(struct wg_db *db, const char *username,
                                        const char *real_name, const char *phone,
                                        const char *phone_blind, const char *id_number,
                                        struct wg_err *err)
{
    char now[32];
    wg_clock_iso_now(now);
    struct wg_val p[] = {WG_VTEXT0(real_name), WG_VTEXT0(phone), WG_VTEXT0(phone_blind),
                         WG_VTEXT0(id_number), WG_VTEXT(now),    WG_VTEXT(username)};
    return exec_one(db, WG_Q_ACCOUNT_SET_PROFILE, p, WG_NVALS(p), "account", username, err);
}

static int get_profile(struct wg_row *row, void *ctx)
{
    struct one *o = ctx;
    struct wg_profile_row *p = o->out;
    p->real_name = wg_strdup(wg_row_text(row, 0));
    p->phone = wg_strdup(wg_row_text(row, 1));
    p->id_number = wg_strdup(wg_row_text(row, 2));
    o->n++;
    return 1;
}

enum wg_rc wg_store_account_profile(struct wg_db *db, const char *username,
                                    struct wg_profile_row *out, struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(username)};
    struct one o = {out, 0};
    enum wg_rc rc;
    memset(out, 0, sizeof *out);
    snprintf(out->username, sizeof out->username, "%s", username);
    rc = wg_db_query(db, WG_Q_ACCOUNT_PROFILE, p, 1, get_profile, &o, err);
    if (!rc && !o.n)
        return wg_err_set(err, WG_ENOTFOUND, "account '%s' does not exist", username);
    return rc;
}

struct each_profile {
    int (*cb)(const struct wg_profile_row *, void *);
    void *ctx;
};

static int each_profile(struct wg_row *row, void *ctx)
{
    struct each_profile *e = ctx;
    struct wg_profile_row p;
    wg_row_copy(row, 0, p.username, sizeof p.username);
    p.real_name = (char *)wg_row_text(row, 1);
    p.phone = (char *)wg_row_text(row, 2);
    p.id_number = (char *)wg_row_text(row, 3);
    return e->cb(&p, e->ctx);
}

enum wg_rc wg_store_account_profiles(struct wg_db *db,
                                     int (*cb)(const struct wg_profile_row *, void *), void *ctx,
                                     struct wg_err *err)
{
    struct each_profile e = {cb, ctx};
    return wg_db_query(db, WG_Q_ACCOUNT_PROFILES, NULL, 0, each_profile, &e, err);
}

struct each_name {
    int (*cb)(const char *, void *);
    void *ctx;
};

enum wg_rc wg_store_account_reseal(struct wg_db *db, const char *username, const char *real_name,
                                   const char *phone, const char *id_number, struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT0(real_name), WG_VTEXT0(phone), WG_VTEXT0(id_number),
                         WG_VTEXT(username)};
    return exec_one(db, WG_Q_ACCOUNT_RESEAL, p, WG_NVALS(p), "account", username, err);
}
