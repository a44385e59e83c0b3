/* wangge calendar load --data DIR FILE: checks a holiday table in the chinese-days format
 * (the State Council's holidays and make-up working days) and keeps a copy in the data
 * directory, where the server reads it at start. Loading a later year's table is the same
 * command with the newer file. */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <sys/stat.h>

#include "core/csv.h"
#include "domain/calendar/calendar.h"

#define USAGE     "calendar load --data DIR FILE"
#define MAX_TABLE ((size_t)1 << 20)

struct load {
    const char *data, *file;
    char *text;
    size_t len;
};

static enum wg_rc keep(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct load *l = ctx;
    char dir[4096], path[4200], tmp[4300];
    FILE *f;
    enum wg_rc rc = WG_OK;
    snprintf(dir, sizeof dir, "%s/calendar", l->data);
    snprintf(path, sizeof path, "%s/holidays.json", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        rc = wg_err_set(err, WG_EIO, "cannot create '%s': %s", dir, strerror(errno));
    else if (!(f = fopen(tmp, "wb")))
        rc = wg_err_set(err, WG_EIO, "cannot write '%s': %s", tmp, strerror(errno));
    else if (fwrite(l->text, 1, l->len, f) != l->len || fclose(f) != 0 || rename(tmp, path) != 0)
        rc = wg_err_set(err, WG_EIO, "cannot write '%s': %s", path, strerror(errno));
    return wg_cli_audit(db, "calendar.load", "calendar", l->file, NULL, rc, err);
}

int wg_cmd_calendar(int argc, char **argv)
{
    struct load l = {NULL, NULL, NULL, 0};
    struct wg_calendar *cal;
    struct wg_err err = {0};
    int c, rc;
    if (argc < 2 || strcmp(argv[1], "load"))
        return wg_cli_usage(USAGE);
    argc--;
    argv++;
    if ((c = wg_cli_data_args(argc, argv, 1, USAGE, &l.data)))
        return c;
    l.file = argv[optind];
    if (!(cal = wg_calendar_new()))
        return 1;
    /* the whole table must check out before anything is kept */
    rc = wg_file_read(l.file, MAX_TABLE, &l.text, &l.len, &err) ||
         wg_calendar_load_json(cal, l.text, l.len, &err);
    if (rc)
        wg_err_prefix(&err, "%s", l.file);
    wg_calendar_free(cal);
    if (!rc && wg_cli_with_db(l.data, 0, keep, &l, &err))
        rc = 1;
    free(l.text);
    if (rc)
        return wg_cli_fail(&err);
    printf("calendar: %s checked and kept in %s/calendar\n", l.file, l.data);
    return 0;
}
