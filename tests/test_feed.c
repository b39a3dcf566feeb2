/* The feed runner's restart point (feed_resume.c) and its option checks (feed.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "../lib/feed.h"
#include "btcstream/fsutil.h"
#include "btcstream/market.h"
#include "test_util.h"

static char dir[64], stream[160], data[128], history[4096];

#define MINUTE(m) (INT64_C(1715476920000000) + (m)*INT64_C(60000000)) /* 2024-05-12T01:22 */

static int setup(void **state) {
    (void)state;
    test_tmpdir(dir, sizeof dir, "feed");
    snprintf(stream, sizeof stream, "%s/stream/binance/BTCUSDT", dir);
    snprintf(data, sizeof data, "%s/data", dir);
    bs_mkdirs(stream, NULL);
    bs_market_history(data, "binance:BTCUSDT", history, sizeof history, NULL);
    char folder[4096];
    bs_path_dir(history, folder, sizeof folder);
    bs_mkdirs(folder, NULL);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    return test_rmtree(dir);
}

/* A candle line at minute m with close c (Datetime as the producer writes it). */
static void candle_line(char *buf, size_t size, int m, double c) {
    bs_tick t = {MINUTE(m), c, c, c, c, 1, 1, 0};
    char line[BS_TICK_JSON_MAX];
    bs_tick_format_json_market(&t, "binance:BTCUSDT", line);
    snprintf(buf, size, "%s", line);
}

static void write_stream_file(const char *name, int m, double c) {
    char path[512], line[BS_TICK_JSON_MAX];
    snprintf(path, sizeof path, "%s/%s", stream, name);
    candle_line(line, sizeof line, m, c);
    test_write_text(path, line);
}

static void test_nothing_stored_is_a_first_start(void **state) {
    (void)state;
    bs_tick last;
    int found = 1;
    assert_int_equal(feed_last_stored(data, "binance:BTCUSDT", stream, &last, &found, NULL), BS_OK);
    assert_int_equal(found, 0);
}

static void test_latest_stream_file_by_its_name_time(void **state) {
    (void)state;
    write_stream_file("ohlc_20240512_012300_9.json", 1, 101);
    write_stream_file("ohlc_20240512_012500_0.json", 3, 103); /* latest, though its <n> is lower */
    write_stream_file("ohlc_20240512_012400_5.json", 2, 102);
    write_stream_file(".ohlc_20240512_013000_0.json", 8, 999); /* half-written: ignored */
    bs_tick last;
    int found = 0;
    assert_int_equal(feed_last_stored(data, "binance:BTCUSDT", stream, &last, &found, NULL), BS_OK);
    assert_int_equal(found, 1);
    assert_true(last.ts_us == MINUTE(3));
    assert_true(last.close == 103);
}

static void test_files_the_stream_processor_moved_count_too(void **state) {
    (void)state;
    char processed[256];
    snprintf(processed, sizeof processed, "%s/_processed", stream);
    bs_mkdirs(processed, NULL);
    write_stream_file("ohlc_20240512_012300_0.json", 1, 101);
    char path[512], line[BS_TICK_JSON_MAX];
    snprintf(path, sizeof path, "%s/ohlc_20240512_012600_1.json", processed);
    candle_line(line, sizeof line, 4, 104);
    test_write_text(path, line);
    bs_tick last;
    int found = 0;
    assert_int_equal(feed_last_stored(NULL, "binance:BTCUSDT", stream, &last, &found, NULL), BS_OK);
    assert_int_equal(found, 1);
    assert_true(last.ts_us == MINUTE(4));
}

static void test_history_later_than_stream_folder_wins(void **state) {
    (void)state;
    write_stream_file("ohlc_20240512_012300_0.json", 1, 101);
    char a[BS_TICK_JSON_MAX], b[BS_TICK_JSON_MAX], text[2 * BS_TICK_JSON_MAX + 64];
    candle_line(a, sizeof a, 4, 104);
    candle_line(b, sizeof b, 5, 105);
    /* a torn last line (a crash in the middle of an append) is passed over */
    snprintf(text, sizeof text, "%s%s{\"Datetime\": \"2024-05-12T01:3", a, b);
    test_write_text(history, text);
    bs_tick last;
    int found = 0;
    assert_int_equal(feed_last_stored(data, "binance:BTCUSDT", stream, &last, &found, NULL), BS_OK);
    assert_int_equal(found, 1);
    assert_true(last.ts_us == MINUTE(5));
    assert_true(last.close == 105);
}

static void test_options_refuse_what_would_mix_markets(void **state) {
    (void)state;
    const char *two[] = {"binance:BTCUSDT", "coinbase:BTC-USD"};
    bs_feed_options o = bs_feed_defaults();
    o.markets = two;
    o.n_markets = 2;
    o.stream_dir = stream; /* one folder for two markets */
    bs_error err = {{0}};
    assert_int_equal(bs_feed_run(&o, NULL, &err), BS_ERR_ARG);
    assert_non_null(strstr(err.msg, "mix"));
    const char *twice[] = {"binance:BTCUSDT", "binance:BTCUSDT"};
    o = bs_feed_defaults();
    o.markets = twice;
    o.n_markets = 2;
    o.stream_root = dir;
    assert_int_equal(bs_feed_run(&o, NULL, &err), BS_ERR_ARG);
    assert_non_null(strstr(err.msg, "twice"));
    const char *unknown[] = {"bitstamp:BTCUSD"};
    o.markets = unknown;
    o.n_markets = 1;
    assert_int_equal(bs_feed_run(&o, NULL, &err), BS_ERR_ARG);
}

static void test_exchange_specs(void **state) {
    (void)state;
    assert_true(bs_feed_is_exchange_spec("binance:BTCUSDT"));
    assert_true(bs_feed_is_exchange_spec("binance:BTCUSDT,coinbase:BTC-USD,kraken:BTC/USD"));
    assert_false(bs_feed_is_exchange_spec("coingecko"));
    assert_false(bs_feed_is_exchange_spec("binance:BTCUSDT,sim"));
    assert_false(bs_feed_is_exchange_spec("replay:x.csv"));
    assert_false(bs_feed_is_exchange_spec(""));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_nothing_stored_is_a_first_start, setup, teardown),
        cmocka_unit_test_setup_teardown(test_latest_stream_file_by_its_name_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_files_the_stream_processor_moved_count_too, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_history_later_than_stream_folder_wins, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_options_refuse_what_would_mix_markets, setup,
                                        teardown),
        cmocka_unit_test(test_exchange_specs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
