/* A special report (report.h) as an XLSX workbook: one sheet 专报 holding the report's head
 * and blocks in order, tables with a bold head row and numbers written as numbers. sheet.c is
 * the only includer of libxlsxwriter; 1.1.4 writes only to a file, so the workbook is written
 * to a temporary file and read back. */
#ifndef WG_PDF_SHEET_H
#define WG_PDF_SHEET_H

#include <stddef.h>

#include "core/err.h"
#include "pdf/report.h"

#define WG_SHEET_BYTES_MAX (64 * 1024 * 1024)

/* *xlsx owned, *len bytes. WG_EIO when the temporary file cannot be made or read,
 * WG_EINTERNAL for the library's own failures, WG_ETOOBIG past the cap. */
enum wg_rc wg_sheet_report(const struct wg_report *r, char **xlsx, size_t *len, struct wg_err *err);

#endif
