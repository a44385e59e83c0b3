/* wangge's backup file, written by `wangge backup` (cmd_backup.c) and read by `wangge
 * restore` (cmd_restore.c): one ustar stream (core/tar.h) that GNU tar can list and unpack,
 * holding in this order
 *
 *     BACKUP               "wangge-backup 1", then when it was taken, the store's schema
 *                          version and orders, the data directory it came from
 *     wangge.db            the store, one moment of it (wg_store_backup)
 *     keys/pii.key         the key of personal fields
 *     calendar/NAME.json   the holiday tables
 *     photos/XX/SHA256     the photos, each named by its content's SHA-256
 *     SHA256SUMS           the SHA-256 of every member before it, as sha256sum writes them
 *
 * One file, not a directory: it is copied, kept and checked as one, and a copy cut short
 * lacks its SHA256SUMS and is refused. The text index (wangge.db-search) is left out: the
 * server makes it again from the orders. */
#ifndef WG_CLI_BACKUP_H
#define WG_CLI_BACKUP_H

#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/tar.h"

#define WG_BACKUP_MAGIC "wangge-backup 1"
#define WG_BACKUP_INFO  "BACKUP"
#define WG_BACKUP_SUMS  "SHA256SUMS"
#define WG_BACKUP_STORE "wangge.db"
#define WG_BACKUP_KEYS  "keys/pii.key"

/* An archive being written or read, on descriptor fd (path names it in messages). */
struct wg_archive {
    int fd;
    const char *path;
    struct wg_buf sums; /* the writer's SHA256SUMS, a line per member */
    uint64_t bytes;     /* written or read so far */
};

void wg_archive_init(struct wg_archive *a, int fd, const char *path);
void wg_archive_release(struct wg_archive *a);

/* Appends a member named name (at most WG_TAR_NAME_MAX bytes) with size bytes read from fd;
 * its SHA-256 into hex (may be NULL) and into SHA256SUMS. A file that gives fewer bytes
 * than size is an error naming name. */
enum wg_rc wg_archive_add(struct wg_archive *a, const char *name, int fd, uint64_t size,
                          long long mtime, char hex[65], struct wg_err *err);
enum wg_rc wg_archive_add_text(struct wg_archive *a, const char *name, const char *text,
                               struct wg_err *err);
/* Appends SHA256SUMS and the end of the archive, and syncs it to disk. */
enum wg_rc wg_archive_end(struct wg_archive *a, struct wg_err *err);

/* The next member's header; *end at the archive's end. */
enum wg_rc wg_archive_next(struct wg_archive *a, struct wg_tar_member *m, int *end,
                           struct wg_err *err);
/* The member's bytes (and the padding after them), written to fd, or with fd -1 kept in
 * *text (NUL-terminated, malloc'd; at most cap bytes); their SHA-256 into hex. */
enum wg_rc wg_archive_body(struct wg_archive *a, const struct wg_tar_member *m, int fd, char **text,
                           size_t cap, char hex[65], struct wg_err *err);

/* Whether name is one a backup holds (the list above): a photo's name must be two and
 * then 64 lower-case hex digits, its first two the directory's; a holiday table's a plain
 * file name ending in .json. Names never hold "..", a leading "/" or an empty part. */
int wg_backup_name_ok(const char *name);
/* A directory a backup's members live in ("keys", "photos/0a", with or without a final
 * "/"): GNU tar writes them when it packs a directory. */
int wg_backup_dir_ok(const char *name);

#endif
