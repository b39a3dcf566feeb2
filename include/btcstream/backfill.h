/*
 * backfill.h - an exchange's own 1-minute candles for a past range, over its REST API.
 *
 * The feed runner calls this after a reconnect, a detected gap or a restart (from the last
 * stored candle), and `btcstream backfill` for any range. Candles come back as bs_tick (tick.h):
 * ts_us the start of the minute, Open/High/Low/Close/Volume as the exchange gives them, trades
 * the exchange's trade count (Binance, Kraken) or BS_TRADES_UNKNOWN (Coinbase gives none),
 * recv_us the time the page was received.
 *
 * Endpoints (base URLs from the environment / config; TLS always verified, against the CA bundle
 * BTCSTREAM_CA_FILE, else SSL_CERT_FILE, names, else the system's):
 *   binance   BINANCE_API_URL (https://api.binance.com)
 *             GET /api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=MS&endTime=MS&limit=1000
 *             -> [[openTimeMs,"o","h","l","c","v",closeTimeMs,"quoteVol",trades,...],...]
 *             oldest first; endTime is inclusive (a kline whose open time is <= endTime).
 *             At most 1000 klines a request: a page is 1000 minutes.
 *   coinbase  COINBASE_API_URL (https://api.exchange.coinbase.com)
 *             GET /products/BTC-USD/candles?granularity=60&start=ISO&end=ISO
 *             -> [[timeS,low,high,open,close,volume],...] newest first, numbers not strings;
 *             no candle at all for a minute without a trade; a range of more than 300 candles
 *             is refused, and an answer may hold candles before start: a page asks for 299
 *             minutes [start, start+299min] and keeps only [start, start+299min).
 *   kraken    KRAKEN_API_URL (https://api.kraken.com)
 *             GET /0/public/OHLC?pair=XBTUSD&interval=1&since=S
 *             -> {"error":[],"result":{"XXBTZUSD":[[timeS,"o","h","l","c","vwap","v",count],...],
 *             "last":S}}; the pair's key in the answer is Kraken's own name for it (not the one
 *             asked for): the one array in "result" is taken, whatever its key. The answer ends
 *             with the current, unfinished minute. Kraken keeps only its last 720 1-minute
 *             candles: older minutes cannot be had from it at all and count as unavailable
 *             (bs_backfill_stats.unavailable). The market's symbol is the WebSocket v2 one
 *             ("BTC/USD"); the request names the REST pair (slash dropped, BTC written XBT).
 * Every answer is checked: a candle outside the page's range is ignored, a malformed one fails
 * the fetch naming the URL path and the field; prices must be positive and finite.
 *
 * Pagination and what is final: minutes [from_us, to_us) are fetched page by page, oldest first,
 * each minute at most once. to_us is first cut to the last minute that has ended (its end at
 * least settle_us before now): the current, unfinished minute is never taken as final, even
 * though the exchanges answer with it.
 *
 * Minutes without a candle: an exchange gives none for a minute without trades (Coinbase, and
 * Binance during maintenance). By default such a minute is absent: the callback does not see it
 * and the caller decides (bs_candle_fill() turns it into an empty minute). With fill_empty, a
 * minute missing between two candles the exchange did give is delivered as an explicit empty
 * minute: trades 0, volume 0, O = H = L = C = the previous close; minutes before the first
 * candle and after the last one are never invented (the exchange may publish them late).
 *
 * Rate limits and retries: an HTTP 429 or 418 (Binance's ban for ignoring 429s) waits as long as
 * its Retry-After says (seconds or an HTTP date; capped at max_wait_ms), then retries the same
 * page; a 429/418 without one, a 5xx, a transfer error (connect, timeout) and Kraken's
 * "EAPI:Rate limit exceeded" or "EGeneral:Too many requests" back off exponentially
 * (base_backoff_ms doubled each time, capped at max_wait_ms, half of it fixed and half random)
 * up to max_retries times. Other 4xx answers and TLS failures fail at once.
 * Binance's X-MBX-USED-WEIGHT-1M header is watched: past 80% of its 6000-a-minute budget the
 * next request waits for the next minute.
 */
#ifndef BTCSTREAM_BACKFILL_H
#define BTCSTREAM_BACKFILL_H

#include "btcstream/export.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "btcstream/status.h"
#include "btcstream/tick.h"

