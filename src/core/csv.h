/* A small RFC 4180 CSV reader: comma separated, fields optionally in double quotes with ""
 * for a quote, CRLF or LF line ends, a UTF-8 BOM skipped. Reads a whole buffer; each record
 * is handed to a callback with its 1-based line number, so errors can name the line. */
#ifndef WG_CORE_CSV_H
#define WG_CORE_CSV_H

#include <stddef.h>

#include "core/err.h"

#define WG_CSV_MAX_FIELDS 32

struct wg_csv_record {
    size_t line;
    int nfields;
    const char *fields[WG_CSV_MAX_FIELDS]; /* NUL-terminated, valid during the callback */
};

/* Parses data (len bytes). cb returns WG_OK to go on; any other code stops the parse and is
 * returned. Malformed input (a quote left open, text after a closing quote, too many
 * fields) is WG_EINVAL naming the line. */
enum wg_rc wg_csv_parse(const char *data, size_t len,
                        enum wg_rc (*cb)(const struct wg_csv_record *, void *, struct wg_err *),
                        void *ctx, struct wg_err *err);

/* Reads a whole file into a malloc'd NUL-terminated buffer (owned by the caller). */
enum wg_rc wg_file_read(const char *path, size_t max, char **out, size_t *len, struct wg_err *err);

#endif
