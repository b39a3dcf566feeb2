/*
 * feed_resume.c - where a market's feed starts again: the latest candle already stored, either
 * committed to the market's history or still waiting in its stream folder (a collector restarted
 * while the stream processor was not running). The feed resumes after it and backfills from
 * there, so a restart neither repeats nor loses a minute.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btcstream/market.h"
#include "feed.h"

#define TAIL_BYTES 65536

/* The last complete line of a file that parses as a tick; *found 0 when there is none. */
static bs_status last_tick_of(const char *path, bs_tick *out, int *found, bs_error *err) {
    *found = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return BS_OK;
        return bs_fail(err, BS_ERR_IO, "%s: %s", path, strerror(errno));
    }
    struct stat sb;
    char *buf = malloc(TAIL_BYTES + 1);
    if (!buf) {
        close(fd);
        return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    }
    off_t start = 0;
    if (fstat(fd, &sb) == 0 && sb.st_size > TAIL_BYTES) start = sb.st_size - TAIL_BYTES;
    ssize_t n = pread(fd, buf, TAIL_BYTES, start);
    int saved = errno;
    close(fd);
    if (n < 0) {
        free(buf);
        return bs_fail(err, BS_ERR_IO, "%s: %s", path, strerror(saved));
    }
    buf[n] = '\0';
    /* from the end: each line back, until one parses (a torn last line is skipped) */
    ssize_t end = n;
    while (end > 0) {
        while (end > 0 && (buf[end - 1] == '\n' || buf[end - 1] == '\r')) end--;
        ssize_t begin = end;
        while (begin > 0 && buf[begin - 1] != '\n') begin--;
        if (begin == 0 && start > 0) break; /* a line cut by the window */
        if (end > begin && bs_tick_parse(BS_FORMAT_JSONL, buf + begin, (size_t)(end - begin), out,
                                         NULL) == BS_OK) {
            *found = 1;
            break;
        }
        end = begin;
    }
    free(buf);
    return BS_OK;
}

/* Keeps in best the stream file name of dir with the latest time (ohlc_YYYYmmdd_HHMMSS_<n>.json).
 */
static bs_status scan_folder(const char *dir, char *best, size_t size, char *best_dir,
                             bs_error *err) {
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? BS_OK : bs_fail(err, BS_ERR_IO, "%s: %s", dir, strerror(errno));
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *name = e->d_name;
        if (strncmp(name, "ohlc_", 5) != 0 || strlen(name) < 21 || strlen(name) >= size) continue;
        if (!best[0] || strncmp(name, best, 21) > 0) {
            snprintf(best, size, "%s", name);
            snprintf(best_dir, 4096, "%s", dir);
        }
    }
    closedir(d);
    return BS_OK;
}

/*
 * The stream file with the latest time in its name, in the folder or among those the stream
 * processor has committed and moved to its _processed/ subfolder.
 */
static bs_status latest_stream_file(const char *dir, bs_tick *out, int *found, bs_error *err) {
    *found = 0;
    char best[256] = "", best_dir[4096] = "", processed[4096 + 16];
    snprintf(processed, sizeof processed, "%s/_processed", dir);
    bs_status st = scan_folder(dir, best, sizeof best, best_dir, err);
    if (st == BS_OK) st = scan_folder(processed, best, sizeof best, best_dir, err);
    if (st != BS_OK || !best[0]) return st;
    char path[4096 + 256];
    snprintf(path, sizeof path, "%s/%s", best_dir, best);
    return last_tick_of(path, out, found, err);
}

bs_status feed_last_stored(const char *data_dir, const char *market, const char *stream_dir,
                           bs_tick *last, int *found, bs_error *err) {
    *found = 0;
    bs_tick a, b;
    int has_a = 0, has_b = 0;
    bs_status st;
    if (data_dir) {
        char history[4096];
        if ((st = bs_market_history(data_dir, market, history, sizeof history, err)) != BS_OK)
            return st;
        if ((st = last_tick_of(history, &a, &has_a, err)) != BS_OK) return st;
    }
    if ((st = latest_stream_file(stream_dir, &b, &has_b, err)) != BS_OK) return st;
    if (has_a && (!has_b || a.ts_us >= b.ts_us)) *last = a, *found = 1;
    else if (has_b) *last = b, *found = 1;
    return BS_OK;
}
