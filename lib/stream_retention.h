/*
 * stream_retention.h - keeps _processed/ bounded: a long-running collector writes one file a
 * tick, and without this the folder grows until the disk is full.
 *
 * Safe for exactly-once because nothing reads _processed/ again: recovery replays the moves of
 * the commit lines still in the log by looking for their files in the stream directory, and a
 * file that is not there counts as moved (checkpoint.h). _quarantine/ is left alone: it holds
 * what a person has to look at.
 */
#ifndef BTCSTREAM_STREAM_RETENTION_H
#define BTCSTREAM_STREAM_RETENTION_H

#include <stddef.h>
#include <stdint.h>

#include "btcstream/status.h"

/*
 * Removes from dir the regular files (not dot-names) modified more than max_age_us before now_s
 * (0: no age limit) and, of the rest, the oldest beyond max_files (0: no count limit). *removed
 * receives how many went. BS_ERR_IO names the folder or file that could not be listed or removed.
 */
bs_status bs_stream_retention_prune(const char *dir, int64_t max_age_us, size_t max_files,
                                    int64_t now_s, size_t *removed, bs_error *err);

#endif
