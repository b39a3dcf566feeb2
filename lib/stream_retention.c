/*
 * stream_retention.c - see stream_retention.h. The folder is listed whole and sorted by
 * modification time: at the default bound of 100,000 files this is a few megabytes and tens of
 * milliseconds, which is why the stream runs it every few minutes, not every batch.
 */
#include "stream_retention.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
    int64_t mtime_ns;
    char *name;
} entry;

static int by_age(const void *a, const void *b) {
    const entry *x = a, *y = b;
    if (x->mtime_ns != y->mtime_ns) return x->mtime_ns < y->mtime_ns ? -1 : 1;
    return strcmp(x->name, y->name);
}

static void entries_free(entry *e, size_t n) {
    for (size_t i = 0; i < n; i++) free(e[i].name);
    free(e);
}

static bs_status list(const char *dir, entry **out, size_t *count, bs_error *err) {
    *out = NULL;
    *count = 0;
    DIR *d = opendir(dir);
    if (!d) return errno == ENOENT ? BS_OK : bs_fail(err, BS_ERR_IO, "%s: cannot list: %s", dir, strerror(errno));
    size_t cap = 0;
    struct dirent *e;
    bs_status st = BS_OK;
    while (st == BS_OK && (e = readdir(d)) != NULL) {
        struct stat sb;
        if (e->d_name[0] == '.' || fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISREG(sb.st_mode))
            continue;
        if (*count == cap) {
            cap = cap ? cap * 2 : 256;
            entry *grown = realloc(*out, cap * sizeof *grown);
            if (!grown) {
                st = bs_fail(err, BS_ERR_NOMEM, "out of memory listing %s", dir);
                break;
            }
            *out = grown;
        }
        entry *slot = &(*out)[*count];
        slot->mtime_ns = (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec;
        if (!(slot->name = strdup(e->d_name)))
            st = bs_fail(err, BS_ERR_NOMEM, "out of memory listing %s", dir);
        else
            (*count)++;
    }
    closedir(d);
    return st;
}

bs_status bs_stream_retention_prune(const char *dir, int64_t max_age_us, size_t max_files,
                                    int64_t now_s, size_t *removed, bs_error *err) {
    *removed = 0;
    entry *all;
    size_t n;
    bs_status st = list(dir, &all, &n, err);
    if (st != BS_OK || n == 0) {
        entries_free(all, n);
        return st;
    }
    qsort(all, n, sizeof *all, by_age);
    int64_t oldest_kept_ns = max_age_us > 0 ? (now_s * 1000000 - max_age_us) * 1000 : INT64_MIN;
    for (size_t i = 0; i < n && st == BS_OK; i++) {
        int too_many = max_files > 0 && n - i > max_files;
        if (!too_many && all[i].mtime_ns >= oldest_kept_ns) break; /* sorted: the rest stay */
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, all[i].name);
        if (unlink(path) == 0) (*removed)++;
        else if (errno != ENOENT)
            st = bs_fail(err, BS_ERR_IO, "%s: cannot remove: %s", path, strerror(errno));
    }
    entries_free(all, n);
    return st;
}
