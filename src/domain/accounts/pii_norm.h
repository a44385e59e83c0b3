/* What pii_check.c (which defines it) and pii_mask.c share about reading typed text: ASCII
 * blanks trimmed, and a phone number's digits walked in their normalised form. Private to the
 * pii files; elsewhere, wg_pii_normalize (pii.h) gives the normalised form. */
#ifndef WG_DOMAIN_PII_NORM_H
#define WG_DOMAIN_PII_NORM_H

#include <stdbool.h>
#include <stddef.h>

/* Narrows s[0, n) to leave out ASCII blanks at both ends. */
void wg_pii_trim(const char **s, size_t *n);

/* A phone number's digits as its normalised form has them: the first `skip` digits (a country
 * prefix) dropped and, when the prefix was an explicit +86/0086 before an area code, the 0 that
 * a domestic caller dials put back, so "+86 531 8888 8888" equals "0531-88888888". The walk
 * hands the digits out one at a time, so that no copy of the number is needed. */
struct wg_pii_phone {
    const char *s;
    size_t n;       /* the input, as given */
    size_t ndigits; /* digits in the input */
    size_t skip;
    bool lead0;
    bool plus;              /* the number opened with '+' */
    size_t len;             /* digits in the normalised form */
    size_t at, seen, given; /* the walk: next byte of s, digits of s passed, digits given */
};

/* Reads the form of s[0, len) (blanks and separators may be anywhere) and starts the walk. */
void wg_pii_phone_init(struct wg_pii_phone *f, const char *s, size_t len);
/* The next digit of the normalised form into *digit; false after the last. */
bool wg_pii_phone_next(struct wg_pii_phone *f, char *digit);

#endif
