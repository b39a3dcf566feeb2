/*
 * model.c - training and prediction through XGBoost's C API (see model.h).
 *
 * XGBoost takes float32 features; labels are float32 too, which is why forecast mode learns the
 * log return (around 1e-4, where float32 keeps 7 significant digits) rather than the price. The
 * prices themselves stay double: a forecast is last_close * exp(predicted log return).
 */
#include "btcstream/model.h"

#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xgboost/c_api.h>

#include "btcstream/fsutil.h"
#include "btcstream/timeutil.h"

#define MIN_TRAIN_ROWS 10
#define MIN_TEST_ROWS 2
/* Fewer held-out rows than this give a shrink factor that is mostly noise: keep the raw trees. */
#define MIN_CALIBRATION_ROWS 20

bs_train_options bs_train_defaults(void) {
    return (bs_train_options){.mode = BS_MODE_FORECAST,
                              .horizon = 1,
                              .max_iter = 100,
                              .max_depth = 5,
                              .max_bins = 32,
                              .step_size = 0.1,
                              .seed = 42,
                              .threads = 0,
                              .calibrate = 1};
}

int bs_train_threads(size_t train_rows) {
    size_t wanted = train_rows / BS_TRAIN_ROWS_PER_THREAD + 1;
    cpu_set_t cpus;
    int cores = sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? CPU_COUNT(&cpus) : 1;
    if (cores < 1) cores = 1;
    return wanted < (size_t)cores ? (int)wanted : cores;
}

static bs_status xgb_fail(bs_error *err, const char *what) {
    return bs_fail(err, BS_ERR_MODEL, "XGBoost %s: %s", what, XGBGetLastError());
}

/* A DMatrix of the given feature rows (and their labels when with_label). */
static bs_status make_matrix(const bs_features *f, const size_t *rows, size_t count,
                             DMatrixHandle *out, int with_label, int nthread, bs_error *err) {
    *out = NULL;
    float *x = malloc((count ? count : 1) * f->cols * sizeof *x);
    float *y = malloc((count ? count : 1) * sizeof *y);
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
        *out = NULL;
        st = xgb_fail(err, "labels");
    }
    free(x);
    free(y);
    return st;
}

static bs_status set_params(BoosterHandle b, const bs_train_options *o, double base_score,
                            bs_error *err) {
    char depth[16], bins[16], eta[32], seed[32], threads[16], base[40];
    snprintf(depth, sizeof depth, "%d", o->max_depth);
    snprintf(bins, sizeof bins, "%d", o->max_bins);
    snprintf(eta, sizeof eta, "%.17g", o->step_size);
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)o->seed);
    snprintf(threads, sizeof threads, "%d", o->threads);
    snprintf(base, sizeof base, "%.17g", base_score);
    const char *params[][2] = {{"booster", "gbtree"},   {"objective", "reg:squarederror"},
                               {"tree_method", "hist"}, {"max_depth", depth},
                               {"max_bin", bins},       {"eta", eta},
                               {"lambda", "0"},         {"min_child_weight", "1"},
                               {"seed", seed},          {"base_score", base},
                               {"verbosity", "0"},      {"nthread", threads}};
    size_t count = sizeof params / sizeof params[0];
    for (size_t i = 0; i < count; i++)
        if (XGBoosterSetParam(b, params[i][0], params[i][1]) != 0)
            return xgb_fail(err, "parameters");
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

static double mean_label(const bs_features *f, const size_t *rows, size_t n) {
    double sum = 0;
    for (size_t i = 0; i < n; i++) sum += f->label[rows[i]];
    return n ? sum / (double)n : 0.0;
}

/* A booster and the training matrix it was grown on (kept alive as long as the booster). */
typedef struct {
    DMatrixHandle train;
    BoosterHandle booster;
    double base_score;
} fitted;

static void fitted_free(fitted *m) {
    if (m->booster) XGBoosterFree(m->booster);
    if (m->train) XGDMatrixFree(m->train);
    memset(m, 0, sizeof *m);
}

/*
 * Grows max_iter trees on rows. Boosting starts from the mean training label, not XGBoost's
 * default of 0.5: for log returns (around 1e-4) 0.5 means "+65%", which the trees would spend
 * their first rounds undoing, and with fewer rounds or a smaller step never fully would.
 */
static bs_status fit(const bs_features *f, const size_t *rows, size_t n, const bs_train_options *o,
                     const char *stage, fitted *m, bs_error *err) {
    memset(m, 0, sizeof *m);
    m->base_score = mean_label(f, rows, n);
    bs_status st = make_matrix(f, rows, n, &m->train, 1, o->threads, err);
    if (st == BS_OK && XGBoosterCreate(&m->train, 1, &m->booster) != 0)
        st = xgb_fail(err, "booster");
    if (st == BS_OK) st = set_params(m->booster, o, m->base_score, err);
    for (int round = 0; st == BS_OK && round < o->max_iter; round++) {
        if (XGBoosterUpdateOneIter(m->booster, round, m->train) != 0)
            st = xgb_fail(err, "training");
        else if (o->progress) o->progress(o->ctx, stage, round + 1, o->max_iter);
    }
    if (st != BS_OK) fitted_free(m);
    return st;
}

/* The model's raw outputs for rows into out[0..n) (caller-owned). */
static bs_status predict_rows(const fitted *m, const bs_features *f, const size_t *rows, size_t n,
                              int nthread, double *out, bs_error *err) {
    DMatrixHandle d = NULL;
    bs_status st = make_matrix(f, rows, n, &d, 0, nthread, err);
    bst_ulong len = 0;
    const float *raw = NULL; /* owned by the booster until its next call */
    if (st == BS_OK && (XGBoosterPredict(m->booster, d, 0, 0, 0, &len, &raw) != 0 || len != n))
        st = xgb_fail(err, "prediction");
    for (size_t i = 0; st == BS_OK && i < n; i++) out[i] = raw[i];
    if (d) XGDMatrixFree(d);
    return st;
}

