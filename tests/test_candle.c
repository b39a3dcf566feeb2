/*
 * The 1-minute candle builder: hand-worked cases for each rule of candle.h, then seeded random
 * trade streams (out of order within a minute, empty minutes, late trades, clock ticks, holds and
 * fills, a resume) compared minute by minute with tests/tools/candles.py, which computes the
 * candles from the same events its own way.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "btcstream/candle.h"
#include "test_util.h"

#define MIN BS_CANDLE_US
#define SEC INT64_C(1000000)
#define T0 INT64_C(1700000040000000) /* a minute's start: 2023-11-14 22:14:00 UTC */

typedef struct {
    bs_tick c[4096];
    size_t n;
    bs_trade late[64];
    size_t n_late;
    FILE *out; /* when set, candles are written there too */
} got;

static void on_candle(void *ctx, const bs_tick *t) {
    got *g = ctx;
    if (g->n > 0 && t->ts_us != g->c[g->n - 1].ts_us + MIN)
        fail_msg("candle %lld after %lld: not the next minute", (long long)t->ts_us,
                 (long long)g->c[g->n - 1].ts_us);
    if (g->n < sizeof g->c / sizeof *g->c) g->c[g->n] = *t;
    g->n++;
    if (g->out)
        fprintf(g->out, "%lld,%.17g,%.17g,%.17g,%.17g,%.17g,%lld,%lld\n", (long long)t->ts_us,
                t->open, t->high, t->low, t->close, t->volume, (long long)t->trades,
                (long long)t->recv_us);
}

static void on_late(void *ctx, const bs_trade *t) {
    got *g = ctx;
    if (g->n_late < 64) g->late[g->n_late] = *t;
    g->n_late++;
}

static bs_candle_builder *builder(got *g, int64_t grace_us) {
    memset(g, 0, sizeof *g);
    bs_candle_options o = bs_candle_defaults();
    o.grace_us = grace_us;
    o.on_candle = on_candle;
    o.on_late = on_late;
    o.ctx = g;
    bs_candle_builder *b = NULL;
    bs_error err = {{0}};
    assert_int_equal(bs_candle_builder_new(&o, &b, &err), BS_OK);
    return b;
}

static void add(bs_candle_builder *b, int64_t ts, int64_t recv, double price, double qty,
                int64_t id) {
    bs_trade t = {ts, recv, price, qty, id, -1};
    bs_candle_add(b, &t);
}

static void expect_candle(const bs_tick *c, int64_t start, double o, double h, double l, double cl,
                          double v, int64_t trades) {
    if (c->ts_us != start || c->open != o || c->high != h || c->low != l || c->close != cl ||
        c->volume != v || c->trades != trades)
        fail_msg("candle %lld %g %g %g %g %.17g %lld, expected %lld %g %g %g %g %.17g %lld",
                 (long long)c->ts_us, c->open, c->high, c->low, c->close, c->volume,
                 (long long)c->trades, (long long)start, o, h, l, cl, v, (long long)trades);
}

static void test_defaults_and_bad_options(void **state) {
    (void)state;
    bs_candle_options o = bs_candle_defaults();
    assert_true(o.grace_us == 2 * SEC);
    o.grace_us = -1;
    bs_candle_builder *b = NULL;
    bs_error err = {{0}};
    assert_int_equal(bs_candle_builder_new(&o, &b, &err), BS_ERR_ARG);
    assert_int_equal(bs_candle_builder_new(NULL, &b, &err), BS_OK);
    bs_candle_flush(b); /* nothing yet: nothing happens */
    bs_candle_clock(b, T0);
    assert_int_equal(bs_candle_get_stats(b).candles, 0);
    assert_true(bs_candle_held_from(b) == INT64_MIN);
    bs_candle_builder_free(b);
    bs_candle_builder_free(NULL);
}

