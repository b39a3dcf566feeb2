/* Parquet round trips, bit for bit, through our writer and reader; damaged files fail cleanly. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "btcstream/parquet.h"

#define ROWS 2500

static double doubles[ROWS];
static int64_t ints[ROWS], stamps[ROWS];
static char *texts[ROWS];

static void make_data(void) {
    uint64_t nan_payload = UINT64_C(0x7ff8000000000123); /* a NaN with a payload */
    for (size_t i = 0; i < ROWS; i++) {
        doubles[i] = (double)i * 1.5 - 100;
        ints[i] = (int64_t)(i * 7919) - 5000;
        stamps[i] = INT64_C(1700000000000000) + (int64_t)i * 1000003;
        texts[i] = malloc(32);
        snprintf(texts[i], 32, i % 3 ? "tick %zu" : "caf\xc3\xa9 \xf0\x9f\x9a\x80 %zu", i);
    }
    memcpy(&doubles[1], &nan_payload, 8);
    doubles[2] = -0.0;
    doubles[3] = INFINITY;
    doubles[4] = -INFINITY;
    ints[5] = INT64_MIN;
    ints[6] = INT64_MAX;
    texts[7][0] = '\0';
}

static void round_trip(bs_parquet_codec codec, size_t group_rows, size_t rows, int plain_only) {
    const char *path = "/tmp/bs_test_roundtrip.parquet";
    bs_parquet_column cols[] = {{"d", BS_PARQUET_DOUBLE},
                                {"i", BS_PARQUET_INT64},
                                {"t", BS_PARQUET_TIMESTAMP_MICROS},
                                {"s", BS_PARQUET_STRING}};
    const void *values[] = {doubles, ints, stamps, texts};
    bs_parquet_options o = {codec, group_rows, plain_only};
    bs_parquet_writer *w;
    bs_error err = {{0}};
    assert_int_equal(bs_parquet_writer_open(path, cols, 4, &o, &w, &err), BS_OK);
    assert_int_equal(bs_parquet_write(w, rows, values, &err), BS_OK);
    assert_int_equal(bs_parquet_writer_close(w, &err), BS_OK);
    bs_parquet_table t;
    if (bs_parquet_read(path, &t, &err) != BS_OK) fail_msg("%s", err.msg);
    assert_int_equal(t.rows, rows);
    assert_int_equal(t.columns, 4);
    assert_int_equal(bs_parquet_table_find(&t, "t")->type, BS_PARQUET_TIMESTAMP_MICROS);
    if (rows) {
        assert_memory_equal(bs_parquet_table_find(&t, "d")->values.f64, doubles, rows * 8);
        assert_memory_equal(bs_parquet_table_find(&t, "i")->values.i64, ints, rows * 8);
        assert_memory_equal(bs_parquet_table_find(&t, "t")->values.i64, stamps, rows * 8);
    }
    for (size_t r = 0; r < rows; r++)
        assert_string_equal(bs_parquet_table_find(&t, "s")->values.str[r], texts[r]);
    bs_parquet_table_free(&t);
    unlink(path);
}

static void test_round_trip_every_codec(void **state) {
    (void)state;
    for (int plain_only = 0; plain_only <= 1; plain_only++) {
        round_trip(BS_PARQUET_SNAPPY, 0, ROWS, plain_only);
        round_trip(BS_PARQUET_ZSTD, 0, ROWS, plain_only);
        round_trip(BS_PARQUET_UNCOMPRESSED, 0, ROWS, plain_only);
    }
}

static void test_round_trip_many_row_groups_one_row_and_empty(void **state) {
    (void)state;
    round_trip(BS_PARQUET_SNAPPY, 333, ROWS, 0);
    round_trip(BS_PARQUET_SNAPPY, 1, 1, 0);
    round_trip(BS_PARQUET_SNAPPY, 0, 0, 0);
}

