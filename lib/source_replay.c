/*
 * source_replay.c - the ticks of a price file, in time order, for offline demos and tests.
 * The file is loaded whole (reader.h) so that any supported format replays the same way. A raw
 * recording of an exchange feed (`ingest --raw`, raw.h) replays as the candles its messages
 * fold into, through the same parser and candle builder as the live feed.
 */
#include <stdio.h>
#include <stdlib.h>

#include "btcstream/candle.h"
#include "btcstream/raw.h"
#include "btcstream/reader.h"
#include "btcstream/source.h"

typedef struct {
    bs_source base;
    bs_tick_vec ticks;
    size_t next;
} replay_source;

static bs_status replay_next(bs_source *src, bs_tick *out, int *got, int64_t *retry_after_ms,
                             bs_error *err) {
    (void)err;
    replay_source *r = (replay_source *)src;
    *retry_after_ms = 0;
    *got = r->next < r->ticks.len;
    if (*got) *out = r->ticks.items[r->next++];
    return BS_OK;
}

static void replay_free(bs_source *src) {
    replay_source *r = (replay_source *)src;
    bs_tick_vec_free(&r->ticks);
    free(r);
}

bs_status bs_source_replay_open(const char *path, const bs_source_options *opts, bs_source **out,
                                bs_error *err) {
    (void)opts;
    replay_source *r = calloc(1, sizeof *r);
    if (!r) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    r->base = (bs_source){"replay", 0, replay_next, replay_free};
    char head[4096];
    size_t n = 0;
    FILE *f = fopen(path, "rb");
    if (f) {
        n = fread(head, 1, sizeof head, f);
        fclose(f);
    }
    bs_status st = f && bs_raw_is_recording(head, n)
                       ? bs_raw_replay_candles(path, NULL, bs_candle_defaults().grace_us,
                                               &r->ticks, NULL, NULL, err)
                       : bs_history_load(path, NULL, &r->ticks, NULL, err);
    if (st != BS_OK) {
        free(r);
        return st;
    }
    *out = &r->base;
    return BS_OK;
}
