/* render.c - see render.h. */
#include "render.h"

#include <stdlib.h>
#include <string.h>

#include "btcstream/tick.h"
#include "btcstream/timeutil.h"

#define CELL_MAX 40

int render_format_parse(const char *name, render_format *out) {
    static const char *const names[] = {"table", "csv", "json"};
    for (int i = 0; i < 3; i++) {
        if (strcmp(name, names[i]) == 0) {
            *out = (render_format)i;
            return 1;
        }
    }
    return 0;
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

/* Writes one cell's text; returns its length. */
static size_t cell_text(const bs_column *c, size_t row, char *buf) {
    switch (c->type) {
    case BS_COLUMN_INT64: return integer_text(c->values.i64[row], buf);
    case BS_COLUMN_DOUBLE: return bs_number_format(c->values.f64[row], buf, CELL_MAX);
    case BS_COLUMN_TIMESTAMP: bs_time_format(c->values.i64[row], buf); return strlen(buf);
    case BS_COLUMN_DAY: bs_time_format_day(c->values.i64[row], buf); return strlen(buf);
    }
    return 0;
}

static int quoted(bs_column_type type) {
    return type == BS_COLUMN_TIMESTAMP || type == BS_COLUMN_DAY;
}

static void print_rule(FILE *out, const size_t *width, size_t columns) {
    for (size_t c = 0; c < columns; c++) {
        fputc('+', out);
        for (size_t i = 0; i < width[c]; i++) fputc('-', out);
    }
    fputs("+\n", out);
}

/* Room for one rendered row: every cell at its widest, plus separators and the newline. */
#define ROW_MAX (BS_TABLE_MAX_COLUMNS * (CELL_MAX + 1) + 2)

/* Rows are built in a buffer and written whole: a stdio call per cell cost more than the cells. */
static void render_grid(FILE *out, const bs_table *t) {
    size_t width[BS_TABLE_MAX_COLUMNS];
    char cell[CELL_MAX], row[ROW_MAX];
    for (size_t c = 0; c < t->columns; c++) {
        width[c] = strlen(t->column[c].name);
        for (size_t r = 0; r < t->rows; r++) {
            size_t n = cell_text(&t->column[c], r, cell);
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
            size_t n = cell_text(&t->column[c], r, cell);
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

static void render_csv(FILE *out, const bs_table *t) {
    char row[ROW_MAX];
    for (size_t c = 0; c < t->columns; c++) fprintf(out, "%s%s", c ? "," : "", t->column[c].name);
    fputc('\n', out);
    for (size_t r = 0; r < t->rows; r++) {
        size_t len = 0;
        for (size_t c = 0; c < t->columns; c++) {
            if (c) row[len++] = ',';
            len += cell_text(&t->column[c], r, row + len);
        }
        row[len++] = '\n';
        fwrite(row, 1, len, out);
    }
}

static void render_json(FILE *out, const bs_table *t) {
    char cell[CELL_MAX];
    for (size_t r = 0; r < t->rows; r++) {
        fputc('{', out);
        for (size_t c = 0; c < t->columns; c++) {
            cell_text(&t->column[c], r, cell);
            const char *q = quoted(t->column[c].type) ? "\"" : "";
            fprintf(out, "%s\"%s\":%s%s%s", c ? "," : "", t->column[c].name, q, cell, q);
        }
        fputs("}\n", out);
    }
}

int render_table(FILE *out, const bs_table *t, render_format format) {
    switch (format) {
    case RENDER_TABLE: render_grid(out, t); break;
    case RENDER_CSV: render_csv(out, t); break;
    case RENDER_JSON: render_json(out, t); break;
    }
    return !ferror(out);
}
