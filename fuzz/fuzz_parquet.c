/*
 * fuzz_parquet.c - the Parquet reader as `plot --predictions` uses it: the input is the one part
 * file of a predictions folder, read by bs_predictions_read(). Every damaged file must be a
 * clean error (no crash, leak, or allocation the file's size does not justify).
 */
#include <stdio.h>
#include <sys/stat.h>

#include "btcstream/predictions.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char dir[128], path[256];
    snprintf(dir, sizeof dir, "%s/bitcoin_predictions.parquet", fuzz_dir());
    mkdir(dir, 0700);
    snprintf(path, sizeof path, "%s/part-00000-fuzz-c000.snappy.parquet", dir);
    fuzz_write_file(path, data, size);
    bs_predictions p;
    bs_error err = {{0}};
    if (bs_predictions_read(dir, &p, &err) == BS_OK) bs_predictions_free(&p);
    return 0;
}
