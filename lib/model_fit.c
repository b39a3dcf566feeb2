/*
 * model_fit.c - see model_fit.h. XGBoost takes float32 features; labels are float32 too, which
 * is why forecast mode learns the log return (around 1e-4, where float32 keeps 7 significant
 * digits) rather than the price. The prices themselves stay double: a forecast is
 * last_close * exp(predicted log return).
 */
#include "model_fit.h"

#include <libgen.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btcstream/fsutil.h"

/* Fewer held-out rows than this give a shrink factor that is mostly noise: keep the raw trees. */
#define MIN_CALIBRATION_ROWS 20
#define MIN_FIT_ROWS 10

const char *model_fit_xgb_error(char *buf, size_t cap) {
    snprintf(buf, cap, "%s", XGBGetLastError());
    buf[strcspn(buf, "\n")] = '\0';
    return buf;
}

static bs_status xgb_fail(bs_error *err, const char *what) {
    char msg[400];
    return bs_fail(err, BS_ERR_MODEL, "XGBoost %s: %s", what, model_fit_xgb_error(msg, sizeof msg));
}

size_t model_fit_labelled(const bs_features *f) {
    size_t labelled = 0;
    while (labelled < f->rows && !isnan(f->label[labelled])) labelled++;
    return labelled;
}

bs_status model_fit_matrix(const bs_features *f, size_t labelled, int nthread, DMatrixHandle *out,
                           bs_error *err) {
    *out = NULL;
    float *y = malloc((labelled ? labelled : 1) * sizeof *y);
    if (!y) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < labelled; i++) y[i] = (float)f->label[i];
    bs_status st = BS_OK;
    /* The _omp variant fills the matrix on every core; the plain one uses one. */
    if (XGDMatrixCreateFromMat_omp(f->x, labelled, f->cols, NAN, out, nthread) != 0)
        st = xgb_fail(err, "matrix");
    else if (XGDMatrixSetFloatInfo(*out, "label", y, labelled) != 0) {
        XGDMatrixFree(*out);
        *out = NULL;
        st = xgb_fail(err, "labels");
    }
    free(y);
    return st;
}

/* The one batch of a quantile matrix: f's labelled rows, dense, as XGBoost's array interface. */
typedef struct {
    DMatrixHandle proxy;
    const bs_features *f;
    size_t rows;
    int done;
} dense_iter;

static void dense_reset(DataIterHandle h) { ((dense_iter *)h)->done = 0; }

static int dense_next(DataIterHandle h) {
    dense_iter *it = h;
    if (it->done) return 0;
    char iface[256];
    snprintf(iface, sizeof iface,
             "{\"data\": [%llu, true], \"shape\": [%zu, %zu], \"typestr\": \"<f4\", "
             "\"version\": 3}",
             (unsigned long long)(uintptr_t)it->f->x, it->rows, it->f->cols);
    it->done = 1;
    return XGProxyDMatrixSetDataDense(it->proxy, iface) == 0;
}

bs_status model_fit_quantile_matrix(const bs_features *f, size_t labelled, DMatrixHandle ref,
                                    const bs_train_options *o, DMatrixHandle *out, bs_error *err) {
    *out = NULL;
    dense_iter it = {.f = f, .rows = labelled};
    char config[128];
    snprintf(config, sizeof config, "{\"missing\": NaN, \"nthread\": %d, \"max_bin\": %d}",
             o->threads, o->max_bins);
    if (XGProxyDMatrixCreate(&it.proxy) != 0) return xgb_fail(err, "proxy matrix");
    bs_status st = BS_OK;
    if (XGQuantileDMatrixCreateFromCallback(&it, it.proxy, ref, dense_reset, dense_next, config,
                                            out) != 0) {
        *out = NULL;
        st = xgb_fail(err, "quantile matrix");
    }
    XGDMatrixFree(it.proxy);
    return st;
}

/* The rows of all as their own DMatrix (XGBoost copies them; labels come along). */
static bs_status slice(DMatrixHandle all, const size_t *rows, size_t n, DMatrixHandle *out,
                       bs_error *err) {
    *out = NULL;
    int *idx = malloc((n ? n : 1) * sizeof *idx);
    if (!idx) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) idx[i] = (int)rows[i];
    bs_status st = XGDMatrixSliceDMatrix(all, idx, n, out) == 0 ? BS_OK : xgb_fail(err, "slice");
    free(idx);
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

