/*
 * Student's t CDF and the regularized incomplete beta function against answers worked out
 * independently: closed forms of the t CDF for 1 to 4 degrees of freedom, the binomial sum that
 * I_x(a, b) equals for whole a and b, the normal limit, and published quantiles.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "btcstream/student_t.h"

static const double ts[] = {-40, -7.5, -3, -2.2, -1, -0.31, -1e-6, 0, 1e-6, 0.5, 1.3, 2.7, 6, 25};
#define NT (sizeof ts / sizeof ts[0])

static void expect_close(double got, double want, double tol) {
    if (fabs(got - want) > tol) fail_msg("got %.17g, want %.17g", got, want);
}

static void test_cdf_matches_closed_forms_for_1_to_4_degrees_of_freedom(void **state) {
    (void)state;
    for (size_t i = 0; i < NT; i++) {
        double t = ts[i], u = 1 + t * t / 4;
        expect_close(bs_student_t_cdf(t, 1), 0.5 + atan(t) / M_PI, 1e-14);
        expect_close(bs_student_t_cdf(t, 2), 0.5 + t / (2 * sqrt(2 + t * t)), 1e-14);
        expect_close(bs_student_t_cdf(t, 3),
                     0.5 + (t / (sqrt(3) * (1 + t * t / 3)) + atan(t / sqrt(3))) / M_PI, 1e-14);
        expect_close(bs_student_t_cdf(t, 4), 0.5 + 0.375 * t / sqrt(u) * (1 - t * t / (12 * u)),
                     1e-14);
    }
}

static double binomial_sum(int a, int b, double x) { /* I_x(a, b) = P(Binomial(a+b-1, x) >= a) */
    int n = a + b - 1;
    double sum = 0;
    for (int j = a; j <= n; j++) {
        double c = exp(lgamma(n + 1) - lgamma(j + 1) - lgamma(n - j + 1));
        sum += c * pow(x, j) * pow(1 - x, n - j);
    }
    return sum;
}

static void test_incomplete_beta_matches_binomial_sums(void **state) {
    (void)state;
    static const int ab[][2] = {{1, 1}, {2, 3}, {5, 1}, {7, 9}, {30, 2}, {40, 60}};
    static const double xs[] = {0, 0.001, 0.1, 0.37, 0.5, 0.62, 0.9, 0.999, 1};
    for (size_t i = 0; i < sizeof ab / sizeof ab[0]; i++)
        for (size_t k = 0; k < sizeof xs / sizeof xs[0]; k++)
            expect_close(bs_beta_inc_reg(ab[i][0], ab[i][1], xs[k]),
                         binomial_sum(ab[i][0], ab[i][1], xs[k]), 1e-12);
}

static void test_cdf_tends_to_the_normal_for_many_degrees_of_freedom(void **state) {
    (void)state;
    for (size_t i = 0; i < NT; i++) {
        double normal = 0.5 * erfc(-ts[i] / sqrt(2));
        expect_close(bs_student_t_cdf(ts[i], 1e9), normal, 1e-8);
    }
}

static void test_cdf_at_published_quantiles(void **state) {
    (void)state; /* t tables: the 97.5% point for 10 and 30 df, the 99.5% point for 5 df */
    expect_close(bs_student_t_cdf(2.2281388519649385, 10), 0.975, 1e-10);
    expect_close(bs_student_t_cdf(2.0422724563012373, 30), 0.975, 1e-10);
    expect_close(bs_student_t_cdf(4.032142983557536, 5), 0.995, 1e-10);
    expect_close(bs_student_t_cdf(-4.032142983557536, 5), 0.005, 1e-10);
}

static void test_cdf_edges_and_bad_arguments(void **state) {
    (void)state;
    assert_true(bs_student_t_cdf(0, 7) == 0.5);
    assert_true(bs_student_t_cdf(INFINITY, 7) == 1);
    assert_true(bs_student_t_cdf(-INFINITY, 7) == 0);
    assert_true(isnan(bs_student_t_cdf(1, 0)));
    assert_true(isnan(bs_student_t_cdf(NAN, 3)));
    assert_true(isnan(bs_beta_inc_reg(1, 1, 1.5)));
    assert_true(isnan(bs_beta_inc_reg(0, 1, 0.5)));
    /* symmetric and monotone over a range where a naive 1 - x would lose every digit */
    double prev = 0;
    for (double t = -9; t <= 9; t += 0.125) {
        double p = bs_student_t_cdf(t, 500000);
        expect_close(p + bs_student_t_cdf(-t, 500000), 1, 1e-14);
        assert_true(p >= prev);
        prev = p;
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cdf_matches_closed_forms_for_1_to_4_degrees_of_freedom),
        cmocka_unit_test(test_incomplete_beta_matches_binomial_sums),
        cmocka_unit_test(test_cdf_tends_to_the_normal_for_many_degrees_of_freedom),
        cmocka_unit_test(test_cdf_at_published_quantiles),
        cmocka_unit_test(test_cdf_edges_and_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
