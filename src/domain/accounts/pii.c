/* Personal information: the key file, AEAD encryption of stored values, the blind index,
 * validation of phone and ID numbers, and the display masks. Formats and rules are in pii.h;
 * this file says why where the code does something non-obvious. */
#include "domain/accounts/pii.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#define AEAD_KEY     crypto_aead_xchacha20poly1305_ietf_KEYBYTES
#define AEAD_NONCE   crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define AEAD_TAG     crypto_aead_xchacha20poly1305_ietf_ABYTES
#define BLIND_KEY    crypto_auth_hmacsha256_KEYBYTES
#define B64          sodium_base64_VARIANT_URLSAFE_NO_PADDING
#define B64_ALPHABET "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
#define MAGIC        "wangge-pii-keys"
#define FORMAT       1
/* 1000 key lines of about 140 bytes, plus comments. */
#define MAX_FILE (256 * 1024)

_Static_assert(AEAD_KEY == 32 && BLIND_KEY == 32, "the key file holds 32-byte keys");

struct key {
    unsigned char aead[AEAD_KEY];
    unsigned char blind[BLIND_KEY];
};

/* Version v is k[v - 1]; versions have no gaps, so the index is the lookup. */
struct wg_pii_keys {
    size_t n;
    size_t bytes; /* what was sodium_malloc'd, for the wipe */
    struct key k[];
};

/* ---- guarded memory ---- */

static struct wg_pii_keys *keys_alloc(size_t n)
{
    /* sodium_malloc puts the block right before a guard page, so the address is only as
     * aligned as the size is: round to 16 to keep size_t fields aligned. */
    size_t bytes = (offsetof(struct wg_pii_keys, k) + n * sizeof(struct key) + 15) & ~(size_t)15;
    struct wg_pii_keys *keys = sodium_malloc(bytes);
    if (!keys)
        return NULL;
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

void wg_pii_wipe(char *s)
{
    if (!s)
        return;
    sodium_memzero(s, strlen(s));
    free(s);
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
    buf = sodium_malloc((size_t)sb.st_size + 1);
    if (!buf) {
        rc = wg_err_set(err, WG_ENOMEM, "out of memory reading key file '%s'", path);
        goto out;
    }
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
static enum wg_rc parse_key_line(const char *path, const struct line *l, size_t want, struct key *k,
                                 struct wg_err *err)
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
    if (!keys)
        return wg_err_set(err, WG_ENOMEM, "out of memory loading key file '%s'", path);
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
    char *text = sodium_malloc(cap);
    if (!text)
        return wg_err_set(err, WG_ENOMEM, "out of memory writing the key file");
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

static void new_key(struct key *k)
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
    if (!keys) {
        rc = wg_err_set(err, WG_ENOMEM, "out of memory creating the key file");
        goto out;
    }
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
    if (!keys) {
        rc = wg_err_set(err, WG_ENOMEM, "out of memory rotating the key file");
        goto out;
    }
    memcpy(keys->k, old->k, old->n * sizeof(struct key));
    new_key(&keys->k[old->n]);
    rc = install(kdir, dfd, keys, path, true, err);
out:
    wg_pii_keys_free(old);
    wg_pii_keys_free(keys);
    unlock_dir(dfd);
    return rc;
}

/* ---- stored values ---- */

#define MAX_RAW (AEAD_NONCE + WG_PII_MAX_PLAIN + AEAD_TAG)

/* Splits "v<version>:<base64>". Leading zeros are refused so that each value has exactly one
 * spelling: "v01:..." would otherwise decrypt like "v1:...", and an altered byte would go
 * unnoticed. */
static bool parse_stored(const char *s, unsigned *version, const char **b64)
{
    unsigned v = 0;
    int digits = 0;
    if (!s || s[0] != 'v' || s[1] < '1' || s[1] > '9')
        return false;
    s++;
    while (*s >= '0' && *s <= '9') {
        if (++digits > 4)
            return false;
        v = v * 10 + (unsigned)(*s - '0');
        s++;
    }
    if (*s != ':')
        return false;
    *version = v;
    *b64 = s + 1;
    return true;
}

static enum wg_rc check_context(const char *context, struct wg_err *err)
{
    if (!context || !*context)
        return wg_err_set(err, WG_EINVAL, "a personal-information field needs a context name");
    return WG_OK;
}

enum wg_rc wg_pii_encrypt(const struct wg_pii_keys *keys, const char *plaintext,
                          const char *context, char **out, struct wg_err *err)
{
    unsigned char *raw = NULL;
    unsigned long long clen = 0;
    size_t plen, rawlen, b64len;
    enum wg_rc rc = check_context(context, err);
    char *s = NULL;
    int pre;
    *out = NULL;
    if (rc != WG_OK)
        return rc;
    plen = strlen(plaintext);
    if (plen > WG_PII_MAX_PLAIN)
        return wg_err_set(err, WG_ETOOBIG, "'%s' is %zu bytes; at most %d are kept", context, plen,
                          WG_PII_MAX_PLAIN);
    rawlen = AEAD_NONCE + plen + AEAD_TAG;
    raw = malloc(rawlen);
    b64len = sodium_base64_ENCODED_LEN(rawlen, B64);
    s = malloc(16 + b64len);
    if (!raw || !s) {
        rc = wg_err_set(err, WG_ENOMEM, "out of memory encrypting '%s'", context);
        goto out;
    }
    randombytes_buf(raw, AEAD_NONCE);
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        raw + AEAD_NONCE, &clen, (const unsigned char *)plaintext, plen,
        (const unsigned char *)context, strlen(context), NULL, raw, keys->k[keys->n - 1].aead);
    pre = snprintf(s, 16, "v%zu:", keys->n);
    sodium_bin2base64(s + pre, b64len, raw, rawlen, B64);
    *out = s;
    s = NULL;
out:
    free(raw);
    free(s);
    return rc;
}

