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

/* Checks the password and opens a session: token (WG_TOKEN_LEN hex + NUL) goes to the
 * caller once. Wrong username or password: WG_EUNAUTH with one message for both; a locked
 * account: WG_EFORBIDDEN saying until when. Failures are counted and lock the account. */
enum wg_rc wg_session_login(struct wg_db *db, const char *username, const char *password,
                            const char *source, long long now, char token[WG_TOKEN_LEN + 1],
                            struct wg_actor *actor, struct wg_err *err);
/* WG_EUNAUTH when the token is unknown or expired (an expired session is removed). */
enum wg_rc wg_session_check(struct wg_db *db, const char *token, long long now,
                            const struct wg_session_limits *lim, struct wg_actor *actor,
                            struct wg_err *err);
enum wg_rc wg_session_logout(struct wg_db *db, const struct wg_actor *actor, struct wg_err *err);
/* Remembers sessions found valid for up to `seconds` (0, the default, turns it off and
 * forgets all), so that a busy client's requests are not two store reads each. Idle and
 * absolute expiry are still checked at every request. Logout and password changes in this
 * process forget the sessions concerned at once; a change made by another process sharing
 * the store (the command line disabling an account) is seen within `seconds`. */
void wg_session_cache(long seconds);
/* Changes one's own password: the old one must match, the new one meet the policy and
 * differ; clears must_change and ends the account's other sessions. */
enum wg_rc wg_session_change_password(struct wg_db *db, const struct wg_actor *actor,
                                      const char *old_pw, const char *new_pw, struct wg_err *err);

#define WG_APIKEY_LEN 64
/* Creates an API key; key (shown once) and id are written to the caller. */
enum wg_rc wg_apikey_create(struct wg_db *db, const char *name, const char *scope, uint32_t perms,
                            char key[WG_APIKEY_LEN + 1], char id[24], struct wg_err *err);
enum wg_rc wg_apikey_check(struct wg_db *db, const char *key, struct wg_actor *actor,
                           struct wg_err *err);

#endif
