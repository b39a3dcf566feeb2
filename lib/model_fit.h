/*
 * model_fit.h (private) - one fit of the model and its forecasts, shared by the single split of
 * bs_train() (model.c) and the folds of walk-forward evaluation (evaluate.c).
 *
 * The feature rows that have a label become one XGBoost DMatrix, built once; every training,
 * held-out and test set is a slice of it by row index (XGDMatrixSliceDMatrix), so folds never
 * rebuild the matrix from the floats. Row indices are rows of the bs_features (not ticks).
 */
#ifndef BTCSTREAM_MODEL_FIT_H
#define BTCSTREAM_MODEL_FIT_H

#include <xgboost/c_api.h>

#include "btcstream/model.h"

/* The labelled rows of f (a prefix: the unlabelled ones are the last) as a DMatrix. */
bs_status model_fit_matrix(const bs_features *f, size_t labelled, int nthread, DMatrixHandle *out,
                           bs_error *err);

/* Number of labelled rows at the start of f. */
size_t model_fit_labelled(const bs_features *f);

typedef struct {
    BoosterHandle booster;
    DMatrixHandle train; /* kept alive as long as the booster */
    double drift;        /* forecast mode: the mean training label; seed mode 0 */
    double shrink;       /* 1 when not calibrated */
    int calibrated;
    double halfwidth; /* forecast mode: conformal half-width (log return); INFINITY: none */
    double level;
    int rounds;          /* trees grown */
    double base;         /* XGBoost's base_score: the drift of the rows the first tree saw */
    DMatrixHandle bound; /* warm refits: the matrix the booster continues on (not owned) */
} model_fit;

/* A model's raw outputs on rows it was not fitted on (nor on any row whose label reaches them). */
typedef struct {
    const size_t *rows;
    size_t n;
    const double *raw;
    double drift; /* that model's drift */
} model_holdout;

/*
 * Fits on rows train[0..n_train) of all. In forecast mode the shrink factor (when o->calibrate)
 * and the conformal scores come from given held-out outputs when not NULL (walk-forward hands
 * in the previous fold's), else from a model grown on the first 80% of the training rows (less
 * the last horizon - 1, whose labels reach into the rest) that predicts the last 20%. Then the
 * model kept is grown on all n_train rows. Free m with model_fit_free() on success; nothing to
 * free on failure.
 */
bs_status model_fit_rows(const bs_features *f, DMatrixHandle all, const size_t *train,
                         size_t n_train, const bs_train_options *o, const model_holdout *given,
                         model_fit *m, bs_error *err);

void model_fit_free(model_fit *m);

/*
 * Warm refits (walk-forward's --refit warm). f's first labelled rows as one XGBoost quantile
 * matrix whose histogram cuts are ref's (the first fold's training rows), never its own: the
 * cuts of a matrix built from its rows would depend on every row's features, future ones too.
 */
bs_status model_fit_quantile_matrix(const bs_features *f, size_t labelled, DMatrixHandle ref,
                                    const bs_train_options *o, DMatrixHandle *out, bs_error *err);

/*
 * Grows rounds more trees on m's booster from the rows [from, to) of all (a quantile matrix of
 * the labelled rows): every other row gets label 0 and weight 0, so it adds nothing to any
 * gradient, hessian, split or leaf. Sets m->drift to the mean label of [from, to).
 */
bs_status model_fit_continue(model_fit *m, const bs_features *f, DMatrixHandle all, size_t labelled,
                             size_t from, size_t to, int rounds, const bs_train_options *o,
                             bs_error *err);

/* Forecast mode: m's shrink and conformal half-width from given held-out outputs (none when
 * given is NULL or too short: shrink 1, half-width infinite). */
bs_status model_fit_calibrate(const bs_features *f, const model_holdout *given,
                              const bs_train_options *o, model_fit *m, bs_error *err);

/* The booster's raw outputs on all n rows of all (a training matrix: from its cache). */
bs_status model_fit_predict_all(const model_fit *m, DMatrixHandle all, size_t n, double *out,
                                bs_error *err);

/* model_fit_forecast() from raw outputs already computed: raw[i] for row test[i]. */
bs_status model_fit_forecast_raw(const model_fit *m, const bs_tick *ticks, const bs_features *f,
                                 const size_t *test, size_t n, const double *raw, bs_predictions *p,
                                 size_t at, double *drift_pred, double *raw_out, bs_error *err);

/*
 * Forecasts rows test[0..n) and writes them into p's rows [at, at + n): timestamp and Close of
 * the target tick, prediction, and in forecast mode baseline, lower, upper; drift_pred[at + i]
 * (may be NULL) the drift-only forecast, raw_out[at + i] (may be NULL) the booster's output.
 */
bs_status model_fit_forecast(const model_fit *m, const bs_tick *ticks, const bs_features *f,
                             DMatrixHandle all, const size_t *test, size_t n, bs_predictions *p,
                             size_t at, double *drift_pred, double *raw_out, bs_error *err);

/*
 * Fills r's metrics, skill, DM test and interval statistics from p's rows [at, at + n) (and
 * drift_pred's, forecast mode). The DM test takes the rows in order as one series.
 */
bs_status model_fit_score(const bs_predictions *p, const double *drift_pred, size_t at, size_t n,
                          int horizon, double level, bs_train_result *r, bs_error *err);

/* FNV-1a of the trees (XGBoost's JSON) and drift, shrink, half-width: equal fits, equal digests. */
bs_status model_fit_digest(const model_fit *m, uint64_t *digest, bs_error *err);

/*
 * Saves m as XGBoost JSON with r's mode, horizon, drift, shrink and (forecast mode) the conformal
 * half-width and level as attributes, atomically (temp beside, fsync, rename, fsync the folder).
 */
bs_status model_fit_save(const model_fit *m, const bs_train_result *r, double level,
                         const char *path, bs_error *err);

/* XGBoost's last error, first line only: its messages go on with a C++ stack trace. */
const char *model_fit_xgb_error(char *buf, size_t cap);

#endif
