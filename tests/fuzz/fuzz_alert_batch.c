/* Fuzz target: an alert batch (POST /api/v1/alerts), NDJSON as cameras and sensors send it.
 * What wg_alert_parse_batch accepts must be lines the merge can take: at most the batch cap,
 * each a known device code, a type of the table, a confidence from 0 to 1, a time, a point
 * in degrees and a snapshot within its cap; what it refuses names a line. The same bytes as
 * one line: what the fast path accepts, the full parse (jansson) accepts alike, field by
 * field. The same bytes as a time are either refused or a time of this millennium. */
#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/alerts/alert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct wg_err err = {0};
    struct wg_alert_line *lines = NULL;
    size_t n = 0;
    enum wg_rc rc = wg_alert_parse_batch((const char *)data, size, &lines, &n, &err);
    if (rc == WG_OK) {
        assert(n >= 1 && n <= WG_ALERT_BATCH_MAX);
        for (size_t i = 0; i < n; i++) {
            const struct wg_alert_line *l = &lines[i];
            assert(l->device[0] && l->type >= 0 && (size_t)l->type < wg_alert_ntypes);
            assert(l->confidence >= 0 && l->confidence <= 1);
            assert(l->at > 0 && l->line >= 1);
            assert(strlen(l->snapshot) <= WG_ALERT_SNAPSHOT_MAX);
            assert(!l->has_point || (fabs(l->lon) <= 180 && fabs(l->lat) <= 90));
        }
        free(lines);
    } else {
        assert(lines == NULL);
        assert(rc == WG_ETOOBIG ||
               (rc == WG_EINVAL && (!strncmp(err.msg, "line ", 5) || strstr(err.msg, "no alert"))));
    }
    struct wg_alert_line fast, full;
    if (wg_alert_parse_fast((const char *)data, size, &fast)) {
        struct wg_err e2 = {0};
        assert(wg_alert_parse_full((const char *)data, size, &full, &e2) == WG_OK);
        assert(!strcmp(fast.device, full.device) && fast.type == full.type);
        assert(fast.confidence == full.confidence && fast.at == full.at);
        assert(fast.has_point == full.has_point && !strcmp(fast.snapshot, full.snapshot));
        assert(!fast.has_point || (fast.lon == full.lon && fast.lat == full.lat));
    }
    char s[64];
    size_t k = size < sizeof s - 1 ? size : sizeof s - 1;
    memcpy(s, data, k);
    s[k] = 0;
    long long t = wg_alert_parse_time(s);
    assert(t == -1 || (t > 900000000LL && t < 32600000000LL));
    return 0;
}
