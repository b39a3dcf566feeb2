/*
 * driver.c - runs a harness over files without libFuzzer: each argument is a file, or a
 * directory whose regular files are run in name order. This is the regression run of `make
 * test` (every input that ever crashed a harness is kept in its corpus), and it lets a harness be
 * built and debugged with gcc where clang is not installed.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int run_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return perror(path), 0;
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (!buf) return fprintf(stderr, "%s: out of memory\n", path), 0;
    /* An exact-size copy, so that ASan sees a read past the input's end. */
    uint8_t *exact = malloc(n ? n : 1);
    if (!exact) return free(buf), 0;
    memcpy(exact, buf, n);
    free(buf);
    LLVMFuzzerTestOneInput(exact, n);
    free(exact);
    return 1;
}

static int by_name(const struct dirent **a, const struct dirent **b) {
    return strcmp((*a)->d_name, (*b)->d_name);
}

int main(int argc, char **argv) {
    size_t runs = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) return perror(argv[i]), 1;
        if (!S_ISDIR(st.st_mode)) {
            if (!run_file(argv[i])) return 1;
            runs++;
            continue;
        }
        struct dirent **names;
        int count = scandir(argv[i], &names, NULL, by_name);
        if (count < 0) return perror(argv[i]), 1;
        for (int k = 0; k < count; k++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[i], names[k]->d_name);
            if (names[k]->d_name[0] != '.' && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
                if (!run_file(path)) return 1;
                runs++;
            }
            free(names[k]);
        }
        free(names);
    }
    if (runs == 0) return fprintf(stderr, "no input files\n"), 1;
    printf("%zu inputs ran\n", runs);
    return 0;
}
