/* The ustar blocks of backups (core/tar.h) and the names a backup may hold (cli/backup.h):
 * headers read back as written, sizes past 8 GiB in base-256, damaged headers refused, and
 * no name that could leave the data directory. */
#include "t.h"

#include <stdint.h>

#include "cli/backup.h"
#include "core/tar.h"

static void test_round_trip(void)
{
    static const struct {
        const char *name;
        uint64_t size;
    } cases[] = {
        {"BACKUP", 0},
        {"wangge.db", 1},
        {"keys/pii.key", 511},
        {"calendar/holidays.json", 512},
        {"photos/ab/abababababababababababababababababababababababababababababababab", 10u << 20},
        {"wangge.db", (1ULL << 33) - 1}, /* the largest octal size */
        {"wangge.db", 1ULL << 33},       /* base-256 from here */
        {"wangge.db", 123456789012345ULL},
        {"a-name-of-exactly-one-hundred-bytes-"
         "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
         7},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct wg_tar_member m = {.mode = 0600, .mtime = 1796000000, .type = '0'}, back;
        unsigned char block[WG_TAR_BLOCK];
        struct wg_err err = {0};
        int end = 1;
        snprintf(m.name, sizeof m.name, "%s", cases[i].name);
        m.size = cases[i].size;
        wg_tar_header(&m, block);
        T_EQ_INT(wg_tar_parse(block, &back, &end, &err), WG_OK);
        T_EQ_INT(end, 0);
        T_EQ_STR(back.name, cases[i].name);
        T_CHECK(back.size == cases[i].size);
        T_EQ_INT(back.mode, 0600);
        T_EQ_INT(back.mtime, 1796000000);
        T_EQ_INT(back.type, '0');
        T_EQ_INT((back.size + wg_tar_padding(back.size)) % WG_TAR_BLOCK, 0);
    }
    T_EQ_INT(wg_tar_padding(0), 0);
    T_EQ_INT(wg_tar_padding(1), 511);
    T_EQ_INT(wg_tar_padding(512), 0);
}

static void test_damaged_headers(void)
{
    struct wg_tar_member m = {.name = "wangge.db", .size = 4096, .mode = 0600, .type = '0'};
    struct wg_tar_member back;
    unsigned char good[WG_TAR_BLOCK], block[WG_TAR_BLOCK];
    struct wg_err err = {0};
    int end = 0;
    static const struct {
        int at;
        unsigned char byte;
        const char *says;
    } cases[] = {
        {0, 'W', "checksum"},      /* the name changed, the checksum not */
        {124, '9', "checksum"},    /* the size */
        {257, 'X', "not a ustar"}, /* the magic */
        {148, 'z', "checksum"},    /* the checksum itself */
    };
    wg_tar_header(&m, good);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        memcpy(block, good, sizeof block);
        block[cases[i].at] = cases[i].byte;
        T_EQ_INT(wg_tar_parse(block, &back, &end, &err), WG_EINVAL);
        T_CHECK(strstr(err.msg, cases[i].says) != NULL);
    }
    /* a malformed number under a matching checksum */
    memcpy(block, good, sizeof block);
    block[124] = 'x';
    memset(block + 148, ' ', 8);
    unsigned sum = 0;
    for (int i = 0; i < WG_TAR_BLOCK; i++)
        sum += block[i];
    snprintf((char *)block + 148, 8, "%06o", sum);
    T_EQ_INT(wg_tar_parse(block, &back, &end, &err), WG_EINVAL);
    T_CHECK(strstr(err.msg, "malformed number") != NULL);
    /* a block of zeros ends the archive */
    memset(block, 0, sizeof block);
    T_EQ_INT(wg_tar_parse(block, &back, &end, &err), WG_OK);
    T_EQ_INT(end, 1);
}

static void test_prefix(void)
{
    struct wg_tar_member m = {.name = "x", .size = 3, .mode = 0644, .type = '0'}, back;
    unsigned char block[WG_TAR_BLOCK];
    struct wg_err err = {0};
    int end = 0;
    wg_tar_header(&m, block);
    memcpy(block + 345, "photos", 6); /* ustar's prefix field, as other writers use it */
    memset(block + 148, ' ', 8);
    unsigned sum = 0;
    for (int i = 0; i < WG_TAR_BLOCK; i++)
        sum += block[i];
    snprintf((char *)block + 148, 8, "%06o", sum);
    T_EQ_INT(wg_tar_parse(block, &back, &end, &err), WG_OK);
    T_EQ_STR(back.name, "photos/x");
}

static void test_backup_names(void)
{
    static const struct {
        const char *name;
        int ok, dir;
    } cases[] = {
        {"BACKUP", 1, 0},
        {"SHA256SUMS", 1, 0},
        {"wangge.db", 1, 0},
        {"keys/pii.key", 1, 0},
        {"calendar/holidays.json", 1, 0},
        {"calendar/2026_v2.json", 1, 0},
        {"photos/0a/0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9", 1, 0},
        {"keys", 0, 1},
        {"keys/", 0, 1},
        {"photos/0a/", 0, 1},
        {"calendar", 0, 1},
        /* never out of the directory, nor anything else */
        {"../wangge.db", 0, 0},
        {"/etc/passwd", 0, 0},
        {"keys/../../x", 0, 0},
        {"calendar/../keys/pii.key", 0, 0},
        {"calendar/.json", 0, 0},
        {"calendar/.hidden.json", 0, 0},
        {"calendar/holidays.txt", 0, 0},
        {"calendar/sub/x.json", 0, 0},
        {"wangge.db-search", 0, 0},
        {"wangge.db-wal", 0, 0},
        {"keys/pii.key.new", 0, 0},
        {"photos/0b/0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9", 0, 0},
        {"photos/0a/0A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F9", 0, 0},
        {"photos/0a/0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9.1.tmp", 0, 0},
        {"photos/../..", 0, 0},
        {"photos/0g", 0, 0},
        {"", 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        if (wg_backup_name_ok(cases[i].name) != cases[i].ok ||
            wg_backup_dir_ok(cases[i].name) != cases[i].dir)
            fprintf(stderr, "name '%s'\n", cases[i].name);
        T_EQ_INT(wg_backup_name_ok(cases[i].name), cases[i].ok);
        T_EQ_INT(wg_backup_dir_ok(cases[i].name), cases[i].dir);
    }
}

int main(void)
{
    test_round_trip();
    test_damaged_headers();
    test_prefix();
    test_backup_names();
    return T_DONE("tar");
}
