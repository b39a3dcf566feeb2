/* zip_dir.c - bs_archive_zip_dir() as a command, for the end-to-end benchmark's ZIP step.
 *   bench_zip_dir DIR OUT.zip */
#include <stdio.h>

#include "btcstream/archive.h"

int main(int argc, char **argv) {
    if (argc != 3) return fprintf(stderr, "usage: %s DIR OUT.zip\n", argv[0]), 2;
    bs_error err = {{0}};
    if (bs_archive_zip_dir(argv[1], argv[2], &err) != BS_OK)
        return fprintf(stderr, "%s\n", err.msg), 1;
    return 0;
}
