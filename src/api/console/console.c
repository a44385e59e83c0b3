/* The operations console: GET / and every path no other route has are files of the built
 * console (web/dist) — hashed assets cached for a year, precompressed .gz copies for
 * clients that take gzip, index.html for the console's own client-side routes, nothing
 * outside the directory — and GET /api/v1/console-config, the settings the console reads
 * before it draws anything (base map tiles, the catalog). */
#include "api/app.h"
#include "api/handlers.h"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/csv.h"

#define FILE_MAX (64u << 20)

static const struct {
    const char *ext, *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".webmanifest", "application/manifest+json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".woff", "font/woff"},
    {".woff2", "font/woff2"},
    {".ttf", "font/ttf"},
    {".txt", "text/plain; charset=utf-8"},
    {".map", "application/json; charset=utf-8"},
};

static const char *type_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (dot && !strchr(dot, '/'))
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (!strcasecmp(dot, types[i].ext))
                return types[i].type;
    return "application/octet-stream";
}

/* The page served when the directory holds no built console: the API works regardless. */
static const char not_built[] =
    "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    "<title>网格 wangge</title><style>body{font-family:sans-serif;max-width:40em;margin:3em auto;"
    "padding:0 1em;color:#222}code{background:#f4f4f4;padding:.1em .3em}</style></head><body>"
    "<h1>网格 wangge</h1>"
    "<p>控制台尚未构建。在源码目录运行 <code>make web</code>（需要 Node.js 18 以上和 npm），"
    "或用 <code>console_dir = 目录</code> 指向已构建的控制台。接口 <code>/api/v1/</code> "
    "照常可用。</p>"
    "<p>The console has not been built. Run <code>make web</code> in the source tree (Node.js 18 "
    "or later and npm), or point the <code>console_dir</code> setting at a built console. The "
    "API under <code>/api/v1/</code> works regardless.</p></body></html>";

static int accepts_gzip(struct wg_req *req)
{
    const char *ae = wg_req_header(req, "Accept-Encoding");
    const char *g = ae ? strstr(ae, "gzip") : NULL;
    if (!g)
        return 0;
    g += 4;
    g += strspn(g, " ");
    if (!strncmp(g, ";q=0", 4)) { /* gzip;q=0 refuses it, gzip;q=0.5 does not */
        const char *q = g + 4;
        if (*q == '.')
            q += 1 + strspn(q + 1, "0");
        return *q && *q != ',' && *q != ' ' && strspn(q, "123456789") > 0;
    }
    return 1;
}

/* A request path may name only plain files and folders below the console's directory:
 * no "." or ".." segment, no hidden names, no backslashes or control characters. */
static int safe_path(const char *rel)
{
    const char *seg = rel;
    for (const char *p = rel;; p++) {
        if (*p == '/' || !*p) {
            if (p > seg && *seg == '.')
                return 0;
            if (!*p)
                return 1;
            seg = p + 1;
            continue;
        }
        if ((unsigned char)*p < 0x20 || *p == '\\' || *p == 0x7f)
            return 0;
    }
}

/* 1 when path is a regular file whose real location is inside root (symlinks included). */
static int inside_file(const char *root, const char *path)
{
    char real[PATH_MAX];
    struct stat sb;
    size_t n = strlen(root);
    if (!realpath(path, real) || stat(real, &sb) || !S_ISREG(sb.st_mode))
        return 0;
    return !strncmp(real, root, n) && real[n] == '/';
}

static enum wg_rc send_file(struct wg_req *req, const char *root, const char *rel,
                            struct wg_err *err)
{
    struct wg_app *app = req->app;
    const char *path = wg_arena_printf(req->arena, "%s/%s", root, rel);
    const char *gz = wg_arena_printf(req->arena, "%s.gz", path);
    const char *type = type_of(rel);
    char *body = NULL;
    size_t len = 0;
    enum wg_rc rc;
    if (accepts_gzip(req) && inside_file(root, gz)) {
        if ((rc = wg_file_read(gz, FILE_MAX, &body, &len, err)))
            return rc;
        req->content_encoding = "gzip";
    } else if ((rc = wg_file_read(path, FILE_MAX, &body, &len, err))) {
        return rc;
    }
    /* Vite names what it builds under assets/ by content hash: such a name never changes
     * its bytes, so it may be kept for a year; everything else is checked every time. */
    req->cache_control =
        !strncmp(rel, "assets/", 7) ? "public, max-age=31536000, immutable" : "no-cache";
    if (!strncmp(type, "text/html", 9)) {
        req->extra_header_name = "Content-Security-Policy";
        req->extra_header_value =
            app->console_csp[0] ? app->console_csp : "default-src 'self'; frame-ancestors 'none'";
    }
    return wg_reply_owned(req, 200, type, body, len);
}

static enum wg_rc serve(struct wg_req *req, const char *rel, struct wg_err *err)
{
    struct wg_app *app = req->app;
    const char *root = app->console_dir[0] ? app->console_dir : NULL;
    const char *last, *candidate;
    /* the interfaces' own trees never fall back to the console's page */
    if (!strncmp(rel, "api/", 4) || !strcmp(rel, "api") || !strncmp(rel, "open311/", 8) ||
        !strcmp(rel, "open311") || !strncmp(rel, "healthz/", 8))
        return wg_err_set(err, WG_ENOTFOUND, "no such endpoint: '%s'", req->path);
    if (!root || !inside_file(root, wg_arena_printf(req->arena, "%s/index.html", root))) {
        req->extra_header_name = "Content-Security-Policy";
        req->extra_header_value = "default-src 'none'; style-src 'unsafe-inline'";
        return wg_reply_raw(req, 200, "text/html; charset=utf-8", not_built, sizeof not_built - 1);
    }
    if (!safe_path(rel))
        return wg_err_set(err, WG_ENOTFOUND, "no such file: '%s'", req->path);
    if (!*rel)
        return send_file(req, root, "index.html", err);
    candidate = wg_arena_printf(req->arena, "%s/%s", root, rel);
    if (candidate && inside_file(root, candidate))
        return send_file(req, root, rel, err);
    /* a folder: its index.html (the residents' portal at /m/) */
    candidate = wg_arena_printf(req->arena, "%s/%s%sindex.html", root, rel,
                                rel[strlen(rel) - 1] == '/' ? "" : "/");
    if (candidate && inside_file(root, candidate))
        return send_file(req, root, candidate + strlen(root) + 1, err);
    /* a missing file (its name has an extension) is a 404, not the console's page */
    last = strrchr(rel, '/');
    if (strchr(last ? last : rel, '.'))
        return wg_err_set(err, WG_ENOTFOUND, "no such file: '%s'", req->path);
    /* anything else is a route of a single-page app: the portal's below m/, else the
     * console's */
    if (!strncmp(rel, "m/", 2) &&
        inside_file(root, wg_arena_printf(req->arena, "%s/m/index.html", root)))
        return send_file(req, root, "m/index.html", err);
    return send_file(req, root, "index.html", err);
}

enum wg_rc wg_api_console_home(struct wg_req *req, struct wg_err *err)
{
    return serve(req, "", err);
}

enum wg_rc wg_api_console_file(struct wg_req *req, struct wg_err *err)
{
    return serve(req, req->params[0] ? req->params[0] : "", err);
}

enum wg_rc wg_api_console_config(struct wg_req *req, struct wg_err *err)
{
    struct wg_app *app = req->app;
    json_t *cat = wg_api_keep(req, wg_catalog_to_json(wg_api_catalog(req)));
    json_t *items = cat ? json_incref(json_object_get(cat, "items")) : NULL;
    json_t *out;
    if (!items)
        return wg_err_set(err, WG_EUNAVAIL, "the catalog is not loaded yet");
    out =
        json_pack("{s:s?,s:s,s:s,s:i,s:o}", "tiles_url", app->tiles_url[0] ? app->tiles_url : NULL,
                  "tiles_attribution", app->tiles_attribution, "tiles_subdomains",
                  app->tiles_subdomains, "tiles_max_zoom", 18, "catalog", items);
    return wg_reply_json(req, 200, out);
}

/* Where the console is looked for when no setting names it: web/dist beside the binary (an
 * installed tree), else two folders up (build/release/wangge in the source tree). */
void wg_console_default_dir(char *out, size_t n)
{
    char exe[PATH_MAX], probe[PATH_MAX + 64];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash;
    out[0] = '\0';
    if (len <= 0)
        return;
    exe[len] = '\0';
    if (!(slash = strrchr(exe, '/')))
        return;
    *slash = '\0';
    snprintf(out, n, "%s/web/dist", exe);
    snprintf(probe, sizeof probe, "%s/../../web/dist/index.html", exe);
    if (access(out, R_OK) != 0 && access(probe, R_OK) == 0)
        snprintf(out, n, "%s/../../web/dist", exe);
}

enum wg_rc wg_console_settings(struct wg_app *app, const char *dir, const char *tiles_url,
                               struct wg_err *err)
{
    char origin[600] = "";
    app->console_dir[0] = '\0';
    if (dir && *dir && !realpath(dir, app->console_dir))
        app->console_dir[0] = '\0'; /* not there (yet): the not-built page says what to do */
    app->tiles_url[0] = '\0';
    if (tiles_url && *tiles_url) {
        const char *host;
        size_t hlen;
        if (strncmp(tiles_url, "http://", 7) && strncmp(tiles_url, "https://", 8))
            return wg_err_set(err, WG_EINVAL, "tiles_url '%s' must start with http:// or https://",
                              tiles_url);
        if (strpbrk(tiles_url, " \t\"';,<>\\") || strlen(tiles_url) >= sizeof app->tiles_url)
            return wg_err_set(err, WG_EINVAL,
                              "tiles_url '%.80s' is too long or holds a space, quote, comma or "
                              "semicolon",
                              tiles_url);
        host = strstr(tiles_url, "//") + 2;
        hlen = strcspn(host, "/?#");
        if (!hlen || hlen > 255)
            return wg_err_set(err, WG_EINVAL, "tiles_url '%s' names no host", tiles_url);
        /* t{s}.example.cn → *.example.cn: the tile servers the map may load images from */
        if (memchr(host, '{', hlen)) {
            const char *dot = memchr(host, '.', hlen);
            if (!dot || memchr(dot, '{', hlen - (size_t)(dot - host)))
                return wg_err_set(err, WG_EINVAL,
                                  "tiles_url '%s': only the first label of the host may be {s}",
                                  tiles_url);
            snprintf(origin, sizeof origin, "%.*s*%.*s", (int)(host - tiles_url), tiles_url,
                     (int)(hlen - (size_t)(dot - host)), dot);
        } else {
            snprintf(origin, sizeof origin, "%.*s", (int)((size_t)(host - tiles_url) + hlen),
                     tiles_url);
        }
        snprintf(app->tiles_url, sizeof app->tiles_url, "%s", tiles_url);
    }
    snprintf(app->console_csp, sizeof app->console_csp,
             "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
             "img-src 'self' data: blob:%s%s; font-src 'self' data:; connect-src 'self'; "
             "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
             origin[0] ? " " : "", origin);
    return WG_OK;
}
