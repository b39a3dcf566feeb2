/*
 * reader.h - streaming a price file, tick by tick, with bad lines counted, never fatal.
 *
 * bs_scan_file() reads a file in large blocks (memory stays bounded whatever the file size),
 * detects its format from the first line, parses each line and hands each good tick to a
 * callback. A bad line is skipped and counted, and the first few are kept with their line
 * number and reason so that the caller can print "file:line: reason". With `strict` the first
 * bad line stops the scan with that message. A byte range lets several threads scan one file.
 *
 * bs_history_load() builds on it to return all ticks of a file in time order.
 */
#ifndef BTCSTREAM_READER_H
#define BTCSTREAM_READER_H

#include "btcstream/export.h"

#include <stddef.h>
#include <stdint.h>

#include "btcstream/status.h"
#include "btcstream/tick.h"

/* A good tick with its line's market (tick.h, bs_tick_parse_json_market()): "" when none. */
typedef int (*bs_market_tick_fn)(void *ctx, const bs_tick *tick, const char *market);

typedef struct {
    bs_format format; /* BS_FORMAT_AUTO: detect from the file's first line */
    int strict;       /* non-zero: the first bad line fails the scan */
    /*
     * Byte range [range_start, range_end) to scan; both 0 means the whole file. A line belongs to
     * the range its first byte falls in, so adjacent ranges cover every line exactly once.
     */
    int64_t range_start, range_end;
    /*
     * 0: read only the file's readable size (history.h), which no recovery can cut, so that a
     * concurrent cut never pulls a mapped page away. > 0: the caller holds the history's writer
     * lock and this is its size under the lock; the scan reads that much and takes no lock.
     */
    int64_t locked_size;
    /*
     * When not NULL, called for each good tick instead of bs_scan_file()'s on_tick, with the
     * line's "Market" ("" for a line without one, and for every line of a format other than JSON
     * lines). The same ctx is passed; a non-zero return stops the scan likewise.
     */
    bs_market_tick_fn on_market_tick;
} bs_scan_options;

#define BS_SCAN_KEEP_BAD 5

typedef struct {
    uint64_t line_no; /* 1-based, counted from the range start in range scans */
    char reason[192];
} bs_bad_line;

typedef struct {
    bs_format format; /* the format scanned (detected or given) */
    uint64_t lines;   /* lines read in the range, blank ones included */
    uint64_t ticks;   /* good ticks handed to the callback */
    uint64_t bad;     /* bad lines skipped */
    size_t kept;      /* how many of bad_lines are filled */
    bs_bad_line bad_lines[BS_SCAN_KEEP_BAD];
} bs_scan_stats;

/* Called for each good tick; return non-zero to stop the scan early (bs_scan_file returns BS_OK).
 */
typedef int (*bs_tick_fn)(void *ctx, const bs_tick *tick);

/*
 * Scans path. opts may be NULL for defaults; stats (may be NULL) is filled in. A missing file,
 * an unreadable one or an unrecognised format is an error naming the file; an empty file gives
 * BS_ERR_EMPTY. In strict mode the first bad line gives BS_ERR_PARSE, "path:line: reason".
 */
BS_API bs_status bs_scan_file(const char *path, const bs_scan_options *opts, bs_tick_fn on_tick,
                              void *ctx, bs_scan_stats *stats, bs_error *err);

/* Detects the format of the file at path from its first line. */
BS_API bs_status bs_detect_file_format(const char *path, bs_format *format, bs_error *err);

/* A growable array of ticks; zero-initialise, free with bs_tick_vec_free(). */
typedef struct {
    bs_tick *items;
    size_t len, cap;
} bs_tick_vec;

/* Appends a copy of tick, growing the array (BS_ERR_NOMEM when it cannot); the free function
 * releases the items and zeroes vec. */
BS_API bs_status bs_tick_vec_push(bs_tick_vec *vec, const bs_tick *tick);
BS_API void bs_tick_vec_free(bs_tick_vec *vec);

/* Sorts by time, keeping the file order of equal times (stable). BS_ERR_NOMEM leaves it as is. */
BS_API bs_status bs_tick_vec_sort(bs_tick_vec *vec);

/*
 * Loads every good tick of path into out (which the caller frees), sorted by time.
 * Fails with BS_ERR_EMPTY when the file holds no good tick.
 */
BS_API bs_status bs_history_load(const char *path, const bs_scan_options *opts, bs_tick_vec *out,
                                 bs_scan_stats *stats, bs_error *err);

#endif
