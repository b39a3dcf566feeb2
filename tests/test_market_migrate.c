/*
 * A data folder from before markets given to a market (bs_market_migrate()): the history moves
 * whole with its stream state retired, a stream run afterwards goes on in the market's folder,
 * and every refusal moves nothing. A crash between the steps is tested by building the state it
 * leaves (the kill -9 at each step is tests/it_markets_migrate.sh).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "btcstream/market.h"
#include "btcstream/stream.h"
#include "test_util.h"

#define MARKET "coingecko:bitcoin/usd"

static const char tick1[] = "{\"Datetime\": \"2024-05-01T10:00:00+00:00\", \"Close\": 1}\n";
static const char tick2[] = "{\"Datetime\": \"2024-05-01T10:01:00+00:00\", \"Close\": 2}\n";
static const char tick3[] = "{\"Datetime\": \"2024-05-01T10:02:00+00:00\", \"Close\": 3}\n";

typedef struct {
    char dir[256], data[512], root[512], legacy[600], target[4096];
} folder;

static void path(char *buf, size_t size, const char *a, const char *b) {
    assert_true((size_t)snprintf(buf, size, "%s/%s", a, b) < size);
}

/* A legacy data folder: DATA/stream fed DATA/bitcoin_combined.json through a real stream run. */
static void legacy_folder(folder *f) {
    char file[1024];
    test_tmpdir(f->dir, sizeof f->dir, "migrate");
    path(f->data, sizeof f->data, f->dir, "Data");
    path(f->root, sizeof f->root, f->data, "stream");
    path(f->legacy, sizeof f->legacy, f->data, "bitcoin_combined.json");
    assert_int_equal(mkdir(f->data, 0755), 0);
    assert_int_equal(mkdir(f->root, 0755), 0);
    path(file, sizeof file, f->root, "ohlc_20240501_100000_0.json");
    test_write_text(file, tick1);
    path(file, sizeof file, f->root, "ohlc_20240501_100100_1.json");
    test_write_text(file, tick2);
    bs_stream_options o = bs_stream_defaults();
    o.stream_dir = f->root;
    o.history = f->legacy;
    o.until_idle = 1;
    o.trigger_us = 0;
    bs_stream_totals totals;
    bs_error err = {{0}};
    assert_int_equal(bs_stream_run(&o, &totals, &err), BS_OK);
    assert_int_equal(totals.rows, 2);
    assert_int_equal(bs_market_history(f->data, MARKET, f->target, sizeof f->target, &err), BS_OK);
}

static long lines_of(const char *file) {
    FILE *in = fopen(file, "r");
    if (!in) return -1;
    long n = 0;
    for (int c; (c = fgetc(in)) != EOF;) n += c == '\n';
    fclose(in);
    return n;
}

static void test_the_history_moves_whole_and_the_stream_goes_on_in_the_market(void **state) {
    (void)state;
    folder f;
    legacy_folder(&f);
    long size = test_file_size(f.legacy);
    bs_error err = {{0}};
    assert_int_equal(bs_market_migrate(f.data, MARKET, &err), BS_OK);
    assert_int_equal(test_file_size(f.legacy), -1);
    assert_int_equal(test_file_size(f.target), size);
    char log[1024];
    path(log, sizeof log, f.root, "_checkpoint.log");
    assert_int_equal(test_file_size(log), -1); /* it described the legacy history */
    /* The data folder has one market now, and no legacy history. */
    bs_market_entry *list;
    size_t n;
    assert_int_equal(bs_market_list(f.data, &list, &n, &err), BS_OK);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].name, MARKET);
    bs_market_list_free(list);
    /* The market's producer writes into its folder; the stream appends after the moved rows. */
    char dir[4096], file[4200];
    assert_int_equal(bs_market_stream_dir(f.root, MARKET, dir, sizeof dir, &err), BS_OK);
    char parent[4096];
    snprintf(parent, sizeof parent, "%s/coingecko", f.root);
    assert_int_equal(mkdir(parent, 0755), 0);
    assert_int_equal(mkdir(dir, 0755), 0);
    path(file, sizeof file, dir, "ohlc_20240501_100200_0.json");
    test_write_text(file, tick3);
    bs_stream_options o = bs_stream_defaults();
    o.stream_dir = f.root;
    o.data_dir = f.data;
    o.until_idle = 1;
    o.trigger_us = 0;
    bs_stream_totals totals;
    assert_int_equal(bs_stream_run(&o, &totals, &err), BS_OK);
    assert_int_equal(totals.rows, 1);
    assert_int_equal(lines_of(f.target), 3);
    assert_int_equal(test_file_size(f.legacy), -1); /* no legacy history made again */
    assert_int_equal(test_rmtree(f.dir), 0);
}

