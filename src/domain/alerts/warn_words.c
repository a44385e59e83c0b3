/* Stability keywords (warn_detect.h): the first of the rules' words found in an order's title
 * or content makes a red warning at once, one situation per village and word. */
#include "domain/alerts/warn_detect.h"

#include <stdio.h>
#include <string.h>

int wg_warn_words_feed(const struct wg_warn_rules *r, const struct wg_warn_order *o,
                       struct wg_warn_hit *h)
{
    const char *word = NULL;
    for (int i = 0; i < r->nwords && !word; i++)
        if (strstr(o->title, r->words[i]) || strstr(o->content, r->words[i]))
            word = r->words[i];
    if (!word)
        return 0;
    static _Thread_local long long one;
    one = o->id;
    h->kind = WG_WARN_WORDS;
    h->level = WG_WARN_RED;
    h->trigger = o->id;
    h->at = o->at;
    h->item[0] = '\0'; /* one situation whatever the items its orders were given */
    wg_warn_scope_of(o, h->scope);
    snprintf(h->key, sizeof h->key, "%.12s:%s", *o->grid ? o->grid : o->county, word);
    h->has_point = o->has_point;
    h->lon = o->lon;
    h->lat = o->lat;
    h->match_m = 0;
    h->count = 1;
    snprintf(h->detail, sizeof h->detail, "{\"word\":\"%s\"}", word);
    h->ids = &one;
    h->nids = 1;
    return 1;
}
