/*
 * evaluate.h - walk-forward evaluation of the forecast model: the question one split cannot
 * answer, "is this forecast better than persistence, and how sure are we?".
 *
 * The labelled feature rows (features.h) are cut into folds + 1 equal blocks in time order.
 * Fold k (1..folds) fits on the rows before block k (all of them, or with a window the last
 * window rows) and forecasts block k; the test blocks together cover all rows after the first
 * block, each forecast by a model that saw only its past. Training rows whose label reaches into
 * the block (the last horizon - 1) are left out, so no row of a test block, not even its label,
 * reaches fitting or calibration.
 *
 * Calibration (the shrink factor and the conformal scores of model.h) needs a model's errors on
 * rows it was not fitted on. Fold 1 holds out the last 20% of its training rows as one split
 * does. Each later fold already has them: block k - 1, which fold k - 1's model forecast
 * without fitting on it (less its last horizon - 1 rows, whose labels reach into block k). So
 * folds after the first grow one model each, not two, and the feature matrix is built once and
 * sliced by every fold.
 *
 * Refits. With BS_REFIT_FULL every fold grows max_iter trees from scratch on its training
 * rows: ten honest fits, about 3.5 times the rows of one split's two. With BS_REFIT_WARM (the
 * default) fold 1 does that, and fold k > 1 starts from fold k - 1's trees and adds
 * warm_rounds trees grown on its own training rows (all rows before block k, or its window):
 * the model a fold evaluates is then the one a user who retrains incrementally would have.
 * Every fold's model still saw only rows before its test block: the later rounds run on one
 * quantile matrix of every labelled row whose histogram cuts come from fold 1's training rows,
 * with label and weight 0 on every row outside the fold's training rows, so those rows add
 * nothing to any gradient, split or leaf. With one thread the trees are bit for bit those of
 * a matrix holding the training rows alone; with several, XGBoost's split of the rows between
 * threads follows all rows, so a later row can move the order of the floating-point sums (not
 * their terms) and a tree's numbers in their last bits.
 *
 * Scores are given per fold and pooled over every test row; the pooled Diebold-Mariano test
 * runs on the test rows as one series in time order.
 */
#ifndef BTCSTREAM_EVALUATE_H
#define BTCSTREAM_EVALUATE_H

#include "btcstream/export.h"

#include <stddef.h>

#include "btcstream/model.h"

/* How each fold's model is grown (see the top of this file). */
typedef enum {
    BS_REFIT_FULL = 0, /* every fold grows max_iter rounds from scratch */
    BS_REFIT_WARM = 1  /* fold 1 does; each later fold adds warm_rounds to the one before */
} bs_refit;

typedef struct {
    int folds;       /* test blocks (10); at least 1 */
    size_t window;   /* 0: train on all rows before the block (expanding); else the last window */
    bs_refit refit;  /* bs_walk_forward_defaults(): warm; a zeroed struct: full */
    int warm_rounds; /* warm: rounds each fold after the first adds; 0: max_iter / folds,
                        rounded up */
} bs_walk_forward_options;

/* Ten expanding folds, warm refits. */
BS_API bs_walk_forward_options bs_walk_forward_defaults(void);

typedef struct {
    int folds;
    bs_train_result *fold; /* folds entries; their predictions are empty (see pooled) */
    size_t *fold_offset;   /* fold k's rows are pooled.predictions' [fold_offset[k], + rows_test) */
    bs_train_result pooled; /* every test row: metrics, skill, DM, interval and predictions;
                               rows_train, drift and halfwidth are the last fold's, shrink
                               the largest of any fold (0: every fold was the drift alone) */
} bs_walk_forward_result;

/*
 * Runs the folds on ticks (sorted by time; opts NULL for bs_train_defaults(), forecast mode
 * only). With out_dir not NULL, writes out_dir/bitcoin_predictions.parquet (every test row) and
 * out_dir/model.json (the last fold's model, the one trained on the most recent rows).
 * BS_ERR_EMPTY when a block would hold fewer rows than a fold needs, BS_ERR_ARG for seed mode or
 * folds below 1. On success out owns its arrays (bs_walk_forward_result_free); on failure it
 * holds nothing to free.
 */
BS_API bs_status bs_walk_forward(const bs_tick *ticks, size_t n, const bs_train_options *opts,
                                 const bs_walk_forward_options *wf, const char *out_dir,
                                 bs_walk_forward_result *out, bs_error *err);

/* Frees what *r owns (its folds and pooled predictions); accepts a zeroed result. */
BS_API void bs_walk_forward_result_free(bs_walk_forward_result *r);

#endif
