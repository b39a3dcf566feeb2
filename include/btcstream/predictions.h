/*
 * predictions.h - the model's predictions on disk.
 *
 * DESIGN.md's layout is a Parquet folder (bitcoin_predictions.parquet/ in Spark's layout); until
 * the Parquet writer lands (issue #6), predictions are written as CSV with the same columns,
 * `bitcoin_predictions.csv`, which pandas, DuckDB and Spark read as well:
 *   timestamp   UTC, "YYYY-MM-DD HH:MM:SS.ffffff"
 *   Close       the actual close
 *   prediction  the model's forecast of it
 *   baseline    the persistence forecast (forecast mode only)
 * The file is written beside its final name and renamed into place, so a crash never leaves
 * half a file. Doubles are written in their shortest exact form, so they read back bit for bit.
 */
#ifndef BTCSTREAM_PREDICTIONS_H
#define BTCSTREAM_PREDICTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "btcstream/status.h"

#define BS_PREDICTIONS_FILE "bitcoin_predictions.csv"

typedef struct {
    size_t rows;
    int64_t *timestamp_us;
    double *close;
    double *prediction;
    double *baseline; /* NULL in seed mode */
} bs_predictions;

/* Allocates the arrays for rows rows (baseline too when with_baseline). */
bs_status bs_predictions_alloc(bs_predictions *p, size_t rows, int with_baseline, bs_error *err);

/* Writes p to path, replacing it whole. */
bs_status bs_predictions_write(const char *path, const bs_predictions *p, bs_error *err);

/* Reads a file written by bs_predictions_write(); errors name the file and line. */
bs_status bs_predictions_read(const char *path, bs_predictions *out, bs_error *err);

/* Frees the arrays of p; accepts a zeroed struct. */
void bs_predictions_free(bs_predictions *p);

#endif
