/*
 * The exchanges' trade messages: the documented examples read into the values worked out by hand,
 * notices for what is no trade, and clear errors (naming the field) for what is broken.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "btcstream/trade.h"

#define MAX_SEEN 8

typedef struct {
    bs_trade trades[MAX_SEEN];
    char symbols[MAX_SEEN][64];
    int n_trades;
    int n_heartbeats;
    char hb_symbol[64];
    int64_t hb_seq, hb_last;
    int n_notices;
    char notice[400];
} seen;

static void on_trade(void *ctx, const char *symbol, const bs_trade *t) {
    seen *s = ctx;
    if (s->n_trades < MAX_SEEN) {
        s->trades[s->n_trades] = *t;
        snprintf(s->symbols[s->n_trades], sizeof s->symbols[0], "%s", symbol);
    }
    s->n_trades++;
}

static void on_heartbeat(void *ctx, const char *symbol, int64_t seq, int64_t last) {
    seen *s = ctx;
    s->n_heartbeats++;
    snprintf(s->hb_symbol, sizeof s->hb_symbol, "%s", symbol);
    s->hb_seq = seq;
    s->hb_last = last;
}

static void on_notice(void *ctx, const char *what) {
    seen *s = ctx;
    s->n_notices++;
    snprintf(s->notice, sizeof s->notice, "%s", what);
}

/* Parses msg from an exact-size copy (so ASan sees any read past its end). */
static bs_status parse(bs_exchange ex, const char *msg, seen *s, bs_error *err) {
    memset(s, 0, sizeof *s);
    bs_feed_events ev = {on_trade, on_heartbeat, on_notice, s};
    size_t len = strlen(msg);
    char *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    memcpy(copy, msg, len);
    bs_status st = bs_exchange_parse(ex, copy, len, 777, &ev, err);
    free(copy);
    return st;
}

static void expect_error(bs_exchange ex, const char *msg, const char *words) {
    seen s;
    bs_error err = {{0}};
    if (parse(ex, msg, &s, &err) != BS_ERR_PARSE) fail_msg("accepted: %s", msg);
    if (!strstr(err.msg, words)) fail_msg("%s: error \"%s\" lacks \"%s\"", msg, err.msg, words);
}

static void expect_notice(bs_exchange ex, const char *msg, const char *words) {
    seen s;
    bs_error err = {{0}};
    if (parse(ex, msg, &s, &err) != BS_OK) fail_msg("%s: %s", msg, err.msg);
    assert_int_equal(s.n_trades, 0);
    assert_int_equal(s.n_notices, 1);
    if (!strstr(s.notice, words)) fail_msg("%s: notice \"%s\" lacks \"%s\"", msg, s.notice, words);
}

static void test_binance_trade_as_documented(void **state) {
    (void)state;
    seen s;
    bs_error err = {{0}};
    const char *msg = "{\"e\":\"trade\",\"E\":1672515782136,\"s\":\"BNBBTC\",\"t\":12345,"
                      "\"p\":\"0.001\",\"q\":\"100\",\"T\":1672515782136,\"m\":true,\"M\":true}";
    assert_int_equal(parse(BS_EXCHANGE_BINANCE, msg, &s, &err), BS_OK);
    assert_int_equal(s.n_trades, 1);
    assert_string_equal(s.symbols[0], "BNBBTC");
    assert_true(s.trades[0].ts_us == INT64_C(1672515782136000));
    assert_true(s.trades[0].recv_us == 777);
    assert_true(s.trades[0].price == 0.001);
    assert_true(s.trades[0].qty == 100.0);
    assert_true(s.trades[0].id == 12345);
    assert_true(s.trades[0].seq == -1);
}

static void test_binance_combined_stream_is_unwrapped(void **state) {
    (void)state;
    seen s;
    bs_error err = {{0}};
    const char *msg = "{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":1,"
                      "\"s\":\"BTCUSDT\",\"t\":9223372036854775807,\"p\":\"97000.01000000\","
                      "\"q\":\"0.00012000\",\"T\":1700000000123,\"m\":false,\"M\":true}}";
    assert_int_equal(parse(BS_EXCHANGE_BINANCE, msg, &s, &err), BS_OK);
    assert_int_equal(s.n_trades, 1);
    assert_string_equal(s.symbols[0], "BTCUSDT");
    assert_true(s.trades[0].id == INT64_MAX); /* the largest id there can be */
    assert_true(s.trades[0].price == 97000.01);
    assert_true(s.trades[0].qty == 0.00012);
    assert_true(s.trades[0].ts_us == INT64_C(1700000000123000));
}

