/*
 * Split-conformal half-widths on scores whose order statistics are known by hand, and the
 * coverage and width of intervals counted by hand.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "btcstream/conformal.h"

/* 1..9 shuffled: the k-th smallest is k. */
static const double scores[] = {7, 3, 9, 1, 5, 8, 2, 6, 4};

static void test_halfwidth_is_the_ceil_n_plus_1_times_level_th_smallest(void **state) {
    (void)state;
    double q;
    assert_int_equal(bs_conformal_halfwidth(scores, 9, 0.8, &q, NULL), BS_OK);
    assert_true(q == 8); /* ceil(10 * 0.8) = 8 */
    bs_conformal_halfwidth(scores, 9, 0.5, &q, NULL);
    assert_true(q == 5); /* ceil(5) = 5 */
    bs_conformal_halfwidth(scores, 9, 0.51, &q, NULL);
    assert_true(q == 6); /* ceil(5.1) = 6 */
    bs_conformal_halfwidth(scores, 9, 0.9, &q, NULL);
    assert_true(q == 9);
    assert_true(scores[0] == 7); /* the caller's array is left as it was */
}

static void test_too_few_scores_for_the_level_give_an_unbounded_interval(void **state) {
    (void)state;
    double q;
    assert_int_equal(bs_conformal_halfwidth(scores, 9, 0.95, &q, NULL), BS_OK);
    assert_true(isinf(q)); /* ceil(9.5) = 10 > 9 */
    assert_int_equal(bs_conformal_halfwidth(scores, 9, 1, &q, NULL), BS_ERR_ARG);
    assert_int_equal(bs_conformal_halfwidth(scores, 9, 0, &q, NULL), BS_ERR_ARG);
}

static void test_interval_coverage_and_width_counted_by_hand(void **state) {
    (void)state;
    const double actual[] = {10, 20, 30, 40};
    const double lower[] = {9, 20, 31, 35}, upper[] = {11, 22, 33, 40}; /* in, in (edge), out, in */
    bs_interval_stats s;
    bs_interval_measure(actual, lower, upper, 4, 0.8, &s);
    assert_true(s.coverage == 0.75);
    assert_true(s.mean_width == (2.0 + 2 + 2 + 5) / 4);
    assert_true(s.level == 0.8 && s.rows == 4);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_halfwidth_is_the_ceil_n_plus_1_times_level_th_smallest),
        cmocka_unit_test(test_too_few_scores_for_the_level_give_an_unbounded_interval),
        cmocka_unit_test(test_interval_coverage_and_width_counted_by_hand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
