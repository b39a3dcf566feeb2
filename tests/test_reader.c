/* The block scanner: byte ranges, torn and over-long lines, CRLF, headers, loading in order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "btcstream/reader.h"

static char path[64];

static void write_file(const char *text, size_t len) {
    strcpy(path, "/tmp/bs_reader_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
}

static int count_tick(void *ctx, const bs_tick *t) {
    (void)t;
    (*(int *)ctx)++;
    return 0;
}

static char *tick_lines(int n) {
    char *text = malloc((size_t)n * 64 + 1), *p = text;
    for (int i = 0; i < n; i++)
        p += sprintf(p, "{\"Datetime\": \"2024-01-01T00:%02d:%02d\", \"Close\": %d}\n", i / 60 % 60,
                     i % 60, i + 1);
    return text;
}

static void test_ranges_cover_every_line_once(void **state) {
    (void)state;
    char *text = tick_lines(3000);
    size_t len = strlen(text);
    write_file(text, len);
    /* Cut at every kind of offset, including inside lines and exactly on line starts. */
    for (int parts = 1; parts <= 7; parts++) {
        int total = 0;
        for (int i = 0; i < parts; i++) {
            bs_scan_options o = {.range_start = (int64_t)len * i / parts,
                                 .range_end = (int64_t)len * (i + 1) / parts};
            if (o.range_end == 0) continue;
            assert_int_equal(bs_scan_file(path, &o, count_tick, &total, NULL, NULL), BS_OK);
        }
        assert_int_equal(total, 3000);
    }
    unlink(path);
    free(text);
}

static void test_torn_last_line_is_one_bad_line(void **state) {
    (void)state;
    const char text[] = "{\"Datetime\": \"2024-01-01T00:00:00\", \"Close\": 1}\n"
                        "{\"Datetime\": \"2024-01-01T00:00:01\", \"Clo";
    write_file(text, sizeof text - 1);
    bs_scan_stats stats;
    int n = 0;
    assert_int_equal(bs_scan_file(path, NULL, count_tick, &n, &stats, NULL), BS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(stats.bad, 1);
    assert_int_equal(stats.bad_lines[0].line_no, 2);
    unlink(path);
}

static void test_line_longer_than_a_block_is_skipped_once(void **state) {
    (void)state;
    size_t big = 3 << 20;
    char *text = malloc(big + 200);
    size_t len = (size_t)sprintf(text, "{\"Datetime\": \"2024-01-01T00:00:00\", \"Close\": 1}\n");
    memset(text + len, 'x', big);
    len += big;
    len += (size_t)sprintf(text + len, "\n{\"Datetime\": \"2024-01-01T00:00:02\", \"Close\": 2}\n");
    write_file(text, len);
    bs_scan_stats stats;
    int n = 0;
    assert_int_equal(bs_scan_file(path, NULL, count_tick, &n, &stats, NULL), BS_OK);
    assert_int_equal(n, 2);
    assert_int_equal(stats.bad, 1);
    assert_int_equal(stats.bad_lines[0].line_no, 2);
    assert_non_null(strstr(stats.bad_lines[0].reason, "longer than"));
    assert_int_equal(stats.lines, 3);
    unlink(path);
    free(text);
}

static void test_crlf_header_and_blank_lines(void **state) {
    (void)state;
    const char text[] = "open_time,open,high,low,close,volume\r\n"
                        "2023-03-01 00:01:00+00:00,2,3,1,2.5,10\r\n"
                        "\r\n"
                        "2023-03-01 00:00:00+00:00,1,3,1,1.5,10\r\n";
    write_file(text, sizeof text - 1);
    bs_tick_vec vec = {0};
    bs_scan_stats stats;
    assert_int_equal(bs_history_load(path, NULL, &vec, &stats, NULL), BS_OK);
    assert_int_equal(stats.format, BS_FORMAT_BINANCE_CSV);
    assert_int_equal(vec.len, 2);
    assert_int_equal(stats.bad, 0);
    assert_true(vec.items[0].close == 1.5 && vec.items[1].close == 2.5); /* sorted by time */
    bs_tick_vec_free(&vec);
    unlink(path);
}

static void test_strict_names_file_and_line(void **state) {
    (void)state;
    const char text[] = "{\"Datetime\": \"2024-01-01T00:00:00\", \"Close\": 1}\n{\"Close\": 2}\n";
    write_file(text, sizeof text - 1);
    bs_scan_options o = {.strict = 1};
    bs_error err = {{0}};
    assert_int_equal(bs_scan_file(path, &o, NULL, NULL, NULL, &err), BS_ERR_PARSE);
    char expected[128];
    snprintf(expected, sizeof expected, "%s:2: field \"Datetime\": missing", path);
    assert_string_equal(err.msg, expected);
    unlink(path);
}

static void test_stable_sort_keeps_file_order_of_equal_times(void **state) {
    (void)state;
    bs_tick_vec vec = {0};
    for (int i = 0; i < 5000; i++) {
        bs_tick t = {(i * 7919) % 100, 1, 1, 1, (double)i, 0, BS_TRADES_UNKNOWN, 0};
        assert_int_equal(bs_tick_vec_push(&vec, &t), BS_OK);
    }
    assert_int_equal(bs_tick_vec_sort(&vec), BS_OK);
    for (size_t i = 1; i < vec.len; i++) {
        assert_true(vec.items[i - 1].ts_us <= vec.items[i].ts_us);
        if (vec.items[i - 1].ts_us == vec.items[i].ts_us)
            assert_true(vec.items[i - 1].close < vec.items[i].close);
    }
    bs_tick_vec_free(&vec);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ranges_cover_every_line_once),
        cmocka_unit_test(test_torn_last_line_is_one_bad_line),
        cmocka_unit_test(test_line_longer_than_a_block_is_skipped_once),
        cmocka_unit_test(test_crlf_header_and_blank_lines),
        cmocka_unit_test(test_strict_names_file_and_line),
        cmocka_unit_test(test_stable_sort_keeps_file_order_of_equal_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