static double mean_label(const bs_features *f, const size_t *rows, size_t n) {
    double sum = 0;
    for (size_t i = 0; i < n; i++) sum += f->label[rows[i]];
    return n ? sum / (double)n : 0.0;
}

void model_fit_free(model_fit *m) {
    if (m->booster) XGBoosterFree(m->booster);
    if (m->train) XGDMatrixFree(m->train);
    memset(m, 0, sizeof *m);
}

/*
 * Grows max_iter trees on rows. Boosting starts from the mean training label, not XGBoost's
 * default of 0.5: for log returns (around 1e-4) 0.5 means "+65%", which the trees would spend
 * their first rounds undoing, and with fewer rounds or a smaller step never fully would.
 */
static bs_status grow(const bs_features *f, DMatrixHandle all, const size_t *rows, size_t n,
                      const bs_train_options *o, const char *stage, model_fit *m, bs_error *err) {
    memset(m, 0, sizeof *m);
    m->shrink = 1;
    m->halfwidth = INFINITY;
    m->drift = mean_label(f, rows, n);
    bs_status st = slice(all, rows, n, &m->train, err);
    if (st == BS_OK && XGBoosterCreate(&m->train, 1, &m->booster) != 0)
        st = xgb_fail(err, "booster");
    m->base = m->drift;
    if (st == BS_OK) st = set_params(m->booster, o, m->base, err);
    for (int round = 0; st == BS_OK && round < o->max_iter; round++) {
        if (XGBoosterUpdateOneIter(m->booster, round, m->train) != 0) {
            st = xgb_fail(err, "training");
        } else {
            m->rounds++;
            if (o->progress) o->progress(o->ctx, stage, round + 1, o->max_iter);
        }
    }
    if (st != BS_OK) model_fit_free(m);
    return st;
}

/* The booster's raw outputs for rows into out[0..n). */
static bs_status raw_predict(const model_fit *m, DMatrixHandle all, const size_t *rows, size_t n,
                             double *out, bs_error *err) {
    DMatrixHandle d = NULL;
    bs_status st = slice(all, rows, n, &d, err);
    bst_ulong len = 0;
    const float *raw = NULL; /* owned by the booster until its next call */
    if (st == BS_OK && (XGBoosterPredict(m->booster, d, 0, 0, 0, &len, &raw) != 0 || len != n))
        st = xgb_fail(err, "prediction");
    for (size_t i = 0; st == BS_OK && i < n; i++) out[i] = raw[i];
    if (d) XGDMatrixFree(d);
    return st;
}

/*
 * The shrink factor of model.h and the conformal half-width from a model's out-of-sample raw
 * outputs on held-out rows. The shrink is the least-squares slope of the actual on the predicted
 * return, both about that model's drift, clipped to [0, 1]: through the drift rather than with a
 * free intercept, so the forecast's starting point stays the drift of the final model. The
 * conformal scores are the absolute errors of the shrunk forecasts on the same rows.
 */
static bs_status calibrate_from(const bs_features *f, const model_holdout *h,
                                const bs_train_options *o, double *shrink, int *calibrated,
                                double *halfwidth, bs_error *err) {
    double *scores = malloc((h->n ? h->n : 1) * sizeof *scores);
    if (!scores) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    if (o->calibrate) {
        double num = 0, den = 0;
        for (size_t i = 0; i < h->n; i++) {
            double p = h->raw[i] - h->drift;
            num += (f->label[h->rows[i]] - h->drift) * p;
            den += p * p;
        }
        double slope = den > 0 ? num / den : 0; /* trees that predict the drift alone: nothing */
        *shrink = slope < 0 ? 0 : slope > 1 ? 1 : slope;
        *calibrated = 1;
    }
    for (size_t i = 0; i < h->n; i++)
        scores[i] = fabs(f->label[h->rows[i]] - (h->drift + *shrink * (h->raw[i] - h->drift)));
    bs_status st = bs_conformal_halfwidth(scores, h->n, o->interval_level, halfwidth, err);
    free(scores);
    return st;
}

