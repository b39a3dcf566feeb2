/*
 * candle.h - 1-minute OHLCV candles folded from exchange trades, on exchange time.
 *
 * A candle is a bs_tick (tick.h) whose ts_us is the start of its minute, with Open the first
 * trade, High, Low, Close the last trade, Volume the sum of quantities, trades the count and
 * recv_us the receipt time of the last trade. "First" and "last" are by exchange time, ties by
 * trade id, then by arrival (the first to arrive opens, the last to arrive closes), so a minute
 * does not depend on the order its trades arrived in; recv_us is that of the last one received
 * (0 for an empty minute). Volume is a compensated sum (within 1e-12 of the exact one). The builder only ever looks at the trades' own
 * timestamps, never the local clock, except through bs_candle_clock():
 *   - a minute is emitted when a trade of a later minute arrives, or when the exchange's clock,
 *     estimated as the last trade's time plus the local time since it was received, passes the
 *     minute's end plus the grace period; so a delayed or replayed feed gives the same candles as
 *     a live one (a feed runner calls bs_candle_clock() with the receipt time before parsing each
 *     message, and on a timer; a replay does the first with the recorded times);
 *   - a minute without a trade is emitted explicitly: trades 0, volume 0, O = H = L = C = the
 *     previous close (nothing is emitted before the first trade or resumed candle);
 *   - a trade for a minute already emitted is late: counted, reported through on_late, never
 *     merged into an emitted candle and never silently dropped;
 *   - after a gap (bs_candle_hold()) the minutes from the gap on are held, not emitted, until
 *     bs_candle_fill() brings the exchange's own candles for them (REST backfill), which replace
 *     what the trades built for those minutes; then they are emitted in order.
 * Candles are emitted in time order, each minute exactly once.
 */
#ifndef BTCSTREAM_CANDLE_H
#define BTCSTREAM_CANDLE_H

#include "btcstream/export.h"

#include <stddef.h>
#include <stdint.h>

#include "btcstream/status.h"
#include "btcstream/tick.h"
#include "btcstream/trade.h"

#define BS_CANDLE_US INT64_C(60000000) /* one minute */

typedef struct {
    int64_t grace_us; /* how long past a minute's end its late trades may still arrive; 2 s */
    /* Called with each closed candle, in time order. */
    void (*on_candle)(void *ctx, const bs_tick *candle);
    /* Called with each late trade (may be NULL). */
    void (*on_late)(void *ctx, const bs_trade *trade);
    void *ctx;
} bs_candle_options;

typedef struct {
    uint64_t trades;  /* trades folded */
    uint64_t candles; /* candles emitted, empty ones included */
    uint64_t empty;   /* of which minutes without a trade */
    uint64_t late;    /* trades for minutes already emitted */
    uint64_t filled;  /* candles that came from bs_candle_fill() */
    uint64_t held;    /* minutes waiting for a fill now */
} bs_candle_stats;

typedef struct bs_candle_builder bs_candle_builder;

/* Default options: 2 s grace, no callbacks. */
BS_API bs_candle_options bs_candle_defaults(void);

/* A builder with the given options (NULL: the defaults); free with bs_candle_builder_free(). */
BS_API bs_status bs_candle_builder_new(const bs_candle_options *opts, bs_candle_builder **out,
                                       bs_error *err);
/* Frees a builder without emitting the minute in progress; accepts NULL. */
BS_API void bs_candle_builder_free(bs_candle_builder *b);

/*
 * Continues after the last stored candle (a restart): its minute and everything before it count
 * as emitted, and an empty minute after it repeats its close. Call it first, before any trade,
 * hold or fill; a builder that has begun ignores it.
 */
BS_API void bs_candle_resume(bs_candle_builder *b, const bs_tick *last_stored);

/* Folds one trade in; may emit the minutes it closes (and the empty ones between). */
BS_API void bs_candle_add(bs_candle_builder *b, const bs_trade *trade);

/* Emits what the exchange's estimated clock has closed by local time now_us (UTC micros). */
BS_API void bs_candle_clock(bs_candle_builder *b, int64_t now_us);

/* A gap was detected at exchange time from_us: hold that minute and every later one. */
BS_API void bs_candle_hold(bs_candle_builder *b, int64_t from_us);

/*
 * The exchange's candles for held minutes (any order; minutes outside the held range are
 * ignored), complete up to the start of minute until_us (exclusive): those minutes are emitted,
 * a held minute the exchange has no candle for becomes an empty one, and the hold ends at until_us.
 */
BS_API void bs_candle_fill(bs_candle_builder *b, const bs_tick *candles, size_t n,
                           int64_t until_us);

/* Start of the oldest held minute; INT64_MIN when nothing is held. */
BS_API int64_t bs_candle_held_from(const bs_candle_builder *b);

/* Emits the minute in progress as it stands (the end of a replay); later trades for it are late. */
BS_API void bs_candle_flush(bs_candle_builder *b);

/* What the builder has done so far. */
BS_API bs_candle_stats bs_candle_get_stats(const bs_candle_builder *b);

#endif
