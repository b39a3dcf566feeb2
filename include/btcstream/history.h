/*
 * history.h - appending ticks to the history file (JSON lines in the tick format).
 *
 * The history is append-only. Readers (reader.h) tolerate a torn last line, which a crash in the
 * middle of an append can leave: it is counted as one bad line, never taken for a tick. Writers
 * that need all-or-nothing batches (the stream processor) record the committed length and cut
 * the file back to it on restart (see stream.h).
 */
#ifndef BTCSTREAM_HISTORY_H
#define BTCSTREAM_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "btcstream/status.h"
#include "btcstream/tick.h"

/*
 * Appends n ticks to path (created if missing, with its directory entry synced), one JSON line
 * each, and fsyncs the file before returning. If the file does not end in a newline (a torn
 * line), one is written first so that the torn line cannot swallow the first new tick.
 * *new_size, when not NULL, receives the file size after the append.
 */
bs_status bs_history_append(const char *path, const bs_tick *ticks, size_t n, int64_t *new_size,
                            bs_error *err);

/* fsyncs the directory holding path, so that a create or rename in it survives a crash. */
bs_status bs_sync_parent_dir(const char *path, bs_error *err);

#endif
