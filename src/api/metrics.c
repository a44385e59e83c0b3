/* GET /metrics: the server's figures in Prometheus's text exposition format — requests by
 * route and status and their latency (http/metrics.h), the group commit's batch sizes and
 * queues, the notification outbox's backlog and the sessions in use. Answered to callers on
 * this host and to integration keys with `metrics` (routes.def, WG_R_LOCAL). */
#include "api/app.h"
#include "api/handlers.h"

#include <time.h>

#include "core/buf.h"
#include "http/metrics.h"
#include "store/accounts/accounts_q.h"
#include "store/notify/notify_q.h"

static void gauge(struct wg_buf *out, const char *name, const char *help, long long v)
{
    wg_buf_addf(out, "# HELP %s %s\n# TYPE %s gauge\n%s %lld\n", name, help, name, name, v);
}

static void counter(struct wg_buf *out, const char *name, const char *help, long long v)
{
    wg_buf_addf(out, "# HELP %s %s\n# TYPE %s counter\n%s %lld\n", name, help, name, name, v);
}

static void committer(struct wg_app *app, struct wg_buf *out)
{
    struct wg_committer_stats st;
    double le[WG_COMMIT_SIZE_BUCKETS];
    unsigned long long sizes[WG_COMMIT_SIZE_BUCKETS + 1];
    if (!app->committer)
        return;
    wg_committer_stats(app->committer, &st);
    for (int i = 0; i <= WG_COMMIT_SIZE_BUCKETS; i++) {
        if (i < WG_COMMIT_SIZE_BUCKETS)
            le[i] = (double)(1 << i);
        sizes[i] = (unsigned long long)st.sizes[i];
    }
    wg_buf_adds(out, "# HELP wangge_commit_batch_size Jobs (creates, actions) written by one "
                     "commit of the group committer.\n"
                     "# TYPE wangge_commit_batch_size histogram\n");
    wg_metrics_histogram(out, "wangge_commit_batch_size", "", le, sizes, WG_COMMIT_SIZE_BUCKETS,
                         (double)st.jobs);
    counter(out, "wangge_commit_failed_jobs_total", "Jobs of the group commit that failed.",
            st.failed_jobs);
    counter(out, "wangge_commit_redone_batches_total",
            "Batches written again, each job alone, after one of their jobs failed.", st.redone);
    counter(out, "wangge_commit_flushes_total", "Syncs of the log to disk by the flusher.",
            st.flushes);
    gauge(out, "wangge_commit_queue_jobs", "Jobs waiting for the group committer's next batch.",
          st.queued);
    gauge(out, "wangge_commit_flush_jobs", "Jobs committed and waiting for the log to be on disk.",
          st.flushing);
}

static enum wg_rc from_store(struct wg_req *req, struct wg_buf *out, struct wg_err *err)
{
    struct wg_app *app = req->app;
    long long pending, sending, sessions, now = (long long)time(NULL);
    struct wg_db *db;
    enum wg_rc rc;
    if ((rc = wg_api_db(req, &db, err)) ||
        (rc = wg_store_outbox_backlog(db, &pending, &sending, err)) ||
        (rc = wg_store_session_count_active(db, now - app->limits.idle_seconds,
                                            now - app->limits.absolute_seconds, &sessions, err)))
        return rc;
    wg_buf_addf(out,
                "# HELP wangge_outbox_backlog Notifications not yet delivered (nor given up), by "
                "state: pending or being sent.\n"
                "# TYPE wangge_outbox_backlog gauge\n"
                "wangge_outbox_backlog{state=\"pending\"} %lld\n"
                "wangge_outbox_backlog{state=\"sending\"} %lld\n",
                pending, sending);
    gauge(out, "wangge_sessions_active",
          "Sessions of the store neither idle nor past their absolute limit.", sessions);
    return WG_OK;
}

enum wg_rc wg_api_metrics(struct wg_req *req, struct wg_err *err)
{
    struct wg_buf out;
    size_t len;
    enum wg_rc rc;
    wg_buf_init(&out, 16 << 20);
    wg_req_metrics(req, &out);
    committer(req->app, &out);
    if ((rc = from_store(req, &out, err)) || (rc = wg_buf_rc(&out))) {
        wg_buf_release(&out);
        return rc == WG_ETOOBIG ? wg_err_set(err, WG_EINTERNAL, "the metrics outgrew 16 MiB") : rc;
    }
    char *text = wg_buf_detach(&out, &len);
    return wg_reply_owned(req, 200, "text/plain; version=0.0.4; charset=utf-8", text, len);
}
