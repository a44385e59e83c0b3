/* wangge backup --data DIR --out FILE: a backup of a data directory while its server runs
 * (backup.h has the file's layout). The store is copied first, as one moment of it; the key,
 * the holiday tables and the photos after, so that every photo an order of the copy links
 * to and every key version its sealed values name is there (photos are written before their
 * order commits and never removed; keys are only ever added). The store is only read. The
 * file appears under its name only once it is whole and on disk. */
#include "cli/cli.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/backup.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "store/store.h"

#define USAGE "backup --data DIR --out FILE"

struct backup {
    const char *data, *out;
    char partial[4200], dbcopy[4200];
    struct wg_archive a;
    struct wg_backup_info info;
    int calendars, photos, damaged;
};

/* Appends the file at path as member name; *missing (may be NULL) set instead of failing
 * when it is not there. With want_hex, a file whose content's SHA-256 is not want_hex is
 * taken out again (a photo damaged on disk), counted in b->damaged. */
static enum wg_rc add_path(struct backup *b, const char *name, const char *path, int *missing,
                           const char *want_hex, struct wg_err *err)
{
    struct stat sb;
    uint64_t at = b->a.bytes;
    size_t sums = b->a.sums.len;
    char hex[65];
    enum wg_rc rc;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && missing) {
        *missing = 1;
        return WG_OK;
    }
    if (fd < 0 || fstat(fd, &sb) != 0) {
        rc = wg_err_set(err, WG_EIO, "cannot read '%s': %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return rc;
    }
    rc = wg_archive_add(&b->a, name, fd, (uint64_t)sb.st_size, (long long)sb.st_mtime, hex, err);
    close(fd);
    if (rc || !want_hex || !strcmp(hex, want_hex))
        return rc;
    fprintf(stderr,
            "wangge: photo '%s' is damaged on disk (its content's SHA-256 is %s): left "
            "out of the backup\n",
            path, hex);
    b->damaged++;
    b->a.sums.len = sums;
    if (b->a.sums.ptr)
        b->a.sums.ptr[sums] = '\0';
    b->a.bytes = at;
    if (ftruncate(b->a.fd, (off_t)at) != 0 || lseek(b->a.fd, (off_t)at, SEEK_SET) < 0)
        return wg_err_set(err, WG_EIO, "cannot write '%s': %s", b->partial, strerror(errno));
    return WG_OK;
}

