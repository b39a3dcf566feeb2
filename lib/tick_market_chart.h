/*
 * tick_market_chart.h (private) - CoinGecko's market_chart answer as ticks, for the reader
 * (BS_FORMAT_MARKET_CHART): one JSON document rather than a tick a line.
 */
#ifndef BTCSTREAM_TICK_MARKET_CHART_H
#define BTCSTREAM_TICK_MARKET_CHART_H

#include <stddef.h>
#include <stdint.h>

#include "btcstream/reader.h"

/* The largest document read (CoinGecko's answers are a few MB at most). */
#define MARKET_CHART_MAX_BYTES (256 << 20)

/*
 * Hands each [ms, price] pair of doc's "prices" to on_tick as a tick with Open = High = Low =
 * Close = price and, when "total_volumes" has the same time at the same position, that volume
 * (else NaN). A pair that is not two numbers, a time outside the years 0000-9999 or a price that
 * is not positive is a bad line, numbered by the line of doc where it starts (path names the
 * file in strict mode's error). stats counts the document's lines, ticks and bad pairs.
 * BS_ERR_PARSE when doc is not one JSON object or has no "prices" array.
 */
bs_status market_chart_parse(const char *doc, size_t len, const char *path, int strict,
                             bs_tick_fn on_tick, void *ctx, bs_scan_stats *stats, bs_error *err);

/* market_chart_parse() of the file open on fd (size bytes), read whole. */
bs_status market_chart_scan_fd(int fd, const char *path, int64_t size, int strict,
                               bs_tick_fn on_tick, void *ctx, bs_scan_stats *stats, bs_error *err);

#endif
