/*
 * parquet_reader.c - reads back the Parquet files parquet_writer.c writes (see parquet.h).
 *
 * The file is mapped; the footer is decoded with the bounds-checked Thrift reader, then each
 * column chunk's pages are decompressed and PLAIN-decoded into the column arrays. Every offset
 * and size taken from the file is checked against the file before use: a damaged file is an
 * error, never a read out of bounds.
 *
 * Sizes are claims too, and a claim is never allocated before it is checked (a 504-byte file
 * once asked for 0x571f7c79acb3cde8 bytes): a list has at most one element a byte of what is
 * left, a page's decompressed size is the one its codec's own header states, and everything the
 * table holds is capped by the file's size times MAX_EXPANSION. Our writer's files stay far below
 * that (each row has a distinct timestamp, which costs at least a byte compressed); a file that
 * claims more is BS_ERR_FORMAT. Each footer field that allocates may appear once.
 */
#include "btcstream/parquet.h"

#include <errno.h>
#include <fcntl.h>
#include <snappy-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "parquet_dict.h"
#include "thrift_compact.h"

/* How many bytes of table a byte of file may become (see the top of the file). */
#define MAX_EXPANSION 1024

typedef struct {
    int64_t type, codec, num_values, data_offset, dict_offset;
} chunk_info;

typedef struct {
    const unsigned char *file;
    size_t size;
    const char *path;
    bs_parquet_table *t;
    size_t filled; /* rows already decoded, per column, in row groups before the current one */
    int seen_schema, seen_rows, seen_groups; /* footer fields read once each */
} reader;

/* Whether allocating `bytes` is justified by the file's size. */
static int affordable(const reader *rd, size_t bytes) { return bytes / MAX_EXPANSION <= rd->size; }

static bs_status damaged(const reader *rd, bs_error *err, const char *what) {
    return bs_fail(err, BS_ERR_FORMAT, "%s: not a readable Parquet file (%s)", rd->path, what);
}

/* One SchemaElement: its name, physical and logical types, repetition. */
static bs_status read_schema_element(tc_reader *r, bs_parquet_column_data *c, int *is_root,
                                     bs_error *err) {
    int64_t physical = -1, repetition = 0, converted = -1;
    int timestamp = 0, date = 0, type;
    int16_t id;
    size_t len;
    tc_enter_struct(r);
    *is_root = 0;
    while (tc_read_field(r, &id, &type)) {
        if (id == 1) physical = tc_read_int(r);
        else if (id == 3) repetition = tc_read_int(r);
        else if (id == 6) converted = tc_read_int(r);
        else if (id == 5) *is_root = 1, tc_skip(r, type); /* num_children: the root */
        else if (id == 4) {
            const unsigned char *name = tc_read_binary(r, &len);
            free(c->name); /* a name given twice: the last one counts, the first is not leaked */
            c->name = name ? strndup((const char *)name, len) : NULL;
            if (!c->name) r->failed = 1;
        } else if (id == 10 && type == TC_STRUCT) { /* LogicalType: TIMESTAMP (8) or DATE (6)? */
            tc_enter_struct(r);
            int16_t lid;
            int ltype;
            while (tc_read_field(r, &lid, &ltype))
                timestamp |= lid == 8, date |= lid == 6, tc_skip(r, ltype);
            tc_leave_struct(r);
        } else tc_skip(r, type);
    }
    tc_leave_struct(r);
    if (*is_root || r->failed) return r->failed ? BS_ERR_FORMAT : BS_OK;
    if (repetition != 0)
        return bs_fail(err, BS_ERR_UNSUPPORTED, "column %s is not REQUIRED", c->name);
    if (physical == 5) c->type = BS_PARQUET_DOUBLE;
    else if (physical == 6) c->type = BS_PARQUET_STRING;
    else if (physical == 2)
        c->type = timestamp || converted == 10 ? BS_PARQUET_TIMESTAMP_MICROS : BS_PARQUET_INT64;
    else if (physical == 1 && (date || converted == 6)) c->type = BS_PARQUET_DATE;
    else return bs_fail(err, BS_ERR_UNSUPPORTED, "column %s has an unsupported type", c->name);
    return BS_OK;
}