bs_status model_fit_calibrate(const bs_features *f, const model_holdout *given,
                              const bs_train_options *o, model_fit *m, bs_error *err) {
    m->shrink = 1;
    m->calibrated = 0;
    m->halfwidth = INFINITY;
    m->level = o->interval_level;
    if (!given || given->n < MIN_CALIBRATION_ROWS) return BS_OK;
    return calibrate_from(f, given, o, &m->shrink, &m->calibrated, &m->halfwidth, err);
}

/*
 * m's trees in a new booster whose first training matrix is all. XGBoost 1.7's hist updater
 * keeps the matrix it first grew a tree on and updates the prediction cache of that one only:
 * on any other matrix every round would predict every row again, through the slow path of a
 * quantile matrix (a search of its bins for each feature of each row).
 */
static bs_status rebind(model_fit *m, DMatrixHandle all, const bs_train_options *o, bs_error *err) {
    bst_ulong len = 0;
    const char *buf = NULL; /* owned by the old booster */
    BoosterHandle b = NULL;
    bs_status st = BS_OK;
    if (XGBoosterSaveModelToBuffer(m->booster, "{\"format\": \"ubj\"}", &len, &buf) != 0 ||
        XGBoosterCreate(&all, 1, &b) != 0 || XGBoosterLoadModelFromBuffer(b, buf, len) != 0)
        st = xgb_fail(err, "reloading the model");
    if (st == BS_OK) st = set_params(b, o, m->base, err);
    if (st != BS_OK) {
        if (b) XGBoosterFree(b);
        return st;
    }
    XGBoosterFree(m->booster);
    m->booster = b;
    m->bound = all;
    return BS_OK;
}

bs_status model_fit_continue(model_fit *m, const bs_features *f, DMatrixHandle all, size_t labelled,
                             size_t from, size_t to, int rounds, const bs_train_options *o,
                             bs_error *err) {
    if (m->bound != all) {
        bs_status st = rebind(m, all, o, err);
        if (st != BS_OK) return st;
    }
    float *y = malloc((labelled ? labelled : 1) * sizeof *y);
    float *w = malloc((labelled ? labelled : 1) * sizeof *w);
    bs_status st = y && w ? BS_OK : bs_fail(err, BS_ERR_NOMEM, "out of memory");
    double sum = 0;
    for (size_t i = 0; st == BS_OK && i < labelled; i++) {
        int in = i >= from && i < to; /* outside: no label, no weight, so no gradient */
        y[i] = in ? (float)f->label[i] : 0.0f;
        w[i] = in ? 1.0f : 0.0f;
        sum += in ? f->label[i] : 0.0;
    }
    if (st == BS_OK && (XGDMatrixSetFloatInfo(all, "label", y, labelled) != 0 ||
                        XGDMatrixSetFloatInfo(all, "weight", w, labelled) != 0))
        st = xgb_fail(err, "labels");
    free(y);
    free(w);
    for (int r = 0; st == BS_OK && r < rounds; r++) {
        if (XGBoosterUpdateOneIter(m->booster, m->rounds, all) != 0) {
            st = xgb_fail(err, "training");
        } else {
            m->rounds++;
            if (o->progress) o->progress(o->ctx, "training", r + 1, rounds);
        }
    }
    if (st == BS_OK) m->drift = to > from ? sum / (double)(to - from) : 0.0;
    return st;
}

/* The held-out rows of one split: a model grown on the first 80% of the training rows (in time
 * order in forecast mode; less the last horizon - 1) forecasts the last 20%. */
static bs_status hold_out(const bs_features *f, DMatrixHandle all, const size_t *train,
                          size_t n_train, const bs_train_options *o, double *shrink,
                          int *calibrated, double *halfwidth, bs_error *err) {
    size_t n_fit = n_train - n_train / 5, n_held = n_train - n_fit;
    size_t purge = (size_t)o->horizon - 1; /* labels of these reach into the held-out rows */
    if (n_held < MIN_CALIBRATION_ROWS || n_fit < MIN_FIT_ROWS + purge) return BS_OK;
    double *raw = malloc(n_held * sizeof *raw);
    if (!raw) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    model_fit m;
    bs_status st = grow(f, all, train, n_fit - purge, o, "calibrating", &m, err);
    if (st == BS_OK) st = raw_predict(&m, all, train + n_fit, n_held, raw, err);
    if (st == BS_OK) {
        model_holdout h = {.rows = train + n_fit, .n = n_held, .raw = raw, .drift = m.drift};
        st = calibrate_from(f, &h, o, shrink, calibrated, halfwidth, err);
    }
    if (m.booster) model_fit_free(&m);
    free(raw);
    return st;
}

