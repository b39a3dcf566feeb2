/*
 * export_dataset.c - every market of a data folder as one Hive-partitioned Parquet dataset,
 * rewritten incrementally, and its upload to S3 (export_data.h, docs/export.md).
 *
 * Layout: ROOT/market=VALUE/date=YYYY-MM-DD/part-00000.parquet, VALUE percent-encoded as Spark's
 * escapePathName does, so that Spark, DuckDB and Athena read the partition values back.
 *
 * The incremental rule: a partition's content is its rows (one UTC day of one market, sorted, one
 * per instant), and ROOT/_btcstream_manifest.json records for each partition its rows' count, a
 * 64-bit FNV-1a hash of their values and the file's size. A run recomputes every partition's hash
 * from the histories (reading a history is cheap next to encoding Parquet) and rewrites a file
 * only when the hash or row count differs, or the file is missing or not the recorded size. Each
 * file is written atomically (parquet.h), and the manifest is replaced last: a crash in between
 * leaves files newer than the manifest says, which the next run finds different and writes again.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btcstream/export_data.h"
#include "btcstream/fsutil.h"
#include "btcstream/market.h"
#include "btcstream/parquet.h"
#include "btcstream/timeutil.h"

#define UPLOADED_RECORD "_btcstream_uploaded.json"
#define PART_FILE "part-00000.parquet"
/* Changing what a partition file holds must change every hash, so that a run rewrites them all. */
#define SCHEMA_VERSION 1

typedef struct {
    char path[400]; /* relative to the dataset root */
    char market[BS_MARKET_MAX];
    char date[11];
    uint64_t rows, bytes, hash;
} part;

typedef struct {
    part *items;
    size_t n, cap;
} part_list;

static bs_status part_push(part_list *l, const part *p, bs_error *err) {
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        part *grown = realloc(l->items, cap * sizeof *grown);
        if (!grown) return bs_fail(err, BS_ERR_NOMEM, "out of memory listing partitions");
        l->items = grown;
        l->cap = cap;
    }
    l->items[l->n++] = *p;
    return BS_OK;
}

static const part *part_find(const part_list *l, const char *path) {
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i].path, path) == 0) return &l->items[i];
    return NULL;
}

/* Spark's escapePathName: control characters, DEL and the characters of special[] become %XX. */
static void hive_escape(const char *value, char *out, size_t size) {
    static const char special[] = "\"#%'*/:=?\\{[]^";
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)value; *p && n + 4 < size; p++) {
        if (*p < 0x20 || *p == 0x7f || strchr(special, *p))
            n += (size_t)snprintf(out + n, size - n, "%%%02X", *p);
        else out[n++] = (char)*p;
    }
    out[n] = '\0';
}

static uint64_t fnv(uint64_t h, const void *data, size_t n) {
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * UINT64_C(1099511628211);
    return h;
}

static uint64_t rows_hash(const bs_tick *t, size_t n) {
    int version = SCHEMA_VERSION;
    uint64_t h = fnv(UINT64_C(14695981039346656037), &version, sizeof version);
    for (size_t i = 0; i < n; i++) {
        const double v[] = {t[i].open, t[i].high, t[i].low, t[i].close, t[i].volume};
        h = fnv(h, &t[i].ts_us, 8);
        h = fnv(h, v, sizeof v);
        h = fnv(h, &t[i].trades, 8);
    }
    return h;
}

/* ---- the manifest ------------------------------------------------------------------------- */

/* The text after `"key": ` on line, or NULL. */
static const char *field(const char *line, const char *key) {
    char pat[32];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *p = strstr(line, pat);
    return p ? p + strlen(pat) : NULL;
}

static int string_field(const char *line, const char *key, char *out, size_t size) {
    const char *p = field(line, key);
    if (!p || *p != '"') return 0;
    const char *end = strchr(++p, '"');
    if (!end || (size_t)(end - p) >= size) return 0;
    memcpy(out, p, (size_t)(end - p));
    out[end - p] = '\0';
    return 1;
}

