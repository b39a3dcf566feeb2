/*
 * stream_latency.c - the stream processor's latency and throughput, in one process: a producer
 * thread renames stream files into place (at a fixed rate, or as fast as it can) and records
 * when each appeared; the stream processor (trigger 0, inotify) runs in the main thread, and its
 * batch callback records when each tick's batch became durable (history and checkpoint synced).
 *
 *   bench_stream_latency DIR RATE_PER_S COUNT     (RATE 0: as fast as possible; RATE -1: all
 *                                                 COUNT files first, then the stream drains
 *                                                 them: the processor alone, no producer)
 * prints: files, seconds, files/s, p50 ms, p99 ms, max ms, batches
 *
 *   bench_stream_latency --sync-floor DIR COUNT
 * measures the floor under any durable commit on this disk: three small appends, each fsync'd
 * (what a batch does: begin line, history, commit line), COUNT times at 100 per second, and
 * prints: p50 ms, p99 ms, max ms.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "btcstream/producer.h"
#include "btcstream/stream.h"
#include "btcstream/timeutil.h"

static int64_t *renamed_at, *committed_at;
static long count, rate;
static const char *dir;
static atomic_int done;
static long committed;

static void *produce(void *arg) {
    (void)arg;
    bs_producer p;
    bs_error err = {{0}};
    char stream_dir[4096];
    snprintf(stream_dir, sizeof stream_dir, "%s/stream", dir);
    if (bs_producer_open(&p, stream_dir, &err) != BS_OK) {
        fprintf(stderr, "%s\n", err.msg);
        exit(1);
    }
    p.sync = 0; /* measure the stream processor, not the producer's disk */
    int64_t start = bs_monotonic_us();
    for (long i = 0; i < count; i++) {
        if (rate > 0) {
            int64_t due = start + i * 1000000 / rate, now = bs_monotonic_us();
            if (due > now) {
                struct timespec ts = {(due - now) / 1000000, ((due - now) % 1000000) * 1000};
                nanosleep(&ts, NULL);
            }
        }
        bs_tick t = {INT64_C(1700000000000000) + i, 100, 101, 99, 100 + i % 7, 1, BS_TRADES_UNKNOWN, 0};
        if (bs_producer_write(&p, &t, NULL, &err) != BS_OK) {
            fprintf(stderr, "%s\n", err.msg);
            exit(1);
        }
        renamed_at[i] = bs_monotonic_us();
    }
    return NULL;
}

static int on_batch(void *ctx, const bs_batch_report *r) {
    (void)ctx;
    for (size_t i = 0; i < r->rows; i++) {
        long k = (long)(r->ticks[i].ts_us - INT64_C(1700000000000000));
        if (k >= 0 && k < count) committed_at[k] = r->commit_us;
    }
    committed += (long)r->rows;
    if (committed >= count) done = 1;
    return 0;
}

static int cmp(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int sync_floor(const char *where, long n) {
    char path[4096];
    int fd[2];
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/floor%d", where, i);
        fd[i] = open(path, O_WRONLY | O_CREAT | O_APPEND | O_TRUNC, 0644);
        if (fd[i] < 0) return perror(path), 1;
    }
    int64_t *took = calloc((size_t)n, sizeof *took);
    static const char line[] =
        "{\"Datetime\": \"2024-01-01T00:00:00.000000+00:00\", \"Close\": 1}\n";
    for (long i = 0; i < n; i++) {
        int64_t start = bs_monotonic_us();
        for (int k = 0; k < 3; k++) /* log, history, log */
            if (write(fd[k == 1], line, sizeof line - 1) < 0 || fsync(fd[k == 1]) != 0)
                return perror("fsync"), 1;
        took[i] = bs_monotonic_us() - start;
        struct timespec ts = {0, 10000000};
        nanosleep(&ts, NULL);
    }
    qsort(took, (size_t)n, sizeof *took, cmp);
    printf("%.3f %.3f %.3f\n", took[n / 2] / 1e3, took[n * 99 / 100] / 1e3, took[n - 1] / 1e3);
    free(took);
    close(fd[0]);
    close(fd[1]);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "--sync-floor") == 0)
        return sync_floor(argv[2], atol(argv[3]));
    if (argc != 4) {
        fprintf(stderr, "usage: %s DIR RATE_PER_S COUNT\n", argv[0]);
        return 2;
    }
    dir = argv[1];
    rate = atol(argv[2]);
    count = atol(argv[3]);
    renamed_at = calloc((size_t)count, sizeof *renamed_at);
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
    bs_stream_totals totals;
    bs_error err = {{0}};
    pthread_t producer;
    int backlog = rate < 0;
    if (backlog) produce(NULL);
    int64_t start = bs_monotonic_us();
    if (!backlog) pthread_create(&producer, NULL, produce, NULL);
    if (bs_stream_run(&o, &totals, &err) != BS_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    double seconds = (double)(bs_monotonic_us() - start) / 1e6;
    if (!backlog) pthread_join(producer, NULL);
    for (long i = 0; i < count; i++) committed_at[i] -= renamed_at[i];
    qsort(committed_at, (size_t)count, sizeof *committed_at, cmp);
    printf("%ld %.3f %.0f %.3f %.3f %.3f %llu\n", count, seconds, (double)count / seconds,
           committed_at[count / 2] / 1e3, committed_at[count * 99 / 100] / 1e3,
           committed_at[count - 1] / 1e3, (unsigned long long)totals.batches);
    free(renamed_at);
    free(committed_at);
    return 0;
}
