/*
 * table_parquet.h - a result table (table.h) as a Parquet file: timestamps as
 * TIMESTAMP(MICROS, UTC), days as "YYYY-MM-DD" strings, integers as INT64, doubles as DOUBLE.
 */
#ifndef BTCSTREAM_TABLE_PARQUET_H
#define BTCSTREAM_TABLE_PARQUET_H

#include "btcstream/export.h"

#include "btcstream/parquet.h"
#include "btcstream/table.h"

BS_API bs_status bs_table_write_parquet(const bs_table *t, const char *path,
                                        const bs_parquet_options *opts, bs_error *err);

#endif
