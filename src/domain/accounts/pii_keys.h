/* The key file of personal-information sealing (pii.h): DATA_DIR/keys/pii.key (directory 0700,
 * file 0600, never in the database). It is text:
 *
 *     # comment lines start with '#'
 *     wangge-pii-keys 1                      magic and format version, the first other line
 *     key 1 <64 hex: AEAD key> <64 hex: blind-index key>
 *     key 2 <...> <...>                      versions count up from 1 without gaps
 *
 * The highest version is the current one: new values are encrypted under it. Rotation appends a
 * version and never removes one, so every value ever stored still decrypts. */
#ifndef WG_DOMAIN_PII_KEYS_H
#define WG_DOMAIN_PII_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define WG_PII_MAX_VERSIONS 1000 /* key versions a key file may hold */
#define WG_PII_KEY_BYTES    32   /* each key of a version */

/* A loaded key file, versions 1 to wg_pii_keys_current(); opaque, in guarded memory
 * (sodium_malloc), read-only once loaded. */
struct wg_pii_keys;

/* One version's keys: the XChaCha20-Poly1305 key that seals values and the HMAC-SHA256 key of
 * the blind index. */
struct wg_pii_key {
    unsigned char aead[WG_PII_KEY_BYTES];
    unsigned char blind[WG_PII_KEY_BYTES];
};

/* Writes "dir/keys/pii.key" into out; false when it does not fit. */
bool wg_pii_keys_path(const char *dir, char *out, size_t size);

/* Creates DATA_DIR/keys (0700) and a key file with version 1. Refuses (WG_ECONFLICT) when the key
 * file already exists: overwriting it would make every stored value unreadable. */
enum wg_rc wg_pii_keys_create(const char *dir, struct wg_err *err);
/* Loads the key file. Refuses a file that group or others may access, naming the file and the
 * chmod that fixes it, and any file not in the format above (naming the line). */
enum wg_rc wg_pii_keys_load(const char *dir, struct wg_pii_keys **out, struct wg_err *err);
/* Wipes and frees; NULL is a no-op. */
void wg_pii_keys_free(struct wg_pii_keys *keys);
/* Appends a fresh version to the key file and makes it current. The new file is written beside
 * the old one, fsynced and renamed over it, so a crash leaves either file whole. Processes that
 * already loaded the keys keep encrypting under the old version until they load again. */
enum wg_rc wg_pii_keys_rotate(const char *dir, struct wg_err *err);
unsigned wg_pii_keys_current(const struct wg_pii_keys *keys); /* the current version */
/* The keys of a version from 1 to wg_pii_keys_current(); any other aborts, since callers check a
 * stored value's version first. Only the sealing code (pii.c) needs the keys themselves. */
const struct wg_pii_key *wg_pii_keys_get(const struct wg_pii_keys *keys, unsigned version);
/* Starts a blind index: st becomes HMAC-SHA-256 keyed with version 1's blind-index key, as
 * crypto_auth_hmacsha256_init would make it, from a state keyed once when the file loaded. */
struct crypto_auth_hmacsha256_state;
void wg_pii_keys_blind_start(const struct wg_pii_keys *keys,
                             struct crypto_auth_hmacsha256_state *st);

#endif
