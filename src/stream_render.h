/*
 * stream_render.h - how `stream` and `run` show a committed batch: "batch N: k new rows", the
 * rows in time order (a grid, as the course project's show() did), and the live views.
 */
#ifndef BTCSTREAM_STREAM_RENDER_H
#define BTCSTREAM_STREAM_RENDER_H

#include "btcstream/stream.h"

typedef struct {
    int quiet;    /* only the "batch N" line */
    int max_rows; /* rows shown per batch before "... and N more" */
} stream_render;

/* A bs_batch_fn: ctx is a stream_render. */
int stream_render_batch(void *ctx, const bs_batch_report *report);

/* A bs_notice_fn printing "btcstream stream: message" on stderr. */
void stream_render_notice(void *ctx, const char *message);

#endif
