/* Failed logins per source address (login_limit.h). */
#include "domain/accounts/login_limit.h"

void wg_login_limit_init(struct wg_login_limit *l)
{
    memset(l, 0, sizeof *l);
    pthread_mutex_init(&l->mu, NULL);
}

void wg_login_limit_release(struct wg_login_limit *l)
{
    pthread_mutex_destroy(&l->mu);
}

int wg_login_limited(struct wg_login_limit *l, const char *addr, int failed, long long now)
{
    unsigned h = 5381;
    int limited;
    for (const char *p = addr; *p; p++)
        h = h * 33 + (unsigned char)*p;
    pthread_mutex_lock(&l->mu);
    struct wg_login_slot *s = &l->slot[h % WG_LOGIN_LIMIT_SLOTS];
    if (strcmp(s->addr, addr) || now - s->window >= 60) {
        snprintf(s->addr, sizeof s->addr, "%s", addr);
        s->window = now;
        s->count = 0;
    }
    if (failed)
        s->count++;
    limited = s->count >= WG_LOGIN_RATE_PER_MINUTE;
    pthread_mutex_unlock(&l->mu);
    return limited;
}
