/* Sealing of personal values (pii.h): XChaCha20-Poly1305 under the current version of the key
 * file (pii_keys.h), with the field's context as associated data, and the keyed blind index that
 * finds a value without opening it. */
#include "domain/accounts/pii.h"
#include "core/alloc.h"

#include <sodium.h>

#include "domain/accounts/pii_keys.h"

#define AEAD_NONCE   crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define AEAD_TAG     crypto_aead_xchacha20poly1305_ietf_ABYTES
#define B64          sodium_base64_VARIANT_URLSAFE_NO_PADDING
#define B64_ALPHABET "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

void wg_pii_wipe(char *s)
{
    if (!s)
        return;
    sodium_memzero(s, strlen(s));
    free(s);
}

/* ---- stored values ---- */

#define MAX_RAW (AEAD_NONCE + WG_PII_MAX_PLAIN + AEAD_TAG)

/* Splits "v<version>:<base64>". Leading zeros are refused so that each value has exactly one
 * spelling: "v01:..." would otherwise decrypt like "v1:...", and an altered byte would go
 * unnoticed. */
static bool parse_stored(const char *s, unsigned *version, const char **b64)
{
    unsigned v = 0;
    int digits = 0;
    if (!s || s[0] != 'v' || s[1] < '1' || s[1] > '9')
        return false;
    s++;
    while (*s >= '0' && *s <= '9') {
        if (++digits > 4)
            return false;
        v = v * 10 + (unsigned)(*s - '0');
        s++;
    }
    if (*s != ':')
        return false;
    *version = v;
    *b64 = s + 1;
    return true;
}

static enum wg_rc check_context(const char *context, struct wg_err *err)
{
    if (!context || !*context)
        return wg_err_set(err, WG_EINVAL, "a personal-information field needs a context name");
    return WG_OK;
}

/* A fresh random nonce, from a per-thread pool the system's generator fills 4 KiB at a time:
 * one getrandom() call per value sealed was a fifth of an import's time. Each nonce is taken
 * once and wiped from the pool; XChaCha20's 192-bit nonces are random, so a pool's draws
 * never need to differ by more than randomness. */
#define NONCE_POOL 4096
static void nonce(unsigned char out[AEAD_NONCE])
{
    static _Thread_local unsigned char pool[NONCE_POOL];
    static _Thread_local size_t left;
    if (left < AEAD_NONCE) {
        randombytes_buf(pool, sizeof pool);
        left = sizeof pool;
    }
    memcpy(out, pool + sizeof pool - left, AEAD_NONCE);
    sodium_memzero(pool + sizeof pool - left, AEAD_NONCE);
    left -= AEAD_NONCE;
}

enum wg_rc wg_pii_encrypt(const struct wg_pii_keys *keys, const char *plaintext,
                          const char *context, char **out, struct wg_err *err)
{
    unsigned char raw[MAX_RAW]; /* nonce, ciphertext and tag: nothing secret */
    unsigned long long clen = 0;
    size_t plen, rawlen, b64len;
    enum wg_rc rc = check_context(context, err);
    unsigned version = wg_pii_keys_current(keys);
    char *s;
    int pre;
    *out = NULL;
    if (rc != WG_OK)
        return rc;
    plen = strlen(plaintext);
    if (plen > WG_PII_MAX_PLAIN)
        return wg_err_set(err, WG_ETOOBIG, "'%s' is %zu bytes; at most %d are kept", context, plen,
                          WG_PII_MAX_PLAIN);
    rawlen = AEAD_NONCE + plen + AEAD_TAG;
    b64len = sodium_base64_ENCODED_LEN(rawlen, B64);
    s = wg_malloc(16 + b64len);
    nonce(raw);
    crypto_aead_xchacha20poly1305_ietf_encrypt(raw + AEAD_NONCE, &clen,
                                               (const unsigned char *)plaintext, plen,
                                               (const unsigned char *)context, strlen(context),
                                               NULL, raw, wg_pii_keys_get(keys, version)->aead);
    pre = snprintf(s, 16, "v%u:", version);
    sodium_bin2base64(s + pre, b64len, raw, rawlen, B64);
    *out = s;
    return rc;
}

