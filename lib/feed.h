/*
 * feed.h (private) - the pieces of the feed runner (feed.c) that live in files of their own:
 * finding a market's last stored candle (feed_resume.c) and the REST backfill it falls back on
 * (feed_backfill.c).
 */
#ifndef BTCSTREAM_FEED_PRIVATE_H
#define BTCSTREAM_FEED_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "btcstream/feed.h"
#include "btcstream/ingest.h"
#include "btcstream/source.h"
#include "btcstream/status.h"
#include "btcstream/tick.h"

/*
 * The latest candle stored for market: the last line of its history (data_dir may be NULL) or
 * the latest stream file of stream_dir not yet committed, whichever is later. *found is 0 when
 * there is none.
 */
bs_status feed_last_stored(const char *data_dir, const char *market, const char *stream_dir,
                           bs_tick *last, int *found, bs_error *err);

/* The backfill used when the caller gives none: NULL when this build has no REST client. */
bs_feed_backfill_fn feed_default_backfill(void);

/* Non-zero for a source opened by bs_source_binance_open() and its siblings (feed_source.c). */
int feed_source_is(const bs_source *src);

/* bs_ingest_run() for such a source: the feed runner into the ingest's stream folder. */
bs_status feed_source_run(const bs_ingest_options *o, bs_ingest_totals *totals, bs_error *err);

#endif
