/*
 * The batch stages (stages.h) over small histories written here: every stage's outcome and the
 * call's status, the rule "skipped only for what was not asked", and the fewest ticks the model
 * needs, checked against bs_train itself on exactly that many ticks and on one fewer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "btcstream/stages.h"
#include "test_util.h"

static char work[64], history[128], out_dir[128];

static int setup(void **state) {
    (void)state;
    test_tmpdir(work, sizeof work, "stages");
    snprintf(history, sizeof history, "%s/h.json", work);
    snprintf(out_dir, sizeof out_dir, "%s/out", work);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    return test_rmtree(work);
}

/* n ticks a minute apart from 2025-05-12 00:00 UTC, closes on a deterministic zigzag walk. */
static void make_ticks(bs_tick *t, size_t n) {
    double close = 95000;
    for (size_t i = 0; i < n; i++) {
        close += (double)((i * 7919) % 23) - 11.0;
        t[i] = (bs_tick){
            INT64_C(1747008000000000) + (int64_t)i * 60000000, close, close, close, close, 1.0,
            BS_TRADES_UNKNOWN, 0};
    }
}

static void write_history(size_t n) {
    FILE *f = fopen(history, "w");
    assert_non_null(f);
    bs_tick *t = calloc(n, sizeof *t);
    make_ticks(t, n);
    for (size_t i = 0; i < n; i++) {
        time_t s = (time_t)(t[i].ts_us / 1000000);
        char when[32];
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&s));
        fprintf(f, "{\"Datetime\": \"%s\", \"Close\": %.2f}\n", when, t[i].close);
    }
    free(t);
    fclose(f);
}

static bs_status run(int upload, const char *dir, bs_stages_result *r, bs_error *err) {
    bs_s3_config none;
    memset(&none, 0, sizeof none);
    bs_stages_options o = {.history = history, .out_dir = dir, .upload = upload, .s3 = &none};
    return bs_stages_run(&o, r, err);
}

static void expect_stage(const bs_stages_result *r, int i, bs_stage_outcome outcome,
                         const char *detail) {
    assert_int_equal(r->stage[i].outcome, outcome);
    if (!strstr(r->stage[i].detail, detail))
        fail_msg("stage %s: \"%s\" does not say \"%s\"", r->stage[i].name, r->stage[i].detail,
                 detail);
}

static void test_min_ticks_is_what_train_needs(void **state) {
    (void)state;
    size_t need = bs_stages_min_ticks(NULL);
    assert_int_equal(need, 73); /* 60 of lookback, 1 of horizon, 12 labelled rows (10 + 2) */
    bs_tick *t = calloc(need, sizeof *t);
    make_ticks(t, need);
    bs_train_result r;
    bs_error err = {{0}};
    assert_int_not_equal(bs_train(t, need - 1, NULL, NULL, &r, &err), BS_OK);
    assert_int_equal(bs_train(t, need, NULL, NULL, &r, &err), BS_OK);
    bs_train_result_free(&r);
    free(t);
}

static void test_every_stage_done_and_upload_skipped_when_not_configured(void **state) {
    (void)state;
    write_history(200);
    bs_stages_result r;
    bs_error err = {{0}};
    if (run(1, out_dir, &r, &err) != BS_OK) fail_msg("%s", err.msg);
    expect_stage(&r, BS_STAGE_TABLES, BS_STAGE_DONE, "200 ticks");
    expect_stage(&r, BS_STAGE_TRAIN, BS_STAGE_DONE, "model.json");
    expect_stage(&r, BS_STAGE_PREDICTIONS, BS_STAGE_DONE, "bitcoin_predictions.parquet/");
    expect_stage(&r, BS_STAGE_ZIP, BS_STAGE_DONE, "bitcoin_predictions.zip");
    expect_stage(&r, BS_STAGE_PLOT, BS_STAGE_DONE, "output_plot.png");
    expect_stage(&r, BS_STAGE_UPLOAD, BS_STAGE_SKIPPED, "no AWS credentials");
    assert_int_equal(r.failed, 0);
    assert_true(r.trained);
    assert_int_equal(access(r.paths.zip, F_OK), 0);
    assert_int_equal(access(r.paths.plot, F_OK), 0);
    bs_stages_result_free(&r);
}

static void test_too_few_ticks_fails_train_and_skips_what_needs_it(void **state) {
    (void)state;
    write_history(72);
    bs_stages_result r;
    bs_error err = {{0}};
    assert_int_equal(run(0, out_dir, &r, &err), BS_ERR_EMPTY);
    expect_stage(&r, BS_STAGE_TABLES, BS_STAGE_DONE, "72 ticks");
    expect_stage(&r, BS_STAGE_TRAIN, BS_STAGE_FAILED,
                 "needs at least 73 ticks, the history has 72");
    expect_stage(&r, BS_STAGE_PREDICTIONS, BS_STAGE_SKIPPED, "train");
    expect_stage(&r, BS_STAGE_ZIP, BS_STAGE_SKIPPED, "predictions");
    expect_stage(&r, BS_STAGE_PLOT, BS_STAGE_SKIPPED, "train");
    expect_stage(&r, BS_STAGE_UPLOAD, BS_STAGE_SKIPPED, "not asked");
    assert_int_equal(r.failed, 1);
    assert_non_null(strstr(err.msg, "train: "));
    bs_stages_result_free(&r);
}

static void test_unwritable_out_dir_is_a_failure_not_a_skip(void **state) {
    (void)state;
    write_history(100);
    bs_stages_result r;
    bs_error err = {{0}};
    assert_int_not_equal(run(0, "/proc/nope", &r, &err), BS_OK);
    expect_stage(&r, BS_STAGE_TRAIN, BS_STAGE_FAILED, "/proc/nope");
    bs_stages_result_free(&r);
}

static void test_missing_history_fails_the_tables(void **state) {
    (void)state;
    bs_stages_result r;
    bs_error err = {{0}};
    assert_int_not_equal(run(0, out_dir, &r, &err), BS_OK);
    assert_int_equal(r.stage[BS_STAGE_TABLES].outcome, BS_STAGE_FAILED);
    assert_int_equal(r.stage[BS_STAGE_TRAIN].outcome, BS_STAGE_FAILED);
    assert_int_equal(r.failed, 2);
    assert_non_null(strstr(err.msg, "tables: ")); /* the first failure is the call's */
    bs_stages_result_free(&r);
}

static void test_count_lines_of_missing_file_is_zero(void **state) {
    (void)state;
    uint64_t n = 99;
    bs_error err = {{0}};
    assert_int_equal(bs_stages_count_lines("no/such/file", &n, &err), BS_OK);
    assert_int_equal(n, 0);
    write_history(5);
    assert_int_equal(bs_stages_count_lines(history, &n, &err), BS_OK);
    assert_int_equal(n, 5);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_min_ticks_is_what_train_needs),
        cmocka_unit_test_setup_teardown(
            test_every_stage_done_and_upload_skipped_when_not_configured, setup, teardown),
        cmocka_unit_test_setup_teardown(test_too_few_ticks_fails_train_and_skips_what_needs_it,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_unwritable_out_dir_is_a_failure_not_a_skip, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_missing_history_fails_the_tables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_count_lines_of_missing_file_is_zero, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
