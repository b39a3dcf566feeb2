/*
 * ingest.c - see ingest.h. Ticks are scheduled on a fixed grid (start + k * interval), so a slow
 * request does not shift every later tick; sleeps are cut into short slices so that a stop
 * request is honoured within 50 ms.
 */
#include "btcstream/ingest.h"

#include <time.h>

#include "btcstream/timeutil.h"
#include "feed.h"

#define SLICE_US 50000
#define MAX_BACKOFF_US (300 * BS_US_PER_SECOND)

static int stopped(const bs_ingest_options *o, int64_t started) {
    if (o->stop && *o->stop) return 1;
    return o->duration_us > 0 && bs_monotonic_us() - started >= o->duration_us;
}

/* Sleeps until the monotonic time `until`, or until stopped; returns non-zero if stopped. */
static int sleep_until(const bs_ingest_options *o, int64_t started, int64_t until) {
    for (;;) {
        if (stopped(o, started)) return 1;
        int64_t left = until - bs_monotonic_us();
        if (left <= 0) return 0;
        if (left > SLICE_US) left = SLICE_US;
        struct timespec ts = {left / 1000000, (left % 1000000) * 1000};
        nanosleep(&ts, NULL);
    }
}

static void notice(const bs_ingest_options *o, const char *message) {
    if (o->on_notice) o->on_notice(o->ctx, message);
}

bs_status bs_ingest_run(const bs_ingest_options *o, bs_ingest_totals *totals, bs_error *err) {
    /* an exchange feed pushes candles as minutes close: the feed runner drives it */
    if (feed_source_is(o->source)) return feed_source_run(o, totals, err);
    totals->ticks = totals->failures = 0;
    int64_t started = bs_monotonic_us(), next = started, backoff = BS_US_PER_SECOND;
    for (uint64_t attempt = 0; !stopped(o, started); attempt++) {
        bs_tick tick;
        int got = 0;
        int64_t retry_after_ms = 0;
        bs_error why = {{0}};
        bs_status st = o->source->next(o->source, &tick, &got, &retry_after_ms, &why);
        if (st == BS_OK && !got) return BS_OK; /* the source has ended (a replay) */
        if (st == BS_OK) {
            char file[64] = "bus";
            st = o->bus ? bs_bus_publish(o->bus, o->market, &tick, err)
                        : bs_producer_write(o->producer, &tick, file, err);
            if (st != BS_OK) return st; /* cannot write the stream: nothing else can help */
            totals->ticks++;
            backoff = BS_US_PER_SECOND;
            if (o->on_tick) o->on_tick(o->ctx, &tick, file);
        } else {
            if (attempt == 0 && o->fail_fast && st == BS_ERR_NET)
                return bs_fail(err, st, "%s", why.msg);
            totals->failures++;
            notice(o, why.msg);
            if (retry_after_ms != 0) { /* 429: the server's wait, or ours growing each time */
                int64_t wait = retry_after_ms > 0 ? retry_after_ms * 1000 : backoff;
                backoff = backoff * 2 > MAX_BACKOFF_US ? MAX_BACKOFF_US : backoff * 2;
                if (sleep_until(o, started, bs_monotonic_us() + wait)) break;
                next = bs_monotonic_us();
                continue;
            }
        }
        next += o->interval_us;
        if (sleep_until(o, started, next)) break;
    }
    return BS_OK;
}
