/* The queries table, expanded from queries.def and schema.def, and each statement's text as
 * a dialect writes its parameters. */
#include "store/backend.h"

#include <pthread.h>

#include "core/alloc.h"

const struct wg_query_text wg_queries[WG_Q_COUNT] = {
#define WG_Q(id, sqlite_sql, pg_sql) [WG_Q_##id] = {#id, sqlite_sql, pg_sql},
#include "store/queries.def"
#include "store/schema.def"
#undef WG_Q
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static const char *texts[WG_Q_COUNT][WG_SQL_DIALECTS];
static int nparams[WG_Q_COUNT][WG_SQL_DIALECTS];

/* The length of the quoted run that starts at s ('...', "...", $tag$...$tag$, or a -- comment
 * to the end of its line), 0 when none starts there: nothing in it is a parameter. */
static size_t quoted(const char *s)
{
    const char *p = s + 1, *tag_end;
    if (*s == '\'' || *s == '"') {
        while (*p && !(*p == *s && p[1] != *s))
            p += *p == *s ? 2 : 1;
        return (size_t)(p - s) + (*p ? 1 : 0);
    }
    if (s[0] == '-' && s[1] == '-')
        return strcspn(s, "\n");
    if (*s != '$')
        return 0;
    for (tag_end = p; *tag_end == '_' || (*tag_end >= 'a' && *tag_end <= 'z'); tag_end++)
        ;
    if (*tag_end != '$')
        return 0; /* $1: not a quote */
    size_t tag = (size_t)(tag_end - s) + 1;
    for (p = tag_end + 1; *p; p++)
        if (!strncmp(p, s, tag))
            return (size_t)(p - s) + tag;
    return strlen(s);
}

/* Numbers the parameters of sql by SQLite's rule, writing them with mark ('?' or '$') into
 * out (size cap) when out is not NULL (room enough: six times sql's length, as a bare '?'
 * becomes at most "$99999"). Returns the highest number. */
static int number(const char *sql, char mark, char *out, size_t cap)
{
    int top = 0;
    size_t o = 0;
    for (const char *p = sql; *p;) {
        size_t q = quoted(p);
        if (q) {
            if (out)
                memcpy(out + o, p, q);
            o += q;
            p += q;
            continue;
        }
        if (*p != '?') {
            if (out)
                out[o] = *p;
            o++;
            p++;
            continue;
        }
        int n = 0;
        for (p++; *p >= '0' && *p <= '9'; p++)
            n = n * 10 + (*p - '0');
        if (!n)
            n = top + 1;
        if (n > top)
            top = n;
        if (out)
            o += (size_t)snprintf(out + o, cap - o, "%c%d", mark, n);
    }
    if (out)
        out[o] = '\0';
    return top;
}

static void make_texts(void)
{
    for (int q = 0; q < WG_Q_COUNT; q++) {
        const char *sq = wg_queries[q].sqlite, *pg = wg_queries[q].pg ? wg_queries[q].pg : sq;
        texts[q][WG_SQL_SQLITE] = *sq ? sq : NULL;
        nparams[q][WG_SQL_SQLITE] = *sq ? number(sq, '?', NULL, 0) : -1;
        if (*pg) {
            size_t cap = strlen(pg) * 6 + 1;
            char *t = wg_malloc(cap);
            nparams[q][WG_SQL_PG] = number(pg, '$', t, cap);
            texts[q][WG_SQL_PG] = t;
        } else {
            nparams[q][WG_SQL_PG] = -1;
        }
    }
}

const char *wg_query_sql(enum wg_q q, enum wg_dialect d)
{
    pthread_once(&once, make_texts);
    return texts[q][d];
}

int wg_query_nparams(enum wg_q q, enum wg_dialect d)
{
    pthread_once(&once, make_texts);
    return nparams[q][d];
}
