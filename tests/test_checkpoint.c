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
#include "test_util.h"

static char dir[64], history[128], log_path[160];

static int setup(void **state) {
    (void)state;
    test_tmpdir(dir, sizeof dir, "ckpt");
    snprintf(history, sizeof history, "%s/history.json", dir);
    snprintf(log_path, sizeof log_path, "%s/_checkpoint.log", dir);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    return test_rmtree(dir);
}

static void test_begin_without_commit_cuts_history_back(void **state) {
    (void)state;
    test_write_text(history, "0123456789partial");
    test_write_text(log_path, "begin 1 0\ncommit 1 10 1 p:a.json\nbegin 2 10\n");
    bs_checkpoint cp;
    bs_error err = {{0}};
    assert_int_equal(bs_checkpoint_open(&cp, dir, history, &err), BS_OK);
    assert_int_equal(test_file_size(history), 10);
    assert_int_equal(cp.last_batch, 1);
    assert_int_equal(cp.history_size, 10);
    assert_int_equal(test_file_size(log_path), (long)strlen("begin 1 0\ncommit 1 10 1 p:a.json\n"));
}

static void test_torn_commit_line_is_not_a_commit(void **state) {
    (void)state;
    test_write_text(history, "0123456789more");
    test_write_text(log_path, "begin 1 10\ncommit 1 14 1 p:a.js");
    bs_checkpoint cp;
    assert_int_equal(bs_checkpoint_open(&cp, dir, history, NULL), BS_OK);
    assert_int_equal(test_file_size(history), 10); /* the append of batch 1 is undone */
    assert_int_equal(cp.last_batch, 0);
    assert_int_equal(test_file_size(log_path), 0);
}

static void test_commit_finishes_moving_its_files(void **state) {
    (void)state;
    char a[128], b[128];
    snprintf(a, sizeof a, "%s/a.json", dir);
    snprintf(b, sizeof b, "%s/b.json", dir);
    test_write_text(a, "x");
    test_write_text(b, "y");
    test_write_text(history, "0123456789");
    test_write_text(log_path, "begin 1 0\ncommit 1 10 1 p:a.json q:b.json\n");
    bs_checkpoint cp;
    assert_int_equal(bs_checkpoint_open(&cp, dir, history, NULL), BS_OK);
    char moved[160];
    snprintf(moved, sizeof moved, "%s/_processed/a.json", dir);
    assert_int_equal(test_file_size(moved), 1);
    snprintf(moved, sizeof moved, "%s/_quarantine/b.json", dir);
    assert_int_equal(test_file_size(moved), 1);
    assert_int_equal(access(a, F_OK), -1);
    assert_int_equal(test_file_size(history), 10);
}

static void test_history_grown_by_import_is_kept(void **state) {
    (void)state;
    test_write_text(history, "0123456789imported-later");
    test_write_text(log_path, "begin 1 0\ncommit 1 10 1 p:a.json\n");
    bs_checkpoint cp;
    assert_int_equal(bs_checkpoint_open(&cp, dir, history, NULL), BS_OK);
    assert_int_equal(test_file_size(history), 24);
}

static void test_history_shorter_than_committed_is_an_error(void **state) {
    (void)state;
    test_write_text(history, "01234");
    test_write_text(log_path, "begin 1 0\ncommit 1 10 1 p:a.json\n");
    bs_checkpoint cp;
    bs_error err = {{0}};
    assert_int_equal(bs_checkpoint_open(&cp, dir, history, &err), BS_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "lost data"));
    assert_int_equal(test_file_size(history), 5); /* nothing touched */
}

static void test_commit_then_begin_round_trip(void **state) {
    (void)state;
    bs_checkpoint cp;
    assert_int_equal(bs_checkpoint_open(&cp, dir, history, NULL), BS_OK);
    bs_checkpoint_file files[] = {{.name = "x.json"}};
    assert_int_equal(bs_checkpoint_begin(&cp, 1, 0, NULL), BS_OK);
    assert_int_equal(bs_checkpoint_commit(&cp, 1, 0, 0, files, 1, NULL), BS_OK);
    bs_checkpoint_close(&cp);
    bs_checkpoint again;
    assert_int_equal(bs_checkpoint_open(&again, dir, history, NULL), BS_OK);
    assert_int_equal(again.last_batch, 1);
    bs_checkpoint_close(&again);
}

/* A commit line naming path's file by its identity, as bs_checkpoint_commit() writes it. */
static void commit_line_for(char *out, size_t cap, const char *name, int quarantine) {
    bs_checkpoint cp;
    memset(&cp, 0, sizeof cp);
    snprintf(cp.stream_dir, sizeof cp.stream_dir, "%s", dir);
    bs_checkpoint_file f = {.name = name, .quarantine = quarantine};
    assert_int_equal(bs_checkpoint_identify(&cp, &f, NULL), BS_OK);
    snprintf(out, cap, "%c:%llu:%lld:%s", quarantine ? 'Q' : 'P', (unsigned long long)f.ino,
             (long long)f.mtime_ns, name);
}

static void test_recovery_moves_a_committed_file_with_its_identity(void **state) {
    (void)state;
    char a[128], token[256], log[512], moved[160];
    snprintf(a, sizeof a, "%s/a.json", dir);
    test_write_text(a, "tick");
    commit_line_for(token, sizeof token, "a.json", 0);
    snprintf(log, sizeof log, "begin 1 0\ncommit 1 0 1 %s\n", token);
    test_write_text(log_path, log);
    bs_checkpoint cp;
    assert_int_equal(bs_checkpoint_open(&cp, dir, history, NULL), BS_OK);
    snprintf(moved, sizeof moved, "%s/_processed/a.json", dir);
    assert_int_equal(test_file_size(moved), 4);
    assert_int_equal(access(a, F_OK), -1);
}

