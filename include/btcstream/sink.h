/*
 * sink.h - where result tables go, behind one interface (a new sink is a new file, as a new source
 * is).
 *
 *   grid      a bordered grid like Spark's DataFrame.show(): every row, cells right-aligned
 *   csv       a header row, then one line a row
 *   json      JSON lines: one object a row, keys the column names
 *   parquet   one Parquet file a table (table_parquet.h); needs a directory
 *
 * A sink writes either to a stream (opts.out, e.g. stdout) or, with opts.dir, one file a table:
 * DIR/NAME.EXT (.txt, .csv, .json, .parquet), each written beside its name and renamed into
 * place, so a reader never sees half a table. Doubles are written in their shortest exact form
 * (a reader gets back the very value the library computed); timestamps as "YYYY-MM-DD HH:MM:SS".
 *
 * Several tables on one stream: with opts.label, a program can tell them apart.
 *   grid  a "NAME (N rows)" line above each table, a blank line between tables
 *   csv   a "# table NAME" line above each table's header row, a blank line between tables
 *   json  every row starts with "table":"NAME"
 * Without opts.label the output of one table is exactly the documented one (README.md, Files).
 *
 * Implementations live in lib/sinks/sink_<name>.c; bs_sink_open() picks one from sink_registry.
 */
#ifndef BTCSTREAM_SINK_H
#define BTCSTREAM_SINK_H

#include "btcstream/export.h"

#include <stdio.h>

#include "btcstream/status.h"
#include "btcstream/table.h"

typedef struct {
    FILE *out;       /* stream sinks: write here (not owned); NULL: one file a table in dir */
    const char *dir; /* one file a table: DIR/NAME.EXT (created when missing) */
    int label;       /* say which table each row belongs to (see above) */
    /* Called after each file a table is written, with its path and row count; may be NULL. */
    void (*on_file)(void *ctx, const char *path, size_t rows);
    void *ctx;
    const char *market; /* the tables' market: a column in Parquet files; NULL or "": none */
} bs_sink_options;

typedef struct bs_sink bs_sink;

struct bs_sink {
    const char *name;      /* "grid", "csv", "json", "parquet" */
    const char *extension; /* of the files written with opts.dir: "txt", "csv", "json", ... */
    bs_sink_options opts;
    size_t tables; /* tables written so far (for the separators between them) */
    /* Writes one whole table. A failed write returns BS_ERR_IO naming the file or stream. */
    bs_status (*write)(bs_sink *sink, const bs_table *table, bs_error *err);
    void (*free)(bs_sink *sink);
};

/* The sinks, by name, with a line of help each (for --help texts); ends with a NULL name. */
typedef struct {
    const char *name;
    const char *help;
    int needs_dir; /* writes files only (parquet) */
    bs_status (*open)(const bs_sink_options *opts, bs_sink **out, bs_error *err);
} bs_sink_type;

BS_API extern const bs_sink_type bs_sink_types[];

/*
 * Opens the sink called name ("grid" or its alias "table", "csv", "json", "parquet") with
 * opts (copied; dir and out are borrowed until bs_sink_free). BS_ERR_ARG for an unknown name or
 * for parquet without a dir. Free with bs_sink_free().
 */
BS_API bs_status bs_sink_open(const char *name, const bs_sink_options *opts, bs_sink **out,
                              bs_error *err);

/* Writes table through the sink (counts it for the separators). */
BS_API bs_status bs_sink_write(bs_sink *sink, const bs_table *table, bs_error *err);

/* Frees the sink; accepts NULL. Written files stay. */
BS_API void bs_sink_free(bs_sink *sink);

/* ---- for the sink implementations ------------------------------------------------------- */

/* The longest text of one cell. */
#define BS_SINK_CELL_MAX 40

/* Writes the text of one cell into buf (BS_SINK_CELL_MAX bytes); returns its length. */
BS_API size_t bs_sink_cell_text(const bs_column *column, size_t row, char *buf);

/*
 * Renders table through render (which writes to f) into the sink's destination: its stream, or
 * DIR/NAME.EXT written atomically (then on_file is called). Checks the stream for errors.
 */
BS_API bs_status bs_sink_emit(bs_sink *sink, const bs_table *table,
                              void (*render)(bs_sink *sink, FILE *f, const bs_table *table),
                              bs_error *err);

/* The file a table goes to with opts.dir: DIR/NAME.EXT; BS_ERR_ARG when it does not fit. */
BS_API bs_status bs_sink_file_path(const bs_sink *sink, const bs_table *table, char *buf,
                                   size_t size, bs_error *err);

#endif
