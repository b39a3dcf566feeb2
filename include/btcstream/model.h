/*
 * model.h - gradient-boosted trees through XGBoost's C API, with Spark GBTRegressor's defaults:
 * 100 rounds, depth 5, 32 bins (tree_method=hist), step 0.1, no L2 penalty (lambda=0), at least
 * one row per leaf (min_child_weight=1 under squared error), squared error.
 *
 * bs_train() is the whole training stage: features (features.h), the split (seed mode: a random
 * 80/20 drawn from the seed; forecast mode: by time, the last 20% is the test set), training,
 * metrics on the test set for the model and, in forecast mode, the persistence forecast beside
 * it, the predictions, and model.json. Results are deterministic for a seed.
 */
#ifndef BTCSTREAM_MODEL_H
#define BTCSTREAM_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "btcstream/features.h"
#include "btcstream/metrics.h"
#include "btcstream/predictions.h"
#include "btcstream/status.h"
#include "btcstream/tick.h"

typedef struct {
    bs_model_mode mode;
    int horizon;     /* forecast mode: ticks ahead (default 1) */
    int max_iter;    /* boosting rounds (100) */
    int max_depth;   /* (5) */
    int max_bins;    /* (32) */
    double step_size; /* (0.1) */
    uint64_t seed;   /* (42) */
    int threads;     /* XGBoost threads; 0: one per core */
    void (*progress)(void *ctx, int round, int rounds); /* may be NULL */
    void *ctx;
} bs_train_options;

typedef struct {
    bs_model_mode mode;
    int horizon;
    size_t rows_train, rows_test;
    bs_metrics model, baseline; /* baseline: forecast mode only */
    bs_predictions predictions; /* test rows in time order; owned, free with bs_train_result_free */
} bs_train_result;

bs_train_options bs_train_defaults(void);

/*
 * Trains on ticks (sorted by time) and saves the model to model_path (XGBoost JSON, with the
 * mode and horizon as attributes). Too few rows to train and test is BS_ERR_EMPTY with the
 * numbers; XGBoost's own errors come back as BS_ERR_MODEL with its message.
 */
bs_status bs_train(const bs_tick *ticks, size_t n, const bs_train_options *opts,
                   const char *model_path, bs_train_result *out, bs_error *err);

void bs_train_result_free(bs_train_result *r);

typedef struct {
    bs_model_mode mode;
    int horizon;
    int64_t last_ts_us;     /* the newest tick the forecast starts from */
    double last_close;
    double predicted_close; /* forecast mode: the close `horizon` ticks later; seed mode: at
                               the next tick time (last + the median gap) */
} bs_forecast;

/* Loads model_path and forecasts from the newest ticks. */
bs_status bs_predict_next(const char *model_path, const bs_tick *ticks, size_t n, bs_forecast *out,
                          bs_error *err);

#endif