static void test_repeated_values_are_dictionary_encoded(void **state) {
    (void)state;
    /* 5,000 rows of 7 distinct values (NaN payloads and -0.0 among them) and 3 distinct strings. */
    enum { N = 5000 };
    static double d[N];
    static char *s[N];
    const char *words[] = {"up", "down", "\xe6\x97\xa5"};
    for (size_t i = 0; i < N; i++) {
        d[i] = doubles[i % 7];
        s[i] = (char *)words[i % 3];
    }
    const char *path = "/tmp/bs_test_dict.parquet";
    bs_parquet_column cols[] = {{"d", BS_PARQUET_DOUBLE}, {"s", BS_PARQUET_STRING}};
    const void *values[] = {d, s};
    bs_parquet_writer *w;
    bs_parquet_options plain = {BS_PARQUET_UNCOMPRESSED, 0, 1},
                       dict = {BS_PARQUET_UNCOMPRESSED, 0, 0};
    long sizes[2];
    for (int k = 0; k < 2; k++) {
        assert_int_equal(bs_parquet_writer_open(path, cols, 2, k ? &dict : &plain, &w, NULL),
                         BS_OK);
        assert_int_equal(bs_parquet_write(w, N, values, NULL), BS_OK);
        assert_int_equal(bs_parquet_writer_close(w, NULL), BS_OK);
        FILE *f = fopen(path, "rb");
        fseek(f, 0, SEEK_END);
        sizes[k] = ftell(f);
        fclose(f);
        bs_parquet_table t;
        assert_int_equal(bs_parquet_read(path, &t, NULL), BS_OK);
        assert_memory_equal(t.column[0].values.f64, d, sizeof d);
        for (size_t i = 0; i < N; i++) assert_string_equal(t.column[1].values.str[i], s[i]);
        bs_parquet_table_free(&t);
    }
    /* PLAIN holds 8 + 4..7 bytes a row; the dictionary's 3-bit and 2-bit indices far less. */
    assert_true(sizes[1] * 5 < sizes[0]);
    unlink(path);
}

/* A DATE column (INT32 days, as the daily table's Day) reads back as the same days, widened. */
static void test_date_column_round_trips(void **state) {
    (void)state;
    const int32_t days[] = {0, 19417, -1, 2932896, -719162}; /* 1970, 2023-03-01, 1969, 9999, 1 */
    const size_t n = sizeof days / sizeof *days;
    const char *path = "/tmp/bs_test_date.parquet";
    bs_parquet_column cols[] = {{"Day", BS_PARQUET_DATE}};
    const void *values[] = {days};
    bs_parquet_writer *w;
    assert_int_equal(bs_parquet_writer_open(path, cols, 1, NULL, &w, NULL), BS_OK);
    assert_int_equal(bs_parquet_write(w, n, values, NULL), BS_OK);
    assert_int_equal(bs_parquet_writer_close(w, NULL), BS_OK);
    bs_parquet_table t;
    bs_error err = {{0}};
    if (bs_parquet_read(path, &t, &err) != BS_OK) fail_msg("%s", err.msg);
    assert_int_equal(t.rows, n);
    assert_int_equal(t.column[0].type, BS_PARQUET_DATE);
    for (size_t i = 0; i < n; i++) assert_int_equal(t.column[0].values.i64[i], days[i]);
    bs_parquet_table_free(&t);
    unlink(path);
}

static void test_damaged_files_fail_cleanly(void **state) {
    (void)state;
    const char *path = "/tmp/bs_test_damaged.parquet";
    bs_parquet_column cols[] = {{"d", BS_PARQUET_DOUBLE}};
    const void *values[] = {doubles};
    bs_parquet_writer *w;
    assert_int_equal(bs_parquet_writer_open(path, cols, 1, NULL, &w, NULL), BS_OK);
    assert_int_equal(bs_parquet_write(w, ROWS, values, NULL), BS_OK);
    assert_int_equal(bs_parquet_writer_close(w, NULL), BS_OK);
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    unsigned char *bytes = malloc((size_t)size);
    assert_int_equal(fread(bytes, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    /* Flip each byte of the footer and the page header in turn: never a crash, never garbage. */
    for (long at = 0; at < size; at += (at < 64 || at > size - 200) ? 1 : 97) {
        bytes[at] ^= 0x5a;
        f = fopen(path, "wb");
        fwrite(bytes, 1, (size_t)size, f);
        fclose(f);
        bs_parquet_table t;
        bs_error err = {{0}};
        if (bs_parquet_read(path, &t, &err) == BS_OK) {
            if (t.rows != ROWS) fail_msg("flip at %ld of %ld read %zu rows", at, size, t.rows);
            bs_parquet_table_free(&t);
        } else {
            assert_non_null(strstr(err.msg, path));
        }
        bytes[at] ^= 0x5a;
    }
    free(bytes);
    unlink(path);
}

int main(void) {
    make_data();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_every_codec),
        cmocka_unit_test(test_round_trip_many_row_groups_one_row_and_empty),
        cmocka_unit_test(test_repeated_values_are_dictionary_encoded),
        cmocka_unit_test(test_date_column_round_trips),
        cmocka_unit_test(test_damaged_files_fail_cleanly),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    for (size_t i = 0; i < ROWS; i++) free(texts[i]);
    return rc;
}
