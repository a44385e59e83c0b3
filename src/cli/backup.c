/* The backup file's members written and read with their SHA-256 (backup.h). */
#include "cli/backup.h"

#include <errno.h>
#include <unistd.h>

#include <sodium.h>

#include "core/alloc.h"

#define CHUNK ((size_t)1 << 20)

static const unsigned char zeros[WG_TAR_BLOCK];

void wg_archive_init(struct wg_archive *a, int fd, const char *path)
{
    memset(a, 0, sizeof *a);
    a->fd = fd;
    a->path = path;
    wg_buf_init(&a->sums, 0);
}

void wg_archive_release(struct wg_archive *a)
{
    wg_buf_release(&a->sums);
}

static enum wg_rc put(struct wg_archive *a, const void *p, size_t n, struct wg_err *err)
{
    for (size_t off = 0; off < n;) {
        ssize_t w = write(a->fd, (const char *)p + off, n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return wg_err_set(err, WG_EIO, "cannot write '%s': %s", a->path,
                              w < 0 ? strerror(errno) : "nothing written");
        off += (size_t)w;
    }
    a->bytes += n;
    return WG_OK;
}

/* Up to n bytes from fd: fewer only at the end of the file. */
static ssize_t get(int fd, void *p, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, (char *)p + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

static void hex_of(crypto_hash_sha256_state *h, char hex[65])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(h, d);
    sodium_bin2hex(hex, 65, d, sizeof d);
}

static enum wg_rc add_header(struct wg_archive *a, const char *name, uint64_t size, long long mtime,
                             struct wg_err *err)
{
    struct wg_tar_member m;
    unsigned char block[WG_TAR_BLOCK];
    memset(&m, 0, sizeof m);
    snprintf(m.name, sizeof m.name, "%s", name);
    m.size = size;
    m.mode = 0600;
    m.mtime = mtime;
    m.type = '0';
    wg_tar_header(&m, block);
    return put(a, block, sizeof block, err);
}

enum wg_rc wg_archive_add(struct wg_archive *a, const char *name, int fd, uint64_t size,
                          long long mtime, char hex[65], struct wg_err *err)
{
    crypto_hash_sha256_state h;
    char digest[65];
    unsigned char *buf;
    enum wg_rc rc;
    if ((rc = add_header(a, name, size, mtime, err)))
        return rc;
    crypto_hash_sha256_init(&h);
    buf = wg_malloc(CHUNK);
    for (uint64_t left = size; left > 0 && !rc;) {
        size_t want = left < CHUNK ? (size_t)left : CHUNK;
        ssize_t got = get(fd, buf, want);
        if (got < 0)
            rc = wg_err_set(err, WG_EIO, "cannot read '%s': %s", name, strerror(errno));
        else if ((size_t)got < want)
            rc = wg_err_set(err, WG_EIO, "'%s' became shorter while it was read", name);
        else {
            crypto_hash_sha256_update(&h, buf, want);
            rc = put(a, buf, want, err);
            left -= want;
        }
    }
    free(buf);
    if (!rc)
        rc = put(a, zeros, (size_t)wg_tar_padding(size), err);
    if (rc)
        return rc;
    hex_of(&h, digest);
    if (hex)
        memcpy(hex, digest, 65);
    wg_buf_addf(&a->sums, "%s  %s\n", digest, name);
    return wg_buf_rc(&a->sums);
}

/* Appends text as member name, without a line in SHA256SUMS when sums is 0. */
static enum wg_rc add_text(struct wg_archive *a, const char *name, const char *text, int sums,
                           struct wg_err *err)
{
    size_t len = strlen(text);
    unsigned char d[crypto_hash_sha256_BYTES];
    char hex[65];
    enum wg_rc rc;
    if ((rc = add_header(a, name, len, (long long)time(NULL), err)) ||
        (rc = put(a, text, len, err)) || (rc = put(a, zeros, (size_t)wg_tar_padding(len), err)))
        return rc;
    if (!sums)
        return WG_OK;
    crypto_hash_sha256(d, (const unsigned char *)text, len);
    sodium_bin2hex(hex, sizeof hex, d, sizeof d);
    wg_buf_addf(&a->sums, "%s  %s\n", hex, name);
    return wg_buf_rc(&a->sums);
}

enum wg_rc wg_archive_add_text(struct wg_archive *a, const char *name, const char *text,
                               struct wg_err *err)
{
    return add_text(a, name, text, 1, err);
}

enum wg_rc wg_archive_end(struct wg_archive *a, struct wg_err *err)
{
    enum wg_rc rc;
    if ((rc = wg_buf_rc(&a->sums)) ||
        (rc = add_text(a, WG_BACKUP_SUMS, wg_buf_str(&a->sums), 0, err)) ||
        (rc = put(a, zeros, sizeof zeros, err)) || (rc = put(a, zeros, sizeof zeros, err)))
        return rc;
    if (fsync(a->fd) != 0)
        return wg_err_set(err, WG_EIO, "cannot sync '%s' to disk: %s", a->path, strerror(errno));
    return WG_OK;
}

enum wg_rc wg_archive_next(struct wg_archive *a, struct wg_tar_member *m, int *end,
                           struct wg_err *err)
{
    unsigned char block[WG_TAR_BLOCK];
    ssize_t got = get(a->fd, block, sizeof block);
    enum wg_rc rc;
    if (got < 0)
        return wg_err_set(err, WG_EIO, "cannot read '%s': %s", a->path, strerror(errno));
    if (got == 0) { /* no end blocks: tolerated only where the reader expects the end */
        *end = 1;
        return WG_OK;
    }
    if ((size_t)got < sizeof block)
        return wg_err_set(err, WG_EINVAL, "'%s' is cut short at byte %llu", a->path,
                          (unsigned long long)(a->bytes + (uint64_t)got));
    if ((rc = wg_tar_parse(block, m, end, err)))
        wg_err_prefix(err, "'%s' at byte %llu", a->path, (unsigned long long)a->bytes);
    a->bytes += sizeof block;
    return rc;
}

enum wg_rc wg_archive_body(struct wg_archive *a, const struct wg_tar_member *m, int fd, char **text,
                           size_t cap, char hex[65], struct wg_err *err)
{
    crypto_hash_sha256_state h;
    uint64_t total = m->size + wg_tar_padding(m->size);
    unsigned char *buf;
    enum wg_rc rc = WG_OK;
    if (fd < 0 && m->size > cap)
        return wg_err_set(err, WG_EINVAL, "member '%s' of '%s' is %llu bytes; at most %zu", m->name,
                          a->path, (unsigned long long)m->size, cap);
    if (fd < 0)
        *text = wg_calloc(1, (size_t)m->size + 1);
    crypto_hash_sha256_init(&h);
    buf = wg_malloc(CHUNK);
    for (uint64_t done = 0; done < total && !rc;) {
        size_t want = total - done < CHUNK ? (size_t)(total - done) : CHUNK;
        size_t data = done >= m->size ? 0 : m->size - done < want ? (size_t)(m->size - done) : want;
        ssize_t got = get(a->fd, buf, want);
        if (got < 0) {
            rc = wg_err_set(err, WG_EIO, "cannot read '%s': %s", a->path, strerror(errno));
            break;
        }
        if ((size_t)got < want) {
            rc = wg_err_set(err, WG_EINVAL, "'%s' is cut short inside member '%s'", a->path,
                            m->name);
            break;
        }
        crypto_hash_sha256_update(&h, buf, data);
        if (fd < 0) {
            memcpy(*text + done, buf, data);
        } else {
            struct wg_archive out = {.fd = fd, .path = m->name};
            rc = put(&out, buf, data, err);
        }
        done += want;
    }
    free(buf);
    a->bytes += total;
    if (rc && fd < 0) {
        free(*text);
        *text = NULL;
    }
    if (!rc)
        hex_of(&h, hex);
    return rc;
}

static int hex_run(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

int wg_backup_name_ok(const char *name)
{
    static const char *const fixed[] = {WG_BACKUP_INFO, WG_BACKUP_SUMS, WG_BACKUP_STORE,
                                        WG_BACKUP_KEYS};
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        if (!strcmp(name, fixed[i]))
            return 1;
    if (!strncmp(name, "calendar/", 9)) {
        const char *f = name + 9;
        size_t k = strlen(f);
        if (k < 6 || k > 64 || f[0] == '.' || strcmp(f + k - 5, ".json"))
            return 0;
        for (const char *p = f; *p; p++)
            if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                  (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '_'))
                return 0;
        return 1;
    }
    /* photos/XX/<64 hex>, XX the first two */
    return n == 7 + 3 + 64 && !strncmp(name, "photos/", 7) && name[9] == '/' &&
           hex_run(name + 7, 2) && hex_run(name + 10, 64) && !strncmp(name + 7, name + 10, 2);
}

int wg_backup_dir_ok(const char *name)
{
    char d[16];
    size_t n = strlen(name);
    if (n && name[n - 1] == '/')
        n--;
    if (n >= sizeof d)
        return 0;
    memcpy(d, name, n);
    d[n] = '\0';
    return !strcmp(d, "keys") || !strcmp(d, "calendar") || !strcmp(d, "photos") ||
           (n == 9 && !strncmp(d, "photos/", 7) && hex_run(d + 7, 2));
}
