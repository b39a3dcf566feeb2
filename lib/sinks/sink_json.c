/*
 * sink_json.c - tables as JSON lines: one object a row, the column names as keys, numbers as
 * numbers and times as strings. Labelled, every row starts with "table":"NAME", so that the
 * rows of several tables on one stream can be told apart (and filtered: jq 'select(.table ==
 * "daily")'). A value that JSON cannot hold (NaN, an infinity) is written as null.
 */
#include <math.h>

#include "sink_impl.h"

static int quoted(bs_column_type type) {
    return type == BS_COLUMN_TIMESTAMP || type == BS_COLUMN_DAY;
}

static void render(bs_sink *sink, FILE *out, const bs_table *t) {
    char cell[BS_SINK_CELL_MAX];
    int label = BS_SINK_LABELLED_STREAM(sink);
    for (size_t r = 0; r < t->rows; r++) {
        fputc('{', out);
        if (label) fprintf(out, "\"table\":\"%s\"", t->name);
        for (size_t c = 0; c < t->columns; c++) {
            const bs_column *col = &t->column[c];
            const char *q = quoted(col->type) ? "\"" : "";
            if (col->type == BS_COLUMN_DOUBLE && !isfinite(col->values.f64[r])) {
                q = "";
                snprintf(cell, sizeof cell, "null");
            } else {
                bs_sink_cell_text(col, r, cell);
            }
            fprintf(out, "%s\"%s\":%s%s%s", c || label ? "," : "", col->name, q, cell, q);
        }
        fputs("}\n", out);
    }
}

static bs_status write_json(bs_sink *sink, const bs_table *t, bs_error *err) {
    return bs_sink_emit(sink, t, render, err);
}

bs_status bs_sink_json_open(const bs_sink_options *opts, bs_sink **out, bs_error *err) {
    return bs_sink_new("json", "json", opts, write_json, out, err);
}