static void test_a_market_with_a_history_is_refused_and_nothing_moves(void **state) {
    (void)state;
    folder f;
    legacy_folder(&f);
    bs_error err = {{0}};
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/markets", f.data);
    mkdir(dir, 0755);
    snprintf(dir, sizeof dir, "%s/markets/coingecko", f.data);
    mkdir(dir, 0755);
    snprintf(dir, sizeof dir, "%s/markets/coingecko/bitcoin%%2Fusd", f.data);
    mkdir(dir, 0755);
    test_write_text(f.target, tick3);
    long size = test_file_size(f.legacy);
    assert_int_equal(bs_market_migrate(f.data, MARKET, &err), BS_ERR_CONFIG);
    assert_non_null(strstr(err.msg, "has a history already"));
    assert_int_equal(test_file_size(f.legacy), size);
    assert_int_equal(lines_of(f.target), 1);
    assert_int_equal(test_rmtree(f.dir), 0);
}

static void test_files_waiting_for_the_legacy_history_are_refused(void **state) {
    (void)state;
    folder f;
    legacy_folder(&f);
    char file[1024];
    path(file, sizeof file, f.root, "ohlc_20240501_100200_2.json");
    test_write_text(file, tick3);
    bs_error err = {{0}};
    assert_int_equal(bs_market_migrate(f.data, MARKET, &err), BS_ERR_CONFIG);
    assert_non_null(strstr(err.msg, "wait for the legacy history"));
    assert_int_equal(lines_of(f.legacy), 2);
    assert_int_equal(test_file_size(f.target), -1);
    assert_int_equal(test_rmtree(f.dir), 0);
}

static void test_no_legacy_history_and_a_bad_market_are_refused(void **state) {
    (void)state;
    char dir[256];
    test_tmpdir(dir, sizeof dir, "migrate_none");
    bs_error err = {{0}};
    assert_int_equal(bs_market_migrate(dir, MARKET, &err), BS_ERR_EMPTY);
    assert_int_equal(bs_market_migrate(dir, "bitcoin", &err), BS_ERR_ARG);
    assert_int_equal(test_rmtree(dir), 0);
}

/* Killed after the log was retired and before the rename: the history is whole where it was,
 * and running the migration again finishes it. */
static void test_a_migration_killed_before_the_rename_finishes_when_run_again(void **state) {
    (void)state;
    folder f;
    legacy_folder(&f);
    char log[1024];
    path(log, sizeof log, f.root, "_checkpoint.log");
    assert_int_equal(unlink(log), 0);
    bs_error err = {{0}};
    assert_int_equal(bs_market_migrate(f.data, MARKET, &err), BS_OK);
    assert_int_equal(lines_of(f.target), 2);
    assert_int_equal(test_file_size(f.legacy), -1);
    assert_int_equal(test_rmtree(f.dir), 0);
}

/* A data folder that never had a stream folder (its history came by import) migrates too. */
static void test_a_history_with_no_stream_folder_migrates(void **state) {
    (void)state;
    char dir[256], legacy[512], target[4096];
    test_tmpdir(dir, sizeof dir, "migrate_bare");
    path(legacy, sizeof legacy, dir, "bitcoin_combined.json");
    test_write_text(legacy, tick1);
    bs_error err = {{0}};
    assert_int_equal(bs_market_migrate(dir, "binance:BTCUSDT", &err), BS_OK);
    assert_int_equal(bs_market_history(dir, "binance:BTCUSDT", target, sizeof target, &err), BS_OK);
    assert_int_equal(lines_of(target), 1);
    assert_int_equal(test_file_size(legacy), -1);
    assert_int_equal(test_rmtree(dir), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_history_moves_whole_and_the_stream_goes_on_in_the_market),
        cmocka_unit_test(test_a_market_with_a_history_is_refused_and_nothing_moves),
        cmocka_unit_test(test_files_waiting_for_the_legacy_history_are_refused),
        cmocka_unit_test(test_no_legacy_history_and_a_bad_market_are_refused),
        cmocka_unit_test(test_a_migration_killed_before_the_rename_finishes_when_run_again),
        cmocka_unit_test(test_a_history_with_no_stream_folder_migrates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
