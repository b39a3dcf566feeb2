/*
 * source_sim.c - a seeded random walk for offline demos: geometric Brownian motion with the
 * volatility of Bitcoin (about 60% a year), starting near a recent price. Every tick carries
 * the wall-clock time, kept strictly increasing so that no two ticks share a timestamp. A run
 * can resume the walk where a history of it ends (bs_source_sim_resume).
 */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "btcstream/reader.h"
#include "btcstream/source.h"
#include "btcstream/timeutil.h"

typedef struct {
    bs_source base;
    uint64_t state;
    double price;
    int64_t last_ts;
} sim_source;

static double uniform(sim_source *s) { /* xorshift64*, deterministic from the seed */
    s->state ^= s->state >> 12;
    s->state ^= s->state << 25;
    s->state ^= s->state >> 27;
    return ((double)((s->state * UINT64_C(2685821657736338717)) >> 11) + 0.5) / 9007199254740992.0;
}

static double gaussian(sim_source *s) {
    return sqrt(-2.0 * log(uniform(s))) * cos(2.0 * M_PI * uniform(s));
}

static bs_status sim_next(bs_source *src, bs_tick *out, int *got, int64_t *retry_after_ms,
                          bs_error *err) {
    (void)err;
    sim_source *s = (sim_source *)src;
    *retry_after_ms = 0;
    /* 60% annual volatility spread over 30-second steps: sigma = 0.6 * sqrt(30 / 31536000). */
    const double sigma = 0.6 * sqrt(30.0 / 31536000.0);
    double open = s->price;
    s->price = round(open * exp(sigma * gaussian(s) - 0.5 * sigma * sigma) * 100) / 100;
    int64_t now = bs_now_us();
    s->last_ts = now > s->last_ts ? now : s->last_ts + 1;
    out->ts_us = s->last_ts;
    out->open = open;
    out->close = s->price;
    out->high = fmax(open, s->price);
    out->low = fmin(open, s->price);
    out->volume = round(2.5e10 * (0.8 + 0.4 * uniform(s)));
    out->trades = BS_TRADES_UNKNOWN;
    out->recv_us = 0;
    *got = 1;
    return BS_OK;
}

static void sim_free(bs_source *src) { free(src); }

bs_status bs_source_sim_open(const char *arg, const bs_source_options *opts, bs_source **out,
                             bs_error *err) {
    (void)arg;
    sim_source *s = calloc(1, sizeof *s);
    if (!s) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    s->base = (bs_source){"sim", 1, sim_next, sim_free};
    s->state = opts->seed * UINT64_C(0x9E3779B97F4A7C15) + 1;
    s->price = opts->sim_price > 0 ? opts->sim_price : 95000.0;
    /* Resuming: each tick drew three numbers (two for the step, one for the volume); drawing
     * them again puts the generator where the walk left off, so the history of several runs is
     * the one walk a single long run would have made, not the first steps over and over. */
    for (uint64_t i = 0; i < 3 * opts->sim_resume; i++) uniform(s);
    *out = &s->base;
    return BS_OK;
}

bs_status bs_source_sim_resume(const char *history, bs_source_options *opts, bs_error *err) {
    opts->sim_resume = 0;
    opts->sim_price = 0;
    if (access(history, F_OK) != 0) return BS_OK; /* a first run: the walk starts */
    bs_tick_vec ticks = {0};
    bs_status st = bs_history_load(history, NULL, &ticks, NULL, err);
    if (st == BS_ERR_EMPTY) return BS_OK;
    if (st != BS_OK) return st;
    opts->sim_resume = ticks.len;
    opts->sim_price = ticks.items[ticks.len - 1].close;
    bs_tick_vec_free(&ticks);
    return BS_OK;
}
