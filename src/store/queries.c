/* The queries table, expanded from queries.def. */
#include "store/backend.h"

const struct wg_query_text wg_queries[WG_Q_COUNT] = {
#define WG_Q(id, sqlite_sql, pg_sql) [WG_Q_##id] = {#id, sqlite_sql, pg_sql},
#include "store/queries.def"
#undef WG_Q
};