static void test_binance_non_trades_are_notices(void **state) {
    (void)state;
    expect_notice(BS_EXCHANGE_BINANCE, "{\"result\":null,\"id\":1}", "answer");
    expect_notice(BS_EXCHANGE_BINANCE, "{\"code\":2,\"msg\":\"Invalid request\"}",
                  "error: Invalid request");
    expect_notice(BS_EXCHANGE_BINANCE, "{\"e\":\"serverShutdown\",\"E\":1}", "serverShutdown");
    expect_notice(BS_EXCHANGE_BINANCE, " {} ", "unknown");
}

static void test_binance_bad_trades_name_the_field(void **state) {
    (void)state;
    expect_error(BS_EXCHANGE_BINANCE,
                 "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":1,\"q\":\"1\",\"T\":1}", "\"p\"");
    expect_error(BS_EXCHANGE_BINANCE,
                 "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":1,\"p\":\"0\",\"q\":\"1\",\"T\":1}",
                 "\"p\"");
    expect_error(BS_EXCHANGE_BINANCE,
                 "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":1,\"p\":\"1\",\"q\":\"-1\",\"T\":1}",
                 "\"q\"");
    expect_error(BS_EXCHANGE_BINANCE,
                 "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":1,\"p\":\"1e999\",\"q\":\"1\",\"T\":1}",
                 "\"p\"");
    expect_error(BS_EXCHANGE_BINANCE,
                 "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":99999999999999999999,\"p\":\"1\","
                 "\"q\":\"1\",\"T\":1}",
                 "\"t\"");
    expect_error(BS_EXCHANGE_BINANCE,
                 "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":1.5,\"p\":\"1\",\"q\":\"1\",\"T\":1}",
                 "\"t\"");
    expect_error(BS_EXCHANGE_BINANCE,
                 "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":1,\"p\":\"1\",\"q\":\"1\","
                 "\"T\":\"soon\"}",
                 "\"T\"");
    expect_error(BS_EXCHANGE_BINANCE,
                 "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":1,\"p\":\"1\",\"q\":\"1\","
                 "\"T\":9223372036854775}",
                 "time");
    expect_error(BS_EXCHANGE_BINANCE, "{\"e\":\"trade\",\"t\":1,\"p\":\"1\",\"q\":\"1\",\"T\":1}",
                 "\"s\"");
}

static void test_broken_json_is_a_parse_error(void **state) {
    (void)state;
    const char *bad[] = {"",
                         "   ",
                         "[1,2]",
                         "{\"e\":\"trade\"",
                         "{\"e\":\"trade\",}",
                         "{\"e\":tru}",
                         "{\"e\":\"trade\"} x",
                         "\"trade\"",
                         "{\"a\":\"\x01\"}"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        expect_error(BS_EXCHANGE_BINANCE, bad[i], "not a valid JSON object");
        expect_error(BS_EXCHANGE_COINBASE, bad[i], "not a valid JSON object");
        expect_error(BS_EXCHANGE_KRAKEN, bad[i], "not a valid JSON object");
    }
}

static void test_coinbase_match_as_documented(void **state) {
    (void)state;
    seen s;
    bs_error err = {{0}};
    const char *msg = "{\"type\":\"match\",\"trade_id\":10,\"sequence\":50,"
                      "\"maker_order_id\":\"ac928c66-ca53-498f-9c13-a110027a60e8\","
                      "\"taker_order_id\":\"132fb6ae-456b-4654-b4e0-d681ac05cea1\","
                      "\"time\":\"2014-11-07T08:19:27.028459Z\",\"product_id\":\"BTC-USD\","
                      "\"size\":\"5.23512\",\"price\":\"400.23\",\"side\":\"sell\"}";
    assert_int_equal(parse(BS_EXCHANGE_COINBASE, msg, &s, &err), BS_OK);
    assert_int_equal(s.n_trades, 1);
    assert_string_equal(s.symbols[0], "BTC-USD");
    assert_true(s.trades[0].ts_us == INT64_C(1415348367028459));
    assert_true(s.trades[0].price == 400.23);
    assert_true(s.trades[0].qty == 5.23512);
    assert_true(s.trades[0].id == 10);
    assert_true(s.trades[0].seq == 50);
    /* last_match, the trade before the subscription, is a trade too */
    const char *last = "{\"type\":\"last_match\",\"trade_id\":9,\"sequence\":49,"
                       "\"time\":\"2014-11-07T08:19:26Z\",\"product_id\":\"BTC-USD\","
                       "\"size\":\"1\",\"price\":\"400\",\"side\":\"buy\"}";
    assert_int_equal(parse(BS_EXCHANGE_COINBASE, last, &s, &err), BS_OK);
    assert_int_equal(s.n_trades, 1);
    assert_true(s.trades[0].ts_us == INT64_C(1415348366000000));
}

