/* grain_map.c - see grain_map.h. Linear probing, capacity a power of two, load kept under 1/2. */
#include "grain_map.h"

#include <stdlib.h>
#include <string.h>

/*
 * A history fills its grains in time order, so runs of 64 consecutive keys keep consecutive
 * slots (a new grain lands next to the last one, and growing the map moves memory in order);
 * the runs themselves are scattered by a multiplicative hash, so that keys with a stride (a
 * daily file on half-hour grains) do not pile up. The capacity is at least 1024.
 */
static size_t hash_key(int64_t key, size_t mask) {
    uint64_t run = ((uint64_t)key >> 6) * UINT64_C(0x9E3779B97F4A7C15);
    return (size_t)((run >> 29 << 6) | ((uint64_t)key & 63)) & mask;
}

static grain_stats *probe(grain_stats *slots, unsigned char *used, size_t cap, int64_t key) {
    size_t mask = cap - 1, i = hash_key(key, mask);
    while (used[i] && slots[i].key != key) i = (i + 1) & mask;
    return &slots[i];
}

static int grow(grain_map *map) {
    size_t cap = map->cap ? map->cap * 2 : 1024;
    grain_stats *slots = malloc(cap * sizeof *slots);
    unsigned char *used = calloc(cap, 1);
    if (!slots || !used) {
        free(slots);
        free(used);
        return 0;
    }
    for (size_t i = 0; i < map->cap; i++) {
        if (!map->used[i]) continue;
        grain_stats *dst = probe(slots, used, cap, map->slots[i].key);
        *dst = map->slots[i];
        used[dst - slots] = 1;
    }
    free(map->slots);
    free(map->used);
    map->slots = slots;
    map->used = used;
    map->cap = cap;
    map->last = NULL;
    return 1;
}

grain_stats *grain_map_slot(grain_map *map, int64_t key) {
    if (map->last && map->last->key == key) return map->last;
    if ((map->len + 1) * 2 > map->cap && !grow(map)) return NULL;
    grain_stats *slot = probe(map->slots, map->used, map->cap, key);
    size_t index = (size_t)(slot - map->slots);
    if (!map->used[index]) {
        memset(slot, 0, sizeof *slot);
        slot->key = key;
        map->used[index] = 1;
        map->len++;
    }
    map->last = slot;
    return slot;
}

const grain_stats *grain_map_find(const grain_map *map, int64_t key) {
    if (map->cap == 0) return NULL;
    grain_stats *slot = probe(map->slots, map->used, map->cap, key);
    return map->used[slot - map->slots] ? slot : NULL;
}

void grain_map_each(const grain_map *map, void (*fn)(void *ctx, const grain_stats *g), void *ctx) {
    for (size_t i = 0; i < map->cap; i++)
        if (map->used[i]) fn(ctx, &map->slots[i]);
}

static int by_key(const void *a, const void *b) {
    int64_t x = ((const grain_stats *)a)->key, y = ((const grain_stats *)b)->key;
    return (x > y) - (x < y);
}

/*
 * Time grains are dense (a history rarely skips most hours), so the slots are placed by key
 * into a table as long as the key range, which is linear; a general sort of the 88-byte slots
 * was the largest serial cost of a table over ten million ticks. Sparse keys, or no memory for
 * the table, fall back to qsort.
 */
size_t grain_map_sorted(const grain_map *map, grain_stats *out) {
    int64_t min = INT64_MAX, max = INT64_MIN;
    for (size_t i = 0; i < map->cap; i++) {
        if (!map->used[i]) continue;
        if (map->slots[i].key < min) min = map->slots[i].key;
        if (map->slots[i].key > max) max = map->slots[i].key;
    }
    if (map->len == 0) return 0;
    uint64_t range = (uint64_t)max - (uint64_t)min + 1;
    const grain_stats **at =
        range <= 4 * (uint64_t)map->len + 1024 ? calloc(range, sizeof *at) : NULL;
    size_t n = 0;
    if (at) {
        for (size_t i = 0; i < map->cap; i++)
            if (map->used[i]) at[map->slots[i].key - min] = &map->slots[i];
        for (uint64_t k = 0; k < range; k++)
            if (at[k]) out[n++] = *at[k];
        free(at);
        return n;
    }
    for (size_t i = 0; i < map->cap; i++)
        if (map->used[i]) out[n++] = map->slots[i];
    qsort(out, n, sizeof *out, by_key);
    return n;
}

void grain_map_free(grain_map *map) {
    free(map->slots);
    free(map->used);
    memset(map, 0, sizeof *map);
}
