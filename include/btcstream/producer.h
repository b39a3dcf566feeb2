/*
 * producer.h - one stream file per tick (a contract; README.md, Files):
 * `STREAM_DIR/ohlc_YYYYmmdd_HHMMSS_<n>.json`, written under a dot-name and renamed into place, so
 * the stream processor never reads half a file. A name is never reused: if it exists, <n> grows.
 */
#ifndef BTCSTREAM_PRODUCER_H
#define BTCSTREAM_PRODUCER_H

#include "btcstream/export.h"

#include <stdint.h>

#include "btcstream/status.h"
#include "btcstream/tick.h"

typedef struct {
    char dir[4096];
    uint64_t next_n; /* <n> of the next file */
    int sync;        /* fsync each file before its rename (default on) */
} bs_producer;

/* Prepares a producer for dir, creating the directory when missing. */
BS_API bs_status bs_producer_open(bs_producer *p, const char *dir, bs_error *err);

/* Writes one tick as a stream file; name (may be NULL, else 64 bytes) receives its file name. */
BS_API bs_status bs_producer_write(bs_producer *p, const bs_tick *tick, char *name, bs_error *err);

/* bs_producer_write() with the tick's market in its line (bs_tick_format_json_market()). */
BS_API bs_status bs_producer_write_market(bs_producer *p, const bs_tick *tick, const char *market,
                                          char *name, bs_error *err);

#endif
