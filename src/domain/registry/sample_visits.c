/* The generated visits (sample.h): the demo grid worker's visits to the people of their grids
 * who need them — most within their cadence, some not for a while, so the due list has both
 * kinds — in the words grid workers write. */
#include "domain/registry/sample.h"
#include "core/rng.h"
#include "domain/registry/visit.h"

#include <stdio.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const contents[] = {
    "入户走访，老人身体状况良好，生活能够自理，叮嘱注意防寒保暖、用电安全。",
    "电话询问近况，家中一切正常，子女每周回来看望，无其他诉求。",
    "上门走访，了解到近期血压偏高，已提醒按时服药，联系社区卫生室上门随访。",
    "入户查看居住环境，室内整洁，燃气管道正常，讲解了防诈骗知识。",
    "走访了解家庭情况，孩子在校表现良好，监护人联系方式已核实更新。",
    "上门核实帮扶政策落实情况，低保按月到账，对服务表示满意。",
    "视频通话了解近况，情绪稳定，按时参加社区活动，无异常。",
    "入户走访，家中暖气不热，已告知物业报修，明日回访落实情况。"};

enum wg_rc wg_sample_visits(struct wg_db *db, const struct wg_pii_keys *keys, uint64_t *s,
                            const char *grid, const char *worker, const long long *persons,
                            size_t n, long long now, long *made, struct wg_err *err)
{
    static const char *const methods[] = {"door", "door", "door", "phone", "video"};
    enum wg_rc rc = wg_db_begin(db, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < n && !rc; i++) {
        if (wg_rng_uniform(s) < 0.2) /* not yet visited: due since recorded */
            continue;
        struct wg_visit v;
        memset(&v, 0, sizeof v);
        snprintf(v.subject_kind, sizeof v.subject_kind, "person");
        v.subject_id = persons[i];
        snprintf(v.grid, sizeof v.grid, "%s", grid);
        snprintf(v.worker, sizeof v.worker, "%s", worker);
        snprintf(v.created_by, sizeof v.created_by, "%s", worker);
        snprintf(v.method, sizeof v.method, "%s", methods[wg_rng_next(s) % N(methods)]);
        /* most within the last month, a tail of older ones now overdue; working hours */
        long long days = wg_rng_uniform(s) < 0.75 ? (long long)(wg_rng_next(s) % 25) + 1
                                                  : (long long)(wg_rng_next(s) % 100) + 30;
        v.visited_at = now - days * 86400 - (long long)(wg_rng_next(s) % 28800);
        v.content = (char *)contents[wg_rng_next(s) % N(contents)];
        v.findings = (char *)"";
        rc = wg_visit_insert(db, keys, &v, now, err);
        if (!rc)
            ++*made;
    }
    if (!rc)
        rc = wg_db_commit(db, err);
    if (rc)
        wg_db_rollback(db);
    return rc;
}
