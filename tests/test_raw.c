/*
 * Raw recordings: the line format, reading a recording back through the exchanges' parsers, and
 * the candles of a replay being those a live feed builds from the same messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "btcstream/raw.h"
#include "test_util.h"

#define T0 INT64_C(1700000040000000) /* 2023-11-14T22:14:00 UTC */

static void test_a_json_message_is_kept_as_it_is(void **state) {
    (void)state;
    char buf[512];
    const char *msg = " {\"e\":\"trade\",\"p\":\"1.5\"}\n";
    size_t n =
        bs_raw_format_line("binance:BTCUSDT", T0 + 123456, msg, strlen(msg), buf, sizeof buf);
    assert_string_equal(buf, "{\"recv\":\"2023-11-14T22:14:00.123456+00:00\",\"market\":"
                             "\"binance:BTCUSDT\",\"msg\":{\"e\":\"trade\",\"p\":\"1.5\"}}\n");
    assert_int_equal(n, strlen(buf));
    /* too small a buffer: the length it needs, and a terminated prefix */
    assert_int_equal(bs_raw_format_line("binance:BTCUSDT", T0, msg, strlen(msg), buf, 10), n);
    assert_int_equal(strlen(buf), 9);
    assert_true(bs_raw_is_recording(buf, 9));
    assert_false(bs_raw_is_recording("{\"Datetime\":1}", 14));
}

static void test_anything_else_is_kept_as_a_string(void **state) {
    (void)state;
    char buf[512];
    const char *msg = "not {json}\t\"quoted\" \\ \x01";
    bs_raw_format_line("kraken:BTC/USD", 0, msg, strlen(msg), buf, sizeof buf);
    assert_string_equal(buf, "{\"recv\":\"1970-01-01T00:00:00.000000+00:00\",\"market\":"
                             "\"kraken:BTC/USD\",\"msg\":\"not {json}\\t\\\"quoted\\\" \\\\ "
                             "\\u0001\"}\n");
    const char *split = "{\"a\":\n1}"; /* valid JSON over two lines: one line needs a string */
    bs_raw_format_line("kraken:BTC/USD", 0, split, strlen(split), buf, sizeof buf);
    assert_non_null(strstr(buf, "\"msg\":\"{\\\"a\\\":\\n1}\"}"));
}

typedef struct {
    int trades, notices, messages;
    double price_sum;
    int64_t last_recv;
    char last_notice[600];
} seen;

static void on_message(void *ctx, const char *market, int64_t recv_us) {
    seen *s = ctx;
    (void)market;
    s->messages++;
    s->last_recv = recv_us;
}
static void on_trade(void *ctx, const char *symbol, const bs_trade *t) {
    seen *s = ctx;
    (void)symbol;
    s->trades++;
    s->price_sum += t->price;
    assert_true(t->recv_us == s->last_recv); /* stamped with the recorded receipt */
}
static void on_notice(void *ctx, const char *what) {
    seen *s = ctx;
    s->notices++;
    snprintf(s->last_notice, sizeof s->last_notice, "%s", what);
}

static void write_lines(const char *path, const char *market[], const int64_t recv[],
                        const char *msg[], size_t n) {
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (size_t i = 0; i < n; i++) {
        char line[2048];
        size_t len =
            bs_raw_format_line(market[i], recv[i], msg[i], strlen(msg[i]), line, sizeof line);
        assert_true(len < sizeof line);
        fputs(line, f);
    }
    assert_int_equal(fclose(f), 0);
}

static void test_replay_feeds_each_message_of_the_market_to_its_parser(void **state) {
    (void)state;
    char dir[128], path[256];
    test_tmpdir(dir, sizeof dir, "raw");
    snprintf(path, sizeof path, "%s/rec.jsonl", dir);
    const char *market[] = {"binance:BTCUSDT", "coinbase:BTC-USD", "binance:BTCUSDT",
                            "binance:BTCUSDT", "binance:BTCUSDT"};
    const int64_t recv[] = {T0 + 1, T0 + 2, T0 + 3, T0 + 4, T0 + 5};
    const char *msg[] = {
        "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":1,\"p\":\"10\",\"q\":\"1\",\"T\":1700000040000}",
        "{\"type\":\"heartbeat\",\"product_id\":\"BTC-USD\"}",
        "garbage the feed sent",
        "{\"result\":null,\"id\":1}",
        "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":2,\"p\":\"20\",\"q\":\"1\",\"T\":1700000041000}",
    };
    write_lines(path, market, recv, msg, 5);
    seen s = {0};
    bs_raw_replay_options o = {NULL, on_message, {on_trade, NULL, on_notice, &s}};
    bs_raw_stats st;
    bs_error err = {{0}};
    assert_int_equal(bs_raw_replay(path, &o, &st, &err), BS_OK);
    assert_int_equal(st.lines, 5);
    assert_int_equal(st.messages, 4);
    assert_int_equal(st.other, 1);
    assert_int_equal(st.refused, 1);
    assert_int_equal(s.trades, 2);
    assert_true(s.price_sum == 30);
    assert_int_equal(s.notices, 2); /* the refused message (with its line) and the answer */
    assert_int_equal(s.messages, 4);
    /* the other market only */
    memset(&s, 0, sizeof s);
    o.market = "coinbase:BTC-USD";
    assert_int_equal(bs_raw_replay(path, &o, &st, &err), BS_OK);
    assert_int_equal(st.messages, 1);
    assert_int_equal(st.other, 4);
    assert_int_equal(test_rmtree(dir), 0);
}

