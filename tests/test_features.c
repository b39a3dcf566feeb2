/* Features: no look-ahead, Spark's dayofweek, and the label's definition. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "btcstream/features.h"

static bs_tick *series(size_t n) {
    bs_tick *t = malloc(n * sizeof *t);
    double price = 30000;
    for (size_t i = 0; i < n; i++) {
        price *= 1 + 0.001 * sin((double)i * 0.7) + 0.0005 * cos((double)i * 1.3);
        int64_t ts = INT64_C(1700000000000000) + (int64_t)i * 30000000 + (int64_t)(i % 5) * 1000000;
        t[i] = (bs_tick){ts, price, price + 1, price - 1, price, 1, BS_TRADES_UNKNOWN, 0};
    }
    return t;
}

static void test_prefix_rows_equal_whole_series_rows(void **state) {
    (void)state;
    size_t n = 500, prefix = 200;
    bs_tick *t = series(n);
    bs_features whole, part;
    assert_int_equal(bs_features_build(t, n, BS_MODE_FORECAST, 1, &whole, NULL), BS_OK);
    assert_int_equal(bs_features_build(t, prefix, BS_MODE_FORECAST, 1, &part, NULL), BS_OK);
    assert_int_equal(part.rows, prefix - BS_FEATURES_LOOKBACK);
    /* Every feature of every prefix row is identical: nothing after a row's tick was used. */
    assert_memory_equal(part.x, whole.x, part.rows * part.cols * sizeof(float));
    bs_features_free(&whole);
    bs_features_free(&part);
    free(t);
}

static void test_label_is_log_return_to_horizon(void **state) {
    (void)state;
    size_t n = 100;
    bs_tick *t = series(n);
    bs_features f;
    assert_int_equal(bs_features_build(t, n, BS_MODE_FORECAST, 3, &f, NULL), BS_OK);
    size_t i = f.tick[0];
    assert_int_equal(i, BS_FEATURES_LOOKBACK);
    assert_true(fabs(f.label[0] - log(t[i + 3].close / t[i].close)) < 1e-15);
    assert_true(isnan(f.label[f.rows - 1]) && isnan(f.label[f.rows - 3]) &&
                !isnan(f.label[f.rows - 4]));
    /* ret_1 is the last log return; seconds_since_prev the gap before the row's tick. */
    assert_true(fabsf(f.x[0] - (float)log(t[i].close / t[i - 1].close)) < 1e-9f);
    assert_true(f.x[16] == (float)((t[i].ts_us - t[i - 1].ts_us) / 1e6));
    bs_features_free(&f);
    free(t);
}

static void test_seed_features_use_spark_dayofweek(void **state) {
    (void)state;
    /* 2025-05-11 12:34:56 UTC, a Sunday: Spark's dayofweek is 1. */
    bs_tick t = {INT64_C(1746966896000000), 1, 1, 1, 5, 1, BS_TRADES_UNKNOWN, 0};
    bs_features f;
    assert_int_equal(bs_features_build(&t, 1, BS_MODE_SEED, 1, &f, NULL), BS_OK);
    assert_true(f.x[0] == (float)1746966896.0 && f.x[1] == 12 && f.x[2] == 1);
    assert_true(f.label[0] == 5);
    bs_features_free(&f);
}

static void test_too_few_ticks_is_a_clear_error(void **state) {
    (void)state;
    bs_tick *t = series(10);
    bs_features f;
    bs_error err = {{0}};
    assert_int_equal(bs_features_build(t, 10, BS_MODE_FORECAST, 1, &f, &err), BS_ERR_EMPTY);
    assert_non_null(strstr(err.msg, "more than 60 ticks"));
    free(t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prefix_rows_equal_whole_series_rows),
        cmocka_unit_test(test_label_is_log_return_to_horizon),
        cmocka_unit_test(test_seed_features_use_spark_dayofweek),
        cmocka_unit_test(test_too_few_ticks_is_a_clear_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
