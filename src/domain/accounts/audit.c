/* The audit log: appending a record to the hash chain, checking the chain, and filtered
 * reads. The record layout and the canonical encoding are described in audit.h. */
#include "domain/accounts/audit.h"
#include "core/utf8.h"

#include <pwd.h>
#include <stdarg.h>
#include <unistd.h>

#include <sodium.h>

#include "core/clock.h"
#include "core/param.h"
#include "store/accounts/accounts_q.h"

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define COUNTER   "audit_records"

/* ---- the canonical encoding ---- */

static void netstring(crypto_hash_sha256_state *st, const char *s)
{
    char len[32];
    size_t n = strlen(s);
    int k = snprintf(len, sizeof len, "%zu:", n);
    crypto_hash_sha256_update(st, (const unsigned char *)len, (unsigned long long)k);
    crypto_hash_sha256_update(st, (const unsigned char *)s, n);
    crypto_hash_sha256_update(st, (const unsigned char *)",", 1);
}

void wg_audit_hash(const struct wg_audit_row *r, char out[65])
{
    crypto_hash_sha256_state st;
    unsigned char d[crypto_hash_sha256_BYTES];
    char seq[32];
    snprintf(seq, sizeof seq, "%lld", r->seq);
    crypto_hash_sha256_init(&st);
    netstring(&st, r->prev_hash);
    netstring(&st, seq);
    netstring(&st, r->at);
    netstring(&st, r->actor);
    netstring(&st, r->role);
    netstring(&st, r->source);
    netstring(&st, r->action);
    netstring(&st, r->object_type);
    netstring(&st, r->object_id);
    netstring(&st, r->result);
    netstring(&st, r->detail);
    crypto_hash_sha256_final(&st, d);
    sodium_bin2hex(out, 65, d, sizeof d);
}

/* ---- cleaning fields ---- */

/* Copies src into dst (size cap) as valid UTF-8 without control characters (they become
 * spaces, invalid bytes '?'); a value that does not fit is cut at a character boundary and
 * ends in "...", never cut silently. */
static void clean(char *dst, size_t cap, const char *src)
{
    const unsigned char *s = (const unsigned char *)src;
    size_t len = 0, mark = 0, budget = cap - 1;
    while (*s) {
        size_t n = wg_utf8_seq(s, SIZE_MAX, NULL);
        char one = 0;
        if (n == 0) {
            one = '?';
            n = 1;
        } else if (n == 1 && (*s < 0x20 || *s == 0x7f)) {
            one = ' ';
        }
        if (len + n > budget) {
            memcpy(dst + mark, "...", 4);
            return;
        }
        if (one)
            dst[len] = one;
        else
            memcpy(dst + len, s, n);
        len += n;
        if (len + 3 <= budget)
            mark = len;
        s += n;
    }
    dst[len] = '\0';
}

/* Names from code: lower case letters, digits and seps, 1..cap-1 bytes (or empty if ok). */
static enum wg_rc check_name(const char *what, const char *v, size_t cap, int may_be_empty,
                             const char *seps, struct wg_err *err)
{
    size_t n = v ? strlen(v) : 0;
    if (n == 0) {
        if (may_be_empty)
            return WG_OK;
        return wg_err_set(err, WG_EINVAL, "audit record: %s is missing", what);
    }
    if (n >= cap)
        return wg_err_set(err, WG_EINVAL, "audit record: %s '%.40s...' is longer than %zu bytes",
                          what, v, cap - 1);
    for (const char *p = v; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr(seps, *p)))
            return wg_err_set(err, WG_EINVAL,
                              "audit record: %s '%s' may hold only a-z, 0-9 and '%s'", what, v,
                              seps);
    return WG_OK;
}

static const char *or_dash(const char *s)
{
    return s && *s ? s : "-";
}

/* ---- appending ---- */

