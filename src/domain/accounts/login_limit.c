/* Failed logins per source address (login_limit.h). */
#include "domain/accounts/login_limit.h"
#include "core/assert.h"

#define WINDOW 60

void wg_login_limit_init(struct wg_login_limit *l)
{
    memset(l, 0, sizeof *l);
    pthread_mutex_init(&l->mu, NULL);
}

void wg_login_limit_release(struct wg_login_limit *l)
{
    pthread_mutex_destroy(&l->mu);
}

/* A window that has passed counts nothing any more. */
static void roll(struct wg_login_slot *s, long long now)
{
    if (s->count && now - s->window >= WINDOW)
        s->count = 0;
}

/* How good a slot is to give to a new address: a free one, then one whose window is over
 * or never counted a failure, then any; the oldest window first. */
static int worse(const struct wg_login_slot *a, const struct wg_login_slot *b)
{
    int ra = !a->addr[0] ? 0 : !a->count ? 1 : 2, rb = !b->addr[0] ? 0 : !b->count ? 1 : 2;
    return ra != rb ? ra > rb : a->window > b->window;
}

/* addr's slot; with make, one taken for it when it has none (NULL when every slot it may
 * have holds a login in flight). Called with l->mu held. */
static struct wg_login_slot *slot_of(struct wg_login_limit *l, const char *addr, long long now,
                                     int make)
{
    struct wg_login_slot *reuse = NULL;
    unsigned h = 5381;
    for (const char *p = addr; *p; p++)
        h = h * 33 + (unsigned char)*p;
    for (unsigned i = 0; i < WG_LOGIN_PROBE; i++) {
        struct wg_login_slot *s = &l->slot[(h + i) % WG_LOGIN_LIMIT_SLOTS];
        if (s->addr[0] && !strcmp(s->addr, addr))
            return s;
        if (s->in_flight)
            continue;
        roll(s, now);
        if (!reuse || worse(reuse, s))
            reuse = s;
    }
    if (!make || !reuse)
        return NULL;
    memset(reuse, 0, sizeof *reuse);
    snprintf(reuse->addr, sizeof reuse->addr, "%s", addr);
    return reuse;
}

int wg_login_limit_spent(struct wg_login_limit *l, const char *addr, long long now)
{
    int spent = 0;
    pthread_mutex_lock(&l->mu);
    struct wg_login_slot *s = slot_of(l, addr, now, 0);
    if (s) {
        roll(s, now);
        spent = s->count >= WG_LOGIN_RATE_PER_MINUTE;
    }
    pthread_mutex_unlock(&l->mu);
    return spent;
}

enum wg_login_admit wg_login_limit_admit(struct wg_login_limit *l, const char *addr, long long now)
{
    enum wg_login_admit a = WG_LOGIN_WAIT;
    pthread_mutex_lock(&l->mu);
    struct wg_login_slot *s = slot_of(l, addr, now, 1);
    if (s) {
        roll(s, now);
        if (s->count >= WG_LOGIN_RATE_PER_MINUTE) {
            a = WG_LOGIN_REFUSE;
        } else if (s->count + s->in_flight < WG_LOGIN_RATE_PER_MINUTE) {
            s->in_flight++;
            a = WG_LOGIN_GO;
        }
    }
    pthread_mutex_unlock(&l->mu);
    return a;
}

void wg_login_limit_settle(struct wg_login_limit *l, const char *addr, int failed, long long now)
{
    pthread_mutex_lock(&l->mu);
    struct wg_login_slot *s = slot_of(l, addr, now, 0);
    WG_ASSERT(s && s->in_flight > 0); /* a slot with a login in flight is never reused */
    s->in_flight--;
    roll(s, now);
    if (failed) {
        if (!s->count)
            s->window = now;
        s->count++;
    }
    pthread_mutex_unlock(&l->mu);
}
