/*
 * model.c - the training stage: features, the split, one fit (model_fit.c), its forecasts and
 * scores on the test rows, and model.json (see model.h).
 */
#include "btcstream/model.h"

#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btcstream/fsutil.h"
#include "btcstream/outputs.h"
#include "btcstream/timeutil.h"
#include "model_fit.h"

#define MIN_TRAIN_ROWS 10
#define MIN_TEST_ROWS 2

bs_train_options bs_train_defaults(void) {
    return (bs_train_options){.mode = BS_MODE_FORECAST,
                              .horizon = 1,
                              .max_iter = 100,
                              .max_depth = 5,
                              .max_bins = 32,
                              .step_size = 0.1,
                              .seed = 42,
                              .threads = 0,
                              .calibrate = 1,
                              .interval_level = BS_CONFORMAL_DEFAULT_LEVEL};
}

int bs_train_threads(size_t train_rows) {
    size_t wanted = train_rows / BS_TRAIN_ROWS_PER_THREAD + 1;
    cpu_set_t cpus;
    int cores = sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? CPU_COUNT(&cpus) : 1;
    if (cores < 1) cores = 1;
    return wanted < (size_t)cores ? (int)wanted : cores;
}

/* The rows of the training and test sets: labelled rows only. */
static bs_status split_rows(const bs_features *f, const bs_train_options *o, size_t **train,
                            size_t *n_train, size_t **test, size_t *n_test, bs_error *err) {
    size_t labelled = model_fit_labelled(f);
    *train = malloc((labelled ? labelled : 1) * sizeof **train);
    *test = malloc((labelled ? labelled : 1) * sizeof **test);
    if (!*train || !*test) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    *n_train = *n_test = 0;
    uint64_t state = o->seed * UINT64_C(0x9E3779B97F4A7C15) + 0x632BE59BD9B4E019;
    size_t cut = labelled - labelled / 5; /* forecast: the last 20% by time */
    /* forecast: the rows whose label reaches into the test rows are left out */
    size_t purge_from = cut > (size_t)o->horizon - 1 ? cut - ((size_t)o->horizon - 1) : 0;
    for (size_t i = 0; i < labelled; i++) {
        int to_test;
        if (o->mode == BS_MODE_SEED) { /* splitmix64 draw per row, as randomSplit draws */
            uint64_t z = (state += UINT64_C(0x9E3779B97F4A7C15));
            z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
            z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
            to_test = (double)((z ^ (z >> 31)) >> 11) / 9007199254740992.0 >= 0.8;
        } else {
            to_test = i >= cut;
        }
        if (to_test) (*test)[(*n_test)++] = i;
        else if (o->mode == BS_MODE_SEED || i < purge_from) (*train)[(*n_train)++] = i;
    }
    if (*n_train < MIN_TRAIN_ROWS || *n_test < MIN_TEST_ROWS)
        return bs_fail(err, BS_ERR_EMPTY,
                       "too few rows to train and test: %zu usable rows give %zu to train and %zu "
                       "to test (need at least %d and %d)",
                       labelled, *n_train, *n_test, MIN_TRAIN_ROWS, MIN_TEST_ROWS);
    return BS_OK;
}

