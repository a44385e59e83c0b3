/* Pattern matching of request paths against the route table, and the checks of a URL's
 * framing made before the HTTP engine parses it. */
#include "http/route.h"

/* Matches one pattern; on success writes captures into req (arena strings). */
static int match(const char *pat, const char *path, struct wg_req *req)
{
    const char *caps[WG_MAX_PATH_PARAMS];
    size_t lens[WG_MAX_PATH_PARAMS];
    int n = 0;
    while (*pat && *path) {
        if (*pat == '{') {
            const char *end = strchr(pat, '}');
            if (end[-1] == '*') { /* {name*}: the rest of the path, slashes and all */
                if (n == WG_MAX_PATH_PARAMS)
                    return 0;
                caps[n] = path;
                lens[n] = strlen(path);
                n++;
                path += lens[n - 1];
                pat = end + 1;
                continue;
            }
            const char *seg = path;
            /* a capture runs to the next '/' or to the literal that follows it in the
             * pattern (for "{code}.json"-style suffixes) */
            const char *lit = end + 1;
            size_t litlen = strcspn(lit, "/{");
            while (*path && *path != '/')
                path++;
            if (litlen && *lit != '/') {
                const char *p = seg;
                const char *found = NULL;
                for (; p + litlen <= path; p++)
                    if (!strncmp(p, lit, litlen))
                        found = p;
                if (!found)
                    return 0;
                path = found;
            }
            if (path == seg || n == WG_MAX_PATH_PARAMS)
                return 0;
            caps[n] = seg;
            lens[n] = (size_t)(path - seg);
            n++;
            pat = end + 1;
            continue;
        }
        if (*pat != *path)
            return 0;
        pat++;
        path++;
    }
    if (*pat || *path)
        return 0;
    if (req) {
        for (int i = 0; i < n; i++) {
            char *s = wg_arena_alloc(req->arena, lens[i] + 1);
            if (!s)
                return 0;
            memcpy(s, caps[i], lens[i]);
            req->params[i] = s;
        }
        req->nparams = n;
    }
    return 1;
}

static int is_catch_all(const char *pattern)
{
    return strstr(pattern, "*}") != NULL;
}

static int method_fits(const struct wg_route *r, const char *method)
{
    return !strcmp(r->method, method) || (!strcmp(method, "HEAD") && !strcmp(r->method, "GET"));
}

const struct wg_route *wg_route_match(const struct wg_route *routes, size_t n, const char *method,
                                      const char *path, struct wg_req *req, int *path_matched)
{
    *path_matched = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_catch_all(routes[i].pattern) || !match(routes[i].pattern, path, NULL))
            continue;
        *path_matched = 1;
        if (method_fits(&routes[i], method)) {
            match(routes[i].pattern, path, req);
            return &routes[i];
        }
    }
    /* catch-all patterns come last wherever they stand in the table, and only for a path
     * no other route has; they never make a 405 */
    for (size_t i = 0; i < n && !*path_matched; i++)
        if (is_catch_all(routes[i].pattern) && method_fits(&routes[i], method) &&
            match(routes[i].pattern, path, req))
            return &routes[i];
    return NULL;
}

size_t wg_body_cap_bytes(enum wg_body_cap cap, size_t import_max)
{
    static const size_t bytes[WG_BODY_CAP_COUNT] = {
        [WG_BODY_NONE] = 0,        [WG_BODY_SMALL] = 8 << 10,   [WG_BODY_JSON] = 256 << 10,
        [WG_BODY_BATCH] = 2 << 20, [WG_BODY_UPLOAD] = 12 << 20,
    };
    if (cap == WG_BODY_IMPORT)
        return import_max;
    return (unsigned)cap < WG_BODY_CAP_COUNT ? bytes[cap] : 0;
}

int wg_uri_refusal(const char *uri)
{
    const char *q = strchr(uri, '?');
    size_t fields = 1;
    if (strlen(uri) > WG_URL_MAX)
        return 414;
    if (!q)
        return 0;
    for (const char *p = q + 1; *p; p++)
        fields += *p == '&';
    return fields > WG_QUERY_PARAMS_MAX ? 400 : 0;
}
