/* Fuzz target: personal information from outside — stored values read back from a database
 * someone may have edited, and phones, ID numbers, names and addresses typed by anyone. Beyond
 * "no crash", it aborts when a property breaks: a round trip that changes the text, a value
 * that decrypts under another context, or a mask that is not a whole-character prefix. */
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain/accounts/pii.h"
#include "domain/accounts/pii_keys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One key set for the whole run, created in a temporary directory that is removed at once:
 * the keys live on in memory. */
static struct wg_pii_keys *fuzz_keys(void)
{
    static struct wg_pii_keys *keys;
    char dir[64], path[128];
    if (keys)
        return keys;
    snprintf(dir, sizeof dir, "/tmp/wg-fuzz-pii-XXXXXX");
    if (!mkdtemp(dir) || wg_pii_keys_create(dir, NULL) != WG_OK ||
        wg_pii_keys_load(dir, &keys, NULL) != WG_OK)
        abort();
    wg_pii_keys_path(dir, path, sizeof path);
    unlink(path);
    snprintf(path, sizeof path, "%s/keys", dir);
    rmdir(path);
    rmdir(dir);
    return keys;
}

static bool valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t len = *p < 0x80         ? 1
                     : (*p >> 5) == 6  ? 2
                     : (*p >> 4) == 14 ? 3
                     : (*p >> 3) == 30 ? 4
                                       : 0;
        if (len == 0 || (len == 2 && *p < 0xC2))
            return false;
        for (size_t i = 1; i < len; i++)
            if ((p[i] & 0xC0) != 0x80)
                return false;
        p += len;
    }
    return true;
}

static void check_mask(size_t (*fn)(const char *, char *, size_t), const char *in, size_t small)
{
    char full[8192], part[64];
    size_t need = fn(in, full, sizeof full);
    if (need >= sizeof full)
        return; /* the long input's mask did not fit: the small buffer case below covers it */
    if (strlen(full) != need || !valid_utf8(full))
        abort();
    if (fn(in, part, small) != need)
        abort();
    if (small == 0)
        return;
    size_t len = strlen(part);
    if (len >= small || strncmp(part, full, len) != 0 || !valid_utf8(part))
        abort();
    if (small > need ? len != need : len + 4 < small)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct wg_pii_keys *keys = fuzz_keys();
    struct wg_err err = {0};
    char *s, *out = NULL, *stored = NULL, norm[16400], blind[WG_PII_BLIND_HEX];
    size_t small = size ? data[0] % 24 : 0;
    if (size > 16384)
        return 0;
    s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';

    /* As a stored value: never a crash, and (without the key) never a success. */
    if (wg_pii_decrypt(keys, s, "fuzz.field", &out, &err) == WG_OK)
        abort();
    wg_pii_needs_rotation(keys, s);

    /* As clear text: the round trip gives it back, and only under its own context. */
    if (wg_pii_encrypt(keys, s, "fuzz.field", &stored, &err) == WG_OK) {
        if (wg_pii_decrypt(keys, stored, "fuzz.field", &out, &err) != WG_OK || strcmp(out, s) != 0)
            abort();
        wg_pii_wipe(out);
        out = NULL;
        if (wg_pii_decrypt(keys, stored, "fuzz.other", &out, &err) == WG_OK)
            abort();
        free(stored);
    }

    /* Normalisation fits in strlen + 1 bytes, and the blind index is 32 hex digits. */
    for (int k = WG_PII_PHONE; k <= WG_PII_TEXT; k++) {
        if (wg_pii_normalize((enum wg_pii_kind)k, s, norm, strlen(s) + 1, &err) != WG_OK)
            abort();
        if (wg_pii_blind(keys, (enum wg_pii_kind)k, s, blind, &err) == WG_OK &&
            (strspn(blind, "0123456789abcdef") != 32 || blind[32]))
            abort();
    }

    /* A phone that passes has a length that some kind of number has. */
    if (wg_pii_check_phone(s, &err) == WG_OK) {
        size_t n;
        wg_pii_normalize(WG_PII_PHONE, s, norm, sizeof norm, NULL);
        n = strlen(norm);
        if (n != 7 && n != 8 && n != 11 && n != 12)
            abort();
    }
    if (wg_pii_check_id(s, &err) == WG_OK) {
        wg_pii_normalize(WG_PII_ID, s, norm, sizeof norm, NULL);
        if (strlen(norm) != 18)
            abort();
    }

    check_mask(wg_pii_mask_id, s, small);
    check_mask(wg_pii_mask_phone, s, small);
    check_mask(wg_pii_mask_name, s, small);
    check_mask(wg_pii_mask_address, s, small);
    free(s);
    return 0;
}