static int number_field(const char *line, const char *key, uint64_t *out, int base) {
    const char *p = field(line, key);
    if (p && *p == '"') p++;
    char *end;
    if (!p) return 0;
    *out = strtoull(p, &end, base);
    return end != p;
}

/*
 * Reads a manifest (or the upload record): one partition a line. A missing file is an empty list;
 * a line that does not read is a damaged manifest, reported with its line so that nobody trusts
 * it (delete it and the next run rewrites every partition).
 */
static bs_status manifest_read(const char *path, part_list *out, char *destination, size_t size,
                               bs_error *err) {
    FILE *f = fopen(path, "r");
    if (!f)
        return errno == ENOENT ? BS_OK : bs_fail(err, BS_ERR_IO, "%s: %s", path, strerror(errno));
    char line[2048];
    unsigned line_no = 0;
    bs_status st = BS_OK;
    while (st == BS_OK && fgets(line, sizeof line, f)) {
        line_no++;
        if (destination && strstr(line, "\"destination\": "))
            string_field(line, "destination", destination, size);
        if (!strstr(line, "{\"path\": ")) continue;
        part p = {0};
        if (!string_field(line, "path", p.path, sizeof p.path) ||
            !string_field(line, "market", p.market, sizeof p.market) ||
            !string_field(line, "date", p.date, sizeof p.date) ||
            !number_field(line, "rows", &p.rows, 10) ||
            !number_field(line, "bytes", &p.bytes, 10) || !number_field(line, "hash", &p.hash, 16))
            st = bs_fail(err, BS_ERR_PARSE,
                         "%s:%u: not a partition entry (remove the file to rebuild the dataset)",
                         path, line_no);
        else st = part_push(out, &p, err);
    }
    fclose(f);
    return st;
}

static bs_status manifest_write(const char *dir, const char *name, const char *destination,
                                const part_list *l, bs_error *err) {
    size_t cap = 256 + (destination ? strlen(destination) : 0) + l->n * 700;
    char *text = malloc(cap);
    if (!text) return bs_fail(err, BS_ERR_NOMEM, "out of memory writing %s", name);
    size_t n = (size_t)snprintf(text, cap, "{\"format\": \"btcstream dataset\", \"version\": %d,\n",
                                SCHEMA_VERSION);
    if (destination)
        n += (size_t)snprintf(text + n, cap - n, "\"destination\": \"%s\",\n", destination);
    n += (size_t)snprintf(text + n, cap - n, "\"partitions\": [\n");
    for (size_t i = 0; i < l->n; i++) {
        const part *p = &l->items[i];
        n += (size_t)snprintf(
            text + n, cap - n,
            "{\"path\": \"%s\", \"market\": \"%s\", \"date\": \"%s\", \"rows\": "
            "%" PRIu64 ", \"bytes\": %" PRIu64 ", \"hash\": \"%016" PRIx64 "\"}%s\n",
            p->path, p->market, p->date, p->rows, p->bytes, p->hash, i + 1 < l->n ? "," : "");
    }
    n += (size_t)snprintf(text + n, cap - n, "]}\n");
    bs_status st = bs_write_file_atomic(dir, name, text, n, 1, 0, err);
    free(text);
    return st;
}

/* ---- writing partitions ------------------------------------------------------------------- */