bs_status model_fit_rows(const bs_features *f, DMatrixHandle all, const size_t *train,
                         size_t n_train, const bs_train_options *o, const model_holdout *given,
                         model_fit *m, bs_error *err) {
    double shrink = 1, halfwidth = INFINITY;
    int calibrated = 0;
    memset(m, 0, sizeof *m);
    bs_status st = BS_OK;
    if (f->mode == BS_MODE_FORECAST && given && given->n >= MIN_CALIBRATION_ROWS)
        st = calibrate_from(f, given, o, &shrink, &calibrated, &halfwidth, err);
    else if (f->mode == BS_MODE_FORECAST)
        st = hold_out(f, all, train, n_train, o, &shrink, &calibrated, &halfwidth, err);
    if (st == BS_OK) st = grow(f, all, train, n_train, o, "training", m, err);
    if (st != BS_OK) return st;
    if (f->mode == BS_MODE_SEED) m->drift = 0;
    m->shrink = shrink;
    m->calibrated = calibrated;
    m->halfwidth = halfwidth;
    m->level = o->interval_level;
    return BS_OK;
}

bs_status model_fit_predict_all(const model_fit *m, DMatrixHandle all, size_t n, double *out,
                                bs_error *err) {
    bst_ulong len = 0;
    const float *raw = NULL; /* owned by the booster until its next call */
    if (XGBoosterPredict(m->booster, all, 0, 0, 0, &len, &raw) != 0 || len != n)
        return xgb_fail(err, "prediction");
    for (size_t i = 0; i < n; i++) out[i] = raw[i];
    return BS_OK;
}

bs_status model_fit_forecast_raw(const model_fit *m, const bs_tick *ticks, const bs_features *f,
                                 const size_t *test, size_t n, const double *raw, bs_predictions *p,
                                 size_t at, double *drift_pred, double *raw_out, bs_error *err) {
    int forecast = f->mode == BS_MODE_FORECAST;
    for (size_t i = 0; i < n; i++) {
        size_t now = f->tick[test[i]], k = at + i;
        if (raw_out) raw_out[k] = raw[i];
        size_t target = forecast ? now + (size_t)f->horizon : now;
        p->timestamp_us[k] = ticks[target].ts_us;
        p->close[k] = ticks[target].close;
        if (forecast) {
            double ret = m->drift + m->shrink * (raw[i] - m->drift), last = ticks[now].close;
            p->prediction[k] = last * exp(ret);
            p->baseline[k] = last;
            p->lower[k] = last * exp(ret - m->halfwidth);
            p->upper[k] = last * exp(ret + m->halfwidth);
            if (drift_pred) drift_pred[k] = last * exp(m->drift);
        } else {
            p->prediction[k] = raw[i];
        }
        if (!isfinite(p->prediction[k]))
            return bs_fail(err, BS_ERR_MODEL, "the model predicted a non-finite value");
    }
    return BS_OK;
}

bs_status model_fit_forecast(const model_fit *m, const bs_tick *ticks, const bs_features *f,
                             DMatrixHandle all, const size_t *test, size_t n, bs_predictions *p,
                             size_t at, double *drift_pred, double *raw_out, bs_error *err) {
    double *raw = malloc((n ? n : 1) * sizeof *raw);
    if (!raw) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    bs_status st = raw_predict(m, all, test, n, raw, err);
    if (st == BS_OK)
        st = model_fit_forecast_raw(m, ticks, f, test, n, raw, p, at, drift_pred, raw_out, err);
    free(raw);
    return st;
}

