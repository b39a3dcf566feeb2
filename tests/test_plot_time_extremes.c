/*
 * The plot's time axis at the ends of the time range a predictions file can hold (any int64 of
 * microseconds): bs_time_floor() overflowed there (UBSan, `plot` on a crafted file). The axis
 * must come out increasing, inside the range asked for, with no undefined behaviour (this test
 * matters most in the sanitizer build, where signed overflow stops the program).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "btcstream/plot.h"

static void check_axis(double from_s, double to_s) {
    bs_plot_ticks ticks;
    bs_plot_time_ticks(from_s, to_s, &ticks);
    assert_true(ticks.count >= 0 && ticks.count <= BS_PLOT_MAX_TICKS);
    for (int i = 0; i < ticks.count; i++) {
        assert_true((double)ticks.seconds[i] >= from_s && (double)ticks.seconds[i] <= to_s);
        if (i > 0) assert_true(ticks.seconds[i] > ticks.seconds[i - 1]);
    }
}

static void test_axis_near_the_lowest_int64_microsecond(void **state) {
    (void)state;
    const double lowest_s = (double)(INT64_MIN / 1000000);
    check_axis(lowest_s, lowest_s + 3600);
    check_axis(lowest_s, lowest_s + 86400.0 * 365 * 200);
}

static void test_axis_near_the_highest_int64_microsecond(void **state) {
    (void)state;
    const double highest_s = (double)(INT64_MAX / 1000000);
    check_axis(highest_s - 3600, highest_s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_axis_near_the_lowest_int64_microsecond),
        cmocka_unit_test(test_axis_near_the_highest_int64_microsecond),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
