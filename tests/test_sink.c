/*
 * The table sinks (sink.h): a small table worked out by hand, printed as a grid, CSV and JSON
 * lines, with and without the labels that tell several tables on one stream apart, written as
 * one file a table, and the errors of opening one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "btcstream/sink.h"

/* daily: 2025-05-12 (1747008000 s) avg 200.5, and 2025-05-13 avg 0.1 */
static int64_t days[] = {INT64_C(1747008000000000), INT64_C(1747094400000000)};
static double avgs[] = {200.5, 0.1};

static bs_table daily(void) {
    bs_table t = {"daily", 2, 2, {{0}}};
    t.column[0] = (bs_column){"Day", BS_COLUMN_DAY, {.i64 = days}};
    t.column[1] = (bs_column){"Avg", BS_COLUMN_DOUBLE, {.f64 = avgs}};
    return t;
}

/* Writes the table n times through the named sink into a string (to be freed). */
static char *render(const char *name, int label, int n) {
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    bs_sink_options o = {.out = f, .label = label};
    bs_sink *sink;
    bs_error err = {{0}};
    assert_int_equal(bs_sink_open(name, &o, &sink, &err), BS_OK);
    bs_table t = daily();
    for (int i = 0; i < n; i++) assert_int_equal(bs_sink_write(sink, &t, &err), BS_OK);
    bs_sink_free(sink);
    fclose(f);
    return text;
}

static void expect_render(const char *name, int label, int n, const char *expected) {
    char *text = render(name, label, n);
    assert_string_equal(text, expected);
    free(text);
}

static void test_grid_is_spark_show_with_title_when_labelled(void **state) {
    (void)state;
    const char *grid = "+----------+-----+\n"
                       "|       Day|  Avg|\n"
                       "+----------+-----+\n"
                       "|2025-05-12|200.5|\n"
                       "|2025-05-13|  0.1|\n"
                       "+----------+-----+\n";
    expect_render("table", 0, 1, grid);
    char labelled[512];
    snprintf(labelled, sizeof labelled, "daily (2 rows)\n%s\ndaily (2 rows)\n%s", grid, grid);
    expect_render("grid", 1, 2, labelled);
}

static void test_csv_plain_and_labelled_tables(void **state) {
    (void)state;
    expect_render("csv", 0, 1, "Day,Avg\n2025-05-12,200.5\n2025-05-13,0.1\n");
    expect_render("csv", 1, 2,
                  "# table daily\nDay,Avg\n2025-05-12,200.5\n2025-05-13,0.1\n\n"
                  "# table daily\nDay,Avg\n2025-05-12,200.5\n2025-05-13,0.1\n");
}

static void test_json_rows_carry_the_table_when_labelled(void **state) {
    (void)state;
    expect_render("json", 0, 1,
                  "{\"Day\":\"2025-05-12\",\"Avg\":200.5}\n{\"Day\":\"2025-05-13\",\"Avg\":0.1}\n");
    expect_render("json", 1, 1,
                  "{\"table\":\"daily\",\"Day\":\"2025-05-12\",\"Avg\":200.5}\n"
                  "{\"table\":\"daily\",\"Day\":\"2025-05-13\",\"Avg\":0.1}\n");
}

static void test_json_writes_null_for_what_json_cannot_hold(void **state) {
    (void)state;
    double bad[] = {1.0 / 0.0, 0.0 / 0.0};
    bs_table t = daily();
    t.column[1].values.f64 = bad;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    bs_sink_options o = {.out = f};
    bs_sink *sink;
    bs_error err = {{0}};
    assert_int_equal(bs_sink_open("json", &o, &sink, &err), BS_OK);
    assert_int_equal(bs_sink_write(sink, &t, &err), BS_OK);
    bs_sink_free(sink);
    fclose(f);
    assert_string_equal(text, "{\"Day\":\"2025-05-12\",\"Avg\":null}\n"
                              "{\"Day\":\"2025-05-13\",\"Avg\":null}\n");
    free(text);
}

static void count_file(void *ctx, const char *path, size_t rows) {
    (void)path;
    *(size_t *)ctx += rows;
}

static void test_dir_sink_writes_one_plain_file_a_table(void **state) {
    (void)state;
    char dir[64], path[128];
    snprintf(dir, sizeof dir, "test_sink_%ld/out", (long)getpid());
    size_t rows = 0;
    bs_sink_options o = {.dir = dir, .label = 1, .on_file = count_file, .ctx = &rows};
    bs_sink *sink;
    bs_error err = {{0}};
    assert_int_equal(bs_sink_open("csv", &o, &sink, &err), BS_OK);
    bs_table t = daily();
    assert_int_equal(bs_sink_write(sink, &t, &err), BS_OK);
    bs_sink_free(sink);
    assert_int_equal(rows, 2);
    snprintf(path, sizeof path, "%s/daily.csv", dir);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char text[256] = {0};
    assert_true(fread(text, 1, sizeof text - 1, f) > 0);
    fclose(f);
    assert_string_equal(text, "Day,Avg\n2025-05-12,200.5\n2025-05-13,0.1\n"); /* no label */
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf test_sink_%ld", (long)getpid());
    assert_int_equal(system(cmd), 0);
}

static void test_open_refuses_unknown_names_and_parquet_without_dir(void **state) {
    (void)state;
    bs_sink_options o = {.out = stdout};
    bs_sink *sink = (bs_sink *)&o;
    bs_error err = {{0}};
    assert_int_equal(bs_sink_open("xml", &o, &sink, &err), BS_ERR_ARG);
    assert_null(sink);
    assert_non_null(strstr(err.msg, "unknown format \"xml\""));
    assert_int_equal(bs_sink_open("parquet", &o, &sink, &err), BS_ERR_ARG);
    assert_non_null(strstr(err.msg, "needs a directory"));
}

static void test_write_to_a_failed_stream_is_an_error(void **state) {
    (void)state;
    FILE *f = fopen("/dev/full", "w");
    if (!f) skip();
    bs_sink_options o = {.out = f};
    bs_sink *sink;
    bs_error err = {{0}};
    assert_int_equal(bs_sink_open("csv", &o, &sink, &err), BS_OK);
    bs_table t = daily();
    assert_int_equal(bs_sink_write(sink, &t, &err), BS_ERR_IO);
    bs_sink_free(sink);
    fclose(f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_is_spark_show_with_title_when_labelled),
        cmocka_unit_test(test_csv_plain_and_labelled_tables),
        cmocka_unit_test(test_json_rows_carry_the_table_when_labelled),
        cmocka_unit_test(test_json_writes_null_for_what_json_cannot_hold),
        cmocka_unit_test(test_dir_sink_writes_one_plain_file_a_table),
        cmocka_unit_test(test_open_refuses_unknown_names_and_parquet_without_dir),
        cmocka_unit_test(test_write_to_a_failed_stream_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
