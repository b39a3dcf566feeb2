/* A market's summary and export (export_data.h): hand-worked histories, small enough to count. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "btcstream/export_data.h"
#include "btcstream/fsutil.h"
#include "test_util.h"

#define MIN(m) "\"2024-05-01T00:" #m ":00Z\""
#define CANDLE(m, close, trades)                                                                   \
    "{\"Datetime\": " MIN(m) ", \"Open\": 1, \"High\": 2, \"Low\": 0.5, \"Close\": " #close        \
                             ", \"Volume\": \"3\", \"Trades\": " #trades "}\n"

static char dir[64];

static int setup(void **state) {
    (void)state;
    test_tmpdir(dir, sizeof dir, "export_data");
    return 0;
}

static int teardown(void **state) {
    (void)state;
    return test_rmtree(dir);
}

static const char *history(const char *text) {
    static char path[128];
    snprintf(path, sizeof path, "%s/history.json", dir);
    test_write_text(path, text);
    return path;
}

/* Minutes 10, 11, 14, 15, 19 (out of order, 11 twice): 12-13 and 16-18 are missing, 2 holes. */
static void test_stats_count_missing_minutes_and_holes(void **state) {
    (void)state;
    const char *path = history(CANDLE(14, 1, 3) CANDLE(10, 1, 0) CANDLE(19, 1, 1) CANDLE(11, 1, 2)
                                   CANDLE(15, 1, 4) CANDLE(11, 2, 5));
    bs_market_stats s;
    bs_error err = {{0}};
    assert_int_equal(bs_market_stats_scan(path, &s, &err), BS_OK);
    assert_int_equal(s.rows, 6);
    assert_int_equal(s.candles, 6);
    assert_int_equal(s.missing_minutes, 5);
    assert_int_equal(s.holes, 2);
    assert_int_equal(s.last_us - s.first_us, 9 * 60 * INT64_C(1000000));
}

static void test_stats_of_ticks_have_no_gaps(void **state) {
    (void)state;
    const char *path =
        history("{\"Datetime\": " MIN(10) ", \"Close\": 5}\n"
                                          "not json\n"
                                          "{\"Datetime\": " MIN(50) ", \"Close\": 6}\n");
    bs_market_stats s;
    bs_error err = {{0}};
    assert_int_equal(bs_market_stats_scan(path, &s, &err), BS_OK);
    assert_int_equal(s.rows, 2);
    assert_int_equal(s.bad, 1);
    assert_int_equal(s.candles, 0);
    assert_int_equal(s.missing_minutes, 0);
}

/* DIR/markets/SOURCE/SYMBOL/history.json holding text; its path. */
static const char *market_history(const char *source, const char *text) {
    static char path[256];
    char folder[200];
    bs_error err = {{0}};
    snprintf(folder, sizeof folder, "%s/markets/%s/BTC-USD", dir, source);
    assert_int_equal(bs_mkdirs(folder, &err), BS_OK);
    snprintf(path, sizeof path, "%s/history.json", folder);
    test_write_text(path, text);
    return path;
}

#define ROW(at) "{\"Datetime\": \"2024-05-01T00:" at "Z\", \"Close\": 5, \"Volume\": 1}\n"

/* Minutes 10 and 13 with Trades, 11 a REST candle without (Coinbase's give no count), and a row
 * at 12:30 that starts no minute: in an exchange's history 10, 11, 13 are held (12 missing, one
 * hole); in another source's only 10 and 13 (11 and 12 missing, one hole). */
static void test_stats_count_a_rest_candle_without_trades_only_for_an_exchange(void **state) {
    (void)state;
    const char *text = CANDLE(10, 1, 3) ROW("11:00") ROW("12:30") CANDLE(13, 1, 0);
    bs_market_stats s;
    bs_error err = {{0}};
    assert_int_equal(bs_market_stats_scan(market_history("coinbase", text), &s, &err), BS_OK);
    assert_int_equal(s.rows, 4);
    assert_int_equal(s.candles, 3);
    assert_int_equal(s.missing_minutes, 1);
    assert_int_equal(s.holes, 1);
    assert_int_equal(bs_market_stats_scan(market_history("coingecko", text), &s, &err), BS_OK);
    assert_int_equal(s.candles, 2);
    assert_int_equal(s.missing_minutes, 2);
    assert_int_equal(s.holes, 1);
}

/* The journal beside the history: three gaps found, two of them filled by one fill; the last
 * line cut short by a crash does not count. */
