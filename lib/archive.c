/*
 * archive.c - see archive.h. The swap of a whole folder cannot be one rename when the old folder
 * exists, so it is two: old aside, new in; a crash between them leaves the new folder complete
 * under its temporary name and the old one aside, and nothing half-written under the real name.
 */
#include "btcstream/archive.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "btcstream/fsutil.h"
#include "btcstream/parquet.h"

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static void remove_tree(const char *path) { nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS); }

static void random_uuid(char out[37]) {
    unsigned char b[16] = {0};
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0 || read(fd, b, sizeof b) != (ssize_t)sizeof b)
        for (size_t i = 0; i < sizeof b; i++) b[i] = (unsigned char)(rand() ^ getpid());
    if (fd >= 0) close(fd);
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
             b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

static bs_status write_part(const char *tmp, const bs_predictions *p, bs_error *err) {
    char uuid[37], path[4300];
    random_uuid(uuid);
    snprintf(path, sizeof path, "%s/part-00000-%s-c000.snappy.parquet", tmp, uuid);
    bs_parquet_column cols[] = {{"timestamp", BS_PARQUET_TIMESTAMP_MICROS},
                                {"Close", BS_PARQUET_DOUBLE},
                                {"prediction", BS_PARQUET_DOUBLE},
                                {"baseline", BS_PARQUET_DOUBLE}};
    const void *values[] = {p->timestamp_us, p->close, p->prediction, p->baseline};
    bs_parquet_writer *w;
    bs_status st = bs_parquet_writer_open(path, cols, p->baseline ? 4 : 3, NULL, &w, err);
    if (st == BS_OK) st = bs_parquet_write(w, p->rows, values, err);
    if (st == BS_OK) return bs_parquet_writer_close(w, err);
    bs_parquet_writer_abort(w);
    return st;
}

bs_status bs_predictions_write_parquet_dir(const char *dir, const bs_predictions *p, bs_error *err) {
    char tmp[4200], old[4200], success[4300];
    snprintf(tmp, sizeof tmp, "%s.tmp-%d", dir, (int)getpid());
    snprintf(old, sizeof old, "%s.old-%d", dir, (int)getpid());
    remove_tree(tmp);
    bs_status st = bs_mkdirs(tmp, err);
    if (st == BS_OK) st = write_part(tmp, p, err);
    snprintf(success, sizeof success, "%s/_SUCCESS", tmp);
    FILE *f = st == BS_OK ? fopen(success, "w") : NULL;
    if (st == BS_OK && (!f || fclose(f) != 0)) st = bs_fail(err, BS_ERR_IO, "%s: %s", success, strerror(errno));
    if (st == BS_OK) st = bs_sync_dir(tmp, err);
    int had_old = st == BS_OK && access(dir, F_OK) == 0;
    if (had_old && rename(dir, old) != 0) st = bs_fail(err, BS_ERR_IO, "%s: %s", dir, strerror(errno));
    if (st == BS_OK && rename(tmp, dir) != 0) st = bs_fail(err, BS_ERR_IO, "%s: %s", dir, strerror(errno));
    if (st != BS_OK) {
        remove_tree(tmp);
        if (had_old && access(dir, F_OK) != 0) rename(old, dir); /* put the old folder back */
        return st;
    }
    if (had_old) remove_tree(old);
    return BS_OK;
}

bs_status bs_archive_zip_dir(const char *dir, const char *zip_path, bs_error *err) {
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp-%d", zip_path, (int)getpid());
    int zerr = 0;
    zip_t *z = zip_open(tmp, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    if (!z) return bs_fail(err, BS_ERR_IO, "%s: cannot create a zip (libzip error %d)", tmp, zerr);
    DIR *d = opendir(dir);
    bs_status st = d ? BS_OK : bs_fail(err, BS_ERR_IO, "%s: %s", dir, strerror(errno));
    struct dirent *e;
    while (st == BS_OK && (e = readdir(d)) != NULL) {
        char path[8192];
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) continue;
        zip_source_t *src = zip_source_file(z, path, 0, -1);
        if (!src || zip_file_add(z, e->d_name, src, ZIP_FL_ENC_UTF_8) < 0) {
            if (src) zip_source_free(src);
            st = bs_fail(err, BS_ERR_IO, "%s: cannot add %s: %s", zip_path, e->d_name, zip_strerror(z));
        }
    }
    if (d) closedir(d);
    if (st != BS_OK) {
        zip_discard(z);
        return st;
    }
    if (zip_close(z) != 0) {
        st = bs_fail(err, BS_ERR_IO, "%s: %s", zip_path, zip_strerror(z));
        zip_discard(z);
        unlink(tmp);
        return st;
    }
    if (rename(tmp, zip_path) != 0) {
        unlink(tmp);
        return bs_fail(err, BS_ERR_IO, "%s: %s", zip_path, strerror(errno));
    }
    return BS_OK;
}
