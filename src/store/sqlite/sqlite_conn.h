/* What the SQLite backend's files share (sqlite.c: connections and statements;
 * sqlite_search.c: the text index's file beside the store; sqlite_backup.c: online backups). */
#ifndef WG_STORE_SQLITE_CONN_H
#define WG_STORE_SQLITE_CONN_H

#include <sqlite3.h>

#include "store/backend.h"

/* Opens (making it) the database file at path, on wangge's VFS, with a busy timeout. */
enum wg_rc wg_sqlite_open(const char *path, sqlite3 **db, struct wg_err *err);
/* Runs script q of the queries table on db; what names the failure. */
enum wg_rc wg_sqlite_run(sqlite3 *db, enum wg_q q, const char *what, struct wg_err *err);
/* Runs statement q of the queries table with text values a and b (NULL: fewer values):
 * WG_OK with *row set when it gave a row. */
enum wg_rc wg_sqlite_once(sqlite3 *db, enum wg_q q, const char *a, const char *b, int *row,
                          struct wg_err *err);

/* The text index of the store at store_path: its file's path (malloc'd), made sound and
 * attached read-only to db as "search" (db is a store connection). */
char *wg_sqlite_search_path(const char *store_path);
enum wg_rc wg_sqlite_search_attach(sqlite3 *db, const char *store_path, struct wg_err *err);
/* The text indexer's connection, and the words of a search as the index takes them. */
enum wg_rc wg_sqlite_search_connect(const char *store_path, void **conn, struct wg_err *err);
void wg_sqlite_search_words(const char *text, char *out, size_t n);
/* The online backup (sqlite_backup.c; backend.h, backup). */
enum wg_rc wg_sqlite_backup(const char *where, const char *dest, struct wg_backup_info *info,
                            struct wg_err *err);
/* The connection made around db (sqlite.c). */
void *wg_sqlite_conn_wrap(sqlite3 *db);

#endif
