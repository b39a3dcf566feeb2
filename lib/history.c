/*
 * history.c - appending ticks to the history file.
 *
 * Lines are formatted into one large buffer and written with few write() calls, then fsync'd:
 * an import of millions of rows is bound by formatting, not by system calls.
 */
#include "btcstream/history.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

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
        st = bs_fail(err, BS_ERR_IO, "%s: cannot sync directory: %s", dir, strerror(errno));
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

/* Refuses a history that a killed stream processor left with an uncommitted batch. */
static bs_status check_not_pending(int fd, const char *path, bs_error *err) {
    char owner[1024];
    ssize_t n = fgetxattr(fd, PENDING_MARK, owner, sizeof owner - 1);
    if (n < 0) return BS_OK; /* ENODATA: no mark; ENOTSUP: no marks on this file system */
    owner[n] = '\0';
    return bs_fail(err, BS_ERR_CONFIG,
                   "%s: a stream batch into it was interrupted; run 'btcstream stream --stream-dir "
                   "%s --history %s --until-idle' once to recover it first",
                   path, owner, path);
}

bs_status bs_history_mark_pending(int fd, const char *path, const char *owner, bs_error *err) {
    int rc = owner ? fsetxattr(fd, PENDING_MARK, owner, strlen(owner), 0)
                   : fremovexattr(fd, PENDING_MARK);
    if (rc == 0 || errno == ENOTSUP || errno == ENODATA) return BS_OK;
    return bs_fail(err, BS_ERR_IO, "%s: cannot %s the stream mark: %s", path,
                   owner ? "set" : "clear", strerror(errno));
}

static bs_status lock_history(const char *path, int check_mark, int *fd, int64_t *size,
                              bs_error *err) {
    int created = access(path, F_OK) != 0;
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
    if (st == BS_OK && check_mark) st = check_not_pending(*fd, path, err);
    if (st != BS_OK) bs_history_unlock(*fd);
    return st;
}

bs_status bs_history_lock(const char *path, int *fd, int64_t *size, bs_error *err) {
    return lock_history(path, 1, fd, size, err);
}

bs_status bs_history_lock_as_stream(const char *path, int *fd, int64_t *size, bs_error *err) {
    return lock_history(path, 0, fd, size, err);
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
    if (st == BS_OK && new_size) {
        struct stat sb;
        *new_size = fstat(fd, &sb) == 0 ? (int64_t)sb.st_size : -1;
    }
    free(buf);
    return st;
}

bs_status bs_history_append(const char *path, const bs_tick *ticks, size_t n, int64_t *new_size,
                            bs_error *err) {
    int fd;
    int64_t size;
    bs_status st = bs_history_lock(path, &fd, &size, err);
    if (st != BS_OK) return st;
    st = bs_history_append_fd(fd, path, ticks, n, new_size, err);
    bs_history_unlock(fd);
    return st;
}
