/* The catalog (派单目录, SPEC §3): the tree of things residents appeal about, which an order
 * is classified to and routed by. Pure logic: building, checking, looking up, suggesting
 * and JSON in/out; storing and versioning catalogs is the store's and the admin API's job.
 *
 * An item has:
 *   code         1–15 characters of [0-9A-Za-z._-], unique in the catalog;
 *   parent       the parent's code, "" for a top-level node;
 *   name         UTF-8, non-empty (Chinese, as residents and agents say it);
 *   limits       time limits in working minutes — sign (签收), return (退回 a wrongly sent
 *                order), reply (办结答复), extension (延期, the most one extension may add);
 *                0 means "inherited from the parent", and above the top level from the
 *                catalog's defaults (SPEC §3: 2 working hours, 2, 5 and 10 working days);
 *   urgency      the default urgency of a new order of this item (normal, urgent, critical);
 *                the shipped urgent and critical items also carry SPEC §3's urgent limits
 *                as their own (紧急 24 h: reply in a working day; 特急 2 h: in 120 working
 *                minutes), so an order at its item's urgency needs no other rule;
 *   self_handle  a grid worker may fix it on the spot (自处置);
 *   duplicate_radius_m  how near (metres, 1–WG_CATALOG_DUP_RADIUS_MAX) another order of the
 *                same item must lie to be offered as its duplicate (domain/orders/duplicates.h);
 *                0 means inherited from the parent, and above the top level
 *                WG_CATALOG_DUP_RADIUS_DEFAULT;
 *   public_intake  residents may report it directly (the Open311 services list);
 *   keywords     words that hint at the item in a resident's text (wg_catalog_suggest);
 *   attributes   the questions a resident answers when reporting it (an Open311 service
 *                definition, GeoReport v2): each has a code (the same form as item codes,
 *                unique in the item), a datatype — string (one line), number (a decimal),
 *                datetime (W3C date-time with a zone), text (several lines), singlevaluelist
 *                or multivaluelist (keys from its values) —, whether it is required, whether
 *                the resident answers it (variable; false: information shown only), an order
 *                (1, 2, ... the order of showing), a description (the question) and a
 *                datatype_description (a hint on the answer's form, may be empty); list
 *                datatypes have 1 to WG_CATALOG_VALUES_MAX values {key, name}, keys unique in
 *                the attribute, the other datatypes none.
 *
 * Invariants (wg_catalog_validate): codes unique, every parent exists, no cycles, at most
 * WG_CATALOG_MAX_DEPTH levels, names non-empty, limits positive when set, and for every item
 * its effective extension at least its effective reply.
 *
 * Code scheme of the shipped defaults (catalog_defaults.c), all digits, the length telling
 * the family apart:
 *   01–19      top level reserved for GB/T 47678.5-2026 classes; 06 市容环境, 07 宣传广告,
 *              08 施工管理, 09 街面秩序, 10 其他 are shipped (01–05 are not events);
 *   CCNNN      city-management event items: class (2 digits) + item (3 digits), as in the
 *              standard (06028 噪声扰民, 09006 占道经营). Only those two are the standard's;
 *              every other item uses a provisional number from 901 up (06901…), to be
 *              replaced by the standard's table — the 9xx range keeps them from colliding
 *              with real numbers meanwhile;
 *   21–35      the 15 top domains of 12345 platforms, in SPEC §3 order (21 城乡建设 … 35 政法);
 *   DDNN       12345 items: domain (2 digits) + item (2 digits), 2101 供水中断 …;
 *   36–99      free for local top-level additions; local sub-items append digits. */
#ifndef WG_DOMAIN_CATALOG_H
#define WG_DOMAIN_CATALOG_H

#include <stddef.h>

#include <jansson.h>

#include "core/err.h"

/* The default working day: 08:30–12:00 and 13:30–17:30 (SPEC §3), 7.5 hours. Limits given
 * in working days are this many working minutes per day. */
#define WG_CATALOG_DAY_MINUTES 450

/* SPEC §3 defaults (Shandong hotline rules), in working minutes. */
#define WG_CATALOG_SIGN_DEFAULT   120                           /* 2 working hours */
#define WG_CATALOG_RETURN_DEFAULT (2 * WG_CATALOG_DAY_MINUTES)  /* 2 working days */
#define WG_CATALOG_REPLY_DEFAULT  (5 * WG_CATALOG_DAY_MINUTES)  /* 5 working days */
#define WG_CATALOG_EXTEND_DEFAULT (10 * WG_CATALOG_DAY_MINUTES) /* 10 working days */
/* The largest limit accepted: a year of working days, far beyond any real rule. */
#define WG_CATALOG_LIMIT_MAX (366 * WG_CATALOG_DAY_MINUTES)
/* Duplicate candidates of the same item lie within this many metres unless an item says. */
#define WG_CATALOG_DUP_RADIUS_DEFAULT 200
#define WG_CATALOG_DUP_RADIUS_MAX     5000

