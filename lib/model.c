/*
 * model.c - training and prediction through XGBoost's C API (see model.h).
 *
 * XGBoost takes float32 features; labels are float32 too, which is why forecast mode learns the
 * log return (around 1e-4, where float32 keeps 7 significant digits) rather than the price. The
 * prices themselves stay double: a forecast is last_close * exp(predicted log return).
 */
#include "btcstream/model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xgboost/c_api.h>

#include "btcstream/timeutil.h"

#define MIN_TRAIN_ROWS 10
#define MIN_TEST_ROWS 2

bs_train_options bs_train_defaults(void) {
    bs_train_options o = {BS_MODE_FORECAST, 1, 100, 5, 32, 0.1, 42, 0, NULL, NULL};
    return o;
}

static bs_status xgb_fail(bs_error *err, const char *what) {
    return bs_fail(err, BS_ERR_MODEL, "XGBoost %s: %s", what, XGBGetLastError());
}

/* A DMatrix of the given feature rows (and their labels when label is not NULL). */
static bs_status make_matrix(const bs_features *f, const size_t *rows, size_t count, DMatrixHandle *out,
                             int with_label, int nthread, bs_error *err) {
    float *x = malloc((count ? count : 1) * f->cols * sizeof *x), *y = malloc((count ? count : 1) * sizeof *y);
    bs_status st = x && y ? BS_OK : bs_fail(err, BS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; st == BS_OK && i < count; i++) {
        memcpy(x + i * f->cols, f->x + rows[i] * f->cols, f->cols * sizeof *x);
        y[i] = (float)f->label[rows[i]];
    }
    /* The _omp variant fills the matrix on every core; the plain one uses one. */
    if (st == BS_OK && XGDMatrixCreateFromMat_omp(x, count, f->cols, NAN, out, nthread) != 0)
        st = xgb_fail(err, "matrix");
    if (st == BS_OK && with_label && XGDMatrixSetFloatInfo(*out, "label", y, count) != 0) {
        XGDMatrixFree(*out);
        st = xgb_fail(err, "labels");
    }
    free(x);
    free(y);
    return st;
}

static bs_status set_params(BoosterHandle b, const bs_train_options *o, bs_error *err) {
    char depth[16], bins[16], eta[32], seed[32], threads[16];
    snprintf(depth, sizeof depth, "%d", o->max_depth);
    snprintf(bins, sizeof bins, "%d", o->max_bins);
    snprintf(eta, sizeof eta, "%.17g", o->step_size);
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)o->seed);
    snprintf(threads, sizeof threads, "%d", o->threads);
    const char *params[][2] = {{"booster", "gbtree"}, {"objective", "reg:squarederror"},
                               {"tree_method", "hist"}, {"max_depth", depth},
                               {"max_bin", bins},       {"eta", eta},
                               {"lambda", "0"},         {"min_child_weight", "1"},
                               {"seed", seed},          {"nthread", threads},
                               {"verbosity", "0"}};
    for (size_t i = 0; i < sizeof params / sizeof params[0]; i++) {
        if (strcmp(params[i][0], "nthread") == 0 && o->threads <= 0) continue;
        if (XGBoosterSetParam(b, params[i][0], params[i][1]) != 0) return xgb_fail(err, "parameters");
    }
    return BS_OK;
}

/* The rows of the training and test sets: labelled rows only. */
static bs_status split_rows(const bs_features *f, const bs_train_options *o, size_t **train,
                            size_t *n_train, size_t **test, size_t *n_test, bs_error *err) {
    size_t labelled = 0;
    while (labelled < f->rows && !isnan(f->label[labelled])) labelled++;
    *train = malloc((labelled ? labelled : 1) * sizeof **train);
    *test = malloc((labelled ? labelled : 1) * sizeof **test);
    if (!*train || !*test) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    *n_train = *n_test = 0;
    uint64_t state = o->seed * UINT64_C(0x9E3779B97F4A7C15) + 0x632BE59BD9B4E019;
    size_t cut = labelled - labelled / 5; /* forecast: the last 20% by time */
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
        else (*train)[(*n_train)++] = i;
    }
    if (*n_train < MIN_TRAIN_ROWS || *n_test < MIN_TEST_ROWS)
        return bs_fail(err, BS_ERR_EMPTY,
                       "too few rows to train and test: %zu usable rows give %zu to train and %zu "
                       "to test (need at least %d and %d)",
                       labelled, *n_train, *n_test, MIN_TRAIN_ROWS, MIN_TEST_ROWS);
    return BS_OK;
}

/*
 * Boosting starts from the mean training label, not XGBoost's default of 0.5: for log returns
 * (around 1e-4) 0.5 means "+65%", which the trees would spend their first rounds undoing, and
 * with fewer rounds or a smaller step never fully would.
 */
static bs_status set_base_score(BoosterHandle b, const bs_features *f, const size_t *train,
                                size_t n_train, bs_error *err) {
    double sum = 0;
    for (size_t i = 0; i < n_train; i++) sum += f->label[train[i]];
    char base[40];
    snprintf(base, sizeof base, "%.17g", n_train ? sum / (double)n_train : 0.0);
    if (XGBoosterSetParam(b, "base_score", base) != 0) return xgb_fail(err, "base score");
    return BS_OK;
}

