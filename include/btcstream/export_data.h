/*
 * export_data.h - a market's stored rows, summed up (`btcstream markets`) and written out
 * (`btcstream export`): one market as CSV, JSON lines or Parquet, or every market of a data
 * folder as one Hive-partitioned Parquet dataset, kept up to date incrementally.
 *
 * Rows are the history's good lines, oldest first. A history may hold its lines out of time
 * order (an import of older data, a backfill): the export sorts them, and when several lines share
 * one instant it keeps the one stored last (a later line corrects an earlier one), so an export
 * holds one row per instant. Bad lines are skipped and counted, as every reader of a history does.
 *
 * A history "holds candles" when any of its rows carries a trade count (a candle built from
 * trades, tick.h); its CSV is then `Start,Open,High,Low,Close,Volume,Trades`, otherwise
 * `Datetime,Open,High,Low,Close,Volume`. See docs/export.md for every format and the dataset.
 */
#ifndef BTCSTREAM_EXPORT_DATA_H
#define BTCSTREAM_EXPORT_DATA_H

#include "btcstream/export.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "btcstream/reader.h"
#include "btcstream/s3.h"
#include "btcstream/status.h"
#include "btcstream/tick.h"

/* ---- a market's summary (`btcstream markets`) ------------------------------------------ */

typedef struct {
    uint64_t rows;             /* good lines */
    /* rows that are 1-minute candles: with Trades, or in an exchange market's history
     * (markets/binance|coinbase|kraken/...) starting a minute (a REST candle may lack Trades) */
    uint64_t candles;
    uint64_t bad;              /* bad lines skipped */
    int64_t first_us, last_us; /* the oldest and newest row's time; 0 when rows is 0 */
    /*
     * Candle histories only (candles > 0): the 1-minute starts between the first and the last
     * candle's minute that no candle holds, and how many holes (runs of consecutive missing
     * minutes) they make. 0 otherwise.
     */
    uint64_t missing_minutes, holes;
    /*
     * From the market's gap journal (a feed's record beside its history): gaps the feed runner
     * found over the market's life, and how many of them a backfill filled. 0 without a journal.
     */
    uint64_t gaps_found, gaps_filled;
} bs_market_stats;

/*
 * Scans the history at path once, without loading it (memory: 8 bytes a candle for the gap
 * count, nothing a non-candle row), and counts the gap journal beside it, into *out. A missing history is BS_ERR_IO naming it; an empty
 * one gives zero rows and BS_OK.
 */
BS_API bs_status bs_market_stats_scan(const char *path, bs_market_stats *out, bs_error *err);

/* ---- one market's export ---------------------------------------------------------------- */

typedef enum { BS_EXPORT_CSV, BS_EXPORT_JSON, BS_EXPORT_PARQUET } bs_export_format;

/* Parses "csv", "json" or "parquet". */
BS_API bs_status bs_export_format_parse(const char *name, bs_export_format *out, bs_error *err);

/* A market's rows, ready to write. */
typedef struct {
    bs_tick *rows; /* oldest first, one per instant */
    size_t n;
    int candles; /* the whole history (not only the range) holds candles: see above */
    bs_scan_stats stats;
} bs_export_rows;

/*
 * Loads the rows of the history at path whose time is in [from_us, to_us) (INT64_MIN and
 * INT64_MAX for no bound), sorted, one per instant (the last stored). An empty history gives no
 * rows and BS_OK; a missing or unreadable one is BS_ERR_IO naming it. Free with
 * bs_export_rows_free().
 */
BS_API bs_status bs_export_load(const char *path, int64_t from_us, int64_t to_us,
                                bs_export_rows *out, bs_error *err);
BS_API void bs_export_rows_free(bs_export_rows *rows);

/*
 * Writes the rows as CSV or JSON lines (each with "Market" when market is not empty) to out,
 * which stays open. BS_ERR_IO when a write fails.
 */
BS_API bs_status bs_export_write_stream(const bs_export_rows *rows, const char *market,
                                        bs_export_format format, FILE *out, bs_error *err);

/*
 * Writes the rows to the file at path, atomically (fsutil.h): CSV, JSON lines, or Parquet with
 * the columns market (string), start (candles) or timestamp (INT64 TIMESTAMP micros, UTC), open,
 * high, low, close, volume (DOUBLE, NaN when unknown) and trades (optional INT64, null when
 * unknown).
 */
BS_API bs_status bs_export_write_file(const bs_export_rows *rows, const char *market,
                                      bs_export_format format, const char *path, bs_error *err);

/* ---- the partitioned dataset (issue 13) --------------------------------------------------- */

/* The manifest in the dataset's root: what each partition file was built from. */
#define BS_DATASET_MANIFEST "_btcstream_manifest.json"

typedef struct {
    size_t markets;    /* markets exported (the legacy history is not one: migrate it) */
    size_t partitions; /* partitions in the dataset after the run */
    size_t written;    /* partition files (re)written by this run */
    size_t removed;    /* partition files removed (their day no longer holds rows) */
    uint64_t rows;     /* rows in the dataset */
    uint64_t bytes_written;
    uint64_t bad_lines; /* bad lines skipped in the histories */
    int legacy_skipped; /* the data folder has a legacy history, left out */
} bs_dataset_report;

/*
 * Writes every market of data_dir (market.h) as one Parquet dataset under out_dir:
 * out_dir/market=VALUE/date=YYYY-MM-DD/part-00000.parquet, VALUE the market's name
 * percent-encoded as Hive and Spark do (':' is %3A, '/' %2F). Each file holds one UTC day of one
 * market: timestamp (INT64 TIMESTAMP micros, UTC), open, high, low, close, volume, trades
 * (optional INT64); the market and the day are the path's (as Spark writes partition columns).
 *
 * Incremental: BS_DATASET_MANIFEST records each partition's row count, size and a hash of its
 * rows. A run rewrites only the partitions whose rows changed (or whose file is missing or not
 * the recorded size), each atomically, removes those whose day is gone, then replaces the
 * manifest. A crash leaves each partition whole, old or new; the next run repairs the rest.
 */
BS_API bs_status bs_dataset_export(const char *data_dir, const char *out_dir,
                                   bs_dataset_report *report, bs_error *err);

typedef struct {
    size_t uploaded;  /* partition files sent (the manifest not counted) */
    size_t unchanged; /* partition files the bucket already holds as they are */
} bs_dataset_upload_report;

/*
 * Uploads the local dataset at dir to c's bucket under prefix (S3 keys prefix + the relative
 * path), with bs_s3_upload_file(): every partition whose hash differs from what the last
 * successful upload to that same bucket and prefix sent (recorded in dir/_btcstream_uploaded.json),
 * then the manifest, last, so a reader who trusts the manifest never sees a partition it names
 * missing. A failed run uploads its partitions again next time.
 */
BS_API bs_status bs_dataset_upload(const char *dir, const bs_s3_config *c, const char *prefix,
                                   bs_dataset_upload_report *report, bs_error *err);

#endif
