/* Roles, scopes, the password policy and Argon2id hashing, account creation. */
#include "domain/accounts/account.h"

#include "core/param.h"
#include "core/alloc.h"

#include <ctype.h>

#include <sodium.h>

#include "domain/map/region.h"
#include "store/accounts/accounts_q.h"

#define MAP   WG_P_MAP_READ
#define SELF  WG_P_SELF
#define READ  WG_P_ORDER_READ
#define TAKE  (WG_P_ORDER_READ | WG_P_ORDER_CREATE)
#define STATS WG_P_STATS_READ
#define REG   WG_P_REGISTRY_READ
#define REGW  (WG_P_REGISTRY_READ | WG_P_REGISTRY_WRITE)
#define DISP  WG_P_DISPUTE_READ
#define DISPW (WG_P_DISPUTE_READ | WG_P_DISPUTE_WRITE)
#define WARN  WG_P_ALERT_READ
#define WARNW (WG_P_ALERT_READ | WG_P_ALERT_REVIEW)
#define EVAL  WG_P_ASSESS_READ
#define EVALW (WG_P_ASSESS_READ | WG_P_ASSESS_WRITE | WG_P_SURVEY_CALL)
#define PART  WG_P_PARTAKE_READ
#define PARTW (WG_P_PARTAKE_READ | WG_P_PARTAKE_WRITE)

const struct wg_role wg_roles[] = {
    /* the indicators are read by the centre, leaders, the system's administrator, and by
     * units, grid workers and community staff for their own scope; not by the security and
     * audit administrators (their work is elsewhere) nor mediators (disputes have their own) */
    {"sysadmin", "系统管理员",
     SELF | MAP | WG_P_MAP_WRITE | WG_P_ACCOUNT_ADMIN | WG_P_CONFIG_ADMIN | STATS | REGW |
         WG_P_MEDIATION_ADMIN},
    {"secadmin", "安全管理员", SELF | WG_P_KEY_ADMIN | WG_P_ADMIN_ACCOUNTS},
    {"auditor", "审计管理员", SELF | WG_P_AUDIT_READ},
    /* the centre takes appeals in; grid workers and community staff report what they find;
     * units, mediators and leaders read the work in their scope */
    /* the registry (people, houses, organizations, things of the grid): kept by grid workers
     * and community staff (and imported by the system's administrator), read by the centre,
     * mediators and leaders in their scope; units see none of it */
    /* dispute cases: recorded by the centre, grid workers, community staff and mediators, read
     * by them and by leaders in their scope; what each may do to a case is the case's state
     * machine's (domain/disputes/dispute_fsm.h); the centre's supervisors and the system's
     * administrator keep the mediation bodies */
    /* alerts and early warning: the centre reviews devices' alerts, judges warnings and opens
     * 未诉先办 tasks; units, grid workers, community staff and leaders read them in their
     * scope (a leader writes notes on the 帮包 assigned to them; a unit on the tasks it leads
     * or helps: domain/alerts checks the person); devices and rules are configuration */
    /* assessment: the centre's supervisors keep the schemes, give reviewers' scores, freeze
     * the month and run surveys; agents make the surveys' calls; units, grid workers,
     * community staff and leaders read the results in their scope (and enter the
     * self-assessed scores of what is theirs: domain/assess checks the person) */
    /* residents taking part (一长二员, volunteers, wishes, deliberations, mobilisation): kept
     * by grid workers, community staff and the centre's supervisors, read by agents and
     * leaders too; units see none of it (it names residents) */
    {"agent", "坐席员",
     SELF | MAP | TAKE | STATS | REG | DISPW | WARNW | EVAL | WG_P_SURVEY_CALL | PART},
    {"supervisor", "督办员",
     SELF | MAP | TAKE | STATS | REG | DISPW | WG_P_MEDIATION_ADMIN | WARNW | EVALW | PARTW},
    {"handler", "承办人员", SELF | MAP | READ | STATS | WARN | EVAL},
    {"gridworker", "网格员", SELF | MAP | TAKE | STATS | REGW | DISPW | WARN | EVAL | PARTW},
    {"community", "社区工作人员", SELF | MAP | TAKE | STATS | REGW | DISPW | WARN | EVAL | PARTW},
    {"mediator", "调解员", SELF | MAP | READ | REG | DISPW},
    {"leader", "领导", SELF | MAP | READ | STATS | REG | DISP | WARN | EVAL | PART},
    {NULL, NULL, 0},
};

