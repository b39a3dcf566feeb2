/*
 * features.h - the model's inputs, built from ticks in time order.
 *
 * Seed mode (the course project): timestamp (unix seconds), hour (UTC) and dayofweek (Spark's,
 * 1 = Sunday); the label is the row's own Close. It interpolates between neighbours in time, so
 * its R² flatters: it cannot forecast anything.
 *
 * Forecast mode: every feature of row i is computed from ticks 0..i only (no look-ahead): the
 * last five log returns, the mean and the volatility of log returns over 5, 15 and 60 ticks, the
 * log distance of the close from its 5-, 15- and 60-tick means, hour, dayofweek, and the seconds
 * since the previous tick. The label is the log return from tick i to tick i + horizon, so the
 * model predicts the change and the close is recovered as close_i * exp(prediction).
 */
#ifndef BTCSTREAM_FEATURES_H
#define BTCSTREAM_FEATURES_H

#include "btcstream/export.h"

#include <stddef.h>

#include "btcstream/status.h"
#include "btcstream/tick.h"

typedef enum { BS_MODE_FORECAST, BS_MODE_SEED } bs_model_mode;

/* Ticks of history a forecast row needs before it (the longest span). */
#define BS_FEATURES_LOOKBACK 60

typedef struct {
    bs_model_mode mode;
    int horizon;
    size_t rows, cols;
    float *x;                 /* rows x cols, row-major (XGBoost's dense layout) */
    double *label;            /* per row; NaN where the future is not known yet (the last rows) */
    size_t *tick;             /* per row: the index of the tick the row stands at */
    const char *const *names; /* cols column names (static) */
} bs_features;

/* "forecast" or "seed"; BS_ERR_ARG for anything else. */
BS_API bs_status bs_model_mode_parse(const char *text, bs_model_mode *mode, bs_error *err);
BS_API const char *bs_model_mode_name(bs_model_mode mode);

/*
 * Builds the rows for ticks[0..n) (sorted by time). In forecast mode rows start at
 * BS_FEATURES_LOOKBACK and the last `horizon` rows have no label. Fails with BS_ERR_EMPTY when no
 * row can be built, BS_ERR_PARSE when a feature is not finite.
 */
BS_API bs_status bs_features_build(const bs_tick *ticks, size_t n, bs_model_mode mode, int horizon,
                                   bs_features *out, bs_error *err);

/* Frees the arrays of f and zeroes it; accepts NULL. */
BS_API void bs_features_free(bs_features *f);

#endif
