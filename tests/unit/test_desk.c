/* The desks' logic without a store: the keyset cursor's text, read back and refused when it
 * is not one, and the working time left before a deadline or past it. */
#include "t.h"

#include "core/civil.h"
#include "domain/calendar/calendar.h"
#include "domain/orders/order.h"

/* Unix seconds of a China Standard Time wall clock. */
static long long cst(int y, int mo, int d, int h, int mi)
{
    return (long long)wg_civil_days(y, mo, d) * 86400 + h * 3600 + mi * 60 - 8 * 3600;
}

static void test_cursor_round_trip(void)
{
    static const struct wg_desk_cursor cases[] = {
        {'d', 2, 253402300799LL, 1, "2026-12-07T09:00:00+08:00", 0},
        {'u', 0, 1765000000LL, 9876543210LL, "2026-01-01T00:00:00Z", 0xdeadbeefu},
        {'n', 1, 0, 42, "", 1},
        {'a', 2, -1, 0, "2026-12-07T09:00:00.123+08:00", 0xffffffffu},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[200];
        struct wg_desk_cursor back;
        struct wg_err err = {0};
        wg_desk_cursor_encode(&cases[i], text, sizeof text);
        T_CHECK(strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
                strlen(text));
        if (!cases[i].created_at[0]) { /* a cursor always has its row's time */
            T_EQ_INT(wg_desk_cursor_decode(text, &back, &err), WG_EINVAL);
            continue;
        }
        T_EQ_INT(wg_desk_cursor_decode(text, &back, &err), WG_OK);
        T_EQ_INT(back.sort, cases[i].sort);
        T_EQ_INT(back.rank, cases[i].rank);
        T_EQ_INT(back.due, cases[i].due);
        T_EQ_INT(back.id, cases[i].id);
        T_EQ_STR(back.created_at, cases[i].created_at);
        T_EQ_INT(back.fingerprint, cases[i].fingerprint);
    }
}

static void test_cursor_refused(void)
{
    struct wg_desk_cursor good = {'d', 2, 100, 7, "2026-12-07T09:00:00Z", 5}, c;
    char text[200], bad[200];
    wg_desk_cursor_encode(&good, text, sizeof text);
    const char *cases[] = {"", "A", "AAAA", "!!!!", "abc=", "MXxkfDJ8", text + 1, NULL};
    for (int i = 0; cases[i]; i++) {
        struct wg_err err = {0};
        T_EQ_INT(wg_desk_cursor_decode(cases[i], &c, &err), WG_EINVAL);
        T_CHECK(strstr(err.msg, "'cursor'") != NULL);
    }
    /* any one character changed: refused or read as another place, never a crash */
    for (size_t i = 0; i < strlen(text); i++) {
        struct wg_err err = {0};
        snprintf(bad, sizeof bad, "%s", text);
        bad[i] = bad[i] == 'A' ? '_' : 'A';
        if (wg_desk_cursor_decode(bad, &c, &err) == WG_OK)
            T_CHECK(c.rank >= 0 && c.rank <= 2 && c.id >= 0);
    }
    char huge[400];
    memset(huge, 'A', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    struct wg_err err = {0};
    T_EQ_INT(wg_desk_cursor_decode(huge, &c, &err), WG_EINVAL);
}

static void test_remaining(void)
{
    struct wg_calendar *cal = wg_calendar_new();
    wg_calendar_set_fallback(cal, true); /* Monday to Friday, 08:30-12:00 and 13:30-17:30 */
    struct {
        const char *urgency;
        long long deadline, now, minutes;
        int days, hours, overdue, natural;
    } cases[] = {
        /* two working hours left on a Monday morning */
        {"normal", cst(2026, 12, 7, 11, 0), cst(2026, 12, 7, 9, 0), 120, 0, 2, 0, 0},
        /* one working day: Monday 09:00 to Tuesday 09:00 */
        {"normal", cst(2026, 12, 8, 9, 0), cst(2026, 12, 7, 9, 0), 450, 1, 0, 0, 0},
        /* the lunch break and the night do not count: Friday 17:00 to Monday 09:00 */
        {"normal", cst(2026, 12, 14, 9, 0), cst(2026, 12, 11, 17, 0), 60, 0, 1, 0, 0},
        /* overdue since Monday's close: an hour and a half of Tuesday's work */
        {"normal", cst(2026, 12, 7, 17, 30), cst(2026, 12, 8, 10, 0), 90, 0, 1, 1, 0},
        /* nine working days past */
        {"normal", cst(2026, 12, 1, 9, 0), cst(2026, 12, 14, 9, 0), 9 * 450, 9, 0, 1, 0},
        /* urgent orders run on natural time: 26 hours */
        {"urgent", cst(2026, 12, 8, 11, 0), cst(2026, 12, 7, 9, 0), 26 * 60, 1, 2, 0, 1},
        {"critical", cst(2026, 12, 7, 9, 0), cst(2026, 12, 7, 9, 30), 30, 0, 0, 1, 1},
        /* at the deadline itself: nothing left, not yet overdue */
        {"normal", cst(2026, 12, 7, 9, 0), cst(2026, 12, 7, 9, 0), 0, 0, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct wg_remaining r;
        wg_order_remaining(cal, cases[i].urgency, cases[i].deadline, cases[i].now, &r);
        T_EQ_INT(r.minutes, cases[i].minutes);
        T_EQ_INT(r.days, cases[i].days);
        T_EQ_INT(r.hours, cases[i].hours);
        T_EQ_INT(r.overdue, cases[i].overdue);
        T_EQ_INT(r.natural, cases[i].natural);
    }
    /* without a calendar: natural time */
    struct wg_remaining r;
    wg_order_remaining(NULL, "normal", 7200, 0, &r);
    T_EQ_INT(r.minutes, 120);
    T_EQ_INT(r.natural, 1);
    wg_calendar_free(cal);
}

int main(void)
{
    test_cursor_round_trip();
    test_cursor_refused();
    test_remaining();
    return T_DONE("desk");
}
