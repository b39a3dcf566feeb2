/*
 * parquet_writer.c - see parquet.h. Layout of a file:
 *   "PAR1" | for each row group, for each column: page header, page data | footer | len | "PAR1"
 * Values of the open row group are kept PLAIN-encoded per column; when the group is full, each
 * column becomes one compressed data page, and what the footer needs about it is remembered.
 */
#include "btcstream/parquet.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <snappy-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "btcstream/fsutil.h"
#include "btcstream/version.h"
#include "parquet_dict.h"
#include "thrift_compact.h"

enum { PQ_INT32 = 1, PQ_INT64 = 2, PQ_DOUBLE = 5, PQ_BYTE_ARRAY = 6 }; /* physical types */
enum { ENC_PLAIN = 0, ENC_RLE = 3, ENC_RLE_DICTIONARY = 8 };           /* encodings */
enum { CONV_UTF8 = 0, CONV_DATE = 6, CONV_TIMESTAMP_MICROS = 10 };     /* converted types */
static const int physical[] = {PQ_DOUBLE, PQ_INT64, PQ_INT64, PQ_BYTE_ARRAY, PQ_INT32, PQ_INT64};

/* Bytes of one value as the caller hands it (a pointer for strings). */
static size_t value_width(bs_parquet_type type) {
    return type == BS_PARQUET_STRING ? sizeof(char *) : type == BS_PARQUET_DATE ? 4 : 8;
}
static const int codec_ids[] = {1, 6, 0}; /* SNAPPY, ZSTD, UNCOMPRESSED */

typedef struct { /* min and max of a chunk: numbers as values, strings as copies of their bytes */
    int present;
    double dmin, dmax;
    int64_t imin, imax;
    unsigned char *min, *max; /* strings only */
    size_t min_len, max_len;
    int64_t nulls; /* optional columns */
} stats;

typedef struct { /* what the footer says about one column chunk */
    int64_t offset, uncompressed, compressed, values;
    int64_t dict_offset; /* -1 without a dictionary page */
    stats st;
} chunk;

typedef struct {
    bs_parquet_column def;
    char *name;
    tc_writer values; /* PLAIN bytes of the open row group (an optional column's non-nulls) */
    tc_writer levels; /* an optional column: one definition level (0 null, 1 set) a row */
    stats st;
} column;

struct bs_parquet_writer {
    bs_atomic_file out;
    char *path;
    int64_t offset;
    bs_parquet_options opts;
    column *cols;
    size_t ncols;
    size_t group_rows, total_rows;
    chunk *chunks; /* groups x ncols */
    size_t groups, chunk_cap;
};

bs_status bs_parquet_codec_parse(const char *name, bs_parquet_codec *codec, bs_error *err) {
    if (strcmp(name, "snappy") == 0) *codec = BS_PARQUET_SNAPPY;
    else if (strcmp(name, "zstd") == 0) *codec = BS_PARQUET_ZSTD;
    else if (strcmp(name, "none") == 0) *codec = BS_PARQUET_UNCOMPRESSED;
    else return bs_fail(err, BS_ERR_ARG, "unknown codec \"%s\" (use snappy, zstd or none)", name);
    return BS_OK;
}

static void stats_free(stats *s) {
    free(s->min);
    free(s->max);
    memset(s, 0, sizeof *s);
}

static int set_bound(unsigned char **slot, size_t *len, const void *v, size_t n) {
    unsigned char *copy = malloc(n ? n : 1);
    if (!copy) return 0;
    memcpy(copy, v, n);
    free(*slot);
    *slot = copy;
    *len = n;
    return 1;
}

/* Bytewise (unsigned) order, which is UTF-8's code point order. */
static int bytes_cmp(const void *a, size_t an, const void *b, size_t bn) {
    int c = memcmp(a, b, an < bn ? an : bn);
    return c ? c : (an > bn) - (an < bn);
}

