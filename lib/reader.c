/*
 * reader.c - scanning price files in bounded memory, and loading them whole when needed.
 *
 * Regular files are mapped rather than read: copying a 1.4 GB history out of the page cache
 * cost a third of the scan time. Mapped pages count toward resident memory as they are touched,
 * so the scan releases what lies behind it every few megabytes (MADV_DONTNEED), which keeps the
 * footprint at one window whatever the file size. Where mapping fails (a pipe, say), blocks are
 * read with pread() into one reused buffer instead; there a line longer than the block (a
 * corrupt or binary file) is skipped to its end in "discard" mode and reported once, so nothing
 * can make the buffer grow. Lines are cut with memchr, the fastest scan the C library offers.
 *
 * A file is mapped at its readable size when the scan starts (history.h): what is committed, and
 * so what no crash recovery can cut off. Lines appended meanwhile are left for the next scan, and
 * a cut of an uncommitted batch behind the scan's back never reaches the mapped range, which
 * would otherwise end the process with SIGBUS.
 */
#include "btcstream/reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btcstream/history.h"
#include "btcstream/market.h"
#include "tick_fast.h"
#include "tick_market_chart.h"

#define BLOCK_BYTES (1 << 20)
#define SMALL_FILE_BYTES (64 << 10)
#define RELEASE_BYTES (16 << 20) /* mapped bytes read before they are given back */

typedef struct {
    const char *path;
    bs_format format;
    bs_csv_layout layout; /* for BS_FORMAT_NAMED_CSV */
    int strict;
    bs_tick_fn on_tick;
    void *ctx;
    bs_scan_stats *stats;
    bs_error *err;
    int stop;
    bs_market_tick_fn on_market_tick; /* when set, instead of on_tick, with the line's market */
} scan_state;

static void keep_bad_line(bs_scan_stats *stats, uint64_t line_no, const char *reason) {
    stats->bad++;
    if (stats->kept >= BS_SCAN_KEEP_BAD) return;
    bs_bad_line *bad = &stats->bad_lines[stats->kept++];
    bad->line_no = line_no;
    size_t n = strnlen(reason, sizeof bad->reason - 1);
    memcpy(bad->reason, reason, n);
    bad->reason[n] = '\0';
}

static void accept_tick_in(scan_state *s, const bs_tick *tick, const char *market) {
    s->stats->ticks++;
    if (s->on_market_tick) {
        if (s->on_market_tick(s->ctx, tick, market)) s->stop = 1;
    } else if (s->on_tick && s->on_tick(s->ctx, tick)) {
        s->stop = 1;
    }
}

static void accept_tick(scan_state *s, const bs_tick *tick) { accept_tick_in(s, tick, ""); }

/* Handles one line; fails only in strict mode (the line is bad) and names it. */
static bs_status handle_line(scan_state *s, const char *line, size_t len) {
    bs_scan_stats *stats = s->stats;
    uint64_t line_no = ++stats->lines;
    if (len > 0 && line[len - 1] == '\r') len--;
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t')) i++;
    if (i == len) return BS_OK; /* blank lines carry nothing */

    bs_tick tick;
    bs_error why = {{0}};
    char market[BS_MARKET_MAX] = "";
    bs_status parsed = s->format == BS_FORMAT_NAMED_CSV
                           ? bs_tick_parse_csv(&s->layout, line, len, &tick, &why)
                       : s->on_market_tick && s->format == BS_FORMAT_JSONL
                           ? bs_tick_parse_json_market(line, len, &tick, market, &why)
                           : bs_tick_parse(s->format, line, len, &tick, &why);
    if (parsed != BS_OK) {
        if (s->strict)
            return bs_fail(s->err, BS_ERR_PARSE, "%s:%llu: %s", s->path,
                           (unsigned long long)line_no, why.msg);
        keep_bad_line(stats, line_no, why.msg);
        return BS_OK;
    }
    accept_tick_in(s, &tick, market);
    return BS_OK;
}

static bs_status long_line(scan_state *s) {
    char why[64];
    snprintf(why, sizeof why, "line longer than %d bytes", BS_MAX_LINE_BYTES);
    uint64_t line_no = ++s->stats->lines;
    if (s->strict)
        return bs_fail(s->err, BS_ERR_PARSE, "%s:%llu: %s", s->path, (unsigned long long)line_no,
                       why);
    keep_bad_line(s->stats, line_no, why);
    return BS_OK;
}

