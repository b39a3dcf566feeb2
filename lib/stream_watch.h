/*
 * stream_watch.h (private) - waiting for new files in a directory: inotify where the kernel
 * offers it, a plain sleep (the caller then lists the directory again) where it does not.
 */
#ifndef BTCSTREAM_STREAM_WATCH_H
#define BTCSTREAM_STREAM_WATCH_H

#include <stdint.h>

typedef struct {
    int fd; /* inotify descriptor, or -1 when polling */
} stream_watch;

/* Starts watching dir; falls back to polling (fd = -1) when inotify fails or force_poll is set. */
void stream_watch_open(stream_watch *w, const char *dir, int force_poll);

/* Waits until a file may have arrived or timeout_us passes. */
void stream_watch_wait(stream_watch *w, int64_t timeout_us);

void stream_watch_close(stream_watch *w);

#endif
