/*
 * fault_shim.c - an LD_PRELOAD library that counts a process's file-changing calls and kills the
 * process, or fails the call with an errno, at a chosen one, as SQLite's crash tests do.
 *
 * Counted: write, pwrite, writev, fsync, fdatasync, ftruncate, truncate, rename, renameat,
 * renameat2, link, linkat, unlink, unlinkat, mkdir, fsetxattr, fremovexattr, and open/openat
 * with O_CREAT or O_TRUNC. Writes to descriptors 0-2 are not counted: they are the process
 * talking, not storing. Calls made inside the C library (fwrite's write, say) are not seen; the
 * code under test uses the system calls directly for everything it stores.
 *
 * Environment (all optional):
 *   BS_FAULT_KILL_AT=K     SIGKILL just before the K-th counted call (1-based)
 *   BS_FAULT_FAIL_AT=K     the K-th counted call fails with BS_FAULT_ERRNO instead
 *   BS_FAULT_FAIL_FROM=K   every counted call from the K-th on fails (a disk that stays full)
 *   BS_FAULT_ERRNO=NAME    ENOSPC (default), EIO or EDQUOT
 *   BS_FAULT_ONLY=SUBSTR   count only calls whose path (or descriptor's path) holds SUBSTR
 *   BS_FAULT_COUNT_FILE=F  at exit, write the number of counted calls to F
 *   BS_FAULT_TRACE=1       print each counted call to stderr
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/xattr.h>
#include <unistd.h>

static long calls, kill_at, fail_at, fail_from;
static int fail_errno = ENOSPC, trace, ready;
static const char *only;

static void setup(void) {
    if (ready) return;
    ready = 1;
    const char *v;
    if ((v = getenv("BS_FAULT_KILL_AT"))) kill_at = atol(v);
    if ((v = getenv("BS_FAULT_FAIL_AT"))) fail_at = atol(v);
    if ((v = getenv("BS_FAULT_FAIL_FROM"))) fail_from = atol(v);
    if ((v = getenv("BS_FAULT_ERRNO"))) {
        if (strcmp(v, "EIO") == 0) fail_errno = EIO;
        else if (strcmp(v, "EDQUOT") == 0) fail_errno = EDQUOT;
    }
    only = getenv("BS_FAULT_ONLY");
    trace = getenv("BS_FAULT_TRACE") != NULL;
}

__attribute__((destructor)) static void report(void) {
    const char *path = getenv("BS_FAULT_COUNT_FILE");
    if (!path) return;
    FILE *f = fopen(path, "w");
    if (!f) return;
    fprintf(f, "%ld\n", calls);
    fclose(f);
}

static int fd_matches(int fd) {
    if (!only) return 1;
    char link[64], target[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n < 0) return 0;
    target[n] = '\0';
    return strstr(target, only) != NULL;
}

static int path_matches(const char *path) { return !only || (path && strstr(path, only)); }

/* Decides a counted call's fate: 0 to go ahead, -1 to fail it (errno set). */
static int fault(const char *what, int matches) {
    setup();
    if (!matches) return 0;
    long n = ++calls;
    if (trace) {
        char line[128];
        int len = snprintf(line, sizeof line, "fault_shim: %ld %s\n", n, what);
        ssize_t ignored = write(2, line, (size_t)len);
        (void)ignored;
    }
    if (kill_at && n == kill_at) raise(SIGKILL);
    if ((fail_at && n == fail_at) || (fail_from && n >= fail_from)) {
        errno = fail_errno;
        return -1;
    }
    return 0;
}

