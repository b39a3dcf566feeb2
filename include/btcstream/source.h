/*
 * source.h - where ticks come from, behind one interface (a new source is a new file).
 *
 *   coingecko[:COIN/VS]  (market coingecko:COIN/VS, from --coin and --vs when not given)
 *                 GET {base}/coins/markets?vs_currency=VS&ids=COIN through libcurl, mapped as the
 *                 course project did: Open = Close = current_price, High = high_24h,
 *                 Low = low_24h, Volume = total_volume, time = now (UTC). These are snapshots of
 *                 a 24-hour ticker, not true candles.
 *   replay:FILE   the ticks of a history or CSV file (any format reader.h reads), in time order.
 *   sim           a seeded geometric Brownian motion from a realistic price; marked simulated.
 *
 * Simulated and replayed ticks are not a live market's: `run` keeps them in a data folder of
 * their own (the registry's data_dir: Data/sim, Data/replay), so that real history imported
 * into Data/ never mixes with them.
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
    /* sim: go on with a walk that already made `sim_resume` ticks and ended at sim_price, instead
     * of starting it again at its first price (bs_source_sim_resume fills both from a history) */
    uint64_t sim_resume;
    double sim_price; /* 0: the walk's first price */
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

/*
 * A source's constructor: arg is what follows "NAME:" in the spec (NULL when there is none).
 * On success *out is the source, to free with bs_source_free().
 */
typedef bs_status (*bs_source_open_fn)(const char *arg, const bs_source_options *opts,
                                       bs_source **out, bs_error *err);

/*
 * The registry: one line a source type (lib/source.c), so that a new source is a new file plus
 * a line there, and --help texts list the sources from it. Ends with a NULL name.
 */
typedef struct {
    const char *name;     /* as written in --source: "coingecko", "sim", "replay" */
    const char *arg;      /* NULL, or what follows "NAME:" ("FILE") when it is required */
    const char *help;     /* one line */
    const char *data_dir; /* `run`'s default data folder: where its ticks are kept apart */
    int64_t interval_us;  /* default interval (0: the command's own) */
    int64_t duration_us;  /* `run`'s default duration (0: the command's own) */
    bs_source_open_fn open;
} bs_source_type;

BS_API extern const bs_source_type bs_source_types[];

/* The type a spec names ("sim", "replay:FILE"); NULL when none does. */
BS_API const bs_source_type *bs_source_type_find(const char *spec);

/*
 * Opens the source a spec names ("coingecko", "sim", "replay:FILE"). BS_ERR_ARG for an unknown
 * name (listing the known ones) or a missing ":ARG". Free with bs_source_free().
 */
BS_API bs_status bs_source_open(const char *spec, const bs_source_options *opts, bs_source **out,
                                bs_error *err);

/* The market of the sim source (market.h): its ticks are a random walk around BTC in USD. */
#define BS_SOURCE_SIM_MARKET "sim:BTC-USD"

/*
 * The market (market.h) whose stream folder and history a source's ticks go to, into market
 * (BS_MARKET_MAX bytes): "coingecko:COIN/VS" for coingecko (from --coin, --vs, or the spec
 * "coingecko:COIN/VS" itself), BS_SOURCE_SIM_MARKET for sim, "replay:BASENAME" for replay:FILE
 * (the file's base name, any byte a market may not hold written as '_'), and the spec itself
 * for any other source ("binance:BTCUSDT"). BS_ERR_ARG when that is not a valid market name.
 */
BS_API bs_status bs_source_market(const char *spec, const bs_source_options *opts, char *market,
                                  bs_error *err);

/* Closes a source and frees it; accepts NULL. */
BS_API void bs_source_free(bs_source *src);

/* The constructors behind the registry, one per file. */
BS_API bs_status bs_source_coingecko_open(const char *arg, const bs_source_options *opts,
                                          bs_source **out, bs_error *err);
BS_API bs_status bs_source_replay_open(const char *path, const bs_source_options *opts,
                                       bs_source **out, bs_error *err);
BS_API bs_status bs_source_sim_open(const char *arg, const bs_source_options *opts, bs_source **out,
                                    bs_error *err);

/*
 * Sets opts->sim_resume and opts->sim_price from a history the sim wrote (its line count and
 * last close), so that the next run goes on with the seeded walk instead of appending the same
 * path again. A missing or empty history leaves the walk at its start.
 */
BS_API bs_status bs_source_sim_resume(const char *history, bs_source_options *opts, bs_error *err);

#endif
