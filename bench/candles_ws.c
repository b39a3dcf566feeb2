/*
 * candles_ws.c - the candles benchmark end to end: trade messages from a local WebSocket server
 * (bench/candles_ws_server.js) read, parsed and folded into candles, with the latency from each
 * socket read to the candle update of each message in it. A minimal bench-only client (plain
 * ws:// on 127.0.0.1: the handshake and the server's unmasked frames), so that what is measured is
 * the socket plus bs_exchange_parse() and the builder; the feed runner's libwebsockets client
 * (lib/ws_client.c on the feeds branch) takes its place once merged. Prints
 *   messages trades candles late wall_s cpu_s trades_per_wall_s trades_per_cpu_s p50_us p99_us
 *   checksum
 *   bench_candles_ws PORT [GRACE_MS=2000]
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "btcstream/candle.h"
#include "btcstream/timeutil.h"
#include "btcstream/trade.h"

#define BUCKET_NS 100
#define BUCKETS 1000000 /* 100 ms in 100 ns steps; longer waits land in the last */

static uint32_t hist[BUCKETS];
static double checksum;

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

static double percentile(uint64_t n, double q) {
    uint64_t want = (uint64_t)(q * (double)n), seen = 0;
    for (size_t i = 0; i < BUCKETS; i++)
        if ((seen += hist[i]) > want) return (double)(i + 1) * BUCKET_NS / 1000.0;
    return (double)BUCKETS * BUCKET_NS / 1000.0;
}

static int handshake(int fd, int port) {
    char req[256];
    int n = snprintf(req, sizeof req,
                     "GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
                     "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                     "Sec-WebSocket-Version: 13\r\n\r\n",
                     port);
    if (write(fd, req, (size_t)n) != n) return 0;
    char head[1024];
    size_t got = 0;
    while (got < sizeof head - 1) { /* byte by byte: the frames after the head stay unread */
        if (read(fd, head + got, 1) != 1) return 0;
        got++;
        head[got] = '\0';
        if (got >= 4 && memcmp(head + got - 4, "\r\n\r\n", 4) == 0)
            return strncmp(head, "HTTP/1.1 101", 12) == 0;
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: bench_candles_ws PORT [GRACE_MS]\n");
        return 2;
    }
    int port = atoi(argv[1]);
    bs_candle_options o = bs_candle_defaults();
    o.grace_us = (argc > 2 ? atoll(argv[2]) : 2000) * 1000;
    o.on_candle = on_candle;
    bs_candle_builder *b;
    if (bs_candle_builder_new(&o, &b, NULL) != BS_OK) return 1;
    bs_feed_events ev = {on_trade, NULL, NULL, b};

    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || !handshake(fd, port)) {
        fprintf(stderr, "bench_candles_ws: cannot open ws://127.0.0.1:%d/\n", port);
        return 1;
    }
    size_t cap = 64 << 10, have = 0; /* reads of up to 64 KB, as a WebSocket library makes them */
    char *buf = malloc(cap);
    uint64_t messages = 0, refused = 0;
    int64_t t0 = mono_ns();
    int done = 0;
    while (!done) {
        ssize_t got = read(fd, buf + have, cap - have);
        if (got <= 0) break;
        int64_t read_ns = mono_ns(), recv_us = bs_now_us();
        have += (size_t)got;
        size_t p = 0;
        for (;;) { /* every whole frame in the buffer */
            if (have - p < 2) break;
            unsigned char b0 = (unsigned char)buf[p], b1 = (unsigned char)buf[p + 1];
            size_t head = 2, len = b1 & 0x7f;
            if (len == 126) {
                if (have - p < 4) break;
                len = ((size_t)(unsigned char)buf[p + 2] << 8) | (unsigned char)buf[p + 3];
                head = 4;
            } else if (len == 127) {
                if (have - p < 10) break;
                len = 0;
                for (int i = 2; i < 10; i++) len = len << 8 | (unsigned char)buf[p + i];
                head = 10;
            }
            if (have - p < head + len) break;
            if ((b0 & 0x0f) == 8) {
                done = 1;
                break;
            }
            if ((b0 & 0x0f) == 1) {
                bs_candle_clock(b, recv_us);
                if (bs_exchange_parse(BS_EXCHANGE_BINANCE, buf + p + head, len, recv_us, &ev,
                                      NULL) != BS_OK)
                    refused++;
                int64_t waited = (mono_ns() - read_ns) / BUCKET_NS;
                hist[waited < BUCKETS ? waited : BUCKETS - 1]++;
                messages++;
            }
            p += head + len;
        }
        memmove(buf, buf + p, have - p);
        have -= p;
        if (have == cap) { /* one frame larger than the buffer */
            cap *= 2;
            if (!(buf = realloc(buf, cap))) return 1;
        }
    }
    double wall = (double)(mono_ns() - t0) / 1e9;
    bs_candle_flush(b);
    bs_candle_stats st = bs_candle_get_stats(b);
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
        fprintf(stderr, "bench_candles_ws: %llu messages refused\n", (unsigned long long)refused);
    close(fd);
    free(buf);
    bs_candle_builder_free(b);
    return 0;
}
