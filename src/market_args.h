/*
 * market_args.h - the history a command's --market, --data-dir and path flags name.
 */
#ifndef BTCSTREAM_MARKET_ARGS_H
#define BTCSTREAM_MARKET_ARGS_H

#include <stddef.h>

#include "btcstream/market.h"

/* The default data folder (DESIGN.md), which --data-dir overrides. */
#define CLI_DEFAULT_DATA_DIR "Data"

/*
 * Fills history (size bytes) with the history a command works on, and market (BS_MARKET_MAX, may
 * be NULL) with its market's name ("" when unknown or legacy):
 *   - an explicit path flag (--input, --history) wins: it is used as given;
 *   - otherwise bs_market_resolve(data_dir, market): the market's history, or the data folder's
 *     only one; with several, the error names them;
 *   - a data folder holding none, with no --market, falls back to the legacy default path, so a
 *     command's message about a missing history stays the one it always printed.
 * Prints the error and returns CLI_FAIL (CLI_USAGE for a bad market name); CLI_OK otherwise.
 */
int cli_market_history(const char *cmd, const char *path_flag, const char *data_dir,
                       const char *market_flag, char *history, size_t size, char *market);

#endif