static int update_string_stats(stats *s, const char *v, size_t n) {
    if (!s->present || bytes_cmp(v, n, s->min, s->min_len) < 0)
        if (!set_bound(&s->min, &s->min_len, v, n)) return 0;
    if (!s->present || bytes_cmp(v, n, s->max, s->max_len) > 0)
        if (!set_bound(&s->max, &s->max_len, v, n)) return 0;
    s->present = 1;
    return 1;
}

/* Folds a run of numbers into the statistics: NaN never goes into min or max. */
static void update_number_stats(stats *s, bs_parquet_type type, const void *values, size_t n) {
    if (type == BS_PARQUET_DOUBLE) {
        const double *d = values;
        for (size_t i = 0; i < n; i++) {
            if (d[i] != d[i]) continue;
            if (!s->present) s->dmin = s->dmax = d[i], s->present = 1;
            if (d[i] < s->dmin) s->dmin = d[i];
            if (d[i] > s->dmax) s->dmax = d[i];
        }
        return;
    }
    if (type == BS_PARQUET_DATE) {
        const int32_t *v = values;
        for (size_t i = 0; i < n; i++) {
            if (!s->present) s->imin = s->imax = v[i], s->present = 1;
            if (v[i] < s->imin) s->imin = v[i];
            if (v[i] > s->imax) s->imax = v[i];
        }
        return;
    }
    const int64_t *v = values;
    for (size_t i = 0; i < n; i++) {
        if (!s->present) s->imin = s->imax = v[i], s->present = 1;
        if (v[i] < s->imin) s->imin = v[i];
        if (v[i] > s->imax) s->imax = v[i];
    }
}

/* An optional column keeps its non-null values PLAIN and a level a row for the page's
 * definition levels; nulls stay out of the statistics' min and max. */
static bs_status append_optional(bs_parquet_writer *w, column *c, size_t rows,
                                 const int64_t *values, bs_error *err) {
    for (size_t r = 0; r < rows; r++) {
        unsigned char level = values[r] != BS_PARQUET_NULL_INT64;
        tc_bytes(&c->levels, &level, 1);
        if (!level) {
            c->st.nulls++;
            continue;
        }
        tc_bytes(&c->values, &values[r], 8);
        update_number_stats(&c->st, BS_PARQUET_INT64, &values[r], 1);
    }
    if (c->values.failed || c->levels.failed)
        return bs_fail(err, BS_ERR_NOMEM, "%s: out of memory buffering column %s", w->path,
                       c->name);
    return BS_OK;
}

static bs_status append_values(bs_parquet_writer *w, column *c, size_t rows, const void *values,
                               bs_error *err) {
    if (c->def.type == BS_PARQUET_INT64_OPTIONAL) return append_optional(w, c, rows, values, err);
    if (c->def.type !=
        BS_PARQUET_STRING) { /* PLAIN numbers are the little-endian values as they are */
        tc_bytes(&c->values, values, rows * value_width(c->def.type));
        update_number_stats(&c->st, c->def.type, values, rows);
    }
    for (size_t r = 0; c->def.type == BS_PARQUET_STRING && r < rows; r++) {
        const char *s = ((const char *const *)values)[r];
        size_t n = s ? strlen(s) : 0;
        uint32_t len = (uint32_t)n; /* PLAIN BYTE_ARRAY: 4-byte little-endian length, bytes */
        tc_bytes(&c->values, &len, 4);
        tc_bytes(&c->values, s ? s : "", n);
        if (!update_string_stats(&c->st, s ? s : "", n))
            return bs_fail(err, BS_ERR_NOMEM, "%s: out of memory buffering column %s", w->path,
                           c->name);
    }
    if (c->values.failed)
        return bs_fail(err, BS_ERR_NOMEM, "%s: out of memory buffering column %s", w->path,
                       c->name);
    return BS_OK;
}

