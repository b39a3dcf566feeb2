/* ts_set.c - see ts_set.h. Linear probing with a multiplicative hash: ticks come in time order,
 * often at regular steps, which a plain modulus would pile into a few runs of slots. */
#include "ts_set.h"

#include <stdlib.h>
#include <string.h>

#include "btcstream/reader.h"

#define TS_SET_EMPTY INT64_MIN

static size_t slot_of(int64_t ts, size_t cap) {
    return (size_t)(((uint64_t)ts * UINT64_C(0x9E3779B97F4A7C15)) >> 17) & (cap - 1);
}

int ts_set_has(const ts_set *set, int64_t ts) {
    if (ts == TS_SET_EMPTY) return set->has_empty_key;
    if (set->cap == 0) return 0;
    for (size_t i = slot_of(ts, set->cap);; i = (i + 1) & (set->cap - 1)) {
        if (set->slots[i] == ts) return 1;
        if (set->slots[i] == TS_SET_EMPTY) return 0;
    }
}

static int grow(ts_set *set) {
    size_t cap = set->cap ? set->cap * 2 : 1024;
    int64_t *slots = malloc(cap * sizeof *slots);
    if (!slots) return -1;
    for (size_t i = 0; i < cap; i++) slots[i] = TS_SET_EMPTY;
    for (size_t j = 0; j < set->cap; j++) {
        int64_t ts = set->slots[j];
        if (ts == TS_SET_EMPTY) continue;
        size_t i = slot_of(ts, cap);
        while (slots[i] != TS_SET_EMPTY) i = (i + 1) & (cap - 1);
        slots[i] = ts;
    }
    free(set->slots);
    set->slots = slots;
    set->cap = cap;
    return 0;
}

int ts_set_add(ts_set *set, int64_t ts) {
    if (ts == TS_SET_EMPTY) {
        int added = !set->has_empty_key;
        set->has_empty_key = 1;
        return added;
    }
    if ((set->len + 1) * 2 > set->cap && grow(set) != 0) return -1;
    size_t i = slot_of(ts, set->cap);
    while (set->slots[i] != TS_SET_EMPTY) {
        if (set->slots[i] == ts) return 0;
        i = (i + 1) & (set->cap - 1);
    }
    set->slots[i] = ts;
    set->len++;
    return 1;
}

typedef struct {
    ts_set *set;
    int out_of_memory;
} add_ctx;

static int add_tick(void *ctx, const bs_tick *tick) {
    add_ctx *c = ctx;
    c->out_of_memory = ts_set_add(c->set, tick->ts_us) < 0;
    return c->out_of_memory; /* stops the scan */
}

bs_status ts_set_add_history(ts_set *set, const char *history, int64_t from, int64_t to,
                             bs_error *err) {
    if (to <= from) return BS_OK;
    bs_scan_options opts = {.format = BS_FORMAT_AUTO, .range_start = from, .locked_size = to};
    bs_scan_stats stats;
    add_ctx ctx = {set, 0};
    bs_status st = bs_scan_file(history, &opts, add_tick, &ctx, &stats, err);
    if (st == BS_ERR_EMPTY) return BS_OK;
    if (st != BS_OK) return st;
    if (ctx.out_of_memory) return bs_fail(err, BS_ERR_NOMEM, "%s: out of memory", history);
    if (stats.format != BS_FORMAT_JSONL)
        return bs_fail(err, BS_ERR_FORMAT, "%s: the history must be tick JSON lines, found %s",
                       history, bs_format_name(stats.format));
    return BS_OK;
}

void ts_set_free(ts_set *set) {
    free(set->slots);
    memset(set, 0, sizeof *set);
}