enum wg_rc wg_pii_decrypt(const struct wg_pii_keys *keys, const char *stored, const char *context,
                          char **out, struct wg_err *err)
{
    unsigned char *raw = NULL;
    unsigned long long mlen = 0;
    const char *b64 = NULL, *b64_end = NULL;
    size_t rawlen = 0, b64len;
    unsigned version = 0;
    enum wg_rc rc = check_context(context, err);
    char *m = NULL;
    *out = NULL;
    if (rc != WG_OK)
        return rc;
    if (!parse_stored(stored, &version, &b64))
        return wg_err_set(err, WG_EINVAL,
                          "'%s' holds no encrypted value (it must start 'v<key "
                          "version>:')",
                          context);
    if (version > keys->n)
        return wg_err_set(err, WG_EINVAL,
                          "'%s' is encrypted under key version %u, which the key file does not "
                          "have (it has 1 to %zu): was the key file replaced?",
                          context, version, keys->n);
    b64len = strlen(b64);
    if (b64len > sodium_base64_ENCODED_LEN(MAX_RAW, B64))
        return wg_err_set(err, WG_EINVAL, "'%s' is too long to be an encrypted value", context);
    raw = malloc(MAX_RAW);
    if (!raw)
        return wg_err_set(err, WG_ENOMEM, "out of memory decrypting '%s'", context);
    /* The alphabet is checked here because libsodium 1.0.18 decodes every byte >= 0x80 as '_'
     * (its constant-time lookup assumes a char is never negative), which would let an altered
     * value decrypt. libsodium does refuse non-zero padding bits, so with both checks each byte
     * string has exactly one spelling. */
    if (strspn(b64, B64_ALPHABET) != b64len ||
        sodium_base642bin(raw, MAX_RAW, b64, b64len, NULL, &rawlen, &b64_end, B64) != 0 ||
        b64_end != b64 + b64len || rawlen < AEAD_NONCE + AEAD_TAG) {
        rc = wg_err_set(err, WG_EINVAL, "'%s' is not a well-formed encrypted value", context);
        goto out;
    }
    m = malloc(rawlen - AEAD_NONCE - AEAD_TAG + 1);
    if (!m) {
        rc = wg_err_set(err, WG_ENOMEM, "out of memory decrypting '%s'", context);
        goto out;
    }
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            (unsigned char *)m, &mlen, NULL, raw + AEAD_NONCE, rawlen - AEAD_NONCE,
            (const unsigned char *)context, strlen(context), raw, keys->k[version - 1].aead) != 0) {
        rc = wg_err_set(err, WG_EINVAL,
                        "the value of '%s' does not decrypt: it was altered, or it belongs to "
                        "another field",
                        context);
        goto out;
    }
    m[mlen] = '\0';
    if (memchr(m, '\0', (size_t)mlen)) { /* only a key holder could make one; still no C string */
        rc = wg_err_set(err, WG_EINVAL, "the value of '%s' holds a NUL byte", context);
        goto out;
    }
    *out = m;
    m = NULL;
