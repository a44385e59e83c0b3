/* The text indexer: one thread that makes the full-text entries of new orders behind intake,
 * on a connection of its own to the text index (wg_store_search_open), so that the group
 * committer's writer never spends its time on them.
 *
 * Every order whose id is above the index's mark still waits for its entries (ids only
 * grow); the indexer makes them many at a time — whatever waits every 50 ms, at most 2,048
 * orders a transaction, the entries and the new mark committed together — because FTS5
 * writes out a segment at every transaction. At start it first drops entries of orders the
 * store no longer has (a store restored from a copy, or a power cut that took the store's
 * last commits and not the index's). A search calls wg_text_index_catch_up first and so
 * finds every order committed before it began. On a backend that searches the orders table
 * itself there is no thread and catching up is immediate. */
#ifndef WG_DOMAIN_TEXT_INDEX_H
#define WG_DOMAIN_TEXT_INDEX_H

#include "store/store.h"

struct wg_text_index;

enum wg_rc wg_text_index_start(struct wg_store *st, struct wg_text_index **out, struct wg_err *err);
/* Indexes whatever still waits, then stops the thread; NULL: nothing. */
void wg_text_index_stop(struct wg_text_index *ix);
/* Returns once every order committed before the call has its entries. */
enum wg_rc wg_text_index_catch_up(struct wg_text_index *ix, struct wg_err *err);
/* Indexes everything that waits on a connection opened for the purpose (the command line,
 * tests); *indexed (may be NULL) receives how many orders. */
enum wg_rc wg_text_index_all(struct wg_store *st, long long *indexed, struct wg_err *err);

#endif
