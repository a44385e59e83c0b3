/* The ustar archive format (POSIX.1-1988, as GNU tar, bsdtar and Python's tarfile read it),
 * as far as wangge's backups need it: a 512-byte header block per member, the member's bytes
 * padded to whole blocks, two zero blocks at the end. Members are regular files and
 * directories; a size past ustar's 8 GiB is written in GNU's base-256 form. Only the blocks:
 * reading and writing files is the caller's. */
#ifndef WG_CORE_TAR_H
#define WG_CORE_TAR_H

#include <stdint.h>

#include "core/err.h"

#define WG_TAR_BLOCK    512
#define WG_TAR_NAME_MAX 100 /* a name the writer puts in the name field alone */

struct wg_tar_member {
    char name[257]; /* ustar's prefix "/" name, up to 255 bytes */
    uint64_t size;
    unsigned mode;
    long long mtime;
    char type; /* '0' a regular file, '5' a directory, else what the header says */
};

/* The header block of m (a name of at most WG_TAR_NAME_MAX bytes: asserted). */
void wg_tar_header(const struct wg_tar_member *m, unsigned char block[WG_TAR_BLOCK]);
/* Reads a header block into *m. *end is 1 for a block of zeros (the archive's end) and m is
 * then untouched. A block whose checksum, magic, size or name is not sound is WG_EINVAL
 * saying which. */
enum wg_rc wg_tar_parse(const unsigned char block[WG_TAR_BLOCK], struct wg_tar_member *m, int *end,
                        struct wg_err *err);
/* The zero bytes after a member of size bytes, to the end of its last block. */
uint64_t wg_tar_padding(uint64_t size);

#endif
