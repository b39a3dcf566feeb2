/*
 * Known answers for the forecast's evidence (issue 15): a model that equals persistence gives no
 * p-value and says why; a series where a feature predicts the next return gets a significant
 * verdict; pure random walks get none in at least 90 of 100 seeded runs; walk-forward never
 * lets a test row reach fitting or calibration (poisoning the future leaves earlier folds' fits
 * bit for bit the same); conformal coverage on a series with known noise lies within two
 * standard errors of the level.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "btcstream/evaluate.h"
#include "btcstream/model.h"

static uint64_t rng_state;

static double uniform(void) { /* splitmix64, (0, 1) */
    uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return ((double)((z ^ (z >> 31)) >> 11) + 0.5) / 9007199254740992.0;
}

static double gaussian(void) { /* Box-Muller */
    return sqrt(-2 * log(uniform())) * cos(2 * M_PI * uniform());
}

/* Minute ticks whose log returns follow r_t = phi r_{t-1} + sigma e_t (phi 0: a random walk). */
static bs_tick *ar_series(size_t n, double phi, double sigma, uint64_t seed) {
    bs_tick *t = malloc(n * sizeof *t);
    double price = 30000, r = 0;
    rng_state = seed;
    for (size_t i = 0; i < n; i++) {
        r = phi * r + sigma * gaussian();
        price *= exp(r);
        t[i] = (bs_tick){
            INT64_C(1700000000000000) + (int64_t)i * 60000000, price, price, price, price, 1,
            BS_TRADES_UNKNOWN, 0};
    }
    return t;
}

static bs_train_options quick(void) {
    bs_train_options o = bs_train_defaults();
    o.max_iter = 20;
    o.threads = 1;
    return o;
}

static void test_model_equal_to_persistence_has_no_p_value_and_says_why(void **state) {
    (void)state;
    bs_tick *t = ar_series(400, 0, 0, 1); /* sigma 0: a constant price, every forecast = last */
    bs_train_options o = quick();
    bs_train_result r;
    assert_int_equal(bs_train(t, 400, &o, NULL, &r, NULL), BS_OK);
    assert_false(r.dm.defined);
    assert_true(isnan(r.dm.p_value));
    char words[400];
    bs_train_verdict(&r, words, sizeof words);
    assert_non_null(strstr(words, "equal persistence's on every row"));
    bs_train_result_free(&r);
    free(t);
}

static void test_predictable_returns_get_a_significant_verdict(void **state) {
    (void)state;
    bs_tick *t = ar_series(3000, 0.5, 1e-3, 7); /* ret_1 predicts half the next return */
    bs_train_options o = quick();
    bs_train_result r;
    assert_int_equal(bs_train(t, 3000, &o, NULL, &r, NULL), BS_OK);
    assert_true(r.dm.defined);
    assert_true(r.dm.p_value < 0.001);
    assert_true(r.skill > 0.05);
    char words[400];
    bs_train_verdict(&r, words, sizeof words);
    assert_int_equal(strncmp(words, "the model beats persistence (p = ", 33), 0);
    bs_train_result_free(&r);
    free(t);

    t = ar_series(3000, 0.5, 1e-3, 8); /* and so does walk-forward, pooled */
    bs_walk_forward_options wf = {.folds = 4};
    bs_walk_forward_result w;
    assert_int_equal(bs_walk_forward(t, 3000, &o, &wf, NULL, &w, NULL), BS_OK);
    assert_true(w.pooled.dm.defined && w.pooled.dm.p_value < 0.001);
    bs_walk_forward_result_free(&w);
    free(t);
}

static void test_random_walks_are_rarely_called_significant(void **state) {
    (void)state;
    int significant = 0, runs = 100;
    for (int seed = 1; seed <= runs; seed++) {
        bs_tick *t = ar_series(600, 0, 1e-3, (uint64_t)seed * 1000003);
        bs_train_options o = quick();
        bs_train_result r;
        assert_int_equal(bs_train(t, 600, &o, NULL, &r, NULL), BS_OK);
        significant += r.dm.defined && r.dm.p_value < BS_DM_ALPHA;
        bs_train_result_free(&r);
        free(t);
    }
    print_message("random walks called significant: %d of %d\n", significant, runs);
    assert_true(significant <= 10);
}

