/* The key file, DATA_DIR/keys/pii.key (format in pii_keys.h): read into guarded memory once its
 * mode and its directory's are checked, parsed line by line, and created or rotated under a lock
 * on the directory through a temporary file moved into place, so that neither a crash nor a
 * second process leaves half a key file. */
#include "domain/accounts/pii_keys.h"
#include "core/assert.h"
#include "core/alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#define MAGIC  "wangge-pii-keys"
#define FORMAT 1
/* 1000 key lines of about 140 bytes, plus comments. */
#define MAX_FILE (256 * 1024)

_Static_assert(WG_PII_KEY_BYTES == crypto_aead_xchacha20poly1305_ietf_KEYBYTES &&
                   WG_PII_KEY_BYTES == crypto_auth_hmacsha256_KEYBYTES,
               "the key file holds the 32-byte keys libsodium takes");

/* Version v is k[v - 1]; versions have no gaps, so the index is the lookup. */
struct wg_pii_keys {
    size_t n;
    size_t bytes; /* what was sodium_malloc'd, for the wipe */
    /* HMAC-SHA-256 keyed with version 1's blind-index key, before any message: each blind
     * index starts from a copy (keying it anew was half of a blind index's work) */
    crypto_auth_hmacsha256_state blind;
    struct wg_pii_key k[];
};

/* ---- guarded memory ----
 * Keys live in libsodium's guarded pages (a guard page after them, locked out of swap,
 * wiped when freed); failing to get such pages is running out of memory like any other
 * (core/alloc.h's policy). */

static void *guarded(size_t bytes)
{
    void *p = sodium_malloc(bytes);
    if (!p)
        wg_oom(bytes);
    return p;
}

static struct wg_pii_keys *keys_alloc(size_t n)
{
    /* sodium_malloc puts the block right before a guard page, so the address is only as
     * aligned as the size is: round to 16 to keep size_t fields aligned. */
    size_t bytes =
        (offsetof(struct wg_pii_keys, k) + n * sizeof(struct wg_pii_key) + 15) & ~(size_t)15;
    struct wg_pii_keys *keys = guarded(bytes);
    memset(keys, 0, bytes);
    keys->n = n;
    keys->bytes = bytes;
    return keys;
}

void wg_pii_keys_free(struct wg_pii_keys *keys)
{
    if (!keys)
        return;
    sodium_mprotect_readwrite(keys);
    sodium_memzero(keys, keys->bytes);
    sodium_free(keys);
}

unsigned wg_pii_keys_current(const struct wg_pii_keys *keys)
{
    return (unsigned)keys->n;
}

void wg_pii_keys_blind_start(const struct wg_pii_keys *keys,
                             struct crypto_auth_hmacsha256_state *st)
{
    memcpy(st, &keys->blind, sizeof keys->blind);
}

const struct wg_pii_key *wg_pii_keys_get(const struct wg_pii_keys *keys, unsigned version)
{
    WG_ASSERT(version >= 1 && version <= keys->n); /* callers check a stored version first */
    return &keys->k[version - 1];
}

/* ---- the key file ---- */

bool wg_pii_keys_path(const char *dir, char *out, size_t size)
{
    int n = snprintf(out, size, "%s/keys/pii.key", dir);
    return n >= 0 && (size_t)n < size;
}

static bool keys_dir(const char *dir, char *out, size_t size)
{
    int n = snprintf(out, size, "%s/keys", dir);
    return n >= 0 && (size_t)n < size;
}

/* A directory others can write to lets them swap the key file for one of their own, and
 * everything encrypted afterwards would be readable by them. */
static enum wg_rc check_dir_mode(const char *kdir, struct wg_err *err)
{
    struct stat sb;
    if (stat(kdir, &sb) != 0)
        return wg_err_set(err, errno == ENOENT ? WG_ENOTFOUND : WG_EIO, "cannot read '%s': %s",
                          kdir, strerror(errno));
    if (!S_ISDIR(sb.st_mode))
        return wg_err_set(err, WG_EINVAL, "'%s' is not a directory", kdir);
    if (sb.st_mode & 022)
        return wg_err_set(err, WG_EFORBIDDEN,
                          "key directory '%s' has mode %04o: group or others may replace the key "
                          "file (run: chmod 700 '%s')",
                          kdir, (unsigned)(sb.st_mode & 07777), kdir);
    return WG_OK;
}