out:
    if (m) {
        sodium_memzero(m, rawlen - AEAD_NONCE - AEAD_TAG + 1);
        free(m);
    }
    free(raw);
    return rc;
}

bool wg_pii_needs_rotation(const struct wg_pii_keys *keys, const char *stored)
{
    unsigned version;
    const char *b64;
    return parse_stored(stored, &version, &b64) && version < keys->n;
}

enum wg_rc wg_pii_reencrypt(const struct wg_pii_keys *keys, const char *stored, const char *context,
                            char **out, struct wg_err *err)
{
    char *plain = NULL;
    enum wg_rc rc = wg_pii_decrypt(keys, stored, context, &plain, err);
    *out = NULL;
    if (rc != WG_OK)
        return rc;
    rc = wg_pii_encrypt(keys, plain, context, out, err);
    wg_pii_wipe(plain);
    return rc;
}

/* ---- normalisation and the blind index ---- */

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static void trim(const char **s, size_t *n)
{
    while (*n && blank(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n && blank((*s)[*n - 1]))
        (*n)--;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A phone number's digits as its normalised form has them: the first `skip` digits (a country
 * prefix) dropped and, when the prefix was an explicit +86/0086 before an area code, the 0 that
 * a domestic caller dials put back, so "+86 531 8888 8888" equals "0531-88888888". phone_next
 * hands the digits out one at a time, so that no copy of the number is needed. */
struct phone {
    const char *s;
    size_t n;       /* the input, as given */
    size_t ndigits; /* digits in the input */
    size_t skip;
    bool lead0;
    bool plus;              /* the number opened with '+' */
    size_t len;             /* digits in the normalised form */
    size_t at, seen, given; /* the walk: next byte of s, digits of s passed, digits given */
};

static bool mobile_at(const char *d, size_t n)
{
    return n == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9';
}

static void phone_open(struct phone *f, const char *s, size_t len)
{
    char head[16];
    size_t nh = 0;
    const char *t = s;
    size_t tn = len;
    trim(&t, &tn);
    memset(f, 0, sizeof *f);
    f->s = s;
    f->n = len;
    f->plus = tn > 0 && t[0] == '+';
    for (size_t i = 0; i < len; i++) {
        if (!is_digit(s[i]))
            continue;
        if (nh < sizeof head)
            head[nh++] = s[i];
        f->ndigits++;
    }
    size_t n = f->ndigits;
    bool explicit_cc = false;
    if (f->plus && n >= 2 && head[0] == '8' && head[1] == '6') {
        f->skip = 2;
        explicit_cc = true;
    } else if (!f->plus && n >= 4 && memcmp(head, "0086", 4) == 0) {
        f->skip = 4;
        explicit_cc = true;
    } else if (!f->plus && n == 13 && head[0] == '8' && head[1] == '6' && mobile_at(head + 2, 11)) {
        /* A bare 86 is a prefix only before a mobile number; 86xxxxxx may be a local line. */
        f->skip = 2;
    }
    if (explicit_cc && n > f->skip && head[f->skip] != '0') {
        /* head holds 16 digits; a mobile number is decided by its first two and the count. */
        size_t rest = n - f->skip;
        bool mobile = rest == 11 && head[f->skip] == '1' && head[f->skip + 1] >= '3' &&
                      head[f->skip + 1] <= '9';
        f->lead0 = !mobile;
    }
    f->len = f->ndigits - f->skip + (f->lead0 ? 1 : 0);
}

/* The next digit of the normalised form into *digit; false after the last. */
static bool phone_next(struct phone *f, char *digit)
{
    if (f->lead0 && f->given == 0) {
        f->given++;
        *digit = '0';
        return true;
    }
    while (f->at < f->n) {
        char c = f->s[f->at++];
        if (is_digit(c) && f->seen++ >= f->skip) {
            f->given++;
            *digit = c;
            return true;
        }
    }
    return false;
}

enum wg_rc wg_pii_normalize(enum wg_pii_kind kind, const char *value, char *out, size_t size,
                            struct wg_err *err)
{
    size_t n = strlen(value), w = 0;
    const char *s = value;
    if (kind == WG_PII_PHONE) {
        struct phone f;
        phone_open(&f, value, n);
        if (f.len + 1 > size)
            return wg_err_set(err, WG_ETOOBIG, "the phone number is too long");
        while (phone_next(&f, &out[w]))
            w++;
        out[w] = '\0';
        return WG_OK;
    }
    trim(&s, &n);
    if (n + 1 > size)
        return wg_err_set(err, WG_ETOOBIG, "the value is too long");
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (kind == WG_PII_ID && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        out[w++] = c;
    }
    out[w] = '\0';
    return WG_OK;
}

static const char *kind_label(enum wg_pii_kind kind)
{
    switch (kind) {
    case WG_PII_PHONE:
        return "phone";
    case WG_PII_ID:
        return "id";
    case WG_PII_TEXT:
        return "text";
    }
    return NULL;
}

/* The blind index is always keyed with version 1's blind-index key, whatever the current
 * version. The index is only useful if the same value gives the same index in every row: were
 * it keyed with the current version, each rotation would split the index into rows written
 * before and after it, and a lookup by phone would miss every earlier appeal until all rows had
 * been re-indexed. Rotation protects the encryption of new values; re-keying the index (if the
 * blind-index key itself leaked) is a separate, deliberate migration. */
enum wg_rc wg_pii_blind(const struct wg_pii_keys *keys, enum wg_pii_kind kind, const char *value,
                        char out[WG_PII_BLIND_HEX], struct wg_err *err)
{
    crypto_auth_hmacsha256_state st;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    const char *label = kind_label(kind);
    size_t n = strlen(value);
    enum wg_rc rc;
    char *norm;
    out[0] = '\0';
    if (!label)
        return wg_err_set(err, WG_EINVAL, "unknown kind of personal information %d", (int)kind);
    if (n > WG_PII_MAX_PLAIN)
        return wg_err_set(err, WG_ETOOBIG, "the %s value is %zu bytes; at most %d are kept", label,
                          n, WG_PII_MAX_PLAIN);
    norm = malloc(n + 2);
    if (!norm)
        return wg_err_set(err, WG_ENOMEM, "out of memory indexing a %s value", label);
    rc = wg_pii_normalize(kind, value, norm, n + 2, err);
    if (rc == WG_OK && !norm[0])
        rc =
            wg_err_set(err, WG_EINVAL, "the %s value is empty: there is nothing to look up", label);
    if (rc == WG_OK) {
        /* The label and a NUL separate kinds: "phone\0123" and "id\0123" never meet. */
        crypto_auth_hmacsha256_init(&st, keys->k[0].blind, BLIND_KEY);
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)label, strlen(label) + 1);
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)norm, strlen(norm));
        crypto_auth_hmacsha256_final(&st, mac);
        sodium_bin2hex(out, WG_PII_BLIND_HEX, mac, sizeof mac);
        sodium_memzero(&st, sizeof st);
    }
    wg_pii_wipe(norm);
    return rc;
}

