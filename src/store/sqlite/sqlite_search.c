/* SQLite's text index (backend.h, search): a database file of its own beside the store,
 * "<store>-search" (migration 20 moved it there), written only by the text indexer's
 * connection so that indexing never holds the store's write lock. Every other connection
 * attaches it read-only as "search", so a BEGIN IMMEDIATE there takes the store's write lock
 * and no more. Statements name its tables (order_fts, order_fts_mark, order_phone) without a
 * schema and SQLite finds them in whichever schema has them. Its statements are in
 * schema.def. */
#include "store/sqlite/sqlite_conn.h"

#include "core/alloc.h"
#include "core/log.h"

#include <unistd.h>

#define SEARCH_SUFFIX "-search"

char *wg_sqlite_search_path(const char *store_path)
{
    size_t n = strlen(store_path) + sizeof SEARCH_SUFFIX;
    char *s = wg_malloc(n);
    snprintf(s, n, "%s%s", store_path, SEARCH_SUFFIX);
    return s;
}

/* "file:<path>?mode=ro" with the characters a URI filename gives meaning to escaped. */
static char *readonly_uri(const char *path)
{
    size_t n = strlen(path) * 3 + 16, o = 0;
    char *u = wg_malloc(n);
    o += (size_t)snprintf(u, n, "file:");
    for (const char *p = path; *p; p++) {
        if (*p == '%' || *p == '?' || *p == '#')
            o += (size_t)snprintf(u + o, n - o, "%%%02X", (unsigned char)*p);
        else
            u[o++] = *p;
    }
    snprintf(u + o, n - o, "?mode=ro");
    return u;
}

/* ATTACH the file at path, read-only, by statement q (which names the schema). */
static enum wg_rc attach(sqlite3 *db, enum wg_q q, const char *path, struct wg_err *err)
{
    char *uri = readonly_uri(path);
    enum wg_rc rc = wg_sqlite_once(db, q, uri, NULL, NULL, err);
    if (rc)
        wg_err_prefix(err, "cannot attach '%s'", path);
    free(uri);
    return rc;
}

/* Whether the schema of statement q holds table name, made by a statement with the words
 * made_with in it (NULL: whatever made it). */
static int has_table_made(sqlite3 *db, enum wg_q q, const char *name, const char *made_with)
{
    struct wg_err err = {0};
    int row = 0;
    return !wg_sqlite_once(db, q, name, made_with ? made_with : "", &row, &err) && row;
}

static int has_table(sqlite3 *db, enum wg_q q, const char *name)
{
    return has_table_made(db, q, name, NULL);
}

/* Whether the schema of q holds the index's tables, all in their present form. */
static int complete(sqlite3 *db, enum wg_q q)
{
    return has_table(db, q, "order_fts_mark") && has_table(db, q, "order_phone") &&
           has_table_made(db, q, "order_fts", WG_SQLITE_FTS_FORM);
}

/* What the open transaction must do to make the index's file complete: a store from before
 * migration 20 still holds its index, copied over with its mark, so nothing is indexed
 * again; otherwise the mark starts at 0 and the text indexer indexes every order behind. A
 * file from before the phone lookup gets it for every order up to its mark, and one whose
 * trigram index is of the older form gets it anew, for the same orders. */
