/*
 * feed_backfill.c - the REST backfill the feed runner uses when its caller gives none: the
 * exchanges' candle endpoints (backfill.h) once that client is part of the build; until then
 * none, and a feed keeps the minutes its trades give (gaps are counted and reported open).
 */
#include "feed.h"

bs_feed_backfill_fn feed_default_backfill(void) {
    return NULL;
}
