/*
 * bus_latency.c - latency from handing a tick to the transport to its batch being committed
 * (history and checkpoint synced), at a fixed rate, through the bus or through the stream
 * folder, in one process: a producer thread publishes (bs_bus_publish(), as `ingest --bus`) or
 * writes a stream file (bs_producer_write(), fsync'd, as `ingest`) and records when it handed each
 * tick over; the stream processor (trigger 0) runs in the main thread, and its batch callback
 * records when each tick's batch became durable.
 *
 *   bench_bus_latency bus URLS DIR RATE_PER_S COUNT   (the stream must exist: bus init)
 *   bench_bus_latency dir DIR RATE_PER_S COUNT
 * prints: ticks, seconds, p50 ms, p99 ms, max ms, batches
 *
 * Through the bus the ticks are the market bench:LATENCY's; their instants start at this run's
 * wall-clock time, so that a second run against the same stream is not taken for a repeat by the
 * de-duplication window.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "btcstream/bus.h"
#include "btcstream/producer.h"
#include "btcstream/stream.h"
#include "btcstream/timeutil.h"

#define MARKET "bench:LATENCY"

static int64_t *handed_at, *committed_at, base_us;
static long count, rate;
static atomic_int done;
static long committed;
static bs_bus_publisher *publisher;
static bs_producer producer;

static void die(const char *what, const bs_error *err) {
    fprintf(stderr, "bench_bus_latency: %s: %s\n", what, err->msg);
    exit(1);
}

static void *produce(void *arg) {
    (void)arg;
    bs_error err = {{0}};
    int64_t start = bs_monotonic_us();
    for (long i = 0; i < count; i++) {
        int64_t due = start + i * 1000000 / rate, now = bs_monotonic_us();
        if (due > now) {
            struct timespec ts = {(due - now) / 1000000, ((due - now) % 1000000) * 1000};
            nanosleep(&ts, NULL);
        }
        bs_tick t = {base_us + i, 100, 101, 99, 100 + i % 7, 1, BS_TRADES_UNKNOWN, 0};
        handed_at[i] = bs_monotonic_us();
        bs_status st = publisher ? bs_bus_publish(publisher, MARKET, &t, &err)
                                 : bs_producer_write(&producer, &t, NULL, &err);
        if (st != BS_OK) die("publish", &err);
    }
    if (publisher && bs_bus_publisher_flush(publisher, 60 * BS_US_PER_SECOND, &err) != BS_OK)
        die("flush", &err);
    return NULL;
}

static int on_batch(void *ctx, const bs_batch_report *r) {
    (void)ctx;
    for (size_t i = 0; i < r->rows; i++) {
        long k = (long)(r->ticks[i].ts_us - base_us);
        if (k >= 0 && k < count && committed_at[k] == 0) {
            committed_at[k] = r->commit_us;
            committed++;
        }
    }
    if (committed >= count) done = 1;
    return 0;
}

static int cmp(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    int bus = argc == 6 && strcmp(argv[1], "bus") == 0;
    if (!bus && !(argc == 5 && strcmp(argv[1], "dir") == 0)) {
        fprintf(stderr, "usage: %s bus URLS DIR RATE COUNT | dir DIR RATE COUNT\n", argv[0]);
        return 2;
    }
    const char *dir = argv[2 + bus];
    rate = atol(argv[3 + bus]);
    count = atol(argv[4 + bus]);
    if (rate <= 0 || count <= 0) return fprintf(stderr, "RATE and COUNT must be positive\n"), 2;
    base_us = bs_now_us() / BS_US_PER_SECOND * BS_US_PER_SECOND;
    handed_at = calloc((size_t)count, sizeof *handed_at);
    committed_at = calloc((size_t)count, sizeof *committed_at);
    char stream_dir[4096], history[4096];
    snprintf(stream_dir, sizeof stream_dir, "%s/stream", dir);
    snprintf(history, sizeof history, "%s/history.json", dir);
    bs_stream_options o = bs_stream_defaults();
    o.stream_dir = stream_dir;
    o.history = history;
    o.trigger_us = 0;
    o.stop = &done;
    o.on_batch = on_batch;
    bs_error err = {{0}};
    if (bus) {
        bs_bus_options b = bs_bus_defaults();
        b.urls = argv[2];
        char durable[64];
        snprintf(durable, sizeof durable, "latency%lld", (long long)(base_us / BS_US_PER_SECOND));
        if (bs_bus_publisher_open(&b, 0, &publisher, &err) != BS_OK) die("publisher", &err);
        if (bs_bus_consumer_open(&b, durable, &o.bus, &err) != BS_OK) die("consumer", &err);
    } else if (bs_producer_open(&producer, stream_dir, &err) != BS_OK) {
        die("producer", &err);
    }
    pthread_t thread;
    int64_t start = bs_monotonic_us();
    pthread_create(&thread, NULL, produce, NULL);
    bs_stream_totals totals;
    if (bs_stream_run(&o, &totals, &err) != BS_OK) die("stream", &err);
    double seconds = (double)(bs_monotonic_us() - start) / 1e6;
    pthread_join(thread, NULL);
    for (long i = 0; i < count; i++) committed_at[i] -= handed_at[i];
    qsort(committed_at, (size_t)count, sizeof *committed_at, cmp);
    printf("%ld %.3f %.3f %.3f %.3f %llu\n", count, seconds, committed_at[count / 2] / 1e3,
           committed_at[count * 99 / 100] / 1e3, committed_at[count - 1] / 1e3,
           (unsigned long long)totals.batches);
    bs_bus_consumer_close(o.bus);
    bs_bus_publisher_close(publisher);
    free(handed_at);
    free(committed_at);
    return 0;
}
