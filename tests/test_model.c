/*
 * Training through XGBoost: determinism, the split, calibration's bounds, the agreement of
 * predict with train, and the errors a caller can provoke. Small series and few rounds, so
 * the whole program runs in about a second (and under the sanitizers in a few).
 */
#include <math.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "btcstream/model.h"

/* A wavy price every 60 s (a 90 s gap every ninth tick), deterministic. */
static bs_tick *series(size_t n) {
    bs_tick *t = malloc(n * sizeof *t);
    double price = 60000;
    int64_t ts = INT64_C(1709251200000000);
    for (size_t i = 0; i < n; i++) {
        ts += (i % 9 ? 60 : 90) * INT64_C(1000000);
        price *= exp(0.002 * sin((double)i * 0.37) + 0.001 * sin((double)i * 1.91));
        t[i] = (bs_tick){ts, price, price + 9, price - 9, price, 12, BS_TRADES_UNKNOWN, 0};
    }
    return t;
}

static bs_train_options small(bs_model_mode mode) {
    bs_train_options o = bs_train_defaults();
    o.mode = mode;
    o.max_iter = 20;
    o.threads = 1;
    return o;
}

static void test_defaults_are_spark_gbt_defaults(void **state) {
    (void)state;
    bs_train_options o = bs_train_defaults();
    assert_int_equal(o.mode, BS_MODE_FORECAST);
    assert_int_equal(o.horizon, 1);
    assert_int_equal(o.max_iter, 100);
    assert_int_equal(o.max_depth, 5);
    assert_int_equal(o.max_bins, 32);
    assert_true(o.step_size == 0.1);
    assert_int_equal(o.seed, 42);
    assert_int_equal(o.calibrate, 1);
}

/* Trains twice on one series, with options a then b, and expects the same predictions bit for
 * bit and the same RMSE. */
static void expect_identical_runs(bs_train_options a_opts, bs_train_options b_opts) {
    bs_tick *t = series(600);
    bs_train_result a, b;
    assert_int_equal(bs_train(t, 600, &a_opts, NULL, &a, NULL), BS_OK);
    assert_int_equal(bs_train(t, 600, &b_opts, NULL, &b, NULL), BS_OK);
    assert_int_equal(a.predictions.rows, b.predictions.rows);
    assert_memory_equal(a.predictions.prediction, b.predictions.prediction,
                        a.predictions.rows * sizeof(double));
    assert_true(a.model.rmse == b.model.rmse);
    bs_train_result_free(&a);
    bs_train_result_free(&b);
    free(t);
}

static void test_two_runs_with_one_seed_give_identical_predictions(void **state) {
    (void)state;
    for (int mode = 0; mode < 2; mode++) {
        bs_train_options o = small(mode ? BS_MODE_SEED : BS_MODE_FORECAST);
        expect_identical_runs(o, o);
    }
}

static int cores_available(void) {
    cpu_set_t cpus;
    return sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? CPU_COUNT(&cpus) : 1;
}

static void test_default_threads_are_one_per_hundred_thousand_rows_up_to_the_cores(void **state) {
    (void)state;
    int cores = cores_available();
    assert_int_equal(bs_train_threads(0), 1);
    assert_int_equal(bs_train_threads(8042), 1); /* the 10,000-tick seed run */
    assert_int_equal(bs_train_threads(99999), 1);
    assert_int_equal(bs_train_threads(100000), cores >= 2 ? 2 : 1);
    assert_int_equal(bs_train_threads(250000), cores >= 3 ? 3 : cores);
    assert_int_equal(bs_train_threads((size_t)1 << 40), cores);
}

static void test_default_threads_on_small_data_give_the_one_thread_results(void **state) {
    (void)state;
    for (int mode = 0; mode < 2; mode++) {
        bs_train_options one = small(mode ? BS_MODE_SEED : BS_MODE_FORECAST), dflt = one;
        dflt.threads = 0;
        expect_identical_runs(one, dflt);
    }
}

static void test_forecast_split_is_by_time_last_fifth_tested(void **state) {
    (void)state;
    bs_tick *t = series(600);
    bs_train_options o = small(BS_MODE_FORECAST);
    bs_train_result r;
    assert_int_equal(bs_train(t, 600, &o, NULL, &r, NULL), BS_OK);
    /* 600 ticks: rows from tick 60; the last has no label: 539 labelled rows, 539/5 tested. */
    assert_int_equal(r.rows_train, 432);
    assert_int_equal(r.rows_test, 107);
    /* Test rows are the last ones; each holds the close one tick after its row's tick. */
    assert_true(r.predictions.timestamp_us[106] == t[599].ts_us);
    assert_true(r.predictions.close[0] == t[599 - 106].close);
    assert_true(r.predictions.baseline[0] == t[599 - 107].close);
    bs_train_result_free(&r);
    free(t);
}

