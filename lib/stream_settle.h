/*
 * stream_settle.h - watches committed files for a while after they moved to _processed/.
 *
 * A producer that writes a stream file in place (instead of under a dot-name, renamed into place
 * when whole) may still be writing when the file is committed and moved: its descriptor follows
 * the file into _processed/, and what it writes there would be lost without a word. So each moved
 * file is watched for BS_SETTLE_US: if it grows or changes, it is moved on to _quarantine/ with a
 * reason saying which lines were taken, so the rest is found, not lost. A file written in place
 * more slowly than that is beyond what can be caught; docs/streaming.md says to use dot-names.
 */
#ifndef BTCSTREAM_STREAM_SETTLE_H
#define BTCSTREAM_STREAM_SETTLE_H

#include <stddef.h>
#include <stdint.h>

#include "btcstream/checkpoint.h"
#include "btcstream/status.h"

#define BS_SETTLE_US (2 * 1000000)

typedef struct {
    char *name;
    uint64_t ino;
    int64_t mtime_ns, size, moved_us;
} settle_entry;

typedef struct {
    settle_entry *items;
    size_t len, cap;
} settle_list;

/* Starts watching a file just moved to _processed/ (identity as read). Out of memory: skipped. */
void settle_watch(settle_list *l, const bs_checkpoint_file *f, int64_t now_us);

/*
 * Checks the watched files of stream_dir: a changed one moves to _quarantine/ with a reason
 * (*moved counts them), and files watched for BS_SETTLE_US are let go (all of them when final).
 */
bs_status settle_check(settle_list *l, const char *stream_dir, int64_t now_us, int final,
                       size_t *moved, bs_error *err);

void settle_free(settle_list *l);

#endif
