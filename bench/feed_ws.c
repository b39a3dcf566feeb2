/*
 * feed_ws.c - the feed's own WebSocket client end to end: trade messages from a local WebSocket
 * server (bench/candles_ws_server.js) received by lib/ws_client.c (libwebsockets' raw connection,
 * TLS and frames as the feed runner reads them), parsed and folded into candles, with the latency
 * from the socket read to the candle update of each message. One socket read hands over, within
 * one service round, the messages it holds; a message's latency runs from the first message of
 * its round (the read) to its own candle update, so it includes the parse and fold of the
 * messages before it in the read. Prints:
 *   messages trades candles late wall_s cpu_s trades_per_wall_s trades_per_cpu_s p50_us p99_us
 *   checksum
 *   bench_feed_ws PORT [GRACE_MS=2000] [tls]
 * The client is private (lib/ws_client.h): this tool links the library's object files.
 */
#include "../lib/ws_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/resource.h>

#include "btcstream/candle.h"
#include "btcstream/timeutil.h"
#include "btcstream/trade.h"

#define BUCKET_NS 100
#define BUCKETS 1000000 /* 100 ms in 100 ns steps; longer waits land in the last */

static uint32_t hist[BUCKETS];
static double checksum;
static int64_t round_ns, t0_ns;
static uint64_t messages, refused;
static int done;
static bs_candle_builder *builder;

static int64_t mono_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void on_candle(void *ctx, const bs_tick *c) {
    (void)ctx;
    checksum += c->open + c->high + c->low + c->close + c->volume + (double)c->trades;
}

static void on_trade(void *ctx, const char *symbol, const bs_trade *t) {
    (void)symbol;
    bs_candle_add(ctx, t);
}

static void on_open(void *ctx, ws_conn *c) {
    (void)ctx;
    (void)c;
    t0_ns = mono_ns();
}

static void on_message(void *ctx, ws_conn *c, const char *msg, size_t len) {
    (void)ctx;
    (void)c;
    int64_t now = mono_ns();
    if (!round_ns) round_ns = now;
    int64_t recv_us = bs_now_us();
    bs_feed_events ev = {on_trade, NULL, NULL, builder};
    bs_candle_clock(builder, recv_us);
    if (bs_exchange_parse(BS_EXCHANGE_BINANCE, msg, len, recv_us, &ev, NULL) != BS_OK) refused++;
    int64_t waited = (mono_ns() - round_ns) / BUCKET_NS;
    hist[waited < BUCKETS ? waited : BUCKETS - 1]++;
    messages++;
}

static void on_close(void *ctx, ws_conn *c, const char *why) {
    (void)ctx;
    (void)c;
    (void)why;
    done = 1;
}

static double percentile(uint64_t n, double q) {
    uint64_t want = (uint64_t)(q * (double)n), seen = 0;
    for (size_t i = 0; i < BUCKETS; i++)
        if ((seen += hist[i]) > want) return (double)(i + 1) * BUCKET_NS / 1000.0;
    return (double)BUCKETS * BUCKET_NS / 1000.0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: bench_feed_ws PORT [GRACE_MS] [tls]\n");
        return 2;
    }
    bs_candle_options o = bs_candle_defaults();
    o.grace_us = (argc > 2 ? atoll(argv[2]) : 2000) * 1000;
    o.on_candle = on_candle;
    bs_error err = {{0}};
    ws_loop *loop;
    if (bs_candle_builder_new(&o, &builder, &err) != BS_OK ||
        ws_loop_new(NULL, &loop, &err) != BS_OK) {
        fprintf(stderr, "bench_feed_ws: %s\n", err.msg);
        return 1;
    }
    char url[64];
    /* tls: wss://, the CA from BTCSTREAM_CA_FILE as in a feed */
    snprintf(url, sizeof url, "%s://127.0.0.1:%s", argc > 3 && strcmp(argv[3], "tls") == 0 ? "wss" : "ws",
             argv[1]);
    ws_conn conn;
    memset(&conn, 0, sizeof conn);
    ws_handlers h = {on_open, on_message, on_close, NULL};
    if (ws_conn_open(loop, &conn, url, "/", &h, &err) != BS_OK) {
        fprintf(stderr, "bench_feed_ws: %s\n", err.msg);
        return 1;
    }
    while (!done) {
        round_ns = 0;
        ws_loop_service(loop, 50);
    }
    double wall = (double)(mono_ns() - t0_ns) / 1e9;
    bs_candle_flush(builder);
    bs_candle_stats st = bs_candle_get_stats(builder);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    printf("%llu %llu %llu %llu %.3f %.3f %.0f %.0f %.1f %.1f %.6f\n", (unsigned long long)messages,
           (unsigned long long)st.trades, (unsigned long long)st.candles,
           (unsigned long long)st.late, wall, cpu, (double)st.trades / wall,
           (double)st.trades / cpu, percentile(messages, 0.5), percentile(messages, 0.99),
           checksum);
    if (refused)
        fprintf(stderr, "bench_feed_ws: %llu messages refused\n", (unsigned long long)refused);
    ws_loop_free(loop);
    ws_conn_release(&conn);
    bs_candle_builder_free(builder);
    return 0;
}
