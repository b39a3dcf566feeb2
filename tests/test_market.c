/* Market names: what is accepted, and the folder each one gets (and gets back from). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

static void touch(const char *path) {
    char dir[512];
    snprintf(dir, sizeof dir, "%s", path);
    for (char *p = dir + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(dir, 0755);
            *p = '/';
        }
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
}

static void test_markets_of_a_data_folder_and_the_default_one(void **state) {
    (void)state;
    char root[] = "/tmp/bs_market_XXXXXX";
    assert_non_null(mkdtemp(root));
    char path[512], history[512], chosen[BS_MARKET_MAX];
    bs_error err = {{0}};
    bs_market_entry *list;
    size_t n;
    /* nothing yet: an empty list, and no default */
    assert_int_equal(bs_market_list(root, &list, &n, &err), BS_OK);
    assert_int_equal(n, 0);
    bs_market_list_free(list);
    assert_int_equal(bs_market_resolve(root, NULL, history, sizeof history, chosen, &err),
                     BS_ERR_EMPTY);
    /* one market: the default */
    snprintf(path, sizeof path, "%s/markets/kraken/BTC%%2FUSD/history.json", root);
    touch(path);
    assert_int_equal(bs_market_resolve(root, NULL, history, sizeof history, chosen, &err), BS_OK);
    assert_string_equal(history, path);
    assert_string_equal(chosen, "kraken:BTC/USD");
    /* folders that are no market's are not listed */
    snprintf(path, sizeof path, "%s/markets/kraken/_quarantine/history.json", root);
    touch(path);
    snprintf(path, sizeof path, "%s/markets/kraken/BTC%%2fUSD/history.json", root);
    touch(path);
    snprintf(path, sizeof path, "%s/markets/binance/BTCUSDT/other.json", root);
    touch(path);
    /* two markets and the legacy history: listed by name, the legacy one last; no default */
    snprintf(path, sizeof path, "%s/markets/binance/BTCUSDT/history.json", root);
    touch(path);
    snprintf(path, sizeof path, "%s/bitcoin_combined.json", root);
    touch(path);
    assert_int_equal(bs_market_list(root, &list, &n, &err), BS_OK);
    assert_int_equal(n, 3);
    assert_string_equal(list[0].name, "binance:BTCUSDT");
    assert_string_equal(list[1].name, "kraken:BTC/USD");
    assert_string_equal(list[2].name, "");
    assert_string_equal(list[2].history, path);
    bs_market_list_free(list);
    assert_int_equal(bs_market_resolve(root, NULL, history, sizeof history, chosen, &err),
                     BS_ERR_ARG);
    if (!strstr(err.msg, "pass --market (one of binance:BTCUSDT, kraken:BTC/USD, "
                         "bitcoin_combined.json (no market))"))
        fail_msg("%s", err.msg);
    /* a named market is its own history, whether it exists yet or not */
    assert_int_equal(
        bs_market_resolve(root, "coinbase:BTC-USD", history, sizeof history, chosen, &err), BS_OK);
    snprintf(path, sizeof path, "%s/markets/coinbase/BTC-USD/history.json", root);
    assert_string_equal(history, path);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    assert_int_equal(system(cmd), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_folders_of_real_markets),
        cmocka_unit_test(test_bad_names_are_refused_with_the_reason),
        cmocka_unit_test(test_folders_that_are_no_market_are_refused),
        cmocka_unit_test(test_paths_under_roots),
        cmocka_unit_test(test_markets_of_a_data_folder_and_the_default_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
