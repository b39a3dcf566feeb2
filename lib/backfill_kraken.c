/*
 * backfill_kraken.c - Kraken's 1-minute OHLC (GET /0/public/OHLC), for backfill.c.
 *
 * The answer is {"error":[...],"result":{"<PAIR>":[[timeS,"open","high","low","close","vwap",
 * "volume",count],...],"last":S}}. <PAIR> is Kraken's own name for the pair ("XXBTZUSD" when
 * "XBTUSD" was asked for), so the one array in "result" is taken whatever its key. `since`
 * returns candles after it, so a window asks since = from - 1 s; the answer runs to the current,
 * unfinished minute (backfill.c drops what lies outside the window). Kraken keeps only its last
 * 720 candles: keeps_minutes tells backfill.c not to ask for older ones.
 * Errors come in "error" with status 200: "EAPI:Rate limit exceeded" and "EGeneral:Too many
 * requests" are rate limits (retried), anything else fails the fetch with Kraken's words.
 * Market symbols are the WebSocket v2 ones ("BTC/USD"); REST wants "XBTUSD": the slash goes and
 * BTC is written XBT.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "backfill_exchange.h"
#include "btcstream/timeutil.h"

static bs_status kraken_pair(const char *symbol, char *pair, size_t size, bs_error *err) {
    size_t n = 0;
    for (const char *p = symbol; *p; p++) {
        if (*p == '/') continue;
        if (!isalnum((unsigned char)*p))
            return bs_fail(err, BS_ERR_ARG, "kraken: pair \"%s\" is not letters, digits and '/'",
                           symbol);
        /* "BTC" as a whole side (at the start or right after the slash) is Kraken's "XBT" */
        int side_start = p == symbol || p[-1] == '/';
        int btc = side_start && strncmp(p, "BTC", 3) == 0 && (p[3] == '\0' || p[3] == '/');
        if (n + 4 >= size) return bs_fail(err, BS_ERR_ARG, "kraken: pair \"%s\" too long", symbol);
        if (btc) {
            memcpy(pair + n, "XBT", 3);
            n += 3;
            p += 2;
        } else {
            pair[n++] = *p;
        }
    }
    pair[n] = '\0';
    return BS_OK;
}

static bs_status kraken_path(const char *symbol, int64_t from_us, int64_t to_us, char *buf,
                             size_t size, bs_error *err) {
    (void)to_us; /* Kraken has no end: the answer runs to now */
    char pair[64];
    bs_status st = kraken_pair(symbol, pair, sizeof pair, err);
    if (st != BS_OK) return st;
    int w = snprintf(buf, size, "/0/public/OHLC?pair=%s&interval=1&since=%lld", pair,
                     (long long)(from_us / BS_US_PER_SECOND - 1));
    return w > 0 && (size_t)w < size ? BS_OK : bs_fail(err, BS_ERR_ARG, "kraken: path too long");
}

static bs_status kraken_row(cursor *c, bs_tick *t, bs_error *err) {
    int64_t count;
    if (backfill_json_time(c, "time", BS_US_PER_SECOND, &t->ts_us, err) != BS_OK)
        return BS_ERR_PARSE;
    static const char *const names[] = {"open", "high", "low", "close", "vwap", "volume"};
    double vwap;
    double *fields[] = {&t->open, &t->high, &t->low, &t->close, &vwap, &t->volume};
    for (int i = 0; i < 6; i++) {
        if (backfill_json_field(c, names[i], err) != BS_OK) return BS_ERR_PARSE;
        if (!backfill_json_number(c, fields[i]))
            return bs_fail(err, BS_ERR_PARSE, "field %s: not a number", names[i]);
    }
    if (backfill_json_field(c, "count", err) != BS_OK) return BS_ERR_PARSE;
    if (!backfill_json_integer(c, &count) || count < 0)
        return bs_fail(err, BS_ERR_PARSE, "field count: not a whole number >= 0");
    t->trades = count;
    return BS_OK;
}

