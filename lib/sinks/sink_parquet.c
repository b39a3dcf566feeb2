/*
 * sink_parquet.c - tables as Parquet files, one a table: DIR/NAME.parquet, snappy, written
 * beside the name and renamed into place by the Parquet writer (table_parquet.h for the types).
 */
#include <stdio.h>

#include "btcstream/fsutil.h"
#include "btcstream/table_parquet.h"
#include "sink_impl.h"

static bs_status write_parquet(bs_sink *sink, const bs_table *t, bs_error *err) {
    char path[4096];
    bs_status st = bs_sink_file_path(sink, t, path, sizeof path, err);
    if (st == BS_OK) st = bs_mkdirs(sink->opts.dir, err);
    if (st == BS_OK) st = bs_table_write_parquet_market(t, path, NULL, sink->opts.market, err);
    if (st == BS_OK && sink->opts.on_file) sink->opts.on_file(sink->opts.ctx, path, t->rows);
    return st;
}

bs_status bs_sink_parquet_open(const bs_sink_options *opts, bs_sink **out, bs_error *err) {
    return bs_sink_new("parquet", "parquet", opts, write_parquet, out, err);
}
