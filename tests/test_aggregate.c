/* Aggregate tables on small hand-worked cases: window edges, midnight, month end, order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "btcstream/aggregate.h"
#include "btcstream/timeutil.h"

static int64_t at(const char *text) {
    int64_t us;
    assert_int_equal(bs_time_parse(text, strlen(text), &us, NULL), BS_OK);
    return us;
}

static bs_tick tick(const char *when, double open, double close) {
    bs_tick t = {at(when), open, close + 1, close - 1, close, 1.0, BS_TRADES_UNKNOWN, 0};
    return t;
}

static bs_aggregate *build(const bs_tick *ticks, size_t n) {
    bs_aggregate *agg;
    assert_int_equal(bs_aggregate_new(NULL, &agg, NULL), BS_OK);
    for (size_t i = 0; i < n; i++) assert_int_equal(bs_aggregate_add(agg, &ticks[i]), BS_OK);
    return agg;
}

static bs_table table_of(const bs_aggregate *agg, bs_table_kind kind) {
    bs_table t;
    assert_int_equal(bs_aggregate_table(agg, kind, &t, NULL), BS_OK);
    return t;
}

static void test_window_includes_tick_on_start_excludes_on_end(void **state) {
    (void)state;
    /* 00:00 lies in [23:30, 00:30) and [00:00, 01:00); 01:00 in [00:30, 01:30) and [01:00, 02:00).
     */
    bs_tick ticks[] = {tick("2024-03-10T00:00:00", 10, 10), tick("2024-03-10T01:00:00", 20, 20)};
    bs_aggregate *agg = build(ticks, 2);
    bs_table t = table_of(agg, BS_TABLE_MOVING_AVG);
    assert_int_equal(t.rows, 4);
    const char *starts[] = {"2024-03-09T23:30:00", "2024-03-10T00:00:00", "2024-03-10T00:30:00",
                            "2024-03-10T01:00:00"};
    const double avgs[] = {10, 10, 20, 20};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(t.column[0].values.i64[i], at(starts[i]));
        assert_int_equal(t.column[1].values.i64[i], at(starts[i]) + BS_US_PER_HOUR);
        assert_true(t.column[2].values.f64[i] == avgs[i]);
    }
    bs_table_free(&t);
    bs_aggregate_free(agg);
}

static void test_window_just_before_end_belongs(void **state) {
    (void)state;
    /* 00:59:59.999999 is still inside [00:00, 01:00), so that window averages both ticks. */
    bs_tick ticks[] = {tick("2024-03-10T00:00:00", 10, 10),
                       tick("2024-03-10T00:59:59.999999", 30, 30)};
    bs_aggregate *agg = build(ticks, 2);
    bs_table t = table_of(agg, BS_TABLE_MOVING_AVG);
    assert_int_equal(t.rows, 3);
    assert_int_equal(t.column[0].values.i64[1], at("2024-03-10T00:00:00"));
    assert_true(t.column[2].values.f64[1] == 20);
    assert_true(t.column[2].values.f64[0] == 10); /* [23:30, 00:30) */
    assert_true(t.column[2].values.f64[2] == 30); /* [00:30, 01:30) */
    bs_table_free(&t);
    bs_aggregate_free(agg);
}

static void test_one_tick_gives_two_windows_of_its_price(void **state) {
    (void)state;
    bs_tick one = tick("2024-03-10T12:10:00", 5, 7);
    bs_aggregate *agg = build(&one, 1);
    bs_table t = table_of(agg, BS_TABLE_MOVING_AVG);
    assert_int_equal(t.rows, 2);
    assert_int_equal(t.column[0].values.i64[0], at("2024-03-10T11:30:00"));
    assert_int_equal(t.column[0].values.i64[1], at("2024-03-10T12:00:00"));
    assert_true(t.column[2].values.f64[0] == 7 && t.column[2].values.f64[1] == 7);
    bs_table_free(&t);
    bs_table h = table_of(agg, BS_TABLE_HOURLY);
    assert_int_equal(h.rows, 1);
    assert_true(h.column[1].values.f64[0] == 5 && h.column[4].values.f64[0] == 7);
    assert_true(h.column[2].values.f64[0] == 8 && h.column[3].values.f64[0] == 6);
    assert_int_equal(h.column[6].values.i64[0], 1);
    bs_table_free(&h);
    bs_aggregate_free(agg);
}

