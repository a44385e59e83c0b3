/* Work orders' value lists (SPEC §9): channels, types, urgencies and special lines, and the
 * check of a value against one of them. The rest of the order module is in order_*.c. */
#include "domain/orders/order.h"

const char *const wg_order_channels[] = {"hotline", "web",      "app",   "gridworker",
                                         "window",  "mailbox",  "video", "sensor",
                                         "open311", "transfer", NULL};
const char *const wg_order_types[] = {"consult",    "help",   "complaint", "report",
                                      "suggestion", "praise", "wish",      NULL};
const char *const wg_order_urgencies[] = {"normal", "urgent", "critical", NULL};
const char *const wg_order_lines[] = {"special_team", "judicial", "joint_conference", "assistance",
                                      NULL};
const char *const wg_order_contact_means[] = {"phone", "visit", "sms", "other", NULL};

int wg_order_value_in(const char *const *list, const char *s)
{
    for (; s && *list; list++)
        if (!strcmp(*list, s))
            return 1;
    return 0;
}
