/*
 * fuzz.h - what the harnesses in fuzz/ share. Each fuzz_<target>.c defines
 * LLVMFuzzerTestOneInput(); built with clang -fsanitize=fuzzer it is a libFuzzer binary (`make
 * fuzz`), built with driver.c it is a plain program that runs every file of a corpus once (the
 * regression test `make test` runs, under gcc and under ASan+UBSan).
 *
 * Harnesses that need files write them into one private temporary directory made on first use
 * and removed at exit.
 */
#ifndef BTCSTREAM_FUZZ_H
#define BTCSTREAM_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The harness's temporary directory (created once, removed at exit). */
const char *fuzz_dir(void);

/* Writes size bytes to path (replacing it); aborts on failure, which is the harness's bug. */
void fuzz_write_file(const char *path, const void *data, size_t size);

/* Removes dir's contents (not dir itself). */
void fuzz_empty_dir(const char *dir);

#endif
