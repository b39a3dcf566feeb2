/* fsutil.c - see fsutil.h. */
#include "btcstream/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bs_status bs_mkdirs(const char *dir, bs_error *err) {
    char path[PATH_MAX];
    int n = snprintf(path, sizeof path, "%s", dir);
    if (n <= 0 || (size_t)n >= sizeof path)
        return bs_fail(err, BS_ERR_ARG, "path too long: %s", dir);
    for (char *p = path + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST)
            return bs_fail(err, BS_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
        *p = '/';
    }
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        return bs_fail(err, BS_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
    return BS_OK;
}

bs_status bs_sync_dir(const char *dir, bs_error *err) {
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
        int e = errno;
        if (fd >= 0) close(fd);
        return bs_fail(err, BS_ERR_IO, "%s: cannot sync directory: %s", dir, strerror(e));
    }
    close(fd);
    return BS_OK;
}

void bs_path_dir(const char *path, char *dir, size_t size) {
    const char *slash = strrchr(path, '/');
    if (!slash) snprintf(dir, size, ".");
    else if (slash == path) snprintf(dir, size, "/");
    else snprintf(dir, size, "%.*s", (int)(slash - path), path);
}

bs_status bs_atomic_open(bs_atomic_file *f, const char *path, bs_error *err) {
    f->fd = -1;
    f->tmp[0] = '\0';
    f->direct = 0;
    if (snprintf(f->path, sizeof f->path, "%s", path) >= (int)sizeof f->path)
        return bs_fail(err, BS_ERR_ARG, "path too long: %.200s...", path);
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode)) {
        f->direct = 1;
        f->fd = open(path, O_WRONLY | O_CLOEXEC);
        if (f->fd < 0) return bs_fail(err, BS_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
        return BS_OK;
    }
    char dir[sizeof f->path];
    bs_path_dir(path, dir, sizeof dir);
    const char *slash = strrchr(path, '/');
    snprintf(f->tmp, sizeof f->tmp, "%s/.%s.tmp-%d", dir, slash ? slash + 1 : path, (int)getpid());
    f->fd = open(f->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (f->fd < 0) return bs_fail(err, BS_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
    return BS_OK;
}

bs_status bs_atomic_write(bs_atomic_file *f, const void *data, size_t len, bs_error *err) {
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(f->fd, p, len);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) return bs_fail(err, BS_ERR_IO, "%s: write failed: %s", f->path, strerror(errno));
        p += w;
        len -= (size_t)w;
    }
    return BS_OK;
}

bs_status bs_atomic_commit(bs_atomic_file *f, int flags, bs_error *err) {
    int sync = !(flags & BS_ATOMIC_NO_SYNC), sync_dir = sync && !(flags & BS_ATOMIC_NO_DIR_SYNC);
    bs_status st = BS_OK;
    if (f->direct) { /* a device or a pipe: what was written is all there is to do */
        if (close(f->fd) != 0)
            st = bs_fail(err, BS_ERR_IO, "%s: close failed: %s", f->path, strerror(errno));
        f->fd = -1;
        return st;
    }
    if (sync && fsync(f->fd) != 0)
        st = bs_fail(err, BS_ERR_IO, "%s: fsync failed: %s", f->path, strerror(errno));
    if (close(f->fd) != 0 && st == BS_OK)
        st = bs_fail(err, BS_ERR_IO, "%s: close failed: %s", f->path, strerror(errno));
    f->fd = -1;
    if (st == BS_OK) {
        int rc = flags & BS_ATOMIC_NO_REPLACE
                     ? renameat2(AT_FDCWD, f->tmp, AT_FDCWD, f->path, RENAME_NOREPLACE)
                     : rename(f->tmp, f->path);
        if (rc != 0)
            st = bs_fail(err, BS_ERR_IO, "%s: cannot rename into place: %s", f->path,
                         strerror(errno));
    }
    if (st != BS_OK) {
        int saved = errno;
        unlink(f->tmp);
        errno = saved;
        return st;
    }
    f->tmp[0] = '\0';
    if (!sync_dir) return BS_OK;
    char dir[sizeof f->path];
    bs_path_dir(f->path, dir, sizeof dir);
    return bs_sync_dir(dir, err);
}

void bs_atomic_abort(bs_atomic_file *f) {
    if (!f) return;
    if (f->fd >= 0) close(f->fd);
    f->fd = -1;
    if (f->tmp[0]) unlink(f->tmp);
    f->tmp[0] = '\0';
}

bs_status bs_write_file_atomic(const char *dir, const char *name, const char *data, size_t len,
                               int sync, int no_replace, bs_error *err) {
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        return bs_fail(err, BS_ERR_ARG, "path too long: %s/%s", dir, name);
    bs_atomic_file f;
    bs_status st = bs_atomic_open(&f, path, err);
    if (st == BS_OK) st = bs_atomic_write(&f, data, len, err);
    if (st == BS_OK) {
        /* Callers of this older form sync their folders themselves (checkpoint.h). */
        int flags = (sync ? BS_ATOMIC_NO_DIR_SYNC : BS_ATOMIC_NO_SYNC) |
                    (no_replace ? BS_ATOMIC_NO_REPLACE : 0);
        st = bs_atomic_commit(&f, flags, err);
    }
    if (st != BS_OK) bs_atomic_abort(&f);
    return st;
}
