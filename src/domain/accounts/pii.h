/* Personal information (PIPL art. 28 and 51): ID numbers, phone numbers, addresses and
 * special-population membership are encrypted at rest, found by a keyed blind index, checked
 * on entry and masked on every output. This module is self-contained: it knows the key file
 * (pii_keys.h) and the formats, not the store or the API.
 *
 * A stored value is "v<version>:" followed by unpadded URL-safe base64 of nonce (24 bytes) ||
 * XChaCha20-Poly1305-IETF ciphertext and tag, sealed under that version's key. The caller's
 * context ("order.reporter_phone") is the associated data, so a value copied into another field,
 * or altered in any byte, does not decrypt.
 *
 * Sealing and the blind index are in pii.c, normal forms and validation in pii_check.c, masks in
 * pii_mask.c. */
#ifndef WG_DOMAIN_PII_H
#define WG_DOMAIN_PII_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define WG_PII_MAX_PLAIN 4096 /* bytes of clear text a field may hold */
#define WG_PII_BLIND_HEX 33   /* a blind index: 32 hex digits (128 bits) and the NUL */

struct wg_pii_keys; /* a loaded key file (pii_keys.h) */

/* Encrypts plaintext (at most WG_PII_MAX_PLAIN bytes, else WG_ETOOBIG) under the current key with
 * context as associated data; *out is an owned printable string. */
enum wg_rc wg_pii_encrypt(const struct wg_pii_keys *keys, const char *plaintext,
                          const char *context, char **out, struct wg_err *err);
/* Decrypts a stored value; *out is owned (free it with wg_pii_wipe). Anything that is not a value
 * encrypted under this key file and this context is WG_EINVAL with a message saying which of
 * malformed, unknown key version, or altered / other context it is. */
enum wg_rc wg_pii_decrypt(const struct wg_pii_keys *keys, const char *stored, const char *context,
                          char **out, struct wg_err *err);
/* True when stored is a well-formed value under a version older than the current one. */
bool wg_pii_needs_rotation(const struct wg_pii_keys *keys, const char *stored);
/* Decrypts stored and encrypts it again under the current version (same context). */
enum wg_rc wg_pii_reencrypt(const struct wg_pii_keys *keys, const char *stored, const char *context,
                            char **out, struct wg_err *err);
/* Overwrites a clear-text string with zeros and frees it; NULL is a no-op. */
void wg_pii_wipe(char *s);

/* What a value is, for normalisation and for the blind index (the kind is part of the MAC, so a
 * phone and an ID number with the same digits give different indexes). */
enum wg_pii_kind {
    WG_PII_PHONE, /* digits only; +86, 0086 or (before a mobile number) 86 dropped */
    WG_PII_ID,    /* ASCII blanks trimmed, letters upper-cased (x -> X) */
    WG_PII_TEXT,  /* names, addresses: ASCII blanks trimmed */
};

/* Writes the normalised form of value into out (at most strlen(value) + 1 bytes are needed).
 * WG_ETOOBIG when it does not fit. */
enum wg_rc wg_pii_normalize(enum wg_pii_kind kind, const char *value, char *out, size_t size,
                            struct wg_err *err);
/* The blind index of a value: the first 128 bits of the HMAC-SHA256 of kind and the normalised
 * value under the blind-index key of version 1, in hex, for exact lookups ("earlier appeals
 * from this phone"). 128 bits keep values apart at any scale a province reaches, and the
 * indexes over them are half the size of the whole MAC's (migration 40). */
enum wg_rc wg_pii_blind(const struct wg_pii_keys *keys, enum wg_pii_kind kind, const char *value,
                        char out[WG_PII_BLIND_HEX], struct wg_err *err);

/* Validation, on the normalised form. Messages say what is wrong without repeating the value:
 * they may reach a log, and the person who typed it has it in front of them.
 *
 * A phone number is one of:
 *   - a mainland mobile number: 11 digits, 1[3-9]xxxxxxxxx (after +86/86 is dropped);
 *   - a landline with its area code: a 3-digit area code (010, 02x) and 8 digits
 *     (010-12345678), or a 4-digit one (0xxx, x from 3) and 7 or 8 digits (0531-8888888,
 *     0531-88888888);
 *   - a local landline without area code: 7 or 8 digits, the first 2-9.
 * Spaces, '-' and parentheses may separate digit groups, and '+' may only open the number. */
enum wg_rc wg_pii_check_phone(const char *phone, struct wg_err *err);
/* An 18-character resident ID (GB 11643-1999): 6-digit region code whose province part exists,
 * an 8-digit birth date that exists, 3-digit sequence, and the ISO 7064 MOD 11-2 check character
 * (digit or X; x accepted). Surrounding ASCII blanks are ignored. */
enum wg_rc wg_pii_check_id(const char *id, struct wg_err *err);
/* The GB 11643 check character (ISO 7064 MOD 11-2, 'X' for 10) of an ID number's first 17
 * digits. */
char wg_pii_id_check_char(const char *first17);

/* Masks for display. Each writes a NUL-terminated, valid UTF-8 string into out and returns the
 * length the whole mask needs (like snprintf): a result >= size means out holds only the
 * characters that fit, never part of one. Input is trimmed of ASCII blanks; a byte that is not
 * part of valid UTF-8 counts as one character and is shown as '*'. Empty input gives "".
 *   - ID: first 6 and last 4 characters kept, the rest '*' (370302********1234); shorter than 14
 *     characters, all but the last 2 are masked.
 *   - phone: the normalised digits; 10 or more: first 3 and last 4 kept (138****1234); fewer:
 *     all but the last 2 masked.
 *   - name: the surname and one '*' (张*); a compound surname (欧阳, 司马, 诸葛, 上官, ...) is
 *     kept whole when the name is longer than it (欧阳*).
 *   - address: the first characters, up to 6 and never more than half of them, then "****"
 *     (the fixed tail hides the length). */
size_t wg_pii_mask_id(const char *id, char *out, size_t size);
size_t wg_pii_mask_phone(const char *phone, char *out, size_t size);
size_t wg_pii_mask_name(const char *name, char *out, size_t size);
size_t wg_pii_mask_address(const char *address, char *out, size_t size);

#endif