/* Compresses src into a new buffer; *out_len is its length. */
static bs_status compress(bs_parquet_codec codec, const tc_writer *src, unsigned char **out,
                          size_t *out_len, bs_error *err) {
    size_t cap = codec == BS_PARQUET_SNAPPY ? snappy_max_compressed_length(src->len)
                 : codec == BS_PARQUET_ZSTD ? ZSTD_compressBound(src->len)
                                            : src->len;
    *out = malloc(cap ? cap : 1);
    if (!*out) return bs_fail(err, BS_ERR_NOMEM, "out of memory compressing a page");
    *out_len = cap;
    if (codec == BS_PARQUET_SNAPPY) {
        if (snappy_compress((const char *)src->data, src->len, (char *)*out, out_len) != SNAPPY_OK)
            return bs_fail(err, BS_ERR_FORMAT, "snappy failed");
    } else if (codec == BS_PARQUET_ZSTD) {
        size_t n = ZSTD_compress(*out, cap, src->data, src->len, 3);
        if (ZSTD_isError(n)) return bs_fail(err, BS_ERR_FORMAT, "zstd: %s", ZSTD_getErrorName(n));
        *out_len = n;
    } else if (src->len) {
        memcpy(*out, src->data, src->len);
    }
    return BS_OK;
}

static void write_statistics(tc_writer *t, int16_t id, bs_parquet_type type, const stats *s) {
    tc_field_struct_begin(t, id);
    tc_field_i64(t, 3, s->nulls); /* null_count: 0 but in optional columns */
    if (s->present && type == BS_PARQUET_STRING) {
        tc_field_binary(t, 5, s->max, s->max_len);
        tc_field_binary(t, 6, s->min, s->min_len);
    } else if (s->present && type == BS_PARQUET_DOUBLE) {
        /* The format asks for a zero max written as +0.0 and a zero min as -0.0. */
        double lo = s->dmin == 0 ? -0.0 : s->dmin, hi = s->dmax == 0 ? 0.0 : s->dmax;
        tc_field_binary(t, 5, &hi, 8);
        tc_field_binary(t, 6, &lo, 8);
    } else if (s->present && type == BS_PARQUET_DATE) {
        int32_t lo = (int32_t)s->imin, hi = (int32_t)s->imax;
        tc_field_binary(t, 5, &hi, 4);
        tc_field_binary(t, 6, &lo, 4);
    } else if (s->present) { /* INT64, TIMESTAMP_MICROS and optional INT64 */
        tc_field_binary(t, 5, &s->imax, 8);
        tc_field_binary(t, 6, &s->imin, 8);
    }
    tc_struct_end(t);
}

static bs_status write_bytes(bs_parquet_writer *w, const void *data, size_t n, bs_error *err) {
    bs_status st = bs_atomic_write(&w->out, data, n, err);
    if (st == BS_OK) w->offset += (int64_t)n;
    return st;
}

/* A column's pages, encoded and compressed: done for all columns of a row group at once, one
 * thread each. With a dictionary, there are two pages: the dictionary, then the indices. */
typedef struct {
    bs_parquet_codec codec;
    bs_parquet_type type;
    const tc_writer *src;
    tc_writer page; /* an optional column's page body: its levels, then its values */
    size_t rows;
    int use_dict;
    pq_dict dict;
    unsigned char *dict_body, *body;
    size_t dict_body_len, body_len;
    bs_status status;
    bs_error err;
} compress_job;

/*
 * The page body of an optional column: the definition levels as one RLE/bit-packed hybrid run
 * list (bit width 1, each run a varint header `count << 1` and its level in one byte) behind
 * their 4-byte length, then the non-null values.
 */
