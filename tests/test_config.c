/* The .env reader: long lines are read whole or refused with their line number, never split. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "btcstream/config.h"

static char env_path[64];

static void write_env(const char *first, size_t pad, const char *tail, const char *next_line) {
    FILE *f = fopen(env_path, "w");
    assert_non_null(f);
    fputs(first, f);
    for (size_t i = 0; i < pad; i++) fputc('x', f);
    fputs(tail, f);
    fputc('\n', f);
    if (next_line) fprintf(f, "%s\n", next_line);
    fclose(f);
    bs_config_set_dotenv_path(env_path);
}

static int setup(void **state) {
    (void)state;
    snprintf(env_path, sizeof env_path, "/tmp/bs_test_config_%d.env", (int)getpid());
    unsetenv("S3_BUCKET_NAME");
    unsetenv("S3_PREFIX");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    return 0;
}

static int teardown(void **state) {
    (void)state;
    unlink(env_path);
    bs_config_set_dotenv_path(NULL);
    return 0;
}

/* The smuggling case: a value longer than the old 4,096-byte buffer whose tail looks like a
 * setting. It is one value, and the tail sets nothing. */
static void test_long_value_is_read_whole_and_its_tail_sets_nothing(void **state) {
    (void)state;
    write_env("AWS_SECRET_ACCESS_KEY=", 4095 - 22, "S3_BUCKET_NAME=smuggled", "S3_PREFIX=runs/");
    bs_error err = {{0}};
    assert_int_equal(bs_config_load(&err), BS_OK);
    assert_null(bs_config_get("S3_BUCKET_NAME"));
    const char *secret = bs_config_get("AWS_SECRET_ACCESS_KEY");
    assert_non_null(secret);
    assert_int_equal(strlen(secret), 4095 - 22 + strlen("S3_BUCKET_NAME=smuggled"));
    assert_string_equal(secret + strlen(secret) - 8, "smuggled");
    assert_string_equal(bs_config_get("S3_PREFIX"), "runs/");
}

/* Over the limit: an error naming the file and line, and nothing from the file is used. */
static void test_over_long_line_is_an_error_naming_the_line(void **state) {
    (void)state;
    FILE *f = fopen(env_path, "w");
    assert_non_null(f);
    fputs("# settings\nS3_PREFIX=runs/\nAWS_SECRET_ACCESS_KEY=", f);
    for (int i = 0; i < BS_CONFIG_MAX_LINE; i++) fputc('x', f);
    fputs("S3_BUCKET_NAME=smuggled\n", f);
    fclose(f);
    bs_config_set_dotenv_path(env_path);
    bs_error err = {{0}};
    assert_int_equal(bs_config_load(&err), BS_ERR_CONFIG);
    char expected[128];
    snprintf(expected, sizeof expected, "%s:3: line is longer than %d bytes", env_path,
             BS_CONFIG_MAX_LINE);
    assert_string_equal(err.msg, expected);
    assert_null(bs_config_get("S3_PREFIX"));
    assert_null(bs_config_get("S3_BUCKET_NAME"));
    assert_null(bs_config_get("AWS_SECRET_ACCESS_KEY"));
}

/* A line exactly at the limit, with or without a final newline, is fine. */
static void test_line_at_the_limit_is_accepted(void **state) {
    (void)state;
    FILE *f = fopen(env_path, "w");
    assert_non_null(f);
    fputs("S3_PREFIX=", f);
    for (int i = 0; i < BS_CONFIG_MAX_LINE - 10; i++) fputc('p', f);
    fclose(f);
    bs_config_set_dotenv_path(env_path);
    bs_error err = {{0}};
    assert_int_equal(bs_config_load(&err), BS_OK);
    assert_int_equal(strlen(bs_config_get("S3_PREFIX")), BS_CONFIG_MAX_LINE - 10);
}

static void test_nul_byte_is_an_error(void **state) {
    (void)state;
    FILE *f = fopen(env_path, "w");
    assert_non_null(f);
    fwrite("S3_PREFIX=a\nS3_BUCKET_NAME=b\0S3_BUCKET_NAME=c\n", 1, 46, f);
    fclose(f);
    bs_config_set_dotenv_path(env_path);
    bs_error err = {{0}};
    assert_int_equal(bs_config_load(&err), BS_ERR_CONFIG);
    assert_non_null(strstr(err.msg, ":2: line holds a NUL byte"));
    assert_null(bs_config_get("S3_BUCKET_NAME"));
}

static void test_missing_file_is_not_an_error(void **state) {
    (void)state;
    bs_config_set_dotenv_path("/nonexistent/.env");
    bs_error err = {{0}};
    assert_int_equal(bs_config_load(&err), BS_OK);
    assert_null(bs_config_get("S3_PREFIX"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_long_value_is_read_whole_and_its_tail_sets_nothing,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_over_long_line_is_an_error_naming_the_line, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_line_at_the_limit_is_accepted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nul_byte_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_file_is_not_an_error, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
