/*
 * Stream files of a market: the producer writes into the market's folder, each line naming the
 * market, one tick a file or several (a file per flush); the reader gives each line's market
 * back, and a Market that is no market name is a bad line naming the field.
 */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "btcstream/producer.h"
#include "btcstream/reader.h"
#include "test_util.h"

static bs_tick candle(int64_t minute, double close) {
    bs_tick t = {minute * 60 * INT64_C(1000000), close, close + 1, close - 1, close, 2.5, 7, 0};
    return t;
}

typedef struct {
    bs_tick ticks[8];
    char markets[8][BS_MARKET_MAX];
    size_t n;
} seen;

static int remember(void *ctx, const bs_tick *t, const char *market) {
    seen *s = ctx;
    if (s->n == 8) return 1;
    s->ticks[s->n] = *t;
    snprintf(s->markets[s->n++], BS_MARKET_MAX, "%s", market);
    return 0;
}

static void scan(const char *path, seen *s, bs_scan_stats *stats) {
    bs_scan_options o = {.format = BS_FORMAT_JSONL, .on_market_tick = remember};
    bs_error err = {{0}};
    memset(s, 0, sizeof *s);
    assert_int_equal(bs_scan_file(path, &o, NULL, s, stats, &err), BS_OK);
}

static void test_a_market_producer_writes_into_its_folder_lines_naming_it(void **state) {
    (void)state;
    char root[256], path[8192], name[64];
    test_tmpdir(root, sizeof root, "producer");
    bs_producer p;
    bs_error err = {{0}};
    assert_int_equal(bs_producer_open_market(&p, root, "kraken:BTC/USD", &err), BS_OK);
    snprintf(path, sizeof path, "%s/kraken/BTC%%2FUSD", root);
    assert_string_equal(p.dir, path);
    bs_tick t = candle(28480000, 62000.5);
    assert_int_equal(bs_producer_write(&p, &t, name, &err), BS_OK);
    snprintf(path, sizeof path, "%s/kraken/BTC%%2FUSD/%s", root, name);
    seen s;
    bs_scan_stats stats;
    scan(path, &s, &stats);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.markets[0], "kraken:BTC/USD");
    assert_int_equal(s.ticks[0].ts_us, t.ts_us);
    assert_true(s.ticks[0].close == 62000.5 && s.ticks[0].trades == 7);
    assert_int_equal(bs_producer_open_market(&p, root, "no market", &err), BS_ERR_ARG);
    assert_int_equal(test_rmtree(root), 0);
}

static void test_write_many_puts_every_tick_in_one_file_in_order(void **state) {
    (void)state;
    char root[256], path[8192], name[64];
    test_tmpdir(root, sizeof root, "producer_many");
    bs_producer p;
    bs_error err = {{0}};
    assert_int_equal(bs_producer_open_market(&p, root, "binance:BTCUSDT", &err), BS_OK);
    bs_tick three[3] = {candle(28480000, 10), candle(28480001, 20), candle(28480002, 30)};
    assert_int_equal(bs_producer_write_many(&p, three, 3, name, &err), BS_OK);
    assert_string_equal(name, "ohlc_20240224_184000_0.json"); /* the first tick's time */
    snprintf(path, sizeof path, "%s/binance/BTCUSDT/%s", root, name);
    seen s;
    bs_scan_stats stats;
    scan(path, &s, &stats);
    assert_int_equal(s.n, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(s.ticks[i].ts_us, three[i].ts_us);
        assert_string_equal(s.markets[i], "binance:BTCUSDT");
    }
    assert_int_equal(bs_producer_write_many(&p, three, 0, name, &err), BS_ERR_ARG);
    /* only the one file, no temporary left behind */
    snprintf(path, sizeof path, "%s/binance/BTCUSDT", root);
    DIR *d = opendir(path);
    int files = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) files += e->d_name[0] != '.';
    closedir(d);
    assert_int_equal(files, 1);
    assert_int_equal(test_rmtree(root), 0);
}

static void test_lines_without_a_market_and_bad_markets(void **state) {
    (void)state;
    char dir[256], path[512];
    test_tmpdir(dir, sizeof dir, "producer_lines");
    snprintf(path, sizeof path, "%s/lines.json", dir);
    test_write_text(path,
                    "{\"Datetime\": \"2024-05-01T10:00:00+00:00\", \"Close\": 5}\n"
                    "{\"Market\": \"coinbase:BTC-USD\", \"Datetime\": \"2024-05-01T10:01:00Z\", "
                    "\"Close\": 6}\n"
                    "{\"Datetime\": \"2024-05-01T10:02:00Z\", \"Market\": \"coinbase BTC\", "
                    "\"Close\": 7}\n"
                    "{\"Datetime\": \"2024-05-01T10:03:00Z\", \"Market\": 5, \"Close\": 8}\n");
    seen s;
    bs_scan_stats stats;
    scan(path, &s, &stats);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.markets[0], "");
    assert_string_equal(s.markets[1], "coinbase:BTC-USD");
    assert_int_equal(stats.bad, 2);
    assert_string_equal(stats.bad_lines[0].reason,
                        "field \"Market\": market \"coinbase BTC\": expected SOURCE:SYMBOL");
    assert_string_equal(stats.bad_lines[1].reason, "field \"Market\": not a string");
    /* bs_tick_parse checks the field the same way, and drops it */
    bs_tick t;
    bs_error err = {{0}};
    const char *bad = "{\"Datetime\": \"2024-05-01T10:02:00Z\", \"Market\": \"x\", \"Close\": 7}";
    assert_int_equal(bs_tick_parse(BS_FORMAT_JSONL, bad, strlen(bad), &t, &err), BS_ERR_PARSE);
    assert_non_null(strstr(err.msg, "field \"Market\""));
    char market[BS_MARKET_MAX];
    const char *good = "{\"Datetime\": \"2024-05-01T10:02:00Z\", \"Market\": \"sim:BTC-USD\", "
                       "\"Close\": 7}";
    assert_int_equal(bs_tick_parse_json_market(good, strlen(good), &t, market, &err), BS_OK);
    assert_string_equal(market, "sim:BTC-USD");
    assert_true(t.close == 7);
    assert_int_equal(test_rmtree(dir), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_market_producer_writes_into_its_folder_lines_naming_it),
        cmocka_unit_test(test_write_many_puts_every_tick_in_one_file_in_order),
        cmocka_unit_test(test_lines_without_a_market_and_bad_markets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