static const tc_writer *optional_page(compress_job *job, const column *c) {
    tc_writer runs = {0};
    const unsigned char *lv = c->levels.data;
    for (size_t i = 0; i < c->levels.len;) {
        size_t j = i;
        while (j < c->levels.len && lv[j] == lv[i]) j++;
        uint64_t header = (uint64_t)(j - i) << 1;
        do { /* ULEB128 */
            unsigned char b = header & 0x7f;
            header >>= 7;
            if (header) b |= 0x80;
            tc_bytes(&runs, &b, 1);
        } while (header);
        tc_bytes(&runs, &lv[i], 1);
        i = j;
    }
    uint32_t len = (uint32_t)runs.len;
    tc_bytes(&job->page, &len, 4);
    if (runs.len) tc_bytes(&job->page, runs.data, runs.len);
    if (c->values.len) tc_bytes(&job->page, c->values.data, c->values.len); /* none: all null */
    job->page.failed |= runs.failed;
    tc_free(&runs);
    return &job->page;
}

static void *run_compress(void *arg) {
    compress_job *job = arg;
    job->use_dict = job->use_dict && pq_dict_build(job->type, job->src, job->rows, &job->dict);
    const tc_writer *data = job->use_dict ? &job->dict.indices : job->src;
    job->status = compress(job->codec, data, &job->body, &job->body_len, &job->err);
    if (job->status == BS_OK && job->use_dict)
        job->status =
            compress(job->codec, &job->dict.dict, &job->dict_body, &job->dict_body_len, &job->err);
    return NULL;
}

static void page_header(tc_writer *h, int type, size_t uncompressed, size_t compressed) {
    tc_field_i32(h, 1, type);
    tc_field_i32(h, 2, (int32_t)uncompressed);
    tc_field_i32(h, 3, (int32_t)compressed);
}

static bs_status write_page(bs_parquet_writer *w, tc_writer *h, const unsigned char *body,
                            size_t len, const column *c, bs_error *err) {
    if (h->failed)
        return bs_fail(err, BS_ERR_NOMEM, "%s: out of memory for column %s", w->path, c->name);
    bs_status st = write_bytes(w, h->data, h->len, err);
    return st == BS_OK ? write_bytes(w, body, len, err) : st;
}

/* Writes one column of the open row group (its dictionary page, if any, and one data page). */
static bs_status write_column(bs_parquet_writer *w, column *c, const compress_job *job, chunk *out,
                              bs_error *err) {
    const tc_writer *data = job->use_dict                              ? &job->dict.indices
                            : c->def.type == BS_PARQUET_INT64_OPTIONAL ? &job->page
                                                                       : &c->values;
    if (data->failed)
        return bs_fail(err, BS_ERR_NOMEM, "%s: out of memory for column %s", w->path, c->name);
    if (data->len > INT32_MAX || job->dict.dict.len > INT32_MAX)
        return bs_fail(err, BS_ERR_ARG, "%s: column %s: a page over 2 GiB (use smaller row groups)",
                       w->path, c->name);
    bs_status st = BS_OK;
    tc_writer dh = {0}, h = {0};
    out->dict_offset = -1;
    int64_t start = w->offset;
    if (job->use_dict) {
        page_header(&dh, 2, job->dict.dict.len, job->dict_body_len); /* DICTIONARY_PAGE */
        tc_field_struct_begin(&dh, 7);
        tc_field_i32(&dh, 1, (int32_t)job->dict.distinct);
        tc_field_i32(&dh, 2, ENC_PLAIN);
        tc_struct_end(&dh);
        tc_stop(&dh);
        out->dict_offset = w->offset;
        st = write_page(w, &dh, job->dict_body, job->dict_body_len, c, err);
    }
    page_header(&h, 0, data->len, job->body_len); /* DATA_PAGE */
    tc_field_struct_begin(&h, 5);
    tc_field_i32(&h, 1, (int32_t)w->group_rows);
    tc_field_i32(&h, 2, job->use_dict ? ENC_RLE_DICTIONARY : ENC_PLAIN);
    tc_field_i32(&h, 3, ENC_RLE);
    tc_field_i32(&h, 4, ENC_RLE);
    tc_struct_end(&h);
    tc_stop(&h);
    out->offset = w->offset;
    if (st == BS_OK) st = write_page(w, &h, job->body, job->body_len, c, err);
    out->uncompressed = (int64_t)(dh.len + job->dict.dict.len + h.len + data->len);
    out->compressed = w->offset - start;
    out->values = (int64_t)w->group_rows;
    out->st = c->st; /* the chunk takes the statistics over */
    memset(&c->st, 0, sizeof c->st);
    c->values.len = 0;
    c->levels.len = 0;
    tc_free(&dh);
    tc_free(&h);
    return st;
}

