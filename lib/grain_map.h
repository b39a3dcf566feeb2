/*
 * grain_map.h (private) - an open-addressing hash map from a time grain's index to its running
 * statistics. Consecutive ticks almost always fall into the same grain, so the map remembers the
 * last slot it returned and answers that case without hashing.
 */
#ifndef BTCSTREAM_GRAIN_MAP_H
#define BTCSTREAM_GRAIN_MAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    int64_t key; /* grain index: floor(ts / grain) */
    uint64_t count;
    double sum_close, min_close, max_close;
    double max_high, min_low;
    int64_t first_ts, last_ts;
    double first_open, last_close;
    double sum_close_err; /* what sum_close lost to rounding (compensated sum, see aggregate.c) */
    /* The sum of Close once sum_close has overflowed to inf (two closes of 1e308): see
     * add_close() in aggregate.c. Unused, and left zero, until then. */
    long double sum_close_wide;
} grain_stats;

typedef struct {
    grain_stats *slots;
    unsigned char *used;
    size_t cap, len;
    grain_stats *last; /* the slot returned last, or NULL */
} grain_map;

/* Returns the slot for key, inserting a zeroed one (key set) when absent; NULL when out of memory.
 */
grain_stats *grain_map_slot(grain_map *map, int64_t key);

/* The slot for key, or NULL when absent. */
const grain_stats *grain_map_find(const grain_map *map, int64_t key);

/* Calls fn for every occupied slot, in no particular order. */
void grain_map_each(const grain_map *map, void (*fn)(void *ctx, const grain_stats *g), void *ctx);

/* Copies every occupied slot into out (room for map->len) in ascending key order; returns how
 * many. */
size_t grain_map_sorted(const grain_map *map, grain_stats *out);

void grain_map_free(grain_map *map);

#endif
