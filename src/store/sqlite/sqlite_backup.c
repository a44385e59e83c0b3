/* SQLite's online backup (backend.h, backup): the store's pages copied into a new file by
 * SQLite's backup API in one step, so from one read transaction — one moment of the store —
 * while the server's writers go on (WAL: a reader holds up no writer). The copy is then
 * checked with quick_check. The text index (wangge.db-search) is not copied: a server makes
 * it again from the orders. */
#include "store/sqlite/sqlite_conn.h"

#include "store/store.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#define BUSY_TRIES 600 /* 100 ms apart: a minute of a store locked by someone else */

static enum wg_rc copy_pages(sqlite3 *src, sqlite3 *dst, const char *where, struct wg_err *err)
{
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    int rc = SQLITE_OK;
    if (!b)
        return wg_err_set(err, WG_EDB, "cannot back up '%s': %s", where, sqlite3_errmsg(dst));
    for (int tries = 0; tries < BUSY_TRIES; tries++) {
        /* -1: every page in one step, so in one read transaction of the source */
        rc = sqlite3_backup_step(b, -1);
        if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
            break;
        usleep(100000);
    }
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE)
        return wg_err_set(err, rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? WG_EUNAVAIL : WG_EDB,
                          "cannot back up '%s': %s", where, sqlite3_errstr(rc));
    return WG_OK;
}

/* quick_check answers one row, "ok", for a sound file; else a row per fault. */
static enum wg_rc check(sqlite3 *db, const char *dest, struct wg_backup_info *info,
                        struct wg_err *err)
{
    sqlite3_stmt *st = NULL;
    enum wg_rc rc = WG_OK;
    const unsigned char *t;
    if (sqlite3_prepare_v2(db, wg_query_sql(WG_Q_SQLITE_QUICK_CHECK, WG_SQL_SQLITE), -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        rc = wg_err_set(err, WG_EDB, "cannot check the copy '%s': %s", dest, sqlite3_errmsg(db));
    else if (!(t = sqlite3_column_text(st, 0)) || strcmp((const char *)t, "ok"))
        rc = wg_err_set(err, WG_EDB, "the copy '%s' is damaged: %s", dest,
                        t ? (const char *)t : "no answer");
    sqlite3_finalize(st);
    st = NULL;
    if (!rc && (sqlite3_prepare_v2(db, wg_query_sql(WG_Q_SQLITE_BACKUP_SUMMARY, WG_SQL_SQLITE), -1,
                                   &st, NULL) != SQLITE_OK ||
                sqlite3_step(st) != SQLITE_ROW))
        rc = wg_err_set(err, WG_EDB, "the copy '%s' holds no wangge store: %s", dest,
                        sqlite3_errmsg(db));
    if (!rc) {
        info->schema_version = sqlite3_column_int(st, 0);
        info->orders = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return rc;
}

enum wg_rc wg_sqlite_backup(const char *where, const char *dest, struct wg_backup_info *info,
                            struct wg_err *err)
{
    sqlite3 *src = NULL, *dst = NULL;
    struct stat sb;
    enum wg_rc rc;
    if (stat(where, &sb) != 0)
        return wg_err_set(err, WG_ENOTFOUND, "cannot back up '%s': %s", where, strerror(errno));
    if (lstat(dest, &sb) == 0)
        return wg_err_set(err, WG_ECONFLICT, "'%s' exists already", dest);
    if ((rc = wg_sqlite_open(where, &src, err)))
        return rc;
    if (sqlite3_open_v2(dest, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        rc = wg_err_set(err, WG_EIO, "cannot make '%s': %s", dest,
                        dst ? sqlite3_errmsg(dst) : "out of memory");
        goto out;
    }
    if (!(rc = copy_pages(src, dst, where, err)))
        rc = check(dst, dest, info, err);
    if (!rc && stat(dest, &sb) == 0)
        info->bytes = (long long)sb.st_size;
out:
    sqlite3_close(src);
    sqlite3_close(dst);
    if (rc)
        unlink(dest);
    return rc;
}
