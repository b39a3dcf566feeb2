/*
 * backfill_coinbase.c - Coinbase Exchange's 1-minute candles (GET /products/ID/candles), for
 * backfill.c.
 *
 * A candle is [timeS, low, high, open, close, volume] (numbers, note the order), newest first,
 * with no trade count. No candle is published for a minute without a trade. A request covering
 * more than 300 candles is refused and an answer may start before `start`; a window of at most
 * 299 minutes asks start = from, end = to, so whether Coinbase counts `end` in or not, the answer
 * holds at most 300 candles and covers the window (backfill.c keeps only the window's).
 */
#include <ctype.h>
#include <stdio.h>

#include "backfill_exchange.h"
#include "btcstream/timeutil.h"

static bs_status coinbase_path(const char *symbol, int64_t from_us, int64_t to_us, char *buf,
                               size_t size, bs_error *err) {
    for (const char *p = symbol; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-')
            return bs_fail(err, BS_ERR_ARG,
                           "coinbase: product \"%s\" is not letters, digits and '-'", symbol);
    char a[BS_TIME_ISO_SIZE], b[BS_TIME_ISO_SIZE];
    bs_time_format_iso(from_us, a);
    bs_time_format_iso(to_us, b);
    int w = snprintf(buf, size, "/products/%s/candles?granularity=60&start=%.19sZ&end=%.19sZ",
                     symbol, a, b);
    return w > 0 && (size_t)w < size ? BS_OK : bs_fail(err, BS_ERR_ARG, "coinbase: path too long");
}

static bs_status coinbase_row(cursor *c, bs_tick *t, bs_error *err) {
    if (backfill_json_time(c, "time", BS_US_PER_SECOND, &t->ts_us, err) != BS_OK)
        return BS_ERR_PARSE;
    static const char *const names[] = {"low", "high", "open", "close", "volume"};
    double *fields[] = {&t->low, &t->high, &t->open, &t->close, &t->volume};
    for (int i = 0; i < 5; i++) {
        if (backfill_json_field(c, names[i], err) != BS_OK) return BS_ERR_PARSE;
        if (!backfill_json_number(c, fields[i]))
            return bs_fail(err, BS_ERR_PARSE, "field %s: not a number", names[i]);
    }
    t->trades = BS_TRADES_UNKNOWN;
    return BS_OK;
}

static bs_status coinbase_parse(const char *body, size_t len, backfill_page *page,
                                int *rate_limited, bs_error *err) {
    *rate_limited = 0; /* said with a status only */
    return backfill_parse_array_answer(body, len, page, coinbase_row, err);
}

const backfill_exchange backfill_coinbase = {
    "coinbase",    "COINBASE_API_URL", "https://api.exchange.coinbase.com", 299, 0,
    coinbase_path, coinbase_parse,
};