/* The next definition of name: the C library's, or a sanitizer's interceptor in front of it. */
#define REAL(name)                                                                                 \
    static __typeof__(&name) real_##name;                                                          \
    if (!real_##name) real_##name = (__typeof__(&name))dlsym(RTLD_NEXT, #name)

ssize_t write(int fd, const void *buf, size_t n) {
    REAL(write);
    if (fd > 2 && fault("write", fd_matches(fd))) return -1;
    return real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off) {
    REAL(pwrite);
    if (fault("pwrite", fd_matches(fd))) return -1;
    return real_pwrite(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off) {
    REAL(pwrite64);
    if (fault("pwrite64", fd_matches(fd))) return -1;
    return real_pwrite64(fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec *iov, int cnt) {
    REAL(writev);
    if (fd > 2 && fault("writev", fd_matches(fd))) return -1;
    return real_writev(fd, iov, cnt);
}

int fsync(int fd) {
    REAL(fsync);
    if (fault("fsync", fd_matches(fd))) return -1;
    return real_fsync(fd);
}

int fdatasync(int fd) {
    REAL(fdatasync);
    if (fault("fdatasync", fd_matches(fd))) return -1;
    return real_fdatasync(fd);
}

int ftruncate(int fd, off_t len) {
    REAL(ftruncate);
    if (fault("ftruncate", fd_matches(fd))) return -1;
    return real_ftruncate(fd, len);
}

int ftruncate64(int fd, off_t len) {
    REAL(ftruncate64);
    if (fault("ftruncate64", fd_matches(fd))) return -1;
    return real_ftruncate64(fd, len);
}

int truncate(const char *path, off_t len) {
    REAL(truncate);
    if (fault("truncate", path_matches(path))) return -1;
    return real_truncate(path, len);
}

int rename(const char *from, const char *to) {
    REAL(rename);
    if (fault("rename", path_matches(from) || path_matches(to))) return -1;
    return real_rename(from, to);
}

int renameat(int fd1, const char *from, int fd2, const char *to) {
    REAL(renameat);
    if (fault("renameat", path_matches(from) || path_matches(to))) return -1;
    return real_renameat(fd1, from, fd2, to);
}

int renameat2(int fd1, const char *from, int fd2, const char *to, unsigned flags) {
    REAL(renameat2);
    if (fault("renameat2", path_matches(from) || path_matches(to))) return -1;
    return real_renameat2(fd1, from, fd2, to, flags);
}

int link(const char *from, const char *to) {
    REAL(link);
    if (fault("link", path_matches(to))) return -1;
    return real_link(from, to);
}

int linkat(int fd1, const char *from, int fd2, const char *to, int flags) {
    REAL(linkat);
    if (fault("linkat", path_matches(to))) return -1;
    return real_linkat(fd1, from, fd2, to, flags);
}

int unlink(const char *path) {
    REAL(unlink);
    if (fault("unlink", path_matches(path))) return -1;
    return real_unlink(path);
}

int unlinkat(int fd, const char *path, int flags) {
    REAL(unlinkat);
    if (fault("unlinkat", path_matches(path))) return -1;
    return real_unlinkat(fd, path, flags);
}

int mkdir(const char *path, mode_t mode) {
    REAL(mkdir);
    struct stat sb;
    if (stat(path, &sb) != 0 && fault("mkdir", path_matches(path))) return -1;
    return real_mkdir(path, mode);
}

int fsetxattr(int fd, const char *name, const void *value, size_t size, int flags) {
    REAL(fsetxattr);
    if (fault("fsetxattr", fd_matches(fd))) return -1;
    return real_fsetxattr(fd, name, value, size, flags);
}

int fremovexattr(int fd, const char *name) {
    REAL(fremovexattr);
    if (fault("fremovexattr", fd_matches(fd))) return -1;
    return real_fremovexattr(fd, name);
}

/* open() changes the file system only when it creates or truncates. */
static int open_changes(int flags) { return (flags & (O_CREAT | O_TRUNC)) != 0; }

int open(const char *path, int flags, ...) {
    REAL(open);
    va_list ap;
    va_start(ap, flags);
    mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
    va_end(ap);
    if (open_changes(flags) && fault("open", path_matches(path))) return -1;
    return real_open(path, flags, mode);
}

int open64(const char *path, int flags, ...) {
    REAL(open64);
    va_list ap;
    va_start(ap, flags);
    mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
    va_end(ap);
    if (open_changes(flags) && fault("open64", path_matches(path))) return -1;
    return real_open64(path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...) {
    REAL(openat);
    va_list ap;
    va_start(ap, flags);
    mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
    va_end(ap);
    if (open_changes(flags) && fault("openat", path_matches(path))) return -1;
    return real_openat(dirfd, path, flags, mode);
}