/*
 * The shrink factor of model.h: a model grown on the first 80% of the training rows (which are
 * in time order in forecast mode) predicts the last 20%; the least-squares slope of the actual
 * on the predicted return, both about the drift, clipped to [0, 1]. The slope through the drift
 * rather than a free intercept keeps the forecast's starting point the drift of the final model.
 */
static bs_status calibrate(const bs_features *f, const size_t *train, size_t n_train,
                           const bs_train_options *o, bs_train_result *out, bs_error *err) {
    size_t n_fit = n_train - n_train / 5, n_held = n_train - n_fit;
    out->shrink = 1;
    if (n_held < MIN_CALIBRATION_ROWS || n_fit < MIN_TRAIN_ROWS) return BS_OK;
    double *pred = malloc(n_held * sizeof *pred);
    if (!pred) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    fitted m;
    bs_status st = fit(f, train, n_fit, o, "calibrating", &m, err);
    if (st == BS_OK) st = predict_rows(&m, f, train + n_fit, n_held, o->threads, pred, err);
    if (st == BS_OK) {
        double num = 0, den = 0;
        for (size_t i = 0; i < n_held; i++) {
            double p = pred[i] - m.base_score;
            num += (f->label[train[n_fit + i]] - m.base_score) * p;
            den += p * p;
        }
        double slope = den > 0 ? num / den : 0; /* trees that predict the drift alone: nothing */
        out->shrink = slope < 0 ? 0 : slope > 1 ? 1 : slope;
        out->calibrated = 1;
    }
    fitted_free(&m);
    free(pred);
    return st;
}

/* Turns the model outputs on the test rows into predictions and metrics. */
static bs_status evaluate(const bs_tick *ticks, const bs_features *f, const size_t *test,
                          size_t n_test, const double *raw, bs_train_result *out, bs_error *err) {
    int forecast = f->mode == BS_MODE_FORECAST;
    bs_predictions *p = &out->predictions;
    bs_status st = bs_predictions_alloc(p, n_test, forecast, err);
    for (size_t i = 0; st == BS_OK && i < n_test; i++) {
        size_t now = f->tick[test[i]];
        size_t target = forecast ? now + (size_t)f->horizon : now;
        p->timestamp_us[i] = ticks[target].ts_us;
        p->close[i] = ticks[target].close;
        if (forecast) {
            double ret = out->drift + out->shrink * (raw[i] - out->drift);
            p->prediction[i] = ticks[now].close * exp(ret);
            p->baseline[i] = ticks[now].close;
        } else {
            p->prediction[i] = raw[i];
        }
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

static bs_status save(BoosterHandle b, const bs_train_result *r, const char *path, bs_error *err) {
    char horizon[16], drift[40], shrink[40];
    snprintf(horizon, sizeof horizon, "%d", r->horizon);
    snprintf(drift, sizeof drift, "%.17g", r->drift);
    snprintf(shrink, sizeof shrink, "%.17g", r->shrink);
    if (XGBoosterSetAttr(b, "btcstream_mode", bs_model_mode_name(r->mode)) != 0 ||
        XGBoosterSetAttr(b, "btcstream_horizon", horizon) != 0 ||
        XGBoosterSetAttr(b, "btcstream_drift", drift) != 0 ||
        XGBoosterSetAttr(b, "btcstream_shrink", shrink) != 0)
        return xgb_fail(err, "attributes");
    if (XGBoosterSaveModel(b, path) != 0) return xgb_fail(err, "saving the model");
    return BS_OK;
}

/* Everything after the features and the split: calibrate, fit, predict, evaluate, save. */
static bs_status train_split(const bs_tick *ticks, const bs_features *f, const size_t *train,
                             size_t n_train, const size_t *test, size_t n_test,
                             const bs_train_options *o, const char *model_path,
                             bs_train_result *out, bs_error *err) {
    bs_status st = BS_OK;
    out->shrink = 1;
    if (o->mode == BS_MODE_FORECAST && o->calibrate) st = calibrate(f, train, n_train, o, out, err);
    fitted m = {0};
    double *raw = malloc(n_test * sizeof *raw);
    if (st == BS_OK && !raw) st = bs_fail(err, BS_ERR_NOMEM, "out of memory");
    if (st == BS_OK) st = fit(f, train, n_train, o, "training", &m, err);
    if (st == BS_OK) out->drift = o->mode == BS_MODE_FORECAST ? m.base_score : 0;
    if (st == BS_OK) st = predict_rows(&m, f, test, n_test, o->threads, raw, err);
    if (st == BS_OK) st = evaluate(ticks, f, test, n_test, raw, out, err);
    if (st == BS_OK && model_path) st = save(m.booster, out, model_path, err);
    fitted_free(&m);
    free(raw);
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
    bs_features f;
    size_t *train = NULL, *test = NULL, n_train = 0, n_test = 0;
    bs_status st = bs_features_build(ticks, n, o.mode, o.horizon, &f, err);
    if (st != BS_OK) return st;
    st = split_rows(&f, &o, &train, &n_train, &test, &n_test, err);
    if (o.threads <= 0) o.threads = bs_train_threads(n_train);
    if (st == BS_OK) qsort(test, n_test, sizeof *test, by_tick);
    if (st == BS_OK)
        st = train_split(ticks, &f, train, n_train, test, n_test, &o, model_path, out, err);
    out->rows_train = n_train;
    out->rows_test = n_test;
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
    if (snprintf(model_path, sizeof model_path, "%s/model.json", out_dir) >=
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