/* Checks the keys directory's mode, then opens and exclusively locks it, so that two rotations
 * (or a create and a rotation) in different processes cannot both read version n and both
 * write n + 1. The same descriptor fsyncs the directory after a rename. */
static enum wg_rc lock_dir(const char *kdir, int *fd, struct wg_err *err)
{
    enum wg_rc rc = check_dir_mode(kdir, err);
    *fd = -1;
    if (rc != WG_OK)
        return rc;
    *fd = open(kdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (*fd < 0)
        return wg_err_set(err, WG_EIO, "cannot open '%s': %s", kdir, strerror(errno));
    while (flock(*fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            rc = wg_err_set(err, WG_EIO, "cannot lock '%s': %s", kdir, strerror(errno));
            close(*fd);
            *fd = -1;
            return rc;
        }
    }
    return WG_OK;
}

static void unlock_dir(int fd)
{
    if (fd >= 0)
        close(fd); /* closing drops the flock */
}

/* Reads the whole key file into guarded memory (it is secret), after checking its mode on the
 * open descriptor, so the file checked is the file read. */
static enum wg_rc read_secret_file(const char *path, char **text, size_t *len, struct wg_err *err)
{
    struct stat sb;
    enum wg_rc rc = WG_OK;
    char *buf = NULL;
    size_t got = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return wg_err_set(err, errno == ENOENT ? WG_ENOTFOUND : WG_EIO,
                          "cannot open key file '%s': %s%s", path, strerror(errno),
                          errno == ENOENT ? " (run 'wangge init' to create it)" : "");
    if (fstat(fd, &sb) != 0) {
        rc = wg_err_set(err, WG_EIO, "cannot read key file '%s': %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(sb.st_mode)) {
        rc = wg_err_set(err, WG_EINVAL, "key file '%s' is not a regular file", path);
        goto out;
    }
    if (sb.st_mode & 077) {
        rc = wg_err_set(err, WG_EFORBIDDEN,
                        "key file '%s' has mode %04o: it must not be accessible to group or "
                        "others (run: chmod 600 '%s')",
                        path, (unsigned)(sb.st_mode & 07777), path);
        goto out;
    }
    if (sb.st_size > MAX_FILE) {
        rc = wg_err_set(err, WG_EINVAL, "key file '%s' is %lld bytes, more than a key file can be",
                        path, (long long)sb.st_size);
        goto out;
    }
    buf = guarded((size_t)sb.st_size + 1);
    while (got < (size_t)sb.st_size) {
        ssize_t r = read(fd, buf + got, (size_t)sb.st_size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = wg_err_set(err, WG_EIO, "cannot read key file '%s': %s", path, strerror(errno));
            goto out;
        }
        if (r == 0)
            break; /* shrank while we read: parse what is there, the format check will judge */
        got += (size_t)r;
    }
    buf[got] = '\0';
    *text = buf;
    *len = got;
    buf = NULL;
out:
    if (buf) {
        sodium_memzero(buf, (size_t)sb.st_size + 1);
        sodium_free(buf);
    }
    close(fd);
    return rc;
}

/* One line of the file without its terminator (and without a '\r' before it). */
struct line {
    const char *p;
    size_t len;
    size_t no; /* 1-based */
};

static bool next_line(const char *text, size_t len, size_t *pos, struct line *l)
{
    if (*pos >= len)
        return false;
    const char *s = text + *pos;
    const char *nl = memchr(s, '\n', len - *pos);
    size_t n = nl ? (size_t)(nl - s) : len - *pos;
    *pos += n + (nl ? 1 : 0);
    l->p = s;
    l->len = n;
    l->no++;
    while (l->len &&
           (l->p[l->len - 1] == '\r' || l->p[l->len - 1] == ' ' || l->p[l->len - 1] == '\t'))
        l->len--;
    return true;
}

static bool skippable(const struct line *l)
{
    return l->len == 0 || l->p[0] == '#';
}

static bool line_is(const struct line *l, const char *s)
{
    size_t n = strlen(s);
    return l->len >= n && memcmp(l->p, s, n) == 0;
}

/* "key <version> <hex> <hex>"; version must be `want`. */
static enum wg_rc parse_key_line(const char *path, const struct line *l, size_t want,
                                 struct wg_pii_key *k, struct wg_err *err)
{
    const char *p = l->p + 4, *end = l->p + l->len;
    size_t v = 0, digits = 0;
    while (p < end && *p >= '0' && *p <= '9' && digits < 8) {
        v = v * 10 + (size_t)(*p - '0');
        p++;
        digits++;
    }
    if (digits == 0 || (digits > 1 && l->p[4] == '0') || p >= end || *p != ' ')
        return wg_err_set(err, WG_EINVAL, "key file '%s' line %zu: expected 'key <version> ...'",
                          path, l->no);
    if (v != want)
        return wg_err_set(err, WG_EINVAL,
                          "key file '%s' line %zu: expected key version %zu, found %zu (versions "
                          "count up from 1)",
                          path, l->no, want, v);
    p++;
    unsigned char *dst[2] = {k->aead, k->blind};
    const char *what[2] = {"encryption key", "blind-index key"};
    for (int i = 0; i < 2; i++) {
        size_t bin_len = 0;
        const char *hex_end = NULL;
        if ((size_t)(end - p) < 64 ||
            sodium_hex2bin(dst[i], 32, p, 64, NULL, &bin_len, &hex_end) != 0 || bin_len != 32 ||
            hex_end != p + 64)
            return wg_err_set(err, WG_EINVAL,
                              "key file '%s' line %zu: the %s of version %zu is not 64 hex digits",
                              path, l->no, what[i], v);
        p += 64;
        if (i == 0 && (p >= end || *p++ != ' '))
            return wg_err_set(err, WG_EINVAL,
                              "key file '%s' line %zu: expected a space before the blind-index key",
                              path, l->no);
        if (sodium_is_zero(dst[i], 32))
            return wg_err_set(err, WG_EINVAL,
                              "key file '%s' line %zu: the %s of version %zu is zero", path, l->no,
                              what[i], v);
    }
    if (p != end)
        return wg_err_set(err, WG_EINVAL, "key file '%s' line %zu: unexpected text after the keys",
                          path, l->no);
    return WG_OK;
}

static enum wg_rc parse_keys(const char *path, const char *text, size_t len,
                             struct wg_pii_keys **out, struct wg_err *err)
{
    struct line l = {0};
    size_t pos = 0, n = 0, i = 0;
    bool header = false;
    struct wg_pii_keys *keys = NULL;
    enum wg_rc rc = WG_OK;
    if (memchr(text, '\0', len))
        return wg_err_set(err, WG_EINVAL, "key file '%s' is not a text file", path);
    /* First pass: the header, and how many keys to make room for. */
    while (next_line(text, len, &pos, &l)) {
        if (skippable(&l))
            continue;
        if (!header) {
            if (!line_is(&l, MAGIC " "))
                return wg_err_set(err, WG_EINVAL,
                                  "'%s' is not a wangge key file (line %zu is not '" MAGIC " %d')",
                                  path, l.no, FORMAT);
            if (l.len != strlen(MAGIC " 1") || l.p[l.len - 1] != '0' + FORMAT)
                return wg_err_set(err, WG_EINVAL,
                                  "key file '%s' line %zu: format '%.*s' is not the format %d "
                                  "this wangge reads",
                                  path, l.no, (int)(l.len > 40 ? 40 : l.len), l.p, FORMAT);
            header = true;
            continue;
        }
        if (!line_is(&l, "key "))
            return wg_err_set(err, WG_EINVAL,
                              "key file '%s' line %zu: expected 'key <version> <hex> <hex>'", path,
                              l.no);
        if (++n > WG_PII_MAX_VERSIONS)
            return wg_err_set(err, WG_EINVAL, "key file '%s' holds more than %d key versions", path,
                              WG_PII_MAX_VERSIONS);
    }
    if (!header)
        return wg_err_set(err, WG_EINVAL, "'%s' is not a wangge key file (it is empty)", path);
    if (n == 0)
        return wg_err_set(err, WG_EINVAL, "key file '%s' holds no key", path);
    keys = keys_alloc(n);
    pos = 0;
    l.no = 0;
    header = false;
    while (next_line(text, len, &pos, &l)) {
        if (skippable(&l))
            continue;
        if (!header) {
            header = true;
            continue;
        }
        rc = parse_key_line(path, &l, i + 1, &keys->k[i], err);
        if (rc != WG_OK)
            goto out;
        i++;
    }
    crypto_auth_hmacsha256_init(&keys->blind, keys->k[0].blind, WG_PII_KEY_BYTES);
    /* Nothing writes to the keys after loading; a stray write should fault, not corrupt. */
    sodium_mprotect_readonly(keys);
    *out = keys;
    keys = NULL;
out:
    wg_pii_keys_free(keys);
    return rc;
}

static enum wg_rc load_path(const char *path, struct wg_pii_keys **out, struct wg_err *err)
{
    char *text = NULL;
    size_t len = 0;
    enum wg_rc rc = read_secret_file(path, &text, &len, err);
    if (rc != WG_OK)
        return rc;
    rc = parse_keys(path, text, len, out, err);
    sodium_memzero(text, len);
    sodium_free(text);
    return rc;
}

#define KEY_PATH_MAX 4096

/* libsodium ready, and the keys directory's and key file's paths (KEY_PATH_MAX bytes each). */
static enum wg_rc key_paths(const char *dir, char *kdir, char *path, struct wg_err *err)
{
    if (sodium_init() < 0)
        return wg_err_set(err, WG_EINTERNAL, "libsodium failed to initialise");
    if (!keys_dir(dir, kdir, KEY_PATH_MAX) || !wg_pii_keys_path(dir, path, KEY_PATH_MAX))
        return wg_err_set(err, WG_EINVAL, "data directory path '%s' is too long", dir);
    return WG_OK;
}

enum wg_rc wg_pii_keys_load(const char *dir, struct wg_pii_keys **out, struct wg_err *err)
{
    char kdir[KEY_PATH_MAX], path[KEY_PATH_MAX];
    enum wg_rc rc;
    *out = NULL;
    if ((rc = key_paths(dir, kdir, path, err)))
        return rc;
    rc = check_dir_mode(kdir, err);
    if (rc != WG_OK)
        return rc;
    return load_path(path, out, err);
}

static const char file_comment[] =
    "# wangge personal-information keys. Secret: mode 0600, never in the database or a backup\n"
    "# of it. Losing this file loses every encrypted value; keep a copy somewhere safe.\n"
    "# Versions only ever get added ('wangge key rotate'); the highest is the current one.\n";

/* Writes keys to a temporary file in kdir and fsyncs it; *tmp receives its name. */
static enum wg_rc write_temp(const char *kdir, const struct wg_pii_keys *keys, char *tmp,
                             size_t tmpsize, struct wg_err *err)
{
    const size_t per_line = 4 + 10 + 1 + 64 + 1 + 64 + 1;
    size_t cap = sizeof file_comment + sizeof MAGIC + 8 + keys->n * per_line, len = 0;
    enum wg_rc rc = WG_OK;
    int fd = -1, n;
    char *text = guarded(cap);
    n = snprintf(text, cap, "%s%s %d\n", file_comment, MAGIC, FORMAT);
    len = (size_t)n;
    for (size_t i = 0; i < keys->n; i++) {
        n = snprintf(text + len, cap - len, "key %zu ", i + 1);
        len += (size_t)n;
        sodium_bin2hex(text + len, 65, keys->k[i].aead, 32);
        len += 64;
        text[len++] = ' ';
        sodium_bin2hex(text + len, 65, keys->k[i].blind, 32);
        len += 64;
        text[len++] = '\n';
    }
    n = snprintf(tmp, tmpsize, "%s/.pii.key.XXXXXX", kdir);
    if (n < 0 || (size_t)n >= tmpsize) {
        rc = wg_err_set(err, WG_EINVAL, "key directory path '%s' is too long", kdir);
        goto out;
    }
    fd = mkstemp(tmp); /* created 0600 */
    if (fd < 0) {
        rc = wg_err_set(err, WG_EIO, "cannot create a file in '%s': %s", kdir, strerror(errno));
        tmp[0] = '\0';
        goto out;
    }
    if (fchmod(fd, 0600) != 0) {
        rc = wg_err_set(err, WG_EIO, "cannot set the mode of '%s': %s", tmp, strerror(errno));
        goto out;
    }
    for (size_t off = 0; off < len;) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            rc = wg_err_set(err, WG_EIO, "cannot write '%s': %s", tmp, strerror(errno));
            goto out;
        }
        off += (size_t)w;
    }
    if (fsync(fd) != 0) {
        rc = wg_err_set(err, WG_EIO, "cannot sync '%s': %s", tmp, strerror(errno));
        goto out;
    }
out:
    if (fd >= 0 && close(fd) != 0 && rc == WG_OK)
        rc = wg_err_set(err, WG_EIO, "cannot write '%s': %s", tmp, strerror(errno));
    if (rc != WG_OK && tmp[0] && fd >= 0)
        unlink(tmp);
    sodium_memzero(text, cap);
    sodium_free(text);
    return rc;
}

