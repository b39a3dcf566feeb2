/*
 * evaluate.c - walk-forward evaluation (see evaluate.h). Each fold is one model_fit_rows() on a
 * slice of the matrix built once, its forecasts written straight into the pooled predictions at
 * the fold's offset, so pooling costs no copy and the pooled rows are in time order.
 */
#include "btcstream/evaluate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btcstream/fsutil.h"
#include "model_fit.h"

#define MIN_FOLD_TRAIN_ROWS 10
#define MIN_FOLD_TEST_ROWS 2

bs_walk_forward_options bs_walk_forward_defaults(void) {
    return (bs_walk_forward_options){
        .folds = 10, .window = 0, .refit = BS_REFIT_WARM, .warm_rounds = 0};
}

void bs_walk_forward_result_free(bs_walk_forward_result *r) {
    if (!r) return;
    if (r->fold)
        for (int k = 0; k < r->folds; k++) bs_train_result_free(&r->fold[k]);
    free(r->fold);
    free(r->fold_offset);
    bs_train_result_free(&r->pooled);
    memset(r, 0, sizeof *r);
}

/* Scratch shared by the folds. */
typedef struct {
    const bs_tick *ticks;
    const bs_features *f;
    DMatrixHandle all;
    DMatrixHandle quantile; /* warm refits: every labelled row, fold 1's cuts */
    size_t labelled;
    double *raw_all; /* warm refits: the booster's outputs on every labelled row */
    const bs_train_options *o;
    size_t *rows;       /* 0, 1, 2, ...: row indices to slice by */
    double *drift_pred; /* pooled, beside the predictions */
    double *raw;        /* pooled: the booster's outputs, the next fold's held-out outputs */
} folds_ctx;

/* What every fold does once it has its model m: forecasts the block [s, e) into the pooled rows
 * at `at` (from raw, the booster's outputs on the block, when not NULL), scores it, and saves
 * model_path when not NULL. */
static bs_status finish_fold(folds_ctx *c, const model_fit *m, size_t from, size_t to, size_t s,
                             size_t e, size_t at, const double *raw, bs_walk_forward_result *out,
                             const char *model_path, bs_error *err) {
    bs_train_result *r = &out->fold[out->folds];
    memset(r, 0, sizeof *r);
    r->mode = BS_MODE_FORECAST;
    r->horizon = c->o->horizon;
    r->rows_train = to - from;
    r->rows_test = e - s;
    r->drift = m->drift;
    r->shrink = m->shrink;
    r->calibrated = m->calibrated;
    r->halfwidth = m->halfwidth;
    bs_status st =
        raw ? model_fit_forecast_raw(m, c->ticks, c->f, c->rows + s, e - s, raw,
                                     &out->pooled.predictions, at, c->drift_pred, c->raw, err)
            : model_fit_forecast(m, c->ticks, c->f, c->all, c->rows + s, e - s,
                                 &out->pooled.predictions, at, c->drift_pred, c->raw, err);
    if (st == BS_OK)
        st = model_fit_score(&out->pooled.predictions, c->drift_pred, at, e - s, r->horizon,
                             c->o->interval_level, r, err);
    if (st == BS_OK) st = model_fit_digest(m, &r->fit_digest, err);
    if (st == BS_OK && model_path) { /* the last fold: keep its model as model.json */
        bs_train_result saved = *r;
        st = model_fit_save(m, &saved, c->o->interval_level, model_path, err);
    }
    if (st == BS_OK) out->folds++;
    return st;
}

/* Fold k, full refit: fits on [from, to) from scratch and forecasts the block [s, e). */
static bs_status run_fold(folds_ctx *c, size_t from, size_t to, size_t s, size_t e, size_t at,
                          const model_holdout *given, bs_walk_forward_result *out,
                          const char *model_path, bs_error *err) {
    model_fit m;
    bs_status st = model_fit_rows(c->f, c->all, c->rows + from, to - from, c->o, given, &m, err);
    if (st != BS_OK) return st;
    st = finish_fold(c, &m, from, to, s, e, at, NULL, out, model_path, err);
    model_fit_free(&m);
    return st;
}

/* Fold k > 1, warm refit: m (fold k - 1's model) grows rounds more trees on [from, to). Its
 * outputs on every row come from XGBoost's prediction cache of the quantile matrix. */
