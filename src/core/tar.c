/* ustar header blocks (tar.h). */
#include "core/tar.h"

#include "core/assert.h"

/* Field offsets and lengths of a ustar header. */
#define F_NAME     0
#define F_MODE     100
#define F_UID      108
#define F_GID      116
#define F_SIZE     124
#define F_MTIME    136
#define F_CHKSUM   148
#define F_TYPE     156
#define F_MAGIC    257
#define F_VERSION  263
#define F_PREFIX   345
#define OCTAL_SIZE 12

/* v as n-1 octal digits and a NUL. */
static void octal(unsigned char *f, size_t n, uint64_t v)
{
    f[n - 1] = '\0';
    for (size_t i = n - 1; i-- > 0; v >>= 3)
        f[i] = (unsigned char)('0' + (v & 7));
}

static unsigned checksum(const unsigned char b[WG_TAR_BLOCK])
{
    unsigned sum = 0;
    for (int i = 0; i < WG_TAR_BLOCK; i++)
        sum += i >= F_CHKSUM && i < F_CHKSUM + 8 ? ' ' : b[i];
    return sum;
}

void wg_tar_header(const struct wg_tar_member *m, unsigned char b[WG_TAR_BLOCK])
{
    size_t len = strlen(m->name);
    WG_ASSERT(len > 0 && len <= WG_TAR_NAME_MAX);
    memset(b, 0, WG_TAR_BLOCK);
    memcpy(b + F_NAME, m->name, len);
    octal(b + F_MODE, 8, m->mode & 07777);
    octal(b + F_UID, 8, 0);
    octal(b + F_GID, 8, 0);
    if (m->size < (1ULL << 33)) {
        octal(b + F_SIZE, OCTAL_SIZE, m->size);
    } else { /* GNU's base-256: the first byte's high bit set, the number big-endian */
        uint64_t v = m->size;
        for (int i = OCTAL_SIZE - 1; i > 0; i--, v >>= 8)
            b[F_SIZE + i] = (unsigned char)(v & 0xff);
        b[F_SIZE] = 0x80;
    }
    octal(b + F_MTIME, 12, m->mtime > 0 ? (uint64_t)m->mtime : 0);
    b[F_TYPE] = (unsigned char)m->type;
    memcpy(b + F_MAGIC, "ustar", 6);
    memcpy(b + F_VERSION, "00", 2);
    octal(b + F_CHKSUM, 7, checksum(b));
    b[F_CHKSUM + 7] = ' ';
}

/* An octal field (digits, then NULs or spaces; leading spaces allowed), or base-256. */
static int number(const unsigned char *f, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    size_t i = 0;
    if (f[0] & 0x80) {
        if (f[0] != 0x80)
            return 0; /* negative, or more than 64 bits */
        for (i = 1; i < n; i++) {
            if (v >> 56)
                return 0;
            v = (v << 8) | f[i];
        }
        *out = v;
        return 1;
    }
    while (i < n && f[i] == ' ')
        i++;
    if (i == n || f[i] < '0' || f[i] > '7')
        return 0;
    for (; i < n && f[i] >= '0' && f[i] <= '7'; i++) {
        if (v >> 60)
            return 0;
        v = (v << 3) | (uint64_t)(f[i] - '0');
    }
    for (; i < n; i++)
        if (f[i] != '\0' && f[i] != ' ')
            return 0;
    *out = v;
    return 1;
}

/* A NUL-terminated or full-length text field into out (size n > len). */
static size_t text(const unsigned char *f, size_t len, char *out)
{
    size_t k = 0;
    while (k < len && f[k])
        k++;
    memcpy(out, f, k);
    out[k] = '\0';
    return k;
}

enum wg_rc wg_tar_parse(const unsigned char b[WG_TAR_BLOCK], struct wg_tar_member *m, int *end,
                        struct wg_err *err)
{
    uint64_t sum, mode, mtime;
    char prefix[156], name[101];
    size_t i;
    for (i = 0; i < WG_TAR_BLOCK && !b[i]; i++)
        ;
    *end = i == WG_TAR_BLOCK;
    if (*end)
        return WG_OK;
    if (memcmp(b + F_MAGIC, "ustar", 5))
        return wg_err_set(err, WG_EINVAL, "a member's header is not a ustar header");
    if (!number(b + F_CHKSUM, 8, &sum) || sum != checksum(b))
        return wg_err_set(err, WG_EINVAL, "a member's header does not match its checksum");
    memset(m, 0, sizeof *m);
    if (!number(b + F_SIZE, OCTAL_SIZE, &m->size) || !number(b + F_MODE, 8, &mode) ||
        !number(b + F_MTIME, 12, &mtime))
        return wg_err_set(err, WG_EINVAL, "a member's header holds a malformed number");
    m->mode = (unsigned)(mode & 07777);
    m->mtime = (long long)(mtime & 0x7fffffffffffffffULL);
    m->type = b[F_TYPE] ? (char)b[F_TYPE] : '0';
    text(b + F_NAME, 100, name);
    if (text(b + F_PREFIX, 155, prefix))
        snprintf(m->name, sizeof m->name, "%s/%s", prefix, name);
    else
        snprintf(m->name, sizeof m->name, "%s", name);
    if (!m->name[0])
        return wg_err_set(err, WG_EINVAL, "a member's header names no file");
    return WG_OK;
}

uint64_t wg_tar_padding(uint64_t size)
{
    return (WG_TAR_BLOCK - size % WG_TAR_BLOCK) % WG_TAR_BLOCK;
}
