/*
 * fuzz_dotenv.c - the .env reader (lib/config.c) on an arbitrary file: it is refused with a
 * reason, or read, and then no value it yields is longer than a line may be.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btcstream/config.h"
#include "fuzz.h"

static const char *const keys[] = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "S3_BUCKET_NAME",
                                   "S3_PREFIX",         "COINGECKO_API_KEY",     "A"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 4 * BS_CONFIG_MAX_LINE) return 0;
    char path[128];
    snprintf(path, sizeof path, "%s/.env", fuzz_dir());
    fuzz_write_file(path, data, size);
    bs_config_set_dotenv_path(path);
    bs_error err = {{0}};
    bs_status st = bs_config_load(&err);
    if (st != BS_OK && err.msg[0] == '\0') abort();
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const char *v = bs_config_get(keys[i]);
        if (v && (st != BS_OK || strlen(v) > BS_CONFIG_MAX_LINE)) abort();
    }
    bs_config_set_dotenv_path(NULL);
    return 0;
}