static bs_status run_warm_fold(folds_ctx *c, model_fit *m, int rounds, size_t from, size_t to,
                               size_t s, size_t e, size_t at, const model_holdout *given,
                               bs_walk_forward_result *out, const char *model_path, bs_error *err) {
    bs_status st = model_fit_calibrate(c->f, given, c->o, m, err);
    if (st == BS_OK)
        st = model_fit_continue(m, c->f, c->quantile, c->labelled, from, to, rounds, c->o, err);
    if (st == BS_OK) st = model_fit_predict_all(m, c->quantile, c->labelled, c->raw_all, err);
    if (st == BS_OK)
        st = finish_fold(c, m, from, to, s, e, at, c->raw_all + s, out, model_path, err);
    return st;
}

static bs_status run_folds(folds_ctx *c, size_t labelled, const bs_walk_forward_options *wf,
                           const char *model_path, bs_walk_forward_result *out, bs_error *err) {
    size_t block = labelled / (size_t)(wf->folds + 1), purge = (size_t)c->o->horizon - 1;
    size_t first = labelled - block * (size_t)wf->folds; /* block 0 takes the remainder */
    if (block < MIN_FOLD_TEST_ROWS || first < MIN_FOLD_TRAIN_ROWS + purge ||
        (wf->window && wf->window < MIN_FOLD_TRAIN_ROWS))
        return bs_fail(err, BS_ERR_EMPTY,
                       "too few rows for %d folds: %zu usable rows give blocks of %zu (need at "
                       "least %d to test and %zu to train)",
                       wf->folds, labelled, block, MIN_FOLD_TEST_ROWS, MIN_FOLD_TRAIN_ROWS + purge);
    bs_status st = BS_OK;
    int warm = wf->refit == BS_REFIT_WARM && wf->folds > 1;
    int rounds =
        wf->warm_rounds > 0 ? wf->warm_rounds : (c->o->max_iter + wf->folds - 1) / wf->folds;
    model_fit m = {0}; /* warm: the model carried from fold to fold */
    for (int k = 0; st == BS_OK && k < wf->folds; k++) {
        size_t s = first + block * (size_t)k, e = s + block, to = s - purge;
        size_t from = wf->window && to > wf->window ? to - wf->window : 0;
        out->fold_offset[k] = s - first;
        /* From fold 2 on, the previous block is the held-out set: the previous fold's model
         * forecast it without fitting on it; its last horizon - 1 rows, whose labels reach
         * into this fold's block, are left out. */
        model_holdout prev = {0};
        if (k > 0 && block > purge)
            prev = (model_holdout){.rows = c->rows + s - block,
                                   .n = block - purge,
                                   .raw = c->raw + out->fold_offset[k - 1],
                                   .drift = out->fold[k - 1].drift};
        const char *path = k == wf->folds - 1 ? model_path : NULL;
        if (!warm) {
            st = run_fold(c, from, to, s, e, s - first, prev.n ? &prev : NULL, out, path, err);
        } else if (k == 0) { /* grown from scratch, as a full refit's fold 1 */
            st = model_fit_rows(c->f, c->all, c->rows + from, to - from, c->o, NULL, &m, err);
            if (st == BS_OK)
                st = finish_fold(c, &m, from, to, s, e, s - first, NULL, out, path, err);
            if (st == BS_OK)
                st = model_fit_quantile_matrix(c->f, c->labelled, m.train, c->o, &c->quantile, err);
        } else {
            st = run_warm_fold(c, &m, rounds, from, to, s, e, s - first, prev.n ? &prev : NULL, out,
                               path, err);
        }
    }
    if (m.booster) model_fit_free(&m);
    return st;
}

