/* Photo sniffing, content-addressed storage and linking. */
#include "domain/orders/photo.h"

#include "domain/orders/order_ctx.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "core/clock.h"
#include "core/csv.h"
#include "core/log.h"
#include "store/orders/orders_q.h"

const char *wg_photo_sniff(const void *bytes, size_t len)
{
    const unsigned char *b = bytes;
    if (len >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
        return "image/jpeg";
    if (len >= 8 && !memcmp(b, "\x89PNG\r\n\x1a\n", 8))
        return "image/png";
    if (len >= 12 && !memcmp(b, "RIFF", 4) && !memcmp(b + 8, "WEBP", 4))
        return "image/webp";
    return NULL;
}

static int valid_hash(const char *h)
{
    if (!h || strlen(h) != 64)
        return 0;
    for (const char *p = h; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return 0;
    return 1;
}

static void path_of(const char *data_dir, const char *hex, char *dir, size_t dn, char *file,
                    size_t fn)
{
    snprintf(dir, dn, "%s/photos/%.2s", data_dir, hex);
    snprintf(file, fn, "%s/%s", dir, hex);
}

/* Writes the bytes under their hash unless they are there already: a temporary file of its
 * own (DATA_DIR/photos/xx/<sha256>.<pid>.<n>.tmp), fsync, rename, so a crash never leaves a
 * half photo under a good name; what a crash does leave, wg_photo_sweep removes. *created
 * tells whether this call made the file. */
static enum wg_rc write_once(const char *data_dir, const char *hex, const void *bytes, size_t len,
                             int *created, struct wg_err *err)
{
    static atomic_uint serial;
    char top[4096], dir[4200], file[4300], tmp[4400];
    struct stat sb;
    int fd;
    *created = 0;
    path_of(data_dir, hex, dir, sizeof dir, file, sizeof file);
    if (stat(file, &sb) == 0 && (size_t)sb.st_size == len)
        return WG_OK;
    snprintf(top, sizeof top, "%s/photos", data_dir);
    if ((mkdir(top, 0700) != 0 && errno != EEXIST) || (mkdir(dir, 0700) != 0 && errno != EEXIST))
        return wg_err_set(err, WG_EIO, "cannot create '%s': %s", dir, strerror(errno));
    snprintf(tmp, sizeof tmp, "%s.%d.%u.tmp", file, (int)getpid(),
             atomic_fetch_add(&serial, 1) + 1);
    if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0)
        return wg_err_set(err, WG_EIO, "cannot write '%s': %s", tmp, strerror(errno));
    for (size_t off = 0; off < len;) {
        ssize_t w = write(fd, (const char *)bytes + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            close(fd);
            unlink(tmp);
            return wg_err_set(err, WG_EIO, "cannot write '%s': %s", tmp, strerror(errno));
        }
        off += (size_t)w;
    }
    if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, file) != 0) {
        unlink(tmp);
        return wg_err_set(err, WG_EIO, "cannot store photo '%s': %s", hex, strerror(errno));
    }
    *created = 1;
    return WG_OK;
}

enum wg_rc wg_photo_check(const void *bytes, size_t len, const char **mime, struct wg_err *err)
{
    if (len > WG_PHOTO_MAX)
        return wg_err_set(err, WG_ETOOBIG, "photo is %zu bytes; at most %zu", len, WG_PHOTO_MAX);
    if (!(*mime = wg_photo_sniff(bytes, len)))
        return wg_err_set(err, WG_EINVAL,
                          "the body is not a JPEG, PNG or WebP image (checked by "
                          "its content)");
    return WG_OK;
}

enum wg_rc wg_photo_store(const char *data_dir, struct wg_photo *p, struct wg_err *err)
{
    unsigned char d[crypto_hash_sha256_BYTES];
    enum wg_rc rc;
    p->created = 0;
    if ((rc = wg_photo_check(p->bytes, p->len, &p->mime, err)))
        return rc;
    crypto_hash_sha256(d, p->bytes, p->len);
    sodium_bin2hex(p->hex, sizeof p->hex, d, sizeof d);
    return write_once(data_dir, p->hex, p->bytes, p->len, &p->created, err);
}

static int count_photo(const struct wg_photo_row *row, void *ctx)
{
    (void)row;
    ++*(int *)ctx;
    return 0;
}

