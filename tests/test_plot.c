/*
 * The time axis of the chart: for every span from a minute to decades, ticks on calendar
 * boundaries, labels that name their own time, and never more labels than fit side by side.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "btcstream/plot.h"
#include "btcstream/timeutil.h"

/* 2023-03-01 00:00:07 UTC: an odd start, so that no span starts on a tick by luck. */
#define START 1677628807.0

static void check_span(double seconds) {
    bs_plot_ticks t;
    bs_plot_time_ticks(START, START + seconds, &t);
    assert_in_range(t.count, 2, 12);
    size_t widest = 0;
    for (int i = 0; i < t.count; i++) {
        assert_true(t.seconds[i] >= START && t.seconds[i] <= START + seconds);
        if (i) assert_true(t.seconds[i] > t.seconds[i - 1]);
        if (i) assert_string_not_equal(t.label[i], t.label[i - 1]);
        if (strlen(t.label[i]) > widest) widest = strlen(t.label[i]);
    }
    /* The chart's plot area is about 1030 px wide and a label character up to 14 px. */
    assert_true((size_t)t.count * (widest + 1) * 14 <= 1030);
}

static void test_spans_from_a_minute_to_decades_give_distinct_labels_that_fit(void **state) {
    (void)state;
    static const double spans[] = {60,
                                   300,
                                   3600,
                                   6 * 3600,
                                   86400,
                                   4 * 86400,
                                   21 * 86400,
                                   91 * 86400,
                                   365 * 86400,
                                   3.5 * 365 * 86400,
                                   6.7 * 365 * 86400,
                                   14 * 365 * 86400,
                                   40 * 365 * 86400};
    for (size_t i = 0; i < sizeof spans / sizeof spans[0]; i++) check_span(spans[i]);
}

static void test_year_ticks_fall_on_new_year_and_name_that_year(void **state) {
    (void)state;
    /* 2019-01-02 to 2025-09-24: PLplot's 365.25-day years said 2019 at 2020-01-01. */
    bs_plot_ticks t;
    bs_plot_time_ticks(1546387200.0, 1758672000.0, &t);
    assert_int_equal(t.count, 6);
    for (int i = 0; i < t.count; i++) {
        char day[11];
        bs_time_format_day(t.seconds[i] * BS_US_PER_SECOND, day);
        char expect[32];
        snprintf(expect, sizeof expect, "%d-01-01", 2020 + i);
        assert_string_equal(day, expect);
        assert_memory_equal(t.label[i], expect, 4);
    }
}

static void test_month_ticks_fall_on_the_first_of_the_month(void **state) {
    (void)state;
    bs_plot_ticks t;
    bs_plot_time_ticks(START, START + 200 * 86400.0, &t); /* 2023-03-01 to mid-September */
    assert_true(t.count >= 2);
    for (int i = 0; i < t.count; i++) {
        char day[11];
        bs_time_format_day(t.seconds[i] * BS_US_PER_SECOND, day);
        assert_string_equal(day + 8, "01");
        assert_memory_equal(t.label[i], day, 7); /* "YYYY-MM" */
    }
}

static void test_minute_span_labels_seconds(void **state) {
    (void)state;
    bs_plot_ticks t;
    bs_plot_time_ticks(START, START + 60, &t); /* 00:00:07 to 00:01:07: every 15 s */
    assert_int_equal(t.count, 4);
    assert_string_equal(t.label[0], "00:00:15");
    assert_string_equal(t.label[3], "00:01:00");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spans_from_a_minute_to_decades_give_distinct_labels_that_fit),
        cmocka_unit_test(test_year_ticks_fall_on_new_year_and_name_that_year),
        cmocka_unit_test(test_month_ticks_fall_on_the_first_of_the_month),
        cmocka_unit_test(test_minute_span_labels_seconds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