static bs_status compress_all(bs_parquet_writer *w, compress_job *jobs, bs_error *err) {
    pthread_t *threads = calloc(w->ncols, sizeof *threads);
    char *running = calloc(w->ncols, 1);
    if (!threads || !running) {
        free(threads);
        free(running);
        return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < w->ncols; i++) {
        jobs[i] = (compress_job){.codec = w->opts.codec,
                                 .type = w->cols[i].def.type,
                                 .src = &w->cols[i].values,
                                 .rows = w->group_rows,
                                 /* the dictionary builder knows 8-byte values and strings */
                                 .use_dict = !w->opts.plain_only &&
                                             w->cols[i].def.type != BS_PARQUET_DATE &&
                                             w->cols[i].def.type != BS_PARQUET_INT64_OPTIONAL};
        if (w->cols[i].def.type == BS_PARQUET_INT64_OPTIONAL)
            jobs[i].src = optional_page(&jobs[i], &w->cols[i]);
        running[i] = w->ncols > 1 && pthread_create(&threads[i], NULL, run_compress, &jobs[i]) == 0;
        if (!running[i]) run_compress(&jobs[i]); /* one column, or no thread to be had: here */
    }
    bs_status st = BS_OK;
    for (size_t i = 0; i < w->ncols; i++) {
        if (running[i]) pthread_join(threads[i], NULL);
        if (st == BS_OK && jobs[i].status != BS_OK) st = jobs[i].status, *err = jobs[i].err;
    }
    free(threads);
    free(running);
    return st;
}

static bs_status flush_group(bs_parquet_writer *w, bs_error *err) {
    if (w->group_rows == 0) return BS_OK;
    if ((w->groups + 1) * w->ncols > w->chunk_cap) {
        size_t cap = w->chunk_cap ? w->chunk_cap * 2 : w->ncols * 4;
        chunk *grown = realloc(w->chunks, cap * sizeof *grown);
        if (!grown) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
        w->chunks = grown;
        w->chunk_cap = cap;
    }
    compress_job *jobs = calloc(w->ncols, sizeof *jobs);
    if (!jobs) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    chunk *group = w->chunks + w->groups * w->ncols;
    memset(group, 0, w->ncols * sizeof *group);
    w->groups++; /* counted now so that its statistics are freed whatever happens next */
    bs_status st = compress_all(w, jobs, err);
    for (size_t i = 0; st == BS_OK && i < w->ncols; i++)
        st = write_column(w, &w->cols[i], &jobs[i], &group[i], err);
    for (size_t i = 0; i < w->ncols; i++) {
        free(jobs[i].body);
        free(jobs[i].dict_body);
        tc_free(&jobs[i].page);
        pq_dict_free(&jobs[i].dict);
    }
    free(jobs);
    w->group_rows = 0;
    return st;
}

bs_status bs_parquet_write(bs_parquet_writer *w, size_t rows, const void *const *values,
                           bs_error *err) {
    size_t done = 0;
    while (done < rows) {
        size_t room = w->opts.row_group_rows - w->group_rows,
               n = rows - done < room ? rows - done : room;
        for (size_t i = 0; i < w->ncols; i++) {
            size_t width = value_width(w->cols[i].def.type);
            bs_status st =
                append_values(w, &w->cols[i], n, (const char *)values[i] + done * width, err);
            if (st != BS_OK) return st;
        }
        w->group_rows += n;
        w->total_rows += n;
        done += n;
        if (w->group_rows == w->opts.row_group_rows) {
            bs_status st = flush_group(w, err);
            if (st != BS_OK) return st;
        }
    }
    return BS_OK;
}

