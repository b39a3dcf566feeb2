/*
 * fuzz_checkpoint.c - crash recovery from a crafted checkpoint log. The input is the log, a NUL
 * byte, then the history; the harness writes both into a fresh stream folder and opens it as
 * the stream processor does (history lock first, then bs_checkpoint_open()), which recovers or
 * refuses with a reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "btcstream/checkpoint.h"
#include "btcstream/history.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const uint8_t *nul = memchr(data, 0, size);
    size_t log_len = nul ? (size_t)(nul - data) : size;
    const uint8_t *history = nul ? nul + 1 : data + size;
    size_t history_len = (size_t)(data + size - history);
    char stream_dir[128], path[256], history_path[128];
    fuzz_empty_dir(fuzz_dir());
    snprintf(stream_dir, sizeof stream_dir, "%s/stream", fuzz_dir());
    snprintf(history_path, sizeof history_path, "%s/history.json", fuzz_dir());
    if (mkdir(stream_dir, 0700) != 0) abort();
    snprintf(path, sizeof path, "%s/_checkpoint.log", stream_dir);
    fuzz_write_file(path, data, log_len);
    fuzz_write_file(history_path, history, history_len);
    int fd = -1;
    int64_t history_size = 0;
    bs_error err = {{0}};
    if (bs_history_lock_as_stream(history_path, stream_dir, &fd, &history_size, &err) != BS_OK)
        return 0;
    bs_checkpoint cp;
    memset(&cp, 0, sizeof cp);
    cp.lock_fd = -1;
    if (bs_checkpoint_open(&cp, stream_dir, history_path, &err) == BS_OK) {
        /* Recovery leaves a history no longer than it was and a log it can open again. */
        struct stat st;
        if (stat(history_path, &st) != 0 || st.st_size > (off_t)history_len) abort();
        bs_checkpoint_close(&cp);
        bs_checkpoint again;
        memset(&again, 0, sizeof again);
        again.lock_fd = -1;
        if (bs_checkpoint_open(&again, stream_dir, history_path, &err) != BS_OK) abort();
        bs_checkpoint_close(&again);
    }
    bs_history_unlock(fd);
    return 0;
}