_Static_assert(WG_ROLE_ACCOUNTS == 10, "the role table holds the ten account roles");

const char *wg_role_name(enum wg_role_id r)
{
    if ((unsigned)r < WG_ROLE_ACCOUNTS)
        return wg_roles[r].name;
    return r == WG_ROLE_RESIDENT ? "resident" : r == WG_ROLE_APIKEY ? "apikey" : "?";
}

enum wg_rc wg_role_parse(const char *name, enum wg_role_id *out, struct wg_err *err)
{
    for (int r = 0; name && r < WG_ROLE_COUNT; r++)
        if (!strcmp(wg_role_name((enum wg_role_id)r), name)) {
            *out = (enum wg_role_id)r;
            return WG_OK;
        }
    return wg_err_set(err, WG_EINVAL,
                      "role '%.20s' is not one of sysadmin, secadmin, auditor, agent, supervisor, "
                      "handler, gridworker, community, mediator, leader",
                      name ? name : "");
}

const struct wg_role *wg_role_find(const char *name)
{
    for (const struct wg_role *r = wg_roles; name && r->name; r++)
        if (!strcmp(r->name, name))
            return r;
    return NULL;
}

static const struct {
    uint32_t bit;
    const char *name;
    int for_keys; /* may be granted to an integration API key */
} perms[] = {
    {WG_P_MAP_READ, "map_read", 1},
    {WG_P_MAP_WRITE, "map_write", 0},
    {WG_P_ACCOUNT_ADMIN, "account_admin", 0},
    {WG_P_AUDIT_READ, "audit_read", 0},
    {WG_P_KEY_ADMIN, "key_admin", 0},
    {WG_P_OPEN311, "open311", 1},
    {WG_P_ALERT_INGEST, "alert_ingest", 1},
    {WG_P_SELF, "self", 0},
    {WG_P_ORDER_READ, "order_read", 0},
    {WG_P_ORDER_CREATE, "order_create", 0},
    {WG_P_CONFIG_ADMIN, "config_admin", 0},
    {WG_P_STATS_READ, "stats_read", 0},
    {WG_P_METRICS, "metrics", 1},
    {WG_P_ADMIN_ACCOUNTS, "admin_accounts", 0},
    {WG_P_REGISTRY_READ, "registry_read", 0},
    {WG_P_REGISTRY_WRITE, "registry_write", 0},
    {WG_P_DISPUTE_READ, "dispute_read", 0},
    {WG_P_DISPUTE_WRITE, "dispute_write", 0},
    {WG_P_MEDIATION_ADMIN, "mediation_admin", 0},
    {WG_P_ALERT_READ, "alert_read", 0},
    {WG_P_ALERT_REVIEW, "alert_review", 0},
    {WG_P_ASSESS_READ, "assess_read", 0},
    {WG_P_ASSESS_WRITE, "assess_write", 0},
    {WG_P_SURVEY_CALL, "survey_call", 0},
    {WG_P_PARTAKE_READ, "partake_read", 0},
    {WG_P_PARTAKE_WRITE, "partake_write", 0},
};

const char *wg_perm_name(uint32_t one)
{
    for (size_t i = 0; i < sizeof perms / sizeof perms[0]; i++)
        if (perms[i].bit == one)
            return perms[i].name;
    return "unknown";
}

