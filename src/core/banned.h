/* Functions that are too easy to misuse; using one is a compile error (git's banned.h). */
#ifndef WG_CORE_BANNED_H
#define WG_CORE_BANNED_H

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef gmtime
#define gmtime(x) BANNED(gmtime)
#undef localtime
#define localtime(x) BANNED(localtime)

/* wangge's own code allocates through core/alloc.h, whose functions never return NULL (the
 * one out-of-memory policy); the Makefile sets this for src/ only, tests may use the C
 * library's. */
#ifdef WG_BAN_RAW_ALLOC
#undef malloc
#define malloc(x) BANNED(malloc)
#undef calloc
#define calloc(x, y) BANNED(calloc)
#undef realloc
#define realloc(x, y) BANNED(realloc)
#undef strdup
#define strdup(x) BANNED(strdup)
#undef strndup
#define strndup(x, y) BANNED(strndup)
#endif

#endif
