/* Display masks (pii.h). They walk the input by UTF-8 characters, so a mask never cuts one and
 * never echoes an invalid byte, and write into the caller's buffer as snprintf does: whole
 * characters while they fit, and the length the whole mask needs. */
#include "domain/accounts/pii.h"
#include "core/utf8.h"
#include "domain/accounts/pii_norm.h"

/* A character of the input: its bytes, or one invalid byte. */
struct u8c {
    const char *p;
    size_t len;
    bool valid;
};

static bool u8_next(const char *s, size_t n, size_t *pos, struct u8c *c)
{
    if (*pos >= n)
        return false;
    size_t len = wg_utf8_seq((const unsigned char *)s + *pos, n - *pos, NULL);
    c->p = s + *pos;
    c->valid = len > 0;
    c->len = len ? len : 1;
    *pos += c->len;
    return true;
}

static size_t u8_count(const char *s, size_t n)
{
    struct u8c c;
    size_t pos = 0, k = 0;
    while (u8_next(s, n, &pos, &c))
        k++;
    return k;
}

/* Output into a caller's buffer: writes whole pieces while they fit, stops at the first that
 * does not (so the text is a prefix of the mask, never a cut character), and counts the length
 * the whole mask needs. */
struct mask_out {
    char *p;
    size_t size, w, need;
    bool full;
};

static void out_init(struct mask_out *o, char *p, size_t size)
{
    o->p = p;
    o->size = size;
    o->w = o->need = 0;
    o->full = false;
    if (size)
        p[0] = '\0';
}

static void out_put(struct mask_out *o, const char *s, size_t n)
{
    o->need += n;
    if (o->full || o->w + n >= o->size) {
        o->full = true;
        return;
    }
    memcpy(o->p + o->w, s, n);
    o->w += n;
    o->p[o->w] = '\0';
}

/* A kept character is copied; an invalid byte is never echoed, so the mask stays valid UTF-8. */
static void out_keep(struct mask_out *o, const struct u8c *c)
{
    if (c->valid)
        out_put(o, c->p, c->len);
    else
        out_put(o, "*", 1);
}

/* Keeps the first `head` and last `tail` characters of s and masks the rest with one '*' each. */
static size_t mask_middle(const char *s, size_t n, size_t head, size_t tail, char *out, size_t size)
{
    struct mask_out o;
    struct u8c c;
    size_t pos = 0, i = 0, count = u8_count(s, n);
    out_init(&o, out, size);
    while (u8_next(s, n, &pos, &c)) {
        if (i < head || i + tail >= count)
            out_keep(&o, &c);
        else
            out_put(&o, "*", 1);
        i++;
    }
    return o.need;
}

size_t wg_pii_mask_id(const char *id, char *out, size_t size)
{
    const char *s = id;
    size_t n = strlen(id), count;
    wg_pii_trim(&s, &n);
    count = u8_count(s, n);
    if (count >= 14)
        return mask_middle(s, n, 6, 4, out, size);
    return mask_middle(s, n, 0, count > 2 ? 2 : 0, out, size);
}

size_t wg_pii_mask_phone(const char *phone, char *out, size_t size)
{
    struct wg_pii_phone f;
    struct mask_out o;
    size_t head, tail;
    char c;
    wg_pii_phone_init(&f, phone, strlen(phone));
    head = f.len >= 10 ? 3 : 0;
    tail = f.len >= 10 ? 4 : f.len > 2 ? 2 : 0;
    out_init(&o, out, size);
    while (wg_pii_phone_next(&f, &c)) {
        size_t j = f.given - 1;
        out_put(&o, j < head || j + tail >= f.len ? &c : "*", 1);
    }
    return o.need;
}

/* Two-character surnames (复姓) from the Hundred Family Surnames and in current use. */
static const char *const compound_surnames[] = {
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
    "司徒", "夏侯", "轩辕", "令狐", "端木", "独孤", "南宫", "西门", "呼延", "万俟", "闻人",
    "澹台", "公冶", "赫连", "申屠", "太史", "钟离", "宗政", "濮阳", "淳于", "单于", "司空",
    "第五", "拓跋", "百里", "东郭", "左丘", "梁丘", "鲜于", "闾丘", "亓官", "司寇", "仲孙",
    "公羊", "谷梁", "乐正", "漆雕", "巫马", "公西", "颛孙", "壤驷", "段干", "羊舌", "微生",
};

/* The first `keep` characters of s, then a fixed tail whatever the length of the rest;
 * empty input gives "". */
static size_t mask_head(const char *s, size_t n, size_t keep, const char *tail, char *out,
                        size_t size)
{
    struct mask_out o;
    struct u8c c;
    size_t pos = 0;
    out_init(&o, out, size);
    if (n == 0)
        return 0;
    for (size_t i = 0; i < keep && u8_next(s, n, &pos, &c); i++)
        out_keep(&o, &c);
    out_put(&o, tail, strlen(tail));
    return o.need;
}

static bool compound_surname(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof compound_surnames / sizeof compound_surnames[0]; i++) {
        size_t cl = strlen(compound_surnames[i]);
        if (n >= cl && memcmp(s, compound_surnames[i], cl) == 0)
            return true;
    }
    return false;
}

size_t wg_pii_mask_name(const char *name, char *out, size_t size)
{
    const char *s = name;
    size_t n = strlen(name);
    wg_pii_trim(&s, &n);
    /* A compound surname is kept whole only when a given name follows it. */
    return mask_head(s, n, u8_count(s, n) >= 3 && compound_surname(s, n) ? 2 : 1, "*", out, size);
}

size_t wg_pii_mask_address(const char *address, char *out, size_t size)
{
    const char *s = address;
    size_t n = strlen(address), keep;
    wg_pii_trim(&s, &n);
    keep = u8_count(s, n) / 2;
    return mask_head(s, n, keep > 6 ? 6 : keep, "****", out, size);
}
