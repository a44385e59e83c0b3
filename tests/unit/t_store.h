/* A store in a fresh temporary directory for the unit tests that need one: opened (and
 * migrated) by t_store_open, closed and removed with everything in it by t_store_close. A test
 * that cannot get one stops at once: nothing after it would mean anything. */
#ifndef WG_TESTS_T_STORE_H
#define WG_TESTS_T_STORE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/store.h"

static char t_store_dir[64];

static struct wg_store *t_store_open(const char *tag)
{
    struct wg_store *st = NULL;
    struct wg_err err = {0};
    snprintf(t_store_dir, sizeof t_store_dir, "/tmp/wangge-%s-XXXXXX", tag);
    if (!mkdtemp(t_store_dir)) {
        perror("mkdtemp");
        exit(1);
    }
    if (wg_store_open(t_store_dir, 1, &st, &err)) {
        fprintf(stderr, "store: %s\n", err.msg);
        exit(1);
    }
    return st;
}

static void t_store_close(struct wg_store *st)
{
    char cmd[128];
    wg_store_close(st);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", t_store_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", t_store_dir);
}

#endif