static void new_key(struct wg_pii_key *k)
{
    crypto_aead_xchacha20poly1305_ietf_keygen(k->aead);
    crypto_auth_hmacsha256_keygen(k->blind);
}

/* Writes keys beside the key file and gives them its name: by link when there must be no key
 * file yet (link fails if the name exists, so no path overwrites a key file), by rename when
 * replacing one (a crash leaves either file whole). Either is durable only once the directory
 * is, hence the fsync of dfd, the locked directory. */
static enum wg_rc install(const char *kdir, int dfd, const struct wg_pii_keys *keys,
                          const char *path, bool replace, struct wg_err *err)
{
    char tmp[4200];
    enum wg_rc rc = write_temp(kdir, keys, tmp, sizeof tmp, err);
    if (rc != WG_OK)
        return rc;
    if (replace && rename(tmp, path) != 0)
        rc = wg_err_set(err, WG_EIO, "cannot replace '%s': %s", path, strerror(errno));
    else if (!replace && link(tmp, path) != 0)
        rc = wg_err_set(err, errno == EEXIST ? WG_ECONFLICT : WG_EIO, "cannot create '%s': %s",
                        path, strerror(errno));
    if (rc != WG_OK || !replace)
        unlink(tmp); /* a failed move, or the link's second name */
    if (rc == WG_OK && fsync(dfd) != 0)
        rc = wg_err_set(err, WG_EIO, "cannot sync '%s': %s", kdir, strerror(errno));
    return rc;
}

