/*
 * parquet_gen.c - writes deterministic Parquet files through libbtcstream's writer, for the
 * Parquet tests (which recompute the expected values independently) and the write benchmark.
 *
 *   bench_parquet_gen predictions PATH CODEC ROWS [ROW_GROUP_ROWS]
 *       row i: timestamp = 1700000000 s + i minutes, Close = 30000 + (i % 10007) / 100,
 *              prediction = Close + (i % 13) - 6, baseline = Close - 1 + (i % 3)
 *   bench_parquet_gen edge PATH CODEC
 *       strings (empty, accents, CJK, emoji), doubles (-0.0, NaN, +-infinity, tiny, huge),
 *       INT64 extremes and timestamps before and after 1970
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btcstream/parquet.h"

#define BATCH 65536

static int predictions(const char *path, bs_parquet_options *o, long rows) {
    bs_parquet_column cols[] = {{"timestamp", BS_PARQUET_TIMESTAMP_MICROS},
                                {"Close", BS_PARQUET_DOUBLE},
                                {"prediction", BS_PARQUET_DOUBLE},
                                {"baseline", BS_PARQUET_DOUBLE}};
    bs_parquet_writer *w;
    bs_error err = {{0}};
    if (bs_parquet_writer_open(path, cols, 4, o, &w, &err) != BS_OK)
        return fprintf(stderr, "%s\n", err.msg), 1;
    static int64_t ts[BATCH];
    static double close[BATCH], pred[BATCH], base[BATCH];
    for (long start = 0; start < rows; start += BATCH) {
        long n = rows - start < BATCH ? rows - start : BATCH;
        for (long k = 0; k < n; k++) {
            long i = start + k;
            ts[k] = INT64_C(1700000000000000) + (int64_t)i * 60000000;
            close[k] = 30000 + (double)(i % 10007) / 100;
            pred[k] = close[k] + (double)(i % 13) - 6;
            base[k] = close[k] - 1 + (double)(i % 3);
        }
        const void *values[] = {ts, close, pred, base};
        if (bs_parquet_write(w, (size_t)n, values, &err) != BS_OK) {
            bs_parquet_writer_abort(w);
            return fprintf(stderr, "%s\n", err.msg), 1;
        }
    }
    if (bs_parquet_writer_close(w, &err) != BS_OK) return fprintf(stderr, "%s\n", err.msg), 1;
    return 0;
}

static int edge(const char *path, bs_parquet_options *o) {
    const char *names[] = {"",
                           "plain ascii",
                           "caf\xc3\xa9",
                           "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
                           "rocket \xf0\x9f\x9a\x80",
                           "z"};
    double values[] = {-0.0, NAN, INFINITY, -INFINITY, 1e-300, 1.7976931348623157e308};
    int64_t ints[] = {0, -1, INT64_MAX, INT64_MIN, 42, 7};
    int64_t ts[] = {0, -86400000000, INT64_C(1747012974181814), 1, -1, INT64_C(253402300799000000)};
    bs_parquet_column cols[] = {{"name", BS_PARQUET_STRING},
                                {"value", BS_PARQUET_DOUBLE},
                                {"n", BS_PARQUET_INT64},
                                {"ts", BS_PARQUET_TIMESTAMP_MICROS}};
    const void *data[] = {names, values, ints, ts};
    bs_parquet_writer *w;
    bs_error err = {{0}};
    if (bs_parquet_writer_open(path, cols, 4, o, &w, &err) != BS_OK ||
        bs_parquet_write(w, 6, data, &err) != BS_OK || bs_parquet_writer_close(w, &err) != BS_OK)
        return fprintf(stderr, "%s\n", err.msg), 1;
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s predictions|edge PATH CODEC [ROWS [ROW_GROUP_ROWS]]\n", argv[0]);
        return 2;
    }
    bs_parquet_options o = {BS_PARQUET_SNAPPY, argc > 5 ? (size_t)atol(argv[5]) : 0, 0};
    bs_error err = {{0}};
    if (bs_parquet_codec_parse(argv[3], &o.codec, &err) != BS_OK)
        return fprintf(stderr, "%s\n", err.msg), 2;
    if (strcmp(argv[1], "predictions") == 0)
        return predictions(argv[2], &o, argc > 4 ? atol(argv[4]) : 0);
    if (strcmp(argv[1], "edge") == 0) return edge(argv[2], &o);
    fprintf(stderr, "unknown kind %s\n", argv[1]);
    return 2;
}
