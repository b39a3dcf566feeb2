/* Timestamp and duration parsing; expected epochs were computed with Python's datetime. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "btcstream/timeutil.h"

static int64_t parse_ok(const char *text) {
    int64_t us = 0;
    bs_error err = {{0}};
    assert_int_equal(bs_time_parse(text, strlen(text), &us, &err), BS_OK);
    return us;
}

/* The text is refused, with a message that contains reason_part. */
static void expect_refused(const char *text, const char *reason_part) {
    int64_t us;
    bs_error err = {{0}};
    assert_int_equal(bs_time_parse(text, strlen(text), &us, &err), BS_ERR_PARSE);
    if (!strstr(err.msg, reason_part))
        fail_msg("\"%s\": \"%s\" lacks \"%s\"", text, err.msg, reason_part);
}

static void test_offset_naive_and_z_forms_agree(void **state) {
    (void)state;
    const int64_t expected = INT64_C(1747012974181814);
    assert_int_equal(parse_ok("2025-05-12T01:22:54.181814+00:00"), expected);
    assert_int_equal(parse_ok("2025-05-12T01:22:54.181814"), expected);
    assert_int_equal(parse_ok("2025-05-12T01:22:54.181814Z"), expected);
    assert_int_equal(parse_ok("2025-05-12 01:22:54.181814 UTC"), expected);
    assert_int_equal(parse_ok("2025-05-12 01:22:54.181814+0000"), expected);
    assert_int_equal(parse_ok("2025-05-12T01:22:54.181814999"), expected); /* 9 digits truncate */
}

static void test_date_alone_is_midnight_utc(void **state) {
    (void)state;
    assert_int_equal(parse_ok("2024-01-02"), INT64_C(1704153600000000));
    expect_refused("2024-13-02", "no such date");
}

static void test_positive_offset_moves_time_back(void **state) {
    (void)state;
    assert_int_equal(parse_ok("2025-05-12T01:22:54.123456+05:30"), INT64_C(1746993174123456));
}

static void test_fraction_digits_zero_to_nine(void **state) {
    (void)state;
    const int64_t base = INT64_C(1677628800000000);
    assert_int_equal(parse_ok("2023-03-01 00:00:00"), base);
    assert_int_equal(parse_ok("2023-03-01 00:00"), base);
    assert_int_equal(parse_ok("2023-03-01 00:00:00.5"), base + 500000);
    assert_int_equal(parse_ok("2023-03-01 00:00:00.000001"), base + 1);
    assert_int_equal(parse_ok("2023-03-01 00:00:00+00:00"), base);
}

static void test_leap_day_and_pre_epoch(void **state) {
    (void)state;
    assert_int_equal(parse_ok("2024-02-29T23:59:59"), INT64_C(1709251199000000));
    assert_int_equal(parse_ok("1969-12-31T23:00:00"), INT64_C(-3600000000));
}

static void test_bad_timestamps_are_refused_with_reason(void **state) {
    (void)state;
    const char *bad[] = {"",
                         "2023-02-29T00:00:00",
                         "2023-13-01T00:00:00",
                         "2023-01-01T24:00:00",
                         "2023-01-01X00:00:00",
                         "2023-01-01T00:00:00.",
                         "2023-01-01T00:00:00.1234567890",
                         "2023-01-01T00:00:00+25:00",
                         "2023-01-01T00:00:00 junk",
                         "yesterday"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) expect_refused(bad[i], "bad timestamp");
}

/* Only what a four-digit year can write back is accepted: an offset must not carry a time past
 * 9999-12-31 or before 0000-01-01 in UTC. Epochs from Python's datetime. */
static void test_times_outside_four_digit_years_are_refused(void **state) {
    (void)state;
    assert_int_equal(parse_ok("9999-12-31T23:59:59.999999Z"), BS_TIME_MAX_US);
    assert_int_equal(parse_ok("9999-12-31T23:30:00+01:00"), INT64_C(253402295400000000));
    assert_int_equal(parse_ok("0000-01-01T00:00:00"), BS_TIME_MIN_US);
    expect_refused("9999-12-31T23:30:00-01:00", "outside the years 0000 to 9999");
    expect_refused("0000-01-01T00:30:00+01:00", "outside the years 0000 to 9999");
    char text[BS_TIME_ISO_SIZE];
    bs_time_format_iso(BS_TIME_MAX_US, text);
    assert_string_equal(text, "9999-12-31T23:59:59.999999+00:00");
}

/* Floors near the ends of int64 (plot floors whatever a predictions file holds): no signed
 * overflow, and the lowest representable multiple where the true floor is below INT64_MIN.
 * Expected values worked out with Python's integers. */
static void test_floor_at_the_ends_of_int64(void **state) {
    (void)state;
    assert_int_equal(bs_time_floor(-1, BS_US_PER_DAY), -BS_US_PER_DAY);
    assert_int_equal(bs_time_floor(INT64_MIN + BS_US_PER_DAY + 1, BS_US_PER_DAY),
                     INT64_C(-9223372022400000000));
    assert_int_equal(bs_time_floor(INT64_MIN + 1, BS_US_PER_DAY), INT64_C(-9223372022400000000));
    assert_int_equal(bs_time_floor(INT64_MIN, BS_US_PER_HOUR), INT64_MIN + 54775808);
    assert_int_equal(bs_time_floor(INT64_MAX, BS_US_PER_DAY), INT64_C(9223372022400000000));
}