/* The "error" array: empty is fine; a rate limit sets *rate_limited; other errors fail. */
static bs_status kraken_errors(cursor *c, int *rate_limited, bs_error *err) {
    if (!backfill_json_expect(c, '['))
        return bs_fail(err, BS_ERR_PARSE, "\"error\" is not an array");
    if (backfill_json_expect(c, ']')) return BS_OK;
    char words[256] = "";
    for (;;) {
        const char *s;
        size_t n;
        json_skip_ws(c);
        if (c->p >= c->end || *c->p != '"' || !json_read_string(c, &s, &n))
            return bs_fail(err, BS_ERR_PARSE, "\"error\" holds a value that is not a string");
        size_t used = strlen(words);
        snprintf(words + used, sizeof words - used, "%s%.*s", used ? "; " : "", (int)n, s);
        if (memmem(s, n, "Rate limit", 10) || memmem(s, n, "Too many requests", 17))
            *rate_limited = 1;
        if (backfill_json_expect(c, ']')) break;
        if (!backfill_json_expect(c, ','))
            return bs_fail(err, BS_ERR_PARSE, "\"error\" is not valid JSON");
    }
    return bs_fail(err, BS_ERR_HTTP, "Kraken says: %s", words);
}

/* The "result" object: the one array of candles, whatever the pair's key; "last" skipped. */
static bs_status kraken_result(cursor *c, backfill_page *page, int *found, bs_error *err) {
    if (!backfill_json_expect(c, '{'))
        return bs_fail(err, BS_ERR_PARSE, "\"result\" is not an object");
    if (backfill_json_expect(c, '}')) return BS_OK;
    for (;;) {
        const char *k;
        size_t kn;
        json_skip_ws(c);
        if (c->p >= c->end || *c->p != '"' || !json_read_string(c, &k, &kn) ||
            !backfill_json_expect(c, ':'))
            return bs_fail(err, BS_ERR_PARSE, "\"result\" is not valid JSON");
        json_skip_ws(c);
        if (c->p < c->end && *c->p == '[') {
            if (*found) return bs_fail(err, BS_ERR_PARSE, "\"result\" holds two pairs");
            bs_status st = backfill_parse_rows(c, page, kraken_row, err);
            if (st != BS_OK) return st;
            *found = 1;
        } else if (!json_skip_value(c, 1)) {
            return bs_fail(err, BS_ERR_PARSE, "\"result\": field %.*s is not valid JSON", (int)kn,
                           k);
        }
        if (backfill_json_expect(c, '}')) return BS_OK;
        if (!backfill_json_expect(c, ','))
            return bs_fail(err, BS_ERR_PARSE, "\"result\" is not valid JSON");
    }
}

static bs_status kraken_parse(const char *body, size_t len, backfill_page *page, int *rate_limited,
                              bs_error *err) {
    *rate_limited = 0;
    cursor c = {body, body + len};
    int found = 0, have_result = 0;
    if (!backfill_json_expect(&c, '{')) return bs_fail(err, BS_ERR_PARSE, "not a JSON object");
    if (!backfill_json_expect(&c, '}')) {
        for (;;) {
            const char *k;
            size_t kn;
            json_skip_ws(&c);
            if (c.p >= c.end || *c.p != '"' || !json_read_string(&c, &k, &kn) ||
                !backfill_json_expect(&c, ':'))
                return bs_fail(err, BS_ERR_PARSE, "not valid JSON");
            json_skip_ws(&c);
            bs_status st = BS_OK;
            if (kn == 5 && memcmp(k, "error", 5) == 0) st = kraken_errors(&c, rate_limited, err);
            else if (kn == 6 && memcmp(k, "result", 6) == 0) {
                have_result = 1;
                st = kraken_result(&c, page, &found, err);
            } else if (!json_skip_value(&c, 1)) st = bs_fail(err, BS_ERR_PARSE, "not valid JSON");
            if (st != BS_OK) return st;
            if (backfill_json_expect(&c, '}')) break;
            if (!backfill_json_expect(&c, ',')) return bs_fail(err, BS_ERR_PARSE, "not valid JSON");
        }
    }
    if (!have_result || !found)
        return bs_fail(err, BS_ERR_PARSE, "no \"result\" with an array of candles");
    json_skip_ws(&c);
    return c.p == c.end ? BS_OK : bs_fail(err, BS_ERR_PARSE, "text after the answer");
}

const backfill_exchange backfill_kraken = {
    "kraken", "KRAKEN_API_URL", "https://api.kraken.com", 720, 720, kraken_path, kraken_parse,
};