static void test_open_is_earliest_by_exchange_time_close_the_latest(void **state) {
    (void)state;
    got g;
    bs_candle_builder *b = builder(&g, 2 * SEC);
    add(b, T0 + 10 * SEC, T0 + 11 * SEC, 100, 1, 3);
    add(b, T0 + 20 * SEC, T0 + 21 * SEC, 105, 2, 4);
    add(b, T0 + 5 * SEC, T0 + 22 * SEC, 99, 0.5, 2); /* arrives last, happened first */
    assert_int_equal(g.n, 0);
    add(b, T0 + MIN + 1, T0 + MIN + SEC, 101, 1, 5); /* a later minute closes this one */
    assert_int_equal(g.n, 1);
    expect_candle(&g.c[0], T0, 99, 105, 99, 105, 3.5, 3);
    assert_true(g.c[0].recv_us == T0 + 22 * SEC); /* the receipt of the last trade received */
    bs_candle_stats s = bs_candle_get_stats(b);
    assert_int_equal(s.trades, 4);
    assert_int_equal(s.candles, 1);
    bs_candle_builder_free(b);
}

static void test_ties_go_by_trade_id_then_arrival(void **state) {
    (void)state;
    got g;
    bs_candle_builder *b = builder(&g, 2 * SEC);
    add(b, T0 + SEC, 1, 10, 1, 7);
    add(b, T0 + SEC, 2, 11, 1, 5); /* same time, lower id: opens */
    add(b, T0 + 2 * SEC, 3, 12, 1, -1);
    add(b, T0 + 2 * SEC, 4, 13, 1, -1); /* same time, no ids: the last to arrive closes */
    bs_candle_flush(b);
    assert_int_equal(g.n, 1);
    expect_candle(&g.c[0], T0, 11, 13, 10, 13, 4, 4);
    bs_candle_builder_free(b);
}

static void test_minutes_without_trades_are_emitted_empty(void **state) {
    (void)state;
    got g;
    bs_candle_builder *b = builder(&g, 2 * SEC);
    add(b, T0 + 30 * SEC, T0 + 30 * SEC, 100, 1, 1);
    add(b, T0 + 3 * MIN + SEC, T0 + 3 * MIN + SEC, 90, 1, 2);
    assert_int_equal(g.n, 3);
    expect_candle(&g.c[0], T0, 100, 100, 100, 100, 1, 1);
    expect_candle(&g.c[1], T0 + MIN, 100, 100, 100, 100, 0, 0);
    expect_candle(&g.c[2], T0 + 2 * MIN, 100, 100, 100, 100, 0, 0);
    assert_true(g.c[1].recv_us == 0);
    assert_int_equal(bs_candle_get_stats(b).empty, 2);
    bs_candle_builder_free(b);
}

static void test_late_trades_are_counted_and_reported_not_merged(void **state) {
    (void)state;
    got g;
    bs_candle_builder *b = builder(&g, 2 * SEC);
    add(b, T0 + 59 * SEC, T0 + 59 * SEC, 100, 1, 1);
    add(b, T0 + MIN, T0 + MIN, 101, 1, 2);
    add(b, T0 + 58 * SEC, T0 + MIN + 1, 500, 9, 3); /* its minute is out already */
    assert_int_equal(g.n_late, 1);
    assert_true(g.late[0].id == 3);
    bs_candle_flush(b);
    assert_int_equal(g.n, 2);
    expect_candle(&g.c[0], T0, 100, 100, 100, 100, 1, 1);
    expect_candle(&g.c[1], T0 + MIN, 101, 101, 101, 101, 1, 1);
    add(b, T0 + MIN + SEC, T0 + 2 * MIN, 1, 1, 4); /* after a flush, the flushed minute is late */
    bs_candle_stats s = bs_candle_get_stats(b);
    assert_int_equal(s.late, 2);
    assert_int_equal(s.trades, 2);
    /* and the first trade's minute: an earlier one arriving after it is late too */
    got g2;
    bs_candle_builder *b2 = builder(&g2, 2 * SEC);
    add(b2, T0 + MIN, 1, 10, 1, 2);
    add(b2, T0 + 59 * SEC, 2, 10, 1, 1);
    assert_int_equal(g2.n_late, 1);
    bs_candle_builder_free(b2);
    bs_candle_builder_free(b);
}