/* Reads the first line (up to the line limit) and detects the format from it. */
static bs_status detect_fd(int fd, const char *path, bs_format *format, int *has_header,
                           bs_csv_layout *layout, bs_error *err) {
    char head[4096];
    ssize_t n = pread(fd, head, sizeof head, 0);
    if (n < 0) return bs_fail(err, BS_ERR_IO, "%s: %s", path, strerror(errno));
    if (n == 0) return bs_fail(err, BS_ERR_EMPTY, "%s: file is empty", path);
    const char *nl = memchr(head, '\n', (size_t)n);
    size_t len = nl ? (size_t)(nl - head) : (size_t)n;
    *format = bs_format_detect_head(head, (size_t)n, has_header, layout);
    if (*format == BS_FORMAT_AUTO) {
        int shown = len > 60 ? 60 : (int)len;
        for (int i = 0; i < shown; i++)
            if ((unsigned char)head[i] < 0x20 || (unsigned char)head[i] >= 0x7f) shown = i;
        return bs_fail(err, BS_ERR_FORMAT,
                       "%s: unrecognised format (first line \"%.*s\"): expected tick JSON lines or "
                       "a CSV whose header names a time and a close column",
                       path, shown, head);
    }
    return BS_OK;
}

bs_status bs_detect_file_format(const char *path, bs_format *format, bs_error *err) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return bs_fail(err, BS_ERR_IO, "%s: %s", path, strerror(errno));
    int has_header;
    bs_csv_layout layout;
    bs_status st = detect_fd(fd, path, format, &has_header, &layout, err);
    close(fd);
    return st;
}

/* Finds where the first line owned by a range starting at `start` begins. */
static bs_status first_line_at(int fd, const char *path, int64_t start, int64_t *out,
                               bs_error *err) {
    char buf[4096];
    int64_t pos = start - 1; /* a line starts at `start` exactly when the byte before is '\n' */
    for (;;) {
        ssize_t n = pread(fd, buf, sizeof buf, pos);
        if (n < 0) return bs_fail(err, BS_ERR_IO, "%s: %s", path, strerror(errno));
        if (n == 0) {
            *out = pos;
            return BS_OK;
        }
        const char *nl = memchr(buf, '\n', (size_t)n);
        if (nl) {
            *out = pos + (nl - buf) + 1;
            return BS_OK;
        }
        pos += n;
    }
}

/* The block loop: cuts [start, end) into lines, handing each to handle_line, reading nothing
 * past size (the readable size). */
static bs_status scan_blocks(scan_state *s, int fd, int64_t size, int64_t start, int64_t end,
                             char *buf, size_t block) {
    size_t have = 0;
    int64_t base = start; /* file offset of buf[0] */
    int discarding = 0;
    for (;;) {
        int64_t left = size - base - (int64_t)have;
        size_t want = block - have;
        if (left < (int64_t)want) want = left > 0 ? (size_t)left : 0;
        ssize_t n = want ? pread(fd, buf + have, want, base + (int64_t)have) : 0;
        if (n < 0) return bs_fail(s->err, BS_ERR_IO, "%s: %s", s->path, strerror(errno));
        have += (size_t)n;
        char *p = buf, *limit = buf + have;
        char *nl;
        while ((nl = memchr(p, '\n', (size_t)(limit - p))) != NULL) {
            if (base + (p - buf) >= end) return BS_OK;
            bs_status st = discarding ? BS_OK : handle_line(s, p, (size_t)(nl - p));
            discarding = 0;
            if (st != BS_OK || s->stop) return st;
            p = nl + 1;
        }
        size_t rest = (size_t)(limit - p);
        if (n == 0) { /* end of file: a last line without a newline still counts */
            if (rest > 0 && !discarding && base + (p - buf) < end) return handle_line(s, p, rest);
            return BS_OK;
        }
        if (rest == block) { /* no newline in a whole block: skip the rest of this line */
            if (base >= end) return BS_OK;
            if (!discarding) {
                bs_status st = long_line(s);
                if (st != BS_OK) return st;
            }
            discarding = 1;
            base += (int64_t)rest;
            have = 0;
            continue;
        }
        memmove(buf, p, rest);
        base += p - buf;
        have = rest;
    }
}

/* Scans [start, end) of a mapping of the whole file (size bytes); the range's lines may run on
 * past end, up to the file's end. */
static bs_status scan_mapped(scan_state *s, const char *map, int64_t size, int64_t start,
                             int64_t end) {
    const char *p = map + start, *stop = map + end, *file_end = map + size;
    const char *released = map + (start & ~(int64_t)(sysconf(_SC_PAGESIZE) - 1));
    bs_status st = BS_OK;
    int canonical = s->format == BS_FORMAT_JSONL;
    while (p < stop && st == BS_OK && !s->stop) {
        bs_tick tick;
        const char *after = canonical ? bs_tick_parse_canonical(p, file_end, &tick) : NULL;
        if (after && (after == file_end || *after == '\n')) { /* the common line, in one pass */
            s->stats->lines++;
            accept_tick(s, &tick);
            p = after == file_end ? after : after + 1;
            goto next;
        }
        const char *nl = memchr(p, '\n', (size_t)(file_end - p));
        const char *line_end = nl ? nl : file_end;
        st = handle_line(s, p, (size_t)(line_end - p));
        p = nl ? nl + 1 : file_end;
    next:
        if (p - released >= RELEASE_BYTES) {
            const char *upto = released + RELEASE_BYTES;
            madvise((void *)released, (size_t)(upto - released), MADV_DONTNEED);
            released = upto;
        }
    }
    return st;
}

