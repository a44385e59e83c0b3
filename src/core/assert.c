/* A broken invariant stops the process (assert.h). */
#include "core/assert.h"

#include "core/log.h"

_Noreturn void wg_assert_failed(const char *cond, const char *file, int line)
{
    wg_error("invariant broken at %s:%d: %s", file, line, cond);
    abort();
}
