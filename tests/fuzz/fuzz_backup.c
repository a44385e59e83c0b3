/* Fuzz target: a backup file as `wangge restore` reads it — ustar headers, members' bytes,
 * and the names a backup may hold. */
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli/backup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct wg_archive a;
    struct wg_err err = {0};
    int fd = memfd_create("backup", 0);
    if (fd < 0 || write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET) != 0) {
        if (fd >= 0)
            close(fd);
        return 0;
    }
    wg_archive_init(&a, fd, "fuzz.tar");
    for (int n = 0; n < 64; n++) {
        struct wg_tar_member m;
        char *text = NULL, hex[65];
        int end = 0;
        if (wg_archive_next(&a, &m, &end, &err) || end)
            break;
        (void)wg_backup_name_ok(m.name);
        (void)wg_backup_dir_ok(m.name);
        if (wg_archive_body(&a, &m, -1, &text, 1 << 16, hex, &err))
            break;
        free(text);
    }
    wg_archive_release(&a);
    close(fd);
    return 0;
}