/* ---- validation ---- */

enum wg_rc wg_pii_check_phone(const char *phone, struct wg_err *err)
{
    const char *s = phone;
    size_t n = strlen(phone);
    struct phone f;
    char d[2] = {0, 0};
    size_t nd, w = 0;
    trim(&s, &n);
    if (n == 0)
        return wg_err_set(err, WG_EINVAL, "the phone number is empty");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_digit((char)c) || c == ' ' || c == '-' || c == '(' || c == ')' ||
            (c == '+' && i == 0))
            continue;
        if (c == '+')
            return wg_err_set(err, WG_EINVAL, "a '+' may only open the phone number");
        if (c >= 0x80 || c < 0x20 || c == 0x7f)
            return wg_err_set(err, WG_EINVAL,
                              "the phone number holds a character other than digits, spaces, '-' "
                              "and parentheses (at byte %zu)",
                              i + 1);
        return wg_err_set(err, WG_EINVAL,
                          "the phone number holds '%c' (character %zu); only digits, spaces, '-' "
                          "and parentheses are allowed",
                          (char)c, i + 1);
    }
    phone_open(&f, s, n);
    if (f.plus && f.skip == 0)
        return wg_err_set(err, WG_EINVAL,
                          "only mainland numbers are accepted: an international number must "
                          "start with +86");
    nd = f.len;
    if (nd == 0)
        return wg_err_set(err, WG_EINVAL, "the phone number has no digits");
    /* The first two normalised digits decide what kind of number it is. */
    while (w < sizeof d && phone_next(&f, &d[w]))
        w++;
    if (d[0] == '1') {
        if (nd != 11)
            return wg_err_set(err, WG_EINVAL, "a mobile number has 11 digits; this one has %zu",
                              nd);
        if (d[1] < '3')
            return wg_err_set(err, WG_EINVAL,
                              "not a mainland mobile number: the second digit must be 3 to 9");
        return WG_OK;
    }
    if (d[0] == '0') {
        if (nd == 1)
            return wg_err_set(err, WG_EINVAL, "the phone number is only an area-code 0");
        if (d[1] == '0')
            return wg_err_set(err, WG_EINVAL,
                              "only mainland numbers are accepted: 00 opens an international "
                              "number other than 0086");
        /* 010 and 02x are the 3-digit area codes (Beijing, Shanghai, Tianjin, Chongqing and
         * the largest cities), with 8-digit numbers; every other area code has 4 digits. */
        if ((d[1] == '1' || d[1] == '2') && nd != 11)
            return wg_err_set(err, WG_EINVAL,
                              "a landline with a 3-digit area code (010, 02x) has 8 more digits, "
                              "11 in all; this one has %zu",
                              nd);
        if (d[1] >= '3' && nd != 11 && nd != 12)
            return wg_err_set(err, WG_EINVAL,
                              "a landline with a 4-digit area code has 7 or 8 more digits, 11 or "
                              "12 in all; this one has %zu",
                              nd);
        return WG_OK;
    }
    if (nd != 7 && nd != 8)
        return wg_err_set(err, WG_EINVAL,
                          "a local landline has 7 or 8 digits; this one has %zu (with an area "
                          "code, start with 0)",
                          nd);
    return WG_OK;
}

