/*
 * backfill_binance.c - Binance's 1-minute klines (GET /api/v3/klines), for backfill.c.
 *
 * A kline is [openTimeMs, "open", "high", "low", "close", "volume", closeTimeMs, "quoteVolume",
 * trades, "takerBase", "takerQuote", "ignore"], prices and volumes as strings. endTime is
 * inclusive (klines whose open time is <= it), so a window [from, to) asks up to to - 1 ms.
 * The symbol is upper-cased: the WebSocket streams name it in lower case, REST in upper.
 */
#include <ctype.h>
#include <stdio.h>

#include "backfill_exchange.h"
#include "btcstream/timeutil.h"

static bs_status binance_path(const char *symbol, int64_t from_us, int64_t to_us, char *buf,
                              size_t size, bs_error *err) {
    char sym[64];
    size_t n = 0;
    for (; symbol[n] && n + 1 < sizeof sym; n++) {
        if (!isalnum((unsigned char)symbol[n]))
            return bs_fail(err, BS_ERR_ARG, "binance: symbol \"%s\" is not letters and digits",
                           symbol);
        sym[n] = (char)toupper((unsigned char)symbol[n]);
    }
    sym[n] = '\0';
    long long minutes = (long long)((to_us - from_us) / BS_US_PER_MINUTE);
    int w = snprintf(buf, size,
                     "/api/v3/klines?symbol=%s&interval=1m&startTime=%lld&endTime=%lld&limit=%lld",
                     sym, (long long)(from_us / 1000), (long long)(to_us / 1000 - 1), minutes);
    return w > 0 && (size_t)w < size ? BS_OK : bs_fail(err, BS_ERR_ARG, "binance: path too long");
}

static bs_status binance_row(cursor *c, bs_tick *t, bs_error *err) {
    int64_t trades;
    if (backfill_json_time(c, "open time", 1000, &t->ts_us, err) != BS_OK) return BS_ERR_PARSE;
    static const char *const names[] = {"open", "high", "low", "close", "volume"};
    double *fields[] = {&t->open, &t->high, &t->low, &t->close, &t->volume};
    for (int i = 0; i < 5; i++) {
        if (backfill_json_field(c, names[i], err) != BS_OK) return BS_ERR_PARSE;
        if (!backfill_json_number(c, fields[i]))
            return bs_fail(err, BS_ERR_PARSE, "field %s: not a number", names[i]);
    }
    for (int i = 0; i < 2; i++) { /* close time, quote volume */
        if (backfill_json_field(c, i ? "quote volume" : "close time", err) != BS_OK)
            return BS_ERR_PARSE;
        json_skip_ws(c);
        if (!json_skip_value(c, 1)) return bs_fail(err, BS_ERR_PARSE, "not valid JSON");
    }
    if (backfill_json_field(c, "trades", err) != BS_OK) return BS_ERR_PARSE;
    if (!backfill_json_integer(c, &trades) || trades < 0)
        return bs_fail(err, BS_ERR_PARSE, "field trades: not a whole number >= 0");
    t->trades = trades;
    return BS_OK;
}

static bs_status binance_parse(const char *body, size_t len, backfill_page *page, int *rate_limited,
                               bs_error *err) {
    *rate_limited = 0; /* said with a status only */
    return backfill_parse_array_answer(body, len, page, binance_row, err);
}

const backfill_exchange backfill_binance = {
    "binance", "BINANCE_API_URL", "https://api.binance.com", 1000, 0, binance_path, binance_parse,
};
