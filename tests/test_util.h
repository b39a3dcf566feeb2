/*
 * test_util.h - what the unit tests share: a fresh temporary folder a test, removed after it,
 * and the small file steps tests set things up with. Include after <cmocka.h>: failures are
 * cmocka assertions, so a setup that cannot make its files fails the test that needed them.
 */
#ifndef BTCSTREAM_TEST_UTIL_H
#define BTCSTREAM_TEST_UTIL_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Makes /tmp/bs_NAME_XXXXXX into dir (size bytes). */
static inline void test_tmpdir(char *dir, size_t size, const char *name) {
    assert_true((size_t)snprintf(dir, size, "/tmp/bs_%s_XXXXXX", name) < size);
    assert_non_null(mkdtemp(dir));
}

static inline int test_remove_entry(const char *path, const struct stat *sb, int flag,
                                    struct FTW *ftw) {
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

/* Removes dir and everything in it (no shell involved); 0 on success, as a teardown returns. */
static inline int test_rmtree(const char *dir) {
    return nftw(dir, test_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Writes text to path, replacing it. */
static inline void test_write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

/* The size of path, -1 when it does not exist. */
static inline long test_file_size(const char *path) {
    struct stat sb;
    return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

#endif
