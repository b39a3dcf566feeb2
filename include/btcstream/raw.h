/*
 * raw.h - recordings of the raw messages of exchange feeds (`--raw DIR`), and their replay
 * through the same parsing and candle building as a live feed.
 *
 * A recording is JSON lines, one a received message, in the order received:
 *   {"recv":"2024-01-01T00:00:00.123456+00:00","market":"binance:BTCUSDT","msg":{...}}
 * recv is the local receipt time (UTC, microseconds), market the market (market.h) whose feed
 * sent it, msg the message as received: the JSON value itself when the message is one JSON value
 * on one line (as every exchange sends), else a JSON string holding its bytes (a message that
 * was no JSON is kept too, so that a replay sees exactly what the live feed saw). Bytes above
 * 0x7f are copied as they are.
 *
 * A replay calls bs_candle_clock() with each message's recorded receipt time before parsing it,
 * as the live feed runner does, so the same messages give the same candles, late trades included.
 */
#ifndef BTCSTREAM_RAW_H
#define BTCSTREAM_RAW_H

#include "btcstream/export.h"

#include <stddef.h>
#include <stdint.h>

#include "btcstream/candle.h"
#include "btcstream/reader.h"
#include "btcstream/status.h"
#include "btcstream/trade.h"

/* Room for any line bs_raw_format_line() writes for a message of len bytes (NUL included). */
#define BS_RAW_LINE_MAX(len) (256 + 6 * (size_t)(len))

/*
 * Writes one recording line for a message (newline included, NUL-terminated) into buf. Returns
 * its length; when that is size or more (give BS_RAW_LINE_MAX(len)), buf holds nothing usable.
 */
BS_API size_t bs_raw_format_line(const char *market, int64_t recv_us, const char *msg, size_t len,
                                 char *buf, size_t size);

/* Does the text (the first bytes of a file) look like a recording? (its first line's "recv") */
BS_API int bs_raw_is_recording(const char *head, size_t len);

typedef struct {
    uint64_t lines;    /* lines read (blank ones included) */
    uint64_t messages; /* messages of the market replayed */
    uint64_t other;    /* lines of other markets, skipped */
    uint64_t refused;  /* messages the exchange's parser refused (each reported as a notice) */
} bs_raw_stats;

typedef struct {
    const char *market; /* only this market's messages; NULL: the market of the first line */
    /* Before each message, its market and recorded receipt time (may be NULL). */
    void (*on_message)(void *ctx, const char *market, int64_t recv_us);
    bs_feed_events events; /* what the messages hold; events.ctx is on_message's ctx too */
} bs_raw_replay_options;

/*
 * Reads the recording at path and passes each message of the market through
 * bs_exchange_parse() with its recorded receipt time. A message the parser refuses is counted
 * and reported as a notice ("FILE:LINE: why"); a line that is no recording line stops the replay
 * with BS_ERR_PARSE naming the file, line and field, as does a market of an unknown exchange.
 * stats (may be NULL) says what was read, also on failure.
 */
BS_API bs_status bs_raw_replay(const char *path, const bs_raw_replay_options *opts,
                               bs_raw_stats *stats, bs_error *err);

/*
 * The candles of one market of a recording (market NULL: the first line's), as the live feed
 * would have built them with this grace (candle.h): appended to out in time order, the minute in
 * progress at the end flushed. cstats (may be NULL) receives the builder's counts.
 */
BS_API bs_status bs_raw_replay_candles(const char *path, const char *market, int64_t grace_us,
                                       bs_tick_vec *out, bs_raw_stats *stats,
                                       bs_candle_stats *cstats, bs_error *err);

#endif