static void test_stats_count_the_gap_journal_skipping_a_torn_line(void **state) {
    (void)state;
    const char *path = market_history("binance", CANDLE(10, 1, 3));
    char journal[256];
    snprintf(journal, sizeof journal, "%s/markets/binance/BTC-USD/gaps.jsonl", dir);
    test_write_text(journal,
                    "{\"Found\":\"a\",\"From\":\"b\",\"Why\":\"start\"}\n"
                    "{\"Found\":\"a\",\"From\":\"b\",\"Why\":\"reconnected\"}\n"
                    "{\"Filled\":\"a\",\"From\":\"b\",\"To\":\"c\",\"Gaps\":2,\"Candles\":4}\n"
                    "{\"Found\":\"a\",\"From\":\"b\",\"Why\":\"stall\"}\n"
                    "{\"Filled\":\"a\",\"From\":\"b\",\"To\":\"c\",\"Gaps\":1,\"Cand");
    bs_market_stats s;
    bs_error err = {{0}};
    assert_int_equal(bs_market_stats_scan(path, &s, &err), BS_OK);
    assert_int_equal(s.gaps_found, 3);
    assert_int_equal(s.gaps_filled, 2);
    assert_int_equal(s.candles, 1);
}

static void test_stats_of_an_empty_history_are_zero(void **state) {
    (void)state;
    bs_market_stats s;
    bs_error err = {{0}};
    assert_int_equal(bs_market_stats_scan(history(""), &s, &err), BS_OK);
    assert_int_equal(s.rows, 0);
}

/* Sorted, the later of two lines for minute 11 kept, the range [11, 15) applied. */
static void test_export_csv_sorted_last_per_instant_in_range(void **state) {
    (void)state;
    const char *path = history(CANDLE(14, 1.5, 3) CANDLE(10, 1, 0) CANDLE(11, 1, 2) CANDLE(15, 1, 4)
                                   CANDLE(11, 0.25, 5));
    bs_export_rows rows;
    bs_error err = {{0}};
    int64_t from = INT64_C(1714522260000000), to = from + 4 * 60 * INT64_C(1000000);
    assert_int_equal(bs_export_load(path, from, to, &rows, &err), BS_OK);
    assert_int_equal(rows.n, 2);
    char out[512] = "";
    FILE *f = fmemopen(out, sizeof out, "w");
    assert_non_null(f);
    assert_int_equal(bs_export_write_stream(&rows, "x:Y", BS_EXPORT_CSV, f, &err), BS_OK);
    fclose(f);
    assert_string_equal(out, "Start,Open,High,Low,Close,Volume,Trades\n"
                             "2024-05-01 00:11:00,1,2,0.5,0.25,3,5\n"
                             "2024-05-01 00:14:00,1,2,0.5,1.5,3,3\n");
    bs_export_rows_free(&rows);
}

static void test_export_csv_of_ticks_keeps_the_datetime_and_empty_volume(void **state) {
    (void)state;
    const char *path = history("{\"Datetime\": \"2024-05-01T00:00:01.5Z\", \"Close\": 5}\n");
    bs_export_rows rows;
    bs_error err = {{0}};
    assert_int_equal(bs_export_load(path, INT64_MIN, INT64_MAX, &rows, &err), BS_OK);
    char out[256] = "";
    FILE *f = fmemopen(out, sizeof out, "w");
    assert_int_equal(bs_export_write_stream(&rows, "", BS_EXPORT_CSV, f, &err), BS_OK);
    fclose(f);
    assert_string_equal(out, "Datetime,Open,High,Low,Close,Volume\n"
                             "2024-05-01T00:00:01.500000+00:00,5,5,5,5,\n");
    bs_export_rows_free(&rows);
}

static void test_export_of_a_missing_history_names_it(void **state) {
    (void)state;
    bs_export_rows rows;
    bs_error err = {{0}};
    char path[128];
    snprintf(path, sizeof path, "%s/none.json", dir);
    assert_int_equal(bs_export_load(path, INT64_MIN, INT64_MAX, &rows, &err), BS_ERR_IO);
    assert_non_null(strstr(err.msg, "none.json"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_stats_count_missing_minutes_and_holes, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_stats_of_ticks_have_no_gaps, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_stats_count_a_rest_candle_without_trades_only_for_an_exchange, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stats_count_the_gap_journal_skipping_a_torn_line,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_stats_of_an_empty_history_are_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_csv_sorted_last_per_instant_in_range, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_export_csv_of_ticks_keeps_the_datetime_and_empty_volume, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_of_a_missing_history_names_it, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
