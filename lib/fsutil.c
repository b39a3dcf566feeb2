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

static bs_status write_all_fd(int fd, const char *data, size_t len, const char *path,
                              bs_error *err) {
    while (len > 0) {
        ssize_t w = write(fd, data, len);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) return bs_fail(err, BS_ERR_IO, "%s: write failed: %s", path, strerror(errno));
        data += w;
        len -= (size_t)w;
    }
    return BS_OK;
}

bs_status bs_write_file_atomic(const char *dir, const char *name, const char *data, size_t len,
                               int sync, int no_replace, bs_error *err) {
    char tmp[PATH_MAX], final[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
    if (snprintf(final, sizeof final, "%s/%s", dir, name) >= (int)sizeof final)
        return bs_fail(err, BS_ERR_ARG, "path too long: %s/%s", dir, name);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return bs_fail(err, BS_ERR_IO, "%s: %s", tmp, strerror(errno));
    bs_status st = write_all_fd(fd, data, len, tmp, err);
    if (st == BS_OK && sync && fsync(fd) != 0)
        st = bs_fail(err, BS_ERR_IO, "%s: fsync failed: %s", tmp, strerror(errno));
    close(fd);
    if (st == BS_OK) {
        int rc = no_replace ? renameat2(AT_FDCWD, tmp, AT_FDCWD, final, RENAME_NOREPLACE)
                            : rename(tmp, final);
        if (rc != 0)
            st =
                bs_fail(err, BS_ERR_IO, "%s: cannot rename into place: %s", final, strerror(errno));
    }
    if (st != BS_OK) {
        int saved = errno;
        unlink(tmp);
        errno = saved;
    }
    return st;
}
