/*
 * sink.c - the sink registry and what every sink shares: cell text, separators between
 * tables, and writing a table whole to a stream or to its own file. See sink.h.
 */
#include "btcstream/sink.h"

#include <stdlib.h>
#include <string.h>

#include "btcstream/fsutil.h"
#include "btcstream/tick.h"
#include "btcstream/timeutil.h"
#include "sink_impl.h"

const bs_sink_type bs_sink_types[] = {
    {"table", "a bordered grid, every row (as Spark's show())", 0, bs_sink_grid_open},
    {"csv", "a header row, then one line a row", 0, bs_sink_csv_open},
    {"json", "JSON lines, one object a row", 0, bs_sink_json_open},
    {"parquet", "one Parquet file a table, DIR/NAME.parquet (snappy)", 1, bs_sink_parquet_open},
    {NULL, NULL, 0, NULL},
};

bs_status bs_sink_open(const char *name, const bs_sink_options *opts, bs_sink **out,
                       bs_error *err) {
    *out = NULL;
    if (strcmp(name, "grid") == 0) name = "table";
    for (const bs_sink_type *t = bs_sink_types; t->name; t++) {
        if (strcmp(t->name, name) != 0) continue;
        if (!opts->dir && (t->needs_dir || !opts->out))
            return bs_fail(err, BS_ERR_ARG, "the %s sink needs a directory to write to", name);
        return t->open(opts, out, err);
    }
    return bs_fail(err, BS_ERR_ARG, "unknown format \"%s\" (use table, csv, json or parquet)",
                   name);
}

bs_status bs_sink_new(const char *name, const char *extension, const bs_sink_options *opts,
                      bs_status (*write)(bs_sink *, const bs_table *, bs_error *), bs_sink **out,
                      bs_error *err) {
    bs_sink *s = calloc(1, sizeof *s);
    if (!s) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    s->name = name;
    s->extension = extension;
    s->opts = *opts;
    s->write = write;
    s->free = (void (*)(bs_sink *))free;
    *out = s;
    return BS_OK;
}

bs_status bs_sink_write(bs_sink *sink, const bs_table *table, bs_error *err) {
    bs_status st = sink->write(sink, table, err);
    sink->tables++;
    return st;
}

void bs_sink_free(bs_sink *sink) {
    if (sink) sink->free(sink);
}

/* A whole number in decimal; printf's parsing of its format string cost more than the digits. */
static size_t integer_text(int64_t v, char *buf) {
    char digits[24];
    uint64_t magnitude = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    size_t n = 0;
    do digits[n++] = (char)('0' + magnitude % 10);
    while ((magnitude /= 10) != 0);
    size_t len = 0;
    if (v < 0) buf[len++] = '-';
    while (n > 0) buf[len++] = digits[--n];
    buf[len] = '\0';
    return len;
}

size_t bs_sink_cell_text(const bs_column *c, size_t row, char *buf) {
    switch (c->type) {
    case BS_COLUMN_INT64: return integer_text(c->values.i64[row], buf);
    case BS_COLUMN_DOUBLE: return bs_number_format(c->values.f64[row], buf, BS_SINK_CELL_MAX);
    case BS_COLUMN_TIMESTAMP: bs_time_format(c->values.i64[row], buf); return strlen(buf);
    case BS_COLUMN_DAY: bs_time_format_day(c->values.i64[row], buf); return strlen(buf);
    }
    return 0;
}

bs_status bs_sink_file_path(const bs_sink *sink, const bs_table *table, char *buf, size_t size,
                            bs_error *err) {
    int n = snprintf(buf, size, "%s/%s.%s", sink->opts.dir, table->name, sink->extension);
    if (n < 0 || (size_t)n >= size)
        return bs_fail(err, BS_ERR_ARG, "%s: path too long", sink->opts.dir);
    return BS_OK;
}

/* A table rendered in memory, then written whole beside its name and renamed into place. */
static bs_status emit_file(bs_sink *sink, const bs_table *table,
                           void (*render)(bs_sink *, FILE *, const bs_table *), bs_error *err) {
    char path[4096], name[512];
    bs_status st = bs_sink_file_path(sink, table, path, sizeof path, err);
    if (st != BS_OK) return st;
    snprintf(name, sizeof name, "%s.%s", table->name, sink->extension);
    char *data = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&data, &len);
    if (!f) return bs_fail(err, BS_ERR_NOMEM, "out of memory rendering %s", path);
    render(sink, f, table);
    int failed = ferror(f);
    if (fclose(f) != 0 || failed)
        st = bs_fail(err, BS_ERR_NOMEM, "out of memory rendering %s", path);
    if (st == BS_OK) st = bs_mkdirs(sink->opts.dir, err);
    if (st == BS_OK) st = bs_write_file_atomic(sink->opts.dir, name, data, len, 1, 0, err);
    free(data);
    if (st == BS_OK && sink->opts.on_file) sink->opts.on_file(sink->opts.ctx, path, table->rows);
    return st;
}

bs_status bs_sink_emit(bs_sink *sink, const bs_table *table,
                       void (*render)(bs_sink *sink, FILE *f, const bs_table *table),
                       bs_error *err) {
    if (sink->opts.dir) return emit_file(sink, table, render, err);
    render(sink, sink->opts.out, table);
    if (fflush(sink->opts.out) != 0 || ferror(sink->opts.out))
        return bs_fail(err, BS_ERR_IO, "cannot write the %s table: %s", table->name,
                       "output error (a closed pipe or a full disk?)");
    return BS_OK;
}
