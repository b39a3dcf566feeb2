/*
 * The Diebold-Mariano test with the HLN correction on a series small enough to check by hand;
 * the expected values come from tests/tools/dm_reference.py (A&S's finite sums for the t CDF,
 * not the incomplete beta function lib/student_t.c uses). The cases where the test is
 * undefined say why instead of printing a number.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "btcstream/dm_test.h"

static const double y[] = {1, 2, 3, 4, 5, 4, 6};
static const double model[] = {1.5, 2, 2.5, 4.5, 5, 3.5, 6.5};
static const double base[] = {0, 2, 4, 4, 3, 5, 5};

static void expect_close(double got, double want) {
    if (fabs(got - want) > 1e-12 * fabs(want)) fail_msg("got %.17g, want %.17g", got, want);
}

static void test_statistic_and_p_value_equal_the_reference_for_horizons_1_to_3(void **state) {
    (void)state;
    static const double want[][2] = {{-1.8189621485982832, 0.05939550106053443},
                                     {-2.4709365912930576, 0.024198107480909392},
                                     {-1.9440062208298603, 0.04994277736920166}};
    for (int h = 1; h <= 3; h++) {
        bs_dm_result r;
        assert_int_equal(bs_dm_test(y, model, base, 7, h, &r, NULL), BS_OK);
        assert_true(r.defined);
        expect_close(r.mean_diff, -6.75 / 7); /* d = -0.75 0 -0.75 0.25 -4 -0.75 -0.75 */
        expect_close(r.statistic, want[h - 1][0]);
        expect_close(r.p_value, want[h - 1][1]);
    }
}

static void test_swapping_the_forecasts_flips_the_statistic(void **state) {
    (void)state;
    bs_dm_result a, b;
    bs_dm_test(y, model, base, 7, 1, &a, NULL);
    bs_dm_test(y, base, model, 7, 1, &b, NULL);
    expect_close(b.statistic, -a.statistic);
    expect_close(b.p_value, 1 - a.p_value);
}

static void test_equal_forecasts_are_undefined_with_a_reason(void **state) {
    (void)state;
    bs_dm_result r;
    assert_int_equal(bs_dm_test(y, base, base, 7, 1, &r, NULL), BS_OK);
    assert_false(r.defined);
    assert_true(isnan(r.p_value) && isnan(r.statistic));
    assert_non_null(strstr(r.reason, "equal persistence"));
    char words[200];
    bs_dm_verdict(&r, "the model", words, sizeof words);
    assert_string_equal(words, "no test of the model against persistence: the forecasts equal "
                               "persistence's on every row");
}

static void test_constant_differential_and_short_series_are_undefined(void **state) {
    (void)state;
    const double a[] = {1, 1, 1}, m[] = {2, 2, 2}, b[] = {0, 0, 0}; /* d = 0 every row */
    bs_dm_result r;
    bs_dm_test(a, m, b, 3, 1, &r, NULL);
    assert_false(r.defined);
    assert_string_equal(r.reason, "the loss differential is constant");
    bs_dm_test(y, model, base, 7, 7, &r, NULL);
    assert_false(r.defined);
    assert_int_equal(bs_dm_test(y, model, base, 7, 0, &r, NULL), BS_ERR_ARG);
}

static void test_verdict_words(void **state) {
    (void)state;
    char words[200];
    bs_dm_result r = {.defined = 1, .p_value = 0.0031, .statistic = -3};
    bs_dm_verdict(&r, "the model", words, sizeof words);
    assert_string_equal(words, "the model beats persistence (p = 0.0031)");
    r.p_value = 0.41;
    bs_dm_verdict(&r, "the drift-only forecast", words, sizeof words);
    assert_string_equal(words,
                        "no evidence that the drift-only forecast beats persistence (p = 0.41)");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_statistic_and_p_value_equal_the_reference_for_horizons_1_to_3),
        cmocka_unit_test(test_swapping_the_forecasts_flips_the_statistic),
        cmocka_unit_test(test_equal_forecasts_are_undefined_with_a_reason),
        cmocka_unit_test(test_constant_differential_and_short_series_are_undefined),
        cmocka_unit_test(test_verdict_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
