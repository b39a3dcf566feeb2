/*
 * feed_source.c - the exchange sources (binance:SYMBOL, coinbase:PRODUCT, kraken:PAIR) in the
 * source registry (source.h), so that `run --source binance:BTCUSDT` and every --help that lists
 * sources know them. An exchange feed pushes candles when the exchange's minutes close rather
 * than answering a poll, so bs_ingest_run() hands such a source to feed_source_run(), which runs
 * the feed runner (feed.h) with the ingest's stream folder, duration, stop flag and callbacks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btcstream/feed.h"
#include "btcstream/source.h"
#include "feed.h"

typedef struct {
    bs_source base;
    char spec[1024]; /* "binance:BTCUSDT" (a comma list keeps its own prefixes) */
} feed_source;

static bs_status feed_next(bs_source *src, bs_tick *out, int *got, int64_t *retry_after_ms,
                           bs_error *err) {
    (void)out;
    (void)got;
    (void)retry_after_ms;
    return bs_fail(err, BS_ERR_UNSUPPORTED, "%s: an exchange feed is run by bs_ingest_run()",
                   src->name);
}

static void feed_source_free(bs_source *src) { free(src); }

static bs_status open_exchange(const char *exchange, const char *arg, bs_source **out,
                               bs_error *err) {
    feed_source *s = calloc(1, sizeof *s);
    if (!s) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    if (snprintf(s->spec, sizeof s->spec, "%s:%s", exchange, arg ? arg : "") >=
        (int)sizeof s->spec) {
        free(s);
        return bs_fail(err, BS_ERR_ARG, "source list too long");
    }
    s->base = (bs_source){exchange, 0, feed_next, feed_source_free};
    *out = &s->base;
    return BS_OK;
}

bs_status bs_source_binance_open(const char *arg, const bs_source_options *opts, bs_source **out,
                                 bs_error *err) {
    (void)opts;
    return open_exchange("binance", arg, out, err);
}

bs_status bs_source_coinbase_open(const char *arg, const bs_source_options *opts, bs_source **out,
                                  bs_error *err) {
    (void)opts;
    return open_exchange("coinbase", arg, out, err);
}

bs_status bs_source_kraken_open(const char *arg, const bs_source_options *opts, bs_source **out,
                                bs_error *err) {
    (void)opts;
    return open_exchange("kraken", arg, out, err);
}

int feed_source_is(const bs_source *src) { return src && src->next == feed_next; }

typedef struct {
    const bs_ingest_options *o;
    bs_ingest_totals *totals;
} ingest_bridge;

static void bridge_candle(void *ctx, const char *market, const bs_tick *candle, const char *file,
                          const bs_feed_stats *stats) {
    ingest_bridge *b = ctx;
    (void)market;
    (void)stats;
    b->totals->ticks++;
    if (b->o->on_tick) b->o->on_tick(b->o->ctx, candle, file);
}

static void bridge_notice(void *ctx, const char *market, const char *message) {
    ingest_bridge *b = ctx;
    if (!b->o->on_notice) return;
    char line[640];
    snprintf(line, sizeof line, "%s: %s", market, message);
    b->o->on_notice(b->o->ctx, line);
}

bs_status feed_source_run(const bs_ingest_options *o, bs_ingest_totals *totals, bs_error *err) {
    const feed_source *s = (const feed_source *)o->source;
    totals->ticks = totals->failures = 0;
    if (o->bus)
        return bs_fail(err, BS_ERR_UNSUPPORTED,
                       "exchange sources write stream files; "
                       "--bus does not take them yet");
    if (strchr(s->spec, ','))
        return bs_fail(err, BS_ERR_ARG, "%s: one market here (ingest takes several)", s->spec);
    const char *markets[1] = {s->spec};
    ingest_bridge bridge = {o, totals};
    bs_feed_options fo = bs_feed_defaults();
    fo.markets = markets;
    fo.n_markets = 1;
    fo.stream_dir = o->producer->dir;
    fo.fsync = o->producer->sync;
    fo.duration_us = o->duration_us;
    fo.stop = o->stop;
    fo.on_candle = bridge_candle;
    fo.on_notice = bridge_notice;
    fo.ctx = &bridge;
    return bs_feed_run(&fo, NULL, err);
}
