/* archive.c - see archive.h. libzip writes to a temporary name; a rename puts the ZIP in place. */
#include "btcstream/archive.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>


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