enum wg_rc wg_pii_keys_create(const char *dir, struct wg_err *err)
{
    char kdir[KEY_PATH_MAX], path[KEY_PATH_MAX];
    struct wg_pii_keys *keys = NULL;
    struct stat sb;
    enum wg_rc rc;
    int dfd = -1;
    if ((rc = key_paths(dir, kdir, path, err)))
        return rc;
    if (mkdir(kdir, 0700) != 0) {
        if (errno != EEXIST)
            return wg_err_set(err, WG_EIO, "cannot create '%s': %s", kdir, strerror(errno));
        /* The keys directory is wangge's own: tighten it rather than refuse. */
        if (stat(kdir, &sb) == 0 && S_ISDIR(sb.st_mode) && (sb.st_mode & 077) &&
            chmod(kdir, 0700) != 0)
            return wg_err_set(err, WG_EIO, "cannot set the mode of '%s': %s", kdir,
                              strerror(errno));
    }
    if ((rc = lock_dir(kdir, &dfd, err)))
        return rc;
    if (lstat(path, &sb) == 0) {
        rc = wg_err_set(err, WG_ECONFLICT,
                        "key file '%s' already exists; refusing to overwrite it (every value "
                        "encrypted under it would be lost)",
                        path);
        goto out;
    }
    keys = keys_alloc(1);
    new_key(&keys->k[0]);
    rc = install(kdir, dfd, keys, path, false, err);
out:
    wg_pii_keys_free(keys);
    unlock_dir(dfd);
    return rc;
}

enum wg_rc wg_pii_keys_rotate(const char *dir, struct wg_err *err)
{
    char kdir[KEY_PATH_MAX], path[KEY_PATH_MAX];
    struct wg_pii_keys *old = NULL, *keys = NULL;
    enum wg_rc rc;
    int dfd = -1;
    if ((rc = key_paths(dir, kdir, path, err)))
        return rc;
    if ((rc = lock_dir(kdir, &dfd, err)))
        return rc;
    rc = load_path(path, &old, err);
    if (rc != WG_OK)
        goto out;
    if (old->n >= WG_PII_MAX_VERSIONS) {
        rc = wg_err_set(err, WG_ECONFLICT, "key file '%s' already holds %d key versions", path,
                        WG_PII_MAX_VERSIONS);
        goto out;
    }
    keys = keys_alloc(old->n + 1);
    memcpy(keys->k, old->k, old->n * sizeof(struct wg_pii_key));
    new_key(&keys->k[old->n]);
    rc = install(kdir, dfd, keys, path, true, err);
out:
    wg_pii_keys_free(old);
    wg_pii_keys_free(keys);
    unlock_dir(dfd);
    return rc;
}
