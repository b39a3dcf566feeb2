/*
 * table_parquet.h - a result table (table.h) as a Parquet file: timestamps as
 * TIMESTAMP(MICROS, UTC), days as DATE (INT32 days since 1970-01-01), integers as INT64,
 * doubles as DOUBLE.
 */
#ifndef BTCSTREAM_TABLE_PARQUET_H
#define BTCSTREAM_TABLE_PARQUET_H

#include "btcstream/export.h"

#include "btcstream/parquet.h"
#include "btcstream/table.h"

/* Writes t to path as one Parquet file, with opts as for bs_parquet_writer_open() (parquet.h). */
BS_API bs_status bs_table_write_parquet(const bs_table *t, const char *path,
                                        const bs_parquet_options *opts, bs_error *err);

/*
 * bs_table_write_parquet() with a last column `market` (UTF-8 string, the same on every row)
 * when market is neither NULL nor empty: the market the table was computed for (market.h).
 */
BS_API bs_status bs_table_write_parquet_market(const bs_table *t, const char *path,
                                               const bs_parquet_options *opts,
                                               const char *market, bs_error *err);

#endif