static enum wg_rc append(struct wg_db *db, struct wg_audit_row *r, struct wg_err *err)
{
    char prev[65], hash[65], at[32];
    long long last;
    enum wg_rc rc = wg_store_audit_last(db, &last, prev, err);
    if (rc)
        return rc;
    r->seq = last + 1;
    r->prev_hash = last ? prev : ZERO_HASH;
    wg_clock_iso_now(at);
    r->at = at;
    wg_audit_hash(r, hash);
    r->hash = hash;
    if ((rc = wg_store_audit_insert(db, r, err)))
        return rc;
    return wg_store_meta_bump(db, COUNTER, err);
}

enum wg_rc wg_audit_record(struct wg_db *db, const struct wg_audit_event *ev, struct wg_err *err)
{
    char actor[WG_AUDIT_ACTOR_MAX], role[WG_AUDIT_ROLE_MAX], source[WG_AUDIT_SOURCE_MAX];
    char object_id[WG_AUDIT_OBJID_MAX], detail[WG_AUDIT_DETAIL_MAX];
    int own = !wg_db_in_tx(db);
    enum wg_rc rc;
    if ((rc = check_name("action", ev->action, WG_AUDIT_ACTION_MAX, 0, "._-", err)) ||
        (rc = check_name("object type", ev->object_type, WG_AUDIT_OBJTYPE_MAX, 1, "._-", err)) ||
        (rc = check_name("result", ev->result, WG_AUDIT_RESULT_MAX, 0, "_", err)))
        return rc;
    clean(actor, sizeof actor, or_dash(ev->actor));
    clean(role, sizeof role, or_dash(ev->role));
    clean(source, sizeof source, or_dash(ev->source));
    clean(object_id, sizeof object_id, ev->object_id ? ev->object_id : "");
    clean(detail, sizeof detail, ev->detail ? ev->detail : "");
    struct wg_audit_row r = {
        .actor = actor,
        .role = role,
        .source = source,
        .action = ev->action,
        .object_type = ev->object_type ? ev->object_type : "",
        .object_id = object_id,
        .result = ev->result,
        .detail = detail,
    };
    if (own && (rc = wg_db_begin(db, err)))
        goto out;
    rc = append(db, &r, err);
    if (own) {
        if (!rc)
            rc = wg_db_commit(db, err);
        if (rc)
            wg_db_rollback(db);
    }
out:
    if (rc)
        wg_err_prefix(err, "audit record '%s'", ev->action);
    return rc;
}

/* The result an operation's code stands for in the log. */
static const char *result_of(enum wg_rc rc)
{
    return !rc ? "ok" : rc == WG_EFORBIDDEN || rc == WG_EUNAUTH ? "denied" : "failed";
}

enum wg_rc wg_audit_refusal(struct wg_db *db, const struct wg_audit_event *ev, enum wg_rc refused,
                            struct wg_err *err)
{
    struct wg_audit_event e = *ev;
    e.result = result_of(refused);
    return wg_audit_record(db, &e, err);
}

enum wg_rc wg_audit_outcome(struct wg_db *db, const struct wg_audit_event *ev, enum wg_rc rc,
                            struct wg_err *err)
{
    struct wg_audit_event e = *ev;
    struct wg_err aerr = {0};
    if (!rc) {
        e.result = "ok";
        return wg_audit_record(db, &e, err);
    }
    e.result = result_of(rc);
    if (!e.detail || !*e.detail)
        e.detail = err && err->msg[0] ? err->msg : wg_rc_code(rc);
    if (wg_audit_record(db, &e, &aerr))
        wg_err_also(err, &aerr);
    return rc;
}

/* ---- checking the chain ---- */

struct walk {
    struct wg_audit_report *rep;
    long long expect;
    char prev[65];
};

static int is_hex64(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return 0;
    return n == 64;
}

