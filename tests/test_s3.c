/* S3 key encoding and configuration, on hand-worked cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "btcstream/config.h"
#include "btcstream/s3.h"

static void test_key_encoding_keeps_unreserved_and_slash(void **state) {
    (void)state;
    char out[256];
    bs_s3_encode_key("dir/a b+\xc3\xa9~(1).bin", out, sizeof out);
    assert_string_equal(out, "dir/a%20b%2B%C3%A9~%281%29.bin");
    bs_s3_encode_key("A-Z_a.z~0/9", out, sizeof out);
    assert_string_equal(out, "A-Z_a.z~0/9");
    bs_s3_encode_key("=&?%", out, sizeof out);
    assert_string_equal(out, "%3D%26%3F%25");
}

static void test_missing_credentials_or_bucket_skip(void **state) {
    (void)state;
    bs_config_set_dotenv_path("/nonexistent/.env");
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    unsetenv("S3_BUCKET_NAME");
    unsetenv("AWS_DEFAULT_REGION");
    bs_s3_config c;
    char reason[160];
    bs_s3_config_load(&c, NULL);
    assert_string_equal(c.region, "us-east-2");
    assert_int_equal(bs_s3_config_ready(&c, reason, sizeof reason), 0);
    assert_non_null(strstr(reason, "no AWS credentials"));
    setenv("AWS_ACCESS_KEY_ID", "AK", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "SK", 1);
    bs_s3_config_load(&c, NULL);
    assert_int_equal(bs_s3_config_ready(&c, reason, sizeof reason), 0);
    assert_non_null(strstr(reason, "no bucket"));
    bs_s3_config_load(&c, "flag-bucket"); /* a flag beats the environment */
    assert_int_equal(bs_s3_config_ready(&c, reason, sizeof reason), 1);
    assert_string_equal(c.bucket, "flag-bucket");
    bs_config_set_dotenv_path(NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_encoding_keeps_unreserved_and_slash),
        cmocka_unit_test(test_missing_credentials_or_bucket_skip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