static void test_clock_closes_a_minute_after_its_end_plus_grace(void **state) {
    (void)state;
    got g;
    bs_candle_builder *b = builder(&g, 2 * SEC);
    /* traded at :59.5, received 100 ms later: the exchange's clock is recv's + 0.4 s behind */
    add(b, T0 + 59500000, T0 + 59600000, 100, 1, 1);
    bs_candle_clock(b, T0 + 59600000 + 2400000); /* exchange time 61.9 s: within the grace */
    assert_int_equal(g.n, 0);
    add(b, T0 + 59800000, T0 + 62000000, 101, 1, 2); /* so this one still counts */
    assert_int_equal(g.n_late, 0);
    bs_candle_clock(b, T0 + 62000000 + 2000000); /* the last trade's 59.8 + 2.0 = 61.8 s */
    assert_int_equal(g.n, 0);
    bs_candle_clock(b, T0 + 62000000 + 2200000); /* 62.0 s: the minute is over */
    assert_int_equal(g.n, 1);
    expect_candle(&g.c[0], T0, 100, 101, 100, 101, 2, 2);
    add(b, T0 + 59900000, T0 + 64300000, 102, 1, 3);
    assert_int_equal(g.n_late, 1);
    /* three minutes pass without a trade: the clock runs from the last trade received (the
     * late one: 59.9 s at 64.3 s), so it is at 239.9 s and minutes 1 and 2 are over */
    bs_candle_clock(b, T0 + 64300000 + 3 * MIN);
    assert_int_equal(g.n, 3);
    expect_candle(&g.c[1], T0 + MIN, 101, 101, 101, 101, 0, 0);
    expect_candle(&g.c[2], T0 + 2 * MIN, 101, 101, 101, 101, 0, 0);
    bs_candle_builder_free(b);
}

static void test_resume_continues_after_the_stored_candle(void **state) {
    (void)state;
    got g;
    bs_candle_builder *b = builder(&g, 2 * SEC);
    bs_tick last = {T0 + 10 * MIN, 49, 51, 48, 50, 3, 7, 0};
    bs_candle_resume(b, &last);
    add(b, T0 + 10 * MIN + SEC, 1, 70, 1, 1); /* the stored minute: late */
    add(b, T0 + 12 * MIN + SEC, 2, 60, 2, 2);
    bs_candle_flush(b);
    assert_int_equal(g.n_late, 1);
    assert_int_equal(g.n, 2);
    expect_candle(&g.c[0], T0 + 11 * MIN, 50, 50, 50, 50, 0, 0);
    expect_candle(&g.c[1], T0 + 12 * MIN, 60, 60, 60, 60, 2, 1);
    bs_tick later = {T0 + 20 * MIN, 1, 1, 1, 1, 1, 1, 0};
    bs_candle_resume(b, &later); /* a builder that has begun: ignored */
    add(b, T0 + 14 * MIN, 3, 61, 1, 3);
    assert_int_equal(g.n, 3);
    expect_candle(&g.c[2], T0 + 13 * MIN, 60, 60, 60, 60, 0, 0);
    bs_candle_builder_free(b);
}

static void test_held_minutes_wait_for_the_fill_which_replaces_them(void **state) {
    (void)state;
    got g;
    bs_candle_builder *b = builder(&g, 2 * SEC);
    add(b, T0 + SEC, 1, 100, 1, 1);
    bs_candle_hold(b, T0 + MIN + 30 * SEC); /* a gap found in minute 1 */
    assert_true(bs_candle_held_from(b) == T0 + MIN);
    add(b, T0 + MIN + 40 * SEC, 2, 110, 1, 10);
    add(b, T0 + 2 * MIN + SEC, 3, 120, 1, 11);
    add(b, T0 + 3 * MIN + SEC, 4, 130, 1, 12);
    add(b, T0 + 4 * MIN + SEC, 5, 140, 1, 13);
    assert_int_equal(g.n, 1); /* minute 0 only: 1, 2 and 3 are held */
    assert_int_equal(bs_candle_get_stats(b).held, 3);
    /* the exchange's candles: minute 1 only (none for minute 2), complete up to minute 3 */
    bs_tick fill[] = {
        {T0 + MIN, 105, 111, 104, 109, 5, 9, 0},
        {T0 + 7 * MIN, 1, 1, 1, 1, 1, 1, 0}, /* outside the held range: ignored */
    };
    bs_candle_fill(b, fill, 2, T0 + 3 * MIN);
    assert_true(bs_candle_held_from(b) == INT64_MIN);
    assert_int_equal(g.n, 4);
    expect_candle(&g.c[1], T0 + MIN, 105, 111, 104, 109, 5, 9);
    expect_candle(&g.c[2], T0 + 2 * MIN, 109, 109, 109, 109, 0, 0); /* the fill's word wins */
    expect_candle(&g.c[3], T0 + 3 * MIN, 130, 130, 130, 130, 1, 1); /* built from the trades */
    bs_candle_flush(b);
    expect_candle(&g.c[4], T0 + 4 * MIN, 140, 140, 140, 140, 1, 1);
    bs_candle_stats s = bs_candle_get_stats(b);
    assert_int_equal(s.filled, 1);
    assert_int_equal(s.held, 0);
    assert_int_equal(s.candles, 5);
    bs_candle_builder_free(b);
}

