/*
 * parquet.h - writing Apache Parquet files that Spark, DuckDB and pandas read.
 *
 * No Arrow or Parquet C library is packaged for Debian 12, so btcstream writes the format
 * itself: flat schemas of REQUIRED columns (DOUBLE, INT64, INT64 TIMESTAMP(MICROS, UTC), UTF-8
 * strings as BYTE_ARRAY, INT32 DATE), one data page (v1) per column chunk, PLAIN or, where repeated
 * values make it pay, dictionary-encoded (a PLAIN dictionary page and RLE_DICTIONARY indices),
 * snappy (default), zstd or no compression, min/max/null-count statistics per chunk (NaN kept out
 * of min and max as the format asks), row groups of a chosen size, and the Thrift compact-protocol
 * footer. Rows are buffered one row group at a time, so memory is bounded by the row-group size.
 * The file is written beside its final name and renamed into place on close. The reader reads back
 * what the writer writes, bit for bit (NaN payloads and -0.0 included).
 */
#ifndef BTCSTREAM_PARQUET_H
#define BTCSTREAM_PARQUET_H

#include "btcstream/export.h"

#include <stddef.h>
#include <stdint.h>

#include "btcstream/status.h"

typedef enum {
    BS_PARQUET_DOUBLE,           /* values: const double * */
    BS_PARQUET_INT64,            /* values: const int64_t * */
    BS_PARQUET_TIMESTAMP_MICROS, /* values: const int64_t *, UTC microseconds */
    BS_PARQUET_STRING,           /* values: const char *const *, UTF-8, NUL-terminated */
    BS_PARQUET_DATE, /* values: const int32_t *, days since 1970-01-01 (read back widened into
                        values.i64) */
    /* values: const int64_t *, BS_PARQUET_NULL_INT64 for a null: an OPTIONAL INT64 column
     * (definition levels, never dictionary-encoded). Written only; the reader refuses it. */
    BS_PARQUET_INT64_OPTIONAL,
} bs_parquet_type;

/* The value that stands for null in a BS_PARQUET_INT64_OPTIONAL column. */
#define BS_PARQUET_NULL_INT64 INT64_MIN

typedef enum { BS_PARQUET_SNAPPY, BS_PARQUET_ZSTD, BS_PARQUET_UNCOMPRESSED } bs_parquet_codec;

typedef struct {
    const char *name;
    bs_parquet_type type;
} bs_parquet_column;

typedef struct {
    bs_parquet_codec codec; /* default snappy */
    size_t row_group_rows;  /* rows per row group; 0: 1,048,576 */
    int plain_only;         /* never dictionary-encode (by default a chunk is, where it pays) */
} bs_parquet_options;

typedef struct bs_parquet_writer bs_parquet_writer;

/* Parses "snappy", "zstd" or "none". */
BS_API bs_status bs_parquet_codec_parse(const char *name, bs_parquet_codec *codec, bs_error *err);

/* Starts a file with these columns (copied). opts may be NULL for the defaults. */
BS_API bs_status bs_parquet_writer_open(const char *path, const bs_parquet_column *columns,
                                        size_t count, const bs_parquet_options *opts,
                                        bs_parquet_writer **out, bs_error *err);

/* Appends rows: values[i] points at `rows` values of column i, typed as bs_parquet_type says. */
BS_API bs_status bs_parquet_write(bs_parquet_writer *w, size_t rows, const void *const *values,
                                  bs_error *err);

/* Writes the last row group and the footer, renames the file into place and frees w. */
BS_API bs_status bs_parquet_writer_close(bs_parquet_writer *w, bs_error *err);

/* Abandons the file (nothing is left behind) and frees w; accepts NULL. */
BS_API void bs_parquet_writer_abort(bs_parquet_writer *w);

/* ---- reading ---------------------------------------------------------------------------- */

/* One column read back: rows values, owned by the table. */
typedef struct {
    char *name;
    bs_parquet_type type;
    union {
        double *f64;
        int64_t *i64; /* INT64, TIMESTAMP_MICROS and DATE (days since 1970-01-01) */
        char **str;   /* NUL-terminated copies */
    } values;
} bs_parquet_column_data;

typedef struct {
    size_t rows, columns;
    bs_parquet_column_data *column;
} bs_parquet_table;

/*
 * Reads a whole Parquet file of the kind this module writes (flat REQUIRED columns of the types
 * above, data pages v1, PLAIN or dictionary-encoded, any of the three codecs, any number of row
 * groups). Anything else
 * is BS_ERR_UNSUPPORTED; a damaged file is BS_ERR_FORMAT naming the file and what is wrong.
 */
BS_API bs_status bs_parquet_read(const char *path, bs_parquet_table *out, bs_error *err);

/* The column called name, or NULL. */
BS_API const bs_parquet_column_data *bs_parquet_table_find(const bs_parquet_table *t,
                                                           const char *name);

/* Frees everything the table holds; accepts a zeroed table. */
BS_API void bs_parquet_table_free(bs_parquet_table *t);

#endif
