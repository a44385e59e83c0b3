/* UTF-8 as RFC 3629 has it — no overlong forms, no surrogates, nothing past U+10FFFF — the
 * one decoder behind every check, count and cut of text that must never split a character
 * (names and keywords shown to people, audit fields, masks, previews, field limits). */
#ifndef WG_CORE_UTF8_H
#define WG_CORE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Bytes (1–4) of the valid sequence at s, with left bytes there, or 0 when s starts none;
 * *cp (may be NULL) receives the code point. A NUL-terminated string may pass SIZE_MAX as
 * left: a NUL is never part of a sequence, so nothing past it is read. */
size_t wg_utf8_seq(const unsigned char *s, size_t left, uint32_t *cp);
/* 1 when the NUL-terminated string is UTF-8 text throughout. */
int wg_utf8_valid(const char *s);
/* Copies the NUL-terminated s into out (size n), each byte that starts no valid sequence
 * written as U+FFFD, cut at a character boundary: text a log or a message may carry (room
 * for all of it: 3 bytes a byte of s, and the NUL). */
void wg_utf8_scrub(const char *s, char *out, size_t n);
/* Characters of a NUL-terminated string, counting its lead bytes (for valid text). */
size_t wg_utf8_chars(const char *s);
/* Bytes of the first max characters of a NUL-terminated string (all of it when shorter). */
size_t wg_utf8_prefix(const char *s, size_t max);

#endif