enum wg_rc wg_photo_count(struct wg_db *db, long long id, int *n, struct wg_err *err)
{
    *n = 0;
    return wg_store_photo_list(db, id, count_photo, n, err);
}

enum wg_rc wg_photo_link(struct wg_db *db, const struct wg_actor *actor, const char *data_dir,
                         long long id, const struct wg_photo *p, int max, long long now, int *added,
                         struct wg_err *err)
{
    char at[32];
    int n, created;
    enum wg_rc rc;
    wg_clock_iso(now, at);
    *added = 0;
    if (max > 0) { /* counted in the transaction, whose writers' lock makes it exact */
        if ((rc = wg_photo_count(db, id, &n, err)))
            return rc;
        if (n >= max)
            return wg_err_set(err, WG_ECONFLICT, "it has %d photos already; at most %d", n, max);
    }
    if ((rc = wg_store_photo_insert(db, id, p->hex, p->mime, (long long)p->len, actor->username, at,
                                    added, err)) ||
        !*added)
        return rc;
    /* a refused upload of the same bytes may have removed the file since it was written
     * (wg_photo_forget, under the same lock): write it again */
    if ((rc = write_once(data_dir, p->hex, p->bytes, p->len, &created, err)))
        return rc;
    struct wg_order_event_row ev = {
        0, at, actor->username, wg_role_name(actor->role), "attachment", NULL, NULL, p->hex};
    return wg_store_order_event(db, id, &ev, err);
}

static int any_owner(long long order_id, const char *mime, void *ctx)
{
    (void)order_id;
    (void)mime;
    *(int *)ctx = 1;
    return 1;
}

void wg_photo_forget(struct wg_db *db, const char *data_dir, const struct wg_photo *p)
{
    char dir[4200], file[4300];
    struct wg_err err = {0};
    int owned = 0;
    if (!p->created)
        return; /* it was there before: someone else's */
    path_of(data_dir, p->hex, dir, sizeof dir, file, sizeof file);
    /* in a write transaction: no link of the same bytes commits between the look and the
     * removal, and one that commits after it writes the file again (wg_photo_link) */
    if (wg_db_begin(db, &err))
        goto out;
    if (!wg_store_photo_orders(db, p->hex, any_owner, &owned, &err) && !owned &&
        unlink(file) != 0 && errno != ENOENT)
        wg_err_set(&err, WG_EIO, "cannot remove '%s': %s", file, strerror(errno));
    wg_db_rollback(db);
out:
    if (err.rc)
        wg_warn("photo %.12s… stored for a refused upload stays: %s", p->hex, err.msg);
}

enum wg_rc wg_photo_attach(struct wg_db *db, const struct wg_actor *actor, const char *data_dir,
                           long long id, const void *bytes, size_t len, int max, long long now,
                           json_t **out, struct wg_err *err)
{
    struct wg_photo p = {.bytes = bytes, .len = len};
    int added = 0, n;
    enum wg_rc rc;
    /* everything about the request is checked before a byte is written */
    if ((rc = wg_photo_check(bytes, len, &p.mime, err)) ||
        (rc = wg_order_visible(db, actor, id, err)))
        return rc;
    if (max > 0) {
        if ((rc = wg_photo_count(db, id, &n, err)))
            return rc;
        if (n >= max)
            return wg_err_set(err, WG_ECONFLICT, "it has %d photos already; at most %d", n, max);
    }
    if ((rc = wg_photo_store(data_dir, &p, err)))
        return rc;
    if (!(rc = wg_db_begin(db, err))) {
        if (!(rc = wg_photo_link(db, actor, data_dir, id, &p, max, now, &added, err)))
            rc = wg_db_commit(db, err);
        if (rc)
            wg_db_rollback(db);
    }
    if (rc) {
        wg_photo_forget(db, data_dir, &p);
        return rc;
    }
    *out = json_pack("{s:s,s:s,s:I,s:b}", "sha256", p.hex, "mime", p.mime, "size", (json_int_t)len,
                     "added", added);
    return WG_OK;
}