static void test_refused_message_names_file_and_line(void **state) {
    (void)state;
    char dir[128], path[256];
    test_tmpdir(dir, sizeof dir, "raw");
    snprintf(path, sizeof path, "%s/rec.jsonl", dir);
    test_write_text(path, "\n{\"msg\":{\"e\":\"trade\"},\"market\":\"binance:BTCUSDT\","
                          "\"recv\":\"2024-01-01T00:00:00Z\"}\n");
    seen s = {0};
    bs_raw_replay_options o = {NULL, NULL, {on_trade, NULL, on_notice, &s}};
    bs_error err = {{0}};
    assert_int_equal(bs_raw_replay(path, &o, NULL, &err), BS_OK);
    char want[300];
    snprintf(want, sizeof want, "%s:2: binance trade: field \"s\"", path);
    if (!strstr(s.last_notice, want)) fail_msg("%s", s.last_notice);
    assert_int_equal(test_rmtree(dir), 0);
}

static void expect_bad(const char *dir, const char *text, const char *words) {
    char path[256];
    snprintf(path, sizeof path, "%s/bad.jsonl", dir);
    test_write_text(path, text);
    bs_raw_replay_options o = {NULL, NULL, {NULL, NULL, NULL, NULL}};
    bs_error err = {{0}};
    bs_raw_stats st;
    assert_int_equal(bs_raw_replay(path, &o, &st, &err), BS_ERR_PARSE);
    if (!strstr(err.msg, words)) fail_msg("%s: \"%s\" lacks \"%s\"", text, err.msg, words);
}

static void test_bad_lines_stop_the_replay_with_file_line_and_field(void **state) {
    (void)state;
    char dir[128];
    test_tmpdir(dir, sizeof dir, "raw");
    const char *ok = "{\"recv\":\"2024-01-01T00:00:00Z\",\"market\":\"kraken:BTC/USD\","
                     "\"msg\":{\"channel\":\"heartbeat\"}}\n";
    char text[1024];
    snprintf(text, sizeof text, "%s{\"recv\":\"never\",\"market\":\"kraken:BTC/USD\",\"msg\":1}\n",
             ok);
    expect_bad(dir, text, "bad.jsonl:2: field \"recv\"");
    snprintf(text, sizeof text, "%s[1]\n", ok);
    expect_bad(dir, text, "bad.jsonl:2: not a recording line");
    expect_bad(dir, "{\"recv\":\"2024-01-01T00:00:00Z\",\"market\":\"kraken:BTC/USD\"}\n",
               "bad.jsonl:1: field \"msg\"");
    expect_bad(dir, "{\"recv\":\"2024-01-01T00:00:00Z\",\"market\":\"bitstamp:X\",\"msg\":{}}\n",
               "bad.jsonl:1: field \"market\": \"bitstamp:X\"");
    bs_raw_replay_options o = {NULL, NULL, {NULL, NULL, NULL, NULL}};
    bs_error err = {{0}};
    assert_int_equal(bs_raw_replay("/nonexistent/rec.jsonl", &o, NULL, &err), BS_ERR_IO);
    assert_non_null(strstr(err.msg, "/nonexistent/rec.jsonl"));
    assert_int_equal(test_rmtree(dir), 0);
}

static void test_a_line_longer_than_a_read_block(void **state) {
    (void)state;
    char dir[128], path[256];
    test_tmpdir(dir, sizeof dir, "raw");
    snprintf(path, sizeof path, "%s/rec.jsonl", dir);
    /* one Kraken batch of 30000 trades (about 3 MB) between two small messages */
    size_t n = 30000, cap = n * 140 + 256;
    char *msg = malloc(cap), *line = malloc(BS_RAW_LINE_MAX(cap));
    assert_non_null(msg);
    assert_non_null(line);
    size_t len =
        (size_t)snprintf(msg, cap, "{\"channel\":\"trade\",\"type\":\"snapshot\",\"data\":[");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(msg + len, cap - len,
                                "%s{\"symbol\":\"BTC/USD\",\"side\":\"buy\",\"price\":2,\"qty\":1,"
                                "\"ord_type\":\"limit\",\"trade_id\":%zu,"
                                "\"timestamp\":\"2023-11-14T22:14:01.5Z\"}",
                                i ? "," : "", i + 1);
    len += (size_t)snprintf(msg + len, cap - len, "]}");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    const char *hb = "{\"channel\":\"heartbeat\"}";
    fwrite(line, 1, bs_raw_format_line("kraken:BTC/USD", T0, hb, strlen(hb), line, 256), f);
    size_t ln = bs_raw_format_line("kraken:BTC/USD", T0 + 1, msg, len, line, BS_RAW_LINE_MAX(len));
    fwrite(line, 1, ln, f);
    fwrite(line, 1, bs_raw_format_line("kraken:BTC/USD", T0 + 2, hb, strlen(hb), line, 256), f);
    assert_int_equal(fclose(f), 0);
    bs_tick_vec candles = {0};
    bs_raw_stats st;
    bs_candle_stats cs;
    bs_error err = {{0}};
    assert_int_equal(bs_raw_replay_candles(path, NULL, 2000000, &candles, &st, &cs, &err), BS_OK);
    assert_int_equal(st.lines, 3);
    assert_int_equal(cs.trades, n);
    assert_int_equal(candles.len, 1);
    assert_true(candles.items[0].ts_us == T0);
    assert_true(candles.items[0].volume == (double)n);
    assert_true(candles.items[0].trades == (int64_t)n);
    bs_tick_vec_free(&candles);
    free(msg);
    free(line);
    assert_int_equal(test_rmtree(dir), 0);
}

