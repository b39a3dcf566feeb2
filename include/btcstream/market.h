/*
 * market.h - a market's name and where its files live.
 *
 * A market is `SOURCE:SYMBOL`, the symbol written as the exchange writes it: `binance:BTCUSDT`,
 * `coinbase:BTC-USD`, `kraken:BTC/USD`, `coingecko:bitcoin/usd`. Each market has its own stream
 * folder and its own history, so markets never mix:
 *
 *   STREAM_ROOT/SOURCE/SYMBOL_ENC/ohlc_*.json         what producers write for the market
 *   DATA_DIR/markets/SOURCE/SYMBOL_ENC/history.json   its history (one writer: the processor)
 *
 * SYMBOL_ENC is the symbol with every byte outside [A-Za-z0-9.-] written as %XX (so "BTC/USD" is
 * "BTC%2FUSD"): a folder name that is safe on every file system, never hidden (a leading '.' or
 * '_' is encoded), and decodes back to the exact symbol.
 */
#ifndef BTCSTREAM_MARKET_H
#define BTCSTREAM_MARKET_H

#include "btcstream/export.h"

#include <stddef.h>

#include "btcstream/status.h"

/* Room for the longest market name accepted, its terminating NUL included. */
#define BS_MARKET_MAX 96

/* Room for a market's relative folder (SOURCE/SYMBOL_ENC), its NUL included. */
#define BS_MARKET_PATH_MAX (3 * BS_MARKET_MAX)

/*
 * Checks a market name: SOURCE is 1-31 of [a-z0-9_], then ':', then a SYMBOL of 1-63 printable
 * ASCII characters other than space, '"' and '\' (so the name is safe in JSON and on a command
 * line). BS_ERR_ARG with the reason otherwise.
 */
BS_API bs_status bs_market_check(const char *market, bs_error *err);

/* The market's folder relative to a root, "SOURCE/SYMBOL_ENC", into buf. */
BS_API bs_status bs_market_path(const char *market, char *buf, size_t size, bs_error *err);

/*
 * The market whose folder is "SOURCE/SYMBOL_ENC" (as bs_market_path() writes it), into buf
 * (BS_MARKET_MAX bytes). BS_ERR_PARSE when the folder is not one a market would have.
 */
BS_API bs_status bs_market_from_path(const char *source, const char *symbol_enc, char *buf,
                                     size_t size, bs_error *err);

/* STREAM_ROOT/SOURCE/SYMBOL_ENC: where a producer writes the market's stream files. */
BS_API bs_status bs_market_stream_dir(const char *stream_root, const char *market, char *buf,
                                      size_t size, bs_error *err);

/* DATA_DIR/markets/SOURCE/SYMBOL_ENC/history.json: the market's history. */
BS_API bs_status bs_market_history(const char *data_dir, const char *market, char *buf, size_t size,
                                   bs_error *err);

/* A market found in a data folder. */
typedef struct {
    char name[BS_MARKET_MAX]; /* "binance:BTCUSDT"; "" for the legacy history */
    char history[4096];       /* its history's path */
} bs_market_entry;

/*
 * The markets of a data folder: every DATA_DIR/markets/SOURCE/SYMBOL_ENC/ holding a history.json,
 * sorted by name, then the legacy history DATA_DIR/bitcoin_combined.json (a data folder from
 * before markets, name "") when it exists. A missing folder is an empty list. Free *out with
 * bs_market_list_free().
 */
BS_API bs_status bs_market_list(const char *data_dir, bs_market_entry **out, size_t *n,
                                bs_error *err);
BS_API void bs_market_list_free(bs_market_entry *list);

/*
 * The history a command works on, for its --market flag: the market's own when market is not
 * NULL (whether or not it exists yet); otherwise the only one bs_market_list() finds. BS_ERR_ARG
 * listing them when there are several ("pass --market"), BS_ERR_EMPTY when there is none.
 * *chosen (BS_MARKET_MAX bytes, may be NULL) receives the market's name ("" for the legacy one).
 */
BS_API bs_status bs_market_resolve(const char *data_dir, const char *market, char *history,
                                   size_t size, char *chosen, bs_error *err);

/*
 * Gives the legacy history of a data folder from before markets (DATA_DIR/bitcoin_combined.json,
 * fed from DATA_DIR/stream/) to market: it moves, by one rename, to the market's history, after
 * the stream root's checkpoint has recovered any interrupted batch and its log (which describes
 * the legacy history) is retired. Crash-safe at every step (lib/market_migrate.c says why): the
 * history is whole in exactly one place, and running it again finishes. Refuses, moving nothing,
 * when the market has a history already (BS_ERR_CONFIG), when stream files still wait in
 * DATA_DIR/stream/ for the legacy history (BS_ERR_CONFIG: process them first), when a stream
 * processor holds the root (BS_ERR_CONFIG), and when there is no legacy history (BS_ERR_EMPTY).
 */
BS_API bs_status bs_market_migrate(const char *data_dir, const char *market, bs_error *err);

#endif