enum wg_rc wg_pii_decrypt(const struct wg_pii_keys *keys, const char *stored, const char *context,
                          char **out, struct wg_err *err)
{
    unsigned char *raw = NULL;
    unsigned long long mlen = 0;
    const char *b64 = NULL, *b64_end = NULL;
    size_t rawlen = 0, b64len;
    unsigned version = 0;
    enum wg_rc rc = check_context(context, err);
    char *m = NULL;
    *out = NULL;
    if (rc != WG_OK)
        return rc;
    if (!parse_stored(stored, &version, &b64))
        return wg_err_set(err, WG_EINVAL,
                          "'%s' holds no encrypted value (it must start 'v<key "
                          "version>:')",
                          context);
    if (version > wg_pii_keys_current(keys))
        return wg_err_set(err, WG_EINVAL,
                          "'%s' is encrypted under key version %u, which the key file does not "
                          "have (it has 1 to %u): was the key file replaced?",
                          context, version, wg_pii_keys_current(keys));
    b64len = strlen(b64);
    if (b64len > sodium_base64_ENCODED_LEN(MAX_RAW, B64))
        return wg_err_set(err, WG_EINVAL, "'%s' is too long to be an encrypted value", context);
    raw = wg_malloc(MAX_RAW);
    /* The alphabet is checked here because libsodium 1.0.18 decodes every byte >= 0x80 as '_'
     * (its constant-time lookup assumes a char is never negative), which would let an altered
     * value decrypt. libsodium does refuse non-zero padding bits, so with both checks each byte
     * string has exactly one spelling. */
    if (strspn(b64, B64_ALPHABET) != b64len ||
        sodium_base642bin(raw, MAX_RAW, b64, b64len, NULL, &rawlen, &b64_end, B64) != 0 ||
        b64_end != b64 + b64len || rawlen < AEAD_NONCE + AEAD_TAG) {
        rc = wg_err_set(err, WG_EINVAL, "'%s' is not a well-formed encrypted value", context);
        goto out;
    }
    m = wg_malloc(rawlen - AEAD_NONCE - AEAD_TAG + 1);
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            (unsigned char *)m, &mlen, NULL, raw + AEAD_NONCE, rawlen - AEAD_NONCE,
            (const unsigned char *)context, strlen(context), raw,
            wg_pii_keys_get(keys, version)->aead) != 0) {
        rc = wg_err_set(err, WG_EINVAL,
                        "the value of '%s' does not decrypt: it was altered, or it belongs to "
                        "another field",
                        context);
        goto out;
    }
    m[mlen] = '\0';
    if (memchr(m, '\0', (size_t)mlen)) { /* only a key holder could make one; still no C string */
        rc = wg_err_set(err, WG_EINVAL, "the value of '%s' holds a NUL byte", context);
        goto out;
    }
    *out = m;
    m = NULL;
out:
    if (m) {
        sodium_memzero(m, rawlen - AEAD_NONCE - AEAD_TAG + 1);
        free(m);
    }
    free(raw);
    return rc;
}

bool wg_pii_needs_rotation(const struct wg_pii_keys *keys, const char *stored)
{
    unsigned version;
    const char *b64;
    return parse_stored(stored, &version, &b64) && version < wg_pii_keys_current(keys);
}

enum wg_rc wg_pii_reencrypt(const struct wg_pii_keys *keys, const char *stored, const char *context,
                            char **out, struct wg_err *err)
{
    char *plain = NULL;
    enum wg_rc rc = wg_pii_decrypt(keys, stored, context, &plain, err);
    *out = NULL;
    if (rc != WG_OK)
        return rc;
    rc = wg_pii_encrypt(keys, plain, context, out, err);
    wg_pii_wipe(plain);
    return rc;
}

/* ---- the blind index ---- */

static const char *kind_label(enum wg_pii_kind kind)
{
    switch (kind) {
    case WG_PII_PHONE:
        return "phone";
    case WG_PII_ID:
        return "id";
    case WG_PII_TEXT:
        return "text";
    }
    return NULL;
}

/* The blind index is always keyed with version 1's blind-index key, whatever the current
 * version. The index is only useful if the same value gives the same index in every row: were
 * it keyed with the current version, each rotation would split the index into rows written
 * before and after it, and a lookup by phone would miss every earlier appeal until all rows had
 * been re-indexed. Rotation protects the encryption of new values; re-keying the index (if the
 * blind-index key itself leaked) is a separate, deliberate migration. */
enum wg_rc wg_pii_blind(const struct wg_pii_keys *keys, enum wg_pii_kind kind, const char *value,
                        char out[WG_PII_BLIND_HEX], struct wg_err *err)
{
    crypto_auth_hmacsha256_state st;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    const char *label = kind_label(kind);
    size_t n = strlen(value);
    enum wg_rc rc;
    char *norm;
    out[0] = '\0';
    if (!label)
        return wg_err_set(err, WG_EINVAL, "unknown kind of personal information %d", (int)kind);
    if (n > WG_PII_MAX_PLAIN)
        return wg_err_set(err, WG_ETOOBIG, "the %s value is %zu bytes; at most %d are kept", label,
                          n, WG_PII_MAX_PLAIN);
    norm = wg_malloc(n + 2);
    rc = wg_pii_normalize(kind, value, norm, n + 2, err);
    if (rc == WG_OK && !norm[0])
        rc =
            wg_err_set(err, WG_EINVAL, "the %s value is empty: there is nothing to look up", label);
    if (rc == WG_OK) {
        /* The label and a NUL separate kinds: "phone\0123" and "id\0123" never meet. */
        wg_pii_keys_blind_start(keys, &st);
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)label, strlen(label) + 1);
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)norm, strlen(norm));
        crypto_auth_hmacsha256_final(&st, mac);
        sodium_bin2hex(out, WG_PII_BLIND_HEX, mac, (WG_PII_BLIND_HEX - 1) / 2);
        sodium_memzero(&st, sizeof st);
    }
    wg_pii_wipe(norm);
    return rc;
}
