/* wangge restore --from FILE --data DIR: a backup (backup.h) put back as a new data
 * directory. DIR must not exist or be empty: a store in use is never overwritten. Every
 * member is unpacked beside DIR (DIR.restore-PID), checked against the backup's SHA256SUMS
 * (a photo against its name too), the store opened (a store of an older wangge is migrated,
 * one of a newer wangge refused), its audit chain verified and the restore recorded on it;
 * only then does the directory take DIR's name, in one rename. A restore that fails leaves
 * nothing behind. The text index is made again by the server at its first start. */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <dirent.h>
#include <libgen.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/backup.h"
#include "core/alloc.h"
#include "domain/accounts/audit.h"
#include "domain/accounts/pii_keys.h"
#include "store/store.h"

#define USAGE    "restore --from FILE --data DIR"
#define INFO_MAX ((size_t)64 << 10)
#define SUMS_MAX ((size_t)512 << 20)

struct member {
    char *name;
    char hex[65];
};

struct restore {
    const char *from, *data;
    char stage[4200];
    int staged, target_exists;
    struct stat target;
    struct wg_archive a;
    struct member *got; /* members unpacked, with their SHA-256 */
    size_t ngot, cap;
    char *info, *sums;
    int calendars, photos;
    struct wg_audit_report audit;
};

/* DIR is missing or an empty directory. */
static enum wg_rc check_target(struct restore *r, struct wg_err *err)
{
    DIR *d;
    struct dirent *e;
    if (lstat(r->data, &r->target) != 0) {
        if (errno == ENOENT)
            return WG_OK;
        return wg_err_set(err, WG_EIO, "cannot look at '%s': %s", r->data, strerror(errno));
    }
    if (!S_ISDIR(r->target.st_mode))
        return wg_err_set(err, WG_ECONFLICT, "'%s' exists and is not a directory", r->data);
    if (!(d = opendir(r->data)))
        return wg_err_set(err, WG_EIO, "cannot read '%s': %s", r->data, strerror(errno));
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            wg_err_set(err, WG_ECONFLICT,
                       "'%s' is not empty (it holds '%s'): a restore goes into a new or empty "
                       "directory and never over a store; stop its server and move the "
                       "directory away first",
                       r->data, e->d_name);
            closedir(d);
            return WG_ECONFLICT;
        }
    closedir(d);
    r->target_exists = 1;
    return WG_OK;
}

/* Makes the directories of path (below the stage), 0700. */
static enum wg_rc make_parents(const char *path, struct wg_err *err)
{
    char dir[4400];
    snprintf(dir, sizeof dir, "%s", path);
    for (char *p = strchr(dir + 1, '/'); p; p = strchr(p + 1, '/')) {
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST)
            return wg_err_set(err, WG_EIO, "cannot make '%s': %s", dir, strerror(errno));
        *p = '/';
    }
    return WG_OK;
}

/* The member's bytes into the stage, synced. */
static enum wg_rc unpack(struct restore *r, const struct wg_tar_member *m, char hex[65],
                         struct wg_err *err)
{
    char path[4400];
    enum wg_rc rc;
    int fd;
    snprintf(path, sizeof path, "%s/%s", r->stage, m->name);
    if ((rc = make_parents(path, err)))
        return rc;
    if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
        return wg_err_set(err, errno == EEXIST ? WG_EINVAL : WG_EIO, "cannot make '%s': %s%s", path,
                          strerror(errno),
                          errno == EEXIST ? " (the backup holds the member twice)" : "");
    rc = wg_archive_body(&r->a, m, fd, NULL, 0, hex, err);
    if (!rc && fsync(fd) != 0)
        rc = wg_err_set(err, WG_EIO, "cannot sync '%s': %s", path, strerror(errno));
    close(fd);
    return rc;
}

/* BACKUP, the first member: a wangge backup of a format this wangge reads. */
static enum wg_rc read_info(struct restore *r, struct wg_err *err)
{
    struct wg_tar_member m;
    char hex[65];
    int end = 0;
    enum wg_rc rc = wg_archive_next(&r->a, &m, &end, err);
    if (rc)
        return rc;
    if (end || strcmp(m.name, WG_BACKUP_INFO) || m.type != '0')
        return wg_err_set(err, WG_EINVAL,
                          "'%s' is not a wangge backup (it does not begin with "
                          "its %s member)",
                          r->from, WG_BACKUP_INFO);
    if ((rc = wg_archive_body(&r->a, &m, -1, &r->info, INFO_MAX, hex, err)))
        return rc;
    if (strncmp(r->info, WG_BACKUP_MAGIC "\n", strlen(WG_BACKUP_MAGIC) + 1))
        return wg_err_set(err, WG_EINVAL,
                          "'%s' is a backup of a format this wangge does not read (it begins "
                          "'%.40s'; this wangge reads '%s')",
                          r->from, r->info, WG_BACKUP_MAGIC);
    wg_grow(&r->got, &r->cap, r->ngot, sizeof *r->got, 64);
    r->got[r->ngot].name = wg_strdup(m.name);
    memcpy(r->got[r->ngot++].hex, hex, 65);
    return WG_OK;
}

