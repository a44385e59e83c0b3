/* Reference-counted snapshots and their slot (snap.h). */
#include "core/snap.h"

void wg_snap_init(struct wg_snap *s, long long version, void (*free_fn)(struct wg_snap *))
{
    atomic_init(&s->refs, 1);
    s->version = version;
    s->free = free_fn;
}

void wg_snap_release(struct wg_snap *s)
{
    if (s && atomic_fetch_sub(&s->refs, 1) == 1)
        s->free(s);
}

void wg_slot_init(struct wg_slot *slot)
{
    pthread_mutex_init(&slot->mu, NULL);
    slot->cur = NULL;
}

void wg_slot_release(struct wg_slot *slot)
{
    wg_snap_release(slot->cur);
    slot->cur = NULL;
    pthread_mutex_destroy(&slot->mu);
}

struct wg_snap *wg_slot_acquire(struct wg_slot *slot)
{
    struct wg_snap *s;
    pthread_mutex_lock(&slot->mu);
    s = slot->cur;
    if (s)
        atomic_fetch_add(&s->refs, 1);
    pthread_mutex_unlock(&slot->mu);
    return s;
}

void wg_slot_publish(struct wg_slot *slot, struct wg_snap *s)
{
    struct wg_snap *old;
    pthread_mutex_lock(&slot->mu);
    old = slot->cur;
    if (old && s->version < old->version) { /* a slower rebuild of an older version */
        old = s;
    } else {
        slot->cur = s;
    }
    pthread_mutex_unlock(&slot->mu);
    wg_snap_release(old);
}

long long wg_slot_version(struct wg_slot *slot)
{
    long long v;
    pthread_mutex_lock(&slot->mu);
    v = slot->cur ? slot->cur->version : 0;
    pthread_mutex_unlock(&slot->mu);
    return v;
}
