/*
 * stream_batch.h (private) - one micro-batch of the stream processor as it is filled, from
 * stream files (stream.c) or bus messages (stream_bus.c), before it is committed.
 */
#ifndef BTCSTREAM_STREAM_BATCH_H
#define BTCSTREAM_STREAM_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "btcstream/bus.h"
#include "btcstream/checkpoint.h"
#include "btcstream/reader.h"

typedef struct {
    bs_tick_vec ticks;
    bs_checkpoint_file *files; /* stream files only */
    size_t count;
    uint64_t bad_lines;
    size_t quarantined;
    size_t duplicates;  /* ticks dropped: their instant was stored already */
    size_t redelivered; /* bus messages at or below the last committed sequence */
} batch;

/*
 * Reads n bus messages into b: each holds tick JSON lines. A message with a bad line is a dead
 * letter: written with its reason to STREAM_DIR/_quarantine/bus_<seq>.json(.reason), flagged in
 * reject (so that it is terminated, never redelivered), and none of it is taken.
 * committed_seq is the last stream sequence the checkpoint committed.
 */
bs_status stream_bus_read(const char *stream_dir, const bs_bus_message *msgs, size_t n,
                          uint64_t committed_seq, batch *b, unsigned char *reject, bs_error *err);

#endif