static void read_column_meta(tc_reader *r, chunk_info *ci) {
    int16_t id;
    int type;
    tc_enter_struct(r);
    while (tc_read_field(r, &id, &type)) {
        if (id == 1) ci->type = tc_read_int(r);
        else if (id == 4) ci->codec = tc_read_int(r);
        else if (id == 5) ci->num_values = tc_read_int(r);
        else if (id == 9) ci->data_offset = tc_read_int(r);
        else if (id == 11) ci->dict_offset = tc_read_int(r);
        else tc_skip(r, type);
    }
    tc_leave_struct(r);
}

/*
 * Checks a page's claimed decompressed size against what its codec's own header says (and the
 * file's size), before anything is allocated for it.
 */
static bs_status check_page_size(const reader *rd, int64_t codec, const unsigned char *src,
                                 size_t len, size_t cap, bs_error *err) {
    size_t stated = cap;
    if (codec == 0) stated = len;
    else if (codec == 1 && snappy_uncompressed_length((const char *)src, len, &stated) != SNAPPY_OK)
        return damaged(rd, err, "bad snappy page");
    else if (codec == 6) {
        unsigned long long n = ZSTD_getFrameContentSize(src, len);
        if (n == ZSTD_CONTENTSIZE_ERROR || n == ZSTD_CONTENTSIZE_UNKNOWN || n > SIZE_MAX)
            return damaged(rd, err, "bad zstd page");
        stated = (size_t)n;
    }
    if (stated != cap) return damaged(rd, err, "page sizes disagree");
    if (!affordable(rd, cap)) return damaged(rd, err, "page larger than the file can hold");
    return BS_OK;
}

static bs_status decompress(const reader *rd, int64_t codec, const unsigned char *src, size_t len,
                            unsigned char *dst, size_t cap, bs_error *err) {
    size_t n = cap;
    if (codec == 0) {
        if (len != cap) return damaged(rd, err, "page sizes disagree");
        memcpy(dst, src, len);
    } else if (codec == 1) {
        if (snappy_uncompress((const char *)src, len, (char *)dst, &n) != SNAPPY_OK || n != cap)
            return damaged(rd, err, "bad snappy page");
    } else if (codec == 6) {
        n = ZSTD_decompress(dst, cap, src, len);
        if (ZSTD_isError(n) || n != cap) return damaged(rd, err, "bad zstd page");
    } else {
        return bs_fail(err, BS_ERR_UNSUPPORTED, "%s: compression codec %lld is not supported",
                       rd->path, (long long)codec);
    }
    return BS_OK;
}

/* PLAIN values of one page into column c from row `at`. */
static bs_status decode_plain(const reader *rd, bs_parquet_column_data *c, size_t at, size_t count,
                              const unsigned char *p, size_t len, bs_error *err) {
    if (c->type == BS_PARQUET_DATE) { /* INT32 in the file, widened to the column's int64 */
        if (len / 4 < count) return damaged(rd, err, "page shorter than its values");
        for (size_t i = 0; i < count; i++) {
            int32_t day;
            memcpy(&day, p + 4 * i, 4);
            c->values.i64[at + i] = day;
        }
        return BS_OK;
    }
    if (c->type != BS_PARQUET_STRING) {
        if (len < count * 8) return damaged(rd, err, "page shorter than its values");
        memcpy(c->type == BS_PARQUET_DOUBLE ? (void *)(c->values.f64 + at)
                                            : (void *)(c->values.i64 + at),
               p, count * 8);
        return BS_OK;
    }
    const unsigned char *end = p + len;
    for (size_t i = 0; i < count; i++) {
        uint32_t n;
        if (end - p < 4) return damaged(rd, err, "string length past the page");
        memcpy(&n, p, 4);
        p += 4;
        if ((size_t)(end - p) < n) return damaged(rd, err, "string past the page");
        if (!(c->values.str[at + i] = strndup((const char *)p, n)))
            return bs_fail(err, BS_ERR_NOMEM, "out of memory");
        p += n;
    }
    return BS_OK;
}

typedef struct {
    int64_t type, uncompressed, compressed, values, encoding;
} page_header;

