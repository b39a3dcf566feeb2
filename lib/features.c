/*
 * features.c - see features.h. Rolling means and volatilities come from prefix sums of the log
 * returns and of their squares, so building a million rows is one linear pass.
 */
#include "btcstream/features.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "btcstream/timeutil.h"

static const char *const seed_names[] = {"timestamp", "hour", "dayofweek"};
static const char *const forecast_names[] = {"ret_1",
                                             "ret_2",
                                             "ret_3",
                                             "ret_4",
                                             "ret_5",
                                             "ret_mean_5",
                                             "ret_mean_15",
                                             "ret_mean_60",
                                             "vol_5",
                                             "vol_15",
                                             "vol_60",
                                             "dist_mean_5",
                                             "dist_mean_15",
                                             "dist_mean_60",
                                             "hour",
                                             "dayofweek",
                                             "seconds_since_prev"};
#define FORECAST_COLS (sizeof forecast_names / sizeof forecast_names[0])

bs_status bs_model_mode_parse(const char *text, bs_model_mode *mode, bs_error *err) {
    if (strcmp(text, "forecast") == 0) *mode = BS_MODE_FORECAST;
    else if (strcmp(text, "seed") == 0) *mode = BS_MODE_SEED;
    else return bs_fail(err, BS_ERR_ARG, "--mode must be forecast or seed, not \"%s\"", text);
    return BS_OK;
}

const char *bs_model_mode_name(bs_model_mode mode) {
    return mode == BS_MODE_SEED ? "seed" : "forecast";
}

void bs_features_free(bs_features *f) {
    if (!f) return;
    free(f->x);
    free(f->label);
    free(f->tick);
    memset(f, 0, sizeof *f);
}

static bs_status allocate(bs_features *f, size_t rows, size_t cols, bs_error *err) {
    f->rows = rows;
    f->cols = cols;
    f->x = malloc(rows * cols * sizeof *f->x);
    f->label = malloc(rows * sizeof *f->label);
    f->tick = malloc(rows * sizeof *f->tick);
    if (f->x && f->label && f->tick) return BS_OK;
    bs_features_free(f);
    return bs_fail(err, BS_ERR_NOMEM, "out of memory for %zu feature rows", rows);
}

static bs_status build_seed(const bs_tick *t, size_t n, bs_features *f, bs_error *err) {
    bs_status st = allocate(f, n, 3, err);
    for (size_t i = 0; st == BS_OK && i < n; i++) {
        float *x = f->x + i * 3;
        x[0] = (float)(bs_time_floor(t[i].ts_us, BS_US_PER_SECOND) / BS_US_PER_SECOND);
        x[1] = (float)bs_time_hour(t[i].ts_us);
        x[2] = (float)bs_time_dayofweek(t[i].ts_us);
        f->label[i] = t[i].close;
        f->tick[i] = i;
    }
    f->names = seed_names;
    return st;
}

/* Sum of values[a..b] from prefix sums p (p[k] = sum of values[0..k)). */
static double span(const double *p, size_t a, size_t b) { return p[b + 1] - p[a]; }

static void forecast_row(const bs_tick *t, size_t i, const double *ret, const double *p_ret,
                         const double *p_sq, const double *p_close, float *x) {
    static const size_t spans[] = {5, 15, 60};
    for (size_t lag = 0; lag < 5; lag++) x[lag] = (float)ret[i - lag];
    for (size_t s = 0; s < 3; s++) {
        size_t k = spans[s], a = i + 1 - k;
        double mean = span(p_ret, a, i) / (double)k;
        double var = span(p_sq, a, i) / (double)k - mean * mean;
        x[5 + s] = (float)mean;
        x[8 + s] = (float)sqrt(var > 0 ? var : 0);
        x[11 + s] = (float)log(t[i].close / (span(p_close, a, i) / (double)k));
    }
    x[14] = (float)bs_time_hour(t[i].ts_us);
    x[15] = (float)bs_time_dayofweek(t[i].ts_us);
    x[16] = (float)((double)(t[i].ts_us - t[i - 1].ts_us) / 1e6);
}

static bs_status build_forecast(const bs_tick *t, size_t n, int horizon, bs_features *f,
                                bs_error *err) {
    if (n <= BS_FEATURES_LOOKBACK)
        return bs_fail(err, BS_ERR_EMPTY, "forecast features need more than %d ticks, have %zu",
                       BS_FEATURES_LOOKBACK, n);
    /* ret[i] = log(close_i / close_{i-1}); prefix sums of ret, ret^2 and close. */
    double *ret = calloc(n, sizeof *ret), *p_ret = calloc(n + 1, sizeof *p_ret);
    double *p_sq = calloc(n + 1, sizeof *p_sq), *p_close = calloc(n + 1, sizeof *p_close);
    bs_status st =
        ret && p_ret && p_sq && p_close ? BS_OK : bs_fail(err, BS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; st == BS_OK && i < n; i++) {
        ret[i] = i ? log(t[i].close / t[i - 1].close) : 0;
        p_ret[i + 1] = p_ret[i] + ret[i];
        p_sq[i + 1] = p_sq[i] + ret[i] * ret[i];
        p_close[i + 1] = p_close[i] + t[i].close;
    }
    if (st == BS_OK) st = allocate(f, n - BS_FEATURES_LOOKBACK, FORECAST_COLS, err);
    for (size_t r = 0; st == BS_OK && r < f->rows; r++) {
        size_t i = r + BS_FEATURES_LOOKBACK;
        float *x = f->x + r * FORECAST_COLS;
        forecast_row(t, i, ret, p_ret, p_sq, p_close, x);
        for (size_t c = 0; st == BS_OK && c < FORECAST_COLS; c++) /* name the first one */
            if (!isfinite(x[c]))
                st = bs_fail(err, BS_ERR_PARSE, "feature %s is not finite at tick %zu",
                             forecast_names[c], i);
        f->tick[r] = i;
        f->label[r] =
            i + (size_t)horizon < n ? log(t[i + (size_t)horizon].close / t[i].close) : NAN;
    }
    f->names = forecast_names;
    free(ret);
    free(p_ret);
    free(p_sq);
    free(p_close);
    if (st != BS_OK) bs_features_free(f);
    return st;
}

bs_status bs_features_build(const bs_tick *ticks, size_t n, bs_model_mode mode, int horizon,
                            bs_features *out, bs_error *err) {
    memset(out, 0, sizeof *out);
    if (horizon < 1) return bs_fail(err, BS_ERR_ARG, "--horizon must be at least 1");
    if (n == 0) return bs_fail(err, BS_ERR_EMPTY, "no ticks");
    out->mode = mode;
    out->horizon = horizon;
    return mode == BS_MODE_SEED ? build_seed(ticks, n, out, err)
                                : build_forecast(ticks, n, horizon, out, err);
}