#define WG_CATALOG_CODE_MAX      15  /* bytes */
#define WG_CATALOG_NAME_MAX      120 /* bytes of UTF-8: 40 Chinese characters */
#define WG_CATALOG_KEYWORD_MAX   60  /* bytes of UTF-8: 20 Chinese characters */
#define WG_CATALOG_KEYWORDS_MAX  64  /* per item */
#define WG_CATALOG_ITEMS_MAX     10000
#define WG_CATALOG_MAX_DEPTH     8
#define WG_CATALOG_ATTRS_MAX     32  /* per item */
#define WG_CATALOG_VALUES_MAX    100 /* per list attribute */
#define WG_CATALOG_ATTR_TEXT_MAX 400 /* bytes of a description, a value's key or name */
/* wg_catalog_suggest reads at most this much of a text (cut at a character boundary). */
#define WG_CATALOG_SUGGEST_TEXT_MAX 16384

/* SPEC §9 urgency values. */
enum wg_urgency { WG_URGENCY_NORMAL = 0, WG_URGENCY_URGENT, WG_URGENCY_CRITICAL };

/* Open311 attribute datatypes, in the specification's order. */
enum wg_attr_type {
    WG_ATTR_STRING = 0,
    WG_ATTR_NUMBER,
    WG_ATTR_DATETIME,
    WG_ATTR_TEXT,
    WG_ATTR_SINGLEVALUELIST,
    WG_ATTR_MULTIVALUELIST,
};
/* 1 for the types whose values come from a list (single and multi value lists). */
int wg_catalog_attr_is_list(enum wg_attr_type t);
const char *wg_catalog_attr_type_name(enum wg_attr_type t); /* "singlevaluelist" */
/* WG_EINVAL listing the six names. */
enum wg_rc wg_catalog_attr_type_parse(const char *name, enum wg_attr_type *out, struct wg_err *err);

struct wg_catalog_value {
    char *key, *name; /* owned */
};

struct wg_catalog_attr {
    char code[WG_CATALOG_CODE_MAX + 1];
    enum wg_attr_type type;
    int required, variable, order;
    char *description, *datatype_description; /* owned; "" when empty, never NULL */
    struct wg_catalog_value *values;          /* owned; list datatypes only */
    size_t nvalues;
};

/* Time limits in working minutes; in an item's own limits 0 means inherited. */
struct wg_catalog_limits {
    int sign, ret, reply, extension;
};

struct wg_catalog_item {
    char code[WG_CATALOG_CODE_MAX + 1];
    char parent[WG_CATALOG_CODE_MAX + 1]; /* "" at the top level */
    char name[WG_CATALOG_NAME_MAX + 1];
    struct wg_catalog_limits limits; /* own; 0 fields are inherited */
    enum wg_urgency urgency;
    int self_handle;
    int public_intake;
    int dup_radius;  /* metres; 0: inherited */
    char **keywords; /* owned */
    size_t nkeywords;
    struct wg_catalog_attr *attrs; /* owned; in order of adding (the JSON's order) */
    size_t nattrs;
};

struct wg_catalog {
    struct wg_catalog_limits defaults; /* what top-level items inherit */
    struct wg_catalog_item *items;     /* in insertion order, which export keeps */
    size_t n, cap;
    /* items sorted by code, built by wg_catalog_validate; cleared by any add */
    size_t *index;
    int indexed;
};

/* An empty catalog with the SPEC §3 defaults; wg_catalog_release frees what it holds. */
void wg_catalog_init(struct wg_catalog *cat);
void wg_catalog_release(struct wg_catalog *cat);

/* Appends an item (code, parent and name copied; parent NULL or "" for the top level), with
 * limits inherited, urgency normal and no flags or keywords. *out, when given, points at the
 * new item until the next add. WG_EINVAL for a code of the wrong form or a name too long or
 * not UTF-8; WG_ETOOBIG past WG_CATALOG_ITEMS_MAX. Parents and duplicates are checked by
 * wg_catalog_validate, so items may come in any order. */
enum wg_rc wg_catalog_add(struct wg_catalog *cat, const char *code, const char *parent,
                          const char *name, struct wg_catalog_item **out, struct wg_err *err);
/* Appends a keyword (copied; non-empty UTF-8, at most WG_CATALOG_KEYWORD_MAX bytes). */
enum wg_rc wg_catalog_keyword_add(struct wg_catalog_item *it, const char *kw, struct wg_err *err);

/* Appends an attribute to an item (strings copied; description and datatype_description may
 * be NULL for empty), variable, with order = its position (1, 2, ...); *out, when given,
 * points at it until the next add to this item. Values are added with
 * wg_catalog_value_add. Form and uniqueness are checked by wg_catalog_validate. */
enum wg_rc wg_catalog_attr_add(struct wg_catalog_item *it, const char *code, enum wg_attr_type type,
                               int required, const char *description,
                               const char *datatype_description, struct wg_catalog_attr **out,
                               struct wg_err *err);
enum wg_rc wg_catalog_value_add(struct wg_catalog_attr *a, const char *key, const char *name,
                                struct wg_err *err);