/* Province-level codes of GB/T 2260, 81-83 for the residence permits of Hong Kong, Macao and
 * Taiwan residents, and 91 for foreigners' permanent residence ID cards. */
static bool province_code(int p)
{
    static const unsigned char codes[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34,
                                          35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
                                          53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91};
    for (size_t i = 0; i < sizeof codes; i++)
        if (codes[i] == p)
            return true;
    return false;
}

static bool real_date(int y, int m, int d)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap ? 1 : 0);
}

static int digits_at(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

enum wg_rc wg_pii_check_id(const char *id, struct wg_err *err)
{
    static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char check[] = "10X98765432";
    const char *s = id;
    size_t n = strlen(id);
    int sum = 0;
    trim(&s, &n);
    if (n == 0)
        return wg_err_set(err, WG_EINVAL, "the ID number is empty");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_digit((char)c) || ((c == 'X' || c == 'x') && i == n - 1))
            continue;
        if (c == 'X' || c == 'x')
            return wg_err_set(err, WG_EINVAL,
                              "character %zu of the ID number is X; only the last may be", i + 1);
        return wg_err_set(err, WG_EINVAL,
                          "character %zu of the ID number is not a digit (only the last may be X)",
                          i + 1);
    }
    if (n != 18)
        return wg_err_set(err, WG_EINVAL, "an ID number has 18 characters; this one has %zu%s", n,
                          n == 15 ? " (15-digit numbers from before 1999 are not accepted)" : "");
    if (!province_code(digits_at(s, 2)))
        return wg_err_set(err, WG_EINVAL,
                          "the ID number does not start with a province code (its first 2 "
                          "digits)");
    if (!real_date(digits_at(s + 6, 4), digits_at(s + 10, 2), digits_at(s + 12, 2)))
        return wg_err_set(err, WG_EINVAL,
                          "the birth date in the ID number (digits 7 to 14) is not a real date");
    for (int i = 0; i < 17; i++)
        sum += (s[i] - '0') * weight[i];
    if (check[sum % 11] != (s[17] == 'x' ? 'X' : s[17]))
        return wg_err_set(err, WG_EINVAL,
                          "the ID number's check character (the last) does not match the other "
                          "17: a digit is mistyped");
    return WG_OK;
}

