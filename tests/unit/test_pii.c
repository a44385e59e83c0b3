/* Personal information: the key file (create, load, modes, corruption, rotation), encryption
 * round trips and tampering, the blind index and its normalisation, phone and ID validation,
 * and the display masks. Key files live in mkdtemp directories under /tmp, removed at the end. */
#include "t.h"

#include <ftw.h>
#include <sodium.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain/accounts/pii.h"
#include "domain/accounts/pii_keys.h"

static char root[64];

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* A fresh data directory under the test's root. */
static void new_data_dir(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", root, name);
    T_CHECK(mkdir(out, 0700) == 0);
}

static bool read_all(const char *path, char *out, size_t size)
{
    FILE *f = fopen(path, "rb");
    size_t n;
    if (!f)
        return false;
    n = fread(out, 1, size - 1, f);
    out[n] = '\0';
    fclose(f);
    return true;
}

static void write_file(const char *path, const char *text, size_t len, mode_t mode)
{
    FILE *f = fopen(path, "wb");
    T_CHECK(f != NULL);
    if (!f)
        return;
    T_EQ_INT(fwrite(text, 1, len, f), len);
    fclose(f);
    T_CHECK(chmod(path, mode) == 0);
}

static unsigned file_mode(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (unsigned)(sb.st_mode & 07777) : 0xFFFF;
}

static bool valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t len = *p < 0x80         ? 1
                     : (*p >> 5) == 6  ? 2
                     : (*p >> 4) == 14 ? 3
                     : (*p >> 3) == 30 ? 4
                                       : 0;
        if (len == 0)
            return false;
        for (size_t i = 1; i < len; i++)
            if ((p[i] & 0xC0) != 0x80)
                return false;
        p += len;
    }
    return true;
}

/* Entries of dir other than pii.key (rotation must leave no temporary file behind). */
static int other_files(const char *dir)
{
    char cmd[512], line[256];
    int extra = 0;
    snprintf(cmd, sizeof cmd, "ls -A '%s'", dir);
    FILE *ls = popen(cmd, "r");
    if (!ls)
        return -1;
    while (fgets(line, sizeof line, ls))
        if (strcmp(line, "pii.key\n") != 0)
            extra++;
    pclose(ls);
    return extra;
}

/* ---- the key file ---- */

static void test_create_load(void)
{
    char dir[128], path[256], kdir[192], before[4096], after[4096];
    struct wg_pii_keys *keys = NULL;
    struct wg_err err = {0};
    new_data_dir(dir, sizeof dir, "create");
    T_CHECK(wg_pii_keys_path(dir, path, sizeof path));
    snprintf(kdir, sizeof kdir, "%s/keys", dir);
    T_EQ_INT(wg_pii_keys_create(dir, &err), WG_OK);
    T_EQ_INT(file_mode(kdir), 0700);
    T_EQ_INT(file_mode(path), 0600);
    T_CHECK(read_all(path, before, sizeof before));
    T_CHECK(strstr(before, "\nwangge-pii-keys 1\nkey 1 ") != NULL);

    T_EQ_INT(wg_pii_keys_load(dir, &keys, &err), WG_OK);
    T_CHECK(keys != NULL);
    if (keys)
        T_EQ_INT(wg_pii_keys_current(keys), 1);
    wg_pii_keys_free(keys);
    wg_pii_keys_free(NULL);

    /* A second create must not replace the keys every stored value depends on. */
    T_EQ_INT(wg_pii_keys_create(dir, &err), WG_ECONFLICT);
    T_CHECK(strstr(err.msg, path) && strstr(err.msg, "already exists"));
    T_CHECK(read_all(path, after, sizeof after));
    T_EQ_STR(after, before);

    /* Missing file: not found, with the way to make one. */
    char empty[128];
    new_data_dir(empty, sizeof empty, "empty");
    T_EQ_INT(wg_pii_keys_load(empty, &keys, &err), WG_ENOTFOUND);
    T_CHECK(keys == NULL);

    /* A pre-existing keys directory with loose modes is tightened by create. */
    char loose[128], lkdir[192];
    new_data_dir(loose, sizeof loose, "loose");
    snprintf(lkdir, sizeof lkdir, "%s/keys", loose);
    T_CHECK(mkdir(lkdir, 0700) == 0 && chmod(lkdir, 0755) == 0);
    T_EQ_INT(wg_pii_keys_create(loose, &err), WG_OK);
    T_EQ_INT(file_mode(lkdir), 0700);

    /* No data directory at all. */
    char nodir[160];
    snprintf(nodir, sizeof nodir, "%s/absent", root);
    T_EQ_INT(wg_pii_keys_create(nodir, &err), WG_EIO);
    T_CHECK(strstr(err.msg, "absent/keys") != NULL);
}

