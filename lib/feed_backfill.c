/*
 * feed_backfill.c - the REST backfill the feed runner uses when its caller gives none: the
 * exchange's own candles through bs_backfill_collect() (backfill.h), with its defaults (base URL
 * from *_API_URL, rate limits and retries), each call bounded so one market's outage cannot hold
 * the loop (and the other markets' sockets) for long: a failure is retried by the runner.
 */
#include "btcstream/backfill.h"
#include "feed.h"

static bs_status collect(void *ctx, const char *market, int64_t from_us, int64_t to_us,
                         bs_tick **candles, size_t *n, int64_t *until_us, bs_error *err) {
    (void)ctx;
    bs_backfill_options o = bs_backfill_defaults();
    o.timeout_ms = 10000;
    o.max_retries = 2;
    o.max_wait_ms = 5000;
    return bs_backfill_collect(market, from_us, to_us, &o, candles, n, until_us, NULL, err);
}

bs_feed_backfill_fn feed_default_backfill(void) { return collect; }
