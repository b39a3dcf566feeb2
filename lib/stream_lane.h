/*
 * stream_lane.h (private) - one stream folder and its history, as the stream processor works it:
 * its checkpoint (one processor a folder), its live view, its files settling in _processed/.
 *
 * `stream` with a data folder (bs_stream_options.data_dir) runs a lane per market folder
 * STREAM_ROOT/SOURCE/SYMBOL_ENC/ into DATA_DIR/markets/SOURCE/SYMBOL_ENC/history.json, plus one
 * for the files lying directly in STREAM_ROOT (producers from before markets) into the legacy
 * history DATA_DIR/bitcoin_combined.json (stream_markets.c). Each lane is exactly the single
 * folder processor of stream.c: one writer for its history, one checkpoint, the same commit
 * protocol; lanes share nothing but the loop that schedules them.
 */
#ifndef BTCSTREAM_STREAM_LANE_H
#define BTCSTREAM_STREAM_LANE_H

#include <stdint.h>

#include "btcstream/checkpoint.h"
#include "btcstream/market.h"
#include "btcstream/stream.h"
#include "stream_settle.h"
#include "ts_set.h"

typedef struct {
    bs_aggregate *live;
    int64_t newest; /* newest tick time seen, INT64_MIN before any */
    /* The timestamps the history holds (its first stored_size bytes): a history keeps one tick
     * per instant, the rule `import` follows too (ts_set.h). */
    ts_set stored;
    int64_t stored_size;
    settle_list settling; /* files moved lately, watched for late writes (stream_settle.h) */
} live_view;

typedef struct {
    bs_stream_options o; /* the run's options, with stream_dir, history and market this lane's */
    char stream_dir[4096], history[4096], market[BS_MARKET_MAX];
    bs_checkpoint cp;
    live_view v;
    int64_t next_trigger, last_prune;
    uint64_t files_at_prune; /* totals->files at the last prune */
} stream_lane;

/*
 * Opens a lane for stream_dir into history (market: the folder's market, "" for the legacy root;
 * see bs_stream_options.market): recovers its checkpoint from any crash, seeds its live view.
 * Close with stream_lane_close() (also after a failed open).
 */
bs_status stream_lane_open(stream_lane *l, const bs_stream_options *run, const char *stream_dir,
                           const char *history, const char *market, bs_error *err);

/*
 * One turn of the lane at monotonic time now: checks settling files, prunes when due, and when
 * its trigger is due, commits a batch of the waiting files. *busy is set when the lane had files
 * (or waits for its next trigger after a batch); *stop when the batch callback asked to stop.
 */
bs_status stream_lane_turn(stream_lane *l, int64_t now, bs_stream_totals *totals, int *stop,
                           int *busy, bs_error *err);

/* Finishes the settling watch and releases the lane's checkpoint and view. */
bs_status stream_lane_close(stream_lane *l, bs_stream_totals *totals, bs_error *err);

/* The processor over a stream root and data folder (stream_markets.c). */
bs_status stream_run_markets(const bs_stream_options *o, bs_stream_totals *totals, bs_error *err);

#endif
