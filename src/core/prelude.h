/* Forced in front of every translation unit by the Makefile (-include): the common system
 * headers first, then banned.h, so that a banned call anywhere is a compile error. */
#ifndef WG_CORE_PRELUDE_H
#define WG_CORE_PRELUDE_H
#define _GNU_SOURCE 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/banned.h"
#endif