static void test_a_fill_past_the_open_minute_supersedes_it(void **state) {
    (void)state;
    got g;
    bs_candle_builder *b = builder(&g, 2 * SEC);
    bs_tick last = {T0, 1, 1, 1, 7, 1, 1, 0};
    bs_candle_resume(b, &last);
    bs_candle_hold(b, T0 - MIN); /* before what is stored: held from the next minute on */
    assert_true(bs_candle_held_from(b) == T0 + MIN);
    add(b, T0 + MIN + SEC, 1, 100, 1, 1);
    bs_tick fill[] = {{T0 + MIN + 5, 8, 9, 8, 9, 2, 3, 0}, {T0 + MIN, 8, 9, 8, 8.5, 2, 3, 0}};
    bs_candle_fill(b, fill, 2, T0 + 3 * MIN);
    assert_int_equal(g.n, 2);
    expect_candle(&g.c[0], T0 + MIN, 8, 9, 8, 8.5, 2, 3); /* two for a minute: the later one */
    expect_candle(&g.c[1], T0 + 2 * MIN, 8.5, 8.5, 8.5, 8.5, 0, 0);
    add(b, T0 + 2 * MIN, 2, 1, 1, 2); /* filled already: late */
    assert_int_equal(g.n_late, 1);
    add(b, T0 + 4 * MIN, 3, 1, 1, 3);
    assert_int_equal(g.n, 3);
    expect_candle(&g.c[2], T0 + 3 * MIN, 8.5, 8.5, 8.5, 8.5, 0, 0);
    bs_candle_builder_free(b);
}

static void test_empty_minutes_follow_a_fill_that_began_with_nothing(void **state) {
    (void)state;
    got g;
    bs_candle_builder *b = builder(&g, 0);
    add(b, T0 + 12 * MIN, T0 + 12 * MIN, 100, 1, 1);
    bs_candle_hold(b, T0 + 3 * MIN);
    bs_candle_fill(b, NULL, 0, T0 + 13 * MIN); /* no candles, no close known: nothing to write */
    assert_int_equal(g.n, 0);
    bs_candle_hold(b, T0 + 13 * MIN);
    bs_candle_hold(b, T0 + 25 * MIN);
    bs_candle_clock(b, T0 + 23 * MIN); /* minutes 13 to 22 close, held */
    bs_tick fill = {T0 + 17 * MIN, 5, 6, 4, 5.5, 1, 2, 0};
    bs_candle_fill(b, &fill, 1, T0 + 21 * MIN);
    assert_int_equal(g.n, 6); /* 17 from the fill, 18 to 20 empty, 21 and 22 released empty */
    expect_candle(&g.c[5], T0 + 22 * MIN, 5.5, 5.5, 5.5, 5.5, 0, 0);
    bs_candle_fill(b, NULL, 0, T0 + 27 * MIN); /* the second hold, at 25, filled with nothing */
    assert_int_equal(g.n, 10); /* 23 and 24 (not held), then 25 and 26: all empty, in order */
    expect_candle(&g.c[6], T0 + 23 * MIN, 5.5, 5.5, 5.5, 5.5, 0, 0);
    expect_candle(&g.c[9], T0 + 26 * MIN, 5.5, 5.5, 5.5, 5.5, 0, 0);
    bs_candle_builder_free(b);
}

