/* Normal forms and validation of what people type (pii.h): phone numbers with the country prefix
 * dropped and the trunk 0 put back, ID numbers by GB 11643-1999. The trimming and the walk over a
 * phone number's digits are shared with the masks (pii_norm.h). */
#include "domain/accounts/pii.h"
#include "domain/accounts/pii_norm.h"

/* ---- normal forms ---- */

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

void wg_pii_trim(const char **s, size_t *n)
{
    while (*n && blank(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n && blank((*s)[*n - 1]))
        (*n)--;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool mobile_at(const char *d, size_t n)
{
    return n == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9';
}

void wg_pii_phone_init(struct wg_pii_phone *f, const char *s, size_t len)
{
    char head[16];
    size_t nh = 0;
    const char *t = s;
    size_t tn = len;
    wg_pii_trim(&t, &tn);
    memset(f, 0, sizeof *f);
    f->s = s;
    f->n = len;
    f->plus = tn > 0 && t[0] == '+';
    for (size_t i = 0; i < len; i++) {
        if (!is_digit(s[i]))
            continue;
        if (nh < sizeof head)
            head[nh++] = s[i];
        f->ndigits++;
    }
    size_t n = f->ndigits;
    bool explicit_cc = false;
    if (f->plus && n >= 2 && head[0] == '8' && head[1] == '6') {
        f->skip = 2;
        explicit_cc = true;
    } else if (!f->plus && n >= 4 && memcmp(head, "0086", 4) == 0) {
        f->skip = 4;
        explicit_cc = true;
    } else if (!f->plus && n == 13 && head[0] == '8' && head[1] == '6' && mobile_at(head + 2, 11)) {
        /* A bare 86 is a prefix only before a mobile number; 86xxxxxx may be a local line. */
        f->skip = 2;
    }
    if (explicit_cc && n > f->skip && head[f->skip] != '0') {
        /* head holds 16 digits; a mobile number is decided by its first two and the count. */
        f->lead0 = !mobile_at(head + f->skip, n - f->skip);
    }
    f->len = f->ndigits - f->skip + (f->lead0 ? 1 : 0);
}

bool wg_pii_phone_next(struct wg_pii_phone *f, char *digit)
{
    if (f->lead0 && f->given == 0) {
        f->given++;
        *digit = '0';
        return true;
    }
    while (f->at < f->n) {
        char c = f->s[f->at++];
        if (is_digit(c) && f->seen++ >= f->skip) {
            f->given++;
            *digit = c;
            return true;
        }
    }
    return false;
}

enum wg_rc wg_pii_normalize(enum wg_pii_kind kind, const char *value, char *out, size_t size,
                            struct wg_err *err)
{
    size_t n = strlen(value), w = 0;
    const char *s = value;
    if (kind == WG_PII_PHONE) {
        struct wg_pii_phone f;
        wg_pii_phone_init(&f, value, n);
        if (f.len + 1 > size)
            return wg_err_set(err, WG_ETOOBIG, "the phone number is too long");
        while (wg_pii_phone_next(&f, &out[w]))
            w++;
        out[w] = '\0';
        return WG_OK;
    }
    wg_pii_trim(&s, &n);
    if (n + 1 > size)
        return wg_err_set(err, WG_ETOOBIG, "the value is too long");
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (kind == WG_PII_ID && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        out[w++] = c;
    }
    out[w] = '\0';
    return WG_OK;
}

/* ---- validation ---- */

enum wg_rc wg_pii_check_phone(const char *phone, struct wg_err *err)
{
    const char *s = phone;
    size_t n = strlen(phone);
    struct wg_pii_phone f;
    char d[2] = {0, 0};
    size_t nd, w = 0;
    wg_pii_trim(&s, &n);
    if (n == 0)
        return wg_err_set(err, WG_EINVAL, "the phone number is empty");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_digit((char)c) || c == ' ' || c == '-' || c == '(' || c == ')' ||
            (c == '+' && i == 0))
            continue;
        if (c == '+')
            return wg_err_set(err, WG_EINVAL, "a '+' may only open the phone number");
        if (c >= 0x80 || c < 0x20 || c == 0x7f)
            return wg_err_set(err, WG_EINVAL,
                              "the phone number holds a character other than digits, spaces, '-' "
                              "and parentheses (at byte %zu)",
                              i + 1);
        return wg_err_set(err, WG_EINVAL,
                          "the phone number holds '%c' (character %zu); only digits, spaces, '-' "
                          "and parentheses are allowed",
                          (char)c, i + 1);
    }
    wg_pii_phone_init(&f, s, n);
    if (f.plus && f.skip == 0)
        return wg_err_set(err, WG_EINVAL,
                          "only mainland numbers are accepted: an international number must "
                          "start with +86");
    nd = f.len;
    if (nd == 0)
        return wg_err_set(err, WG_EINVAL, "the phone number has no digits");
    /* The first two normalised digits decide what kind of number it is. */
    while (w < sizeof d && wg_pii_phone_next(&f, &d[w]))
        w++;
    if (d[0] == '1') {
        if (nd != 11)
            return wg_err_set(err, WG_EINVAL, "a mobile number has 11 digits; this one has %zu",
                              nd);
        if (d[1] < '3')
            return wg_err_set(err, WG_EINVAL,
                              "not a mainland mobile number: the second digit must be 3 to 9");
        return WG_OK;
    }
    if (d[0] == '0') {
        if (nd == 1)
            return wg_err_set(err, WG_EINVAL, "the phone number is only an area-code 0");
        if (d[1] == '0')
            return wg_err_set(err, WG_EINVAL,
                              "only mainland numbers are accepted: 00 opens an international "
                              "number other than 0086");
        /* 010 and 02x are the 3-digit area codes (Beijing, Shanghai, Tianjin, Chongqing and
         * the largest cities), with 8-digit numbers; every other area code has 4 digits. */
        if ((d[1] == '1' || d[1] == '2') && nd != 11)
            return wg_err_set(err, WG_EINVAL,
                              "a landline with a 3-digit area code (010, 02x) has 8 more digits, "
                              "11 in all; this one has %zu",
                              nd);
        if (d[1] >= '3' && nd != 11 && nd != 12)
            return wg_err_set(err, WG_EINVAL,
                              "a landline with a 4-digit area code has 7 or 8 more digits, 11 or "
                              "12 in all; this one has %zu",
                              nd);
        return WG_OK;
    }
    if (nd != 7 && nd != 8)
        return wg_err_set(err, WG_EINVAL,
                          "a local landline has 7 or 8 digits; this one has %zu (with an area "
                          "code, start with 0)",
                          nd);
    return WG_OK;
}

