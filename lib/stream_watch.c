/* stream_watch.c - see stream_watch.h. Events are only a wake-up: the directory listing decides. */
#include "stream_watch.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#define POLL_INTERVAL_US 50000 /* without inotify, look again every 50 ms */

void stream_watch_open(stream_watch *w, const char *dir, int force_poll, int wake_fd) {
    w->fd = -1;
    w->wake_fd = wake_fd;
    if (force_poll) return;
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) return;
    if (inotify_add_watch(fd, dir, IN_MOVED_TO | IN_CLOSE_WRITE) < 0) {
        close(fd);
        return;
    }
    w->fd = fd;
}

void stream_watch_add(stream_watch *w, const char *dir) {
    if (w->fd >= 0) inotify_add_watch(w->fd, dir, IN_MOVED_TO | IN_CLOSE_WRITE | IN_CREATE);
}

void stream_watch_wait(stream_watch *w, int64_t timeout_us) {
    if (timeout_us <= 0) return;
    if (w->fd < 0 && timeout_us > POLL_INTERVAL_US) timeout_us = POLL_INTERVAL_US;
    struct pollfd p[2] = {{w->fd, POLLIN, 0}, {w->wake_fd, POLLIN, 0}};
    int ms = (int)((timeout_us + 999) / 1000);
    /* Negative descriptors are skipped by poll(), so with neither this is a plain sleep. */
    if (poll(p, 2, ms) > 0 && (p[0].revents & POLLIN)) {
        char drain[4096];
        while (read(w->fd, drain, sizeof drain) > 0) {}
    }
}

void stream_watch_close(stream_watch *w) {
    if (w->fd >= 0) close(w->fd);
    w->fd = -1;
}
