/* The SQLite backend's file layer (sqlite_wal.c): the system's VFS with a connection's writes
 * to its write-ahead log gathered into one write per commit. */
#ifndef WG_STORE_SQLITE_WAL_H
#define WG_STORE_SQLITE_WAL_H

/* The name of the VFS to open connections with, registered at the first call; NULL (SQLite's
 * default) when it cannot be registered. */
const char *wg_sqlite_wal_vfs(void);

#endif
