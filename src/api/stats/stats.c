/* The indicators: GET /api/v1/stats/{summary,series,top-items,monthly-problem,units,breakdown}
 * (domain/stats/stats_query.h does the work; docs/API.md describes the answers). */
#include "api/app.h"
#include "api/handlers.h"

#include <time.h>

#include "domain/stats/stats_query.h"

static enum wg_rc answer(struct wg_req *req, wg_stats_answer_fn *fn, struct wg_err *err)
{
    struct wg_app *app = req->app;
    struct wg_stats_query q = {
        wg_req_query(req, "scope"), wg_req_query(req, "from"),       wg_req_query(req, "to"),
        wg_req_query(req, "by"),    wg_req_query(req, "indicators"), wg_req_query(req, "limit"),
        wg_req_query(req, "month"), wg_req_query(req, "compare"),
    };
    struct wg_db *db;
    json_t *out = NULL;
    enum wg_rc rc = wg_api_db(req, &db, err);
    if (rc)
        return rc;
    struct wg_stats_env env = {db, app->stats, wg_api_catalog(req), (long long)time(NULL)};
    rc = wg_stats_answer(fn, &env, req->actor, &q, &out, err);
    return rc ? rc : wg_reply_json(req, 200, out);
}

enum wg_rc wg_api_stats_summary(struct wg_req *req, struct wg_err *err)
{
    return answer(req, wg_stats_summary, err);
}

enum wg_rc wg_api_stats_series(struct wg_req *req, struct wg_err *err)
{
    return answer(req, wg_stats_series, err);
}

enum wg_rc wg_api_stats_top_items(struct wg_req *req, struct wg_err *err)
{
    return answer(req, wg_stats_top_items, err);
}

enum wg_rc wg_api_stats_monthly_problem(struct wg_req *req, struct wg_err *err)
{
    return answer(req, wg_stats_monthly_problem, err);
}

enum wg_rc wg_api_stats_units(struct wg_req *req, struct wg_err *err)
{
    return answer(req, wg_stats_units, err);
}

enum wg_rc wg_api_stats_breakdown(struct wg_req *req, struct wg_err *err)
{
    return answer(req, wg_stats_breakdown, err);
}
