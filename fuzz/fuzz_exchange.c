/*
 * fuzz_exchange.c - exchange messages and the candle builder. The first byte picks the target:
 *   0, 1, 2  the rest is one message to the Binance, Coinbase or Kraken parser (an exact-size
 *            copy: nothing to lean on past its end); every trade that comes out must be sane,
 *            and goes on into a candle builder, as in a feed, and into a recording line that must
 *            hold the message;
 *   3        the rest is a program for a candle builder, four bytes a step (trade, clock, hold,
 *            fill, flush, resume), checking candle.h's promises: candles in time order, each
 *            minute once, the counts adding up.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btcstream/candle.h"
#include "btcstream/raw.h"
#include "btcstream/timeutil.h"
#include "btcstream/trade.h"
#include "fuzz.h"

#define MIN BS_CANDLE_US
#define BASE INT64_C(1700000040000000)

typedef struct {
    bs_candle_builder *b;
    int64_t last; /* the start of the last candle; INT64_MIN before the first */
    uint64_t candles;
    int64_t first_ts; /* trades far from the first are not folded (see below) */
} sink;

static void on_candle(void *ctx, const bs_tick *c) {
    sink *s = ctx;
    if (getenv("FUZZ_DEBUG"))
        fprintf(stderr, "candle %lld trades %lld close %g\n", (long long)((c->ts_us - BASE) / MIN),
                (long long)c->trades, c->close);
    if (s->last != INT64_MIN && c->ts_us != s->last + MIN) abort(); /* in order, each once */
    if (c->ts_us % MIN != 0 || c->trades < BS_TRADES_UNKNOWN) abort();
    if (c->trades > 0 && !(c->low <= c->open && c->open <= c->high && c->low <= c->close &&
                           c->close <= c->high && c->volume >= 0))
        abort();
    s->last = c->ts_us;
    s->candles++;
}

static void on_trade(void *ctx, const char *symbol, const bs_trade *t) {
    sink *s = ctx;
    if (!symbol || !(t->price > 0) || !isfinite(t->price) || !(t->qty >= 0) || !isfinite(t->qty) ||
        t->ts_us < 0 || t->ts_us > BS_TIME_MAX_US)
        abort();
    /* A trade years away from the others makes years of empty minutes, one call each: the feed
     * runner's gap detection holds such minutes instead (which skips them), so do not fold it. */
    if (s->first_ts == INT64_MIN) s->first_ts = t->ts_us;
    if (t->ts_us < s->first_ts - 1000 * MIN || t->ts_us > s->first_ts + 1000 * MIN) return;
    bs_candle_clock(s->b, t->recv_us);
    bs_candle_add(s->b, t);
}

static bs_candle_builder *new_builder(sink *s) {
    bs_candle_options o = bs_candle_defaults();
    o.on_candle = on_candle;
    o.ctx = s;
    s->last = INT64_MIN;
    s->first_ts = INT64_MIN;
    s->candles = 0;
    if (bs_candle_builder_new(&o, &s->b, NULL) != BS_OK) abort();
    return s->b;
}

static void message(bs_exchange ex, const uint8_t *data, size_t size) {
    char *msg = malloc(size ? size : 1);
    if (!msg) return;
    memcpy(msg, data, size);
    sink s;
    new_builder(&s);
    bs_feed_events ev = {on_trade, NULL, NULL, &s};
    bs_error err = {{0}};
    bs_status st = bs_exchange_parse(ex, msg, size, BASE, &ev, &err);
    if (st != BS_OK && (st != BS_ERR_PARSE || !err.msg[0])) abort();
    bs_candle_flush(s.b);
    if (bs_candle_get_stats(s.b).candles != s.candles) abort();
    bs_candle_builder_free(s.b);
    size_t cap = BS_RAW_LINE_MAX(size);
    char *line = malloc(cap);
    if (line) {
        size_t n = bs_raw_format_line("binance:BTCUSDT", BASE, msg, size, line, cap);
        if (n >= cap || line[n - 1] != '\n' || memchr(line, '\n', n - 1)) abort();
        free(line);
    }
    free(msg);
}

static void program(const uint8_t *p, size_t size) {
    sink s;
    bs_candle_builder *b = new_builder(&s);
    int64_t now = BASE;
    for (size_t i = 0; i + 4 <= size; i += 4) {
        uint8_t op = p[i] % 8, a = p[i + 1], c = p[i + 2], d = p[i + 3];
        int64_t at = BASE + (int64_t)a * 7 * BS_US_PER_SECOND + (int64_t)c * 1000;
        if (getenv("FUZZ_DEBUG"))
            fprintf(stderr, "op %d at %.3f min d %d c %d\n", op, (double)(at - BASE) / MIN, d, c);
        switch (op) {
        case 0:
        case 1:
        case 2: {
            bs_trade t = {at, now, 1 + d, c / 16.0, d % 4 ? (int64_t)d : -1, -1};
            bs_candle_add(b, &t);
            break;
        }
        case 3:
            now = at + (int64_t)d * BS_US_PER_SECOND;
            bs_candle_clock(b, now);
            break;
        case 4: bs_candle_hold(b, at); break;
        case 5: {
            bs_tick fill[3];
            for (int k = 0; k < 3; k++)
                fill[k] = (bs_tick){at + (k - 1) * (int64_t)(d % 5) * MIN, 5, 8, 4, 5 + k, 1, k, 0};
            bs_candle_fill(b, fill, d % 4, at + (int64_t)(c % 16) * MIN);
            break;
        }
        case 6: bs_candle_flush(b); break;
        default: {
            bs_tick last = {at, 2, 2, 2, 2, 1, 1, 0};
            bs_candle_resume(b, &last);                  /* ignored after the first step */
            if (i == 0) s.last = bs_time_floor(at, MIN); /* the stored candle came last */
            break;
        }
        }
        int64_t held = bs_candle_held_from(b);
        if (held != INT64_MIN && held % MIN != 0) abort();
    }
    bs_candle_flush(b);
    bs_candle_stats st = bs_candle_get_stats(b);
    if (st.candles != s.candles || st.empty > st.candles || st.filled > st.candles) abort();
    bs_candle_builder_free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    if (data[0] % 4 == 3) program(data + 1, size - 1);
    else message((bs_exchange)(data[0] % 4), data + 1, size - 1);
    return 0;
}