static int bad(struct walk *w, long long seq, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int bad(struct walk *w, long long seq, const char *fmt, ...)
{
    va_list ap;
    w->rep->bad_seq = seq;
    va_start(ap, fmt);
    vsnprintf(w->rep->what, sizeof w->rep->what, fmt, ap);
    va_end(ap);
    return 1;
}

static int check_one(const struct wg_audit_row *r, void *ctx)
{
    struct walk *w = ctx;
    char h[65];
    if (r->seq > w->expect) {
        if (w->expect == 1)
            return bad(w, 1, "missing (the log starts at record %lld)", r->seq);
        return bad(w, w->expect, "missing (record %lld follows record %lld)", r->seq,
                   w->expect - 1);
    }
    if (r->seq < w->expect)
        return bad(w, r->seq, "out of sequence (expected record %lld)", w->expect);
    wg_audit_hash(r, h);
    if (!is_hex64(r->hash) || strcmp(h, r->hash))
        return bad(w, r->seq,
                   "contents do not match its hash (edited, or moved here from "
                   "another place in the log)");
    if (strcmp(r->prev_hash, w->prev)) {
        if (r->seq == 1)
            return bad(w, 1, "prev_hash is not 64 zeros (records before it were removed)");
        return bad(w, r->seq,
                   "prev_hash does not match record %lld's hash (a record was removed, "
                   "inserted or rewritten)",
                   r->seq - 1);
    }
    memcpy(w->prev, r->hash, 65);
    w->rep->records++;
    w->expect++;
    return 0;
}

enum wg_rc wg_audit_verify(struct wg_db *db, struct wg_audit_report *rep, struct wg_err *err)
{
    struct walk w = {rep, 1, ZERO_HASH};
    long long written = 0;
    enum wg_rc rc;
    memset(rep, 0, sizeof *rep);
    /* read before the walk: records appended meanwhile only make the log longer */
    if ((rc = wg_store_meta_get(db, COUNTER, &written, err)) ||
        (rc = wg_store_audit_each(db, check_one, &w, err)))
        return rc;
    if (!rep->bad_seq && rep->records < written) {
        if (rep->records == 0)
            bad(&w, 1, "missing (the log is empty but %lld records were written)", written);
        else
            bad(&w, rep->records + 1, "missing (the log ends at record %lld but %lld were written)",
                rep->records, written);
    }
    if (rep->records)
        memcpy(rep->head, w.prev, 65);
    return WG_OK;
}

/* ---- reading ---- */

enum wg_rc wg_audit_query(struct wg_db *db, const struct wg_audit_filter *f,
                          int (*cb)(const struct wg_audit_row *, void *), void *ctx,
                          struct wg_err *err)
{
    struct wg_audit_filter q = *f;
    char since[32], until[32];
    enum wg_rc rc;
    if (q.since && *q.since) {
        if ((rc = wg_param_time(q.since, "since", since, err)))
            return rc;
        q.since = since;
    }
    if (q.until && *q.until) {
        if ((rc = wg_param_time(q.until, "until", until, err)))
            return rc;
        q.until = until;
    }
    if (q.limit == 0)
        q.limit = WG_AUDIT_LIMIT_DEFAULT;
    if (q.limit < 0 || q.limit > WG_AUDIT_LIMIT_MAX)
        return wg_err_set(err, WG_EINVAL, "limit %lld is not between 1 and %d", q.limit,
                          WG_AUDIT_LIMIT_MAX);
    if (q.offset < 0)
        return wg_err_set(err, WG_EINVAL, "offset %lld is negative", q.offset);
    return wg_store_audit_find(db, &q, cb, ctx, err);
}

void wg_audit_cli_source(char out[WG_AUDIT_SOURCE_MAX])
{
    struct passwd pw, *res = NULL;
    char buf[1024];
    uid_t uid = geteuid();
    if (getpwuid_r(uid, &pw, buf, sizeof buf, &res) == 0 && res && res->pw_name[0])
        snprintf(out, WG_AUDIT_SOURCE_MAX, "cli:%s", res->pw_name);
    else
        snprintf(out, WG_AUDIT_SOURCE_MAX, "cli:uid=%lu", (unsigned long)uid);
}
