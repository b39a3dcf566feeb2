/*
 * The ZIP of an output folder, read back by Info-ZIP's unzip (not by libzip, which wrote it):
 * every regular file at the top level with its bytes, nothing else, a replaced archive whole,
 * and errors that leave no file behind.
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

#include "btcstream/archive.h"
#include "test_util.h"

static char work[32];

static int setup(void **state) {
    (void)state;
    test_tmpdir(work, sizeof work, "archive");
    char sub[64];
    snprintf(sub, sizeof sub, "%s/in", work);
    assert_int_equal(mkdir(sub, 0755), 0);
    snprintf(sub, sizeof sub, "%s/in/sub", work);
    assert_int_equal(mkdir(sub, 0755), 0);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    return test_rmtree(work);
}

static void write_file(const char *name, const char *data, size_t len) {
    char path[256];
    snprintf(path, sizeof path, "%s/in/%s", work, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

/* What `unzip` prints for cmd_tail (e.g. "-Z1 X.zip"), into out (NUL-terminated). */
static size_t unzip_output(const char *cmd_tail, char *out, size_t cap) {
    char cmd[512];
    snprintf(cmd, sizeof cmd, "unzip %s 2>/dev/null", cmd_tail);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, cap - 1, p);
    out[n] = '\0';
    assert_int_equal(pclose(p), 0);
    return n;
}

static void test_regular_files_are_zipped_with_their_bytes_and_nothing_else(void **state) {
    (void)state;
    if (system("command -v unzip > /dev/null") != 0) skip();
    static char big[200000]; /* compressible, and larger than any single buffer */
    for (size_t i = 0; i < sizeof big; i++) big[i] = (char)('a' + (i * 7 % 13));
    write_file("part-00000.parquet", big, sizeof big);
    write_file("_SUCCESS", "", 0);
    char zip[256], cmd[640], *out = malloc(sizeof big + 1);
    snprintf(zip, sizeof zip, "%s/out.zip", work);
    snprintf(cmd, sizeof cmd, "%s/in", work);
    bs_error err = {{0}};
    assert_int_equal(bs_archive_zip_dir(cmd, zip, &err), BS_OK);

    snprintf(cmd, sizeof cmd, "-tq %s", zip);
    unzip_output(cmd, out, sizeof big + 1);
    snprintf(cmd, sizeof cmd, "-Z1 %s", zip);
    unzip_output(cmd, out, sizeof big + 1);
    assert_true(strcmp(out, "part-00000.parquet\n_SUCCESS\n") == 0 ||
                strcmp(out, "_SUCCESS\npart-00000.parquet\n") == 0); /* not sub/ */
    snprintf(cmd, sizeof cmd, "-p %s part-00000.parquet", zip);
    assert_int_equal(unzip_output(cmd, out, sizeof big + 1), sizeof big);
    assert_memory_equal(out, big, sizeof big);
    snprintf(cmd, sizeof cmd, "-p %s _SUCCESS", zip);
    assert_int_equal(unzip_output(cmd, out, sizeof big + 1), 0);
    free(out);
}

static void test_existing_archive_is_replaced_whole(void **state) {
    (void)state;
    if (system("command -v unzip > /dev/null") != 0) skip();
    char zip[256], in[256], cmd[640], out[256];
    snprintf(zip, sizeof zip, "%s/out.zip", work);
    snprintf(in, sizeof in, "%s/in", work);
    FILE *f = fopen(zip, "wb");
    assert_non_null(f);
    for (int i = 0; i < 10000; i++) fputs("old bytes that are not a zip\n", f);
    fclose(f);
    write_file("a.txt", "hello\n", 6);
    assert_int_equal(bs_archive_zip_dir(in, zip, NULL), BS_OK);
    snprintf(cmd, sizeof cmd, "-Z1 %s", zip);
    unzip_output(cmd, out, sizeof out);
    assert_string_equal(out, "a.txt\n");
    struct stat sb;
    assert_int_equal(stat(zip, &sb), 0);
    assert_true(sb.st_size < 1000);
}

static void test_missing_folder_is_an_io_error_and_leaves_no_file(void **state) {
    (void)state;
    char zip[256], in[256];
    snprintf(zip, sizeof zip, "%s/none.zip", work);
    snprintf(in, sizeof in, "%s/missing", work);
    bs_error err = {{0}};
    assert_int_equal(bs_archive_zip_dir(in, zip, &err), BS_ERR_IO);
    assert_non_null(strstr(err.msg, in));
    assert_int_equal(access(zip, F_OK), -1);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "test -z \"$(ls %s | grep tmp)\"", work);
    assert_int_equal(system(cmd), 0);
}

static void test_unwritable_destination_is_an_io_error(void **state) {
    (void)state;
    char in[256];
    snprintf(in, sizeof in, "%s/in", work);
    write_file("a.txt", "hello\n", 6);
    bs_error err = {{0}};
    assert_int_equal(bs_archive_zip_dir(in, "/nonexistent/dir/x.zip", &err), BS_ERR_IO);
    assert_non_null(strstr(err.msg, "/nonexistent/dir/x.zip"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_regular_files_are_zipped_with_their_bytes_and_nothing_else, setup, teardown),
        cmocka_unit_test_setup_teardown(test_existing_archive_is_replaced_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_folder_is_an_io_error_and_leaves_no_file,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_unwritable_destination_is_an_io_error, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