static void test_coinbase_heartbeat_and_notices(void **state) {
    (void)state;
    seen s;
    bs_error err = {{0}};
    const char *hb = "{\"type\":\"heartbeat\",\"sequence\":90,\"last_trade_id\":20,"
                     "\"product_id\":\"BTC-USD\",\"time\":\"2014-11-07T08:19:28.464459Z\"}";
    assert_int_equal(parse(BS_EXCHANGE_COINBASE, hb, &s, &err), BS_OK);
    assert_int_equal(s.n_heartbeats, 1);
    assert_string_equal(s.hb_symbol, "BTC-USD");
    assert_true(s.hb_seq == 90 && s.hb_last == 20);
    expect_notice(BS_EXCHANGE_COINBASE,
                  "{\"type\":\"subscriptions\",\"channels\":[{\"name\":\"matches\","
                  "\"product_ids\":[\"BTC-USD\"]}]}",
                  "subscriptions");
    expect_notice(BS_EXCHANGE_COINBASE,
                  "{\"type\":\"error\",\"message\":\"Failed to subscribe\",\"reason\":\"BTC-XYZ "
                  "is not a valid product\"}",
                  "error: Failed to subscribe (BTC-XYZ is not a valid product)");
    expect_notice(BS_EXCHANGE_COINBASE, "{\"type\":\"ticker\",\"price\":\"1\"}", "ticker");
}

static void test_coinbase_bad_matches_name_the_field(void **state) {
    (void)state;
    expect_error(
        BS_EXCHANGE_COINBASE,
        "{\"type\":\"match\",\"trade_id\":1,\"sequence\":2,\"time\":\"2024-01-01T00:00:00Z\","
        "\"product_id\":\"BTC-USD\",\"size\":\"1\",\"price\":\"abc\"}",
        "\"price\"");
    expect_error(BS_EXCHANGE_COINBASE,
                 "{\"type\":\"match\",\"trade_id\":1,\"sequence\":2,\"time\":\"yesterday\","
                 "\"product_id\":\"BTC-USD\",\"size\":\"1\",\"price\":\"1\"}",
                 "\"time\"");
    expect_error(BS_EXCHANGE_COINBASE,
                 "{\"type\":\"match\",\"trade_id\":\"1\",\"sequence\":2,"
                 "\"time\":\"2024-01-01T00:00:00Z\",\"product_id\":\"BTC-USD\",\"size\":\"1\","
                 "\"price\":\"1\"}",
                 "\"trade_id\"");
    expect_error(BS_EXCHANGE_COINBASE,
                 "{\"type\":\"match\",\"trade_id\":1,\"time\":\"2024-01-01T00:00:00Z\","
                 "\"product_id\":\"BTC-USD\",\"size\":\"1\",\"price\":\"1\"}",
                 "\"sequence\"");
    expect_error(BS_EXCHANGE_COINBASE,
                 "{\"type\":\"heartbeat\",\"sequence\":-4,\"product_id\":\"X\"}", "\"sequence\"");
}

