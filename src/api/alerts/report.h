/* A special report (专报, pdf/report.h) answered as a file: a task's or a warning's, as a PDF
 * or an XLSX workbook. */
#ifndef WG_API_ALERTS_REPORT_H
#define WG_API_ALERTS_REPORT_H

#include "api/app.h"
#include "pdf/report.h"

/* Renders r (built with rc: its error is answered instead) as a PDF, or a workbook when xlsx,
 * releases it, audits the download as "<what>.report_pdf" or "<what>.report_xlsx" on object
 * <what> id, refused ones too and before the file leaves, and answers it as
 * "<what>-<id>.pdf" or ".xlsx". */
enum wg_rc wg_api_report_reply(struct wg_req *req, struct wg_db *db, struct wg_report *r,
                               enum wg_rc rc, int xlsx, const char *what, long long id,
                               struct wg_err *err);

#endif
