/*
 * history.c - appending ticks to the history file.
 *
 * Lines are formatted into one large buffer and written with few write() calls, then fsync'd:
 * an import of millions of rows is bound by formatting, not by system calls. The pending mark
 * (history.h) is an extended attribute holding its owner and the size its write began at, so
 * that a reader or the next writer knows, without any other file, what may be cut.
 */
#include "btcstream/history.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "btcstream/fsutil.h"

#define WRITE_CHUNK (1 << 20)

static bs_status write_all(int fd, const char *buf, size_t n, const char *path, bs_error *err) {
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return bs_fail(err, BS_ERR_IO, "%s: write failed: %s", path, strerror(errno));
        }
        buf += w;
        n -= (size_t)w;
    }
    return BS_OK;
}

bs_status bs_sync_parent_dir(const char *path, bs_error *err) {
    char *copy = strdup(path);
    if (!copy) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    const char *dir = dirname(copy);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    bs_status st = BS_OK;
    if (fd < 0 || fsync(fd) != 0)
        st = bs_fail(err, BS_ERR_IO, "%s: cannot sync the folder holding it (%s): %s", path, dir,
                     strerror(errno));
    if (fd >= 0) close(fd);
    free(copy);
    return st;
}

/* Whether the file is non-empty and its last byte is not a newline (a torn last line). */
static int ends_torn(int fd) {
    struct stat st;
    char last;
    if (fstat(fd, &st) != 0 || st.st_size == 0) return 0;
    return pread(fd, &last, 1, st.st_size - 1) == 1 && last != '\n';
}

#define PENDING_MARK "user.btcstream.pending"

/*
 * The mark's value is "OWNER\nSIZE". A mark written by an earlier version holds the owner alone:
 * its size is unknown (-1), which readers treat as "trust the whole file" as that version did.
 */
typedef struct {
    int present;
    char owner[4200];
    int64_t size_before;
} pending_mark;

/* Reads the mark; ENODATA (no mark) and ENOTSUP (no marks here) leave mark->present 0. */
static bs_status read_mark(int fd, const char *path, pending_mark *mark, int *unsupported,
                           bs_error *err) {
    char value[4200];
    memset(mark, 0, sizeof *mark);
    if (unsupported) *unsupported = 0;
    ssize_t n = fgetxattr(fd, PENDING_MARK, value, sizeof value - 1);
    if (n < 0) {
        if (errno == ENOTSUP && unsupported) *unsupported = 1;
        if (errno == ENODATA || errno == ENOTSUP) return BS_OK;
        return bs_fail(err, BS_ERR_IO, "%s: cannot read the stream mark: %s", path,
                       strerror(errno));
    }
    value[n] = '\0';
    char *nl = strchr(value, '\n');
    long long size = -1;
    if (nl) {
        *nl = '\0';
        char *end;
        size = strtoll(nl + 1, &end, 10);
        if (end == nl + 1 || *end || size < 0) size = -1;
    }
    mark->present = 1;
    mark->size_before = size;
    snprintf(mark->owner, sizeof mark->owner, "%s", value);
    return BS_OK;
}

static bs_status sync_fd(int fd, const char *path, bs_error *err) {
    if (fsync(fd) == 0) return BS_OK;
    return bs_fail(err, BS_ERR_IO, "%s: fsync failed: %s", path, strerror(errno));
}

bs_status bs_history_mark_pending(int fd, const char *path, const char *owner, int64_t size_before,
                                  bs_error *err) {
    char value[4200];
    int rc;
    if (owner) {
        int n = snprintf(value, sizeof value, "%s\n%lld", owner, (long long)size_before);
        if (n < 0 || (size_t)n >= sizeof value)
            return bs_fail(err, BS_ERR_ARG, "%s: owner name too long for the mark", path);
        rc = fsetxattr(fd, PENDING_MARK, value, (size_t)n, 0);
    } else {
        rc = fremovexattr(fd, PENDING_MARK);
    }
    if (rc == 0 || errno == ENOTSUP || errno == ENODATA) return BS_OK;
    return bs_fail(err, BS_ERR_IO, "%s: cannot %s the stream mark: %s", path,
                   owner ? "set" : "clear", strerror(errno));
}