/* btcstream's own layout takes a faster path; libc's timegm is the independent reference. */
static void test_written_layout_agrees_with_timegm(void **state) {
    (void)state;
    srand(5);
    for (int i = 0; i < 100000; i++) {
        time_t secs = (time_t)((double)rand() / RAND_MAX * 4102444800.0); /* 1970 to 2100 */
        int micros = rand() % 1000000;
        struct tm tm;
        gmtime_r(&secs, &tm);
        char text[64];
        snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%06d+00:00", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, micros);
        assert_int_equal(parse_ok(text), (int64_t)timegm(&tm) * 1000000 + micros);
    }
}

static void test_written_layout_with_bad_fields_is_refused(void **state) {
    (void)state;
    const char *bad[] = {"2023-02-29T00:00:00.000000+00:00", "2023-01-01T24:00:00.000000+00:00",
                         "2023-01-01T12:60:00.000000+00:00", "2023-01-01T12:00:60.000000+00:00",
                         "2023-01-01T12:3a:00.000000+00:00", "2023-01-01T12:30:00.00000a+00:00",
                         "2023-01-01T12-30:00.000000+00:00", "2023-13-01T12:30:00.000000+00:00"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) expect_refused(bad[i], "bad timestamp");
}

static void test_format_round_trips(void **state) {
    (void)state;
    char text[BS_TIME_TEXT_SIZE], iso[BS_TIME_ISO_SIZE], day[11];
    bs_time_format(INT64_C(1747012974181814), text);
    assert_string_equal(text, "2025-05-12 01:22:54");
    bs_time_format_iso(INT64_C(1747012974181814), iso);
    assert_string_equal(iso, "2025-05-12T01:22:54.181814+00:00");
    bs_time_format(INT64_C(-3600000000), text);
    assert_string_equal(text, "1969-12-31 23:00:00");
    bs_time_format_day(INT64_C(1709251199000000), day);
    assert_string_equal(day, "2024-02-29");
}

static void test_hour_and_spark_dayofweek(void **state) {
    (void)state;
    /* 2025-05-11 was a Sunday: Spark's dayofweek is 1; the next day a Monday, 2. */
    assert_int_equal(bs_time_dayofweek(parse_ok("2025-05-11T12:00:00")), 1);
    assert_int_equal(bs_time_dayofweek(parse_ok("2025-05-12T01:22:54")), 2);
    assert_int_equal(bs_time_dayofweek(parse_ok("2025-05-17T23:59:59")), 7);
    assert_int_equal(bs_time_hour(parse_ok("2025-05-12T01:22:54")), 1);
    assert_int_equal(bs_time_hour(parse_ok("1969-12-31T23:00:00")), 23);
}

static void test_durations(void **state) {
    (void)state;
    int64_t ms;
    assert_int_equal(bs_duration_parse("500ms", &ms, NULL), BS_OK);
    assert_int_equal(ms, 500);
    assert_int_equal(bs_duration_parse("30s", &ms, NULL), BS_OK);
    assert_int_equal(ms, 30000);
    assert_int_equal(bs_duration_parse("15m", &ms, NULL), BS_OK);
    assert_int_equal(ms, 900000);
    assert_int_equal(bs_duration_parse("1h", &ms, NULL), BS_OK);
    assert_int_equal(ms, 3600000);
    assert_int_equal(bs_duration_parse("1d", &ms, NULL), BS_OK);
    assert_int_equal(ms, 86400000);
    assert_int_equal(bs_duration_parse("0", &ms, NULL), BS_OK);
    assert_int_equal(ms, 0);
    bs_error err = {{0}};
    assert_int_equal(bs_duration_parse("10x", &ms, &err), BS_ERR_ARG);
    assert_non_null(strstr(err.msg, "10x"));
    assert_int_equal(bs_duration_parse("-1s", &ms, &err), BS_ERR_ARG);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_offset_naive_and_z_forms_agree),
        cmocka_unit_test(test_date_alone_is_midnight_utc),
        cmocka_unit_test(test_positive_offset_moves_time_back),
        cmocka_unit_test(test_fraction_digits_zero_to_nine),
        cmocka_unit_test(test_leap_day_and_pre_epoch),
        cmocka_unit_test(test_bad_timestamps_are_refused_with_reason),
        cmocka_unit_test(test_written_layout_agrees_with_timegm),
        cmocka_unit_test(test_written_layout_with_bad_fields_is_refused),
        cmocka_unit_test(test_format_round_trips),
        cmocka_unit_test(test_times_outside_four_digit_years_are_refused),
        cmocka_unit_test(test_floor_at_the_ends_of_int64),
        cmocka_unit_test(test_hour_and_spark_dayofweek),
        cmocka_unit_test(test_durations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