static bs_status boost(DMatrixHandle train, const bs_train_options *o, const bs_features *f,
                       const size_t *rows, size_t n_rows, BoosterHandle *b, bs_error *err) {
    if (XGBoosterCreate(&train, 1, b) != 0) return xgb_fail(err, "booster");
    bs_status st = set_params(*b, o, err);
    if (st == BS_OK) st = set_base_score(*b, f, rows, n_rows, err);
    for (int round = 0; st == BS_OK && round < o->max_iter; round++) {
        if (XGBoosterUpdateOneIter(*b, round, train) != 0) st = xgb_fail(err, "training");
        if (o->progress) o->progress(o->ctx, round + 1, o->max_iter);
    }
    return st;
}

/* Turns raw model outputs on the test rows into predictions and metrics. */
static bs_status evaluate(const bs_tick *ticks, const bs_features *f, const size_t *test, size_t n_test,
                          const float *raw, bs_train_result *out, bs_error *err) {
    int forecast = f->mode == BS_MODE_FORECAST;
    bs_predictions *p = &out->predictions;
    bs_status st = bs_predictions_alloc(p, n_test, forecast, err);
    for (size_t i = 0; st == BS_OK && i < n_test; i++) {
        size_t now = f->tick[test[i]];
        size_t target = forecast ? now + (size_t)f->horizon : now;
        p->timestamp_us[i] = ticks[target].ts_us;
        p->close[i] = ticks[target].close;
        p->prediction[i] = forecast ? ticks[now].close * exp((double)raw[i]) : (double)raw[i];
        if (forecast) p->baseline[i] = ticks[now].close;
        if (!isfinite(p->prediction[i]))
            st = bs_fail(err, BS_ERR_MODEL, "the model predicted a non-finite value");
    }
    if (st != BS_OK) return st;
    bs_metrics_compute(p->close, p->prediction, p->baseline, n_test, &out->model);
    if (forecast) bs_metrics_compute(p->close, p->baseline, p->baseline, n_test, &out->baseline);
    return BS_OK;
}

/* Seed-mode test rows come out in random order; the predictions are kept in time order. */
static int by_tick(const void *a, const void *b) {
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

static bs_status save(BoosterHandle b, const bs_train_options *o, const char *path, bs_error *err) {
    char horizon[16];
    snprintf(horizon, sizeof horizon, "%d", o->horizon);
    if (XGBoosterSetAttr(b, "btcstream_mode", bs_model_mode_name(o->mode)) != 0 ||
        XGBoosterSetAttr(b, "btcstream_horizon", horizon) != 0)
        return xgb_fail(err, "attributes");
    if (XGBoosterSaveModel(b, path) != 0) return xgb_fail(err, "saving the model");
    return BS_OK;
}

bs_status bs_train(const bs_tick *ticks, size_t n, const bs_train_options *opts,
                   const char *model_path, bs_train_result *out, bs_error *err) {
    bs_train_options o = opts ? *opts : bs_train_defaults();
    memset(out, 0, sizeof *out);
    out->mode = o.mode;
    out->horizon = o.horizon;
    bs_features f;
    size_t *train = NULL, *test = NULL, n_train = 0, n_test = 0;
    DMatrixHandle dtrain = NULL, dtest = NULL;
    BoosterHandle booster = NULL;
    bs_status st = bs_features_build(ticks, n, o.mode, o.horizon, &f, err);
    if (st != BS_OK) return st;
    st = split_rows(&f, &o, &train, &n_train, &test, &n_test, err);
    if (st == BS_OK) qsort(test, n_test, sizeof *test, by_tick);
    if (st == BS_OK) st = make_matrix(&f, train, n_train, &dtrain, 1, o.threads, err);
    if (st == BS_OK) st = make_matrix(&f, test, n_test, &dtest, 0, o.threads, err);
    if (st == BS_OK) st = boost(dtrain, &o, &f, train, n_train, &booster, err);
    bst_ulong len = 0;
    const float *raw = NULL;
    if (st == BS_OK && (XGBoosterPredict(booster, dtest, 0, 0, 0, &len, &raw) != 0 || len != n_test))
        st = xgb_fail(err, "prediction");
    if (st == BS_OK) st = evaluate(ticks, &f, test, n_test, raw, out, err);
    if (st == BS_OK && model_path) st = save(booster, &o, model_path, err);
    out->rows_train = n_train;
    out->rows_test = n_test;
    if (booster) XGBoosterFree(booster);
    if (dtrain) XGDMatrixFree(dtrain);
    if (dtest) XGDMatrixFree(dtest);
    free(train);
    free(test);
    bs_features_free(&f);
    if (st != BS_OK) bs_train_result_free(out);
    return st;
}

void bs_train_result_free(bs_train_result *r) {
    if (r) bs_predictions_free(&r->predictions);
}
