/* Sessions and API keys: who is calling. A login gives an opaque bearer token of 256
 * random bits; only its SHA-256 is stored, so a copy of the database opens no session.
 * A session ends after an idle time (default 30 minutes) or an absolute time (default 12
 * hours), or at logout. Integration clients (Open311 apps, alert sources) use API keys
 * with a fixed permission set and a scope, shown once at creation and revocable.
 *
 * Either way the caller becomes a struct wg_actor, which every authorization decision and
 * every scoped query takes. */
#ifndef WG_DOMAIN_SESSION_H
#define WG_DOMAIN_SESSION_H

#include <stdint.h>

#include "core/err.h"
#include "domain/accounts/account.h"
#include "store/store.h"

struct wg_actor {
    char username[64];    /* for an API key: "apikey:<id>" */
    enum wg_role_id role; /* parsed from the account, or WG_ROLE_APIKEY, WG_ROLE_RESIDENT */
    uint32_t perms;
    struct wg_scope scope;
    int must_change;
    char token_hash[65]; /* the session's, for logout */
};

struct wg_session_limits {
    long idle_seconds;     /* 1800 */
    long absolute_seconds; /* 43200 */
};

#define WG_TOKEN_LEN 64 /* hex characters */

/* A login, in three steps so that the slow one, checking the password, holds nothing of the
 * store's: wg_login_prepare reads the account (one quick read), wg_login_verify checks the
 * password (Argon2id, no store: the password pool's work, pwpool.h), and wg_login_finish
 * writes the outcome in one transaction — a failure counted in one statement (so failures at
 * once are each counted and none lifts a lock; the fifth locks the account for 15 minutes),
 * or the session of a success, which stands only if the account is still as its password was
 * checked.
 *
 * Every failure answers alike, whatever failed: a wrong password, an unknown name, a locked
 * or disabled account all answer WG_EUNAUTH with WG_LOGIN_REFUSED, and all take the same
 * time, since a login that cannot succeed still checks the password against a hash made with
 * the same cost. Only the audit record (`why`) tells them apart. */
#define WG_LOGIN_REFUSED                                                                           \
    "wrong username or password, or the account is locked for 15 minutes after 5 failed logins"

struct wg_login {
    char username[64];
    char hash[128]; /* the stored hash, or the stand-in's when the login cannot succeed */
    int hopeless;   /* unknown, locked or disabled when read: the check is for the time only */
    int matched;    /* wg_login_verify's finding */
    /* wg_login_finish's outcome: why it failed ("" when it did not), for the audit record;
     * locked_until when this failure locked the account, else 0 */
    const char *reason; /* wg_login_prepare's: why it cannot succeed, or NULL */
    char why[96];
    long long locked_until;
};

/* username and password must be given (else WG_EINVAL); an unknown name is no error here. */
enum wg_rc wg_login_prepare(struct wg_db *db, const char *username, long long now,
                            struct wg_login *l, struct wg_err *err);
void wg_login_verify(struct wg_login *l, const char *password);
/* WG_OK with the session's token (WG_TOKEN_LEN hex + NUL, to the caller once) and the actor;
 * WG_EUNAUTH (WG_LOGIN_REFUSED) with the failure counted; another code when the store
 * failed. Writes only, from l, and sets its outcome afresh each time: it may run again in a
 * group commit's batch (store.h). */
enum wg_rc wg_login_finish(struct wg_db *db, struct wg_login *l, const char *source, long long now,
                           char token[WG_TOKEN_LEN + 1], struct wg_actor *actor,
                           struct wg_err *err);
/* The three at once, in a transaction of its own, for callers with a connection to spare. */
enum wg_rc wg_session_login(struct wg_db *db, const char *username, const char *password,
                            const char *source, long long now, char token[WG_TOKEN_LEN + 1],
                            struct wg_actor *actor, struct wg_err *err);
/* WG_EUNAUTH when the token is unknown or expired (an expired session is removed). */
enum wg_rc wg_session_check(struct wg_db *db, const char *token, long long now,
                            const struct wg_session_limits *lim, struct wg_actor *actor,
                            struct wg_err *err);
enum wg_rc wg_session_logout(struct wg_db *db, const struct wg_actor *actor, struct wg_err *err);
/* Removes every session that has ended by lim at now but was never checked again (a browser
 * closed without logging out); *n of them. A write: run it as one (the minute sweep). */
enum wg_rc wg_session_purge(struct wg_db *db, long long now, const struct wg_session_limits *lim,
                            long *n, struct wg_err *err);
/* Remembers sessions found valid for up to `seconds` (0, the default, turns it off and
 * forgets all), so that a busy client's requests are not two store reads each. Idle and
 * absolute expiry are still checked at every request. Logout and password changes in this
 * process forget the sessions concerned at once; a change made by another process sharing
 * the store (the command line disabling an account) is seen within `seconds`. */
void wg_session_cache(long seconds);
/* Changing one's own password, in three steps as a login, so that checking the old one and
 * hashing the new one hold no store connection: wg_password_change_prepare checks what needs
 * no hashing (both given, the new one meets the policy and differs from the old) and reads the
 * stored hash; wg_password_change_hash checks the old password and hashes the new (the
 * password pool's work); wg_password_change_finish stores it, clears must_change and ends the
 * account's other sessions. */
struct wg_password_change {
    char stored[128]; /* the hash the old password was checked against */
    char hash[128];   /* the new password's */
    int old_ok;
};
enum wg_rc wg_password_change_prepare(struct wg_db *db, const struct wg_actor *actor,
                                      const char *old_pw, const char *new_pw,
                                      struct wg_password_change *pc, struct wg_err *err);
void wg_password_change_hash(struct wg_password_change *pc, const char *old_pw, const char *new_pw);
/* WG_EFORBIDDEN when the old password was wrong; WG_ECONFLICT when the password was changed
 * or reset since it was read (nothing is stored then). */
enum wg_rc wg_password_change_finish(struct wg_db *db, const struct wg_actor *actor,
                                     const struct wg_password_change *pc, struct wg_err *err);
/* A reset: username gets the password hash (of a one-time password, made by the server), to be
 * changed at first login; its failures and lock are cleared and every session of it ends. */
enum wg_rc wg_password_reset(struct wg_db *db, const char *username, const char *hash,
                             struct wg_err *err);

#define WG_APIKEY_LEN 64
/* Creates an API key; key (shown once) and id are written to the caller. */
enum wg_rc wg_apikey_create(struct wg_db *db, const char *name, const char *scope, uint32_t perms,
                            char key[WG_APIKEY_LEN + 1], char id[24], struct wg_err *err);
enum wg_rc wg_apikey_check(struct wg_db *db, const char *key, struct wg_actor *actor,
                           struct wg_err *err);

#endif