static void test_volume_is_a_compensated_sum(void **state) {
    (void)state;
    got g;
    bs_candle_builder *b = builder(&g, 2 * SEC);
    for (int i = 0; i < 10; i++) add(b, T0 + i, 0, 1, 0.1, i);
    add(b, T0 + MIN, 0, 1, 1e8, 100);
    for (int i = 0; i < 1000; i++) add(b, T0 + MIN + 1 + i, 0, 1, 1e-8, 101 + i);
    bs_candle_flush(b);
    assert_true(g.c[0].volume == 1.0);             /* math.fsum; a plain sum: 0.9999999999999999 */
    assert_true(g.c[1].volume == 100000000.00001); /* a plain sum: 100000000.0000149 */
    bs_candle_builder_free(b);
}

/* --- seeded random streams against tests/tools/candles.py ---------------------------------- */

static uint64_t rng_state;
static uint64_t rnd(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}
static int64_t rnd_in(int64_t lo, int64_t hi) {
    return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1));
}

typedef struct {
    FILE *events;
} stream;

static void s_trade(stream *s, int64_t ts, int64_t recv, double price, double qty, int64_t id) {
    fprintf(s->events, "T,%lld,%lld,%.17g,%.17g,%lld\n", (long long)ts, (long long)recv, price, qty,
            (long long)id);
}

static int overlapping_holds; /* holds made while another stood, over all streams */

/* Writes one random stream of events (the format tests/tools/candles.py describes). */
static void random_stream(stream *s, uint64_t seed) {
    rng_state = seed * 2654435761u + 1;
    int64_t grace = rnd_in(0, 3) * SEC;
    fprintf(s->events, "G,%lld\n", (long long)grace);
    if (seed % 3 == 0) {
        bs_tick last = {T0 - MIN, 100, 101, 99, 100.5, 3, 2, 0};
        fprintf(s->events, "R,%lld,%.17g,%.17g,%.17g,%.17g,%.17g,%lld\n", (long long)last.ts_us,
                last.open, last.high, last.low, last.close, last.volume, (long long)last.trades);
    }
    int64_t now = T0 + rnd_in(0, 59) * SEC, id = 1000, top = now, clock_top = now;
    double price = 100;
    int64_t holds[4]; /* the holds standing, oldest first (each at or after the ones before) */
    int n_holds = 0;
    for (int i = 0; i < 3000; i++) {
        int64_t r = rnd_in(0, 999);
        if (r < 5) now += rnd_in(1, 5) * MIN; /* a quiet spell: empty minutes */
        else now += rnd_in(0, 3000) * 1000;
        price *= 1 + ((double)rnd_in(-100, 100)) / 10000;
        price = (double)(int64_t)(price * 100) / 100;
        double qty = (double)rnd_in(1, 100000000) / 1e8;
        int64_t ts = now - rnd_in(0, 1500) * 1000;               /* out of order by up to 1.5 s */
        if (rnd_in(0, 99) < 2) ts = now - rnd_in(60, 200) * SEC; /* a straggler: late */
        int64_t recv = now + rnd_in(0, 300) * 1000;
        int64_t tid = rnd_in(0, 19) == 0 ? id : ++id; /* some ties on the id */
        if (ts > top) top = ts;
        s_trade(s, ts, recv, price, qty, tid);
        if (rnd_in(0, 49) == 0) {
            int64_t at = recv + rnd_in(0, 5000) * 1000;
            fprintf(s->events, "C,%lld\n", (long long)at);
            int64_t est = ts + (at - recv);
            if (est > clock_top) clock_top = est;
        }
        if (n_holds < 4 && rnd_in(0, 299) == 0) { /* a gap; maybe a second while one stands */
            int64_t at = (top > clock_top ? top : clock_top) + rnd_in(0, 60) * SEC;
            fprintf(s->events, "H,%lld\n", (long long)at);
            if (n_holds > 0) overlapping_holds++;
            holds[n_holds++] = at / MIN * MIN;
        } else if (n_holds > 0 && rnd_in(0, 99) == 0) {
            int64_t from = holds[0], until = from + rnd_in(1, 6) * MIN;
            bs_tick fill[8];
            size_t n = 0;
            for (int64_t k = from - MIN; k < until + MIN && n < 8; k += MIN) {
                if (rnd_in(0, 2) == 0) continue; /* no candle for this minute */
                double p = price + (double)rnd_in(-50, 50);
                fill[n++] = (bs_tick){
                    k + rnd_in(0, 59) * SEC, p, p + 2, p - 2, p + 1, (double)rnd_in(1, 1000) / 8,
                    rnd_in(1, 50),           0};
            }
            fprintf(s->events, "F,%lld,%zu\n", (long long)until, n);
            for (size_t k = 0; k < n; k++)
                fprintf(s->events, "K,%lld,%.17g,%.17g,%.17g,%.17g,%.17g,%lld\n",
                        (long long)fill[k].ts_us, fill[k].open, fill[k].high, fill[k].low,
                        fill[k].close, fill[k].volume, (long long)fill[k].trades);
            int kept = 0; /* the holds the fill covered end */
            for (int h = 0; h < n_holds; h++)
                if (holds[h] >= until) holds[kept++] = holds[h];
            n_holds = kept;
            if (until > clock_top) clock_top = until;
        }
    }
    if (n_holds > 0) { /* a fill that brings nothing: the held minutes become empty ones */
        int64_t until = holds[n_holds - 1] + 2 * MIN;
        fprintf(s->events, "F,%lld,0\n", (long long)until);
    }
    fprintf(s->events, "X\n");
}

