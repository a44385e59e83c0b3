/* The one reader of tables people send: CSV (RFC 4180, through libcsv) and XLSX (the first
 * sheet of an Office Open XML workbook, through libzip and expat). The only includer of
 * csv.h, zip.h and expat.h. Each row is handed to a callback with its row number as a
 * spreadsheet shows it (the header is row 1), so every error can name the row.
 *
 * Text comes out as UTF-8: a CSV's BOM is skipped; a CSV that is not UTF-8 but is GB18030
 * text (what Excel saves as "CSV" on a Chinese system) is converted; anything else is
 * refused naming the line of its first bad byte. Every size a sender controls has a cap
 * (struct wg_table_limits): the file, rows, columns, one cell, and for XLSX each part's
 * inflated size and its compression ratio, checked as it inflates, so a zip bomb is refused
 * after at most the cap, never inflated whole. */
#ifndef WG_CORE_TABLE_H
#define WG_CORE_TABLE_H

#include <stddef.h>

#include "core/err.h"

enum wg_table_format { WG_TABLE_CSV, WG_TABLE_XLSX };

struct wg_table_limits {
    size_t max_bytes;   /* the file as sent */
    size_t max_rows;    /* the header included */
    size_t max_cols;    /* cells of one row */
    size_t max_cell;    /* bytes of one cell */
    size_t max_entry;   /* XLSX: bytes one part of the zip may inflate to */
    unsigned max_ratio; /* XLSX: inflated / compressed, for parts over 1 MiB inflated */
};
/* 16 MiB, 200,000 rows, 64 columns, 4 KiB cells, 128 MiB parts, ratio 200. */
extern const struct wg_table_limits wg_table_limits_default;

struct wg_table_row {
    size_t row;              /* 1-based, as a spreadsheet numbers it */
    size_t ncells;           /* the row's last non-empty cell's column and those before it */
    const char *const *cell; /* NUL-terminated UTF-8, "" when empty; valid during the callback */
    const unsigned char *number; /* XLSX: 1 where the cell held a number (a date is one) */
};

typedef enum wg_rc (*wg_table_cb)(const struct wg_table_row *row, void *ctx, struct wg_err *err);

/* XLSX when data starts as a zip does, else CSV. */
enum wg_table_format wg_table_sniff(const char *data, size_t len);

/* Reads the table in data (len bytes) row by row into cb, which returns WG_OK to go on; any
 * other code stops the read and is returned. A file over a limit is WG_ETOOBIG, a malformed
 * one WG_EINVAL, each naming what and where. lim NULL: the defaults. */
enum wg_rc wg_table_read(const char *data, size_t len, enum wg_table_format fmt,
                         const struct wg_table_limits *lim, wg_table_cb cb, void *ctx,
                         struct wg_err *err);

/* An Excel date serial (1900 system, its phantom 1900-02-29 kept) as "YYYY-MM-DD"; the
 * fraction (time of day) dropped. Returns 0, or -1 when the serial is not a date from
 * 1900-01-01 to 9999-12-31. */
int wg_table_serial_date(double serial, char out[11]);

/* Used by table.c and table_xlsx.c alone. */
enum wg_rc wg_table_read_xlsx(const char *data, size_t len, const struct wg_table_limits *lim,
                              wg_table_cb cb, void *ctx, struct wg_err *err);

#endif
