/*
 * ingest_feed.h - `ingest --source binance:SYMBOL,coinbase:PRODUCT,...`: the exchange feeds
 * (feed.h), several markets in one process, with their own flags: --grace, --stall, --raw,
 * --max-connection, --data-dir.
 */
#ifndef BTCSTREAM_INGEST_FEED_H
#define BTCSTREAM_INGEST_FEED_H

#include <stdint.h>

#include "btcstream/feed.h"
#include "ingest_args.h"

typedef struct {
    bs_feed_options feed;
} ingest_feed_args;

/* The long options, to splice into `ingest`'s table (codes 1100 and up). */
#define INGEST_FEED_LONG_OPTIONS                                                                   \
    {"grace", required_argument, 0, 1100}, {"stall", required_argument, 0, 1101},                  \
        {"raw", required_argument, 0, 1102}, {"max-connection", required_argument, 0, 1103}, {     \
        "data-dir", required_argument, 0, 1104                                                     \
    }

#define INGEST_FEED_USAGE                                                                          \
    "Exchange sources (binance:SYMBOL, coinbase:PRODUCT, kraken:PAIR; a comma list runs several\n" \
    "markets in one process) write 1-minute candles, one stream file per closed minute, into\n"    \
    "STREAM_ROOT/SOURCE/SYMBOL (docs/sources.md):\n"                                               \
    "  --grace D      how long past its end a minute waits for its trades (default 2s)\n"          \
    "  --stall D      no message for D is a stall: reported, reconnected (default 30s)\n"          \
    "  --raw DIR      keep every message received as JSON lines under DIR\n"                       \
    "  --max-connection D  reconnect before a connection is D old (default 23h50m)\n"              \
    "  --data-dir P   where the markets' histories are: a restart resumes after their last\n"      \
    "                 candle (default Data)\n"

void ingest_feed_args_init(ingest_feed_args *f);

/* Handles option code c (1100..1104); CLI_OK or the usage error's code. */
int ingest_feed_option(ingest_feed_args *f, const char *cmd, int c, const char *arg);

/* Runs the feeds of a->source into stream_root; the command's exit code. */
int ingest_feed_run(const char *cmd, const ingest_args *a, ingest_feed_args *f,
                    const char *stream_root);

#endif