static bs_status write_partition(const char *root, const part *p, const bs_tick *rows,
                                 uint64_t *bytes, bs_error *err) {
    char path[4600], dir[4600];
    snprintf(path, sizeof path, "%s/%s", root, p->path);
    bs_path_dir(path, dir, sizeof dir);
    bs_status st = bs_mkdirs(dir, err);
    const bs_parquet_column cols[] = {{"timestamp", BS_PARQUET_TIMESTAMP_MICROS},
                                      {"open", BS_PARQUET_DOUBLE},
                                      {"high", BS_PARQUET_DOUBLE},
                                      {"low", BS_PARQUET_DOUBLE},
                                      {"close", BS_PARQUET_DOUBLE},
                                      {"volume", BS_PARQUET_DOUBLE},
                                      {"trades", BS_PARQUET_INT64_OPTIONAL}};
    size_t n = (size_t)p->rows;
    int64_t *ts = malloc(n * sizeof *ts), *trades = malloc(n * sizeof *trades);
    double *num = malloc(5 * n * sizeof *num);
    if (st == BS_OK && (!ts || !trades || !num))
        st = bs_fail(err, BS_ERR_NOMEM, "out of memory writing %s", path);
    for (size_t i = 0; st == BS_OK && i < n; i++) {
        ts[i] = rows[i].ts_us;
        num[i] = rows[i].open, num[n + i] = rows[i].high, num[2 * n + i] = rows[i].low;
        num[3 * n + i] = rows[i].close, num[4 * n + i] = rows[i].volume;
        trades[i] = rows[i].trades >= 0 ? rows[i].trades : BS_PARQUET_NULL_INT64;
    }
    bs_parquet_writer *w = NULL;
    if (st == BS_OK) st = bs_parquet_writer_open(path, cols, 7, NULL, &w, err);
    const void *values[] = {ts, num, num + n, num + 2 * n, num + 3 * n, num + 4 * n, trades};
    if (st == BS_OK) st = bs_parquet_write(w, n, values, err);
    if (st == BS_OK) st = bs_parquet_writer_close(w, err);
    else bs_parquet_writer_abort(w);
    free(ts);
    free(trades);
    free(num);
    struct stat sb;
    if (st == BS_OK && stat(path, &sb) != 0)
        st = bs_fail(err, BS_ERR_IO, "%s: %s", path, strerror(errno));
    if (st == BS_OK) *bytes = (uint64_t)sb.st_size;
    return st;
}

static int file_has_size(const char *root, const char *rel, uint64_t bytes) {
    char path[4600];
    struct stat sb;
    snprintf(path, sizeof path, "%s/%s", root, rel);
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && (uint64_t)sb.st_size == bytes;
}

/* One market's partitions, a UTC day each: written when changed, listed in *now. */
static bs_status export_market(const char *root, const bs_market_entry *m, const part_list *before,
                               part_list *now, bs_dataset_report *r, bs_error *err) {
    bs_export_rows rows;
    bs_status st = bs_export_load(m->history, INT64_MIN, INT64_MAX, &rows, err);
    if (st != BS_OK) return st;
    r->bad_lines += rows.stats.bad;
    char value[3 * BS_MARKET_MAX];
    hive_escape(m->name, value, sizeof value);
    for (size_t i = 0; st == BS_OK && i < rows.n;) {
        int64_t day = bs_time_floor(rows.rows[i].ts_us, BS_US_PER_DAY);
        size_t j = i;
        while (j < rows.n && bs_time_floor(rows.rows[j].ts_us, BS_US_PER_DAY) == day) j++;
        part p = {.rows = j - i, .hash = rows_hash(rows.rows + i, j - i)};
        snprintf(p.market, sizeof p.market, "%s", m->name);
        bs_time_format_day(day, p.date);
        snprintf(p.path, sizeof p.path, "market=%s/date=%s/" PART_FILE, value, p.date);
        const part *old = part_find(before, p.path);
        if (old && old->hash == p.hash && old->rows == p.rows &&
            file_has_size(root, p.path, old->bytes)) {
            p.bytes = old->bytes;
        } else {
            st = write_partition(root, &p, rows.rows + i, &p.bytes, err);
            r->written++;
            r->bytes_written += p.bytes;
        }
        if (st == BS_OK) st = part_push(now, &p, err);
        r->rows += p.rows;
        i = j;
    }
    bs_export_rows_free(&rows);
    return st;
}