static void test_midnight_and_month_end_split_days(void **state) {
    (void)state;
    bs_tick ticks[] = {tick("2024-01-31T23:59:59", 1, 100), tick("2024-01-31T23:00:00", 1, 200),
                       tick("2024-02-01T00:00:00", 1, 300)};
    bs_aggregate *agg = build(ticks, 3);
    bs_table d = table_of(agg, BS_TABLE_DAILY);
    assert_int_equal(d.rows, 2);
    assert_int_equal(d.column[0].values.i64[0], at("2024-01-31T00:00:00"));
    assert_true(d.column[1].values.f64[0] == 150 && d.column[2].values.f64[0] == 100);
    assert_true(d.column[3].values.f64[0] == 200);
    assert_int_equal(d.column[0].values.i64[1], at("2024-02-01T00:00:00"));
    assert_true(d.column[1].values.f64[1] == 300);
    bs_table_free(&d);
    bs_table h = table_of(agg, BS_TABLE_HOUR_OF_DAY);
    assert_int_equal(h.rows, 2); /* hours 0 and 23 */
    assert_int_equal(h.column[0].values.i64[0], 0);
    assert_int_equal(h.column[0].values.i64[1], 23);
    assert_true(h.column[1].values.f64[1] == 150);
    bs_table_free(&h);
    bs_aggregate_free(agg);
}

static void test_unsorted_input_gives_time_ordered_open_and_close(void **state) {
    (void)state;
    /* Added latest first: Open must still be the earliest tick's, Close the latest's. */
    bs_tick ticks[] = {tick("2024-05-01T10:45:00", 4, 40), tick("2024-05-01T10:05:00", 1, 10),
                       tick("2024-05-01T10:30:00", 3, 30), tick("2024-05-01T09:59:59", 9, 90)};
    bs_aggregate *agg = build(ticks, 4);
    bs_table h = table_of(agg, BS_TABLE_HOURLY);
    assert_int_equal(h.rows, 2);
    assert_int_equal(h.column[0].values.i64[0], at("2024-05-01T09:00:00"));
    assert_int_equal(h.column[0].values.i64[1], at("2024-05-01T10:00:00"));
    assert_true(h.column[1].values.f64[1] == 1);  /* Open of 10:05 */
    assert_true(h.column[4].values.f64[1] == 40); /* Close of 10:45 */
    assert_true(h.column[2].values.f64[1] == 41 && h.column[3].values.f64[1] == 9);
    assert_true(h.column[5].values.f64[1] == (40.0 + 10 + 30) / 3);
    assert_int_equal(h.column[6].values.i64[1], 3);
    bs_table_free(&h);
    bs_aggregate_free(agg);
}

static void test_merge_equals_one_pass(void **state) {
    (void)state;
    bs_tick ticks[] = {tick("2024-05-01T10:05:00", 1, 10), tick("2024-05-01T10:05:00", 2, 20),
                       tick("2024-05-01T11:30:00", 3, 30), tick("2024-05-01T10:05:00", 5, 50)};
    bs_aggregate *whole = build(ticks, 4), *a = build(ticks, 2), *b = build(ticks + 2, 2);
    assert_int_equal(bs_aggregate_merge(a, b), BS_OK);
    for (int k = 0; k < BS_TABLE_COUNT; k++) {
        bs_table x = table_of(whole, (bs_table_kind)k), y = table_of(a, (bs_table_kind)k);
        assert_int_equal(x.rows, y.rows);
        for (size_t c = 0; c < x.columns; c++)
            assert_memory_equal(x.column[c].values.i64, y.column[c].values.i64, x.rows * 8);
        bs_table_free(&x);
        bs_table_free(&y);
    }
    /* Equal times: Open is the first read (1), Close the last read (50). */
    bs_table h = table_of(whole, BS_TABLE_HOURLY);
    assert_true(h.column[1].values.f64[0] == 1 && h.column[4].values.f64[0] == 50);
    bs_table_free(&h);
    bs_aggregate_free(whole);
    bs_aggregate_free(a);
    bs_aggregate_free(b);
}

static void test_slide_longer_than_window_is_refused(void **state) {
    (void)state;
    bs_aggregate_options o = {BS_US_PER_HOUR, 2 * BS_US_PER_HOUR};
    bs_aggregate *agg = NULL;
    bs_error err = {{0}};
    assert_int_equal(bs_aggregate_new(&o, &agg, &err), BS_ERR_ARG);
    assert_non_null(strstr(err.msg, "slide"));
    o.slide_us = 0;
    assert_int_equal(bs_aggregate_new(&o, &agg, &err), BS_ERR_ARG);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window_includes_tick_on_start_excludes_on_end),
        cmocka_unit_test(test_window_just_before_end_belongs),
        cmocka_unit_test(test_one_tick_gives_two_windows_of_its_price),
        cmocka_unit_test(test_midnight_and_month_end_split_days),
        cmocka_unit_test(test_unsorted_input_gives_time_ordered_open_and_close),
        cmocka_unit_test(test_merge_equals_one_pass),
        cmocka_unit_test(test_slide_longer_than_window_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
