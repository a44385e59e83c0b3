/* A store for the unit tests that need one, on either backend: SQLite's in a fresh temporary
 * directory, or, with WANGGE_TEST_PG set to a PostgreSQL cluster's admin URL (as
 * scripts/pg.sh prints it), a fresh database of that cluster made for the directory (which
 * still holds the keys). scripts/run-tests.sh runs every test that includes this file on
 * both. t_store_open makes one and opens it (migrated), t_store_close closes and removes
 * it; tests that manage their directory themselves use t_store_where and t_store_drop. A
 * test that cannot get its store stops at once: nothing after it would mean anything. */
#ifndef WG_TESTS_T_STORE_H
#define WG_TESTS_T_STORE_H

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "store/store.h"

static char t_store_dir[64];

/* Whether the tests run on PostgreSQL. */
static inline int t_on_pg(void)
{
    const char *u = getenv("WANGGE_TEST_PG");
    return u && *u;
}

/* The database name for data directory dir: its last part, lower-cased, '_' for the rest. */
static inline void t_pg_name(const char *dir, char *out, size_t n)
{
    const char *base = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
    size_t o = 0;
    for (; *base && o + 1 < n; base++)
        out[o++] = isalnum((unsigned char)*base) ? (char)tolower((unsigned char)*base) : '_';
    out[o] = '\0';
}

/* The admin URL with its database replaced by name ("/wangge?" is scripts/pg.sh's). */
static inline void t_pg_url(const char *name, char *out, size_t n)
{
    const char *admin = getenv("WANGGE_TEST_PG"), *at = strstr(admin, "/wangge?");
    if (!at) {
        fprintf(stderr, "WANGGE_TEST_PG '%s' is not scripts/pg.sh's URL\n", admin);
        exit(1);
    }
    snprintf(out, n, "%.*s/%s%s", (int)(at - admin), admin, name, at + 7);
}

/* Runs sql on the cluster's admin database; exits on failure. */
static inline void t_pg_admin(const char *sql)
{
    PGconn *pg = PQconnectdb(getenv("WANGGE_TEST_PG"));
    PGresult *res = PQstatus(pg) == CONNECTION_OK ? PQexec(pg, sql) : NULL;
    if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) {
        fprintf(stderr, "%s: %s", sql, PQerrorMessage(pg));
        exit(1);
    }
    PQclear(res);
    PQfinish(pg);
}

/* The store of data directory dir: dir itself on SQLite; on PostgreSQL the URL of its
 * database, made (empty) first when make is set. */
static inline const char *t_store_where(const char *dir, int make)
{
    static char url[512];
    char name[64], sql[128];
    if (!t_on_pg())
        return dir;
    t_pg_name(dir, name, sizeof name);
    if (make) {
        snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
        t_pg_admin(sql);
    }
    t_pg_url(name, url, sizeof url);
    return url;
}

/* Removes dir's database on PostgreSQL (nothing on SQLite: the directory holds it). */
static inline void t_store_drop(const char *dir)
{
    char name[64], sql[128];
    if (!t_on_pg())
        return;
    t_pg_name(dir, name, sizeof name);
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
    t_pg_admin(sql);
}

/* Runs sql, one statement or several, on the store of dir outside wangge, as another program
 * would: 0 when it ran, else -1 with the database's message in msg (size n). */
static inline int t_store_sql(const char *dir, const char *sql, char *msg, size_t n)
{
    int rc = 0;
    if (t_on_pg()) {
        PGconn *pg = PQconnectdb(t_store_where(dir, 0));
        PGresult *res = PQexec(pg, sql);
        if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
            snprintf(msg, n, "%s", PQerrorMessage(pg));
            rc = -1;
        }
        PQclear(res);
        PQfinish(pg);
    } else {
        char path[600], *err = NULL;
        sqlite3 *h = NULL;
        snprintf(path, sizeof path, "%s/wangge.db", dir);
        if (sqlite3_open(path, &h) != SQLITE_OK)
            rc = -1;
        sqlite3_busy_timeout(h, 5000);
        if (!rc && sqlite3_exec(h, sql, NULL, NULL, &err) != SQLITE_OK) {
            snprintf(msg, n, "%s", err ? err : sqlite3_errmsg(h));
            rc = -1;
        }
        sqlite3_free(err);
        sqlite3_close(h);
    }
    if (!rc && n)
        msg[0] = '\0';
    return rc;
}

/* The first column of the first row of query sql, as a number (-1: no row or a failure): on
 * the SQLite store in dir, on the PostgreSQL database at url, or on the store of dir
 * whichever backend the tests run on. */
static inline long long t_sqlite_one(const char *dir, const char *sql)
{
    char path[600];
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    long long v = -1;
    snprintf(path, sizeof path, "%s/wangge.db", dir);
    if (sqlite3_open(path, &h) == SQLITE_OK &&
        sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return v;
}

static inline long long t_pg_one(const char *url, const char *sql)
{
    long long v = -1;
    PGconn *pg = PQconnectdb(url);
    PGresult *res = PQexec(pg, sql);
    if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0)
        v = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    PQfinish(pg);
    return v;
}

static inline long long t_store_one(const char *dir, const char *sql)
{
    return t_on_pg() ? t_pg_one(t_store_where(dir, 0), sql) : t_sqlite_one(dir, sql);
}

static inline struct wg_store *t_store_open(const char *tag)
{
    struct wg_store *st = NULL;
    struct wg_err err = {0};
    snprintf(t_store_dir, sizeof t_store_dir, "/tmp/wangge-%s-XXXXXX", tag);
    if (!mkdtemp(t_store_dir)) {
        perror("mkdtemp");
        exit(1);
    }
    if (wg_store_open(t_store_where(t_store_dir, 1), 1, &st, &err)) {
        fprintf(stderr, "store: %s\n", err.msg);
        exit(1);
    }
    return st;
}

static inline void t_store_close(struct wg_store *st)
{
    char cmd[128];
    wg_store_close(st);
    t_store_drop(t_store_dir);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", t_store_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", t_store_dir);
}

#endif
