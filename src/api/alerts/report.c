/* Special reports answered as files (report.h): rendered, audited, then sent. */
#include "api/alerts/report.h"

#include <stdlib.h>

#include "pdf/sheet.h"

enum wg_rc wg_api_report_reply(struct wg_req *req, struct wg_db *db, struct wg_report *r,
                               enum wg_rc rc, int xlsx, const char *what, long long id,
                               struct wg_err *err)
{
    char *bytes = NULL;
    size_t len = 0;
    if (!rc)
        rc = xlsx ? wg_sheet_report(r, &bytes, &len, err) : wg_report_pdf(r, &bytes, &len, err);
    wg_report_release(r);
    /* on the record before the file leaves */
    rc = wg_api_audit(req, db, NULL,
                      wg_arena_printf(req->arena, "%s.report_%s", what, xlsx ? "xlsx" : "pdf"),
                      what, wg_arena_printf(req->arena, "%lld", id), NULL, rc, err);
    if (rc) {
        free(bytes);
        return rc;
    }
    req->extra_header_name = "Content-Disposition";
    req->extra_header_value = wg_arena_printf(req->arena, "attachment; filename=\"%s-%lld.%s\"",
                                              what, id, xlsx ? "xlsx" : "pdf");
    return wg_reply_owned(req, 200,
                          xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                               : "application/pdf",
                          bytes, len);
}
