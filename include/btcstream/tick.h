/*
 * tick.h - one price observation and the text formats it travels in.
 *
 * A tick is what the producer writes and the history holds: a time and the OHLC prices of the
 * CoinGecko snapshot, a candle from an imported CSV, or a 1-minute candle built from trades.
 * Input formats:
 *   BS_FORMAT_JSONL        {"Datetime": "...", "Open": 1, "High": 1, "Low": 1, "Close": 1,
 *                          "Volume": "1"}, optionally with "Market" (market.h), and "Trades" and
 *                          "Received" (a candle built from trades)
 *   BS_FORMAT_BINANCE_CSV  header open_time,open,high,low,close,volume[,...]
 *   BS_FORMAT_KRAKEN_CSV   no header: unix_seconds,open,high,low,close,volume,trade_count
 *   BS_FORMAT_DAILY_CSV    header timestamp,open,close,volume,unix_timestamp,high,low
 * Parsers validate everything they read: a tick that comes out is finite, with positive prices.
 */
#ifndef BTCSTREAM_TICK_H
#define BTCSTREAM_TICK_H

#include "btcstream/export.h"

#include <stddef.h>
#include <stdint.h>

#include "btcstream/number.h" /* bs_number_parse, bs_number_format: declared there */
#include "btcstream/status.h"

typedef struct {
    int64_t ts_us; /* UTC microseconds since the epoch */
    double open, high, low, close;
    double volume; /* NaN when the source gave none */
    /* A candle built from trades also knows how many trades it holds (0: a minute without one)
     * and when its last trade was received; other ticks have trades = -1 and recv_us = 0. */
    int64_t trades;
    int64_t recv_us; /* UTC microseconds; 0 when unknown */
} bs_tick;

/* bs_tick.trades of a tick that is not a candle built from trades. */
#define BS_TRADES_UNKNOWN (-1)

typedef enum {
    BS_FORMAT_AUTO = 0,
    BS_FORMAT_JSONL,
    BS_FORMAT_BINANCE_CSV,
    BS_FORMAT_KRAKEN_CSV,
    BS_FORMAT_DAILY_CSV,
    BS_FORMAT_NAMED_CSV, /* any other CSV whose header names a time and a close column */
    /* CoinGecko's /coins/{id}/market_chart answer, one JSON document (not lines):
     * {"prices": [[ms, price], ...], "market_caps": [...], "total_volumes": [[ms, volume], ...]} */
    BS_FORMAT_MARKET_CHART,
} bs_format;

/*
 * Where a CSV row keeps each field: zero-based columns, -1 where the file has none (Open, High
 * and Low then default to Close, and Volume is NaN). Time and Close are always present.
 */
typedef struct {
    int time, open, high, low, close, volume;
} bs_csv_layout;

/* Longest line any parser accepts; longer lines are bad lines. */
#define BS_MAX_LINE_BYTES (64 * 1024)

/* Room for the longest line bs_tick_format_json() writes. */
#define BS_TICK_JSON_MAX 512

/* A short name for a format ("JSON lines", "Binance CSV", ...). */
BS_API const char *bs_format_name(bs_format format);

/*
 * Detects the format from a file's first line. Returns BS_FORMAT_AUTO when it recognises none.
 * *has_header is set when that first line is a header to skip.
 */
BS_API bs_format bs_format_detect(const char *line, size_t len, int *has_header);

/*
 * bs_format_detect(), also filling *layout for BS_FORMAT_NAMED_CSV: a header row is matched by
 * column name, case and surrounding spaces or quotes ignored, in any order: the time from
 * Datetime, Timestamp, Date, Time, Open_time, Unix or Snapped_at; Open, High, Low; Close (or
 * Price); Volume (or the first column whose name starts with it, or Total_volume).
 */
BS_API bs_format bs_format_detect_layout(const char *line, size_t len, int *has_header,
                                         bs_csv_layout *layout);

/*
 * Detects the format from the start of a file (head, len bytes: a few KB, or all of a short
 * file), as bs_format_detect_layout() does from its first line, and also:
 *   - a one-cell line before a CSV header, such as the URL CryptoDataDownload writes first, is
 *     skipped: *header_lines is then 2 (1 for a header alone, 0 for none);
 *   - a JSON document opening with a "prices", "market_caps" or "total_volumes" key is
 *     BS_FORMAT_MARKET_CHART, read whole rather than by line (*header_lines 0).
 */
BS_API bs_format bs_format_detect_head(const char *head, size_t len, int *header_lines,
                                       bs_csv_layout *layout);

/*
 * Parses one line (without its newline) in the given format. Missing Open/High/Low default to
 * Close; Close and the time are required. On failure returns BS_ERR_PARSE and, when err is not
 * NULL, a short reason naming the field ("field \"Close\": not a number").
 */
BS_API bs_status bs_tick_parse(bs_format format, const char *line, size_t len, bs_tick *out,
                               bs_error *err);

/*
 * bs_tick_parse() of a JSON line that also returns its "Market" field (market.h) into market
 * (BS_MARKET_MAX bytes): "" when the line has none. bs_tick_parse() checks the field the same
 * way and drops it. A Market that is not a market name is a bad line: "field \"Market\": ...".
 */
BS_API bs_status bs_tick_parse_json_market(const char *line, size_t len, bs_tick *out,
                                           char *market, bs_error *err);

/* bs_tick_parse() for a CSV row whose columns `layout` gives (BS_FORMAT_NAMED_CSV). */
BS_API bs_status bs_tick_parse_csv(const bs_csv_layout *layout, const char *line, size_t len,
                                   bs_tick *out, bs_error *err);

/*
 * Writes the tick as one JSON line in the tick format, newline included, into buf (at least
 * BS_TICK_JSON_MAX bytes). Numbers are printed in their shortest exact form, Volume as a string.
 * Returns the number of bytes written.
 */
BS_API size_t bs_tick_format_json(const bs_tick *tick, char *buf);

/*
 * bs_tick_format_json() with the tick's market (market.h) as a "Market" field after "Datetime";
 * market NULL writes none. "Trades" and "Received" follow "Volume" when the tick has them.
 */
BS_API size_t bs_tick_format_json_market(const bs_tick *tick, const char *market, char *buf);

#endif