static enum wg_rc complete_in_tx(sqlite3 *db, struct wg_err *err)
{
    const char *what = "cannot make the text index";
    int marked = has_table(db, WG_Q_SQLITE_HAS_TABLE_MAIN, "order_fts_mark");
    int phones = has_table(db, WG_Q_SQLITE_HAS_TABLE_MAIN, "order_phone");
    int old = !marked && has_table(db, WG_Q_SQLITE_HAS_TABLE_STORE, "order_fts") &&
              has_table(db, WG_Q_SQLITE_HAS_TABLE_STORE, "order_fts_mark");
    int orders = has_table(db, WG_Q_SQLITE_HAS_TABLE_STORE, "work_order");
    int remake = marked && has_table(db, WG_Q_SQLITE_HAS_TABLE_MAIN, "order_fts") &&
                 !has_table_made(db, WG_Q_SQLITE_HAS_TABLE_MAIN, "order_fts", WG_SQLITE_FTS_FORM);
    enum wg_rc rc = WG_OK;
    if (remake)
        rc = wg_sqlite_run(db, WG_Q_SQLITE_SEARCH_DROP_FTS, what, err);
    if (!rc)
        rc = wg_sqlite_run(db, WG_Q_SQLITE_SEARCH_TABLES, what, err);
    if (!rc && remake && orders) {
        wg_info("text index: making it anew in its compact form for every indexed order (once)");
        rc = wg_sqlite_run(db, WG_Q_SQLITE_SEARCH_REFILL, what, err);
    }
    if (!rc && old)
        rc = wg_sqlite_run(db, WG_Q_SQLITE_SEARCH_COPY_OLD, "cannot copy the text index", err);
    if (!rc && !marked && !old)
        rc = wg_sqlite_run(db, WG_Q_SQLITE_SEARCH_MARK_ZERO, what, err);
    if (!rc && !phones && orders) {
        wg_info("text index: making the reporters' phone lookup of every indexed order (once)");
        rc = wg_sqlite_run(db, WG_Q_SQLITE_SEARCH_PHONES, "cannot fill the phone lookup", err);
    }
    return rc;
}

/* Makes the text index's file complete when a table is missing, in one transaction; what is
 * missing is read again under the lock, as another connection may have made it. */
static enum wg_rc ensure_search(sqlite3 *db, const char *store_path, struct wg_err *err)
{
    enum wg_rc rc;
    if (complete(db, WG_Q_SQLITE_HAS_TABLE_MAIN))
        return WG_OK;
    if ((rc = attach(db, WG_Q_SQLITE_ATTACH_STORE, store_path, err)))
        return rc;
    if (!(rc = wg_sqlite_run(db, WG_Q_SQLITE_SEARCH_BEGIN, "cannot make the text index", err))) {
        if (!(rc = complete_in_tx(db, err)))
            rc = wg_sqlite_run(db, WG_Q_TX_COMMIT, "cannot make the text index", err);
        if (rc)
            sqlite3_exec(db, wg_query_sql(WG_Q_TX_ROLLBACK, WG_SQL_SQLITE), NULL, NULL, NULL);
    }
    enum wg_rc rc2 = wg_sqlite_run(db, WG_Q_SQLITE_DETACH_STORE, "cannot detach the store", err);
    return rc ? rc : rc2;
}

/* Whether the last error of db says its file (or an attached one) is not a sound database. */
static int damaged(sqlite3 *db)
{
    int code = sqlite3_errcode(db) & 0xff;
    return code == SQLITE_NOTADB || code == SQLITE_CORRUPT;
}

/* The text index is made from the orders: a damaged file is moved aside (its log and shared
 * memory removed) so that a new one is made and filled again, instead of the store failing
 * to open. */
static void set_aside(const char *path, const char *why)
{
    char aside[4200], side[4200];
    snprintf(aside, sizeof aside, "%s.damaged", path);
    if (rename(path, aside) != 0)
        return;
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    wg_warn("the text index '%s' is damaged (%s): moved to '%s'; a new one is made and every "
            "order indexed again",
            path, why, aside);
}

static enum wg_rc open_search_once(const char *store_path, const char *path, sqlite3 **out,
                                   struct wg_err *err)
{
    enum wg_rc rc;
    if (!(rc = wg_sqlite_open(path, out, err)) &&
        !(rc = wg_sqlite_run(*out, WG_Q_SQLITE_SEARCH_CONFIGURE, "cannot configure the text index",
                             err)))
        rc = ensure_search(*out, store_path, err);
    return rc;
}

/* Opens (making it when missing, or anew when damaged) the text index's file of the store at
 * store_path. */
