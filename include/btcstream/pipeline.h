/*
 * pipeline.h - the course project's run_pipeline.py as a library call: the producer and the
 * stream processor together for a duration, then the batch stages over the history.
 *
 * The producer runs in a thread of its own and the stream processor in the caller's, as the
 * seed's two processes did; when the producer's duration ends, the stream processor drains what
 * is left and stops, so every produced tick is in the history before the batch stages read it.
 * The batch stages (tables, train, predictions, zip, plot, upload) follow in stages.h.
 */
#ifndef BTCSTREAM_PIPELINE_H
#define BTCSTREAM_PIPELINE_H

#include "btcstream/export.h"

#include "btcstream/ingest.h"
#include "btcstream/stream.h"

typedef struct {
    bs_ingest_options ingest; /* source, producer, interval, duration, callbacks */
    bs_stream_options
        stream; /* directories, trigger, callbacks; duration and until_idle are set here */
} bs_pipeline_options;

typedef struct {
    bs_ingest_totals ingest;
    bs_stream_totals stream;
} bs_pipeline_totals;

/*
 * Runs ingest and stream together until the ingest ends (duration, end of a replay, or the stop
 * flag shared through both options), then drains the stream directory. A network failure on the
 * first request fails fast with BS_ERR_NET.
 */
BS_API bs_status bs_pipeline_stream(bs_pipeline_options *opts, bs_pipeline_totals *totals,
                                    bs_error *err);

/*
 * Removes dir and everything in it when it holds only empty files and folders: the tree a run
 * that failed before its first commit leaves (an empty history, an empty checkpoint log, the
 * stream folders). Anything with a byte in it stays, and so do the folders above it. For a
 * caller that created dir itself; returns 1 when dir is gone.
 */
BS_API int bs_pipeline_remove_empty_tree(const char *dir);

#endif