/* --- a replay builds what the live feed built -------------------------------------------- */

typedef struct {
    bs_candle_builder *b;
} live;

static void live_trade(void *ctx, const char *symbol, const bs_trade *t) {
    (void)symbol;
    bs_candle_add(((live *)ctx)->b, t);
}

static bs_tick_vec *live_out;
static void live_candle(void *ctx, const bs_tick *c) {
    (void)ctx;
    assert_int_equal(bs_tick_vec_push(live_out, c), BS_OK);
}

static void test_replay_gives_the_candles_the_live_feed_built(void **state) {
    (void)state;
    char dir[128], path[256];
    test_tmpdir(dir, sizeof dir, "raw");
    snprintf(path, sizeof path, "%s/rec.jsonl", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    /* the "live" side: messages as they arrive, the clock before each, and a timer */
    bs_tick_vec want = {0};
    live_out = &want;
    bs_candle_options o = bs_candle_defaults();
    o.on_candle = live_candle;
    live lv;
    assert_int_equal(bs_candle_builder_new(&o, &lv.b, NULL), BS_OK);
    bs_feed_events ev = {live_trade, NULL, NULL, &lv};
    uint64_t x = 88172645463325252u;
    int64_t now = T0, id = 1;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int64_t before = now;
        now += (int64_t)(x % 40000);               /* up to 40 ms apart: a few minutes in all */
        if (x % 997 == 0) now += 150000000;        /* a quiet spell */
        int64_t ts = now - (int64_t)(x % 3000000); /* up to 3 s old: some late */
        char msg[256], line[1024];
        int len = snprintf(msg, sizeof msg,
                           "{\"e\":\"trade\",\"E\":%lld,\"s\":\"BTCUSDT\",\"t\":%lld,"
                           "\"p\":\"%lld.%02lld\",\"q\":\"0.%05lld\",\"T\":%lld,\"m\":true}",
                           (long long)(now / 1000), (long long)id++, (long long)(30000 + x % 500),
                           (long long)(x % 100), (long long)(x % 99999), (long long)(ts / 1000));
        fwrite(line, 1,
               bs_raw_format_line("binance:BTCUSDT", now, msg, (size_t)len, line, sizeof line), f);
        if (i % 100 == 0) bs_candle_clock(lv.b, before + (now - before) / 2); /* a timer */
        bs_candle_clock(lv.b, now);
        assert_int_equal(bs_exchange_parse(BS_EXCHANGE_BINANCE, msg, (size_t)len, now, &ev, NULL),
                         BS_OK);
    }
    bs_candle_flush(lv.b);
    bs_candle_stats live_stats = bs_candle_get_stats(lv.b);
    bs_candle_builder_free(lv.b);
    assert_int_equal(fclose(f), 0);
    bs_tick_vec got = {0};
    bs_candle_stats cs;
    bs_error err = {{0}};
    assert_int_equal(
        bs_raw_replay_candles(path, "binance:BTCUSDT", o.grace_us, &got, NULL, &cs, &err), BS_OK);
    assert_true(live_stats.late > 0 && live_stats.empty > 0);
    assert_int_equal(cs.late, live_stats.late);
    assert_int_equal(got.len, want.len);
    for (size_t i = 0; i < got.len; i++)
        if (memcmp(&got.items[i], &want.items[i], sizeof(bs_tick)) != 0)
            fail_msg("candle %zu differs", i);
    bs_tick_vec_free(&got);
    bs_tick_vec_free(&want);
    assert_int_equal(test_rmtree(dir), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_json_message_is_kept_as_it_is),
        cmocka_unit_test(test_anything_else_is_kept_as_a_string),
        cmocka_unit_test(test_replay_feeds_each_message_of_the_market_to_its_parser),
        cmocka_unit_test(test_refused_message_names_file_and_line),
        cmocka_unit_test(test_bad_lines_stop_the_replay_with_file_line_and_field),
        cmocka_unit_test(test_a_line_longer_than_a_read_block),
        cmocka_unit_test(test_replay_gives_the_candles_the_live_feed_built),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