static enum wg_rc open_search(const char *store_path, sqlite3 **out, struct wg_err *err)
{
    char *path = wg_sqlite_search_path(store_path);
    enum wg_rc rc;
    *out = NULL;
    rc = open_search_once(store_path, path, out, err);
    if (rc && *out && damaged(*out)) {
        sqlite3_close(*out);
        *out = NULL;
        set_aside(path, err->msg);
        rc = open_search_once(store_path, path, out, err);
    }
    if (rc) {
        sqlite3_close(*out);
        *out = NULL;
    }
    free(path);
    return rc;
}

/* The text index's file is attached read-only, so it must exist with its schema first: when
 * it is missing, has no schema, is of an older form or is damaged, open_search makes it
 * (anew). */
enum wg_rc wg_sqlite_search_attach(sqlite3 *db, const char *store_path, struct wg_err *err)
{
    char *path = wg_sqlite_search_path(store_path);
    sqlite3 *search = NULL;
    enum wg_rc rc = WG_OK;
    if (attach(db, WG_Q_SQLITE_ATTACH_SEARCH, path, err) ||
        !complete(db, WG_Q_SQLITE_HAS_TABLE_SEARCH)) {
        if (sqlite3_db_filename(db, "search")) /* attached, without a schema */
            sqlite3_exec(db, wg_query_sql(WG_Q_SQLITE_DETACH_SEARCH, WG_SQL_SQLITE), NULL, NULL,
                         NULL);
        wg_err_clear(err);
        if (!(rc = open_search(store_path, &search, err)))
            rc = attach(db, WG_Q_SQLITE_ATTACH_SEARCH, path, err);
        sqlite3_close(search);
    }
    free(path);
    return rc;
}

/* The text indexer's connection: the text index's file as main, written here only, and the
 * store attached read-only as "store" (so its BEGIN IMMEDIATE locks the index alone). */
enum wg_rc wg_sqlite_search_connect(const char *store_path, void **out, struct wg_err *err)
{
    sqlite3 *db = NULL;
    enum wg_rc rc;
    if (!(rc = open_search(store_path, &db, err)) &&
        ((rc = attach(db, WG_Q_SQLITE_ATTACH_STORE, store_path, err)) ||
         (rc = wg_sqlite_run(db, WG_Q_SQLITE_INDEXER_CONFIGURE, "cannot configure the text index",
                             err)))) {
        sqlite3_close(db);
        db = NULL;
    }
    if (rc)
        return rc;
    *out = wg_sqlite_conn_wrap(db);
    return WG_OK;
}

/* The trigram index keeps which orders hold each run of three characters, not where
 * (detail=none): its query for text is every third trigram of it and the last, each an FTS5
 * string with its quotes doubled, all required. The orders it finds hold those pieces; the
 * list's LIKE keeps those that hold the text itself. Empty when text has fewer than three
 * characters (or, past any text the list takes, would not fit): the LIKE alone then. */
void wg_sqlite_search_words(const char *text, char *out, size_t n)
{
    size_t at[512], k = 0, o = 0;
    out[0] = '\0';
    for (size_t i = 0; text[i] && k < sizeof at / sizeof *at - 1; i++)
        if (((unsigned char)text[i] & 0xc0) != 0x80)
            at[k++] = i;
    if (k < 3)
        return;
    at[k] = strlen(text);
    for (size_t c = 0;; c = c + 3 > k - 3 ? k - 3 : c + 3) {
        if (o + 2 * (at[c + 3] - at[c]) + 4 > n) {
            out[0] = '\0';
            return;
        }
        out[o++] = '"';
        for (size_t i = at[c]; i < at[c + 3]; i++) {
            if (text[i] == '"')
                out[o++] = '"';
            out[o++] = text[i];
        }
        out[o++] = '"';
        out[o++] = ' ';
        if (c == k - 3)
            break;
    }
    out[o - 1] = '\0';
}
