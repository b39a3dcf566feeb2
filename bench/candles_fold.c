/*
 * candles_fold.c - parse + fold of a recording in process (the candles benchmark's "ours"):
 * bs_raw_replay_candles() over the file, timed around the call alone; prints
 *   trades candles late seconds cpu_seconds trades_per_cpu_second checksum
 * (on a shared machine the wall time includes waiting for a core; the CPU time is one core's work)
 * The checksum (sum of each candle's O+H+L+C+Volume+Trades) lets the peer show it folded alike.
 *   bench_candles_fold FILE [GRACE_MS=2000]
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "btcstream/raw.h"
#include "btcstream/timeutil.h"

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: bench_candles_fold FILE [GRACE_MS]\n");
        return 2;
    }
    int64_t grace = (argc > 2 ? atoll(argv[2]) : 2000) * 1000;
    bs_tick_vec candles = {0};
    bs_raw_stats rs;
    bs_candle_stats cs;
    bs_error err = {{0}};
    int64_t t0 = bs_monotonic_us();
    bs_status st = bs_raw_replay_candles(argv[1], NULL, grace, &candles, &rs, &cs, &err);
    int64_t t1 = bs_monotonic_us();
    if (st != BS_OK) {
        fprintf(stderr, "bench_candles_fold: %s\n", err.msg);
        return 1;
    }
    double sum = 0;
    for (size_t i = 0; i < candles.len; i++) {
        const bs_tick *c = &candles.items[i];
        sum += c->open + c->high + c->low + c->close + c->volume + (double)c->trades;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double secs = (double)(t1 - t0) / 1e6;
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    printf("%llu %zu %llu %.3f %.3f %.0f %.6f\n", (unsigned long long)cs.trades, candles.len,
           (unsigned long long)cs.late, secs, cpu, (double)cs.trades / cpu, sum);
    bs_tick_vec_free(&candles);
    return 0;
}