/* Province-level codes of GB/T 2260, 81-83 for the residence permits of Hong Kong, Macao and
 * Taiwan residents, and 91 for foreigners' permanent residence ID cards. */
static bool province_code(int p)
{
    static const unsigned char codes[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34,
                                          35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
                                          53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91};
    for (size_t i = 0; i < sizeof codes; i++)
        if (codes[i] == p)
            return true;
    return false;
}

static bool real_date(int y, int m, int d)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap ? 1 : 0);
}

static int digits_at(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

char wg_pii_id_check_char(const char *first17)
{
    static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char check[] = "10X98765432";
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (first17[i] - '0') * weight[i];
    return check[sum % 11];
}

enum wg_rc wg_pii_check_id(const char *id, struct wg_err *err)
{
    const char *s = id;
    size_t n = strlen(id);
    wg_pii_trim(&s, &n);
    if (n == 0)
        return wg_err_set(err, WG_EINVAL, "the ID number is empty");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_digit((char)c) || ((c == 'X' || c == 'x') && i == n - 1))
            continue;
        if (c == 'X' || c == 'x')
            return wg_err_set(err, WG_EINVAL,
                              "character %zu of the ID number is X; only the last may be", i + 1);
        return wg_err_set(err, WG_EINVAL,
                          "character %zu of the ID number is not a digit (only the last may be X)",
                          i + 1);
    }
    if (n != 18)
        return wg_err_set(err, WG_EINVAL, "an ID number has 18 characters; this one has %zu%s", n,
                          n == 15 ? " (15-digit numbers from before 1999 are not accepted)" : "");
    if (!province_code(digits_at(s, 2)))
        return wg_err_set(err, WG_EINVAL,
                          "the ID number does not start with a province code (its first 2 "
                          "digits)");
    if (!real_date(digits_at(s + 6, 4), digits_at(s + 10, 2), digits_at(s + 12, 2)))
        return wg_err_set(err, WG_EINVAL,
                          "the birth date in the ID number (digits 7 to 14) is not a real date");
    if (wg_pii_id_check_char(s) != (s[17] == 'x' ? 'X' : s[17]))
        return wg_err_set(err, WG_EINVAL,
                          "the ID number's check character (the last) does not match the other "
                          "17: a digit is mistyped");
    return WG_OK;
}