static size_t read_page_header(const reader *rd, size_t pos, page_header *h) {
    tc_reader r = {.p = rd->file + pos, .end = rd->file + rd->size};
    int16_t id;
    int type;
    memset(h, 0, sizeof *h);
    while (tc_read_field(&r, &id, &type)) {
        if (id == 1) h->type = tc_read_int(&r);
        else if (id == 2) h->uncompressed = tc_read_int(&r);
        else if (id == 3) h->compressed = tc_read_int(&r);
        else if ((id == 5 || id == 7) && type == TC_STRUCT) { /* data or dictionary page header */
            tc_enter_struct(&r);
            int16_t did;
            int dtype;
            while (tc_read_field(&r, &did, &dtype)) {
                if (did == 1) h->values = tc_read_int(&r);
                else if (did == 2) h->encoding = tc_read_int(&r);
                else tc_skip(&r, dtype);
            }
            tc_leave_struct(&r);
        } else tc_skip(&r, type);
    }
    return r.failed ? 0 : (size_t)(r.p - (rd->file + pos));
}

/* A chunk's dictionary: its values decoded, as a one-column table of `distinct` rows. */
typedef struct {
    bs_parquet_column_data values;
    size_t distinct;
} dictionary;

static void dictionary_free(dictionary *d) {
    if (d->values.type == BS_PARQUET_STRING && d->values.values.str)
        for (size_t i = 0; i < d->distinct; i++) free(d->values.values.str[i]);
    free(d->values.values.f64);
    memset(d, 0, sizeof *d);
}

static bs_status read_dictionary(const reader *rd, const bs_parquet_column_data *c,
                                 const page_header *h, const unsigned char *page, dictionary *d,
                                 bs_error *err) {
    dictionary_free(d);
    d->values.type = c->type;
    d->values.name = c->name;
    d->distinct = (size_t)h->values;
    size_t width = c->type == BS_PARQUET_STRING ? sizeof(char *) : 8;
    /* Each PLAIN value takes at least 4 bytes (a string's length) of the page. */
    if (d->distinct > (size_t)h->uncompressed / 4) {
        d->distinct = 0;
        return damaged(rd, err, "dictionary larger than its page");
    }
    if (!(d->values.values.f64 = calloc(d->distinct ? d->distinct : 1, width)))
        return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    return decode_plain(rd, &d->values, 0, d->distinct, page, (size_t)h->uncompressed, err);
}

/* Dictionary indices into values of column c from row `at`. */
static bs_status decode_indices(const reader *rd, bs_parquet_column_data *c, size_t at,
                                size_t count, const unsigned char *page, size_t len,
                                const dictionary *d, bs_error *err) {
    if (!d->distinct) return damaged(rd, err, "dictionary-encoded page without a dictionary");
    uint32_t *idx = malloc((count ? count : 1) * sizeof *idx);
    if (!idx) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    bs_status st = pq_dict_decode_indices(page, len, count, d->distinct, idx)
                       ? BS_OK
                       : damaged(rd, err, "bad dictionary indices");
    for (size_t i = 0; st == BS_OK && i < count; i++) {
        if (c->type == BS_PARQUET_STRING) {
            if (!(c->values.str[at + i] = strdup(d->values.values.str[idx[i]])))
                st = bs_fail(err, BS_ERR_NOMEM, "out of memory");
        } else {
            c->values.i64[at + i] =
                d->values.values.i64[idx[i]]; /* the 8 bytes, whatever the type */
        }
    }
    free(idx);
    return st;
}