static int by_name(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The names in directory dir that keep(name) takes, sorted; *n of them (0 and NULL when the
 * directory is not there). */
static enum wg_rc list_dir(const char *dir, int (*keep)(const char *), char ***names, size_t *n,
                           struct wg_err *err)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t cap = 0;
    *names = NULL;
    *n = 0;
    if (!d)
        return errno == ENOENT
                   ? WG_OK
                   : wg_err_set(err, WG_EIO, "cannot read '%s': %s", dir, strerror(errno));
    while ((e = readdir(d)))
        if (keep(e->d_name)) {
            wg_grow(names, &cap, *n, sizeof **names, 16);
            (*names)[(*n)++] = wg_strdup(e->d_name);
        }
    closedir(d);
    if (*n)
        qsort(*names, *n, sizeof **names, by_name);
    return WG_OK;
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static int calendar_file(const char *f)
{
    char name[128];
    snprintf(name, sizeof name, "calendar/%s", f);
    return strlen(f) < 100 && wg_backup_name_ok(name);
}

static int photo_dir(const char *f)
{
    char name[16];
    snprintf(name, sizeof name, "photos/%.2s", f);
    return strlen(f) == 2 && wg_backup_dir_ok(name);
}

static int photo_file(const char *f)
{
    char name[128];
    snprintf(name, sizeof name, "photos/%.2s/%s", f, f); /* add_dir checks the directory */
    return strlen(f) == 64 && wg_backup_name_ok(name);
}

/* Every member of directory sub (of the data directory) that keep takes, as sub/NAME. */
static enum wg_rc add_dir(struct backup *b, const char *sub, int (*keep)(const char *), int photos,
                          int *count, struct wg_err *err)
{
    char dir[4200], path[4400], name[256];
    char **names;
    size_t n;
    enum wg_rc rc;
    snprintf(dir, sizeof dir, "%s/%s", b->data, sub);
    if ((rc = list_dir(dir, keep, &names, &n, err)))
        return rc;
    for (size_t i = 0; i < n && !rc; i++) {
        int gone = 0;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        snprintf(name, sizeof name, "%s/%s", sub, names[i]);
        if (!wg_backup_name_ok(name)) /* a photo in another's directory: not one of ours */
            continue;
        rc = add_path(b, name, path, &gone, photos ? names[i] : NULL, err);
        *count += !rc && !gone;
    }
    free_names(names, n);
    return rc;
}

static enum wg_rc add_photos(struct backup *b, struct wg_err *err)
{
    char top[4200], sub[16];
    char **dirs;
    size_t n;
    enum wg_rc rc;
    int before = 0;
    snprintf(top, sizeof top, "%s/photos", b->data);
    if ((rc = list_dir(top, photo_dir, &dirs, &n, err)))
        return rc;
    for (size_t i = 0; i < n && !rc; i++) {
        snprintf(sub, sizeof sub, "photos/%s", dirs[i]);
        rc = add_dir(b, sub, photo_file, 1, &before, err);
    }
    free_names(dirs, n);
    b->photos = before - b->damaged;
    return rc;
}

/* The members after the store's copy, then the end. */
static enum wg_rc write_archive(struct backup *b, struct wg_err *err)
{
    char info[8192], now[32], real[4096], path[4200];
    enum wg_rc rc;
    int fd;
    if ((fd = open(b->partial, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
        return wg_err_set(err, WG_EIO, "cannot make '%s': %s%s", b->partial, strerror(errno),
                          errno == EEXIST ? " (another backup to this file is under way, or "
                                            "one was cut short: remove it)"
                                          : "");
    wg_archive_init(&b->a, fd, b->partial);
    wg_clock_iso(time(NULL), now);
    snprintf(info, sizeof info, "%s\ntaken %s\nschema %d\norders %lld\ndata %s\n", WG_BACKUP_MAGIC,
             now, b->info.schema_version, b->info.orders, realpath(b->data, real) ? real : b->data);
    snprintf(path, sizeof path, "%s/%s", b->data, WG_BACKUP_KEYS);
    if (!(rc = wg_archive_add_text(&b->a, WG_BACKUP_INFO, info, err)) &&
        !(rc = add_path(b, WG_BACKUP_STORE, b->dbcopy, NULL, NULL, err)) &&
        !(rc = add_path(b, WG_BACKUP_KEYS, path, NULL, NULL, err)) &&
        !(rc = add_dir(b, "calendar", calendar_file, 0, &b->calendars, err)) &&
        !(rc = add_photos(b, err)))
        rc = wg_archive_end(&b->a, err);
    if (close(fd) != 0 && !rc)
        rc = wg_err_set(err, WG_EIO, "cannot write '%s': %s", b->partial, strerror(errno));
    return rc;
}

/* The file under its name, and its directory's entry on disk. */
static enum wg_rc publish(struct backup *b, struct wg_err *err)
{
    char dir[4200];
    int fd;
    if (rename(b->partial, b->out) != 0)
        return wg_err_set(err, WG_EIO, "cannot name the backup '%s': %s", b->out, strerror(errno));
    snprintf(dir, sizeof dir, "%s", b->out);
    if ((fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
        fsync(fd);
        close(fd);
    }
    return WG_OK;
}

static enum wg_rc backup(struct backup *b, struct wg_err *err)
{
    struct stat sb;
    char keys[4200];
    enum wg_rc rc;
    if (lstat(b->out, &sb) == 0)
        return wg_err_set(err, WG_ECONFLICT,
                          "'%s' exists already: name a new file (a backup never replaces another)",
                          b->out);
    snprintf(keys, sizeof keys, "%s/%s", b->data, WG_BACKUP_KEYS);
    if (stat(keys, &sb) != 0)
        return wg_err_set(err, WG_ENOTFOUND,
                          "'%s' holds no key file (%s): the personal fields of a backup without "
                          "it could never be read",
                          b->data, WG_BACKUP_KEYS);
    snprintf(b->partial, sizeof b->partial, "%s.partial", b->out);
    snprintf(b->dbcopy, sizeof b->dbcopy, "%s.store.partial", b->out);
    if ((rc = wg_store_backup(wg_cli_store(b->data), b->dbcopy, &b->info, err)))
        return rc;
    rc = write_archive(b, err);
    if (!rc)
        rc = publish(b, err);
    else
        unlink(b->partial);
    unlink(b->dbcopy);
    return rc;
}

int wg_cmd_backup(int argc, char **argv)
{
    static const struct option opts[] = {{"data", required_argument, NULL, 'd'},
                                         {"out", required_argument, NULL, 'o'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    struct backup b;
    struct wg_err err = {0};
    uint64_t t0 = wg_clock_us();
    int c;
    memset(&b, 0, sizeof b);
    while ((c = getopt_long(argc, argv, "d:o:h", opts, NULL)) != -1) {
        if (c == 'd')
            b.data = optarg;
        else if (c == 'o')
            b.out = optarg;
        else
            return wg_cli_usage(USAGE);
    }
    if (!b.data || !b.out || !*b.out || optind != argc)
        return wg_cli_usage(USAGE);
    c = backup(&b, &err) ? wg_cli_fail(&err) : 0;
    if (!c)
        printf("backup: %s: the store (%lld orders, schema version %d), the key, holiday "
               "tables: %d, photos: %d; %.1f MB in %.1f s\n",
               b.out, b.info.orders, b.info.schema_version, b.calendars, b.photos,
               (double)b.a.bytes / 1e6, (double)(wg_clock_us() - t0) / 1e6);
    if (!c && b.damaged)
        printf("backup: %d photos damaged on disk were left out (named above)\n", b.damaged);
    wg_archive_release(&b.a);
    return c;
}
