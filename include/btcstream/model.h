/*
 * model.h - gradient-boosted trees through XGBoost's C API, with Spark GBTRegressor's defaults:
 * 100 rounds, depth 5, 32 bins (tree_method=hist), step 0.1, no L2 penalty (lambda=0), at least
 * one row per leaf (min_child_weight=1 under squared error), squared error.
 *
 * bs_train() is the whole training stage: features (features.h), the split (seed mode: a random
 * 80/20 drawn from the seed; forecast mode: by time, the last 20% is the test set), training,
 * metrics on the test set for the model and, in forecast mode, the persistence forecast beside
 * it, the predictions, and model.json. Results are deterministic for a seed and thread count.
 * The default thread count follows the data (bs_train_threads), not only the machine: on small
 * sets XGBoost's threads cost more in start-up and spinning than they share out.
 * bs_train_to_dir() adds the files the pipeline writes: model.json and the predictions folder.
 *
 * Calibration (forecast mode, on by default). One-minute returns are close to noise, and trees
 * grown with Spark's defaults (lambda 0, one row per leaf) fit that noise: raw, they lose to the
 * persistence forecast on real data. So the trees' part of the forecast is shrunk toward the
 * drift (the mean training return, where boosting starts):
 *     predicted return = drift + shrink * (tree output - drift),   shrink in [0, 1]
 * with shrink the least-squares slope of the actual on the predicted return over the last 20%
 * of the training rows, predicted by a model grown the same way on the first 80% of them. The
 * test rows play no part, so the test metrics stay honest. shrink 0 means the trees found
 * nothing that held up out of sample; the forecast is then the drift alone.
 *
 * Evidence (forecast mode). Beside RMSE and MAE the result carries what a user needs to tell
 * skill from luck: skill = 1 - RMSE_model / RMSE_persistence, the drift-only forecast's metrics,
 * the Diebold-Mariano test of the model against persistence (dm_test.h), and split-conformal
 * prediction intervals (conformal.h) whose scores are the residuals of the same held-out 20% of
 * the training rows, with their coverage and width measured on the test rows. Training rows
 * whose label reaches past the first row they are held out for (the last horizon - 1 before it)
 * are dropped, so no test or held-out label ever overlaps a fitted one.
 */
#ifndef BTCSTREAM_MODEL_H
#define BTCSTREAM_MODEL_H

#include "btcstream/export.h"

#include <stddef.h>
#include <stdint.h>

#include "btcstream/conformal.h"
#include "btcstream/dm_test.h"
#include "btcstream/features.h"
#include "btcstream/metrics.h"
#include "btcstream/predictions.h"
#include "btcstream/status.h"
#include "btcstream/tick.h"

/*
 * Called after each boosting round. stage is "calibrating" (the model grown on the first 80% of
 * the training rows) or "training" (the model kept).
 */
typedef void (*bs_train_progress_fn)(void *ctx, const char *stage, int round, int rounds);

typedef struct {
    bs_model_mode mode;
    int horizon;           /* forecast mode: ticks ahead (default 1) */
    int max_iter;          /* boosting rounds (100) */
    int max_depth;         /* (5) */
    int max_bins;          /* (32) */
    double step_size;      /* (0.1) */
    uint64_t seed;         /* (42) */
    int threads;           /* XGBoost threads; 0: bs_train_threads() of the training rows */
    int calibrate;         /* forecast mode: shrink the trees' part as above (1); 0: raw trees */
    double interval_level; /* forecast mode: conformal interval level in (0, 1) (0.8) */
    bs_train_progress_fn progress; /* may be NULL */
    void *ctx;                     /* handed to progress */
} bs_train_options;

typedef struct {
    bs_model_mode mode;
    int horizon;
    size_t rows_train, rows_test;
    bs_metrics model, baseline; /* baseline: forecast mode only */
    double drift;               /* forecast mode: mean training log return (boosting's start) */
    double shrink;              /* forecast mode: the factor applied (1: not calibrated) */
    int calibrated;             /* 0 when calibration was off or too few rows allowed it */
    /* Forecast mode only (zero in seed mode): */
    bs_metrics drift_only;      /* the forecast close * exp(drift), trees left out */
    double skill;               /* 1 - model RMSE / persistence RMSE; NaN when undefined */
    bs_dm_result dm;            /* model against persistence on the test rows */
    double halfwidth;           /* conformal half-width in log return; INFINITY: too few rows */
    bs_interval_stats interval; /* the intervals on the test rows */
    uint64_t fit_digest;        /* a hash of the trees and the numbers fitted beside them: two
                                   fits are the same fit when their digests are equal */
    bs_predictions predictions; /* test rows in time order; owned, free with bs_train_result_free */
} bs_train_result;

