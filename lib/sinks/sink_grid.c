/*
 * sink_grid.c - tables as a bordered grid like Spark's DataFrame.show(): a rule, the header, a
 * rule, every row (cells right-aligned), a rule. Labelled, a "NAME (N rows)" line goes above.
 */
#include <string.h>

#include "sink_impl.h"

static void print_rule(FILE *out, const size_t *width, size_t columns) {
    for (size_t c = 0; c < columns; c++) {
        fputc('+', out);
        for (size_t i = 0; i < width[c]; i++) fputc('-', out);
    }
    fputs("+\n", out);
}

/* Room for one rendered row: every cell at its widest, plus separators and the newline. */
#define ROW_MAX (BS_TABLE_MAX_COLUMNS * (BS_SINK_CELL_MAX + 1) + 2)

/* Rows are built in a buffer and written whole: a stdio call per cell cost more than the cells. */
static void render(bs_sink *sink, FILE *out, const bs_table *t) {
    size_t width[BS_TABLE_MAX_COLUMNS];
    char cell[BS_SINK_CELL_MAX], row[ROW_MAX];
    if (BS_SINK_LABELLED_STREAM(sink)) {
        if (sink->tables > 0) fputc('\n', out);
        fprintf(out, "%s (%zu row%s)\n", t->name, t->rows, t->rows == 1 ? "" : "s");
    }
    for (size_t c = 0; c < t->columns; c++) {
        width[c] = strlen(t->column[c].name);
        for (size_t r = 0; r < t->rows; r++) {
            size_t n = bs_sink_cell_text(&t->column[c], r, cell);
            if (n > width[c]) width[c] = n;
        }
    }
    print_rule(out, width, t->columns);
    for (size_t c = 0; c < t->columns; c++) fprintf(out, "|%*s", (int)width[c], t->column[c].name);
    fputs("|\n", out);
    print_rule(out, width, t->columns);
    for (size_t r = 0; r < t->rows; r++) {
        size_t len = 0;
        for (size_t c = 0; c < t->columns; c++) {
            size_t n = bs_sink_cell_text(&t->column[c], r, cell);
            row[len++] = '|';
            memset(row + len, ' ', width[c] - n); /* right-aligned, as show() does */
            memcpy(row + len + width[c] - n, cell, n);
            len += width[c];
        }
        row[len++] = '|';
        row[len++] = '\n';
        fwrite(row, 1, len, out);
    }
    print_rule(out, width, t->columns);
}

static bs_status write_grid(bs_sink *sink, const bs_table *t, bs_error *err) {
    return bs_sink_emit(sink, t, render, err);
}

bs_status bs_sink_grid_open(const bs_sink_options *opts, bs_sink **out, bs_error *err) {
    return bs_sink_new("table", "txt", opts, write_grid, out, err);
}
