/* Reference-counted immutable snapshots and the slot that holds the one in force (the locate
 * index, the dispatch catalog): readers take a reference and use the snapshot without a lock
 * for as long as they need; a rebuild makes a new snapshot beside it and publishes it, and
 * the old one is freed when its last reader lets go, so a rebuild never blocks a reader.
 *
 * A snapshot type embeds struct wg_snap as its first member and gives a function that frees
 * the whole object. Each snapshot has a version; a slot keeps the newest, so a slow rebuild
 * that finishes after a newer one is dropped instead of published. */
#ifndef WG_CORE_SNAP_H
#define WG_CORE_SNAP_H

#include <pthread.h>
#include <stdatomic.h>

struct wg_snap {
    atomic_int refs;
    long long version;
    void (*free)(struct wg_snap *s); /* frees the object the snapshot begins */
};

/* One reference, held by the caller. */
void wg_snap_init(struct wg_snap *s, long long version, void (*free_fn)(struct wg_snap *));
/* Drops one reference; the last frees the snapshot. NULL is a no-op. */
void wg_snap_release(struct wg_snap *s);

struct wg_slot {
    pthread_mutex_t mu;
    struct wg_snap *cur;
};
void wg_slot_init(struct wg_slot *slot);
/* Drops the slot's reference; readers still holding the snapshot keep it. */
void wg_slot_release(struct wg_slot *slot);
/* The snapshot in force with a reference for the caller; NULL before the first publish. */
struct wg_snap *wg_slot_acquire(struct wg_slot *slot);
/* Takes the caller's reference to s: it becomes the one in force, and the old one's
 * reference is dropped — unless s is older than the one in force, which is dropped instead. */
void wg_slot_publish(struct wg_slot *slot, struct wg_snap *s);
/* The version in force; 0 before the first publish. */
long long wg_slot_version(struct wg_slot *slot);

#endif
