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

#endif
