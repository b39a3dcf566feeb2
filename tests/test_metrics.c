/* Metrics on hand-worked cases. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "btcstream/metrics.h"

static void test_hand_worked_case(void **state) {
    (void)state;
    /* y = 1,2,3,4; p = 1,3,2,4: errors 0,-1,1,0; mean y 2.5; SS_tot = 5; SS_res = 2. */
    double y[] = {1, 2, 3, 4}, p[] = {1, 3, 2, 4}, last[] = {0, 2.5, 2.5, 5};
    bs_metrics m;
    bs_metrics_compute(y, p, last, 4, &m);
    assert_true(fabs(m.rmse - sqrt(0.5)) < 1e-15);
    assert_true(fabs(m.mae - 0.5) < 1e-15);
    assert_true(fabs(m.r2 - (1 - 2.0 / 5)) < 1e-15);
    /* directions vs last: y up,down,up,down; p up,up,down,down -> 2 of 4 agree */
    assert_true(fabs(m.direction_acc - 0.5) < 1e-15);
}

static void test_constant_actuals_make_r2_undefined(void **state) {
    (void)state;
    double y[] = {7, 7, 7}, p[] = {7, 8, 6};
    bs_metrics m;
    bs_metrics_compute(y, p, NULL, 3, &m);
    assert_true(isnan(m.r2));
    assert_true(isnan(m.direction_acc));
    assert_true(fabs(m.rmse - sqrt(2.0 / 3)) < 1e-15);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked_case),
        cmocka_unit_test(test_constant_actuals_make_r2_undefined),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