static void write_schema_element(tc_writer *t, const column *c) {
    tc_struct_begin(t);
    tc_field_i32(t, 1, physical[c->def.type]);
    tc_field_i32(t, 3, c->def.type == BS_PARQUET_INT64_OPTIONAL); /* REQUIRED or OPTIONAL */
    tc_field_string(t, 4, c->name);
    if (c->def.type == BS_PARQUET_STRING) {
        tc_field_i32(t, 6, CONV_UTF8);
        tc_field_struct_begin(t, 10); /* LogicalType: STRING */
        tc_field_struct_begin(t, 1);
        tc_struct_end(t);
        tc_struct_end(t);
    } else if (c->def.type == BS_PARQUET_DATE) {
        tc_field_i32(t, 6, CONV_DATE);
        tc_field_struct_begin(t, 10); /* LogicalType: DATE */
        tc_field_struct_begin(t, 6);
        tc_struct_end(t);
        tc_struct_end(t);
    } else if (c->def.type == BS_PARQUET_TIMESTAMP_MICROS) {
        tc_field_i32(t, 6, CONV_TIMESTAMP_MICROS);
        tc_field_struct_begin(t, 10); /* LogicalType: TIMESTAMP(isAdjustedToUTC, MICROS) */
        tc_field_struct_begin(t, 8);
        tc_field_bool(t, 1, 1);
        tc_field_struct_begin(t, 2);
        tc_field_struct_begin(t, 2);
        tc_struct_end(t);
        tc_struct_end(t);
        tc_struct_end(t);
        tc_struct_end(t);
    }
    tc_struct_end(t);
}

static void write_column_chunk(tc_writer *t, const bs_parquet_writer *w, const column *c,
                               const chunk *k) {
    tc_struct_begin(t);
    tc_field_i64(t, 2, k->dict_offset >= 0 ? k->dict_offset : k->offset);
    tc_field_struct_begin(t, 3); /* ColumnMetaData */
    tc_field_i32(t, 1, physical[c->def.type]);
    tc_field_list(t, 2, TC_I32, k->dict_offset >= 0 ? 3 : 2);
    tc_i32(t, ENC_PLAIN);
    tc_i32(t, ENC_RLE);
    if (k->dict_offset >= 0) tc_i32(t, ENC_RLE_DICTIONARY);
    tc_field_list(t, 3, TC_BINARY, 1);
    tc_string(t, c->name);
    tc_field_i32(t, 4, codec_ids[w->opts.codec]);
    tc_field_i64(t, 5, k->values);
    tc_field_i64(t, 6, k->uncompressed);
    tc_field_i64(t, 7, k->compressed);
    tc_field_i64(t, 9, k->offset);
    if (k->dict_offset >= 0) tc_field_i64(t, 11, k->dict_offset);
    write_statistics(t, 12, c->def.type, &k->st);
    tc_struct_end(t);
    tc_struct_end(t);
}

