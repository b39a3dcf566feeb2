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
#include "btcstream/stream.h"

typedef struct {
    bs_tick_vec ticks;
    bs_checkpoint_file *files; /* stream files only */
    size_t count;
    uint64_t bad_lines;
    size_t quarantined;
    size_t duplicates;  /* ticks dropped: their instant was stored already */
    size_t redelivered; /* bus messages at or below the last committed sequence */
    const char *market; /* for the report: the market the batch goes to, NULL: none */
} batch;

/*
 * One history the stream processor commits to, with its own checkpoint (in checkpoint_dir) and
 * live view (stream.c). The stream's files have one; consuming the bus, each market has its own
 * and the messages without a market share the stream's (stream_bus.c).
 */
typedef struct stream_target stream_target;

/* Opens checkpoint_dir's checkpoint for history, recovering from a crash, and the live view. */
bs_status stream_target_open(const bs_stream_options *o, const char *history,
                             const char *checkpoint_dir, stream_target **out, bs_error *err);

/* Sorts and commits a filled batch (position as bs_checkpoint_commit_at()), then reports it
 * through o->on_batch and adds it to totals; *stop is set when the callback asks to stop. */
bs_status stream_target_commit(stream_target *t, batch *b, const char *position,
                               bs_stream_totals *totals, int *stop, bs_error *err);

/* The bus stream sequence the target's last commit recorded (0: none). */
uint64_t stream_target_bus_seq(const stream_target *t);

/* Closes the checkpoint (releasing its folder's lock) and frees the target. Accepts NULL. */
void stream_target_close(stream_target *t);

/* bs_stream_run() when o->bus is set: the bus, routed per market (stream_bus.c). */
bs_status stream_bus_run(const bs_stream_options *o, bs_stream_totals *totals, bs_error *err);

#endif
