/* The SQLite backend's file layer: the system's own VFS, except that a connection's writes to
 * its write-ahead log are gathered and handed to the kernel in one write per commit instead of
 * two per page (SQLite writes each frame's 24-byte header, then its page). A commit's last
 * frame is always written out before SQLite's write of it returns, so an error still fails
 * the commit, and no other connection can see a frame that is not in the file. */
#include "store/sqlite/sqlite_wal.h"

#include <pthread.h>
#include <string.h>

#include <sqlite3.h>

#define VFS_NAME "wangge"
#define BUF_CAP  (1 << 20)
/* The system VFS writes at most 128 KiB - 1 in one call (a longer write comes back short, as
 * a full disk), so a flush goes out in pieces of this size. */
#define WRITE_MAX    (124 << 10)
#define WAL_HDR_SIZE 32
#define FRAME_HDR    24

struct file {
    sqlite3_file base;
    sqlite3_file *real; /* the system VFS's file, in the same allocation after this struct */
    int is_wal;
    struct file *wal;   /* of a database file: its log, while both are open */
    struct file *owner; /* of a log: its database file */
    /* Of a log: the gathered bytes, which belong at [off, off + len) of the file. */
    unsigned char *buf;
    size_t len;
    sqlite3_int64 off;
    int commit_frame; /* the last header gathered was a commit frame's: its page ends it */
};

static sqlite3_vfs *sys;
static sqlite3_vfs vfs;
static sqlite3_io_methods methods;

static int flush(struct file *f)
{
    int rc = SQLITE_OK;
    for (size_t at = 0; at < f->len && rc == SQLITE_OK; at += WRITE_MAX) {
        size_t n = f->len - at < WRITE_MAX ? f->len - at : WRITE_MAX;
        rc = f->real->pMethods->xWrite(f->real, f->buf + at, (int)n, f->off + (sqlite3_int64)at);
    }
    f->len = 0;
    return rc;
}

static int x_close(sqlite3_file *p)
{
    struct file *f = (struct file *)p;
    int rc = flush(f);
    if (f->is_wal && f->owner && f->owner->wal == f)
        f->owner->wal = NULL;
    if (!f->is_wal && f->wal)
        f->wal->owner = NULL;
    int rc2 = f->real->pMethods->xClose(f->real);
    sqlite3_free(f->buf);
    return rc != SQLITE_OK ? rc : rc2;
}

static int x_read(sqlite3_file *p, void *out, int n, sqlite3_int64 off)
{
    struct file *f = (struct file *)p;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xRead(f->real, out, n, off);
}

/* Whether a 24-byte frame header is a commit frame's: its second word, the database's size
 * in pages after the commit, is not zero. */
static int is_commit_header(const void *data)
{
    const unsigned char *h = data;
    return (h[4] | h[5] | h[6] | h[7]) != 0;
}

static int x_write(sqlite3_file *p, const void *data, int n, sqlite3_int64 off)
{
    struct file *f = (struct file *)p;
    if (!f->is_wal)
        return f->real->pMethods->xWrite(f->real, data, n, off);
    int ends_commit = f->commit_frame && n != FRAME_HDR;
    f->commit_frame = n == FRAME_HDR && off >= WAL_HDR_SIZE && is_commit_header(data);
    if (f->len && (f->off + (sqlite3_int64)f->len != off || f->len + (size_t)n > BUF_CAP)) {
        int rc = flush(f);
        if (rc != SQLITE_OK)
            return rc;
    }
    if (!f->buf)
        f->buf = sqlite3_malloc(BUF_CAP);
    if (!f->buf || n > WRITE_MAX) { /* written at once, after what was gathered before it */
        int rc = flush(f);
        return rc != SQLITE_OK ? rc : f->real->pMethods->xWrite(f->real, data, n, off);
    }
    if (!f->len)
        f->off = off;
    memcpy(f->buf + f->len, data, (size_t)n);
    f->len += (size_t)n;
    return ends_commit ? flush(f) : SQLITE_OK;
}

static int x_truncate(sqlite3_file *p, sqlite3_int64 size)
{
    struct file *f = (struct file *)p;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xTruncate(f->real, size);
}

static int x_sync(sqlite3_file *p, int flags)
{
    struct file *f = (struct file *)p;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xSync(f->real, flags);
}

static int x_file_size(sqlite3_file *p, sqlite3_int64 *size)
{
    struct file *f = (struct file *)p;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xFileSize(f->real, size);
}

static int x_lock(sqlite3_file *p, int level)
{
    sqlite3_file *r = ((struct file *)p)->real;
    return r->pMethods->xLock(r, level);
}

static int x_unlock(sqlite3_file *p, int level)
{
    sqlite3_file *r = ((struct file *)p)->real;
    return r->pMethods->xUnlock(r, level);
}

static int x_check_reserved(sqlite3_file *p, int *out)
{
    sqlite3_file *r = ((struct file *)p)->real;
    return r->pMethods->xCheckReservedLock(r, out);
}

static int x_file_control(sqlite3_file *p, int op, void *arg)
{
    struct file *f = (struct file *)p;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xFileControl(f->real, op, arg);
}

static int x_sector_size(sqlite3_file *p)
{
    sqlite3_file *r = ((struct file *)p)->real;
    return r->pMethods->xSectorSize(r);
}

static int x_device(sqlite3_file *p)
{
    sqlite3_file *r = ((struct file *)p)->real;
    return r->pMethods->xDeviceCharacteristics(r);
}

