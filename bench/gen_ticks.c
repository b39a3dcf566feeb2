/*
 * gen_ticks.c - writes a deterministic tick history for benchmarks: N ticks in the tick JSON
 * lines format, prices from a geometric random walk starting near 30,000 USD, and irregular gaps
 * (mostly 30 s, sometimes a few seconds, sometimes minutes of silence), like a real feed.
 *
 *   bench_gen_ticks N SEED > history.json
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "btcstream/tick.h"

static uint64_t state;

static double uniform(void) { /* xorshift64*: fast, deterministic, good enough for prices */
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return (double)((state * UINT64_C(2685821657736338717)) >> 11) / 9007199254740992.0;
}

static double normal(void) {
    double u = uniform(), v = uniform();
    return sqrt(-2.0 * log(u + 1e-300)) * cos(2 * M_PI * v);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s N [SEED]\n", argv[0]);
        return 2;
    }
    long long n = atoll(argv[1]);
    state = argc > 2 ? strtoull(argv[2], NULL, 10) * 2654435761u + 1 : 42;
    int64_t ts = INT64_C(1672531200000000); /* 2023-01-01 */
    double price = 30000;
    static char out[1 << 16];
    setvbuf(stdout, out, _IOFBF, sizeof out);
    for (long long i = 0; i < n; i++) {
        double r = uniform();
        int64_t gap_s = r < 0.8    ? 30
                        : r < 0.95 ? 1 + (int64_t)(uniform() * 29)
                                   : 60 + (int64_t)(uniform() * 600);
        ts += gap_s * 1000000 + (int64_t)(uniform() * 999999);
        double open = price;
        price *= exp(0.0006 * normal());
        price = round(price * 100) / 100;
        bs_tick t = {ts,
                     open,
                     fmax(open, price) * (1 + 0.0005 * uniform()),
                     fmin(open, price) * (1 - 0.0005 * uniform()),
                     price,
                     round(uniform() * 1e10),
                     BS_TRADES_UNKNOWN,
                     0};
        t.high = round(t.high * 100) / 100;
        t.low = round(t.low * 100) / 100;
        char line[BS_TICK_JSON_MAX];
        fwrite(line, 1, bs_tick_format_json(&t, line), stdout);
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