enum wg_rc wg_perm_parse_list(const char *list, uint32_t *out, struct wg_err *err)
{
    char buf[256], *save = NULL, *tok;
    *out = 0;
    if (!list || !*list)
        return wg_err_set(err, WG_EINVAL,
                          "no permissions given; an API key takes some of "
                          "open311, alert_ingest, map_read, metrics");
    if (strlen(list) >= sizeof buf)
        return wg_err_set(err, WG_EINVAL, "permission list is too long");
    snprintf(buf, sizeof buf, "%s", list);
    for (char *p = buf; (tok = strtok_r(p, ",", &save)); p = NULL) {
        size_t i;
        for (i = 0; i < sizeof perms / sizeof perms[0]; i++)
            if (!strcmp(perms[i].name, tok))
                break;
        if (i == sizeof perms / sizeof perms[0] || !perms[i].for_keys)
            return wg_err_set(err, WG_EINVAL,
                              "'%s' is not a permission an API key can have (open311, "
                              "alert_ingest, map_read, metrics)",
                              tok);
        *out |= perms[i].bit;
    }
    return WG_OK;
}

enum wg_rc wg_scope_parse(const char *text, struct wg_scope *out, struct wg_err *err)
{
    const char *code = text;
    memset(out, 0, sizeof *out);
    if (!text || !*text)
        return wg_err_set(err, WG_EINVAL,
                          "scope is empty; give a region or grid code, or "
                          "unit:ID");
    if (!strncmp(text, "unit:", 5)) {
        const char *id = text + 5;
        if (!*id || strlen(id) >= sizeof out->code)
            return wg_err_set(err, WG_EINVAL, "scope '%s' names no unit", text);
        for (const char *p = id; *p; p++)
            if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
                return wg_err_set(err, WG_EINVAL,
                                  "unit id in scope '%s' may hold only "
                                  "letters, digits, - and _",
                                  text);
        snprintf(out->kind, sizeof out->kind, "unit");
        snprintf(out->code, sizeof out->code, "%s", id);
        return WG_OK;
    }
    if (!strcmp(text, "all")) { /* the whole deployment */
        snprintf(out->kind, sizeof out->kind, "region");
        return WG_OK;
    }
    if (!strncmp(text, "region:", 7))
        code = text + 7;
    if (wg_region_level(code, err) == WG_LEVEL_NONE) {
        wg_err_prefix(err, "scope");
        return WG_EINVAL;
    }
    snprintf(out->kind, sizeof out->kind, "region");
    snprintf(out->code, sizeof out->code, "%s", code);
    return WG_OK;
}

int wg_scope_is_unit(const struct wg_scope *s)
{
    return !strcmp(s->kind, "unit");
}

int wg_scope_covers(const struct wg_scope *s, const char *code)
{
    if (wg_scope_is_unit(s))
        return 1;
    return !strncmp(code, s->code, strlen(s->code));
}

enum wg_rc wg_password_check(const char *pw, struct wg_err *err)
{
    int lower = 0, upper = 0, digit = 0, other = 0;
    size_t n = pw ? strlen(pw) : 0;
    if (n < 8)
        return wg_err_set(err, WG_EINVAL, "password is %zu characters; at least 8 are needed", n);
    if (n > 256)
        return wg_err_set(err, WG_EINVAL, "password is longer than 256 bytes");
    for (const unsigned char *p = (const unsigned char *)pw; *p; p++) {
        if (islower(*p))
            lower = 1;
        else if (isupper(*p))
            upper = 1;
        else if (isdigit(*p))
            digit = 1;
        else
            other = 1;
    }
    if (lower + upper + digit + other < 3)
        return wg_err_set(err, WG_EINVAL,
                          "password needs at least 3 of: lower-case letters, upper-case letters, "
                          "digits, symbols (it has %d)",
                          lower + upper + digit + other);
    return WG_OK;
}

/* the cost of new hashes (wg_password_cost_from_env) */
static unsigned long long hash_passes = crypto_pwhash_OPSLIMIT_INTERACTIVE;
static size_t hash_memory = crypto_pwhash_MEMLIMIT_INTERACTIVE;

