/*
 * committed.c - see committed.h. The commit log is read from its tail: it is compacted to its
 * last commit by the stream processor, so the tail always holds the line that matters.
 */
#include "committed.h"

#include "btcstream/market.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOG_TAIL_BYTES 65536
#define POLL_INTERVAL_US 50000

bs_status serve_paths_init(serve_paths *p, const char *data_dir, const char *market,
                           bs_error *err) {
    memset(p, 0, sizeof *p);
    if (strlen(data_dir) >= sizeof p->data_dir)
        return bs_fail(err, BS_ERR_ARG, "data dir path too long: %.80s...", data_dir);
    snprintf(p->data_dir, sizeof p->data_dir, "%s", data_dir);
    if (!market) {
        /* The only market; a data dir with none yet is shown as a legacy one, which is what a
         * stream processor started on it without markets writes. */
        char history[4096];
        bs_status st = bs_market_resolve(data_dir, NULL, history, sizeof history, p->market, err);
        if (st == BS_ERR_EMPTY) p->market[0] = '\0';
        else if (st != BS_OK) return st;
    } else {
        bs_status st = market[0] ? bs_market_check(market, err) : BS_OK;
        if (st != BS_OK) return st;
        snprintf(p->market, sizeof p->market, "%s", market);
    }
    if (!p->market[0]) {
        snprintf(p->history, sizeof p->history, "%s/bitcoin_combined.json", data_dir);
        snprintf(p->stream_dir, sizeof p->stream_dir, "%s/stream", data_dir);
    } else {
        char stream_root[4200];
        snprintf(stream_root, sizeof stream_root, "%s/stream", data_dir);
        bs_status st = bs_market_history(data_dir, p->market, p->history, sizeof p->history, err);
        if (st == BS_OK)
            st = bs_market_stream_dir(stream_root, p->market, p->stream_dir, sizeof p->stream_dir,
                                      err);
        if (st != BS_OK) return st;
    }
    if (snprintf(p->log, sizeof p->log, "%s/_checkpoint.log", p->stream_dir) >=
            (int)sizeof p->log ||
        snprintf(p->quarantine, sizeof p->quarantine, "%s/_quarantine", p->stream_dir) >=
            (int)sizeof p->quarantine)
        return bs_fail(err, BS_ERR_ARG, "data dir path too long: %.80s...", data_dir);
    return BS_OK;
}

/*
 * Parses the last complete "commit N S R files..." line of text into out; 0 when there is none.
 * A line with no newline yet is torn (being written, or cut by a crash): never counted.
 */
static int last_commit_line(const char *text, size_t len, int skip_first, serve_commit *out) {
    size_t pos = 0;
    int found = 0;
    if (skip_first) { /* the tail read starts mid-line */
        const char *nl = memchr(text, '\n', len);
        pos = nl ? (size_t)(nl - text) + 1 : len;
    }
    while (pos < len) {
        const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
        if (!nl) break;
        unsigned long long batch, rows;
        long long size;
        int used = 0;
        if (strncmp(line, "commit ", 7) == 0 &&
            sscanf(line, "commit %llu %lld %llu%n", &batch, &size, &rows, &used) == 3) {
            out->batch = batch;
            out->size = size;
            out->rows = rows;
            out->files = 0;
            for (const char *c = line + used; c < nl; c++)
                if (*c == ' ' && c + 1 < nl && c[1] != ' ') out->files++;
            found = 1;
        }
        pos = (size_t)(nl - text) + 1;
    }
    return found;
}

static uint64_t count_quarantined(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return 0;
    uint64_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.') continue;
        if (len > 7 && strcmp(e->d_name + len - 7, ".reason") == 0) continue;
        n++;
    }
    closedir(d);
    return n;
}