/* ---- masks ---- */

/* The length of the valid UTF-8 sequence at s (n bytes left), or 0 if the byte starts none.
 * Overlong forms, surrogates and code points past U+10FFFF are not valid (RFC 3629). */
static size_t u8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    unsigned char lo = 0x80, hi = 0xBF;
    size_t len;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return len;
}

/* A character of the input: its bytes, or one invalid byte. */
struct u8c {
    const char *p;
    size_t len;
    bool valid;
};

static bool u8_next(const char *s, size_t n, size_t *pos, struct u8c *c)
{
    if (*pos >= n)
        return false;
    size_t len = u8_seq((const unsigned char *)s + *pos, n - *pos);
    c->p = s + *pos;
    c->valid = len > 0;
    c->len = len ? len : 1;
    *pos += c->len;
    return true;
}

static size_t u8_count(const char *s, size_t n)
{
    struct u8c c;
    size_t pos = 0, k = 0;
    while (u8_next(s, n, &pos, &c))
        k++;
    return k;
}

/* Output into a caller's buffer: writes whole pieces while they fit, stops at the first that
 * does not (so the text is a prefix of the mask, never a cut character), and counts the length
 * the whole mask needs. */
struct mask_out {
    char *p;
    size_t size, w, need;
    bool full;
};

static void out_init(struct mask_out *o, char *p, size_t size)
{
    o->p = p;
    o->size = size;
    o->w = o->need = 0;
    o->full = false;
    if (size)
        p[0] = '\0';
}

static void out_put(struct mask_out *o, const char *s, size_t n)
{
    o->need += n;
    if (o->full || o->w + n >= o->size) {
        o->full = true;
        return;
    }
    memcpy(o->p + o->w, s, n);
    o->w += n;
    o->p[o->w] = '\0';
}

