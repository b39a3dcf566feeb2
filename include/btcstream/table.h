/*
 * table.h - a small column-oriented result table, what the batch stages hand to renderers
 * (the CLI's text, CSV and JSON printers) and writers (Parquet).
 */
#ifndef BTCSTREAM_TABLE_H
#define BTCSTREAM_TABLE_H

#include "btcstream/export.h"

#include <stddef.h>
#include <stdint.h>

typedef enum {
    BS_COLUMN_INT64,     /* values.i64 */
    BS_COLUMN_DOUBLE,    /* values.f64 */
    BS_COLUMN_TIMESTAMP, /* values.i64, UTC microseconds; printed "YYYY-MM-DD HH:MM:SS" */
    BS_COLUMN_DAY,       /* values.i64, UTC microseconds of midnight; printed "YYYY-MM-DD" */
} bs_column_type;

typedef struct {
    const char *name; /* static string, not owned */
    bs_column_type type;
    union {
        int64_t *i64;
        double *f64;
    } values; /* owned by the table: rows entries */
} bs_column;

#define BS_TABLE_MAX_COLUMNS 8

typedef struct {
    const char *name; /* static string, e.g. "hourly" */
    size_t rows;
    size_t columns;
    bs_column column[BS_TABLE_MAX_COLUMNS];
} bs_table;

/* Frees the column arrays; accepts a zeroed table and leaves the table zeroed. */
BS_API void bs_table_free(bs_table *table);

#endif
