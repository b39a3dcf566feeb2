/*
 * source.c - the source registry: a table of source types (name, help, defaults,
 * constructor). Each source lives in its own source_<name>.c; adding one is that file and a
 * line here, and every --help that lists sources reads this table.
 */
#include "btcstream/source.h"

#include "btcstream/feed.h"

#include <stdio.h>
#include <string.h>

#include "btcstream/market.h"

#define SECONDS(n) ((int64_t)(n)*1000000)

/*
 * The sim's defaults make the default demo (`run --source sim`) long enough for every output:
 * 120 ticks, where the model needs 73 (stages.h, bs_stages_min_ticks), in 30 seconds.
 */
const bs_source_type bs_source_types[] = {
    {"coingecko", NULL, "CoinGecko's price of --coin in --vs (the default)", "Data", 0, 0,
     bs_source_coingecko_open},
    {"sim", NULL, "a seeded random walk (offline; run keeps it in Data/sim)", "Data/sim", SECONDS(1) / 4,
     SECONDS(30), bs_source_sim_open},
    {"replay", "FILE", "the ticks of FILE in time order (run keeps them in Data/replay)", "Data/replay", 0, 0,
     bs_source_replay_open},
    /* exchange feeds: 1-minute candles from trades (feed.h; interval is the candle's minute) */
    {"binance", "SYMBOL", "Binance trades of SYMBOL as 1-minute candles (docs/sources.md)", "Data",
     SECONDS(60), 0, bs_source_binance_open},
    {"coinbase", "PRODUCT", "Coinbase trades of PRODUCT (BTC-USD) as 1-minute candles", "Data",
     SECONDS(60), 0, bs_source_coinbase_open},
    {"kraken", "PAIR", "Kraken trades of PAIR (BTC/USD) as 1-minute candles", "Data", SECONDS(60),
     0, bs_source_kraken_open},
    {NULL, NULL, NULL, NULL, 0, 0, NULL},
};

bs_source_options bs_source_defaults(void) {
    bs_source_options o = {"bitcoin", "usd", NULL, 10000, 42, 0, 0};
    return o;
}

const bs_source_type *bs_source_type_find(const char *spec) {
    const char *colon = strchr(spec, ':');
    size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
    for (const bs_source_type *t = bs_source_types; t->name; t++)
        if (strlen(t->name) == len && strncmp(t->name, spec, len) == 0) return t;
    return NULL;
}

bs_status bs_source_open(const char *spec, const bs_source_options *opts, bs_source **out,
                         bs_error *err) {
    bs_source_options defaults = bs_source_defaults();
    if (!opts) opts = &defaults;
    *out = NULL;
    const bs_source_type *t = bs_source_type_find(spec);
    const char *colon = strchr(spec, ':');
    if (!t) {
        char names[256] = "";
        for (t = bs_source_types; t->name; t++) {
            size_t used = strlen(names);
            snprintf(names + used, sizeof names - used, "%s%s%s%s", used ? ", " : "", t->name,
                     t->arg ? ":" : "", t->arg ? t->arg : "");
        }
        return bs_fail(err, BS_ERR_ARG, "unknown source \"%s\" (use %s)", spec, names);
    }
    if (t->arg && (!colon || !colon[1]))
        return bs_fail(err, BS_ERR_ARG, "source \"%s\" needs %s:%s", spec, t->name, t->arg);
    /* coingecko alone may name its market: "coingecko:COIN/VS", as its market is written. */
    if (!t->arg && colon && t->open != bs_source_coingecko_open)
        return bs_fail(err, BS_ERR_ARG, "source \"%s\" takes nothing after \"%s\"", spec, t->name);
    return t->open(colon ? colon + 1 : NULL, opts, out, err);
}

void bs_source_free(bs_source *src) {
    if (src) src->free(src);
}

/* "replay:" and the file's base name, every byte a market symbol may not hold written as '_'. */
static bs_status replay_market(const char *path, char *market, bs_error *err) {
    const char *base = strrchr(path, '/');
    base = base && base[1] ? base + 1 : path;
    int n = snprintf(market, BS_MARKET_MAX, "replay:%.63s", base);
    for (int i = 7; i < n && i < BS_MARKET_MAX; i++)
        if (market[i] <= ' ' || market[i] > '~' || market[i] == '"' || market[i] == '\\')
            market[i] = '_';
    return bs_market_check(market, err);
}

bs_status bs_source_market(const char *spec, const bs_source_options *opts, char *market,
                           bs_error *err) {
    bs_source_options defaults = bs_source_defaults();
    if (!opts) opts = &defaults;
    const char *colon = strchr(spec, ':');
    const bs_source_type *t = bs_source_type_find(spec);
    market[0] = '\0';
    if (t && strcmp(t->name, "sim") == 0) {
        snprintf(market, BS_MARKET_MAX, "%s", BS_SOURCE_SIM_MARKET);
    } else if (t && strcmp(t->name, "replay") == 0) {
        if (!colon || !colon[1]) return bs_fail(err, BS_ERR_ARG, "source \"%s\" needs replay:FILE", spec);
        return replay_market(colon + 1, market, err);
    } else if (t && strcmp(t->name, "coingecko") == 0 && !colon) {
        if (snprintf(market, BS_MARKET_MAX, "coingecko:%s/%s", opts->coin, opts->vs) >=
            BS_MARKET_MAX)
            return bs_fail(err, BS_ERR_ARG, "--coin and --vs are too long for a market name");
    } else if (snprintf(market, BS_MARKET_MAX, "%s", spec) >= BS_MARKET_MAX) {
        return bs_fail(err, BS_ERR_ARG, "source \"%.100s\": too long for a market name", spec);
    }
    return bs_market_check(market, err);
}
