/*
 * sink_csv.c - tables as CSV: a header row of the column names, then one line a row. No cell
 * needs quoting (numbers and timestamps only). Labelled, several tables on one stream are
 * separated by a blank line and each starts with a "# table NAME" line, which CSV readers that
 * take '#' as a comment (DuckDB's comment option, pandas' comment='#') skip.
 */
#include "sink_impl.h"

#define ROW_MAX (BS_TABLE_MAX_COLUMNS * (BS_SINK_CELL_MAX + 1) + 2)

static void render(bs_sink *sink, FILE *out, const bs_table *t) {
    char row[ROW_MAX];
    if (BS_SINK_LABELLED_STREAM(sink)) {
        if (sink->tables > 0) fputc('\n', out);
        fprintf(out, "# table %s\n", t->name);
    }
    for (size_t c = 0; c < t->columns; c++) fprintf(out, "%s%s", c ? "," : "", t->column[c].name);
    fputc('\n', out);
    for (size_t r = 0; r < t->rows; r++) {
        size_t len = 0;
        for (size_t c = 0; c < t->columns; c++) {
            if (c) row[len++] = ',';
            len += bs_sink_cell_text(&t->column[c], r, row + len);
        }
        row[len++] = '\n';
        fwrite(row, 1, len, out);
    }
}

static bs_status write_csv(bs_sink *sink, const bs_table *t, bs_error *err) {
    return bs_sink_emit(sink, t, render, err);
}

bs_status bs_sink_csv_open(const bs_sink_options *opts, bs_sink **out, bs_error *err) {
    return bs_sink_new("csv", "csv", opts, write_csv, out, err);
}