static int x_shm_map(sqlite3_file *p, int page, int size, int extend, void volatile **out)
{
    sqlite3_file *r = ((struct file *)p)->real;
    return r->pMethods->xShmMap(r, page, size, extend, out);
}

static int x_shm_lock(sqlite3_file *p, int offset, int n, int flags)
{
    sqlite3_file *r = ((struct file *)p)->real;
    return r->pMethods->xShmLock(r, offset, n, flags);
}

/* SQLite calls this on the database file before it publishes a new log header: whatever the
 * connection gathered for its log must be in the file by then. (A commit's frames already
 * are; this covers anything else that is published.) */
static void x_shm_barrier(sqlite3_file *p)
{
    struct file *f = (struct file *)p;
    if (f->wal)
        flush(f->wal);
    f->real->pMethods->xShmBarrier(f->real);
}

static int x_shm_unmap(sqlite3_file *p, int del)
{
    sqlite3_file *r = ((struct file *)p)->real;
    return r->pMethods->xShmUnmap(r, del);
}

static int x_fetch(sqlite3_file *p, sqlite3_int64 off, int n, void **out)
{
    sqlite3_file *r = ((struct file *)p)->real;
    return r->pMethods->xFetch(r, off, n, out);
}

static int x_unfetch(sqlite3_file *p, sqlite3_int64 off, void *page)
{
    sqlite3_file *r = ((struct file *)p)->real;
    return r->pMethods->xUnfetch(r, off, page);
}

static int x_open(sqlite3_vfs *v, sqlite3_filename name, sqlite3_file *p, int flags, int *out)
{
    struct file *f = (struct file *)p;
    (void)v;
    memset(f, 0, sizeof *f);
    f->real = (sqlite3_file *)(f + 1);
    int rc = sys->xOpen(sys, name, f->real, flags, out);
    if (rc != SQLITE_OK || !f->real->pMethods)
        return rc;
    f->base.pMethods = &methods;
    if (flags & SQLITE_OPEN_WAL) {
        struct file *db = (struct file *)sqlite3_database_file_object(name);
        f->is_wal = 1;
        if (db && db->base.pMethods == &methods) {
            f->owner = db;
            db->wal = f;
        }
    }
    return SQLITE_OK;
}

static int x_delete(sqlite3_vfs *v, const char *name, int sync)
{
    (void)v;
    return sys->xDelete(sys, name, sync);
}

static int x_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
    (void)v;
    return sys->xAccess(sys, name, flags, out);
}

static int x_full_pathname(sqlite3_vfs *v, const char *name, int n, char *out)
{
    (void)v;
    return sys->xFullPathname(sys, name, n, out);
}

static void *x_dl_open(sqlite3_vfs *v, const char *name)
{
    (void)v;
    return sys->xDlOpen(sys, name);
}

static void x_dl_error(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    sys->xDlError(sys, n, out);
}

static void (*x_dl_sym(sqlite3_vfs *v, void *lib, const char *sym))(void)
{
    (void)v;
    return sys->xDlSym(sys, lib, sym);
}

static void x_dl_close(sqlite3_vfs *v, void *lib)
{
    (void)v;
    sys->xDlClose(sys, lib);
}

static int x_randomness(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return sys->xRandomness(sys, n, out);
}

static int x_sleep(sqlite3_vfs *v, int us)
{
    (void)v;
    return sys->xSleep(sys, us);
}

static int x_current_time_int64(sqlite3_vfs *v, sqlite3_int64 *out)
{
    (void)v;
    return sys->xCurrentTimeInt64(sys, out);
}

static int x_current_time(sqlite3_vfs *v, double *out)
{
    (void)v;
    return sys->xCurrentTime(sys, out);
}

static int x_last_error(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return sys->xGetLastError ? sys->xGetLastError(sys, n, out) : 0;
}

static void install(void)
{
    sys = sqlite3_vfs_find(NULL);
    if (!sys || sys->iVersion < 2)
        return;
    methods = (sqlite3_io_methods){
        .iVersion = 3,
        .xClose = x_close,
        .xRead = x_read,
        .xWrite = x_write,
        .xTruncate = x_truncate,
        .xSync = x_sync,
        .xFileSize = x_file_size,
        .xLock = x_lock,
        .xUnlock = x_unlock,
        .xCheckReservedLock = x_check_reserved,
        .xFileControl = x_file_control,
        .xSectorSize = x_sector_size,
        .xDeviceCharacteristics = x_device,
        .xShmMap = x_shm_map,
        .xShmLock = x_shm_lock,
        .xShmBarrier = x_shm_barrier,
        .xShmUnmap = x_shm_unmap,
        .xFetch = x_fetch,
        .xUnfetch = x_unfetch,
    };
    vfs = (sqlite3_vfs){
        .iVersion = 2,
        .szOsFile = (int)sizeof(struct file) + sys->szOsFile,
        .mxPathname = sys->mxPathname,
        .zName = VFS_NAME,
        .xOpen = x_open,
        .xDelete = x_delete,
        .xAccess = x_access,
        .xFullPathname = x_full_pathname,
        .xDlOpen = x_dl_open,
        .xDlError = x_dl_error,
        .xDlSym = x_dl_sym,
        .xDlClose = x_dl_close,
        .xRandomness = x_randomness,
        .xSleep = x_sleep,
        .xCurrentTime = x_current_time,
        .xGetLastError = x_last_error,
        .xCurrentTimeInt64 = x_current_time_int64,
    };
    if (sqlite3_vfs_register(&vfs, 0) != SQLITE_OK)
        sys = NULL;
}

const char *wg_sqlite_wal_vfs(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, install);
    return sys ? VFS_NAME : NULL;
}
