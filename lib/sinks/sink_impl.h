/*
 * sink_impl.h - what the sink files share inside the library: their constructors (listed in
 * sink.c's registry) and the allocation every sink without state of its own uses.
 */
#ifndef BTCSTREAM_SINK_IMPL_H
#define BTCSTREAM_SINK_IMPL_H

#include "btcstream/sink.h"

/* A stateless sink: name, file extension, options copied, write; freed with free(). */
bs_status bs_sink_new(const char *name, const char *extension, const bs_sink_options *opts,
                      bs_status (*write)(bs_sink *, const bs_table *, bs_error *), bs_sink **out,
                      bs_error *err);

bs_status bs_sink_grid_open(const bs_sink_options *opts, bs_sink **out, bs_error *err);
bs_status bs_sink_csv_open(const bs_sink_options *opts, bs_sink **out, bs_error *err);
bs_status bs_sink_json_open(const bs_sink_options *opts, bs_sink **out, bs_error *err);
bs_status bs_sink_parquet_open(const bs_sink_options *opts, bs_sink **out, bs_error *err);

/* Several tables on one stream, labelled: a blank line before every table but the first. */
#define BS_SINK_LABELLED_STREAM(sink) ((sink)->opts.label && !(sink)->opts.dir)

#endif
