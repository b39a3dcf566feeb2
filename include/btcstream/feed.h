/*
 * feed.h - live exchange trade feeds folded into 1-minute candles, several markets in one thread.
 *
 * bs_feed_run() keeps one WebSocket connection a market (binance:SYMBOL, coinbase:PRODUCT,
 * kraken:PAIR; docs/sources.md), all on one libwebsockets loop in the caller's thread:
 *   connect   to the exchange's base URL (BINANCE_WS_URL, COINBASE_WS_URL, KRAKEN_WS_URL or the
 *             exchange's own), TLS always verified (BTCSTREAM_CA_FILE / SSL_CERT_FILE name
 *             another CA bundle), then subscribe at once (Coinbase wants it within 5 s);
 *   parse     each message (trade.h), fold the trades into candles (candle.h), and write each
 *             closed candle as one stream file in bs_market_stream_dir(stream_root, market),
 *             atomically (producer.h), its line carrying the market;
 *   watch     no message for stall_us is a stall: reported, counted, and the connection is
 *             dropped and opened again; so is a connection older than max_connection_us
 *             (Binance closes them at 24 h);
 *   reconnect after any close, with an exponential backoff (doubling from backoff_min_us to
 *             backoff_max_us) with jitter, reset by a connection that delivered a trade;
 *   gaps      a jump in the trade ids (Binance `t`, Coinbase `trade_id` and the heartbeat's
 *             last_trade_id) is a gap; so is a reconnect (the trades while away are unknown) and
 *             a start after earlier candles (from the last stored candle, found in the market's
 *             history and stream folder): the minutes from the gap on are held
 *             (bs_candle_hold()), the exchange's own candles for them fetched over REST (the
 *             backfill callback), and folded in (bs_candle_fill()), so every minute is stored
 *             exactly once, true, and in order.
 * With raw_dir, every message received is kept as a recording line (raw.h:
 * `{"recv":"ISO","market":"M","msg":MESSAGE}`) in RAW_DIR/SOURCE/SYMBOL_ENC/raw_YYYYmmdd.jsonl
 * (the UTC day it was received), which `replay` reads back through the same parser and builder.
 */
#ifndef BTCSTREAM_FEED_H
#define BTCSTREAM_FEED_H

#include "btcstream/export.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "btcstream/source.h"
#include "btcstream/status.h"
#include "btcstream/tick.h"

/* What a market's feed has seen so far (all counts since bs_feed_run() started). */
typedef struct {
    uint64_t messages;     /* WebSocket messages received */
    uint64_t trades;       /* trades folded */
    uint64_t candles;      /* candles written (empty minutes and filled ones included) */
    uint64_t bad_messages; /* messages that did not parse (reported, skipped) */
    uint64_t gaps_found;   /* gaps detected (id jumps, reconnects, restarts) */
    uint64_t gaps_filled;  /* of which closed by a backfill */
    uint64_t gaps_open;    /* gaps waiting for their backfill now */
    uint64_t late;         /* trades for minutes already written */
    uint64_t stalls;       /* watchdog firings */
    uint64_t reconnects;   /* connections opened after the first */
} bs_feed_stats;

/*
 * Fetches the exchange's own 1-minute candles of market for the minutes from_us (inclusive) to
 * to_us (exclusive), both minute starts: *candles (malloc'ed, the caller frees; NULL when none)
 * gets *n of them, in any order; a minute without trades may be absent. *until_us is the end of
 * what the answer covers (to_us, or less when the exchange has not settled the last minutes).
 * A failure is retried later. The default is bs_backfill_collect() (backfill.h).
 */
typedef bs_status (*bs_feed_backfill_fn)(void *ctx, const char *market, int64_t from_us,
                                         int64_t to_us, bs_tick **candles, size_t *n,
                                         int64_t *until_us, bs_error *err);

typedef struct {
    const char *const *markets; /* "binance:BTCUSDT", ... (n_markets of them, distinct) */
    size_t n_markets;
    const char *stream_root; /* candles go to bs_market_stream_dir(stream_root, market) */
    /* When set, every candle goes to this folder instead (one market only: `run`'s producer). */
    const char *stream_dir;
    const char *data_dir;      /* where the markets' histories are (the restart point); NULL */
    const char *raw_dir;       /* keep every message here; NULL: not kept */
    const char *ca_file;       /* NULL: BTCSTREAM_CA_FILE, SSL_CERT_FILE or the system's */
    int64_t grace_us;          /* late trades for a closed minute: 2 s */
    int64_t stall_us;          /* watchdog: 30 s */
    int64_t max_connection_us; /* reconnect ahead of this age: 23 h 50 min */
    int64_t backoff_min_us;    /* first reconnect delay: 500 ms */
    int64_t backoff_max_us;    /* longest: 60 s */
    int64_t duration_us;       /* stop after this long; 0: until stop */
    int fsync;                 /* fsync each stream file (default on) */
    atomic_int *stop;          /* when non-zero, flush what is closed and return */
    /* REST candles for held minutes; NULL: bs_backfill_collect() (backfill.h). */
    bs_feed_backfill_fn backfill;
    void *backfill_ctx;
    /* Each candle written, with its market, file name and the market's stats; may be NULL. */
    void (*on_candle)(void *ctx, const char *market, const bs_tick *candle, const char *file,
                      const bs_feed_stats *stats);
    /* One line about a market's feed (connected, stall, gap, reconnect, bad message); NULL ok. */
    void (*on_notice)(void *ctx, const char *market, const char *message);
    void *ctx;
} bs_feed_options;

/* Defaults: 2 s grace, 30 s stall, 23 h 50 min connections, backoff 500 ms to 60 s, fsync. */
BS_API bs_feed_options bs_feed_defaults(void);

/*
 * Runs the feeds of opts->markets until the duration ends or *stop is set. Connection trouble is
 * never an error (reported, then retried); an error is returned for bad options (an unknown
 * exchange, a bad market name), a loop that cannot start, or a stream file that cannot be
 * written. stats (may be NULL) receives n_markets entries, kept current while it runs.
 */
BS_API bs_status bs_feed_run(const bs_feed_options *opts, bs_feed_stats *stats, bs_error *err);

/* Non-zero when spec ("binance:BTCUSDT,kraken:BTC/USD") names only exchange markets. */
BS_API int bs_feed_is_exchange_spec(const char *spec);

/*
 * The exchange sources of the registry (source.h): arg is the symbol (or a comma list that goes
 * on with further SOURCE:SYMBOL markets). Such a source is run by bs_ingest_run() (one market:
 * `run --source binance:BTCUSDT`), which drives bs_feed_run() into the ingest's stream folder.
 */
BS_API bs_status bs_source_binance_open(const char *arg, const bs_source_options *opts,
                                        bs_source **out, bs_error *err);
BS_API bs_status bs_source_coinbase_open(const char *arg, const bs_source_options *opts,
                                         bs_source **out, bs_error *err);
BS_API bs_status bs_source_kraken_open(const char *arg, const bs_source_options *opts,
                                       bs_source **out, bs_error *err);

#endif