/* The attribute of an item with this code, or NULL. */
const struct wg_catalog_attr *wg_catalog_attr_find(const struct wg_catalog_item *it,
                                                   const char *code);
/* The value of a list attribute with this key, or NULL. */
const struct wg_catalog_value *wg_catalog_value_find(const struct wg_catalog_attr *a,
                                                     const char *key);

/* Adds the shipped default tree (catalog_defaults.c) to cat, normally an empty one, and
 * validates it. */
enum wg_rc wg_catalog_load_defaults(struct wg_catalog *cat, struct wg_err *err);

/* Checks the invariants above and builds the code index. WG_EINVAL naming the first item at
 * fault ("item '2101': ..."). Call it after building or changing a catalog and before
 * sharing it: lookups on a validated catalog are read-only and safe from many threads. */
enum wg_rc wg_catalog_validate(struct wg_catalog *cat, struct wg_err *err);

/* The item with this code, or NULL. Binary search once validated, a scan before. */
const struct wg_catalog_item *wg_catalog_find(const struct wg_catalog *cat, const char *code);

/* The item's effective limits: each field its own when set, else its nearest ancestor's,
 * else the catalog's defaults. WG_ENOTFOUND for an unknown code, WG_EINVAL when the chain of
 * parents is broken or loops (an unvalidated catalog). */
enum wg_rc wg_catalog_limits(const struct wg_catalog *cat, const char *code,
                             struct wg_catalog_limits *out, struct wg_err *err);

/* The item's duplicate radius in metres: its own when set, else its nearest ancestor's, else
 * WG_CATALOG_DUP_RADIUS_DEFAULT (also for an unknown code). */
int wg_catalog_dup_radius(const struct wg_catalog *cat, const char *code);

/* The children of code (NULL or "" for the top level), in catalog order: fills out with up
 * to max of them and returns how many there are in all (which may exceed max). */
size_t wg_catalog_children(const struct wg_catalog *cat, const char *code,
                           const struct wg_catalog_item **out, size_t max);

/* Classification hints for a resident's text. Matching is by substring on UTF-8 (valid
 * UTF-8 cannot match in the middle of a character), after folding ASCII and full-width
 * Latin letters and digits to lower-case ASCII on both sides. An item scores
 *   the number of characters of each distinct keyword found in the text
 *   + twice the number of characters of its name when the whole name is found,
 * so longer, more specific words weigh more and naming the item outright weighs most.
 * Items scoring 0 are left out; the rest rank by score, then by more keywords found, then
 * by code. Fills out with the best max and returns how many it wrote. */
struct wg_catalog_hint {
    const struct wg_catalog_item *item;
    int score;
    int matched; /* keywords found, plus 1 when the name was */
};
size_t wg_catalog_suggest(const struct wg_catalog *cat, const char *text,
                          struct wg_catalog_hint *out, size_t max);

/* JSON form of a whole catalog (the admin API and versioning use it):
 *   {"defaults": {"sign_minutes": 120, "return_minutes": 900, "reply_minutes": 2250,
 *                 "extension_minutes": 4500},
 *    "items": [{"code": "2108", "parent": "21", "name": "路灯不亮",
 *               "limits": {"reply_minutes": 900},        (own limits only; may be absent)
 *               "urgency": "normal", "self_handle": false, "public_intake": true,
 *               "keywords": ["路灯", "不亮"],
 *               "attributes": [{"code": "count", "datatype": "singlevaluelist",
 *                               "required": true, "variable": true, "order": 2,
 *                               "description": "有几盏灯不亮？", "datatype_description": "",
 *                               "values": [{"key": "1", "name": "1 盏"}, ...]}]}, ...]}
 * "parent" is absent at the top level, "attributes" when the item has none, "values" on
 * attributes that are not lists; items and attributes keep their order. In the input an
 * attribute needs only code, datatype and description (and values for the lists): required
 * defaults to false, variable to true, order to its position, datatype_description to "". Returns a
 * new reference. */
json_t *wg_catalog_to_json(const struct wg_catalog *cat);

/* Reads that form into cat (an empty, initialised catalog) and validates it. Only
 * "code" and "name" are required in an item; unknown fields are refused so that a misspelt
 * one is not silently ignored. WG_EINVAL naming the item (by index and code) and the field.
 * On failure cat may hold part of the input: release it. */
enum wg_rc wg_catalog_from_json(struct wg_catalog *cat, const json_t *j, struct wg_err *err);
/* The keys of an item's JSON object (NULL-terminated); any other is refused. */
extern const char *const wg_catalog_item_fields[];

/* The same from text; malformed JSON is WG_EINVAL naming line, column and byte. */
enum wg_rc wg_catalog_parse(struct wg_catalog *cat, const char *text, size_t len,
                            struct wg_err *err);

const char *wg_catalog_urgency_name(enum wg_urgency u); /* "urgent" */
/* WG_EINVAL listing the accepted names. */
enum wg_rc wg_catalog_urgency_parse(const char *name, enum wg_urgency *out, struct wg_err *err);

#endif
