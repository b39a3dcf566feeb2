/*
 * gap_log.h (private) - a market's gap journal: DATA_DIR/markets/SOURCE/SYMBOL_ENC/gaps.jsonl,
 * beside its history, one JSON line an event:
 *   {"Found":"2025-05-12T01:22:03.120000+00:00","From":"2025-05-12T01:21:00.000000+00:00","Why":"..."}
 *   {"Filled":"...","From":"...","To":"...","Gaps":2,"Candles":3}
 * Found and Filled are the wall-clock times of the event, From and To exchange minutes. The feed
 * runner writes it (feed.c), `btcstream markets` counts it (market_stats.c): gaps found and
 * filled over the market's life, where the history itself can only show the holes still open.
 *
 * A report, not data: lines are appended without fsync, and a line torn by a crash is skipped
 * when counted. The history stays the stream processor's alone.
 */
#ifndef BTCSTREAM_GAP_LOG_H
#define BTCSTREAM_GAP_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "btcstream/status.h"

/* A gap found from exchange time from_us, and why (plain text). */
bs_status gap_log_found(const char *data_dir, const char *market, int64_t from_us, const char *why,
                        bs_error *err);

/* Held minutes from_us to to_us filled by the exchange's n candles, closing `gaps` gaps. */
bs_status gap_log_filled(const char *data_dir, const char *market, int64_t from_us, int64_t to_us,
                         uint64_t gaps, size_t candles, bs_error *err);

/*
 * Counts the journal beside the history at history_path (a market's history.json; any other
 * history has none): gaps found, and of those filled. A missing journal counts zero.
 */
bs_status gap_log_count(const char *history_path, uint64_t *found, uint64_t *filled, bs_error *err);

#endif
