/* CSV reading and whole-file reading. */
#include "core/csv.h"
#include "core/alloc.h"

#include <errno.h>
#include <sys/stat.h>

enum wg_rc wg_file_read(const char *path, size_t max, char **out, size_t *len, struct wg_err *err)
{
    FILE *f = fopen(path, "rb");
    struct stat sb;
    char *buf;
    size_t n;
    if (!f)
        return wg_err_set(err, errno == ENOENT ? WG_ENOTFOUND : WG_EIO, "cannot read '%s': %s",
                          path, strerror(errno));
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        fclose(f);
        return wg_err_set(err, WG_EINVAL, "'%s' is not a regular file", path);
    }
    if ((size_t)sb.st_size > max) {
        fclose(f);
        return wg_err_set(err, WG_ETOOBIG, "'%s' is %lld bytes, more than the limit of %zu", path,
                          (long long)sb.st_size, max);
    }
    buf = wg_malloc((size_t)sb.st_size + 1);
    n = fread(buf, 1, (size_t)sb.st_size, f);
    if (ferror(f)) {
        free(buf);
        fclose(f);
        return wg_err_set(err, WG_EIO, "cannot read '%s': %s", path, strerror(errno));
    }
    fclose(f);
    buf[n] = '\0';
    *out = buf;
    if (len)
        *len = n;
    return WG_OK;
}

enum wg_rc wg_csv_parse(const char *data, size_t len,
                        enum wg_rc (*cb)(const struct wg_csv_record *, void *, struct wg_err *),
                        void *ctx, struct wg_err *err)
{
    /* Fields are unquoted into a scratch copy of one record at a time. */
    size_t cap = 4096, line = 1, i = 0;
    char *scratch = wg_malloc(cap);
    enum wg_rc rc = WG_OK;
    if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
        (unsigned char)data[2] == 0xBF)
        i = 3;
    while (i < len) {
        struct wg_csv_record rec = {.line = line};
        size_t o = 0, start_line = line;
        int done = 0;
        /* a record can be at most as long as the rest of the input */
        if (len - i + WG_CSV_MAX_FIELDS + 1 > cap) {
            cap = len - i + WG_CSV_MAX_FIELDS + 1;
            scratch = wg_realloc(scratch, cap);
        }
        while (!done) {
            if (rec.nfields == WG_CSV_MAX_FIELDS) {
                rc = wg_err_set(err, WG_EINVAL, "line %zu: more than %d fields", start_line,
                                WG_CSV_MAX_FIELDS);
                goto out;
            }
            rec.fields[rec.nfields++] = scratch + o;
            if (i < len && data[i] == '"') {
                i++;
                for (;;) {
                    if (i >= len) {
                        rc = wg_err_set(err, WG_EINVAL, "line %zu: a quoted field is not closed",
                                        start_line);
                        goto out;
                    }
                    if (data[i] == '"') {
                        if (i + 1 < len && data[i + 1] == '"') {
                            scratch[o++] = '"';
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    if (data[i] == '\n')
                        line++;
                    scratch[o++] = data[i++];
                }
                if (i < len && data[i] != ',' && data[i] != '\n' && data[i] != '\r') {
                    rc = wg_err_set(err, WG_EINVAL,
                                    "line %zu: unexpected text after a closing quote", line);
                    goto out;
                }
            } else {
                while (i < len && data[i] != ',' && data[i] != '\n' && data[i] != '\r') {
                    if (data[i] == '"') {
                        rc = wg_err_set(err, WG_EINVAL,
                                        "line %zu: a quote inside an unquoted field", line);
                        goto out;
                    }
                    scratch[o++] = data[i++];
                }
            }
            scratch[o++] = '\0';
            if (i < len && data[i] == ',') {
                i++;
                continue;
            }
            if (i < len && data[i] == '\r')
                i++;
            if (i < len && data[i] == '\n')
                i++;
            line++;
            done = 1;
        }
        if (rec.nfields == 1 && rec.fields[0][0] == '\0')
            continue; /* blank line */
        if ((rc = cb(&rec, ctx, err)))
            break;
    }
out:
    free(scratch);
    return rc;
}
