/*
 * aggregate.h - the course project's four tables over a price history (a contract; README.md,
 * Tables):
 *
 *   hour_of_day  Hour, Hourly_Avg_Close, Hourly_Min_Close, Hourly_Max_Close   (0-23 UTC, all days)
 *   hourly       Hour_Start, Open, High, Low, Close, Avg_Close, Count        (calendar hours)
 *   daily        Day, Daily_Avg_Close, Daily_Min_Close, Daily_Max_Close        (UTC days)
 *   moving_avg   Start, End, Moving_Avg_Close  (Spark window(ts, window, slide): windows aligned
 *                to the epoch, a tick in every window with Start <= t < End, empty ones omitted)
 *
 * In `hourly`, Open is the Open of the hour's earliest tick and Close the Close of its latest
 * (ties go to the one read first, resp. last), High the largest High and Low the smallest Low.
 *
 * The accumulator keeps one bucket per "grain" of time, not the rows: the grain is the largest
 * span that divides an hour, the window and the slide (30 minutes for the defaults), so every
 * table is a merge of whole grains. Memory grows with the time span covered, never with the tick
 * count, and the input may come in any order.
 */
#ifndef BTCSTREAM_AGGREGATE_H
#define BTCSTREAM_AGGREGATE_H

#include "btcstream/export.h"

#include <stddef.h>
#include <stdint.h>

#include "btcstream/reader.h"
#include "btcstream/status.h"
#include "btcstream/table.h"
#include "btcstream/tick.h"

typedef enum {
    BS_TABLE_HOUR_OF_DAY,
    BS_TABLE_HOURLY,
    BS_TABLE_DAILY,
    BS_TABLE_MOVING_AVG,
    BS_TABLE_COUNT
} bs_table_kind;

/* "hour_of_day", "hourly", "daily", "moving_avg". */
BS_API const char *bs_table_kind_name(bs_table_kind kind);

/* Looks a table up by name; BS_ERR_ARG (with the valid names in err) when unknown. */
BS_API bs_status bs_table_kind_parse(const char *name, bs_table_kind *kind, bs_error *err);

typedef struct {
    int64_t window_us; /* moving-average window length (default 1 hour) */
    int64_t slide_us;  /* moving-average slide (default 30 minutes) */
} bs_aggregate_options;

/* The defaults: a 1-hour window sliding by 30 minutes, as the seed's window(ts, "1 hour", "30
 * minutes"). */
BS_API bs_aggregate_options bs_aggregate_defaults(void);

typedef struct bs_aggregate bs_aggregate;

/*
 * A new, empty accumulator; free it with bs_aggregate_free(). Fails with BS_ERR_ARG when the
 * window or slide is not positive, or the slide is longer than the window (as Spark refuses).
 */
BS_API bs_status bs_aggregate_new(const bs_aggregate_options *opts, bs_aggregate **out,
                                  bs_error *err);
BS_API void bs_aggregate_free(bs_aggregate *agg);

/* Adds one tick. Fails only when memory runs out. */
BS_API bs_status bs_aggregate_add(bs_aggregate *agg, const bs_tick *tick);

/* Adds everything in `from` to `into` (same options), as if into had seen from's ticks after its
 * own. */
BS_API bs_status bs_aggregate_merge(bs_aggregate *into, const bs_aggregate *from);

/* Ticks added so far. */
BS_API uint64_t bs_aggregate_ticks(const bs_aggregate *agg);

/*
 * Scans a price file (any format reader.h detects) into a new accumulator, using up to `threads`
 * threads on byte ranges of the file (0 = one per core). Bad lines are counted in stats with
 * their true line numbers. With scan->strict, one thread reads, so the first bad line is the
 * first in the file.
 */
BS_API bs_status bs_aggregate_file(const char *path, const bs_aggregate_options *opts,
                                   const bs_scan_options *scan, int threads, bs_aggregate **out,
                                   bs_scan_stats *stats, bs_error *err);

/* Close-price statistics of the ticks in [start_us, end_us), for live views of a stream. */
typedef struct {
    int64_t start_us, end_us;
    uint64_t count;
    double avg_close, min_close, max_close;
} bs_span_stats;

/*
 * Fills *out for the span [start_us, end_us); both must be multiples of the accumulator's grain
 * (any hour, day, or window start and end are). count is 0 when no tick falls in it.
 */
BS_API void bs_aggregate_span(const bs_aggregate *agg, int64_t start_us, int64_t end_us,
                              bs_span_stats *out);

/* Builds one table, rows in time order (hours 0-23 for hour_of_day). The caller frees it. */
BS_API bs_status bs_aggregate_table(const bs_aggregate *agg, bs_table_kind kind, bs_table *out,
                                    bs_error *err);

#endif
