/*
 * archive.c - see archive.h. libzip builds the archive in memory; it is written through
 * bs_atomic_file (fsutil.h), so a reader never sees a partial ZIP and a crash keeps the old one.
 *
 * In memory rather than through zip_open(path): libzip then writes to a temporary file of its
 * own, named from OpenSSL's random generator, whose seeding cost ~2.5 ms a process, a quarter of
 * zipping a predictions folder; our own temporary name and rename give the same atomicity.
 * Entries are deflated at level 1: libzip's default, 9, took five times as long for the same
 * size on snappy-compressed Parquet, which deflate barely shrinks at any level.
 */
#include "btcstream/archive.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "btcstream/fsutil.h"

#define ZIP_DEFLATE_LEVEL 1

/* Adds the regular files of dir to z, at the archive's top level. */
static bs_status add_files(zip_t *z, const char *dir, const char *zip_path, bs_error *err) {
    DIR *d = opendir(dir);
    if (!d) return bs_fail(err, BS_ERR_IO, "%s: %s", dir, strerror(errno));
    bs_status st = BS_OK;
    struct dirent *e;
    while (st == BS_OK && (e = readdir(d)) != NULL) {
        char path[8192];
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) continue;
        zip_source_t *src = zip_source_file(z, path, 0, -1);
        zip_int64_t index = src ? zip_file_add(z, e->d_name, src, ZIP_FL_ENC_UTF_8) : -1;
        if (index < 0) {
            if (src) zip_source_free(src);
            st = bs_fail(err, BS_ERR_IO, "%s: cannot add %s: %s", zip_path, e->d_name,
                         zip_strerror(z));
        } else if (zip_set_file_compression(z, (zip_uint64_t)index, ZIP_CM_DEFLATE,
                                            ZIP_DEFLATE_LEVEL) != 0) {
            st = bs_fail(err, BS_ERR_IO, "%s: %s", zip_path, zip_strerror(z));
        }
    }
    closedir(d);
    return st;
}

/* Copies the finished archive out of the buffer source into a new file at path. */
static bs_status write_buffer(zip_source_t *buf, const char *path, bs_error *err) {
    zip_stat_t sb;
    zip_stat_init(&sb);
    if (zip_source_stat(buf, &sb) != 0 || !(sb.valid & ZIP_STAT_SIZE) || zip_source_open(buf) != 0)
        return bs_fail(err, BS_ERR_IO, "%s: cannot read the archive back from memory", path);
    char *data = malloc(sb.size ? sb.size : 1);
    bs_status st = data ? BS_OK : bs_fail(err, BS_ERR_NOMEM, "out of memory");
    if (st == BS_OK && zip_source_read(buf, data, sb.size) != (zip_int64_t)sb.size)
        st = bs_fail(err, BS_ERR_IO, "%s: cannot read the archive back from memory", path);
    zip_source_close(buf);
    bs_atomic_file f = {.fd = -1};
    if (st == BS_OK) st = bs_atomic_open(&f, path, err);
    if (st == BS_OK) st = bs_atomic_write(&f, data, sb.size, err);
    if (st == BS_OK) st = bs_atomic_commit(&f, 0, err);
    else bs_atomic_abort(&f);
    free(data);
    return st;
}

bs_status bs_archive_zip_dir(const char *dir, const char *zip_path, bs_error *err) {
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *buf = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_t *z = buf ? zip_open_from_source(buf, ZIP_CREATE | ZIP_TRUNCATE, &ze) : NULL;
    if (!z) {
        bs_status st = bs_fail(err, BS_ERR_NOMEM, "%s: cannot start a zip: %s", zip_path,
                               zip_error_strerror(&ze));
        if (buf) zip_source_free(buf);
        zip_error_fini(&ze);
        return st;
    }
    zip_error_fini(&ze);
    zip_source_keep(buf); /* the archive lets go of it at zip_close; we read the bytes after */
    bs_status st = add_files(z, dir, zip_path, err);
    if (st == BS_OK && zip_close(z) != 0)
        st = bs_fail(err, BS_ERR_IO, "%s: %s", zip_path, zip_strerror(z));
    if (st != BS_OK) {
        zip_discard(z); /* after a failed zip_close the archive is still open */
        zip_source_free(buf);
        return st;
    }
    st = write_buffer(buf, zip_path, err);
    zip_source_free(buf);
    return st;
}
