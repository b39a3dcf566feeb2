/*
 * gap_log.c - see gap_log.h. Each event is one write() of one whole line to a file opened with
 * O_APPEND, so two events never interleave and a crash can only cut the last line short.
 */
#include "gap_log.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btcstream/fsutil.h"
#include "btcstream/market.h"
#include "btcstream/timeutil.h"

#define JOURNAL "gaps.jsonl"
#define HISTORY "history.json"

/* The journal's path from the history's: the same folder. 0 when the history is no market's. */
static int journal_path(const char *history, char *out, size_t size) {
    size_t n = strlen(history), h = strlen(HISTORY);
    if (n < h + 1 || strcmp(history + n - h, HISTORY) != 0 || history[n - h - 1] != '/') return 0;
    return snprintf(out, size, "%.*s%s", (int)(n - h), history, JOURNAL) < (int)size;
}

static bs_status append(const char *data_dir, const char *market, const char *line, size_t len,
                        bs_error *err) {
    char history[4096], path[4096];
    bs_status st = bs_market_history(data_dir, market, history, sizeof history, err);
    if (st != BS_OK) return st;
    if (!journal_path(history, path, sizeof path))
        return bs_fail(err, BS_ERR_ARG, "%s: no gap journal for this history", history);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    st = bs_mkdirs(path, err);
    *slash = '/';
    if (st != BS_OK) return st;
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return bs_fail(err, BS_ERR_IO, "%s: %s", path, strerror(errno));
    ssize_t put = write(fd, line, len);
    int saved = errno;
    close(fd);
    if (put != (ssize_t)len)
        return bs_fail(err, BS_ERR_IO, "%s: %s", path, put < 0 ? strerror(saved) : "short write");
    return BS_OK;
}

bs_status gap_log_found(const char *data_dir, const char *market, int64_t from_us, const char *why,
                        bs_error *err) {
    char now[BS_TIME_ISO_SIZE], from[BS_TIME_ISO_SIZE], plain[200], line[512];
    bs_time_format_iso(bs_now_us(), now);
    bs_time_format_iso(from_us, from);
    size_t i = 0; /* our own words, but a quote or a control character would break the line */
    for (; why && why[i] && i + 1 < sizeof plain; i++)
        plain[i] = why[i] == '"' || why[i] == '\\' || (unsigned char)why[i] < ' ' ? ' ' : why[i];
    plain[i] = '\0';
    int n = snprintf(line, sizeof line, "{\"Found\":\"%s\",\"From\":\"%s\",\"Why\":\"%s\"}\n", now,
                     from, plain);
    return append(data_dir, market, line, (size_t)n, err);
}

bs_status gap_log_filled(const char *data_dir, const char *market, int64_t from_us, int64_t to_us,
                         uint64_t gaps, size_t candles, bs_error *err) {
    char now[BS_TIME_ISO_SIZE], from[BS_TIME_ISO_SIZE], to[BS_TIME_ISO_SIZE], line[512];
    bs_time_format_iso(bs_now_us(), now);
    bs_time_format_iso(from_us, from);
    bs_time_format_iso(to_us, to);
    int n = snprintf(line, sizeof line,
                     "{\"Filled\":\"%s\",\"From\":\"%s\",\"To\":\"%s\",\"Gaps\":%" PRIu64
                     ",\"Candles\":%zu}\n",
                     now, from, to, gaps, candles);
    return append(data_dir, market, line, (size_t)n, err);
}

bs_status gap_log_count(const char *history_path, uint64_t *found, uint64_t *filled,
                        bs_error *err) {
    *found = *filled = 0;
    char path[4096];
    if (!journal_path(history_path, path, sizeof path)) return BS_OK;
    FILE *f = fopen(path, "r");
    if (!f)
        return errno == ENOENT ? BS_OK : bs_fail(err, BS_ERR_IO, "%s: %s", path, strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) {
        if (n < 2 || line[n - 1] != '\n' || line[n - 2] != '}') continue; /* torn by a crash */
        if (strncmp(line, "{\"Found\":", 9) == 0) {
            (*found)++;
        } else if (strncmp(line, "{\"Filled\":", 10) == 0) {
            const char *g = strstr(line, "\"Gaps\":");
            if (g) *filled += strtoull(g + 7, NULL, 10);
        }
    }
    int failed = ferror(f);
    free(line);
    fclose(f);
    if (failed) return bs_fail(err, BS_ERR_IO, "%s: read error", path);
    if (*filled > *found) *filled = *found; /* a torn Found line whose fill was written */
    return BS_OK;
}
