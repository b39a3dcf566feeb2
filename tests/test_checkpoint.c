/* Checkpoint recovery: each crash point of checkpoint.h's protocol, set up by hand. */
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

#include "btcstream/checkpoint.h"

static char dir[64], history[128], log_path[160];

static void write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static long size_of(const char *path) {
    struct stat sb;
    return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

static int setup(void **state) {
    (void)state;
    strcpy(dir, "/tmp/bs_ckpt_XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(history, sizeof history, "%s/history.json", dir);
    snprintf(log_path, sizeof log_path, "%s/_checkpoint.log", dir);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

static void test_begin_without_commit_cuts_history_back(void **state) {
    (void)state;
    write_text(history, "0123456789partial");
    write_text(log_path, "begin 1 0\ncommit 1 10 1 p:a.json\nbegin 2 10\n");
    bs_checkpoint cp;
    bs_error err = {{0}};
    assert_int_equal(bs_checkpoint_open(&cp, dir, history, &err), BS_OK);
    assert_int_equal(size_of(history), 10);
    assert_int_equal(cp.last_batch, 1);
    assert_int_equal(cp.history_size, 10);
    assert_int_equal(size_of(log_path), (long)strlen("begin 1 0\ncommit 1 10 1 p:a.json\n"));
}

static void test_torn_commit_line_is_not_a_commit(void **state) {
    (void)state;
    write_text(history, "0123456789more");
    write_text(log_path, "begin 1 10\ncommit 1 14 1 p:a.js");
    bs_checkpoint cp;
    assert_int_equal(bs_checkpoint_open(&cp, dir, history, NULL), BS_OK);
    assert_int_equal(size_of(history), 10); /* the append of batch 1 is undone */
    assert_int_equal(cp.last_batch, 0);
    assert_int_equal(size_of(log_path), 0);
}

static void test_commit_finishes_moving_its_files(void **state) {
    (void)state;
    char a[128], b[128];
    snprintf(a, sizeof a, "%s/a.json", dir);
    snprintf(b, sizeof b, "%s/b.json", dir);
    write_text(a, "x");
    write_text(b, "y");
    write_text(history, "0123456789");
    write_text(log_path, "begin 1 0\ncommit 1 10 1 p:a.json q:b.json\n");
    bs_checkpoint cp;
    assert_int_equal(bs_checkpoint_open(&cp, dir, history, NULL), BS_OK);
    char moved[160];
    snprintf(moved, sizeof moved, "%s/_processed/a.json", dir);
    assert_int_equal(size_of(moved), 1);
    snprintf(moved, sizeof moved, "%s/_quarantine/b.json", dir);
    assert_int_equal(size_of(moved), 1);
    assert_int_equal(access(a, F_OK), -1);
    assert_int_equal(size_of(history), 10);
}

static void test_history_grown_by_import_is_kept(void **state) {
    (void)state;
    write_text(history, "0123456789imported-later");
    write_text(log_path, "begin 1 0\ncommit 1 10 1 p:a.json\n");
    bs_checkpoint cp;
    assert_int_equal(bs_checkpoint_open(&cp, dir, history, NULL), BS_OK);
    assert_int_equal(size_of(history), 24);
}

static void test_history_shorter_than_committed_is_an_error(void **state) {
    (void)state;
    write_text(history, "01234");
    write_text(log_path, "begin 1 0\ncommit 1 10 1 p:a.json\n");
    bs_checkpoint cp;
    bs_error err = {{0}};
    assert_int_equal(bs_checkpoint_open(&cp, dir, history, &err), BS_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "lost data"));
    assert_int_equal(size_of(history), 5); /* nothing touched */
}

static void test_commit_then_begin_round_trip(void **state) {
    (void)state;
    bs_checkpoint cp;
    assert_int_equal(bs_checkpoint_open(&cp, dir, history, NULL), BS_OK);
    bs_checkpoint_file files[] = {{"x.json", 0}};
    assert_int_equal(bs_checkpoint_begin(&cp, 1, 0, NULL), BS_OK);
    assert_int_equal(bs_checkpoint_commit(&cp, 1, 0, 0, files, 1, NULL), BS_OK);
    bs_checkpoint again;
    assert_int_equal(bs_checkpoint_open(&again, dir, history, NULL), BS_OK);
    assert_int_equal(again.last_batch, 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_begin_without_commit_cuts_history_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_torn_commit_line_is_not_a_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commit_finishes_moving_its_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_history_grown_by_import_is_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_history_shorter_than_committed_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commit_then_begin_round_trip, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