/* A kept character is copied; an invalid byte is never echoed, so the mask stays valid UTF-8. */
static void out_keep(struct mask_out *o, const struct u8c *c)
{
    if (c->valid)
        out_put(o, c->p, c->len);
    else
        out_put(o, "*", 1);
}

/* Keeps the first `head` and last `tail` characters of s and masks the rest with one '*' each. */
static size_t mask_middle(const char *s, size_t n, size_t head, size_t tail, char *out, size_t size)
{
    struct mask_out o;
    struct u8c c;
    size_t pos = 0, i = 0, count = u8_count(s, n);
    out_init(&o, out, size);
    while (u8_next(s, n, &pos, &c)) {
        if (i < head || i + tail >= count)
            out_keep(&o, &c);
        else
            out_put(&o, "*", 1);
        i++;
    }
    return o.need;
}

size_t wg_pii_mask_id(const char *id, char *out, size_t size)
{
    const char *s = id;
    size_t n = strlen(id), count;
    trim(&s, &n);
    count = u8_count(s, n);
    if (count >= 14)
        return mask_middle(s, n, 6, 4, out, size);
    return mask_middle(s, n, 0, count > 2 ? 2 : 0, out, size);
}

size_t wg_pii_mask_phone(const char *phone, char *out, size_t size)
{
    struct phone f;
    struct mask_out o;
    size_t head, tail;
    char c;
    phone_open(&f, phone, strlen(phone));
    head = f.len >= 10 ? 3 : 0;
    tail = f.len >= 10 ? 4 : f.len > 2 ? 2 : 0;
    out_init(&o, out, size);
    while (phone_next(&f, &c)) {
        size_t j = f.given - 1;
        out_put(&o, j < head || j + tail >= f.len ? &c : "*", 1);
    }
    return o.need;
}

/* Two-character surnames (复姓) from the Hundred Family Surnames and in current use. */
static const char *const compound_surnames[] = {
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
    "司徒", "夏侯", "轩辕", "令狐", "端木", "独孤", "南宫", "西门", "呼延", "万俟", "闻人",
    "澹台", "公冶", "赫连", "申屠", "太史", "钟离", "宗政", "濮阳", "淳于", "单于", "司空",
    "第五", "拓跋", "百里", "东郭", "左丘", "梁丘", "鲜于", "闾丘", "亓官", "司寇", "仲孙",
    "公羊", "谷梁", "乐正", "漆雕", "巫马", "公西", "颛孙", "壤驷", "段干", "羊舌", "微生",
};

/* The first `keep` characters of s, then a fixed tail whatever the length of the rest;
 * empty input gives "". */
static size_t mask_head(const char *s, size_t n, size_t keep, const char *tail, char *out,
                        size_t size)
{
    struct mask_out o;
    struct u8c c;
    size_t pos = 0;
    out_init(&o, out, size);
    if (n == 0)
        return 0;
    for (size_t i = 0; i < keep && u8_next(s, n, &pos, &c); i++)
        out_keep(&o, &c);
    out_put(&o, tail, strlen(tail));
    return o.need;
}

static bool compound_surname(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof compound_surnames / sizeof compound_surnames[0]; i++) {
        size_t cl = strlen(compound_surnames[i]);
        if (n >= cl && memcmp(s, compound_surnames[i], cl) == 0)
            return true;
    }
    return false;
}

size_t wg_pii_mask_name(const char *name, char *out, size_t size)
{
    const char *s = name;
    size_t n = strlen(name);
    trim(&s, &n);
    /* A compound surname is kept whole only when a given name follows it. */
    return mask_head(s, n, u8_count(s, n) >= 3 && compound_surname(s, n) ? 2 : 1, "*", out, size);
}

size_t wg_pii_mask_address(const char *address, char *out, size_t size)
{
    const char *s = address;
    size_t n = strlen(address), keep;
    trim(&s, &n);
    keep = u8_count(s, n) / 2;
    return mask_head(s, n, keep > 6 ? 6 : keep, "****", out, size);
}
