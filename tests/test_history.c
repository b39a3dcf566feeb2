/* The history's writers and readers: the pending mark, the readable size, and the cuts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cmocka.h>

#include "btcstream/history.h"
#include "btcstream/reader.h"
#include "test_util.h"

#define MARK "user.btcstream.pending"

static char dir[64], history[128];

/* Writes n whole tick lines (one a minute from 2024-01-01) and returns the file's size. */
static long write_ticks(const char *path, int n) {
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 0; i < n; i++)
        fprintf(f,
                "{\"Datetime\": \"2024-01-01T%02d:%02d:00+00:00\", \"Open\": 1, \"High\": 2, "
                "\"Low\": 0.5, \"Close\": %d, \"Volume\": \"7\"}\n",
                (i / 60) % 24, i % 60, 100 + i);
    fclose(f);
    return test_file_size(path);
}

static void set_mark(const char *owner, long size) {
    char value[256];
    int n = snprintf(value, sizeof value, "%s\n%ld", owner, size);
    assert_int_equal(setxattr(history, MARK, value, (size_t)n, 0), 0);
}

static int has_mark(void) { return getxattr(history, MARK, NULL, 0) >= 0; }

static int setup(void **state) {
    (void)state;
    test_tmpdir(dir, sizeof dir, "hist");
    snprintf(history, sizeof history, "%s/history.json", dir);
    write_ticks(history, 1); /* xattrs unsupported here: the tests below have nothing to test */
    if (setxattr(history, MARK ".probe", "1", 1, 0) != 0) skip();
    removexattr(history, MARK ".probe");
    return 0;
}

static int teardown(void **state) {
    (void)state;
    return test_rmtree(dir);
}

static int count_tick(void *ctx, const bs_tick *t) {
    (void)t;
    (*(long *)ctx)++;
    return 0;
}

static void test_readers_stop_where_an_interrupted_write_began(void **state) {
    (void)state;
    write_ticks(history, 40);
    long before = test_file_size(history);
    write_ticks(history, 100); /* the same 40 lines, then 60 that an interrupted write left */
    set_mark("/some/stream", before);
    long ticks = 0;
    bs_error err = {{0}};
    assert_int_equal(bs_scan_file(history, NULL, count_tick, &ticks, NULL, &err), BS_OK);
    assert_int_equal(ticks, 40);
}

/* What recovery does to a reader that mapped the whole file: SIGBUS at the first page past the
 * cut. The callback plays recovery, cutting the uncommitted tail while the scan is running. */
static int cut_behind_the_reader(void *ctx, const bs_tick *t) {
    (void)t;
    long *state = ctx;
    if (state[0]++ == 0) assert_int_equal(truncate(history, state[1]), 0);
    return 0;
}

static void test_a_cut_during_a_scan_never_kills_the_reader(void **state) {
    (void)state;
    write_ticks(history, 200);
    long committed = test_file_size(history);
    write_ticks(history, 4000); /* ~500 kB: mapped, many pages past the cut */
    set_mark("/some/stream", committed);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        long ctx[2] = {0, committed};
        bs_error err = {{0}};
        bs_status st = bs_scan_file(history, NULL, cut_behind_the_reader, ctx, NULL, &err);
        _exit(st == BS_OK && ctx[0] == 200 ? 0 : 1);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_false(WIFSIGNALED(status)); /* SIGBUS before the fix */
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_next_writer_cuts_a_killed_import_off(void **state) {
    (void)state;
    write_ticks(history, 10);
    long before = test_file_size(history);
    FILE *f = fopen(history, "a");
    fputs("{\"Datetime\": \"2024-02-01T00:00:00+00:00\", \"Open\": 1, \"Hi", f); /* torn */
    fclose(f);
    set_mark(BS_HISTORY_IMPORT_OWNER, before);
    int fd;
    int64_t size;
    bs_error err = {{0}};
    assert_int_equal(bs_history_lock(history, &fd, &size, &err), BS_OK);
    bs_history_unlock(fd);
    assert_int_equal(size, before);
    assert_int_equal(test_file_size(history), before);
    assert_false(has_mark());
}

static void test_another_folders_interrupted_batch_holds_a_stream_off(void **state) {
    (void)state;
    write_ticks(history, 10);
    char other[96];
    snprintf(other, sizeof other, "%s/other", dir);
    assert_int_equal(mkdir(other, 0755), 0);
    set_mark("/elsewhere/stream", test_file_size(history));
    int fd;
    int64_t size;
    bs_error err = {{0}};
    assert_int_equal(bs_history_lock_as_stream(history, other, &fd, &size, &err), BS_ERR_CONFIG);
    assert_non_null(strstr(err.msg, "--stream-dir /elsewhere/stream"));
    /* its own mark it recovers itself */
    char *real = realpath(other, NULL);
    set_mark(real, test_file_size(history));
    free(real);
    assert_int_equal(bs_history_lock_as_stream(history, other, &fd, &size, &err), BS_OK);
    bs_history_unlock(fd);
}

static void test_a_failed_append_leaves_the_history_as_it_was(void **state) {
    (void)state;
    long before = write_ticks(history, 10);
    int fd;
    int64_t size;
    bs_error err = {{0}};
    assert_int_equal(bs_history_lock(history, &fd, &size, &err), BS_OK);
    /* A descriptor that cannot be written to stands in for a full disk. */
    bs_history_unlock(fd);
    fd = open(history, O_RDONLY);
    bs_tick t = {.ts_us = 1, .close = 5};
    assert_int_not_equal(bs_history_append_marked(fd, history, size, &t, 1, NULL, &err), BS_OK);
    close(fd);
    assert_int_equal(test_file_size(history), before);
    assert_false(has_mark());
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_readers_stop_where_an_interrupted_write_began, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_cut_during_a_scan_never_kills_the_reader, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_next_writer_cuts_a_killed_import_off, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_another_folders_interrupted_batch_holds_a_stream_off,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_failed_append_leaves_the_history_as_it_was, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
