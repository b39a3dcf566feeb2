/*
 * render.h - printing result tables: a bordered grid like Spark's DataFrame.show() (every row,
 * cells right-aligned), CSV with a header row, or JSON lines. Doubles are printed in their
 * shortest exact form, so a reader gets back the very value the library computed.
 */
#ifndef BTCSTREAM_RENDER_H
#define BTCSTREAM_RENDER_H

#include <stdio.h>

#include "btcstream/table.h"

typedef enum { RENDER_TABLE, RENDER_CSV, RENDER_JSON } render_format;

/* Parses "table", "csv" or "json"; returns 0 when the name is unknown. */
int render_format_parse(const char *name, render_format *out);

/* Prints t to out; returns 0 on an output error (e.g. a closed pipe). */
int render_table(FILE *out, const bs_table *t, render_format format);

#endif