/* Fold fits of the series with ticks after `from` multiplied by noise, refit as wf says. */
static void fold_digests_with(bs_tick *t, size_t n, size_t from, bs_walk_forward_options wf,
                              uint64_t *digest) {
    rng_state = 99;
    for (size_t i = from; i < n; i++) {
        double f = exp(0.01 * gaussian());
        t[i].close *= f;
        t[i].open = t[i].high = t[i].low = t[i].close;
    }
    bs_train_options o = quick();
    o.horizon = 3;
    bs_walk_forward_result w;
    assert_int_equal(bs_walk_forward(t, n, &o, &wf, NULL, &w, NULL), BS_OK);
    for (int k = 0; k < 4; k++) digest[k] = w.fold[k].fit_digest;
    bs_walk_forward_result_free(&w);
}

static bs_refit poisoned_refit; /* the refit the poisoning test runs under */
static size_t poisoned_window;

static void fold_digests(bs_tick *t, size_t n, size_t from, uint64_t *digest) {
    bs_walk_forward_options wf = {.folds = 4, .refit = poisoned_refit, .window = poisoned_window};
    fold_digests_with(t, n, from, wf, digest);
}

/* Poisons the future of fold 3 and checks that folds 1-3 are bit for bit the same fits. */
static void never_fits_on_a_test_row(void) {
    /* 1560 ticks give 1500 feature rows (from tick 60), 1497 labelled at horizon 3: blocks of
     * 299 with the remainder in the first (301), so fold 3 tests rows 899.., ticks 959.. */
    size_t n = 1560, tick_of_fold3 = 60 + 301 + 2 * 299;
    uint64_t clean[4], poisoned[4];
    bs_tick *t = ar_series(n, 0.3, 1e-3, 5);
    fold_digests(t, n, n, clean); /* nothing poisoned */
    free(t);
    t = ar_series(n, 0.3, 1e-3, 5);
    /* every price after fold 3's first test tick: its labels and everything later */
    fold_digests(t, n, tick_of_fold3 + 1, poisoned);
    free(t);
    assert_true(clean[0] == poisoned[0]);
    assert_true(clean[1] == poisoned[1]);
    assert_true(clean[2] == poisoned[2]); /* fold 3's own fit and calibration saw none of it */
    assert_true(clean[3] != poisoned[3]); /* the check can fail: fold 4 trains on them */
    /* one tick earlier reaches fold 3's training labels (the last one ends at its first test
     * tick), so its fit must change: the purge is exactly as wide as needed */
    t = ar_series(n, 0.3, 1e-3, 5);
    fold_digests(t, n, tick_of_fold3, poisoned);
    free(t);
    assert_true(clean[1] == poisoned[1]);
    assert_true(clean[2] != poisoned[2]);
}

static void test_walk_forward_never_fits_on_a_test_row(void **state) {
    (void)state;
    poisoned_refit = BS_REFIT_FULL;
    poisoned_window = 0;
    never_fits_on_a_test_row();
}

/* Warm refits keep every row in one matrix, the future at label and weight 0: the poisoned
 * prices reach that matrix's features and labels, and must reach no fit. */
static void test_warm_walk_forward_never_fits_on_a_test_row(void **state) {
    (void)state;
    poisoned_refit = BS_REFIT_WARM;
    poisoned_window = 0;
    never_fits_on_a_test_row();
    poisoned_window = 500; /* and with a window: rows before it take no part either */
    never_fits_on_a_test_row();
}

/* Warm and full refits share fold 1 (grown from scratch alike); later folds differ, and warm
 * ones grow max_iter / folds trees (rounded up) each on top of the fold before's. */
