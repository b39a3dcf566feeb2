/*
 * source.h - where ticks come from, behind one interface (STYLE.md: a new source is a new file).
 *
 *   coingecko     GET {base}/coins/markets?vs_currency=VS&ids=COIN through libcurl, mapped as the
 *                 course project did: Open = Close = current_price, High = high_24h,
 *                 Low = low_24h, Volume = total_volume, time = now (UTC). These are snapshots of
 *                 a 24-hour ticker, not true candles.
 *   replay:FILE   the ticks of a history or CSV file (any format reader.h reads), in time order.
 *   sim           a seeded geometric Brownian motion from a realistic price; marked simulated.
 */
#ifndef BTCSTREAM_SOURCE_H
#define BTCSTREAM_SOURCE_H

#include "btcstream/export.h"

#include <stdint.h>

#include "btcstream/status.h"
#include "btcstream/tick.h"

typedef struct {
    const char *coin;     /* CoinGecko id, default "bitcoin" */
    const char *vs;       /* quote currency, default "usd" */
    const char *base_url; /* NULL: COINGECKO_BASE_URL, else the plan's API host */
    long timeout_ms;      /* HTTP timeout, default 10000 */
    uint64_t seed;        /* sim: the random seed (default 42) */
} bs_source_options;

typedef struct bs_source bs_source;

struct bs_source {
    const char *name; /* "coingecko", "replay", "sim" */
    int simulated;    /* non-zero when ticks are not real prices */
    /*
     * Produces the next tick into *out and sets *got to 1; sets *got to 0 when the source has no
     * more ticks (the end of a replay). A failure (network, HTTP status, bad answer) returns its
     * status with a message; the caller may call again later. *retry_after_ms, when the source
     * sets it above zero, is how long the server asked to wait (HTTP 429 Retry-After).
     */
    bs_status (*next)(bs_source *src, bs_tick *out, int *got, int64_t *retry_after_ms,
                      bs_error *err);
    void (*free)(bs_source *src);
};

/* Default options: bitcoin in usd, 10 s timeout, seed 42. */
BS_API bs_source_options bs_source_defaults(void);

/* Opens "coingecko", "sim" or "replay:FILE". Free with bs_source_free(). */
BS_API bs_status bs_source_open(const char *spec, const bs_source_options *opts, bs_source **out,
                                bs_error *err);

BS_API void bs_source_free(bs_source *src);

/* The constructors behind bs_source_open(), one per file. */
BS_API bs_status bs_source_coingecko_open(const bs_source_options *opts, bs_source **out,
                                          bs_error *err);
BS_API bs_status bs_source_replay_open(const char *path, bs_source **out, bs_error *err);
BS_API bs_status bs_source_sim_open(const bs_source_options *opts, bs_source **out, bs_error *err);

#endif