/* Small files (a stream file is one tick) are read in one go: mapping them costs more than
 * the copy. Large ones are mapped; where mapping fails, they are read block by block. */
static bs_status scan_range(scan_state *s, int fd, int64_t size, int64_t start, int64_t end) {
    void *map = size > SMALL_FILE_BYTES ? mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0)
                                        : MAP_FAILED;
    if (map == MAP_FAILED) {
        size_t block = size < BLOCK_BYTES ? (size_t)size + 1 : BLOCK_BYTES;
        char *buf = malloc(block);
        if (!buf)
            return bs_fail(s->err, BS_ERR_NOMEM, "%s: out of memory for the read buffer", s->path);
        bs_status st = scan_blocks(s, fd, size, start, end, buf, block);
        free(buf);
        return st;
    }
    madvise(map, (size_t)size, MADV_SEQUENTIAL);
    bs_status st = scan_mapped(s, map, size, start, end);
    munmap(map, (size_t)size);
    return st;
}

/* Replaces *fd (a pipe or device) by an anonymous file holding all it yields. */
static bs_status copy_to_memory_file(int *fd, const char *path, bs_error *err) {
    int mem = memfd_create("btcstream-input", MFD_CLOEXEC);
    if (mem < 0) {
        close(*fd);
        return bs_fail(err, BS_ERR_IO, "%s: cannot buffer the input: %s", path, strerror(errno));
    }
    char buf[1 << 16];
    ssize_t n;
    bs_status st = BS_OK;
    while (st == BS_OK && (n = read(*fd, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 || write(mem, buf, (size_t)n) != n)
            st = bs_fail(err, BS_ERR_IO, "%s: cannot read: %s", path, strerror(errno));
    }
    close(*fd);
    *fd = mem;
    if (st != BS_OK) close(mem);
    return st;
}

/* A format whose lines carry no market, for an on_market_tick caller. */
typedef struct {
    bs_market_tick_fn fn;
    void *ctx;
} market_less;

static int tick_no_market(void *ctx, const bs_tick *tick) {
    const market_less *m = ctx;
    return m->fn(m->ctx, tick, "");
}

bs_status bs_scan_file(const char *path, const bs_scan_options *opts, bs_tick_fn on_tick, void *ctx,
                       bs_scan_stats *stats, bs_error *err) {
    static const bs_scan_options defaults = {0};
    bs_scan_stats local;
    if (!opts) opts = &defaults;
    if (!stats) stats = &local;
    memset(stats, 0, sizeof *stats);

    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return bs_fail(err, BS_ERR_IO, "%s: %s", path, strerror(errno));
    struct stat st_buf;
    if (fstat(fd, &st_buf) != 0 || S_ISDIR(st_buf.st_mode)) {
        close(fd);
        return bs_fail(err, BS_ERR_IO, "%s: not a readable file", path);
    }
    if (!S_ISREG(st_buf.st_mode)) { /* a pipe: detection and ranges need a file to seek in */
        bs_status copied = copy_to_memory_file(&fd, path, err);
        if (copied != BS_OK) return copied;
        fstat(fd, &st_buf);
    }
    int has_header = 0, hold_lock = 0;
    bs_format format = opts->format;
    int64_t size = st_buf.st_size;
    bs_status st = BS_OK;
    if (opts->locked_size > 0) size = opts->locked_size < size ? opts->locked_size : size;
    else st = bs_history_readable_size(fd, path, &size, &hold_lock, err);
    if (st != BS_OK) goto done;
    if (size == 0) {
        st = bs_fail(err, BS_ERR_EMPTY, "%s: file is empty", path);
        goto done;
    }
    bs_format detected;
    bs_csv_layout layout = {-1, -1, -1, -1, -1, -1};
    st = detect_fd(fd, path, &detected, &has_header, &layout, err);
    if (format == BS_FORMAT_AUTO) format = detected;
    if (st != BS_OK && opts->format == BS_FORMAT_AUTO) goto done;
    st = BS_OK;
    stats->format = format;

    int64_t start = opts->range_start, end = opts->range_end ? opts->range_end : size;
    if (end > size) end = size;
    if (start > 0) {
        st = first_line_at(fd, path, start, &start, err);
        if (st != BS_OK) goto done;
    }
    scan_state s = {path,  format, layout, opts->strict, on_tick, ctx, stats, err, 0,
                    opts->on_market_tick};
    if (format == BS_FORMAT_MARKET_CHART) { /* one document, owned by the range holding byte 0 */
        market_less m = {opts->on_market_tick, ctx};
        if (start == 0 && start < end)
            st = opts->on_market_tick
                     ? market_chart_scan_fd(fd, path, st_buf.st_size, opts->strict, tick_no_market,
                                            &m, stats, err)
                     : market_chart_scan_fd(fd, path, st_buf.st_size, opts->strict, on_tick, ctx,
                                            stats, err);
        goto done;
    }
    for (int h = 0, skip = start == 0 ? has_header : 0; h < skip; h++) { /* not ticks */
        int64_t after;
        st = first_line_at(fd, path, start + 1, &after, err);
        if (st != BS_OK) goto done;
        stats->lines++;
        start = after;
    }
    if (start < end) st = scan_range(&s, fd, size, start, end);
done:
    if (hold_lock) flock(fd, LOCK_UN);
    close(fd);
    return st;
}

/* ---- whole-file loading ------------------------------------------------------------------- */

bs_status bs_tick_vec_push(bs_tick_vec *vec, const bs_tick *tick) {
    if (vec->len == vec->cap) {
        size_t cap = vec->cap ? vec->cap * 2 : 1024;
        bs_tick *items = realloc(vec->items, cap * sizeof *items);
        if (!items) return BS_ERR_NOMEM;
        vec->items = items;
        vec->cap = cap;
    }
    vec->items[vec->len++] = *tick;
    return BS_OK;
}

void bs_tick_vec_free(bs_tick_vec *vec) {
    if (!vec) return;
    free(vec->items);
    vec->items = NULL;
    vec->len = vec->cap = 0;
}

static void merge_sort(bs_tick *a, bs_tick *tmp, size_t n) {
    if (n < 2) return;
    size_t half = n / 2;
    merge_sort(a, tmp, half);
    merge_sort(a + half, tmp, n - half);
    if (a[half - 1].ts_us <= a[half].ts_us) return; /* already in order: the common case */
    size_t i = 0, j = half, k = 0;
    while (i < half && j < n) tmp[k++] = a[j].ts_us < a[i].ts_us ? a[j++] : a[i++];
    while (i < half) tmp[k++] = a[i++];
    while (j < n) tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof *a);
}

