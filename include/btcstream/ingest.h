/*
 * ingest.h - the producer loop: a tick from the source every interval, each into its own stream
 * file. Failures of the source (network, HTTP, a bad answer) are reported and the loop goes on;
 * an HTTP 429 waits for Retry-After, or backs off exponentially, before the next request.
 */
#ifndef BTCSTREAM_INGEST_H
#define BTCSTREAM_INGEST_H

#include "btcstream/export.h"

#include <stdatomic.h>
#include <stdint.h>

#include "btcstream/bus.h"
#include "btcstream/producer.h"
#include "btcstream/source.h"
#include "btcstream/status.h"

typedef struct {
    bs_source *source;
    bs_producer *producer;
    int64_t interval_us; /* time between ticks; 0: as fast as the source gives them */
    int64_t duration_us; /* stop after this long; 0: until the source ends or stop */
    int fail_fast;       /* a network error on the very first request is fatal */
    atomic_int *stop;    /* when non-zero, return after the tick in hand */
    /* Each written tick and its file name; may be NULL. */
    void (*on_tick)(void *ctx, const bs_tick *tick, const char *file);
    /* A one-line message about a failed request (never holds a secret); may be NULL. */
    void (*on_notice)(void *ctx, const char *message);
    void *ctx;
    /* When not NULL, ticks go to this JetStream publisher (bus.h) as market's, not to producer. */
    bs_bus_publisher *bus;
    const char *market;
} bs_ingest_options;

typedef struct {
    uint64_t ticks, failures;
} bs_ingest_totals;

/*
 * Runs the producer loop until the duration ends, the source ends or the stop flag is set;
 * totals counts the ticks written and the failed requests. Source failures are not errors (the
 * loop goes on); an error is returned only when a stream file cannot be written.
 */
BS_API bs_status bs_ingest_run(const bs_ingest_options *opts, bs_ingest_totals *totals,
                               bs_error *err);

#endif
