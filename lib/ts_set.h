/*
 * ts_set.h - the set of timestamps a history holds: what makes "one tick per timestamp" the one
 * rule of a history, applied by `import` and the stream processor alike (the first tick stored
 * for an instant wins; later ones are counted as duplicates, never appended).
 *
 * An open-addressing hash set of int64 keys, 8 bytes a tick at a load of at most one half (16 in
 * practice): a year of 30-second ticks is ~17 MB. Internal to the library.
 */
#ifndef BTCSTREAM_TS_SET_H
#define BTCSTREAM_TS_SET_H

#include <stddef.h>
#include <stdint.h>

#include "btcstream/status.h"

typedef struct {
    int64_t *slots; /* TS_SET_EMPTY marks a free slot */
    size_t cap;     /* a power of two, or 0 */
    size_t len;
    int has_empty_key; /* the one key that cannot be stored in a slot */
} ts_set;

/* Whether ts is in the set. */
int ts_set_has(const ts_set *set, int64_t ts);

/* Adds ts; returns 1 if it was new, 0 if already there, -1 when out of memory. */
int ts_set_add(ts_set *set, int64_t ts);

/*
 * Adds the timestamps of the history's lines in [from, to), whose writer lock the caller holds
 * (to is its size under the lock). A missing or empty range adds nothing. BS_ERR_FORMAT when the
 * history is not tick JSON lines.
 */
bs_status ts_set_add_history(ts_set *set, const char *history, int64_t from, int64_t to,
                             bs_error *err);

void ts_set_free(ts_set *set);

#endif
