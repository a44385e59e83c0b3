/* The list of schema migrations (migrations.c). */
#ifndef WG_STORE_MIGRATIONS_H
#define WG_STORE_MIGRATIONS_H

#include <stddef.h>

#include "store/backend.h"

/* A migration's statements are q of the queries table; a dialect where q does not exist
 * has the migration's effect in a later one (PostgreSQL's schema begins whole at 22), and
 * records it as applied with nothing to do. */
struct wg_migration {
    int version;
    const char *what;
    enum wg_q q;
};

extern const struct wg_migration wg_migrations[];
extern const size_t wg_nmigrations;

#endif