/* Seed-mode test rows come out in random order; the predictions are kept in time order. */
static int by_tick(const void *a, const void *b) {
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Everything after the features and the split: fit, forecast, score, save. */
static bs_status train_split(const bs_tick *ticks, const bs_features *f, DMatrixHandle all,
                             const size_t *train, size_t n_train, const size_t *test, size_t n_test,
                             const bs_train_options *o, const char *model_path,
                             bs_train_result *out, bs_error *err) {
    int forecast = o->mode == BS_MODE_FORECAST;
    model_fit m;
    double *drift_pred = NULL;
    bs_status st = model_fit_rows(f, all, train, n_train, o, NULL, &m, err);
    if (st != BS_OK) return st;
    out->drift = m.drift;
    out->shrink = m.shrink;
    out->calibrated = m.calibrated;
    out->halfwidth = forecast ? m.halfwidth : 0;
    st = bs_predictions_alloc(&out->predictions, n_test, forecast, err);
    if (st == BS_OK && forecast && !(drift_pred = malloc(n_test * sizeof *drift_pred)))
        st = bs_fail(err, BS_ERR_NOMEM, "out of memory");
    if (st == BS_OK)
        st = model_fit_forecast(&m, ticks, f, all, test, n_test, &out->predictions, 0, drift_pred,
                                NULL, err);
    if (st == BS_OK)
        st = model_fit_score(&out->predictions, drift_pred, 0, n_test, o->horizon,
                             o->interval_level, out, err);
    if (st == BS_OK) st = model_fit_digest(&m, &out->fit_digest, err);
    if (st == BS_OK && model_path) st = model_fit_save(&m, out, o->interval_level, model_path, err);
    model_fit_free(&m);
    free(drift_pred);
    return st;
}

bs_status bs_train(const bs_tick *ticks, size_t n, const bs_train_options *opts,
                   const char *model_path, bs_train_result *out, bs_error *err) {
    bs_train_options o = opts ? *opts : bs_train_defaults();
    memset(out, 0, sizeof *out);
    out->mode = o.mode;
    out->horizon = o.horizon;
    if (o.max_iter < 1 || o.max_depth < 1 || o.max_bins < 2 || !(o.step_size > 0))
        return bs_fail(err, BS_ERR_ARG,
                       "max_iter and max_depth must be at least 1, max_bins at "
                       "least 2, step_size above 0");
    if (!(o.interval_level > 0 && o.interval_level < 1))
        return bs_fail(err, BS_ERR_ARG, "the interval level must be between 0 and 1, not %g",
                       o.interval_level);
    bs_features f;
    size_t *train = NULL, *test = NULL, n_train = 0, n_test = 0;
    DMatrixHandle all = NULL;
    bs_status st = bs_features_build(ticks, n, o.mode, o.horizon, &f, err);
    if (st != BS_OK) return st;
    st = split_rows(&f, &o, &train, &n_train, &test, &n_test, err);
    if (o.threads <= 0) o.threads = bs_train_threads(n_train);
    if (st == BS_OK) qsort(test, n_test, sizeof *test, by_tick);
    if (st == BS_OK) st = model_fit_matrix(&f, model_fit_labelled(&f), o.threads, &all, err);
    if (st == BS_OK)
        st = train_split(ticks, &f, all, train, n_train, test, n_test, &o, model_path, out, err);
    out->rows_train = n_train;
    out->rows_test = n_test;
    if (all) XGDMatrixFree(all);
    free(train);
    free(test);
    bs_features_free(&f);
    if (st != BS_OK) bs_train_result_free(out);
    return st;
}

bs_status bs_train_to_dir(const bs_tick *ticks, size_t n, const bs_train_options *opts,
                          const char *out_dir, bs_train_result *out, bs_error *err) {
    char model_path[4096], predictions_dir[4096];
    memset(out, 0, sizeof *out);
    if (snprintf(model_path, sizeof model_path, "%s/" BS_OUTPUT_MODEL, out_dir) >=
            (int)sizeof model_path ||
        snprintf(predictions_dir, sizeof predictions_dir, "%s/%s", out_dir, BS_PREDICTIONS_DIR) >=
            (int)sizeof predictions_dir)
        return bs_fail(err, BS_ERR_ARG, "output folder name too long: %s", out_dir);
    bs_status st = bs_mkdirs(out_dir, err);
    if (st == BS_OK) st = bs_train(ticks, n, opts, model_path, out, err);
    if (st == BS_OK) st = bs_predictions_write(predictions_dir, &out->predictions, err);
    if (st != BS_OK) bs_train_result_free(out);
    return st;
}

void bs_train_result_free(bs_train_result *r) {
    if (r) bs_predictions_free(&r->predictions);
}

void bs_train_verdict(const bs_train_result *r, char *buf, size_t cap) {
    if (r->mode != BS_MODE_FORECAST) {
        snprintf(buf, cap, "seed mode has no persistence forecast to test against");
        return;
    }
    int drift_alone = r->calibrated && r->shrink == 0;
    bs_dm_verdict(&r->dm,
                  drift_alone ? "the forecast, which is the drift alone (the trees were shrunk "
                                "to 0),"
                              : "the model",
                  buf, cap);
}