/* Spark GBTRegressor's defaults (see the field comments) in forecast mode, horizon 1. */
BS_API bs_train_options bs_train_defaults(void);

/* Rows per XGBoost thread when the thread count is left to bs_train (threads 0). */
#define BS_TRAIN_ROWS_PER_THREAD 100000

/*
 * The thread count bs_train() uses for train_rows training rows when threads is 0: one per
 * BS_TRAIN_ROWS_PER_THREAD rows begun, at most one per core this process may run on. Below
 * that many rows one thread is fastest: XGBoost's OpenMP threads meet at some 3,000 barriers a
 * 100-round run, and their spinning there cost more than the work they share on 10,000 rows
 * (and on a busy machine many times more: seconds instead of 70 ms). One thread also makes small
 * runs' results independent of the machine's core count.
 */
BS_API int bs_train_threads(size_t train_rows);

/*
 * Trains on ticks (sorted by time; opts NULL for the defaults) and, when model_path is not NULL,
 * saves the model there (XGBoost JSON, with mode, horizon, drift, shrink and the conformal
 * half-width and level as attributes), atomically: written beside, fsync'd, renamed, the
 * folder fsync'd; a failure names the file and leaves an old model in place.
 * Too few rows to train and test is BS_ERR_EMPTY with the numbers; a feature that is not finite
 * BS_ERR_PARSE naming it; XGBoost's own errors BS_ERR_MODEL with its message. On success out
 * owns the predictions (free with bs_train_result_free); on failure out holds nothing to free.
 */
BS_API bs_status bs_train(const bs_tick *ticks, size_t n, const bs_train_options *opts,
                          const char *model_path, bs_train_result *out, bs_error *err);

/*
 * The training stage as the pipeline runs it: creates out_dir when missing, trains as bs_train()
 * does, and writes out_dir/model.json and out_dir/bitcoin_predictions.parquet (predictions.h).
 * Ownership of out as for bs_train().
 */
BS_API bs_status bs_train_to_dir(const bs_tick *ticks, size_t n, const bs_train_options *opts,
                                 const char *out_dir, bs_train_result *out, bs_error *err);

/* Frees what bs_train() put in r (its predictions); accepts NULL. */
BS_API void bs_train_result_free(bs_train_result *r);

/*
 * The verdict on the forecast in one sentence into buf (always terminated): the DM test's words
 * (dm_test.h) about "the model", or, when calibration shrank the trees to 0, about "the forecast,
 * which is the drift alone (the trees were shrunk to 0),". Seed mode: that there is no baseline.
 */
BS_API void bs_train_verdict(const bs_train_result *r, char *buf, size_t cap);

typedef struct {
    bs_model_mode mode;
    int horizon;
    int64_t last_ts_us; /* the newest tick the forecast starts from */
    double last_close;
    double predicted_close; /* forecast mode: the close `horizon` ticks later; seed mode: at
                               the next tick time (last + the median gap) */
    int64_t target_ts_us;   /* the time the forecast is for: the last tick plus horizon median
                               gaps between the newest ticks (seed mode: plus one) */
    double lower, upper;    /* forecast mode: the conformal interval; NaN when the model has
                               none (saved before intervals, or too few held-out rows) */
    double interval_level;  /* its level; NaN as above */
} bs_forecast;

/*
 * Loads model_path and forecasts from the newest ticks (calibrated as the model was trained).
 * A missing or unreadable model file is BS_ERR_IO naming it; a file XGBoost cannot read,
 * BS_ERR_MODEL with the first line of XGBoost's message (never its stack trace).
 */
BS_API bs_status bs_predict_next(const char *model_path, const bs_tick *ticks, size_t n,
                                 bs_forecast *out, bs_error *err);

#endif