/* Every member after BACKUP, unpacked or (SHA256SUMS) kept, up to the archive's end. */
static enum wg_rc read_members(struct restore *r, struct wg_err *err)
{
    struct wg_tar_member m;
    char hex[65];
    int end = 0;
    enum wg_rc rc;
    while (!(rc = wg_archive_next(&r->a, &m, &end, err)) && !end) {
        if (r->sums)
            return wg_err_set(err, WG_EINVAL, "'%s' holds member '%s' after %s", r->from, m.name,
                              WG_BACKUP_SUMS);
        if (m.type == '5' && wg_backup_dir_ok(m.name))
            continue; /* a directory of ours: made with its first file */
        if (m.type != '0' || !wg_backup_name_ok(m.name) || !strcmp(m.name, WG_BACKUP_INFO))
            return wg_err_set(err, WG_EINVAL,
                              "'%s' holds '%.100s', which is not a member of a "
                              "wangge backup: nothing was restored",
                              r->from, m.name);
        if (!strcmp(m.name, WG_BACKUP_SUMS)) {
            rc = wg_archive_body(&r->a, &m, -1, &r->sums, SUMS_MAX, hex, err);
        } else if (!(rc = unpack(r, &m, hex, err))) {
            wg_grow(&r->got, &r->cap, r->ngot, sizeof *r->got, 64);
            r->got[r->ngot].name = wg_strdup(m.name);
            memcpy(r->got[r->ngot++].hex, hex, 65);
            r->photos += !strncmp(m.name, "photos/", 7);
            r->calendars += !strncmp(m.name, "calendar/", 9);
        }
        if (rc)
            return rc;
    }
    if (!rc && !r->sums)
        rc = wg_err_set(err, WG_EINVAL, "'%s' ends without its %s: it is cut short", r->from,
                        WG_BACKUP_SUMS);
    return rc;
}

static int by_name(const void *x, const void *y)
{
    return strcmp(((const struct member *)x)->name, ((const struct member *)y)->name);
}

static const struct member *find(const struct restore *r, const char *name)
{
    struct member key = {(char *)name, ""};
    return bsearch(&key, r->got, r->ngot, sizeof *r->got, by_name);
}

/* Every line of SHA256SUMS names a member with its SHA-256, and every member has a line. */
static enum wg_rc check_sums(struct restore *r, struct wg_err *err)
{
    size_t lines = 0;
    qsort(r->got, r->ngot, sizeof *r->got, by_name);
    for (char *line = r->sums, *next; *line; line = next) {
        const struct member *m;
        char *nl = strchr(line, '\n');
        if (!nl)
            return wg_err_set(err, WG_EINVAL, "%s of '%s' ends inside a line", WG_BACKUP_SUMS,
                              r->from);
        *nl = '\0';
        next = nl + 1;
        if (strlen(line) < 67 || line[64] != ' ' || line[65] != ' ')
            return wg_err_set(err, WG_EINVAL, "%s of '%s': line %zu is not '<sha256>  <name>'",
                              WG_BACKUP_SUMS, r->from, lines + 1);
        lines++;
        if (!(m = find(r, line + 66)))
            return wg_err_set(err, WG_EINVAL,
                              "%s names '%.100s', which '%s' does not hold: "
                              "it is damaged",
                              WG_BACKUP_SUMS, line + 66, r->from);
        if (strncmp(m->hex, line, 64))
            return wg_err_set(err, WG_EINVAL,
                              "member '%s' of '%s' does not match its SHA-256 "
                              "in %s: the backup is damaged",
                              m->name, r->from, WG_BACKUP_SUMS);
    }
    if (lines != r->ngot)
        return wg_err_set(err, WG_EINVAL, "'%s' holds %zu members and its %s names %zu", r->from,
                          r->ngot, WG_BACKUP_SUMS, lines);
    for (size_t i = 0; i < r->ngot; i++)
        if (!strncmp(r->got[i].name, "photos/", 7) && strcmp(r->got[i].name + 10, r->got[i].hex))
            return wg_err_set(err, WG_EINVAL, "photo '%s' of '%s' does not match its name",
                              r->got[i].name, r->from);
    if (!find(r, WG_BACKUP_STORE) || !find(r, WG_BACKUP_KEYS))
        return wg_err_set(err, WG_EINVAL, "'%s' lacks %s", r->from,
                          find(r, WG_BACKUP_STORE) ? WG_BACKUP_KEYS : WG_BACKUP_STORE);
    return WG_OK;
}

/* The restored store opened (migrated when this wangge is newer), its audit chain
 * verified, and the restore recorded on it. */