static void test_kraken_batch_as_documented(void **state) {
    (void)state;
    seen s;
    bs_error err = {{0}};
    const char *msg =
        "{\"channel\":\"trade\",\"type\":\"update\",\"data\":["
        "{\"symbol\":\"MATIC/USD\",\"side\":\"buy\",\"price\":0.5147,\"qty\":6423.46326,"
        "\"ord_type\":\"limit\",\"trade_id\":4665846,\"timestamp\":\"2023-09-25T07:48:36.925533Z\"}"
        ","
        "{\"symbol\":\"MATIC/USD\",\"side\":\"sell\",\"price\":0.5148,\"qty\":1e-05,"
        "\"ord_type\":\"market\",\"trade_id\":9007199254740993,"
        "\"timestamp\":\"2023-09-25T07:48:37Z\"}]}";
    assert_int_equal(parse(BS_EXCHANGE_KRAKEN, msg, &s, &err), BS_OK);
    assert_int_equal(s.n_trades, 2);
    assert_string_equal(s.symbols[0], "MATIC/USD");
    assert_true(s.trades[0].ts_us == INT64_C(1695628116925533));
    assert_true(s.trades[0].price == 0.5147);
    assert_true(s.trades[0].qty == 6423.46326);
    assert_true(s.trades[0].id == 4665846);
    assert_true(s.trades[1].qty == 0.00001);
    assert_true(s.trades[1].id == INT64_C(9007199254740993)); /* past 2^53: kept exact */
    assert_true(s.trades[1].ts_us == INT64_C(1695628117000000));
    const char *snapshot = "{\"channel\":\"trade\",\"type\":\"snapshot\",\"data\":[]}";
    assert_int_equal(parse(BS_EXCHANGE_KRAKEN, snapshot, &s, &err), BS_OK);
    assert_int_equal(s.n_trades, 0);
}

static void test_kraken_bad_trade_after_good_ones(void **state) {
    (void)state;
    seen s;
    bs_error err = {{0}};
    const char *msg = "{\"channel\":\"trade\",\"type\":\"update\",\"data\":["
                      "{\"symbol\":\"BTC/USD\",\"price\":1,\"qty\":1,\"trade_id\":1,"
                      "\"timestamp\":\"2024-01-01T00:00:00Z\"},"
                      "{\"symbol\":\"BTC/USD\",\"price\":1,\"qty\":null,\"trade_id\":2,"
                      "\"timestamp\":\"2024-01-01T00:00:00Z\"}]}";
    assert_int_equal(parse(BS_EXCHANGE_KRAKEN, msg, &s, &err), BS_ERR_PARSE);
    assert_int_equal(s.n_trades, 1); /* the one before the bad one was reported */
    if (!strstr(err.msg, "kraken trade 1: field \"qty\"")) fail_msg("%s", err.msg);
    expect_error(BS_EXCHANGE_KRAKEN, "{\"channel\":\"trade\",\"type\":\"update\",\"data\":{}}",
                 "\"data\"");
    expect_error(BS_EXCHANGE_KRAKEN, "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[1]}",
                 "trade 0");
    expect_error(BS_EXCHANGE_KRAKEN,
                 "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\","
                 "\"price\":1,\"qty\":1,\"trade_id\":1}]}",
                 "\"timestamp\"");
}

static void test_kraken_heartbeat_and_notices(void **state) {
    (void)state;
    seen s;
    bs_error err = {{0}};
    assert_int_equal(parse(BS_EXCHANGE_KRAKEN, "{\"channel\":\"heartbeat\"}", &s, &err), BS_OK);
    assert_int_equal(s.n_heartbeats, 1);
    assert_true(s.hb_seq == -1 && s.hb_last == -1);
    expect_notice(
        BS_EXCHANGE_KRAKEN,
        "{\"method\":\"subscribe\",\"result\":{\"channel\":\"trade\",\"snapshot\":true,"
        "\"symbol\":\"BTC/USD\"},\"success\":true,\"time_in\":\"2023-09-25T09:04:31.742599Z\","
        "\"time_out\":\"2023-09-25T09:04:31.742648Z\"}",
        "answer: subscribe");
    expect_notice(BS_EXCHANGE_KRAKEN,
                  "{\"method\":\"subscribe\",\"success\":false,\"error\":\"Currency pair not "
                  "supported\"}",
                  "subscribe failed (Currency pair not supported)");
    expect_notice(BS_EXCHANGE_KRAKEN,
                  "{\"channel\":\"status\",\"type\":\"update\",\"data\":[{\"api_version\":\"v2\","
                  "\"system\":\"online\"}]}",
                  "status");
}

