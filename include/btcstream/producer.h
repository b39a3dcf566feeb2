/*
 * producer.h - stream files (a contract; README.md, Files):
 * `STREAM_DIR/ohlc_YYYYmmdd_HHMMSS_<n>.json`, written under a dot-name and renamed into place, so
 * the stream processor never reads half a file. A name is never reused: if it exists, <n> grows.
 *
 * A producer for a market (market.h) writes into the market's stream folder,
 * STREAM_ROOT/SOURCE/SYMBOL_ENC/, and each line carries the market ("Market"), so that a file put
 * into the wrong folder is caught (the stream processor quarantines it) instead of mixing markets.
 * A producer opened on a plain folder (bs_producer_open) writes lines without a Market, as before
 * markets: the legacy stream root, or a folder a `stream --stream-dir` reads.
 */
#ifndef BTCSTREAM_PRODUCER_H
#define BTCSTREAM_PRODUCER_H

#include "btcstream/export.h"

#include <stddef.h>
#include <stdint.h>

#include "btcstream/market.h"
#include "btcstream/status.h"
#include "btcstream/tick.h"

typedef struct {
    char dir[4096];
    uint64_t next_n; /* <n> of the next file */
    int sync;        /* fsync each file before its rename (default on) */
    char market[BS_MARKET_MAX]; /* written into each line; "" writes none */
} bs_producer;

/* Prepares a producer for dir, creating the directory when missing. Lines carry no Market. */
BS_API bs_status bs_producer_open(bs_producer *p, const char *dir, bs_error *err);

/*
 * Prepares a producer for market's stream folder under stream_root (bs_market_stream_dir()),
 * creating it when missing; each line it writes carries the market. BS_ERR_ARG for a bad market.
 */
BS_API bs_status bs_producer_open_market(bs_producer *p, const char *stream_root,
                                         const char *market, bs_error *err);

/* Writes one tick as a stream file; name (may be NULL, else 64 bytes) receives its file name. */
BS_API bs_status bs_producer_write(bs_producer *p, const bs_tick *tick, char *name, bs_error *err);

/*
 * Writes n ticks (n >= 1) as one stream file, one line each in the given order, named for the
 * first tick's time: a stream file per flush (say, per closed minute of candles) instead of per
 * tick. The file appears whole or not at all, like bs_producer_write()'s; name as there.
 */
BS_API bs_status bs_producer_write_many(bs_producer *p, const bs_tick *ticks, size_t n, char *name,
                                        bs_error *err);

#endif
