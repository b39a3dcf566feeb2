/*
 * predictions.c - see predictions.h. The swap of a whole folder cannot be one rename when the
 * old folder exists, so it is two: old aside, new in; a crash between them leaves the new folder
 * complete under its temporary name and the old one aside, never a half-written folder under the
 * real name.
 */
#include "btcstream/predictions.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btcstream/fsutil.h"
#include "btcstream/parquet.h"

bs_status bs_predictions_alloc(bs_predictions *p, size_t rows, int with_baseline, bs_error *err) {
    memset(p, 0, sizeof *p);
    size_t n = rows ? rows : 1;
    p->rows = rows;
    p->timestamp_us = malloc(n * sizeof *p->timestamp_us);
    p->close = malloc(n * sizeof *p->close);
    p->prediction = malloc(n * sizeof *p->prediction);
    p->baseline = with_baseline ? malloc(n * sizeof *p->baseline) : NULL;
    p->lower = with_baseline ? malloc(n * sizeof *p->lower) : NULL;
    p->upper = with_baseline ? malloc(n * sizeof *p->upper) : NULL;
    if (p->timestamp_us && p->close && p->prediction &&
        (!with_baseline || (p->baseline && p->lower && p->upper)))
        return BS_OK;
    bs_predictions_free(p);
    return bs_fail(err, BS_ERR_NOMEM, "out of memory for %zu predictions", rows);
}

void bs_predictions_free(bs_predictions *p) {
    if (!p) return;
    free(p->timestamp_us);
    free(p->close);
    free(p->prediction);
    free(p->baseline);
    free(p->lower);
    free(p->upper);
    memset(p, 0, sizeof *p);
}

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
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
             b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
             b[14], b[15]);
}

static bs_status write_part(const char *tmp, const bs_predictions *p, bs_error *err) {
    char uuid[37], path[4300];
    random_uuid(uuid);
    snprintf(path, sizeof path, "%s/part-00000-%s-c000.snappy.parquet", tmp, uuid);
    bs_parquet_column cols[] = {{"timestamp", BS_PARQUET_TIMESTAMP_MICROS},
                                {"Close", BS_PARQUET_DOUBLE},
                                {"prediction", BS_PARQUET_DOUBLE},
                                {"baseline", BS_PARQUET_DOUBLE},
                                {"lower", BS_PARQUET_DOUBLE},
                                {"upper", BS_PARQUET_DOUBLE},
                                {"market", BS_PARQUET_STRING}};
    const void *values[] = {p->timestamp_us, p->close, p->prediction, p->baseline,
                            p->lower,        p->upper, NULL};
    /* Columns present are a prefix: seed mode has 3, forecast mode 6; then the market. */
    size_t count = !p->baseline ? 3 : !p->lower || !p->upper ? 4 : 6;
    const char **market = NULL;
    if (p->market[0]) { /* one value a row: the writer's dictionary makes it one entry */
        market = malloc((p->rows ? p->rows : 1) * sizeof *market);
        if (!market) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
        for (size_t i = 0; i < p->rows; i++) market[i] = p->market;
        cols[count] = cols[6];
        values[count++] = market;
    }
    bs_parquet_writer *w;
    bs_status st = bs_parquet_writer_open(path, cols, count, NULL, &w, err);
    if (st == BS_OK) st = bs_parquet_write(w, p->rows, values, err);
    free(market);
    if (st == BS_OK) return bs_parquet_writer_close(w, err);
    bs_parquet_writer_abort(w);
    return st;
}