/* Removes a partition whose day holds no row any more, and its folders once empty. */
static void remove_partition(const char *root, const char *rel) {
    char path[4600];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    unlink(path);
    for (int up = 0; up < 2; up++) {
        char *slash = strrchr(path, '/');
        if (!slash) break;
        *slash = '\0';
        if (rmdir(path) != 0) break;
    }
}

bs_status bs_dataset_export(const char *data_dir, const char *out_dir, bs_dataset_report *report,
                            bs_error *err) {
    memset(report, 0, sizeof *report);
    char manifest[4600];
    snprintf(manifest, sizeof manifest, "%s/%s", out_dir, BS_DATASET_MANIFEST);
    part_list before = {0}, now = {0};
    bs_market_entry *markets = NULL;
    size_t count = 0;
    bs_status st = bs_mkdirs(out_dir, err);
    if (st == BS_OK) st = manifest_read(manifest, &before, NULL, 0, err);
    if (st == BS_OK) st = bs_market_list(data_dir, &markets, &count, err);
    for (size_t i = 0; st == BS_OK && i < count; i++) {
        if (!markets[i].name[0]) {
            report->legacy_skipped = 1;
            continue;
        }
        report->markets++;
        st = export_market(out_dir, &markets[i], &before, &now, report, err);
    }
    for (size_t i = 0; st == BS_OK && i < before.n; i++) {
        if (part_find(&now, before.items[i].path)) continue;
        remove_partition(out_dir, before.items[i].path);
        report->removed++;
    }
    if (st == BS_OK) st = manifest_write(out_dir, BS_DATASET_MANIFEST, NULL, &now, err);
    if (st == BS_OK) st = bs_sync_dir(out_dir, err);
    report->partitions = now.n;
    bs_market_list_free(markets);
    free(before.items);
    free(now.items);
    return st;
}

/* ---- upload ------------------------------------------------------------------------------- */

bs_status bs_dataset_upload(const char *dir, const bs_s3_config *c, const char *prefix,
                            bs_dataset_upload_report *report, bs_error *err) {
    memset(report, 0, sizeof *report);
    char manifest[4600], record[4600], destination[2048], sent_to[2048] = "";
    snprintf(manifest, sizeof manifest, "%s/%s", dir, BS_DATASET_MANIFEST);
    snprintf(record, sizeof record, "%s/%s", dir, UPLOADED_RECORD);
    snprintf(destination, sizeof destination, "%s/%s", c->bucket, prefix ? prefix : "");
    part_list parts = {0}, sent = {0};
    bs_status st = manifest_read(manifest, &parts, NULL, 0, err);
    if (st == BS_OK) st = manifest_read(record, &sent, sent_to, sizeof sent_to, err);
    if (st == BS_OK && strcmp(sent_to, destination) != 0) sent.n = 0; /* another bucket: all */
    for (size_t i = 0; st == BS_OK && i < parts.n; i++) {
        const part *p = &parts.items[i], *old = part_find(&sent, p->path);
        if (old && old->hash == p->hash && old->bytes == p->bytes) {
            report->unchanged++;
            continue;
        }
        char path[4600], key[1400];
        snprintf(path, sizeof path, "%s/%s", dir, p->path);
        snprintf(key, sizeof key, "%s%s", prefix ? prefix : "", p->path);
        st = bs_s3_upload_file(c, path, key, NULL, NULL, NULL, err);
        if (st == BS_OK) report->uploaded++;
    }
    if (st == BS_OK) {
        char key[1400];
        snprintf(key, sizeof key, "%s%s", prefix ? prefix : "", BS_DATASET_MANIFEST);
        st = bs_s3_upload_file(c, manifest, key, NULL, NULL, NULL, err);
    }
    if (st == BS_OK) st = manifest_write(dir, UPLOADED_RECORD, destination, &parts, err);
    free(parts.items);
    free(sent.items);
    return st;
}
