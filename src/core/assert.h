/* Invariants, checked in every build, release included: a broken one is a bug, and going on
 * with bad state is worse than stopping, so the process stops at once saying what failed
 * and where. For bad input return an error instead; an assertion is for what cannot happen. */
#ifndef WG_CORE_ASSERT_H
#define WG_CORE_ASSERT_H

#define WG_ASSERT(cond) ((cond) ? (void)0 : wg_assert_failed(#cond, __FILE__, __LINE__))

_Noreturn void wg_assert_failed(const char *cond, const char *file, int line);

#endif