static void test_seed_split_is_random_about_four_to_one_and_follows_the_seed(void **state) {
    (void)state;
    bs_tick *t = series(2000);
    bs_train_options o = small(BS_MODE_SEED);
    bs_train_result a, b;
    assert_int_equal(bs_train(t, 2000, &o, NULL, &a, NULL), BS_OK);
    o.seed = 7;
    assert_int_equal(bs_train(t, 2000, &o, NULL, &b, NULL), BS_OK);
    assert_int_equal(a.rows_train + a.rows_test, 2000);
    assert_in_range(a.rows_test, 330, 470); /* 400 expected; +-3.5 standard deviations */
    assert_true(a.rows_test != b.rows_test ||
                memcmp(a.predictions.timestamp_us, b.predictions.timestamp_us,
                       a.rows_test * sizeof(int64_t)) != 0);
    assert_null(a.predictions.baseline);
    for (size_t i = 1; i < a.rows_test; i++) /* written in time order */
        assert_true(a.predictions.timestamp_us[i - 1] < a.predictions.timestamp_us[i]);
    bs_train_result_free(&a);
    bs_train_result_free(&b);
    free(t);
}

static void test_calibration_shrink_is_between_zero_and_one(void **state) {
    (void)state;
    bs_tick *t = series(800);
    bs_train_options o = small(BS_MODE_FORECAST);
    bs_train_result r;
    assert_int_equal(bs_train(t, 800, &o, NULL, &r, NULL), BS_OK);
    assert_true(r.calibrated && r.shrink >= 0 && r.shrink <= 1);
    /* The series is a smooth function of its past: the trees learn it and are kept. */
    assert_true(r.shrink > 0.5);
    assert_true(r.model.rmse < r.baseline.rmse);
    bs_train_result_free(&r);
    o.calibrate = 0;
    assert_int_equal(bs_train(t, 800, &o, NULL, &r, NULL), BS_OK);
    assert_true(!r.calibrated && r.shrink == 1);
    bs_train_result_free(&r);
    free(t);
}

/* predict (model.json reloaded) must forecast a test row's tick as train did. */
static void test_predict_next_agrees_with_training_predictions(void **state) {
    (void)state;
    size_t n = 700;
    bs_tick *t = series(n);
    char path[] = "/tmp/bs_test_model_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    bs_train_options o = small(BS_MODE_FORECAST);
    bs_train_result r;
    bs_error err = {{0}};
    assert_int_equal(bs_train(t, n, &o, path, &r, &err), BS_OK);
    /* Test row k stands at tick n-1-rows_test+k and forecasts the next one. */
    size_t k = 10, now = n - 1 - r.rows_test + k;
    bs_forecast f;
    assert_int_equal(bs_predict_next(path, t, now + 1, &f, &err), BS_OK);
    assert_int_equal(f.mode, BS_MODE_FORECAST);
    assert_true(f.last_close == t[now].close);
    assert_true(fabs(f.predicted_close / r.predictions.prediction[k] - 1) < 1e-12);
    bs_train_result_free(&r);
    unlink(path);
    free(t);
}

static void test_too_few_rows_is_an_error_with_the_numbers(void **state) {
    (void)state;
    bs_tick *t = series(70);
    bs_train_options o = small(BS_MODE_FORECAST);
    bs_train_result r;
    bs_error err = {{0}};
    assert_int_equal(bs_train(t, 70, &o, NULL, &r, &err), BS_ERR_EMPTY);
    assert_non_null(strstr(err.msg, "too few rows to train and test: 9 usable rows"));
    assert_null(r.predictions.prediction);
    free(t);
}

static void test_constant_series_trains_with_r2_undefined(void **state) {
    (void)state;
    bs_tick *t = series(300);
    for (size_t i = 0; i < 300; i++) t[i].open = t[i].high = t[i].low = t[i].close = 5;
    bs_train_options o = small(BS_MODE_FORECAST);
    bs_train_result r;
    assert_int_equal(bs_train(t, 300, &o, NULL, &r, NULL), BS_OK);
    assert_true(r.model.rmse == 0 && r.model.mae == 0 && isnan(r.model.r2));
    assert_true(r.baseline.rmse == 0 && r.shrink == 0); /* trees that predict 0 are dropped */
    bs_train_result_free(&r);
    free(t);
}

