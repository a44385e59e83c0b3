/* The list of schema migrations (migrations.c). */
#ifndef WG_STORE_MIGRATIONS_H
#define WG_STORE_MIGRATIONS_H

#include <stddef.h>

struct wg_migration {
    int version;
    const char *what;
    const char *sqlite;
    const char *pg; /* NULL: the SQLite text is portable */
};

extern const struct wg_migration wg_migrations[];
extern const size_t wg_nmigrations;

#endif