static bs_status decode_chunk(reader *rd, bs_parquet_column_data *c, const chunk_info *ci,
                              bs_error *err) {
    size_t pos = (size_t)(ci->dict_offset > 0 ? ci->dict_offset : ci->data_offset);
    size_t at = rd->filled, left = (size_t)ci->num_values;
    if (ci->num_values < 0 || rd->filled + left > rd->t->rows)
        return damaged(rd, err, "row counts disagree");
    dictionary dict;
    memset(&dict, 0, sizeof dict);
    bs_status st = BS_OK;
    while (st == BS_OK && left > 0) {
        page_header h = {0};
        size_t header = pos < rd->size ? read_page_header(rd, pos, &h) : 0;
        int is_dict = h.type == 2, is_data = h.type == 0;
        if (header == 0 || h.compressed < 0 || h.uncompressed < 0 ||
            (size_t)h.compressed > rd->size - pos - header || h.values <= 0 ||
            (is_data && (size_t)h.values > left) || (is_dict && h.values > (int64_t)UINT32_MAX))
            return dictionary_free(&dict), damaged(rd, err, "bad page header");
        int dict_encoded = h.encoding == 8 || h.encoding == 2; /* RLE_ or PLAIN_DICTIONARY */
        if (!(is_dict && h.encoding == 0) && !(is_data && (h.encoding == 0 || dict_encoded))) {
            dictionary_free(&dict);
            return bs_fail(err, BS_ERR_UNSUPPORTED,
                           "%s: column %s uses a page type or encoding "
                           "btcstream does not read",
                           rd->path, c->name);
        }
        st = check_page_size(rd, ci->codec, rd->file + pos + header, (size_t)h.compressed,
                             (size_t)h.uncompressed, err);
        if (st != BS_OK) break;
        unsigned char *page = malloc(h.uncompressed ? (size_t)h.uncompressed : 1);
        if (!page) st = bs_fail(err, BS_ERR_NOMEM, "out of memory");
        if (st == BS_OK)
            st = decompress(rd, ci->codec, rd->file + pos + header, (size_t)h.compressed, page,
                            (size_t)h.uncompressed, err);
        if (st == BS_OK && is_dict) st = read_dictionary(rd, c, &h, page, &dict, err);
        else if (st == BS_OK && dict_encoded)
            st = decode_indices(rd, c, at, (size_t)h.values, page, (size_t)h.uncompressed, &dict,
                                err);
        else if (st == BS_OK)
            st = decode_plain(rd, c, at, (size_t)h.values, page, (size_t)h.uncompressed, err);
        free(page);
        pos += header + (size_t)h.compressed;
        if (is_data) at += (size_t)h.values, left -= (size_t)h.values;
    }
    dictionary_free(&dict);
    return st;
}

static bs_status allocate_columns(reader *rd, bs_error *err) {
    if (rd->t->rows > SIZE_MAX / 8 / (rd->t->columns ? rd->t->columns : 1) ||
        !affordable(rd, rd->t->rows * 8 * rd->t->columns))
        return damaged(rd, err, "more rows than the file can hold");
    for (size_t i = 0; i < rd->t->columns; i++) {
        bs_parquet_column_data *c = &rd->t->column[i];
        size_t width = c->type == BS_PARQUET_STRING ? sizeof(char *) : 8;
        void *values = calloc(rd->t->rows ? rd->t->rows : 1, width);
        if (!values) return bs_fail(err, BS_ERR_NOMEM, "out of memory for %zu rows", rd->t->rows);
        c->values.f64 = values;
    }
    return BS_OK;
}

static bs_status read_schema(reader *rd, tc_reader *r, bs_error *err) {
    int elem;
    size_t count;
    if (rd->seen_schema++) return damaged(rd, err, "two schemas");
    tc_read_list(r, &elem, &count); /* at most a byte left per element: the allocation is bounded */
    if (count < 2 || elem != TC_STRUCT) return damaged(rd, err, "no columns in the schema");
    rd->t->column = calloc(count, sizeof *rd->t->column);
    if (!rd->t->column) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < count; i++) {
        bs_parquet_column_data scratch = {0};
        int root;
        bs_parquet_column_data *c = i == 0 ? &scratch : &rd->t->column[rd->t->columns];
        bs_error why = {{0}};
        bs_status st = read_schema_element(r, c, &root, &why);
        free(scratch.name);
        if (st == BS_ERR_FORMAT) return damaged(rd, err, "bad schema");
        if (st != BS_OK) return bs_fail(err, st, "%s: %s", rd->path, why.msg);
        if (i > 0) rd->t->columns++;
        if (i > 0 && !c->name) return damaged(rd, err, "a column without a name");
        if ((i == 0) != (root != 0))
            return bs_fail(err, BS_ERR_UNSUPPORTED, "%s: nested schemas are not supported",
                           rd->path);
    }
    return BS_OK;
}

