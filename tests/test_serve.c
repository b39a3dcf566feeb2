/*
 * The dashboard's private pieces (lib/serve/): what counts as committed (committed.c), the
 * shortest exact JSON numbers (text_buf.c), and the live rows and tick ring (state.c), each
 * against values worked out by hand.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../lib/serve/committed.h" /* private */
#include "../lib/serve/state.h"     /* private */
#include "../lib/serve/text_buf.h"  /* private */
#include "test_util.h"

static char dir[64];
static serve_paths paths;

static void write_history(size_t bytes) {
    char *text = malloc(bytes + 1);
    memset(text, 'x', bytes);
    text[bytes] = '\0';
    test_write_text(paths.history, text);
    free(text);
}

static int setup(void **state) {
    (void)state;
    test_tmpdir(dir, sizeof dir, "serve");
    assert_int_equal(serve_paths_init(&paths, dir, "", NULL), BS_OK);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    return test_rmtree(dir);
}

static void make_stream_dir(void) { assert_int_equal(mkdir(paths.stream_dir, 0755), 0); }

static void test_committed_is_the_last_complete_commit_line(void **state) {
    (void)state;
    make_stream_dir();
    write_history(300);
    test_write_text(paths.log, "begin 1 0\ncommit 1 100 2 P:1:2:a.json\nbegin 2 100\n"
                          "commit 2 250 3 P:3:4:b.json Q:5:6:c.json\n");
    serve_commit c;
    bs_error err = {{0}};
    assert_int_equal(serve_committed_read(&paths, &c, &err), BS_OK);
    assert_true(c.has_log);
    assert_int_equal(c.batch, 2);
    assert_int_equal(c.size, 250); /* the 50 bytes past it may belong to an uncommitted batch */
    assert_int_equal(c.rows, 3);
    assert_int_equal(c.files, 2);
}

static void test_committed_ignores_a_torn_line_and_a_begin(void **state) {
    (void)state;
    make_stream_dir();
    write_history(300);
    test_write_text(paths.log, "commit 1 100 2 P:1:2:a.json\nbegin 2 100\ncommit 2 250 3 P:3:4:b");
    serve_commit c;
    assert_int_equal(serve_committed_read(&paths, &c, NULL), BS_OK);
    assert_int_equal(c.batch, 1);
    assert_int_equal(c.size, 100);
}

static void test_committed_without_a_log_is_the_whole_history(void **state) {
    (void)state;
    write_history(123);
    serve_commit c;
    assert_int_equal(serve_committed_read(&paths, &c, NULL), BS_OK);
    assert_false(c.has_log);
    assert_int_equal(c.size, 123);
}

static void test_committed_nothing_yet_is_size_zero(void **state) {
    (void)state;
    serve_commit c;
    assert_int_equal(serve_committed_read(&paths, &c, NULL), BS_OK);
    assert_int_equal(c.size, 0);
}

static void test_committed_history_shorter_than_the_log_is_an_error(void **state) {
    (void)state;
    make_stream_dir();
    write_history(10);
    test_write_text(paths.log, "commit 1 100 2 P:1:2:a.json\n");
    serve_commit c;
    bs_error err = {{0}};
    assert_int_equal(serve_committed_read(&paths, &c, &err), BS_ERR_IO);
    assert_non_null(strstr(err.msg, "committed data is gone"));
}

static void test_committed_counts_quarantined_files_not_their_reasons(void **state) {
    (void)state;
    make_stream_dir();
    assert_int_equal(mkdir(paths.quarantine, 0755), 0);
    char p[4500];
    const char *names[] = {"a.json", "a.json.reason", "b.json", "b.json.reason", ".tmp"};
    for (size_t i = 0; i < 5; i++) {
        snprintf(p, sizeof p, "%s/%s", paths.quarantine, names[i]);
        test_write_text(p, "x");
    }
    serve_commit c;
    assert_int_equal(serve_committed_read(&paths, &c, NULL), BS_OK);
    assert_int_equal(c.quarantined, 2);
}

static void expect_number(double v, const char *text) {
    text_buf b = {0};
    text_buf_json_number(&b, v);
    assert_string_equal(b.data, text);
    text_buf_free(&b);
}

