/*
 * gen_trades.c - a deterministic recording (raw.h) of N Binance trade messages, for the candles
 * benchmark: about 1,000 trades a second of exchange time, prices on a random walk, exchange
 * times a few milliseconds out of order, one trade in ten thousand seconds late, and a quiet
 * minute now and then.
 *   bench_gen_trades N SEED > trades.jsonl
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "btcstream/raw.h"

static uint64_t state;
static uint64_t next(void) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: bench_gen_trades N SEED\n");
        return 2;
    }
    long long n = atoll(argv[1]);
    state = (uint64_t)atoll(argv[2]) * 2654435761u + 88172645463325252u;
    int64_t t_us = INT64_C(1700000000000000), id = 3000000000;
    int64_t cents = 3700000; /* 37,000.00 */
    static char out[1 << 16];
    setvbuf(stdout, out, _IOFBF, sizeof out);
    for (long long i = 0; i < n; i++) {
        uint64_t r = next();
        t_us += (int64_t)(r % 2000);                        /* 1 ms apart on average */
        if (r % 200000 == 7) t_us += 90 * INT64_C(1000000); /* a quiet spell */
        cents += (int64_t)((r >> 20) % 21) - 10;
        if (cents < 100000) cents = 100000;
        int64_t trade_ms = t_us / 1000 - (int64_t)((r >> 30) % 5); /* a little out of order */
        if ((r >> 40) % 10000000 == 1) trade_ms -= 70000;          /* a late one */
        int64_t recv = t_us + 3000 + (int64_t)((r >> 8) % 2000);
        char msg[256], line[1024];
        int len = snprintf(msg, sizeof msg,
                           "{\"e\":\"trade\",\"E\":%lld,\"s\":\"BTCUSDT\",\"t\":%lld,"
                           "\"p\":\"%lld.%02lld000000\",\"q\":\"0.%08llu\",\"T\":%lld,"
                           "\"m\":%s,\"M\":true}",
                           (long long)(t_us / 1000 + 1), (long long)id++, (long long)(cents / 100),
                           (long long)(cents % 100), (unsigned long long)(1 + (r >> 12) % 20000000),
                           (long long)trade_ms, (r & 1) ? "true" : "false");
        size_t w = bs_raw_format_line("binance:BTCUSDT", recv, msg, (size_t)len, line, sizeof line);
        fwrite(line, 1, w, stdout);
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
