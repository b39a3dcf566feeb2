/*
 * fuzz_coingecko.c - CoinGecko's answers: /coins/markets as the source maps it to a tick (the
 * body NUL-terminated, as the source's transfer buffer is), and /coins/{id}/market_chart as the
 * reader imports it (an exact-size copy: nothing to lean on past its end).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/source_coingecko.h"
#include "../lib/tick_market_chart.h"
#include "btcstream/timeutil.h"
#include "fuzz.h"

static int check_tick(void *ctx, const bs_tick *t) {
    (void)ctx;
    if (!(t->close > 0) || t->ts_us < BS_TIME_MIN_US || t->ts_us > BS_TIME_MAX_US) abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *body = malloc(size + 1);
    if (!body) return 0;
    memcpy(body, data, size);
    body[size] = '\0';
    bs_tick t;
    bs_error err = {{0}};
    if (coingecko_parse_answer(body, size, "http://127.0.0.1/coins/markets", "bitcoin", "usd", &t,
                               &err) == BS_OK &&
        !(t.close > 0 && t.high > 0 && t.low > 0))
        abort(); /* an accepted answer has positive prices */
    free(body);

    char *doc = malloc(size ? size : 1);
    if (!doc) return 0;
    memcpy(doc, data, size);
    bs_scan_stats stats;
    memset(&stats, 0, sizeof stats);
    market_chart_parse(doc, size, "chart.json", 0, check_tick, NULL, &stats, &err);
    if (stats.kept > BS_SCAN_KEEP_BAD || stats.kept > stats.bad) abort();
    free(doc);
    return 0;
}
