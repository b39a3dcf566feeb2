/*
 * The source registry (source.h) and the sim's resumed walk: a walk resumed after k ticks from
 * the k-th close gives the very ticks one uninterrupted walk gives after its k-th, so runs that
 * go on with a history never append the same path again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "btcstream/market.h"
#include "btcstream/source.h"

static void draw(bs_source *s, bs_tick *out, size_t n) {
    for (size_t i = 0; i < n; i++) {
        int got = 0;
        int64_t retry = 0;
        bs_error err = {{0}};
        assert_int_equal(s->next(s, &out[i], &got, &retry, &err), BS_OK);
        assert_int_equal(got, 1);
    }
}

static void test_resumed_sim_walk_continues_the_one_walk(void **state) {
    (void)state;
    bs_tick whole[20], first[8], rest[12];
    bs_source_options o = bs_source_defaults();
    bs_source *s;
    bs_error err = {{0}};
    assert_int_equal(bs_source_open("sim", &o, &s, &err), BS_OK);
    draw(s, whole, 20);
    bs_source_free(s);
    assert_int_equal(bs_source_open("sim", &o, &s, &err), BS_OK);
    draw(s, first, 8);
    bs_source_free(s);
    o.sim_resume = 8;
    o.sim_price = first[7].close;
    assert_int_equal(bs_source_open("sim", &o, &s, &err), BS_OK);
    draw(s, rest, 12);
    bs_source_free(s);
    for (size_t i = 0; i < 12; i++) {
        assert_true(rest[i].open == whole[8 + i].open);
        assert_true(rest[i].close == whole[8 + i].close);
        assert_true(rest[i].volume == whole[8 + i].volume);
    }
    assert_true(rest[0].close != first[0].close); /* not the walk's start again */
}

static void test_resume_from_a_history_reads_its_count_and_last_close(void **state) {
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "test_source_%ld.json", (long)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"Datetime\": \"2025-05-12T01:00:00Z\", \"Close\": 100}\n"
          "{\"Datetime\": \"2025-05-12T01:00:02Z\", \"Close\": 102.5}\n"
          "{\"Datetime\": \"2025-05-12T01:00:01Z\", \"Close\": 101}\n",
          f);
    fclose(f);
    bs_source_options o = bs_source_defaults();
    bs_error err = {{0}};
    assert_int_equal(bs_source_sim_resume(path, &o, &err), BS_OK);
    assert_int_equal(o.sim_resume, 3);
    assert_true(o.sim_price == 102.5); /* the newest tick's, not the last line's */
    remove(path);
    assert_int_equal(bs_source_sim_resume(path, &o, &err), BS_OK); /* gone: a new walk */
    assert_int_equal(o.sim_resume, 0);
    assert_true(o.sim_price == 0);
}

static void test_registry_finds_types_and_names_them_all_when_unknown(void **state) {
    (void)state;
    assert_string_equal(bs_source_type_find("replay:x.csv")->name, "replay");
    assert_string_equal(bs_source_type_find("sim")->data_dir, "Data/sim");
    assert_null(bs_source_type_find("simulator"));
    bs_source *s = NULL;
    bs_error err = {{0}};
    assert_int_equal(bs_source_open("nope", NULL, &s, &err), BS_ERR_ARG);
    assert_string_equal(err.msg, "unknown source \"nope\" (use coingecko, sim, replay:FILE, "
                                 "binance:SYMBOL, coinbase:PRODUCT, kraken:PAIR)");
    assert_int_equal(bs_source_open("replay", NULL, &s, &err), BS_ERR_ARG);
    assert_non_null(strstr(err.msg, "needs replay:FILE"));
    assert_int_equal(bs_source_open("sim:3", NULL, &s, &err), BS_ERR_ARG);
    assert_null(s);
}

/* Each source's ticks belong to a market: its folder and history (docs/markets.md). */
static void test_each_source_names_its_market(void **state) {
    (void)state;
    char market[BS_MARKET_MAX];
    bs_error err = {{0}};
    bs_source_options o = bs_source_defaults();
    assert_int_equal(bs_source_market("coingecko", &o, market, &err), BS_OK);
    assert_string_equal(market, "coingecko:bitcoin/usd");
    o.coin = "ethereum";
    o.vs = "eur";
    assert_int_equal(bs_source_market("coingecko", &o, market, &err), BS_OK);
    assert_string_equal(market, "coingecko:ethereum/eur");
    assert_int_equal(bs_source_market("coingecko:bitcoin/usd", NULL, market, &err), BS_OK);
    assert_string_equal(market, "coingecko:bitcoin/usd");
    assert_int_equal(bs_source_market("sim", NULL, market, &err), BS_OK);
    assert_string_equal(market, "sim:BTC-USD");
    assert_int_equal(bs_source_market("replay:../data/my ticks\"1\".csv", NULL, market, &err),
                     BS_OK);
    assert_string_equal(market, "replay:my_ticks_1_.csv");
    assert_int_equal(bs_source_market("binance:BTCUSDT", NULL, market, &err), BS_OK);
    assert_string_equal(market, "binance:BTCUSDT");
    assert_int_equal(bs_source_market("Binance", NULL, market, &err), BS_ERR_ARG);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resumed_sim_walk_continues_the_one_walk),
        cmocka_unit_test(test_resume_from_a_history_reads_its_count_and_last_close),
        cmocka_unit_test(test_registry_finds_types_and_names_them_all_when_unknown),
        cmocka_unit_test(test_each_source_names_its_market),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
