/* Market names: what is accepted, and the folder each one gets (and gets back from). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "btcstream/market.h"

static void expect_path(const char *market, const char *want) {
    char path[BS_MARKET_PATH_MAX];
    bs_error err = {{0}};
    if (bs_market_path(market, path, sizeof path, &err) != BS_OK)
        fail_msg("%s refused: %s", market, err.msg);
    assert_string_equal(path, want);
    /* and back: the folder names exactly this market */
    const char *slash = strchr(path, '/');
    char source[64], back[BS_MARKET_MAX];
    memcpy(source, path, (size_t)(slash - path));
    source[slash - path] = '\0';
    assert_int_equal(bs_market_from_path(source, slash + 1, back, sizeof back, &err), BS_OK);
    assert_string_equal(back, market);
}

static void test_folders_of_real_markets(void **state) {
    (void)state;
    expect_path("binance:BTCUSDT", "binance/BTCUSDT");
    expect_path("coinbase:BTC-USD", "coinbase/BTC-USD");
    expect_path("kraken:BTC/USD", "kraken/BTC%2FUSD");
    expect_path("coingecko:bitcoin/usd", "coingecko/bitcoin%2Fusd");
    expect_path("sim:_x.y", "sim/%5Fx.y");       /* never a hidden or ignored folder */
    expect_path("replay:.hist", "replay/.hist"); /* '.' inside is kept; see below */
    expect_path("a:%41", "a/%2541");
}

static void expect_refused(const char *market, const char *why) {
    bs_error err = {{0}};
    assert_int_equal(bs_market_check(market, &err), BS_ERR_ARG);
    if (!strstr(err.msg, why)) fail_msg("%s: \"%s\" lacks \"%s\"", market, err.msg, why);
}

static void test_bad_names_are_refused_with_the_reason(void **state) {
    (void)state;
    expect_refused("", "empty");
    expect_refused("BTCUSDT", "SOURCE:SYMBOL");
    expect_refused(":BTC", "source must be");
    expect_refused("Binance:BTC", "a-z");
    expect_refused("binance:", "symbol must be");
    expect_refused("binance:BTC USD", "spaces");
    expect_refused("binance:BTC\"", "quotes");
    expect_refused("binance:0123456789012345678901234567890123456789012345678901234567890123",
                   "1 to 63");
}

static void test_folders_that_are_no_market_are_refused(void **state) {
    (void)state;
    char back[BS_MARKET_MAX];
    const char *bad[] = {"BTC%2f", "BTC%2", "BTC%41", "BTC%", "BTC USD", "BTC%20USD", ""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (bs_market_from_path("kraken", bad[i], back, sizeof back, NULL) != BS_ERR_PARSE)
            fail_msg("kraken/%s taken for a market folder", bad[i]);
    assert_int_equal(bs_market_from_path("Kraken", "BTC", back, sizeof back, NULL), BS_ERR_PARSE);
}

static void test_paths_under_roots(void **state) {
    (void)state;
    char buf[512];
    assert_int_equal(bs_market_stream_dir("Data/stream", "kraken:BTC/USD", buf, sizeof buf, NULL),
                     BS_OK);
    assert_string_equal(buf, "Data/stream/kraken/BTC%2FUSD");
    assert_int_equal(bs_market_history("Data", "binance:BTCUSDT", buf, sizeof buf, NULL), BS_OK);
    assert_string_equal(buf, "Data/markets/binance/BTCUSDT/history.json");
    char small[20];
    assert_int_equal(bs_market_history("Data", "binance:BTCUSDT", small, sizeof small, NULL),
                     BS_ERR_ARG);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_folders_of_real_markets),
        cmocka_unit_test(test_bad_names_are_refused_with_the_reason),
        cmocka_unit_test(test_folders_that_are_no_market_are_refused),
        cmocka_unit_test(test_paths_under_roots),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