/* Pooled scores and what the pooled result takes from the last fold. */
static bs_status pool(const folds_ctx *c, bs_walk_forward_result *out, bs_error *err) {
    bs_train_result *p = &out->pooled, *last = &out->fold[out->folds - 1];
    p->mode = BS_MODE_FORECAST;
    p->horizon = c->o->horizon;
    p->rows_test = p->predictions.rows;
    p->rows_train = last->rows_train;
    p->drift = last->drift;
    p->halfwidth = last->halfwidth;
    /* The largest shrink of any fold: 0 only when every fold's forecast was the drift alone,
     * which is when the pooled verdict may say so. */
    p->shrink = 0;
    for (int k = 0; k < out->folds; k++) {
        p->calibrated |= out->fold[k].calibrated;
        p->shrink = fmax(p->shrink, out->fold[k].calibrated ? out->fold[k].shrink : 1);
    }
    p->fit_digest = last->fit_digest;
    return model_fit_score(&p->predictions, c->drift_pred, 0, p->rows_test, p->horizon,
                           c->o->interval_level, p, err);
}

static bs_status prepare(const bs_train_options *o, const bs_walk_forward_options *wf,
                         const char *out_dir, char *model_path, char *predictions_dir, size_t size,
                         bs_error *err) {
    if (o->mode != BS_MODE_FORECAST)
        return bs_fail(err, BS_ERR_ARG, "walk-forward evaluation needs forecast mode");
    if (wf->folds < 1) return bs_fail(err, BS_ERR_ARG, "--folds must be at least 1");
    if (!(o->interval_level > 0 && o->interval_level < 1))
        return bs_fail(err, BS_ERR_ARG, "the interval level must be between 0 and 1, not %g",
                       o->interval_level);
    if (!out_dir) return BS_OK;
    if (snprintf(model_path, size, "%s/model.json", out_dir) >= (int)size ||
        snprintf(predictions_dir, size, "%s/%s", out_dir, BS_PREDICTIONS_DIR) >= (int)size)
        return bs_fail(err, BS_ERR_ARG, "output folder name too long: %s", out_dir);
    return bs_mkdirs(out_dir, err);
}

bs_status bs_walk_forward(const bs_tick *ticks, size_t n, const bs_train_options *opts,
                          const bs_walk_forward_options *wf, const char *out_dir,
                          bs_walk_forward_result *out, bs_error *err) {
    bs_train_options o = opts ? *opts : bs_train_defaults();
    char model_path[4096], predictions_dir[4096];
    memset(out, 0, sizeof *out);
    bs_status st = prepare(&o, wf, out_dir, model_path, predictions_dir, sizeof model_path, err);
    if (st != BS_OK) return st;
    bs_features f;
    folds_ctx c = {.ticks = ticks, .f = &f, .o = &o};
    st = bs_features_build(ticks, n, o.mode, o.horizon, &f, err);
    if (st != BS_OK) return st;
    size_t labelled = c.labelled = model_fit_labelled(&f);
    size_t block = labelled / (size_t)(wf->folds + 1), tested = block * (size_t)wf->folds;
    if (o.threads <= 0) o.threads = bs_train_threads(labelled - block);
    c.rows = malloc((labelled ? labelled : 1) * sizeof *c.rows);
    c.drift_pred = malloc((tested ? tested : 1) * sizeof *c.drift_pred);
    c.raw = malloc((tested ? tested : 1) * sizeof *c.raw);
    c.raw_all = malloc((labelled ? labelled : 1) * sizeof *c.raw_all);
    out->fold = calloc((size_t)wf->folds, sizeof *out->fold);
    out->fold_offset = calloc((size_t)wf->folds, sizeof *out->fold_offset);
    if (!c.rows || !c.drift_pred || !c.raw || !c.raw_all || !out->fold || !out->fold_offset)
        st = bs_fail(err, BS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; st == BS_OK && i < labelled; i++) c.rows[i] = i;
    if (st == BS_OK) st = bs_predictions_alloc(&out->pooled.predictions, tested, 1, err);
    if (st == BS_OK) st = model_fit_matrix(&f, labelled, o.threads, &c.all, err);
    if (st == BS_OK) st = run_folds(&c, labelled, wf, out_dir ? model_path : NULL, out, err);
    if (st == BS_OK) st = pool(&c, out, err);
    if (st == BS_OK && out_dir)
        st = bs_predictions_write(predictions_dir, &out->pooled.predictions, err);
    if (c.all) XGDMatrixFree(c.all);
    if (c.quantile) XGDMatrixFree(c.quantile);
    free(c.raw_all);
    free(c.rows);
    free(c.drift_pred);
    free(c.raw);
    bs_features_free(&f);
    if (st != BS_OK) bs_walk_forward_result_free(out);
    return st;
}