static void write_footer(tc_writer *t, const bs_parquet_writer *w) {
    tc_field_i32(t, 1, 1);
    tc_field_list(t, 2, TC_STRUCT, w->ncols + 1);
    tc_struct_begin(t); /* the root of the schema */
    tc_field_string(t, 4, "schema");
    tc_field_i32(t, 5, (int32_t)w->ncols);
    tc_struct_end(t);
    for (size_t i = 0; i < w->ncols; i++) write_schema_element(t, &w->cols[i]);
    tc_field_i64(t, 3, (int64_t)w->total_rows);
    tc_field_list(t, 4, TC_STRUCT, w->groups);
    for (size_t g = 0; g < w->groups; g++) {
        const chunk *group = w->chunks + g * w->ncols;
        int64_t uncompressed = 0, compressed = 0;
        tc_struct_begin(t);
        tc_field_list(t, 1, TC_STRUCT, w->ncols);
        for (size_t i = 0; i < w->ncols; i++) {
            write_column_chunk(t, w, &w->cols[i], &group[i]);
            uncompressed += group[i].uncompressed;
            compressed += group[i].compressed;
        }
        tc_field_i64(t, 2, uncompressed);
        tc_field_i64(t, 3, group[0].values);
        tc_field_i64(t, 5, group[0].dict_offset >= 0 ? group[0].dict_offset : group[0].offset);
        tc_field_i64(t, 6, compressed);
        tc_struct_end(t);
    }
    tc_field_string(t, 6, "btcstream version " BS_VERSION);
    tc_stop(t);
}

static void free_writer(bs_parquet_writer *w) {
    for (size_t i = 0; i < w->ncols; i++) {
        free(w->cols[i].name);
        tc_free(&w->cols[i].values);
        tc_free(&w->cols[i].levels);
        stats_free(&w->cols[i].st);
    }
    for (size_t k = 0; k < w->groups * w->ncols; k++) stats_free(&w->chunks[k].st);
    free(w->chunks);
    free(w->cols);
    free(w->path);
    free(w);
}

void bs_parquet_writer_abort(bs_parquet_writer *w) {
    if (!w) return;
    bs_atomic_abort(&w->out);
    free_writer(w);
}

bs_status bs_parquet_writer_open(const char *path, const bs_parquet_column *columns, size_t count,
                                 const bs_parquet_options *opts, bs_parquet_writer **out,
                                 bs_error *err) {
    bs_parquet_writer *w = calloc(1, sizeof *w);
    if (!w) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    w->out.fd = -1;
    w->opts = opts ? *opts : (bs_parquet_options){BS_PARQUET_SNAPPY, 0, 0};
    if (w->opts.row_group_rows == 0) w->opts.row_group_rows = 1 << 20;
    w->path = strdup(path);
    w->cols = calloc(count ? count : 1, sizeof *w->cols);
    w->ncols = count;
    int ok = w->path && w->cols && count > 0;
    for (size_t i = 0; ok && i < count; i++) {
        w->cols[i].def = columns[i];
        ok = (w->cols[i].name = strdup(columns[i].name)) != NULL;
    }
    if (!ok) {
        free_writer(w);
        return bs_fail(err, count ? BS_ERR_NOMEM : BS_ERR_ARG, "%s: cannot start a Parquet file",
                       path);
    }
    bs_status opened = bs_atomic_open(&w->out, path, err);
    if (opened != BS_OK) {
        free_writer(w);
        return opened;
    }
    bs_status st = write_bytes(w, "PAR1", 4, err);
    if (st != BS_OK) {
        bs_parquet_writer_abort(w);
        return st;
    }
    *out = w;
    return BS_OK;
}

bs_status bs_parquet_writer_close(bs_parquet_writer *w, bs_error *err) {
    bs_status st = flush_group(w, err);
    tc_writer footer = {0};
    if (st == BS_OK) {
        write_footer(&footer, w);
        if (footer.failed)
            st = bs_fail(err, BS_ERR_NOMEM, "%s: out of memory writing the footer", w->path);
    }
    uint32_t len = (uint32_t)footer.len;
    if (st == BS_OK) st = write_bytes(w, footer.data, footer.len, err);
    if (st == BS_OK) st = write_bytes(w, &len, 4, err);
    if (st == BS_OK) st = write_bytes(w, "PAR1", 4, err);
    tc_free(&footer);
    if (st == BS_OK) st = bs_atomic_commit(&w->out, 0, err);
    else bs_atomic_abort(&w->out);
    free_writer(w);
    return st;
}