static void test_modes(void)
{
    static const struct {
        unsigned file, dir;
        enum wg_rc rc;
        const char *msg;
    } cases[] = {
        {0600, 0700, WG_OK, NULL},
        {0400, 0700, WG_OK, NULL},
        {0644, 0700, WG_EFORBIDDEN, "chmod 600"},
        {0640, 0700, WG_EFORBIDDEN, "mode 0640"},
        {0604, 0700, WG_EFORBIDDEN, "group or others"},
        {0620, 0700, WG_EFORBIDDEN, "chmod 600"},
        {0600, 0770, WG_EFORBIDDEN, "chmod 700"},
        {0600, 0757, WG_EFORBIDDEN, "may replace"},
        {0600, 0750, WG_OK, NULL},
    };
    char dir[128], path[256], kdir[192];
    new_data_dir(dir, sizeof dir, "modes");
    T_EQ_INT(wg_pii_keys_create(dir, NULL), WG_OK);
    wg_pii_keys_path(dir, path, sizeof path);
    snprintf(kdir, sizeof kdir, "%s/keys", dir);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct wg_pii_keys *keys = NULL;
        struct wg_err err = {0};
        T_CHECK(chmod(path, cases[i].file) == 0 && chmod(kdir, cases[i].dir) == 0);
        T_EQ_INT(wg_pii_keys_load(dir, &keys, &err), cases[i].rc);
        if (cases[i].rc == WG_OK) {
            T_CHECK(keys != NULL);
        } else {
            T_CHECK(keys == NULL);
            T_CHECK(strstr(err.msg, cases[i].msg) != NULL);
            /* The message names what to fix: the file, or the directory. */
            T_CHECK(strstr(err.msg, cases[i].file & 077 ? path : kdir) != NULL);
        }
        wg_pii_keys_free(keys);
    }
    chmod(path, 0600);
    chmod(kdir, 0700);
    /* Rotation refuses a loose file as loading does, and leaves it alone. */
    struct wg_err err = {0};
    T_CHECK(chmod(path, 0644) == 0);
    T_EQ_INT(wg_pii_keys_rotate(dir, &err), WG_EFORBIDDEN);
    T_CHECK(strstr(err.msg, path) != NULL);
    T_EQ_INT(file_mode(path), 0644);
    chmod(path, 0600);
}

static void test_corrupt(void)
{
    static const char k64a[] = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    static const char k64b[] = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
    static const char zero[] = "0000000000000000000000000000000000000000000000000000000000000000";
    char good[512], bad[20][512];
    static const struct {
        const char *msg;
    } expect[] = {
        {"is empty"},
        {"not a wangge key file"},
        {"not the format 1"},
        {"holds no key"},
        {"expected key version 1, found 2"},
        {"expected 'key <version>"},
        {"not 64 hex digits"},
        {"not 64 hex digits"},
        {"is zero"},
        {"unexpected text"},
        {"expected 'key <version> <hex> <hex>'"},
        {"not a text file"},
        {"expected key version 2, found 3"},
        {"expected a space"},
    };
    int n = 0;
    snprintf(good, sizeof good, "# c\nwangge-pii-keys 1\nkey 1 %s %s\n", k64a, k64b);
    snprintf(bad[n++], 512, "# only a comment\n\n");
    snprintf(bad[n++], 512, "not-a-key-file 1\nkey 1 %s %s\n", k64a, k64b);
    snprintf(bad[n++], 512, "wangge-pii-keys 2\nkey 1 %s %s\n", k64a, k64b);
    snprintf(bad[n++], 512, "wangge-pii-keys 1\n");
    snprintf(bad[n++], 512, "wangge-pii-keys 1\nkey 2 %s %s\n", k64a, k64b);
    snprintf(bad[n++], 512, "wangge-pii-keys 1\nkey 01 %s %s\n", k64a, k64b);
    snprintf(bad[n++], 512, "wangge-pii-keys 1\nkey 1 %.62s %s\n", k64a, k64b);
    snprintf(bad[n++], 512, "wangge-pii-keys 1\nkey 1 %.63sg %s\n", k64a, k64b);
    snprintf(bad[n++], 512, "wangge-pii-keys 1\nkey 1 %s %s\n", zero, k64b);
    snprintf(bad[n++], 512, "wangge-pii-keys 1\nkey 1 %s %s extra\n", k64a, k64b);
    snprintf(bad[n++], 512, "wangge-pii-keys 1\nkey 1 %s %s\nkeys 2\n", k64a, k64b);
    snprintf(bad[n++], 512, "wangge-pii-keys 1\nkey 1 %s %s\n", k64a, k64b); /* NUL below */
    snprintf(bad[n++], 512, "wangge-pii-keys 1\nkey 1 %s %s\nkey 3 %s %s\n", k64a, k64b, k64b,
             k64a);
    snprintf(bad[n++], 512, "wangge-pii-keys 1\nkey 1 %s%s\n", k64a, k64b);
    T_EQ_INT(n, sizeof expect / sizeof expect[0]);

    char dir[128], path[256];
    new_data_dir(dir, sizeof dir, "corrupt");
    T_EQ_INT(wg_pii_keys_create(dir, NULL), WG_OK);
    wg_pii_keys_path(dir, path, sizeof path);
    struct wg_pii_keys *keys = NULL;
    struct wg_err err = {0};
    /* The hand-written file is well formed, CRLF and trailing blanks included. */
    write_file(path, good, strlen(good), 0600);
    T_EQ_INT(wg_pii_keys_load(dir, &keys, &err), WG_OK);
    wg_pii_keys_free(keys);
    char crlf[600];
    snprintf(crlf, sizeof crlf, "wangge-pii-keys 1 \r\nkey 1 %s %s\t\r\n", k64a, k64b);
    write_file(path, crlf, strlen(crlf), 0600);
    T_EQ_INT(wg_pii_keys_load(dir, &keys, &err), WG_OK);
    wg_pii_keys_free(keys);
    for (int i = 0; i < n; i++) {
        size_t len = strlen(bad[i]);
        if (strstr(expect[i].msg, "text file"))
            bad[i][10] = '\0';
        write_file(path, bad[i], len, 0600);
        keys = NULL;
        T_EQ_INT(wg_pii_keys_load(dir, &keys, &err), WG_EINVAL);
        T_CHECK(keys == NULL);
        if (!strstr(err.msg, expect[i].msg) || !strstr(err.msg, path))
            fprintf(stderr, "case %d: %s\n", i, err.msg);
        T_CHECK(strstr(err.msg, expect[i].msg) != NULL);
        T_CHECK(strstr(err.msg, path) != NULL);
    }
}