void wg_photo_sweep(const char *data_dir)
{
    char top[4096], dir[4200], file[4600];
    DIR *d, *sub;
    struct dirent *e, *f;
    int removed = 0;
    snprintf(top, sizeof top, "%s/photos", data_dir);
    if (!(d = opendir(top)))
        return;
    while ((e = readdir(d))) {
        if (strlen(e->d_name) != 2 || e->d_name[0] == '.')
            continue;
        snprintf(dir, sizeof dir, "%s/%s", top, e->d_name);
        if (!(sub = opendir(dir)))
            continue;
        while ((f = readdir(sub))) {
            size_t n = strlen(f->d_name);
            long pid;
            /* <sha256>.<pid>.<n>.tmp: a photo being written, or left by a crash */
            if (n < 69 || strcmp(f->d_name + n - 4, ".tmp") || f->d_name[64] != '.')
                continue;
            pid = strtol(f->d_name + 65, NULL, 10);
            /* its writer is gone: this process (a pid reused after a restart) or none */
            if (pid > 0 && pid != (long)getpid() && (kill((pid_t)pid, 0) == 0 || errno == EPERM))
                continue;
            snprintf(file, sizeof file, "%s/%s", dir, f->d_name);
            if (unlink(file) == 0)
                removed++;
        }
        closedir(sub);
    }
    closedir(d);
    if (removed)
        wg_info("photos: removed %d unfinished file%s a stopped server left", removed,
                removed == 1 ? "" : "s");
}

/* A stored type as one of the three a photo can have (never a stored text as a header). */
static const char *mime_of(const char *stored)
{
    return !strcmp(stored, "image/png")    ? "image/png"
           : !strcmp(stored, "image/webp") ? "image/webp"
                                           : "image/jpeg";
}

struct owner {
    struct wg_db *db;
    const struct wg_actor *actor;
    const char *mime;
    int visible;
    enum wg_rc rc; /* a failure to decide, which stops the walk */
    struct wg_err *err;
};

/* The photo may be seen when one of its orders may be; the walk stops at the first. */
static int visible_owner(long long order_id, const char *mime, void *ctx)
{
    struct owner *o = ctx;
    o->rc = wg_order_visible(o->db, o->actor, order_id, o->err);
    if (o->rc == WG_ENOTFOUND) {
        wg_err_clear(o->err);
        o->rc = WG_OK;
        return 0;
    }
    if (!o->rc) {
        o->visible = 1;
        o->mime = mime_of(mime);
    }
    return 1;
}

enum wg_rc wg_photo_file(const char *data_dir, const char *sha256, const char *stored, char **bytes,
                         size_t *len, const char **mime, struct wg_err *err)
{
    char dir[4200], file[4300];
    enum wg_rc rc;
    if (!valid_hash(sha256))
        return wg_err_set(err, WG_ENOTFOUND, "photo '%.70s' does not exist", sha256);
    path_of(data_dir, sha256, dir, sizeof dir, file, sizeof file);
    if ((rc = wg_file_read(file, WG_PHOTO_MAX, bytes, len, err)))
        return rc == WG_ENOTFOUND ? wg_err_set(err, WG_EIO, "photo file '%s' is missing", file)
                                  : rc;
    *mime = mime_of(stored);
    return WG_OK;
}

enum wg_rc wg_photo_read(struct wg_db *db, const struct wg_actor *actor, const char *data_dir,
                         const char *sha256, char **bytes, size_t *len, const char **mime,
                         struct wg_err *err)
{
    struct owner o = {db, actor, NULL, 0, WG_OK, err};
    enum wg_rc rc;
    if (!valid_hash(sha256))
        return wg_err_set(err, WG_ENOTFOUND, "photo '%.70s' does not exist", sha256);
    if ((rc = wg_store_photo_orders(db, sha256, visible_owner, &o, err)) || (rc = o.rc))
        return rc;
    if (!o.visible)
        return wg_err_set(err, WG_ENOTFOUND, "photo '%s' does not exist", sha256);
    return wg_photo_file(data_dir, sha256, o.mime, bytes, len, mime, err);
}

static int add_photo(const struct wg_photo_row *p, void *ctx)
{
    json_array_append_new(ctx, json_pack("{s:s,s:s,s:I,s:s,s:s}", "sha256", p->sha256, "mime",
                                         p->mime, "size", (json_int_t)p->size, "by", p->created_by,
                                         "at", p->created_at));
    return 0;
}

enum wg_rc wg_photo_list_json(struct wg_db *db, long long id, json_t **out, struct wg_err *err)
{
    json_t *arr = json_array();
    enum wg_rc rc = wg_store_photo_list(db, id, add_photo, arr, err);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return WG_OK;
}