static enum wg_rc open_restored(struct restore *r, struct wg_err *err)
{
    struct wg_pii_keys *keys = NULL;
    struct wg_store *st = NULL;
    struct wg_db *db = NULL;
    char detail[512], taken[64] = "?";
    const char *t = strstr(r->info, "\ntaken ");
    enum wg_rc rc;
    if (t)
        sscanf(t + 7, "%63s", taken);
    if ((rc = wg_pii_keys_load(r->stage, &keys, err)))
        return rc;
    wg_pii_keys_free(keys);
    if ((rc = wg_store_open(r->stage, 0, &st, err)) || (rc = wg_store_get(st, &db, err)) ||
        (rc = wg_audit_verify(db, &r->audit, err)))
        goto out;
    snprintf(detail, sizeof detail, "from the backup '%.300s' taken %s", r->from, taken);
    rc = wg_cli_audit(db, "store.restore", "store", "restore", detail, WG_OK, err);
out:
    wg_store_put(db);
    wg_store_close(st);
    return rc;
}

/* Gives every file of the stage the empty target directory's owner (a restore run as root
 * for a server that runs as its own user). */
static uid_t own_uid;
static gid_t own_gid;
static int chown_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return lchown(path, own_uid, own_gid) != 0;
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* The stage takes DIR's name (over DIR when it is an empty directory). */
static enum wg_rc publish(struct restore *r, struct wg_err *err)
{
    char parent[4200];
    int fd;
    if (r->target_exists && geteuid() == 0) {
        own_uid = r->target.st_uid;
        own_gid = r->target.st_gid;
        if (nftw(r->stage, chown_one, 16, FTW_PHYS))
            return wg_err_set(err, WG_EIO, "cannot give '%s' the owner of '%s': %s", r->stage,
                              r->data, strerror(errno));
        chmod(r->stage, r->target.st_mode & 07777);
    }
    if (rename(r->stage, r->data) != 0)
        return wg_err_set(err, WG_EIO, "cannot name the restored directory '%s': %s", r->data,
                          strerror(errno));
    r->staged = 0;
    snprintf(parent, sizeof parent, "%s", r->data);
    if ((fd = open(dirname(parent), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
        fsync(fd);
        close(fd);
    }
    return WG_OK;
}

static enum wg_rc restore(struct restore *r, struct wg_err *err)
{
    enum wg_rc rc;
    int fd;
    if ((rc = check_target(r, err)))
        return rc;
    if ((fd = open(r->from, O_RDONLY | O_CLOEXEC)) < 0)
        return wg_err_set(err, WG_ENOTFOUND, "cannot open '%s': %s", r->from, strerror(errno));
    wg_archive_init(&r->a, fd, r->from);
    snprintf(r->stage, sizeof r->stage, "%s.restore-%d", r->data, (int)getpid());
    if (mkdir(r->stage, 0700) != 0) {
        rc = wg_err_set(err, WG_EIO, "cannot make '%s': %s", r->stage, strerror(errno));
        goto out;
    }
    r->staged = 1;
    if (!(rc = read_info(r, err)) && !(rc = read_members(r, err)) && !(rc = check_sums(r, err)) &&
        !(rc = open_restored(r, err)))
        rc = publish(r, err);
out:
    close(fd);
    if (r->staged)
        nftw(r->stage, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    return rc;
}

int wg_cmd_restore(int argc, char **argv)
{
    static const struct option opts[] = {{"from", required_argument, NULL, 'f'},
                                         {"data", required_argument, NULL, 'd'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    struct restore r;
    struct wg_err err = {0};
    int c;
    memset(&r, 0, sizeof r);
    while ((c = getopt_long(argc, argv, "f:d:h", opts, NULL)) != -1) {
        if (c == 'f')
            r.from = optarg;
        else if (c == 'd')
            r.data = optarg;
        else
            return wg_cli_usage(USAGE);
    }
    if (!r.from || !r.data || !*r.data || optind != argc)
        return wg_cli_usage(USAGE);
    if (wg_cli_store(NULL)) {
        fprintf(stderr, "wangge: restore makes a SQLite store in --data DIR and takes no "
                        "--store; to move the restored store to PostgreSQL afterwards, use "
                        "'wangge store copy' (docs/DEPLOY.md)\n");
        return 2;
    }
    c = restore(&r, &err) ? wg_cli_fail(&err) : 0;
    if (!c) {
        printf("restore: %s: every member matches its SHA-256; the store, the key, holiday "
               "tables: %d, photos: %d; in %s\n",
               r.from, r.calendars, r.photos, r.data);
        if (r.audit.bad_seq)
            printf("restore: warning: the audit log was changed before the backup was taken: "
                   "record %lld: %s\n",
                   r.audit.bad_seq, r.audit.what);
        else
            printf("audit: %lld records, chain intact (the restore is the last)\n",
                   r.audit.records + 1);
        printf("the text index of orders is made again when the server starts\n");
    }
    for (size_t i = 0; i < r.ngot; i++)
        free(r.got[i].name);
    free(r.got);
    free(r.info);
    free(r.sums);
    wg_archive_release(&r.a);
    return c;
}