bs_status bs_history_cut(const char *path, int64_t size, bs_error *err) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return bs_fail(err, BS_ERR_IO, "%s: cannot open to cut: %s", path, strerror(errno));
    bs_status st = BS_OK;
    if (ftruncate(fd, size) != 0)
        st = bs_fail(err, BS_ERR_IO, "%s: cannot cut back to %lld bytes: %s", path,
                     (long long)size, strerror(errno));
    if (st == BS_OK) st = sync_fd(fd, path, err);
    close(fd);
    return st;
}

/*
 * An import killed before it cleared its mark did not count: its rows are cut off and the mark
 * cleared, each step synced, before anyone appends. A crash in between leaves the mark, and the
 * next writer does the same again.
 */
static bs_status recover_import(int fd, const char *path, const pending_mark *mark, int64_t *size,
                                bs_error *err) {
    bs_status st = BS_OK;
    if (mark->size_before >= 0 && *size > mark->size_before) {
        st = bs_history_cut(path, mark->size_before, err);
        if (st == BS_OK) *size = mark->size_before;
    }
    if (st == BS_OK) st = bs_history_mark_pending(fd, path, NULL, 0, err);
    if (st == BS_OK) st = sync_fd(fd, path, err);
    return st;
}

/*
 * Applies the mark rules of history.h for a writer: stream_dir is the locking stream processor's
 * folder, NULL for other writers.
 */
static bs_status check_mark(int fd, const char *path, const char *stream_dir, int64_t *size,
                            bs_error *err) {
    pending_mark mark;
    bs_status st = read_mark(fd, path, &mark, NULL, err);
    if (st != BS_OK || !mark.present) return st;
    if (strcmp(mark.owner, BS_HISTORY_IMPORT_OWNER) == 0)
        return recover_import(fd, path, &mark, size, err);
    if (stream_dir) {
        char *mine = realpath(stream_dir, NULL);
        /* An earlier version named the folder as it was given, not by its real path. */
        int same = (mine && strcmp(mine, mark.owner) == 0) || strcmp(stream_dir, mark.owner) == 0;
        free(mine);
        if (same) return BS_OK;
    }
    return bs_fail(err, BS_ERR_CONFIG,
                   "%s: a stream batch into it was interrupted; run 'btcstream stream --stream-dir "
                   "%s --history %s --until-idle' once to recover it first",
                   path, mark.owner, path);
}

static bs_status lock_history(const char *path, const char *stream_dir, int *fd, int64_t *size,
                              bs_error *err) {
    int created = access(path, F_OK) != 0;
    if (created) { /* a fresh data directory: make the history's folder first */
        char dir[PATH_MAX];
        bs_path_dir(path, dir, sizeof dir);
        bs_status made = bs_mkdirs(dir, err);
        if (made != BS_OK) return made;
    }
    *fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644); /* read: torn-line check */
    if (*fd < 0)
        return bs_fail(err, BS_ERR_IO, "%s: cannot open for append: %s", path, strerror(errno));
    struct stat sb;
    if (flock(*fd, LOCK_EX) != 0 || fstat(*fd, &sb) != 0) {
        int e = errno;
        close(*fd);
        return bs_fail(err, BS_ERR_IO, "%s: cannot lock: %s", path, strerror(e));
    }
    *size = (int64_t)sb.st_size;
    bs_status st = created ? bs_sync_parent_dir(path, err) : BS_OK;
    if (st == BS_OK) st = check_mark(*fd, path, stream_dir, size, err);
    if (st != BS_OK) bs_history_unlock(*fd);
    return st;
}

bs_status bs_history_lock(const char *path, int *fd, int64_t *size, bs_error *err) {
    return lock_history(path, NULL, fd, size, err);
}

bs_status bs_history_lock_as_stream(const char *path, const char *stream_dir, int *fd,
                                    int64_t *size, bs_error *err) {
    return lock_history(path, stream_dir, fd, size, err);
}