static void test_recovery_leaves_a_new_file_that_reuses_a_committed_name(void **state) {
    (void)state;
    char a[128], token[256], log[512], moved[160];
    snprintf(a, sizeof a, "%s/a.json", dir);
    test_write_text(a, "old tick");
    commit_line_for(token, sizeof token, "a.json", 0);
    /* Batch 1 moved the old file; a restarted producer then wrote a new file of the same name. */
    char keep_old[160];
    snprintf(keep_old, sizeof keep_old, "%s/old-a.json", dir);
    assert_int_equal(rename(a, keep_old), 0); /* holds the inode, as _processed/ would */
    test_write_text(a, "new tick!");
    snprintf(log, sizeof log, "begin 1 0\ncommit 1 0 1 %s\n", token);
    test_write_text(log_path, log);
    bs_checkpoint cp;
    assert_int_equal(bs_checkpoint_open(&cp, dir, history, NULL), BS_OK);
    assert_int_equal(test_file_size(a), 9); /* still waiting for its own batch */
    snprintf(moved, sizeof moved, "%s/_processed/a.json", dir);
    assert_int_equal(access(moved, F_OK), -1);
}

static void test_move_keeps_an_older_namesake_already_processed(void **state) {
    (void)state;
    char a[128], older[160], moved[200];
    bs_checkpoint cp;
    assert_int_equal(bs_checkpoint_open(&cp, dir, history, NULL), BS_OK);
    snprintf(older, sizeof older, "%s/_processed/a.json", dir);
    test_write_text(older, "older");
    snprintf(a, sizeof a, "%s/a.json", dir);
    test_write_text(a, "newer!");
    bs_checkpoint_file f = {.name = "a.json"};
    assert_int_equal(bs_checkpoint_identify(&cp, &f, NULL), BS_OK);
    assert_int_equal(bs_checkpoint_move_files(&cp, &f, 1, NULL), BS_OK);
    assert_int_equal(test_file_size(older), 5);
    snprintf(moved, sizeof moved, "%s/_processed/a.json.%llu", dir, (unsigned long long)f.ino);
    assert_int_equal(test_file_size(moved), 6);
    assert_int_equal(access(a, F_OK), -1);
}

static void test_recovery_replays_every_commit_not_only_the_last(void **state) {
    (void)state;
    char a[128], token[256], log[512], moved[160];
    snprintf(a, sizeof a, "%s/a.json", dir);
    test_write_text(a, "tick");
    commit_line_for(token, sizeof token, "a.json", 1);
    /* Batch 1's move was lost (power loss before the directory reached the disk). */
    snprintf(log, sizeof log, "begin 1 0\ncommit 1 0 0 %s\nbegin 2 0\ncommit 2 0 0\n", token);
    test_write_text(log_path, log);
    bs_checkpoint cp;
    assert_int_equal(bs_checkpoint_open(&cp, dir, history, NULL), BS_OK);
    assert_int_equal(cp.last_batch, 2);
    snprintf(moved, sizeof moved, "%s/_quarantine/a.json", dir);
    assert_int_equal(test_file_size(moved), 4);
}

static void test_commit_records_identity_that_recovery_reads_back(void **state) {
    (void)state;
    char a[128], moved[160];
    snprintf(a, sizeof a, "%s/odd:name.json", dir);
    test_write_text(a, "tick");
    bs_checkpoint cp;
    assert_int_equal(bs_checkpoint_open(&cp, dir, history, NULL), BS_OK);
    bs_checkpoint_file f = {.name = "odd:name.json"};
    assert_int_equal(bs_checkpoint_identify(&cp, &f, NULL), BS_OK);
    assert_int_equal(bs_checkpoint_begin(&cp, 1, 0, NULL), BS_OK);
    assert_int_equal(bs_checkpoint_commit(&cp, 1, 0, 1, &f, 1, NULL), BS_OK);
    /* Killed before the move (the kernel drops a dead holder's lock): the next open finishes it. */
    bs_checkpoint_close(&cp);
    bs_checkpoint again;
    assert_int_equal(bs_checkpoint_open(&again, dir, history, NULL), BS_OK);
    bs_checkpoint_close(&again);
    snprintf(moved, sizeof moved, "%s/_processed/odd:name.json", dir);
    assert_int_equal(test_file_size(moved), 4);
}

static void test_one_stream_processor_per_folder(void **state) {
    (void)state;
    bs_checkpoint first, second;
    bs_error err = {{0}};
    assert_int_equal(bs_checkpoint_open(&first, dir, history, NULL), BS_OK);
    assert_int_equal(bs_checkpoint_open(&second, dir, history, &err), BS_ERR_CONFIG);
    assert_non_null(strstr(err.msg, "another stream processor"));
    bs_checkpoint_close(&first);
    assert_int_equal(bs_checkpoint_open(&second, dir, history, NULL), BS_OK);
    bs_checkpoint_close(&second);
    bs_checkpoint_close(&second); /* twice is harmless */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_begin_without_commit_cuts_history_back, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_torn_commit_line_is_not_a_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commit_finishes_moving_its_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_history_grown_by_import_is_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_history_shorter_than_committed_is_an_error, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_commit_then_begin_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_recovery_moves_a_committed_file_with_its_identity,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_recovery_leaves_a_new_file_that_reuses_a_committed_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_move_keeps_an_older_namesake_already_processed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_recovery_replays_every_commit_not_only_the_last, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_commit_records_identity_that_recovery_reads_back,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_stream_processor_per_folder, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
