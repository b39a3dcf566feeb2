/*
 * The stream processor killed at each step of a batch (checkpoint.h's protocol run for real, not
 * set up by hand): a child process runs the stream and SIGKILLs itself at one step; the parent
 * then runs the stream again and checks that the history holds every tick exactly once, the
 * stream folder is drained and every file is in _processed/ once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "btcstream/history.h"
#include "btcstream/producer.h"
#include "btcstream/reader.h"
#include "btcstream/stream.h"
#include "test_util.h"

#define TICKS 5

static char dir[64], stream_dir[96], history[96];

static int setup(void **state) {
    (void)state;
    test_tmpdir(dir, sizeof dir, "stream");
    snprintf(stream_dir, sizeof stream_dir, "%s/stream", dir);
    snprintf(history, sizeof history, "%s/history.json", dir);
    bs_producer p;
    assert_int_equal(bs_producer_open(&p, stream_dir, NULL), BS_OK);
    for (int i = 0; i < TICKS; i++) {
        bs_tick t = {INT64_C(1714557600000000) + i * INT64_C(30000000), 100, 110, 90, 100 + i, 7, BS_TRADES_UNKNOWN, 0};
        assert_int_equal(bs_producer_write(&p, &t, NULL, NULL), BS_OK);
    }
    return 0;
}

static int teardown(void **state) {
    (void)state;
    return test_rmtree(dir);
}

typedef struct {
    bs_stream_step kill_at;
    int tear; /* at BS_STREAM_STEP_APPENDED: cut the last line in half first, as a torn write */
} crash_plan;

static void crash_at(void *ctx, bs_stream_step step) {
    const crash_plan *plan = ctx;
    if (step != plan->kill_at) return;
    if (plan->tear) {
        struct stat sb;
        if (stat(history, &sb) == 0 && truncate(history, sb.st_size - 17) != 0) _exit(3);
    }
    kill(getpid(), SIGKILL);
}

static bs_stream_options options(void) {
    bs_stream_options o = bs_stream_defaults();
    o.stream_dir = stream_dir;
    o.history = history;
    o.trigger_us = 0;
    o.until_idle = 1;
    o.max_files_per_trigger = 3; /* two batches: a crash in the first leaves work for later */
    return o;
}

/* Runs the stream in a child that kills itself as the plan says; returns how the child ended. */
static int run_child(crash_plan plan) {
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        bs_stream_options o = options();
        o.on_step = crash_at;
        o.ctx = &plan;
        bs_stream_totals totals;
        _exit(bs_stream_run(&o, &totals, NULL) == BS_OK ? 0 : 2);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return status;
}

static size_t count_entries(const char *path, const char *prefix) {
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ls %s | grep -c '^%s' || true", path, prefix);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    unsigned long n = 0;
    assert_int_equal(fscanf(p, "%lu", &n), 1);
    pclose(p);
    return n;
}

static void assert_exactly_once(void) {
    bs_stream_options o = options();
    bs_stream_totals totals;
    bs_error err = {{0}};
    assert_int_equal(bs_stream_run(&o, &totals, &err), BS_OK);
    bs_tick_vec ticks = {0};
    bs_scan_stats stats;
    assert_int_equal(bs_history_load(history, NULL, &ticks, &stats, NULL), BS_OK);
    assert_int_equal(stats.bad, 0); /* a torn line was cut off, not left behind */
    assert_int_equal(ticks.len, TICKS);
    for (size_t i = 0; i < ticks.len; i++) assert_true(ticks.items[i].close == 100 + (double)i);
    bs_tick_vec_free(&ticks);
    assert_int_equal(count_entries(stream_dir, "ohlc_"), 0);
    char processed[160];
    snprintf(processed, sizeof processed, "%s/_processed", stream_dir);
    assert_int_equal(count_entries(processed, "ohlc_"), TICKS);
}

static void kill_at(bs_stream_step step, int tear) {
    crash_plan plan = {step, tear};
    int status = run_child(plan);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    assert_exactly_once();
}

static void test_killed_after_reading(void **state) {
    (void)state;
    kill_at(BS_STREAM_STEP_READ, 0);
}
static void test_killed_after_begin(void **state) {
    (void)state;
    kill_at(BS_STREAM_STEP_BEGUN, 0);
}
static void test_killed_after_append(void **state) {
    (void)state;
    kill_at(BS_STREAM_STEP_APPENDED, 0);
}
static void test_killed_in_a_torn_append(void **state) {
    (void)state;
    kill_at(BS_STREAM_STEP_APPENDED, 1);
}
static void test_killed_after_commit(void **state) {
    (void)state;
    kill_at(BS_STREAM_STEP_COMMITTED, 0);
}
static void test_killed_between_moves(void **state) {
    (void)state;
    kill_at(BS_STREAM_STEP_MOVED_ONE, 0);
}
static void test_killed_after_the_batch(void **state) {
    (void)state;
    kill_at(BS_STREAM_STEP_DONE, 0);
}

static void test_other_writers_wait_for_recovery_after_a_killed_append(void **state) {
    (void)state;
    crash_plan plan = {BS_STREAM_STEP_APPENDED, 0};
    run_child(plan);
    int fd;
    int64_t size;
    bs_error err = {{0}};
    bs_status st = bs_history_lock(history, &fd, &size, &err);
    if (st == BS_OK) { /* no extended attributes on this file system: the guard is off */
        bs_history_unlock(fd);
        skip();
    }
    assert_int_equal(st, BS_ERR_CONFIG);
    assert_non_null(strstr(err.msg, "--until-idle"));
    assert_exactly_once();
    assert_int_equal(bs_history_lock(history, &fd, &size, NULL), BS_OK);
    bs_history_unlock(fd);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_killed_after_reading, setup, teardown),
        cmocka_unit_test_setup_teardown(test_killed_after_begin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_killed_after_append, setup, teardown),
        cmocka_unit_test_setup_teardown(test_killed_in_a_torn_append, setup, teardown),
        cmocka_unit_test_setup_teardown(test_killed_after_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_killed_between_moves, setup, teardown),
        cmocka_unit_test_setup_teardown(test_killed_after_the_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_writers_wait_for_recovery_after_a_killed_append,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
