/* stream_watch.c - see stream_watch.h. Events are only a wake-up: the directory listing decides. */
#include "stream_watch.h"

#include <poll.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#define POLL_INTERVAL_US 50000 /* without inotify, look again every 50 ms */

void stream_watch_open(stream_watch *w, const char *dir, int force_poll) {
    w->fd = -1;
    if (force_poll) return;
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) return;
    if (inotify_add_watch(fd, dir, IN_MOVED_TO | IN_CLOSE_WRITE) < 0) {
        close(fd);
        return;
    }
    w->fd = fd;
}

void stream_watch_wait(stream_watch *w, int64_t timeout_us) {
    if (timeout_us <= 0) return;
    if (w->fd < 0) {
        int64_t us = timeout_us < POLL_INTERVAL_US ? timeout_us : POLL_INTERVAL_US;
        struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
        nanosleep(&ts, NULL);
        return;
    }
    struct pollfd p = {w->fd, POLLIN, 0};
    int ms = (int)((timeout_us + 999) / 1000);
    if (poll(&p, 1, ms) > 0) {
        char drain[4096];
        while (read(w->fd, drain, sizeof drain) > 0) {
        }
    }
}

void stream_watch_close(stream_watch *w) {
    if (w->fd >= 0) close(w->fd);
    w->fd = -1;
}
