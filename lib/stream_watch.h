/*
 * stream_watch.h (private) - waiting for new files in a directory: inotify where the kernel
 * offers it, a plain sleep (the caller then lists the directory again) where it does not.
 */
#ifndef BTCSTREAM_STREAM_WATCH_H
#define BTCSTREAM_STREAM_WATCH_H

#include <stdint.h>

typedef struct {
    int fd;      /* inotify descriptor, or -1 when polling */
    int wake_fd; /* a descriptor that ends any wait once readable, or -1 */
} stream_watch;

/*
 * Starts watching dir; falls back to polling (fd = -1) when inotify fails or force_poll is set.
 * wake_fd (-1: none) ends every wait as soon as it is readable; it is never read here.
 */
void stream_watch_open(stream_watch *w, const char *dir, int force_poll, int wake_fd);

/*
 * Also watches dir (a market folder, or a folder where market folders appear: folders created
 * there wake the wait too). Nothing happens when polling or when the watch cannot be added: the
 * caller lists its folders at every turn anyway.
 */
void stream_watch_add(stream_watch *w, const char *dir);

/* Waits until a file may have arrived, wake_fd is readable, or timeout_us passes. */
void stream_watch_wait(stream_watch *w, int64_t timeout_us);

void stream_watch_close(stream_watch *w);

#endif