typedef struct bs_backfill_stats {
    uint64_t requests;      /* HTTP requests made, retries included */
    uint64_t pages;         /* pages completed */
    uint64_t pages_planned; /* pages the range needs (for progress) */
    uint64_t candles;       /* candles delivered from the exchange */
    uint64_t filled;        /* empty minutes delivered by fill_empty */
    uint64_t absent;        /* minutes in range the exchange had no candle for (not delivered) */
    uint64_t unavailable;   /* of which minutes older than the exchange keeps (Kraken: 720) */
    uint64_t retries;       /* requests repeated after a 429/418/5xx/transfer error */
    uint64_t rate_limited;  /* of which answers 429 or 418 */
    int64_t waited_ms;      /* time spent waiting (Retry-After, backoff, weight pacing) */
    int64_t from_us, to_us; /* the range actually fetched, after cutting to_us (above) */
    int64_t done_us;        /* every minute before this has been delivered or is absent */
} bs_backfill_stats;

typedef struct {
    /* Base URL instead of the exchange's (its *_API_URL variable, then the default); NULL: those.
     */
    const char *base_url;
    long timeout_ms;         /* per request (connect and transfer); 0: 30 s */
    int max_retries;         /* retries of one page before giving up; 0: 8; < 0: none */
    int64_t base_backoff_ms; /* first backoff without Retry-After; 0: 500 ms */
    int64_t max_wait_ms;     /* longest single wait (Retry-After or backoff); 0: 120 s */
    int page_minutes;        /* minutes a request asks for; 0: the exchange's maximum */
    int fill_empty;          /* deliver missing minutes between candles as empty ones (above) */
    int64_t settle_us;       /* a minute is final this long after its end; 0: 2 s; < 0: none */
    int64_t now_us;          /* the time taken as now; 0: the clock (tests pin it) */
    atomic_int *stop;        /* when non-zero: stop before the next request (BS_ERR_INTERRUPTED) */
    /* Called after each request with the stats so far (progress on long runs); may be NULL. */
    void (*on_progress)(void *ctx, const bs_backfill_stats *stats);
    void *progress_ctx;
} bs_backfill_options;

/*
 * Called with each page's candles, oldest first, each minute once over the whole fetch; after
 * it, every minute in [from, until_us) has been delivered or is absent (for bs_candle_fill()).
 * n may be 0 (a page of absent minutes). A non-BS_OK return stops the fetch with that status;
 * the callback fills err.
 */
typedef bs_status (*bs_backfill_page_fn)(void *ctx, const bs_tick *candles, size_t n,
                                         int64_t until_us, bs_error *err);

/* The defaults above (every field zero: each zero means its default). */
BS_API bs_backfill_options bs_backfill_defaults(void);

/*
 * Fetches the market's 1-minute candles for minutes [from_us, to_us) (both rounded down to a
 * minute; to_us cut as above; a range holding no whole minute is empty, not an error, and
 * from_us > to_us is BS_ERR_ARG) and hands them to on_page page by page. market is
 * "binance:SYMBOL", "coinbase:PRODUCT" or "kraken:PAIR"; BS_ERR_UNSUPPORTED for another source.
 * opts NULL: the defaults. stats (may be NULL) is filled as far as the fetch got, also on error.
 * Errors: BS_ERR_HTTP / BS_ERR_NET / BS_ERR_PARSE naming the URL path (never a query secret) and
 * the HTTP status; pages already delivered stay delivered.
 */
BS_API bs_status bs_backfill_fetch(const char *market, int64_t from_us, int64_t to_us,
                                   const bs_backfill_options *opts, bs_backfill_page_fn on_page,
                                   void *ctx, bs_backfill_stats *stats, bs_error *err);

/*
 * bs_backfill_fetch() into one array, oldest first: *out (free() it; NULL when none), *n, and
 * *until_us, the end of the range it covers (for bs_candle_fill()). For short ranges (a gap).
 */
BS_API bs_status bs_backfill_collect(const char *market, int64_t from_us, int64_t to_us,
                                     const bs_backfill_options *opts, bs_tick **out, size_t *n,
                                     int64_t *until_us, bs_backfill_stats *stats, bs_error *err);

/*
 * `btcstream backfill`: fetches the range and writes the candles as stream files into the
 * market's stream folder (bs_market_stream_dir(stream_root, market)), one file per page, each
 * written atomically (temp, fsync, rename) so the stream processor merges them exactly once.
 * The history keeps the first tick stored for a minute: a candle the live feed stored first wins.
 * files (may be NULL) receives the number of stream files written.
 */
BS_API bs_status bs_backfill_to_stream(const char *market, int64_t from_us, int64_t to_us,
                                       const char *stream_root, const bs_backfill_options *opts,
                                       bs_backfill_stats *stats, uint64_t *files, bs_error *err);

#endif