static bs_status read_log(const serve_paths *p, serve_commit *out, bs_error *err) {
    int fd = open(p->log, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? BS_OK : bs_fail(err, BS_ERR_IO, "%s: %s", p->log, strerror(errno));
    bs_status st = BS_OK;
    char *text = malloc(LOG_TAIL_BYTES + 1);
    struct stat sb;
    if (!text) {
        st = bs_fail(err, BS_ERR_NOMEM, "out of memory reading %s", p->log);
        goto done;
    }
    if (fstat(fd, &sb) != 0) {
        st = bs_fail(err, BS_ERR_IO, "%s: %s", p->log, strerror(errno));
        goto done;
    }
    off_t from = sb.st_size > LOG_TAIL_BYTES ? sb.st_size - LOG_TAIL_BYTES : 0;
    ssize_t got = pread(fd, text, LOG_TAIL_BYTES, from);
    if (got < 0) {
        st = bs_fail(err, BS_ERR_IO, "%s: %s", p->log, strerror(errno));
        goto done;
    }
    text[got] = '\0';
    /*
     * The stream processor writes the commit line, then syncs it: a line read between the two
     * could still vanish in a power cut, and recovery would then cut its batch back. Syncing
     * the log here makes every line read durable before it is shown (cheap when the writer has
     * synced it already).
     */
    if (fdatasync(fd) != 0) {
        st = bs_fail(err, BS_ERR_IO, "%s: sync: %s", p->log, strerror(errno));
        goto done;
    }
    if (last_commit_line(text, (size_t)got, from > 0, out)) {
        out->has_log = 1;
        out->commit_us = (int64_t)sb.st_mtim.tv_sec * 1000000 + sb.st_mtim.tv_nsec / 1000;
    }
done:
    free(text);
    close(fd);
    return st;
}

bs_status serve_committed_read(const serve_paths *p, serve_commit *out, bs_error *err) {
    memset(out, 0, sizeof *out);
    bs_status st = read_log(p, out, err);
    if (st != BS_OK) return st;
    struct stat sb;
    int have_history = stat(p->history, &sb) == 0;
    if (!have_history && errno != ENOENT)
        return bs_fail(err, BS_ERR_IO, "%s: %s", p->history, strerror(errno));
    int64_t history_size = have_history ? (int64_t)sb.st_size : 0;
    if (!out->has_log) {
        out->size = history_size;
        out->commit_us =
            have_history ? (int64_t)sb.st_mtim.tv_sec * 1000000 + sb.st_mtim.tv_nsec / 1000 : 0;
    } else if (history_size < out->size) {
        return bs_fail(err, BS_ERR_IO,
                       "%s: %lld bytes, but batch %llu committed %lld: committed data is gone",
                       p->history, (long long)history_size, (unsigned long long)out->batch,
                       (long long)out->size);
    }
    out->quarantined = count_quarantined(p->quarantine);
    return BS_OK;
}

static void add_stream_watch(serve_follow *f, const serve_paths *p) {
    if (f->fd < 0 || f->stream_wd >= 0) return;
    f->stream_wd = inotify_add_watch(f->fd, p->stream_dir,
                                     IN_MODIFY | IN_MOVED_TO | IN_CLOSE_WRITE | IN_CREATE);
}

void serve_follow_open(serve_follow *f, const serve_paths *p, int force_poll, int wake_fd) {
    f->fd = -1;
    f->stream_wd = -1;
    f->wake_fd = wake_fd;
    f->force_poll = force_poll;
    if (force_poll) return;
    f->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (f->fd < 0) return;
    /* The data folder: the history itself (no log) and the stream folder's creation. */
    if (inotify_add_watch(f->fd, p->data_dir,
                          IN_MODIFY | IN_MOVED_TO | IN_CLOSE_WRITE | IN_CREATE) < 0) {
        close(f->fd);
        f->fd = -1;
        return;
    }
    add_stream_watch(f, p);
}

void serve_follow_wait(serve_follow *f, const serve_paths *p, int64_t timeout_us) {
    add_stream_watch(f, p);
    /* Until the stream folder is watched, a commit there would not wake us: poll meanwhile. */
    if ((f->fd < 0 || f->stream_wd < 0) && timeout_us > POLL_INTERVAL_US)
        timeout_us = POLL_INTERVAL_US;
    struct pollfd fds[2] = {{f->fd, POLLIN, 0}, {f->wake_fd, POLLIN, 0}};
    int ms = (int)((timeout_us + 999) / 1000);
    if (poll(fds, 2, ms) > 0 && (fds[0].revents & POLLIN)) {
        char drain[4096];
        while (read(f->fd, drain, sizeof drain) > 0) {}
    }
}

void serve_follow_close(serve_follow *f) {
    if (f->fd >= 0) close(f->fd);
    f->fd = -1;
}