static bs_status read_row_groups(reader *rd, tc_reader *r, bs_error *err) {
    int elem, type;
    size_t groups;
    int16_t id;
    if (rd->seen_groups++) return damaged(rd, err, "two lists of row groups");
    tc_read_list(r, &elem, &groups);
    for (size_t g = 0; g < groups && !r->failed; g++) {
        tc_enter_struct(r);
        size_t group_rows = 0;
        while (tc_read_field(r, &id, &type)) {
            if (id != 1) {
                tc_skip(r, type);
                continue;
            }
            size_t ncols;
            tc_read_list(r, &elem, &ncols);
            if (ncols != rd->t->columns) return damaged(rd, err, "row group column count");
            for (size_t i = 0; i < ncols; i++) {
                chunk_info ci = {-1, -1, -1, -1, -1};
                int16_t cid;
                int ctype;
                tc_enter_struct(r);
                while (tc_read_field(r, &cid, &ctype))
                    if (cid == 3 && ctype == TC_STRUCT) read_column_meta(r, &ci);
                    else tc_skip(r, ctype);
                tc_leave_struct(r);
                if (r->failed) return damaged(rd, err, "bad column chunk");
                bs_status st = decode_chunk(rd, &rd->t->column[i], &ci, err);
                if (st != BS_OK) return st;
                if (i > 0 && (size_t)ci.num_values != group_rows)
                    return damaged(rd, err, "ragged row group");
                group_rows = (size_t)ci.num_values;
            }
        }
        tc_leave_struct(r);
        rd->filled += group_rows;
    }
    return r->failed ? damaged(rd, err, "bad row groups") : BS_OK;
}

static bs_status read_footer(reader *rd, const unsigned char *footer, size_t len, bs_error *err) {
    tc_reader r = {.p = footer, .end = footer + len};
    int16_t id;
    int type;
    bs_status st = BS_OK;
    while (st == BS_OK && tc_read_field(&r, &id, &type)) {
        if (id == 2) st = read_schema(rd, &r, err);
        else if (id == 3) {
            int64_t rows = tc_read_int(&r);
            if (rows < 0 || !rd->t->column || rd->seen_rows++) return damaged(rd, err, "row count");
            rd->t->rows = (size_t)rows;
            st = allocate_columns(rd, err);
        } else if (id == 4)
            st = rd->t->column && rd->t->column[0].values.f64 ? read_row_groups(rd, &r, err)
                                                              : damaged(rd, err, "field order");
        else tc_skip(&r, type);
    }
    if (st == BS_OK && (r.failed || !rd->t->column || !rd->t->column[0].values.f64))
        st = damaged(rd, err, "bad footer"); /* the row count (which allocates) is required */
    if (st == BS_OK && rd->filled != rd->t->rows) st = damaged(rd, err, "fewer values than rows");
    return st;
}

bs_status bs_parquet_read(const char *path, bs_parquet_table *out, bs_error *err) {
    memset(out, 0, sizeof *out);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return bs_fail(err, BS_ERR_IO, "%s: %s", path, strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0 || sb.st_size < 12) {
        close(fd);
        return bs_fail(err, BS_ERR_FORMAT, "%s: too short for a Parquet file", path);
    }
    size_t size = (size_t)sb.st_size;
    const unsigned char *file = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (file == MAP_FAILED) return bs_fail(err, BS_ERR_IO, "%s: %s", path, strerror(errno));
    reader rd = {.file = file, .size = size, .path = path, .t = out};
    uint32_t footer_len;
    memcpy(&footer_len, file + size - 8, 4);
    bs_status st = BS_OK;
    if (memcmp(file, "PAR1", 4) != 0 || memcmp(file + size - 4, "PAR1", 4) != 0)
        st = damaged(&rd, err, "no PAR1 magic");
    else if (footer_len > size - 12) st = damaged(&rd, err, "footer length");
    else st = read_footer(&rd, file + size - 8 - footer_len, footer_len, err);
    munmap((void *)file, size);
    if (st != BS_OK) bs_parquet_table_free(out);
    return st;
}

const bs_parquet_column_data *bs_parquet_table_find(const bs_parquet_table *t, const char *name) {
    for (size_t i = 0; i < t->columns; i++)
        if (strcmp(t->column[i].name, name) == 0) return &t->column[i];
    return NULL;
}

void bs_parquet_table_free(bs_parquet_table *t) {
    if (!t) return;
    for (size_t i = 0; t->column && i < t->columns + 1; i++) {
        bs_parquet_column_data *c = &t->column[i];
        if (c->type == BS_PARQUET_STRING && c->values.str)
            for (size_t r = 0; r < t->rows; r++) free(c->values.str[r]);
        free(c->values.f64);
        free(c->name);
    }
    free(t->column);
    memset(t, 0, sizeof *t);
}