bs_status bs_tick_vec_sort(bs_tick_vec *vec) {
    size_t n = vec->len;
    size_t i = 1;
    while (i < n && vec->items[i - 1].ts_us <= vec->items[i].ts_us) i++;
    if (i >= n) return BS_OK;
    bs_tick *tmp = malloc(n * sizeof *tmp);
    if (!tmp) return BS_ERR_NOMEM;
    merge_sort(vec->items, tmp, n);
    free(tmp);
    return BS_OK;
}

static int push_tick(void *ctx, const bs_tick *tick) {
    bs_tick_vec *vec = ctx;
    return bs_tick_vec_push(vec, tick) != BS_OK; /* stop on allocation failure */
}

bs_status bs_history_load(const char *path, const bs_scan_options *opts, bs_tick_vec *out,
                          bs_scan_stats *stats, bs_error *err) {
    bs_scan_stats local;
    if (!stats) stats = &local;
    bs_tick_vec vec = {0};
    bs_status st = bs_scan_file(path, opts, push_tick, &vec, stats, err);
    if (st == BS_OK && vec.len < stats->ticks)
        st = bs_fail(err, BS_ERR_NOMEM, "%s: out of memory after %zu ticks", path, vec.len);
    if (st == BS_OK && vec.len == 0 && stats->kept > 0) /* say why, with the first bad line */
        st = bs_fail(err, BS_ERR_EMPTY, "%s: no valid ticks (%llu bad lines; %s:%llu: %s)", path,
                     (unsigned long long)stats->bad, path,
                     (unsigned long long)stats->bad_lines[0].line_no, stats->bad_lines[0].reason);
    if (st == BS_OK && vec.len == 0)
        st = bs_fail(err, BS_ERR_EMPTY, "%s: no valid ticks (%llu bad lines)", path,
                     (unsigned long long)stats->bad);
    if (st != BS_OK) {
        bs_tick_vec_free(&vec);
        return st;
    }
    if (bs_tick_vec_sort(&vec) != BS_OK) {
        st = bs_fail(err, BS_ERR_NOMEM, "%s: out of memory sorting %zu ticks", path, vec.len);
        bs_tick_vec_free(&vec);
        return st;
    }
    *out = vec;
    return BS_OK;
}