/* Folds an events file into a builder with the file's grace; candles go to g (and g->out). */
static bs_candle_stats fold_events(const char *path, got *g, FILE *out) {
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[256];
    bs_candle_builder *b = NULL;
    bs_tick fill[64];
    size_t n_fill = 0, want_fill = 0;
    long long until = 0;
    while (fgets(line, sizeof line, f)) {
        long long a, c, n;
        double o, h, l, cl, v;
        bs_trade t = {0, 0, 0, 0, 0, -1};
        switch (line[0]) {
        case 'G':
            assert_int_equal(sscanf(line, "G,%lld", &a), 1);
            b = builder(g, a);
            g->out = out;
            break;
        case 'R':
        case 'K':
            assert_int_equal(
                sscanf(line + 2, "%lld,%lf,%lf,%lf,%lf,%lf,%lld", &a, &o, &h, &l, &cl, &v, &n), 7);
            if (line[0] == 'R') {
                bs_tick last = {a, o, h, l, cl, v, n, 0};
                bs_candle_resume(b, &last);
                break;
            }
            assert_true(n_fill < 64);
            fill[n_fill++] = (bs_tick){a, o, h, l, cl, v, n, 0};
            if (n_fill == want_fill) bs_candle_fill(b, fill, n_fill, until);
            break;
        case 'T':
            assert_int_equal(sscanf(line, "T,%lld,%lld,%lf,%lf,%lld", &a, &c, &t.price, &t.qty, &n),
                             5);
            t.ts_us = a, t.recv_us = c, t.id = n;
            bs_candle_add(b, &t);
            break;
        case 'C':
            assert_int_equal(sscanf(line, "C,%lld", &a), 1);
            bs_candle_clock(b, a);
            break;
        case 'H':
            assert_int_equal(sscanf(line, "H,%lld", &a), 1);
            bs_candle_hold(b, a);
            break;
        case 'F':
            assert_int_equal(sscanf(line, "F,%lld,%lld", &until, &n), 2);
            n_fill = 0, want_fill = (size_t)n;
            if (n == 0) bs_candle_fill(b, NULL, 0, until);
            break;
        case 'X': bs_candle_flush(b); break;
        default: fail_msg("events line: %s", line);
        }
    }
    fclose(f);
    bs_candle_stats st = bs_candle_get_stats(b);
    bs_candle_builder_free(b);
    return st;
}

