/* Photo sniffing, content-addressed storage and linking. */
#include "domain/orders/photo.h"

#include "domain/orders/order_ctx.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "core/clock.h"
#include "core/csv.h"
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

/* Writes the bytes under their hash unless they are there already: a temporary file, fsync,
 * rename, so a crash never leaves a half photo under a good name. */
static enum wg_rc write_once(const char *data_dir, const char *hex, const void *bytes, size_t len,
                             struct wg_err *err)
{
    char top[4096], dir[4200], file[4300], tmp[4400];
    struct stat sb;
    int fd;
    path_of(data_dir, hex, dir, sizeof dir, file, sizeof file);
    if (stat(file, &sb) == 0 && (size_t)sb.st_size == len)
        return WG_OK;
    snprintf(top, sizeof top, "%s/photos", data_dir);
    if ((mkdir(top, 0700) != 0 && errno != EEXIST) || (mkdir(dir, 0700) != 0 && errno != EEXIST))
        return wg_err_set(err, WG_EIO, "cannot create '%s': %s", dir, strerror(errno));
    snprintf(tmp, sizeof tmp, "%s.%d.tmp", file, (int)getpid());
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
    return WG_OK;
}

enum wg_rc wg_photo_store(const char *data_dir, const void *bytes, size_t len, char hex[65],
                          const char **mime, struct wg_err *err)
{
    unsigned char d[crypto_hash_sha256_BYTES];
    if (len > WG_PHOTO_MAX)
        return wg_err_set(err, WG_ETOOBIG, "photo is %zu bytes; at most %zu", len, WG_PHOTO_MAX);
    if (!(*mime = wg_photo_sniff(bytes, len)))
        return wg_err_set(err, WG_EINVAL,
                          "the body is not a JPEG, PNG or WebP image (checked by "
                          "its content)");
    crypto_hash_sha256(d, bytes, len);
    sodium_bin2hex(hex, 65, d, sizeof d);
    return write_once(data_dir, hex, bytes, len, err);
}

enum wg_rc wg_photo_link(struct wg_db *db, const struct wg_actor *actor, long long id,
                         const char *hex, const char *mime, size_t len, long long now, int *added,
                         struct wg_err *err)
{
    char at[32];
    enum wg_rc rc;
    wg_clock_iso(now, at);
    *added = 0;
    if ((rc = wg_store_photo_insert(db, id, hex, mime, (long long)len, actor->username, at, added,
                                    err)) ||
        !*added)
        return rc;
    struct wg_order_event_row ev = {
        0, at, actor->username, wg_role_name(actor->role), "attachment", NULL, NULL, hex};
    return wg_store_order_event(db, id, &ev, err);
}

enum wg_rc wg_photo_attach(struct wg_db *db, const struct wg_actor *actor, const char *data_dir,
                           long long id, const void *bytes, size_t len, long long now, json_t **out,
                           struct wg_err *err)
{
    char hex[65];
    const char *mime;
    int added = 0;
    enum wg_rc rc;
    if (len > WG_PHOTO_MAX)
        return wg_err_set(err, WG_ETOOBIG, "photo is %zu bytes; at most %zu", len, WG_PHOTO_MAX);
    if (!wg_photo_sniff(bytes, len))
        return wg_err_set(err, WG_EINVAL,
                          "the body is not a JPEG, PNG or WebP image (checked by "
                          "its content)");
    /* outside the caller's sight the order does not exist */
    if ((rc = wg_order_visible(db, actor, id, err)))
        return rc;
    if ((rc = wg_photo_store(data_dir, bytes, len, hex, &mime, err)))
        return rc;
    if ((rc = wg_db_begin(db, err)))
        return rc;
    if (!(rc = wg_photo_link(db, actor, id, hex, mime, len, now, &added, err)))
        rc = wg_db_commit(db, err);
    if (rc) {
        wg_db_rollback(db);
        return rc;
    }
    *out = json_pack("{s:s,s:s,s:I,s:b}", "sha256", hex, "mime", mime, "size", (json_int_t)len,
                     "added", added);
    return WG_OK;
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
        o->mime = !strcmp(mime, "image/png")    ? "image/png"
                  : !strcmp(mime, "image/webp") ? "image/webp"
                                                : "image/jpeg";
    }
    return 1;
}

enum wg_rc wg_photo_read(struct wg_db *db, const struct wg_actor *actor, const char *data_dir,
                         const char *sha256, char **bytes, size_t *len, const char **mime,
                         struct wg_err *err)
{
    struct owner o = {db, actor, NULL, 0, WG_OK, err};
    char dir[4200], file[4300];
    enum wg_rc rc;
    if (!valid_hash(sha256))
        return wg_err_set(err, WG_ENOTFOUND, "photo '%.70s' does not exist", sha256);
    if ((rc = wg_store_photo_orders(db, sha256, visible_owner, &o, err)) || (rc = o.rc))
        return rc;
    if (!o.visible)
        return wg_err_set(err, WG_ENOTFOUND, "photo '%s' does not exist", sha256);
    path_of(data_dir, sha256, dir, sizeof dir, file, sizeof file);
    if ((rc = wg_file_read(file, WG_PHOTO_MAX, bytes, len, err)))
        return rc == WG_ENOTFOUND ? wg_err_set(err, WG_EIO, "photo file '%s' is missing", file)
                                  : rc;
    *mime = o.mime;
    return WG_OK;
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
