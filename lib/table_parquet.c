/* table_parquet.c - see table_parquet.h. */
#include "btcstream/table_parquet.h"

#include <stdlib.h>

#include "btcstream/timeutil.h"

/* Day columns become DATE (days since the epoch, INT32); the rest is passed through as it is. */
static const void *column_values(const bs_column *c, size_t rows, int32_t **days) {
    if (c->type != BS_COLUMN_DAY) return c->values.i64;
    int32_t *out = malloc((rows ? rows : 1) * sizeof *out);
    for (size_t i = 0; out && i < rows; i++) {
        /* floor division: a day before 1970 is still the day its midnight starts */
        int64_t us = c->values.i64[i];
        out[i] = (int32_t)(us / BS_US_PER_DAY - (us % BS_US_PER_DAY < 0));
    }
    *days = out;
    return out;
}

bs_status bs_table_write_parquet(const bs_table *t, const char *path,
                                 const bs_parquet_options *opts, bs_error *err) {
    return bs_table_write_parquet_market(t, path, opts, NULL, err);
}

bs_status bs_table_write_parquet_market(const bs_table *t, const char *path,
                                        const bs_parquet_options *opts, const char *market,
                                        bs_error *err) {
    static const bs_parquet_type types[] = {BS_PARQUET_INT64, BS_PARQUET_DOUBLE,
                                            BS_PARQUET_TIMESTAMP_MICROS, BS_PARQUET_DATE};
    bs_parquet_column cols[BS_TABLE_MAX_COLUMNS + 1];
    const void *values[BS_TABLE_MAX_COLUMNS + 1];
    size_t count = t->columns;
    const char **markets = NULL; /* one pointer a row; the writer's dictionary stores it once */
    int32_t *days[BS_TABLE_MAX_COLUMNS] = {0};
    bs_status st = BS_OK;
    for (size_t i = 0; i < t->columns; i++) {
        cols[i] = (bs_parquet_column){t->column[i].name, types[t->column[i].type]};
        values[i] = column_values(&t->column[i], t->rows, &days[i]);
        if (!values[i]) st = bs_fail(err, BS_ERR_NOMEM, "out of memory");
    }
    if (st == BS_OK && market && market[0]) {
        markets = malloc((t->rows ? t->rows : 1) * sizeof *markets);
        if (!markets) st = bs_fail(err, BS_ERR_NOMEM, "out of memory");
        for (size_t r = 0; markets && r < t->rows; r++) markets[r] = market;
        cols[count] = (bs_parquet_column){"market", BS_PARQUET_STRING};
        values[count++] = markets;
    }
    bs_parquet_writer *w = NULL;
    if (st == BS_OK) st = bs_parquet_writer_open(path, cols, count, opts, &w, err);
    if (st == BS_OK) st = bs_parquet_write(w, t->rows, values, err);
    if (st == BS_OK) st = bs_parquet_writer_close(w, err);
    else bs_parquet_writer_abort(w);
    for (size_t i = 0; i < t->columns; i++) free(days[i]);
    free(markets);
    return st;
}