/* Compares the builder's candles file with the script's, line by line. */
static void compare(const char *got_path, const char *want_path, uint64_t seed) {
    FILE *a = fopen(got_path, "r"), *w = fopen(want_path, "r");
    assert_non_null(a);
    assert_non_null(w);
    char la[256], lw[256];
    size_t line = 0;
    for (;;) {
        char *ra = fgets(la, sizeof la, a), *rw = fgets(lw, sizeof lw, w);
        line++;
        if (!ra && !rw) break;
        if (!ra || !rw)
            fail_msg("seed %llu: line %zu: only one side has it: %s", (unsigned long long)seed,
                     line, ra ? la : lw);
        if (strcmp(la, lw) == 0) continue;
        /* equal but for the volume's last bits? (compensated sum vs math.fsum) */
        long long ta, tw, na, nw, ra_, rw_;
        double oa, ha, loa, ca, va, ow, hw, lw_, cw, vw;
        if (sscanf(la, "%lld,%lf,%lf,%lf,%lf,%lf,%lld,%lld", &ta, &oa, &ha, &loa, &ca, &va, &na,
                   &ra_) != 8 ||
            sscanf(lw, "%lld,%lf,%lf,%lf,%lf,%lf,%lld,%lld", &tw, &ow, &hw, &lw_, &cw, &vw, &nw,
                   &rw_) != 8 ||
            ta != tw || oa != ow || ha != hw || loa != lw_ || ca != cw || na != nw || ra_ != rw_ ||
            !(va - vw <= 1e-12 * vw && vw - va <= 1e-12 * vw))
            fail_msg("seed %llu: line %zu:\n  builder: %s  script:  %s", (unsigned long long)seed,
                     line, la, lw);
    }
    fclose(a);
    fclose(w);
}

static void test_random_streams_match_the_independent_computation(void **state) {
    (void)state;
    if (system("python3 -c 'import math' >/dev/null 2>&1") != 0) skip();
    const char *src = getenv("BS_SOURCE_DIR");
    char dir[128], events[256], got_path[256], want_path[256], cmd[1024];
    test_tmpdir(dir, sizeof dir, "candle");
    snprintf(events, sizeof events, "%s/events.csv", dir);
    snprintf(got_path, sizeof got_path, "%s/got.csv", dir);
    snprintf(want_path, sizeof want_path, "%s/want.csv", dir);
    uint64_t total_late = 0, total_empty = 0, total_filled = 0;
    for (uint64_t seed = 1; seed <= 12; seed++) {
        static got g;
        stream s;
        s.events = fopen(events, "w");
        assert_non_null(s.events);
        random_stream(&s, seed);
        assert_int_equal(fclose(s.events), 0);
        FILE *out = fopen(got_path, "w");
        assert_non_null(out);
        bs_candle_stats st = fold_events(events, &g, out);
        fprintf(out, "late,%llu\n", (unsigned long long)st.late);
        assert_int_equal(fclose(out), 0);
        assert_int_equal(st.late, g.n_late);
        assert_int_equal(st.candles, g.n);
        total_late += st.late, total_empty += st.empty, total_filled += st.filled;
        snprintf(cmd, sizeof cmd, "python3 '%s/tests/tools/candles.py' '%s' > '%s'",
                 src ? src : "..", events, want_path);
        assert_int_equal(system(cmd), 0);
        compare(got_path, want_path, seed);
    }
    /* the streams did exercise what they are for */
    assert_true(total_late > 10);
    assert_true(total_empty > 10);
    assert_true(total_filled > 0);
    assert_true(overlapping_holds > 0);
    assert_int_equal(test_rmtree(dir), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_and_bad_options),
        cmocka_unit_test(test_open_is_earliest_by_exchange_time_close_the_latest),
        cmocka_unit_test(test_ties_go_by_trade_id_then_arrival),
        cmocka_unit_test(test_minutes_without_trades_are_emitted_empty),
        cmocka_unit_test(test_late_trades_are_counted_and_reported_not_merged),
        cmocka_unit_test(test_clock_closes_a_minute_after_its_end_plus_grace),
        cmocka_unit_test(test_resume_continues_after_the_stored_candle),
        cmocka_unit_test(test_held_minutes_wait_for_the_fill_which_replaces_them),
        cmocka_unit_test(test_a_fill_past_the_open_minute_supersedes_it),
        cmocka_unit_test(test_empty_minutes_follow_a_fill_that_began_with_nothing),
        cmocka_unit_test(test_volume_is_a_compensated_sum),
        cmocka_unit_test(test_random_streams_match_the_independent_computation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