static void test_warm_refit_continues_from_the_fold_before(void **state) {
    (void)state;
    size_t n = 1560;
    bs_tick *t = ar_series(n, 0.3, 1e-3, 5);
    uint64_t full[4], warm[4], warm_window[4];
    fold_digests_with(t, n, n, (bs_walk_forward_options){.folds = 4}, full);
    assert_int_equal(bs_walk_forward_defaults().refit, BS_REFIT_WARM);
    fold_digests_with(t, n, n, (bs_walk_forward_options){.folds = 4, .refit = BS_REFIT_WARM}, warm);
    fold_digests_with(t, n, n,
                      (bs_walk_forward_options){.folds = 4, .refit = BS_REFIT_WARM, .window = 500},
                      warm_window);
    assert_true(full[0] == warm[0]);
    for (int k = 1; k < 4; k++) assert_true(full[k] != warm[k]);
    assert_true(warm_window[1] != warm[1]); /* the window bounds the rows later rounds see */
    free(t);

    /* the last fold's model.json: 20 trees from fold 1, 5 more from each of folds 2-4 */
    t = ar_series(n, 0.3, 1e-3, 5);
    bs_train_options o = quick();
    bs_walk_forward_options wf = bs_walk_forward_defaults();
    wf.folds = 4;
    bs_walk_forward_result w;
    char dir[] = "/tmp/bs_test_evaluate_XXXXXX";
    assert_non_null(mkdtemp(dir));
    assert_int_equal(bs_walk_forward(t, n, &o, &wf, dir, &w, NULL), BS_OK);
    char path[256];
    snprintf(path, sizeof path, "%s/model.json", dir);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    static char json[1 << 22];
    size_t len = fread(json, 1, sizeof json - 1, fp);
    fclose(fp);
    json[len] = '\0';
    const char *trees = strstr(json, "\"num_trees\":\"");
    assert_non_null(trees);
    assert_int_equal(atoi(trees + strlen("\"num_trees\":\"")), 20 + 3 * 5);
    /* the last test row's forecast (from XGBoost's prediction cache of the shared matrix)
     * equals the saved model's forecast from the same tick, the last but one (horizon 1) */
    bs_forecast f;
    const bs_predictions *p = &w.pooled.predictions;
    assert_int_equal(bs_predict_next(path, t, n - 1, &f, NULL), BS_OK);
    assert_true(fabs(f.predicted_close - p->prediction[p->rows - 1]) <= 1e-9 * f.predicted_close);
    assert_true(fabs(f.upper - p->upper[p->rows - 1]) <= 1e-9 * f.upper);
    bs_walk_forward_result_free(&w);
    remove(path);
    snprintf(path, sizeof path, "%s/%s", dir, BS_PREDICTIONS_DIR);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -r '%s' '%s'", path, dir);
    assert_int_equal(system(cmd), 0);
    free(t);
}

static void test_conformal_coverage_is_within_two_standard_errors(void **state) {
    (void)state;
    size_t n = 6000;
    bs_tick *t = ar_series(n, 0, 1e-3, 11); /* i.i.d. Gaussian returns: exchangeable residuals */
    static const double levels[] = {0.5, 0.8, 0.9};
    for (size_t i = 0; i < 3; i++) {
        bs_train_options o = quick();
        o.interval_level = levels[i];
        bs_train_result r;
        assert_int_equal(bs_train(t, n, &o, NULL, &r, NULL), BS_OK);
        /* Coverage varies with the test rows and with the calibration quantile: both count. */
        double l = levels[i], n_test = (double)r.rows_test, n_cal = (double)(r.rows_train / 5);
        double se = sqrt(l * (1 - l) * (1 / n_test + 1 / n_cal));
        print_message("level %.2f: coverage %.4f (2 SE %.4f)\n", l, r.interval.coverage, 2 * se);
        assert_true(fabs(r.interval.coverage - l) <= 2 * se);
        assert_true(r.interval.mean_width > 0);
        bs_train_result_free(&r);
    }
    free(t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_equal_to_persistence_has_no_p_value_and_says_why),
        cmocka_unit_test(test_predictable_returns_get_a_significant_verdict),
        cmocka_unit_test(test_random_walks_are_rarely_called_significant),
        cmocka_unit_test(test_walk_forward_never_fits_on_a_test_row),
        cmocka_unit_test(test_warm_walk_forward_never_fits_on_a_test_row),
        cmocka_unit_test(test_warm_refit_continues_from_the_fold_before),
        cmocka_unit_test(test_conformal_coverage_is_within_two_standard_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
