/*
 * predict.c - the next forecast from a saved model and the newest ticks. The model file carries
 * the mode and horizon it was trained with, so features are built the same way.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xgboost/c_api.h>

#include "btcstream/model.h"
#include "btcstream/timeutil.h"
#include "model_fit.h"

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Median gap between the last (up to 101) ticks: when the next tick is expected. */
static int64_t median_gap(const bs_tick *t, size_t n) {
    size_t k = n - 1 < 100 ? n - 1 : 100;
    int64_t gaps[100];
    for (size_t i = 0; i < k; i++) gaps[i] = t[n - 1 - i].ts_us - t[n - 2 - i].ts_us;
    qsort(gaps, k, sizeof *gaps, cmp_i64);
    return gaps[k / 2];
}

/* What model.json carries beside the trees (model.c's save()). */
typedef struct {
    bs_model_mode mode;
    int horizon;
    double drift, shrink;    /* forecast mode: return = drift + shrink * (raw - drift) */
    double halfwidth, level; /* the conformal interval; NaN when the model has none */
} model_attrs;

/* A numeric attribute, or fallback when the model has none (models saved before calibration). */
static double attr_number(BoosterHandle b, const char *key, double fallback) {
    const char *v = NULL;
    int found = 0;
    if (XGBoosterGetAttr(b, key, &v, &found) != 0 || !found || !v) return fallback;
    char *end;
    double d = strtod(v, &end);
    return end != v && *end == '\0' && isfinite(d) ? d : fallback;
}

static bs_status load(const char *path, BoosterHandle *b, model_attrs *a, bs_error *err) {
    /* XGBoost's own message for a missing file is a C++ stack trace: check first. */
    FILE *probe = fopen(path, "rb");
    if (!probe)
        return bs_fail(err, BS_ERR_IO, "%s: %s%s", path, strerror(errno),
                       errno == ENOENT ? " (train writes it: run 'btcstream train' first, or "
                                         "give --model)"
                                       : "");
    fclose(probe);
    char msg[400];
    if (XGBoosterCreate(NULL, 0, b) != 0 || XGBoosterLoadModel(*b, path) != 0)
        return bs_fail(err, BS_ERR_MODEL, "%s: cannot load the model: %s", path,
                       model_fit_xgb_error(msg, sizeof msg));
    const char *m = NULL;
    int ok_m = 0;
    XGBoosterGetAttr(*b, "btcstream_mode", &m, &ok_m);
    if (!ok_m || bs_model_mode_parse(m, &a->mode, NULL) != BS_OK)
        return bs_fail(err, BS_ERR_MODEL, "%s: not a btcstream model (no mode attribute)", path);
    double horizon = attr_number(*b, "btcstream_horizon", 1);
    if (horizon < 1 || horizon > 1e6 || horizon != floor(horizon))
        return bs_fail(err, BS_ERR_MODEL, "%s: bad btcstream_horizon attribute", path);
    a->horizon = (int)horizon;
    /* Without the two, the raw tree output is the forecast: drift 0, shrink 1. */
    a->drift = attr_number(*b, "btcstream_drift", 0);
    a->shrink = attr_number(*b, "btcstream_shrink", 1);
    a->halfwidth = attr_number(*b, "btcstream_halfwidth", NAN);
    a->level = attr_number(*b, "btcstream_interval_level", NAN);
    return BS_OK;
}

bs_status bs_predict_next(const char *model_path, const bs_tick *ticks, size_t n, bs_forecast *out,
                          bs_error *err) {
    memset(out, 0, sizeof *out);
    out->lower = out->upper = out->interval_level = NAN;
    if (n < 2) return bs_fail(err, BS_ERR_EMPTY, "need at least 2 ticks to forecast, have %zu", n);
    BoosterHandle b = NULL;
    model_attrs a = {0};
    bs_status st = load(model_path, &b, &a, err);
    out->mode = a.mode;
    out->horizon = a.horizon;
    bs_tick next = ticks[n - 1];
    int64_t gap = median_gap(ticks, n);
    next.ts_us += gap;
    bs_features f = {0};
    if (st ==
        BS_OK) { /* seed mode: the features of the next tick time; forecast: of the last tick */
        st = out->mode == BS_MODE_SEED
                 ? bs_features_build(&next, 1, BS_MODE_SEED, 1, &f, err)
                 : bs_features_build(ticks, n, out->mode, out->horizon, &f, err);
    }
    DMatrixHandle d = NULL;
    bst_ulong len = 0;
    const float *raw = NULL;
    char msg[400];
    if (st == BS_OK &&
        (XGDMatrixCreateFromMat(f.x + (f.rows - 1) * f.cols, 1, f.cols, NAN, &d) != 0 ||
         XGBoosterPredict(b, d, 0, 0, 0, &len, &raw) != 0 || len != 1))
        st = bs_fail(err, BS_ERR_MODEL, "XGBoost prediction: %s",
                     model_fit_xgb_error(msg, sizeof msg));
    if (st == BS_OK) {
        out->last_ts_us = ticks[n - 1].ts_us;
        out->last_close = ticks[n - 1].close;
        double ret = a.drift + a.shrink * ((double)raw[0] - a.drift);
        out->predicted_close =
            out->mode == BS_MODE_SEED ? (double)raw[0] : out->last_close * exp(ret);
        out->target_ts_us = out->last_ts_us + gap * (out->mode == BS_MODE_SEED ? 1 : a.horizon);
        if (out->mode == BS_MODE_FORECAST && isfinite(a.halfwidth) && isfinite(a.level)) {
            out->lower = out->last_close * exp(ret - a.halfwidth);
            out->upper = out->last_close * exp(ret + a.halfwidth);
            out->interval_level = a.level;
        }
    }
    if (d) XGDMatrixFree(d);
    if (b) XGBoosterFree(b);
    bs_features_free(&f);
    return st;
}