/* ---- stored values ---- */

static void test_roundtrip(struct wg_pii_keys *keys)
{
    static char big[WG_PII_MAX_PLAIN + 2];
    memset(big, 'a', WG_PII_MAX_PLAIN);
    big[WG_PII_MAX_PLAIN] = '\0';
    const char *plain[] = {
        "13800138000", "", "11010519491231002X", "山东省临沂市兰山区金雀山街道沂州路1号", big,
    };
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        char *a = NULL, *b = NULL, *back = NULL;
        struct wg_err err = {0};
        T_EQ_INT(wg_pii_encrypt(keys, plain[i], "order.reporter_phone", &a, &err), WG_OK);
        T_EQ_INT(wg_pii_encrypt(keys, plain[i], "order.reporter_phone", &b, &err), WG_OK);
        T_CHECK(a && strncmp(a, "v1:", 3) == 0);
        T_CHECK(a && b && strcmp(a, b) != 0); /* a fresh nonce every time */
        T_CHECK(a && !strstr(a, "13800138000") && !strchr(a + 3, '=') && !strchr(a, '+'));
        T_EQ_INT(wg_pii_decrypt(keys, a, "order.reporter_phone", &back, &err), WG_OK);
        T_EQ_STR(back, plain[i]);
        T_CHECK(!wg_pii_needs_rotation(keys, a));
        wg_pii_wipe(back);
        free(a);
        free(b);
    }
    /* every length, so every remainder of three: the value is the libsodium encoding of the
     * bytes it decodes to (URL-safe, no padding) */
    for (size_t n = 0; n < 64; n++) {
        char text[64], *a = NULL, again[256];
        unsigned char raw[256];
        size_t rawlen = 0;
        struct wg_err err = {0};
        memset(text, 'x', n);
        text[n] = '\0';
        T_EQ_INT(wg_pii_encrypt(keys, text, "person.name", &a, &err), WG_OK);
        if (!a)
            continue;
        T_EQ_INT(sodium_base642bin(raw, sizeof raw, a + 3, strlen(a + 3), NULL, &rawlen, NULL,
                                   sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                 0);
        sodium_bin2base64(again, sizeof again, raw, rawlen,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        T_EQ_STR(a + 3, again);
        free(a);
    }
    char *out = (char *)1;
    struct wg_err err = {0};
    big[WG_PII_MAX_PLAIN] = 'a';
    big[WG_PII_MAX_PLAIN + 1] = '\0';
    T_EQ_INT(wg_pii_encrypt(keys, big, "person.address", &out, &err), WG_ETOOBIG);
    T_CHECK(out == NULL && strstr(err.msg, "person.address"));
    T_EQ_INT(wg_pii_encrypt(keys, "x", "", &out, &err), WG_EINVAL);
    T_EQ_INT(wg_pii_encrypt(keys, "x", NULL, &out, &err), WG_EINVAL);
    T_EQ_INT(wg_pii_decrypt(keys, "v1:AAAA", NULL, &out, &err), WG_EINVAL);
    wg_pii_wipe(NULL);
}

static void test_tamper(struct wg_pii_keys *keys)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                   "0123456789-_+/= v:\x80";
    char *stored = NULL, *out = NULL;
    struct wg_err err = {0};
    size_t tried = 0, failed = 0, len;
    T_EQ_INT(wg_pii_encrypt(keys, "13800138000", "order.reporter_phone", &stored, &err), WG_OK);
    if (!stored)
        return;
    len = strlen(stored);
    char copy[256];
    /* Every byte replaced by every other candidate: nothing but the original decrypts. */
    for (size_t i = 0; i < len; i++) {
        for (size_t j = 0; j < sizeof alphabet - 1; j++) {
            if (stored[i] == alphabet[j])
                continue;
            snprintf(copy, sizeof copy, "%s", stored);
            copy[i] = alphabet[j];
            tried++;
            err.msg[0] = '\0';
            out = (char *)1;
            if (wg_pii_decrypt(keys, copy, "order.reporter_phone", &out, &err) == WG_EINVAL &&
                out == NULL && err.msg[0])
                failed++;
            else
                wg_pii_wipe(out);
        }
    }
    T_EQ_INT(failed, tried);
    /* Every truncation, and one byte more. */
    tried = failed = 0;
    for (size_t i = 0; i < len; i++) {
        snprintf(copy, sizeof copy, "%.*s", (int)i, stored);
        tried++;
        if (wg_pii_decrypt(keys, copy, "order.reporter_phone", &out, &err) == WG_EINVAL)
            failed++;
    }
    snprintf(copy, sizeof copy, "%sA", stored);
    tried++;
    if (wg_pii_decrypt(keys, copy, "order.reporter_phone", &out, &err) == WG_EINVAL)
        failed++;
    T_EQ_INT(failed, tried);

    /* Other contexts, and values that are not ours at all. */
    static const struct {
        const char *stored, *context, *msg;
    } cases[] = {
        {NULL, "order.caller_phone", "does not decrypt"},
        {NULL, "order.reporter_phon", "does not decrypt"},
        {"", "c", "holds no encrypted value"},
        {"13800138000", "c", "holds no encrypted value"},
        {"v", "c", "holds no encrypted value"},
        {"v0:AAAA", "c", "holds no encrypted value"},
        {"v1", "c", "holds no encrypted value"},
        {"v12345:AAAA", "c", "holds no encrypted value"},
        {"v2:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "c", "key version 2"},
        {"v999:AAAA", "c", "key version 999"},
        {"v1:", "c", "not a well-formed"},
        {"v1:AAAA", "c", "not a well-formed"},
        {"v1:!!!!", "c", "not a well-formed"},
        {"v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "c", "does not decrypt"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *s = cases[i].stored ? cases[i].stored : stored;
        out = (char *)1;
        T_EQ_INT(wg_pii_decrypt(keys, s, cases[i].context, &out, &err), WG_EINVAL);
        T_CHECK(out == NULL);
        if (!strstr(err.msg, cases[i].msg))
            fprintf(stderr, "decrypt case %zu: %s\n", i, err.msg);
        T_CHECK(strstr(err.msg, cases[i].msg) != NULL);
        T_CHECK(!wg_pii_needs_rotation(keys, s));
    }
    /* Far too long to be a value: refused before decoding. */
    static char huge[3 * WG_PII_MAX_PLAIN];
    memset(huge, 'A', sizeof huge - 1);
    memcpy(huge, "v1:", 3);
    T_EQ_INT(wg_pii_decrypt(keys, huge, "c", &out, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "too long") != NULL);
    free(stored);
}

static void test_rotation(void)
{
    char dir[128], kdir[192], path[256];
    struct wg_pii_keys *k1 = NULL, *k2 = NULL, *k4 = NULL;
    struct wg_err err = {0};
    char *old = NULL, *moved = NULL, *back = NULL, *fresh = NULL;
    char blind1[WG_PII_BLIND_HEX], blind2[WG_PII_BLIND_HEX], blind4[WG_PII_BLIND_HEX];
    new_data_dir(dir, sizeof dir, "rotate");
    snprintf(kdir, sizeof kdir, "%s/keys", dir);
    wg_pii_keys_path(dir, path, sizeof path);
    T_EQ_INT(wg_pii_keys_create(dir, &err), WG_OK);
    T_EQ_INT(wg_pii_keys_load(dir, &k1, &err), WG_OK);
    if (!k1)
        return;
    T_EQ_INT(wg_pii_encrypt(k1, "13800138000", "person.phone", &old, &err), WG_OK);
    T_EQ_INT(wg_pii_blind(k1, WG_PII_PHONE, "13800138000", blind1, &err), WG_OK);
    {
        /* the blind index is the first 128 bits of HMAC-SHA-256 under version 1's blind key
         * of the kind's label, a NUL and the normalised value, whatever state it starts from */
        unsigned char mac[crypto_auth_hmacsha256_BYTES];
        char hex[WG_PII_BLIND_HEX];
        crypto_auth_hmacsha256(mac,
                               (const unsigned char *)"phone\0"
                                                      "13800138000",
                               17, wg_pii_keys_get(k1, 1)->blind);
        sodium_bin2hex(hex, sizeof hex, mac, 16);
        T_EQ_STR(blind1, hex);
        T_EQ_INT(strlen(blind1), 32);
    }

    T_EQ_INT(wg_pii_keys_rotate(dir, &err), WG_OK);
    T_EQ_INT(file_mode(path), 0600);
    T_EQ_INT(wg_pii_keys_load(dir, &k2, &err), WG_OK);
    if (!k2)
        goto out;
    T_EQ_INT(wg_pii_keys_current(k2), 2);
    /* Old values still decrypt under the rotated file, and are known to be old. */
    T_EQ_INT(wg_pii_decrypt(k2, old, "person.phone", &back, &err), WG_OK);
    T_EQ_STR(back, "13800138000");
    wg_pii_wipe(back);
    back = NULL;
    T_CHECK(wg_pii_needs_rotation(k2, old));
    T_CHECK(!wg_pii_needs_rotation(k1, old));
    T_EQ_INT(wg_pii_reencrypt(k2, old, "person.phone", &moved, &err), WG_OK);
    T_CHECK(moved && strncmp(moved, "v2:", 3) == 0);
    T_CHECK(!wg_pii_needs_rotation(k2, moved));
    T_EQ_INT(wg_pii_decrypt(k2, moved, "person.phone", &back, &err), WG_OK);
    T_EQ_STR(back, "13800138000");
    wg_pii_wipe(back);
    back = NULL;
    /* Re-encryption keeps the context binding. */
    T_EQ_INT(wg_pii_reencrypt(k2, old, "person.id", &fresh, &err), WG_EINVAL);
    T_CHECK(fresh == NULL);
    /* A process still holding only version 1 cannot read version 2, and says why. */
    T_EQ_INT(wg_pii_decrypt(k1, moved, "person.phone", &back, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "key version 2") != NULL);
    /* New values go under the current version. */
    T_EQ_INT(wg_pii_encrypt(k2, "x", "person.phone", &fresh, &err), WG_OK);
    T_CHECK(fresh && strncmp(fresh, "v2:", 3) == 0);
    /* The blind index does not move with rotation, so earlier rows are still found. */
    T_EQ_INT(wg_pii_blind(k2, WG_PII_PHONE, "+86 138 0013 8000", blind2, &err), WG_OK);
    T_EQ_STR(blind2, blind1);

    T_EQ_INT(wg_pii_keys_rotate(dir, &err), WG_OK);
    T_EQ_INT(wg_pii_keys_rotate(dir, &err), WG_OK);
    T_EQ_INT(wg_pii_keys_load(dir, &k4, &err), WG_OK);
    if (k4) {
        T_EQ_INT(wg_pii_keys_current(k4), 4);
        T_CHECK(wg_pii_needs_rotation(k4, old) && wg_pii_needs_rotation(k4, moved));
        T_EQ_INT(wg_pii_decrypt(k4, old, "person.phone", &back, &err), WG_OK);
        T_EQ_STR(back, "13800138000");
        wg_pii_wipe(back);
        T_EQ_INT(wg_pii_blind(k4, WG_PII_PHONE, "13800138000", blind4, &err), WG_OK);
        T_EQ_STR(blind4, blind1);
    }
    /* Nothing but the key file is left behind in the directory. */
    T_EQ_INT(other_files(kdir), 0);
out:
    free(old);
    free(moved);
    free(fresh);
    wg_pii_keys_free(k1);
    wg_pii_keys_free(k2);
    wg_pii_keys_free(k4);
}

/* ---- normalisation and blind index ---- */

static void test_normalize(void)
{
    static const struct {
        enum wg_pii_kind kind;
        const char *in, *out;
    } cases[] = {
        {WG_PII_PHONE, "+86 138 0013 8000", "13800138000"},
        {WG_PII_PHONE, "+8613800138000", "13800138000"},
        {WG_PII_PHONE, "8613800138000", "13800138000"},
        {WG_PII_PHONE, "0086-138-0013-8000", "13800138000"},
        {WG_PII_PHONE, "(138) 0013-8000", "13800138000"},
        {WG_PII_PHONE, "13800138000", "13800138000"},
        {WG_PII_PHONE, "86123456", "86123456"},           /* a local line, not a prefix */
        {WG_PII_PHONE, "8612345678901", "8612345678901"}, /* 86 not before a mobile number */
        {WG_PII_PHONE, "+86 531 8888 8888", "053188888888"},
        {WG_PII_PHONE, "+86 (0531) 88888888", "053188888888"},
        {WG_PII_PHONE, "0086 10 6552 9988", "01065529988"},
        {WG_PII_PHONE, "0531-88888888", "053188888888"},
        {WG_PII_PHONE, "+1 650 555 0100", "16505550100"},
        {WG_PII_PHONE, "+86", ""},
        {WG_PII_PHONE, "tel", ""},
        {WG_PII_ID, " 11010519491231002x\n", "11010519491231002X"},
        {WG_PII_ID, "11010519491231002X", "11010519491231002X"},
        {WG_PII_TEXT, "  张三 ", "张三"},
        {WG_PII_TEXT, "", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[64];
        struct wg_err err = {0};
        T_EQ_INT(wg_pii_normalize(cases[i].kind, cases[i].in, out, sizeof out, &err), WG_OK);
        T_EQ_STR(out, cases[i].out);
        /* strlen + 1 bytes always suffice, as the header promises. */
        size_t need = strlen(cases[i].in) + 1;
        T_EQ_INT(wg_pii_normalize(cases[i].kind, cases[i].in, out, need, &err), WG_OK);
        T_EQ_STR(out, cases[i].out);
    }
    char small[8];
    struct wg_err err = {0};
    T_EQ_INT(wg_pii_normalize(WG_PII_PHONE, "13800138000", small, sizeof small, &err), WG_ETOOBIG);
    T_EQ_INT(wg_pii_normalize(WG_PII_TEXT, "123456789", small, sizeof small, &err), WG_ETOOBIG);
}

static void test_blind(struct wg_pii_keys *keys)
{
    static const struct {
        enum wg_pii_kind ka;
        const char *a;
        enum wg_pii_kind kb;
        const char *b;
        bool same;
    } cases[] = {
        {WG_PII_PHONE, "+86 138 0013 8000", WG_PII_PHONE, "13800138000", true},
        {WG_PII_PHONE, "8613800138000", WG_PII_PHONE, "138-0013-8000", true},
        {WG_PII_PHONE, "0086 13800138000", WG_PII_PHONE, "13800138000", true},
        {WG_PII_PHONE, "+86 531 8888 8888", WG_PII_PHONE, "0531-88888888", true},
        {WG_PII_PHONE, "13800138000", WG_PII_PHONE, "13800138001", false},
        {WG_PII_ID, "11010519491231002x", WG_PII_ID, " 11010519491231002X ", true},
        {WG_PII_ID, "110105194912310021", WG_PII_PHONE, "110105194912310021", false},
        {WG_PII_PHONE, "13800138000", WG_PII_TEXT, "13800138000", false},
        {WG_PII_TEXT, "张三", WG_PII_TEXT, " 张三", true},
        {WG_PII_TEXT, "张三", WG_PII_TEXT, "张 三", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char a[WG_PII_BLIND_HEX], b[WG_PII_BLIND_HEX];
        struct wg_err err = {0};
        T_EQ_INT(wg_pii_blind(keys, cases[i].ka, cases[i].a, a, &err), WG_OK);
        T_EQ_INT(wg_pii_blind(keys, cases[i].kb, cases[i].b, b, &err), WG_OK);
        T_EQ_INT(strlen(a), 32);
        T_EQ_INT(strspn(a, "0123456789abcdef"), 32);
        T_EQ_INT(strcmp(a, b) == 0, cases[i].same);
    }
    char out[WG_PII_BLIND_HEX], other[WG_PII_BLIND_HEX];
    struct wg_err err = {0};
    T_EQ_INT(wg_pii_blind(keys, WG_PII_PHONE, " - ", out, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "empty") != NULL);
    T_EQ_INT(wg_pii_blind(keys, WG_PII_TEXT, "", out, &err), WG_EINVAL);
    T_EQ_INT(wg_pii_blind(keys, (enum wg_pii_kind)42, "x", out, &err), WG_EINVAL);
    /* Keyed: another key file gives another index for the same phone. */
    char dir[128];
    struct wg_pii_keys *k2 = NULL;
    new_data_dir(dir, sizeof dir, "blind");
    T_EQ_INT(wg_pii_keys_create(dir, &err), WG_OK);
    T_EQ_INT(wg_pii_keys_load(dir, &k2, &err), WG_OK);
    if (k2) {
        T_EQ_INT(wg_pii_blind(keys, WG_PII_PHONE, "13800138000", out, &err), WG_OK);
        T_EQ_INT(wg_pii_blind(k2, WG_PII_PHONE, "13800138000", other, &err), WG_OK);
        T_CHECK(strcmp(out, other) != 0);
    }
    wg_pii_keys_free(k2);
}

/* ---- validation ---- */

static void test_check_phone(void)
{
    static const struct {
        const char *in;
        const char *msg; /* NULL: valid */
    } cases[] = {
        {"13800138000", NULL},
        {"19912345678", NULL},
        {"+86 138 0013 8000", NULL},
        {"8613800138000", NULL},
        {"0086 138-0013-8000", NULL},
        {" 138 0013 8000 ", NULL},
        {"0531-88888888", NULL},
        {"(0531) 8888888", NULL},
        {"010-12345678", NULL},
        {"020 8888 8888", NULL},
        {"010-1234567",
         "3-digit area code (010, 02x) has 8 more digits, 11 in all; this one has 10"},
        {"+86 10 6552 9988", NULL},
        {"88888888", NULL},
        {"2345678", NULL},
        {"", "empty"},
        {"   ", "empty"},
        {"1380013800", "has 11 digits; this one has 10"},
        {"138001380001", "has 11 digits; this one has 12"},
        {"12800138000", "second digit must be 3 to 9"},
        {"10800138000", "second digit must be 3 to 9"},
        {"1380013800a", "holds 'a' (character 11)"},
        {"138.0013.8000", "holds '.'"},
        {"138 0013 8000 转 12", "other than digits"},
        {"138+00138000", "'+' may only open"},
        {"+1 650 555 0100", "start with +86"},
        {"0044 20 7946 0958", "00 opens an international number"},
        {"0531-888888",
         "4-digit area code has 7 or 8 more digits, 11 or 12 in all; this one has 10"},
        {"0531-888888888", "this one has 13"},
        {"0", "only an area-code 0"},
        {"123456", "a mobile number has 11 digits; this one has 6"},
        {"234567", "7 or 8 digits; this one has 6"},
        {"888888888", "7 or 8 digits; this one has 9"},
        {"1380013800012345", "this one has 16"},
        {"5380013800012345", "this one has 16"},
        {"+86", "no digits"},
        {"--", "no digits"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct wg_err err = {0};
        enum wg_rc rc = wg_pii_check_phone(cases[i].in, &err);
        T_EQ_INT(rc, cases[i].msg ? WG_EINVAL : WG_OK);
        if (cases[i].msg && !strstr(err.msg, cases[i].msg))
            fprintf(stderr, "phone case %zu '%s': %s\n", i, cases[i].in, err.msg);
        if (cases[i].msg)
            T_CHECK(strstr(err.msg, cases[i].msg) != NULL);
    }
    /* The message never repeats the number (it may be logged). */
    struct wg_err err = {0};
    wg_pii_check_phone("1380013800", &err);
    T_CHECK(strstr(err.msg, "1380013800") == NULL);
}

static void test_check_id(void)
{
    static const struct {
        const char *in;
        const char *msg; /* NULL: valid */
    } cases[] = {
        {"11010519491231002X", NULL},
        {"11010519491231002x", NULL},
        {" 11010519491231002X\n", NULL},
        {"370302200002290013", NULL}, /* 29 February 2000 */
        {"440524193001010010", NULL},
        {"650102198511110021", NULL},
        {"11010519491231102X", "check character"}, /* one digit changed */
        {"110105194912310021", "check character"}, /* check character changed */
        {"11010519491231002Y", "character 18 of the ID number is not a digit"},
        {"1101051949123100X2", "character 17 of the ID number is X"},
        {"11010519491231002", "18 characters; this one has 17"},
        {"1101051949123100211", "has 19"},
        {"110105491231002", "15-digit"},
        {"", "empty"},
        {"370302190002290017", "not a real date"}, /* 1900 was not a leap year */
        {"370302199002300012", "not a real date"},
        {"370302199013010012", "not a real date"},
        {"440524188001010014", "not a real date"}, /* before 1900 */
        {"001234199001011234", "province code"},
        {"991234199001011234", "province code"},
        {"11010519491231００2X", "not a digit"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct wg_err err = {0};
        enum wg_rc rc = wg_pii_check_id(cases[i].in, &err);
        T_EQ_INT(rc, cases[i].msg ? WG_EINVAL : WG_OK);
        if (cases[i].msg && !strstr(err.msg, cases[i].msg))
            fprintf(stderr, "id case %zu '%s': %s\n", i, cases[i].in, err.msg);
        if (cases[i].msg)
            T_CHECK(strstr(err.msg, cases[i].msg) != NULL);
    }
    /* Every single-digit change of a valid number is caught by the checksum (or the date). */
    char id[] = "11010519491231002X";
    int caught = 0, tried = 0;
    for (int pos = 0; pos < 17; pos++) {
        char keep = id[pos];
        for (char d = '0'; d <= '9'; d++) {
            if (d == keep)
                continue;
            id[pos] = d;
            tried++;
            if (wg_pii_check_id(id, NULL) == WG_EINVAL)
                caught++;
        }
        id[pos] = keep;
    }
    T_EQ_INT(caught, tried);
}

/* ---- masks ---- */

typedef size_t (*mask_fn)(const char *, char *, size_t);

static void test_masks(void)
{
    static const struct {
        mask_fn fn;
        const char *in, *out;
    } cases[] = {
        {wg_pii_mask_id, "370302199001011234", "370302********1234"},
        {wg_pii_mask_id, "11010519491231002X", "110105********002X"},
        {wg_pii_mask_id, " 11010519491231002x ", "110105********002x"},
        {wg_pii_mask_id, "370302900101123", "370302*****1123"},
        {wg_pii_mask_id, "E12345678", "*******78"},
        {wg_pii_mask_id, "12", "**"},
        {wg_pii_mask_id, "1", "*"},
        {wg_pii_mask_id, "", ""},
        {wg_pii_mask_id, "护照E1234567", "********67"},
        {wg_pii_mask_id, "37\xE4\xB8", "****"},
        {wg_pii_mask_phone, "13812341234", "138****1234"},
        {wg_pii_mask_phone, "+86 138 1234 1234", "138****1234"},
        {wg_pii_mask_phone, "8613812341234", "138****1234"},
        {wg_pii_mask_phone, "0531-88888888", "053*****8888"},
        {wg_pii_mask_phone, "+86 531 8888 8888", "053*****8888"},
        {wg_pii_mask_phone, "010-1234567", "010***4567"},
        {wg_pii_mask_phone, "020 8888 7777", "020****7777"},
        {wg_pii_mask_phone, "88888888", "******88"},
        {wg_pii_mask_phone, "123", "*23"},
        {wg_pii_mask_phone, "12", "**"},
        {wg_pii_mask_phone, "", ""},
        {wg_pii_mask_phone, "无", ""},
        {wg_pii_mask_name, "张三", "张*"},
        {wg_pii_mask_name, "张三丰", "张*"},
        {wg_pii_mask_name, "欧阳娜娜", "欧阳*"},
        {wg_pii_mask_name, "司马光", "司马*"},
        {wg_pii_mask_name, "诸葛亮", "诸葛*"},
        {wg_pii_mask_name, "上官婉儿", "上官*"},
        {wg_pii_mask_name, "欧阳", "欧*"}, /* too short to be surname and given name */
        {wg_pii_mask_name, "张", "张*"},
        {wg_pii_mask_name, " 李四 ", "李*"},
        {wg_pii_mask_name, "", ""},
        {wg_pii_mask_name, "John Smith", "J*"},
        {wg_pii_mask_name, "买买提·艾力", "买*"},
        {wg_pii_mask_name, "𠀀明", "𠀀*"},
        {wg_pii_mask_name, "\xFF\xFE", "**"},
        {wg_pii_mask_name, "\xE5\xBC", "**"}, /* a cut character is not echoed */
        {wg_pii_mask_address, "山东省临沂市兰山区金雀山街道沂州路1号", "山东省临沂市****"},
        {wg_pii_mask_address, "金雀山路12号", "金雀山****"},
        {wg_pii_mask_address, "兰山区", "兰****"},
        {wg_pii_mask_address, "A", "****"},
        {wg_pii_mask_address, "", ""},
        {wg_pii_mask_address, "  12 Main Street  ", "12 Mai****"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[128];
        size_t need = cases[i].fn(cases[i].in, out, sizeof out);
        T_EQ_STR(out, cases[i].out);
        T_EQ_INT(need, strlen(cases[i].out));
        T_CHECK(valid_utf8(out));
        /* Every smaller buffer: same answer, a prefix that ends between characters. */
        for (size_t size = 0; size <= need + 1; size++) {
            char small[128];
            memset(small, '#', sizeof small);
            size_t got = cases[i].fn(cases[i].in, size ? small : NULL, size);
            T_EQ_INT(got, need);
            if (size == 0)
                continue;
            size_t len = strlen(small);
            T_CHECK(len < size);
            T_CHECK(strncmp(small, cases[i].out, len) == 0);
            T_CHECK(valid_utf8(small));
            T_CHECK(size <= need || len == need);
            T_CHECK(size > need || len + 4 >= size); /* stops only at a whole character */
        }
    }
    /* Nothing sensitive leaks through a mask of a real record. */
    char out[64];
    wg_pii_mask_phone("13800138000", out, sizeof out);
    T_CHECK(strstr(out, "0013") == NULL);
    wg_pii_mask_id("11010519491231002X", out, sizeof out);
    T_CHECK(strstr(out, "1949") == NULL);
}

int main(void)
{
    struct wg_pii_keys *keys = NULL;
    struct wg_err err = {0};
    char dir[128];
    snprintf(root, sizeof root, "/tmp/wg-pii-XXXXXX");
    if (!mkdtemp(root)) {
        perror("mkdtemp");
        return 1;
    }
    test_create_load();
    test_modes();
    test_corrupt();
    new_data_dir(dir, sizeof dir, "main");
    T_EQ_INT(wg_pii_keys_create(dir, &err), WG_OK);
    T_EQ_INT(wg_pii_keys_load(dir, &keys, &err), WG_OK);
    if (keys) {
        test_roundtrip(keys);
        test_tamper(keys);
        test_blind(keys);
    }
    wg_pii_keys_free(keys);
    test_rotation();
    test_normalize();
    test_check_phone();
    test_check_id();
    test_masks();
    nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    return T_DONE("pii");
}