static void test_json_numbers_are_the_shortest_exact_text(void **state) {
    (void)state;
    expect_number(95295.63, "95295.63"); /* %.17g would say 95295.630000000005 */
    expect_number(0.1, "0.1");
    expect_number(1.0 / 3, "0.3333333333333333"); /* as Python and JavaScript print it */
    expect_number(0.1 + 0.2, "0.30000000000000004");
    expect_number(-2, "-2");
    expect_number(NAN, "null");
    expect_number(INFINITY, "null");
}

static void test_json_strings_are_escaped(void **state) {
    (void)state;
    text_buf b = {0};
    text_buf_json_string(&b, "a\"b\\c\n");
    assert_string_equal(b.data, "\"a\\\"b\\\\c\\u000a\"");
    text_buf_free(&b);
}

#define H INT64_C(3600000000)

static bs_tick tick(int64_t ts, double open, double high, double low, double close) {
    bs_tick t = {ts, open, high, low, close, NAN, BS_TRADES_UNKNOWN, 0};
    return t;
}

static void test_hourly_row_ties_and_late_ticks(void **state) {
    (void)state;
    serve_state s;
    assert_int_equal(serve_state_init(&s, 10, NULL, NULL, NULL), BS_OK);
    int64_t h = 100 * H;
    bs_tick ticks[] = {
        tick(h + 10, 1, 5, 1, 2),     /* earliest: its Open is the row's Open ... */
        tick(h + 10, 9, 6, 0.5, 3),   /* ... and a tie keeps the first read */
        tick(h + 50, 4, 4, 4, 7),     /* latest: its Close is the row's Close ... */
        tick(h + 50, 4, 4, 4, 8),     /* ... and a tie takes the last read */
        tick(h - 1, 50, 90, 0.1, 60), /* an hour before: late, not in the row */
    };
    assert_int_equal(serve_state_add(&s, ticks, 5), BS_OK);
    assert_int_equal(s.hour.start_us, h);
    assert_true(s.hour.open == 1 && s.hour.high == 6 && s.hour.low == 0.5 && s.hour.close == 8);
    assert_int_equal(s.hour.count, 4);
    assert_true(s.hour.sum == 2 + 3 + 7 + 8);
    assert_int_equal(s.late, 1);
    /* Persistence: forecasts 2,3,7,8 for actuals 3,7,8,60: errors 1,4,1,52. */
    assert_int_equal(s.persist_n, 4);
    assert_true(s.persist_sse == 1 + 16 + 1 + 52 * 52);
    serve_state_free(&s);
}

static void test_ring_keeps_the_newest_ticks_with_their_ids(void **state) {
    (void)state;
    serve_state s;
    assert_int_equal(serve_state_init(&s, 3, "m", NULL, NULL), BS_OK);
    for (int i = 1; i <= 5; i++) {
        bs_tick t = tick(i * H, i, i, i, i);
        assert_int_equal(serve_state_add(&s, &t, 1), BS_OK);
    }
    text_buf b = {0};
    serve_state_ticks(&s, 0, 10, 1, &b);
    assert_string_equal(b.data,
                        "{\"market\":\"m\",\"epoch\":0,\"first_id\":3,\"last_id\":5,\"ticks\":"
                        "[{\"id\":3,\"t\":10800000000,\"c\":3},{\"id\":4,\"t\":14400000000,"
                        "\"c\":4},{\"id\":5,\"t\":18000000000,\"c\":5}]}");
    text_buf_reset(&b);
    serve_state_ticks(&s, UINT64_MAX, 1, 1, &b); /* the last one */
    assert_non_null(strstr(b.data, "\"ticks\":[{\"id\":5,"));
    text_buf_free(&b);
    serve_state_free(&s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_committed_is_the_last_complete_commit_line, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_committed_ignores_a_torn_line_and_a_begin, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_committed_without_a_log_is_the_whole_history, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_committed_nothing_yet_is_size_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(test_committed_history_shorter_than_the_log_is_an_error,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_committed_counts_quarantined_files_not_their_reasons,
                                        setup, teardown),
        cmocka_unit_test(test_json_numbers_are_the_shortest_exact_text),
        cmocka_unit_test(test_json_strings_are_escaped),
        cmocka_unit_test(test_hourly_row_ties_and_late_ticks),
        cmocka_unit_test(test_ring_keeps_the_newest_ticks_with_their_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