bs_status bs_history_readable_size(int fd, const char *path, int64_t *size, int *hold_lock,
                                   bs_error *err) {
    *hold_lock = 0;
    /* A descriptor that cannot be locked (a pipe, /dev/stdin) is no history: nobody cuts it. */
    int locked = flock(fd, LOCK_SH) == 0;
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        int e = errno;
        if (locked) flock(fd, LOCK_UN);
        return bs_fail(err, BS_ERR_IO, "%s: %s", path, strerror(e));
    }
    *size = (int64_t)sb.st_size;
    if (!locked) return BS_OK;
    pending_mark mark;
    int unsupported;
    bs_status st = read_mark(fd, path, &mark, &unsupported, err);
    if (st == BS_OK && mark.present && mark.size_before >= 0 && mark.size_before < *size)
        *size = mark.size_before;
    if (st == BS_OK && unsupported && S_ISREG(sb.st_mode)) *hold_lock = 1;
    else flock(fd, LOCK_UN);
    return st;
}

void bs_history_unlock(int fd) {
    flock(fd, LOCK_UN);
    close(fd);
}

bs_status bs_history_append_fd(int fd, const char *path, const bs_tick *ticks, size_t n,
                               int64_t *new_size, bs_error *err) {
    char *buf = malloc(WRITE_CHUNK + BS_TICK_JSON_MAX);
    if (!buf) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    bs_status st = BS_OK;
    size_t used = 0;
    if (ends_torn(fd)) buf[used++] = '\n';
    for (size_t i = 0; i < n && st == BS_OK; i++) {
        used += bs_tick_format_json(&ticks[i], buf + used);
        if (used >= WRITE_CHUNK) {
            st = write_all(fd, buf, used, path, err);
            used = 0;
        }
    }
    if (st == BS_OK) st = write_all(fd, buf, used, path, err);
    if (st == BS_OK && fsync(fd) != 0)
        st = bs_fail(err, BS_ERR_IO, "%s: fsync failed: %s", path, strerror(errno));
    struct stat sb;
    if (st == BS_OK && new_size && fstat(fd, &sb) != 0)
        st = bs_fail(err, BS_ERR_IO, "%s: cannot stat after the append: %s", path, strerror(errno));
    if (st == BS_OK && new_size) *new_size = (int64_t)sb.st_size;
    free(buf);
    return st;
}

bs_status bs_history_append_marked(int fd, const char *path, int64_t size_before,
                                   const bs_tick *ticks, size_t n, int64_t *new_size,
                                   bs_error *err) {
    bs_status st = bs_history_mark_pending(fd, path, BS_HISTORY_IMPORT_OWNER, size_before, err);
    if (st == BS_OK) st = sync_fd(fd, path, err); /* the mark is down before any row is */
    if (st == BS_OK) st = bs_history_append_fd(fd, path, ticks, n, new_size, err);
    if (st == BS_OK) st = bs_history_mark_pending(fd, path, NULL, 0, err);
    if (st == BS_OK) st = sync_fd(fd, path, err); /* the rows count from here */
    if (st == BS_OK) return BS_OK;
    /* Nothing of this append counts, since it is reported as failed: cut it off now rather than
     * leave it to the next writer. When even that fails, the mark stays and the next writer
     * cuts (a clear that failed left it in place). */
    bs_error ignored;
    if (bs_history_cut(path, size_before, &ignored) == BS_OK &&
        bs_history_mark_pending(fd, path, NULL, 0, &ignored) == BS_OK)
        fsync(fd);
    return st;
}

bs_status bs_history_append(const char *path, const bs_tick *ticks, size_t n, int64_t *new_size,
                            bs_error *err) {
    int fd;
    int64_t size;
    bs_status st = bs_history_lock(path, &fd, &size, err);
    if (st != BS_OK) return st;
    st = bs_history_append_marked(fd, path, size, ticks, n, new_size, err);
    bs_history_unlock(fd);
    return st;
}