bs_status bs_predictions_write(const char *dir, const bs_predictions *p, bs_error *err) {
    char tmp[4200], old[4200], success[4300];
    snprintf(tmp, sizeof tmp, "%s.tmp-%d", dir, (int)getpid());
    snprintf(old, sizeof old, "%s.old-%d", dir, (int)getpid());
    remove_tree(tmp);
    bs_status st = bs_mkdirs(tmp, err);
    if (st == BS_OK) st = write_part(tmp, p, err);
    snprintf(success, sizeof success, "%s/_SUCCESS", tmp);
    FILE *f = st == BS_OK ? fopen(success, "w") : NULL;
    if (st == BS_OK && (!f || fclose(f) != 0))
        st = bs_fail(err, BS_ERR_IO, "%s: %s", success, strerror(errno));
    if (st == BS_OK) st = bs_sync_dir(tmp, err);
    int had_old = st == BS_OK && access(dir, F_OK) == 0;
    if (had_old && rename(dir, old) != 0)
        st = bs_fail(err, BS_ERR_IO, "%s: %s", dir, strerror(errno));
    if (st == BS_OK && rename(tmp, dir) != 0)
        st = bs_fail(err, BS_ERR_IO, "%s: %s", dir, strerror(errno));
    if (st != BS_OK) {
        remove_tree(tmp);
        if (had_old && access(dir, F_OK) != 0) rename(old, dir); /* put the old folder back */
        return st;
    }
    if (had_old) remove_tree(old);
    return BS_OK;
}

/* The part file of a predictions folder: the first part-*.parquet in it. */
static bs_status find_part(const char *dir, char *path, size_t size, bs_error *err) {
    DIR *d = opendir(dir);
    if (!d) return bs_fail(err, BS_ERR_IO, "%s: %s", dir, strerror(errno));
    struct dirent *e;
    int found = 0;
    while (!found && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (strncmp(e->d_name, "part-", 5) == 0 && n > 8 &&
            strcmp(e->d_name + n - 8, ".parquet") == 0)
            found = snprintf(path, size, "%s/%s", dir, e->d_name) < (int)size;
    }
    closedir(d);
    return found ? BS_OK : bs_fail(err, BS_ERR_FORMAT, "%s: no part-*.parquet file in it", dir);
}

static bs_status take_double(const bs_parquet_table *t, const char *name, double **out,
                             int required, const char *path, bs_error *err) {
    const bs_parquet_column_data *c = bs_parquet_table_find(t, name);
    if (!c) return required ? bs_fail(err, BS_ERR_FORMAT, "%s: no column %s", path, name) : BS_OK;
    if (c->type != BS_PARQUET_DOUBLE)
        return bs_fail(err, BS_ERR_FORMAT, "%s: %s is not DOUBLE", path, name);
    *out = malloc((t->rows ? t->rows : 1) * sizeof **out);
    if (!*out) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    memcpy(*out, c->values.f64, t->rows * sizeof **out);
    return BS_OK;
}

bs_status bs_predictions_read(const char *dir, bs_predictions *out, bs_error *err) {
    memset(out, 0, sizeof *out);
    char path[4300];
    bs_parquet_table t;
    bs_status st = find_part(dir, path, sizeof path, err);
    if (st == BS_OK) st = bs_parquet_read(path, &t, err);
    if (st != BS_OK) return st;
    const bs_parquet_column_data *ts = bs_parquet_table_find(&t, "timestamp");
    if (!ts || ts->type != BS_PARQUET_TIMESTAMP_MICROS)
        st = bs_fail(err, BS_ERR_FORMAT, "%s: no timestamp column", path);
    out->rows = t.rows;
    if (st == BS_OK && !(out->timestamp_us = malloc((t.rows ? t.rows : 1) * sizeof(int64_t))))
        st = bs_fail(err, BS_ERR_NOMEM, "out of memory");
    if (st == BS_OK) memcpy(out->timestamp_us, ts->values.i64, t.rows * sizeof(int64_t));
    if (st == BS_OK) st = take_double(&t, "Close", &out->close, 1, path, err);
    if (st == BS_OK) st = take_double(&t, "prediction", &out->prediction, 1, path, err);
    if (st == BS_OK) st = take_double(&t, "baseline", &out->baseline, 0, path, err);
    if (st == BS_OK) st = take_double(&t, "lower", &out->lower, 0, path, err);
    if (st == BS_OK) st = take_double(&t, "upper", &out->upper, 0, path, err);
    const bs_parquet_column_data *m = bs_parquet_table_find(&t, "market");
    if (st == BS_OK && m && m->type == BS_PARQUET_STRING && t.rows)
        snprintf(out->market, sizeof out->market, "%s", m->values.str[0]);
    bs_parquet_table_free(&t);
    if (st != BS_OK) bs_predictions_free(out);
    return st;
}
