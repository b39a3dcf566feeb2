/*
 * predictions.h - the model's predictions on disk, in Spark's layout (a contract; README.md,
 * Files):
 *
 *   bitcoin_predictions.parquet/part-00000-<uuid>-c000.snappy.parquet
 *   bitcoin_predictions.parquet/_SUCCESS          (empty)
 *
 * Columns: timestamp (INT64 TIMESTAMP(MICROS, UTC)), Close (DOUBLE), prediction (DOUBLE) and, in
 * forecast mode, baseline (DOUBLE, the persistence forecast), lower and upper (DOUBLE, the
 * conformal prediction interval; 0 and +Infinity when too few held-out rows bound it), and
 * market (UTF-8 string, market.h) when the market is known. The folder
 * is written beside its final name and renamed into place (an old folder is moved aside first and
 * removed after), so a crash never leaves half a folder under the real name.
 */
#ifndef BTCSTREAM_PREDICTIONS_H
#define BTCSTREAM_PREDICTIONS_H

#include "btcstream/export.h"

#include <stddef.h>
#include <stdint.h>

#include "btcstream/market.h"
#include "btcstream/outputs.h"
#include "btcstream/status.h"

#define BS_PREDICTIONS_DIR BS_OUTPUT_PREDICTIONS /* the name is defined once, in outputs.h */

typedef struct {
    size_t rows;
    int64_t *timestamp_us;
    double *close;
    double *prediction;
    double *baseline;      /* NULL in seed mode */
    double *lower, *upper; /* the interval; NULL in seed mode (and in files written before it) */
    char market[BS_MARKET_MAX]; /* the rows' market; "" when unknown (no market column) */
} bs_predictions;

/* Allocates the arrays for rows rows (baseline, lower and upper too when with_baseline). */
BS_API bs_status bs_predictions_alloc(bs_predictions *p, size_t rows, int with_baseline,
                                      bs_error *err);

/* Writes p as the folder dir, replacing it whole. */
BS_API bs_status bs_predictions_write(const char *dir, const bs_predictions *p, bs_error *err);

/* Reads the folder (its part-*.parquet file) back, bit for bit. */
BS_API bs_status bs_predictions_read(const char *dir, bs_predictions *out, bs_error *err);

/* Frees the arrays of p; accepts a zeroed struct. */
BS_API void bs_predictions_free(bs_predictions *p);

#endif