bs_status model_fit_score(const bs_predictions *p, const double *drift_pred, size_t at, size_t n,
                          int horizon, double level, bs_train_result *r, bs_error *err) {
    const double *last = p->baseline ? p->baseline + at : NULL;
    bs_metrics_compute(p->close + at, p->prediction + at, last, n, &r->model);
    if (!p->baseline) return BS_OK;
    bs_metrics_compute(p->close + at, p->baseline + at, last, n, &r->baseline);
    bs_metrics_compute(p->close + at, drift_pred + at, last, n, &r->drift_only);
    r->skill = r->baseline.rmse > 0 ? 1 - r->model.rmse / r->baseline.rmse : NAN;
    bs_interval_measure(p->close + at, p->lower + at, p->upper + at, n, level, &r->interval);
    return bs_dm_test(p->close + at, p->prediction + at, p->baseline + at, n, horizon, &r->dm, err);
}

static uint64_t fnv1a(uint64_t h, const void *data, size_t len) {
    const unsigned char *b = data;
    for (size_t i = 0; i < len; i++) h = (h ^ b[i]) * UINT64_C(0x100000001b3);
    return h;
}

bs_status model_fit_digest(const model_fit *m, uint64_t *digest, bs_error *err) {
    bst_ulong len = 0;
    const char *json = NULL;
    if (XGBoosterSaveModelToBuffer(m->booster, "{\"format\": \"json\"}", &len, &json) != 0)
        return xgb_fail(err, "saving the model");
    uint64_t h = fnv1a(UINT64_C(0xcbf29ce484222325), json, len);
    double numbers[] = {m->drift, m->shrink, m->halfwidth};
    *digest = fnv1a(h, numbers, sizeof numbers);
    return BS_OK;
}

/*
 * Writes the model to path the one way every output is written: a temporary file beside it,
 * fsync, rename, fsync of the folder. XGBoost only serialises to memory here, so a failure is
 * ours to report, naming the file, instead of XGBoost's message and stack trace.
 */
static bs_status save_model_file(const char *path, const char *data, size_t len, bs_error *err) {
    char dir_buf[4096], name_buf[4096];
    if (snprintf(dir_buf, sizeof dir_buf, "%s", path) >= (int)sizeof dir_buf)
        return bs_fail(err, BS_ERR_ARG, "path too long: %s", path);
    snprintf(name_buf, sizeof name_buf, "%s", path);
    const char *dir = dirname(dir_buf), *name = basename(name_buf);
    bs_error inner = {{0}};
    bs_status st = bs_write_file_atomic(dir, name, data, len, 1, 0, &inner);
    if (st == BS_OK) st = bs_sync_dir(dir, &inner);
    if (st != BS_OK) return bs_fail(err, st, "cannot write the model to %s: %s", path, inner.msg);
    return BS_OK;
}

bs_status model_fit_save(const model_fit *m, const bs_train_result *r, double level,
                         const char *path, bs_error *err) {
    BoosterHandle b = m->booster;
    char horizon[16], drift[40], shrink[40], halfwidth[40], lvl[40], msg[400];
    snprintf(horizon, sizeof horizon, "%d", r->horizon);
    snprintf(drift, sizeof drift, "%.17g", r->drift);
    snprintf(shrink, sizeof shrink, "%.17g", r->shrink);
    snprintf(halfwidth, sizeof halfwidth, "%.17g", r->halfwidth);
    snprintf(lvl, sizeof lvl, "%.17g", level);
    int forecast = r->mode == BS_MODE_FORECAST && isfinite(r->halfwidth);
    bst_ulong len = 0;
    const char *json = NULL;
    if (XGBoosterSetAttr(b, "btcstream_mode", bs_model_mode_name(r->mode)) != 0 ||
        XGBoosterSetAttr(b, "btcstream_horizon", horizon) != 0 ||
        XGBoosterSetAttr(b, "btcstream_drift", drift) != 0 ||
        XGBoosterSetAttr(b, "btcstream_shrink", shrink) != 0 ||
        XGBoosterSetAttr(b, "btcstream_halfwidth", forecast ? halfwidth : NULL) != 0 ||
        XGBoosterSetAttr(b, "btcstream_interval_level", forecast ? lvl : NULL) != 0)
        return bs_fail(err, BS_ERR_MODEL, "XGBoost attributes: %s",
                       model_fit_xgb_error(msg, sizeof msg));
    if (XGBoosterSaveModelToBuffer(b, "{\"format\": \"json\"}", &len, &json) != 0)
        return bs_fail(err, BS_ERR_MODEL, "XGBoost saving the model: %s",
                       model_fit_xgb_error(msg, sizeof msg));
    return save_model_file(path, json, len, err);
}