enum wg_rc wg_password_cost_from_env(struct wg_err *err)
{
    const char *m = getenv("WANGGE_ARGON2_MEMORY_MIB"), *t = getenv("WANGGE_ARGON2_PASSES");
    long mib = 0, passes = 0;
    enum wg_rc rc;
    if (m && (rc = wg_parse_whole("WANGGE_ARGON2_MEMORY_MIB", m, 1, 4096, &mib, err)))
        return rc;
    if (t && (rc = wg_parse_whole("WANGGE_ARGON2_PASSES", t, 1, 10, &passes, err)))
        return rc;
    if (mib)
        hash_memory = (size_t)mib << 20;
    if (passes)
        hash_passes = (unsigned long long)passes;
    return WG_OK;
}

enum wg_rc wg_password_hash(const char *pw, char out[128], struct wg_err *err)
{
    (void)err; /* Argon2id fails only when its memory cannot be had */
    if (crypto_pwhash_str(out, pw, strlen(pw), hash_passes, hash_memory) != 0)
        wg_oom(hash_memory); /* Argon2id's memory, core/alloc.h */
    return WG_OK;
}

int wg_password_verify(const char *hash, const char *pw)
{
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

void wg_password_random(char out[21])
{
    /* no look-alikes (0/O, 1/l/I); every class present so the policy always holds */
    static const char sets[4][27] = {"abcdefghijkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ",
                                     "23456789", "%+-.:=@_"};
    for (int i = 0; i < 20; i++) {
        const char *set = sets[i < 4 ? (uint32_t)i : randombytes_uniform(4)];
        out[i] = set[randombytes_uniform((uint32_t)strlen(set))];
    }
    /* shuffle so the classes are not always in the first four places */
    for (int i = 19; i > 0; i--) {
        int j = (int)randombytes_uniform((uint32_t)i + 1);
        char t = out[i];
        out[i] = out[j];
        out[j] = t;
    }
    out[20] = '\0';
}

static enum wg_rc check_username(const char *u, struct wg_err *err)
{
    size_t n = u ? strlen(u) : 0;
    if (n < 2 || n > 63)
        return wg_err_set(err, WG_EINVAL, "username must be 2 to 63 characters");
    for (const char *p = u; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("._-@", *p))
            return wg_err_set(err, WG_EINVAL,
                              "username '%s' may hold only letters, digits and . _ - @", u);
    return WG_OK;
}

int wg_role_is_admin(const char *role)
{
    return role &&
           (!strcmp(role, "sysadmin") || !strcmp(role, "secadmin") || !strcmp(role, "auditor"));
}

enum wg_rc wg_account_prepare(const char *username, const char *role, const char *scope,
                              const char *password, int must_change, struct wg_account_row *out,
                              struct wg_err *err)
{
    struct wg_account_row *a = out; /* filled as it is checked */
    struct wg_scope sc;
    enum wg_rc rc;
    memset(a, 0, sizeof *a);
    if ((rc = check_username(username, err)))
        return rc;
    if (!wg_role_find(role))
        return wg_err_set(err, WG_EINVAL,
                          "role '%s' is not one of sysadmin, secadmin, auditor, agent, "
                          "supervisor, handler, gridworker, community, mediator, leader",
                          role ? role : "");
    if ((rc = wg_scope_parse(scope, &sc, err)) || (rc = wg_password_check(password, err)))
        return rc;
    snprintf(a->username, sizeof a->username, "%s", username);
    snprintf(a->role, sizeof a->role, "%s", role);
    snprintf(a->scope_kind, sizeof a->scope_kind, "%s", sc.kind);
    snprintf(a->scope, sizeof a->scope, "%s", sc.code);
    a->must_change = must_change;
    return wg_password_hash(password, a->password_hash, err);
}

enum wg_rc wg_account_create(struct wg_db *db, const char *username, const char *role,
                             const char *scope, const char *password, int must_change,
                             struct wg_err *err)
{
    struct wg_account_row a;
    enum wg_rc rc = wg_account_prepare(username, role, scope, password, must_change, &a, err);
    return rc ? rc : wg_store_account_insert(db, &a, err);
}
