/* A tiny table-friendly test harness: each tests/unit/test_*.c is one program whose main
 * runs its cases and ends with T_DONE(), which prints "<suite>: N passed, N failed" and
 * returns non-zero on any failure. A check that fails prints file:line and what differed. */
#ifndef WG_TESTS_T_H
#define WG_TESTS_T_H

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static int t_passed, t_failed;

#define T_CHECK(cond)                                                                              \
    do {                                                                                           \
        if (cond) {                                                                                \
            t_passed++;                                                                            \
        } else {                                                                                   \
            t_failed++;                                                                            \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
        }                                                                                          \
    } while (0)

#define T_EQ_INT(a, b)                                                                             \
    do {                                                                                           \
        long long t_a_ = (long long)(a), t_b_ = (long long)(b);                                    \
        if (t_a_ == t_b_) {                                                                        \
            t_passed++;                                                                            \
        } else {                                                                                   \
            t_failed++;                                                                            \
            fprintf(stderr, "%s:%d: %s == %lld, expected %lld\n", __FILE__, __LINE__, #a, t_a_,    \
                    t_b_);                                                                         \
        }                                                                                          \
    } while (0)

#define T_EQ_STR(a, b)                                                                             \
    do {                                                                                           \
        const char *t_a_ = (a), *t_b_ = (b);                                                       \
        if (t_a_ && t_b_ && strcmp(t_a_, t_b_) == 0) {                                             \
            t_passed++;                                                                            \
        } else {                                                                                   \
            t_failed++;                                                                            \
            fprintf(stderr, "%s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #a,      \
                    t_a_ ? t_a_ : "(null)", t_b_ ? t_b_ : "(null)");                               \
        }                                                                                          \
    } while (0)

#define T_NEAR(a, b, tol)                                                                          \
    do {                                                                                           \
        double t_a_ = (a), t_b_ = (b);                                                             \
        if (fabs(t_a_ - t_b_) <= (tol)) {                                                          \
            t_passed++;                                                                            \
        } else {                                                                                   \
            t_failed++;                                                                            \
            fprintf(stderr, "%s:%d: %s == %.9f, expected %.9f (tolerance %g)\n", __FILE__,         \
                    __LINE__, #a, t_a_, t_b_, (double)(tol));                                      \
        }                                                                                          \
    } while (0)

/* Removes a test's temporary directory and everything in it; a failure counts. */
#define T_REMOVE_DIR(dir)                                                                          \
    do {                                                                                           \
        char t_cmd_[600];                                                                          \
        snprintf(t_cmd_, sizeof t_cmd_, "rm -rf '%s'", (dir));                                     \
        T_EQ_INT(system(t_cmd_), 0);                                                               \
    } while (0)

#define T_DONE(suite)                                                                              \
    (printf("%s: %d passed, %d failed\n", (suite), t_passed, t_failed), t_failed ? 1 : 0)

/* Completes a made-up resident ID number: id holds its first seventeen digits; the check
 * character (ISO 7064 MOD 11-2, as GB 11643 has it) and the end are written after them. */
static inline void t_id_check(char id[19])
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (id[i] - '0') * w[i];
    id[17] = "10X98765432"[sum % 11];
    id[18] = '\0';
}

#endif