static void test_every_prefix_of_a_message_is_safe(void **state) {
    (void)state;
    const char *msgs[][2] = {
        {"b", "{\"e\":\"trade\",\"E\":1,\"s\":\"BTCUSDT\",\"t\":5,\"p\":\"97000.01\",\"q\":\"0.1\","
              "\"T\":1700000000123,\"m\":true}"},
        {"c", "{\"type\":\"match\",\"trade_id\":1,\"sequence\":2,\"time\":\"2024-01-01T00:00:00Z\","
              "\"product_id\":\"BTC-USD\",\"size\":\"1\",\"price\":\"1\"}"},
        {"k", "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\","
              "\"price\":1,\"qty\":1,\"trade_id\":1,\"timestamp\":\"2024-01-01T00:00:00Z\"}]}"},
    };
    for (size_t m = 0; m < 3; m++) {
        bs_exchange ex = m == 0   ? BS_EXCHANGE_BINANCE
                         : m == 1 ? BS_EXCHANGE_COINBASE
                                  : BS_EXCHANGE_KRAKEN;
        const char *msg = msgs[m][1];
        size_t len = strlen(msg);
        for (size_t cut = 0; cut < len; cut++) {
            char *copy = malloc(cut ? cut : 1);
            assert_non_null(copy);
            memcpy(copy, msg, cut);
            seen s;
            memset(&s, 0, sizeof s);
            bs_feed_events ev = {on_trade, on_heartbeat, on_notice, &s};
            bs_error err = {{0}};
            assert_int_equal(bs_exchange_parse(ex, copy, cut, 0, &ev, &err), BS_ERR_PARSE);
            assert_int_equal(s.n_trades, 0);
            free(copy);
        }
    }
}

static void test_subscriptions_and_paths(void **state) {
    (void)state;
    char buf[256];
    assert_int_equal(bs_exchange_subscribe_msg(BS_EXCHANGE_BINANCE, "BTCUSDT", buf, sizeof buf), 0);
    assert_string_equal(buf, "");
    size_t n = bs_exchange_subscribe_msg(BS_EXCHANGE_COINBASE, "BTC-USD", buf, sizeof buf);
    assert_string_equal(buf, "{\"type\":\"subscribe\",\"product_ids\":[\"BTC-USD\"],"
                             "\"channels\":[\"matches\",\"heartbeat\"]}");
    assert_int_equal(n, strlen(buf));
    bs_exchange_subscribe_msg(BS_EXCHANGE_KRAKEN, "BTC/USD", buf, sizeof buf);
    assert_string_equal(buf, "{\"method\":\"subscribe\",\"params\":{\"channel\":\"trade\","
                             "\"symbol\":[\"BTC/USD\"],\"snapshot\":true}}");
    assert_int_equal(bs_exchange_subscribe_msg(BS_EXCHANGE_KRAKEN, "BTC/USD", buf, 20), 0);
    assert_int_equal(bs_exchange_subscribe_msg(BS_EXCHANGE_KRAKEN, "BTC\"USD", buf, sizeof buf), 0);
    n = bs_exchange_ws_path(BS_EXCHANGE_BINANCE, "BTCUSDT", buf, sizeof buf);
    assert_string_equal(buf, "/ws/btcusdt@trade");
    assert_int_equal(n, 17);
    bs_exchange_ws_path(BS_EXCHANGE_COINBASE, "BTC-USD", buf, sizeof buf);
    assert_string_equal(buf, "/");
    assert_int_equal(bs_exchange_ws_path(BS_EXCHANGE_BINANCE, "BTC/USDT", buf, sizeof buf), 0);
    bs_exchange ex;
    bs_error err = {{0}};
    assert_int_equal(bs_exchange_from_name("kraken", &ex, &err), BS_OK);
    assert_int_equal(ex, BS_EXCHANGE_KRAKEN);
    assert_string_equal(bs_exchange_name(BS_EXCHANGE_COINBASE), "coinbase");
    assert_int_equal(bs_exchange_from_name("bitstamp", &ex, &err), BS_ERR_ARG);
    assert_non_null(strstr(err.msg, "bitstamp"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_binance_trade_as_documented),
        cmocka_unit_test(test_binance_combined_stream_is_unwrapped),
        cmocka_unit_test(test_binance_non_trades_are_notices),
        cmocka_unit_test(test_binance_bad_trades_name_the_field),
        cmocka_unit_test(test_broken_json_is_a_parse_error),
        cmocka_unit_test(test_coinbase_match_as_documented),
        cmocka_unit_test(test_coinbase_heartbeat_and_notices),
        cmocka_unit_test(test_coinbase_bad_matches_name_the_field),
        cmocka_unit_test(test_kraken_batch_as_documented),
        cmocka_unit_test(test_kraken_bad_trade_after_good_ones),
        cmocka_unit_test(test_kraken_heartbeat_and_notices),
        cmocka_unit_test(test_every_prefix_of_a_message_is_safe),
        cmocka_unit_test(test_subscriptions_and_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
