/*
 * ingest.h - the producer loop: a tick from the source every interval, each into its own stream
 * file. Failures of the source (network, HTTP, a bad answer) are reported and the loop goes on;
 * an HTTP 429 waits for Retry-After, or backs off exponentially, before the next request.
 */
#ifndef BTCSTREAM_INGEST_H
#define BTCSTREAM_INGEST_H

#include "btcstream/export.h"

#include <signal.h>
#include <stdint.h>

#include "btcstream/producer.h"
#include "btcstream/source.h"
#include "btcstream/status.h"

typedef struct {
    bs_source *source;
    bs_producer *producer;
    int64_t interval_us;         /* time between ticks; 0: as fast as the source gives them */
    int64_t duration_us;         /* stop after this long; 0: until the source ends or stop */
    int fail_fast;               /* a network error on the very first request is fatal */
    volatile sig_atomic_t *stop; /* when non-zero, return after the tick in hand */
    /* Each written tick and its file name; may be NULL. */
    void (*on_tick)(void *ctx, const bs_tick *tick, const char *file);
    /* A one-line message about a failed request (never holds a secret); may be NULL. */
    void (*on_notice)(void *ctx, const char *message);
    void *ctx;
} bs_ingest_options;

typedef struct {
    uint64_t ticks, failures;
} bs_ingest_totals;

BS_API bs_status bs_ingest_run(const bs_ingest_options *opts, bs_ingest_totals *totals,
                               bs_error *err);

#endif
