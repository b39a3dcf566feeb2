/*
 * import.h - appending a price file of any supported format to the history.
 *
 * The source is read whole and sorted by time; ticks whose timestamp the history already holds
 * (or that repeat a timestamp earlier in the same source) are skipped, so importing a file twice
 * changes nothing. The history is only ever appended to; the source is only read.
 */
#ifndef BTCSTREAM_IMPORT_H
#define BTCSTREAM_IMPORT_H

#include "btcstream/export.h"

#include <stdint.h>

#include "btcstream/reader.h"
#include "btcstream/status.h"

typedef struct {
    uint64_t read;       /* data rows read from the source (header and blank lines excluded) */
    uint64_t appended;   /* ticks appended to the history */
    uint64_t duplicates; /* ticks skipped because their timestamp was already there */
    uint64_t rejected;   /* bad lines skipped (details in the scan stats) */
} bs_import_result;

/*
 * Imports source into history (created when missing). scan selects strict mode or a forced
 * format (may be NULL). stats receives the source's bad lines. Refuses to import a file into
 * itself and to append to a history that is not tick JSON lines.
 */
BS_API bs_status bs_import_file(const char *source, const char *history,
                                const bs_scan_options *scan, bs_import_result *result,
                                bs_scan_stats *stats, bs_error *err);

/* One history an import by market (bs_import_markets()) appended to, with its own counts. */
typedef void (*bs_import_market_fn)(void *ctx, const char *market, const char *history,
                                    const bs_import_result *result);

/*
 * Imports source into the histories of data_dir's markets (market.h): a line whose "Market"
 * names a market goes to that market's history; the other lines (and every row of a format
 * without a Market, CSV) go to market's history when market is not NULL, else to the only market
 * the data folder holds (bs_market_resolve(): the legacy history of a data folder from before
 * markets counts as one). With several, or none, and lines without a Market, BS_ERR_ARG asks for
 * --market and nothing is written. Each history is appended to all or nothing, with duplicates
 * (its instants already stored) skipped per history: the same instant in two markets is two
 * ticks. on_market (may be NULL) is told of each history, in market order; total sums them.
 */
BS_API bs_status bs_import_markets(const char *source, const char *data_dir, const char *market,
                                   const bs_scan_options *scan, bs_import_market_fn on_market,
                                   void *ctx, bs_import_result *total, bs_scan_stats *stats,
                                   bs_error *err);

#endif