static void test_non_finite_price_is_an_error_naming_the_feature(void **state) {
    (void)state;
    bs_tick *t = series(300);
    t[200].close = NAN;
    bs_train_options o = small(BS_MODE_FORECAST);
    bs_train_result r;
    bs_error err = {{0}};
    assert_int_equal(bs_train(t, 300, &o, NULL, &r, &err), BS_ERR_PARSE);
    assert_non_null(strstr(err.msg, "ret_1 is not finite at tick 200"));
    free(t);
}

static void test_bad_options_are_refused(void **state) {
    (void)state;
    bs_tick *t = series(300);
    bs_train_options o = small(BS_MODE_FORECAST);
    bs_train_result r;
    bs_error err = {{0}};
    o.max_bins = 1;
    assert_int_equal(bs_train(t, 300, &o, NULL, &r, &err), BS_ERR_ARG);
    o = small(BS_MODE_FORECAST);
    o.horizon = 0;
    assert_int_equal(bs_train(t, 300, &o, NULL, &r, &err), BS_ERR_ARG);
    free(t);
}

static void test_unwritable_model_path_is_an_io_error_naming_the_file(void **state) {
    (void)state;
    bs_tick *t = series(300);
    bs_train_options o = small(BS_MODE_FORECAST);
    bs_train_result r;
    bs_error err = {{0}};
    assert_int_equal(bs_train(t, 300, &o, "/nonexistent/dir/model.json", &r, &err), BS_ERR_IO);
    assert_non_null(strstr(err.msg, "cannot write the model to /nonexistent/dir/model.json"));
    assert_null(strstr(err.msg, "[bt]"));
    assert_null(strchr(err.msg, '\n'));
    assert_null(r.predictions.prediction);
    free(t);
}

/* The model is written beside and renamed: a failed save leaves the old file whole, a good one
 * replaces it and leaves no temporary file behind. */
static void test_model_file_is_replaced_atomically(void **state) {
    (void)state;
    char dir[] = "/tmp/btcstream-model-XXXXXX", path[64], tmp[80];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/model.json", dir);
    snprintf(tmp, sizeof tmp, "%s/.model.json.tmp-%d", dir, (int)getpid()); /* fsutil.h's name */
    FILE *f = fopen(path, "w");
    fputs("old", f);
    fclose(f);
    bs_tick *t = series(300);
    bs_train_options o = small(BS_MODE_FORECAST);
    bs_train_result r;
    assert_int_equal(mkdir(tmp, 0700), 0); /* a directory where the temporary file goes */
    assert_int_equal(bs_train(t, 300, &o, path, &r, NULL), BS_ERR_IO);
    char buf[8] = {0};
    f = fopen(path, "r");
    assert_int_equal(fread(buf, 1, sizeof buf - 1, f), 3);
    fclose(f);
    assert_string_equal(buf, "old");
    rmdir(tmp);
    assert_int_equal(bs_train(t, 300, &o, path, &r, NULL), BS_OK);
    bs_train_result_free(&r);
    assert_int_equal(access(tmp, F_OK), -1);
    f = fopen(path, "r");
    assert_int_equal(fread(buf, 1, 1, f), 1);
    fclose(f);
    assert_int_equal(buf[0], '{');
    remove(path);
    rmdir(dir);
    free(t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_are_spark_gbt_defaults),
        cmocka_unit_test(test_two_runs_with_one_seed_give_identical_predictions),
        cmocka_unit_test(test_default_threads_are_one_per_hundred_thousand_rows_up_to_the_cores),
        cmocka_unit_test(test_default_threads_on_small_data_give_the_one_thread_results),
        cmocka_unit_test(test_forecast_split_is_by_time_last_fifth_tested),
        cmocka_unit_test(test_seed_split_is_random_about_four_to_one_and_follows_the_seed),
        cmocka_unit_test(test_calibration_shrink_is_between_zero_and_one),
        cmocka_unit_test(test_predict_next_agrees_with_training_predictions),
        cmocka_unit_test(test_too_few_rows_is_an_error_with_the_numbers),
        cmocka_unit_test(test_constant_series_trains_with_r2_undefined),
        cmocka_unit_test(test_non_finite_price_is_an_error_naming_the_feature),
        cmocka_unit_test(test_bad_options_are_refused),
        cmocka_unit_test(test_unwritable_model_path_is_an_io_error_naming_the_file),
        cmocka_unit_test(test_model_file_is_replaced_atomically),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
