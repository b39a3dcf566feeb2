/*
 * text_buf.h (private) - a growable text buffer for the bodies the dashboard builds in memory
 * (JSON, SSE events, Prometheus text). Out of memory is sticky: `failed` is set, later appends
 * do nothing, and the caller checks once at the end.
 */
#ifndef BTCSTREAM_SERVE_TEXT_BUF_H
#define BTCSTREAM_SERVE_TEXT_BUF_H

#include <stddef.h>

typedef struct {
    char *data; /* NUL-terminated while len > 0; owned, free with text_buf_free() */
    size_t len, cap;
    int failed;
} text_buf;

void text_buf_printf(text_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void text_buf_append(text_buf *b, const char *s, size_t len);
/* Appends a string literal. */
#define text_buf_lit(b, literal) text_buf_append((b), (literal), sizeof(literal) - 1)
/* A JSON number: the shortest text that reads back exactly (up to 17 digits); null if not finite.
 */
void text_buf_json_number(text_buf *b, double v);
/* A JSON string, quoted and escaped. */
void text_buf_json_string(text_buf *b, const char *s);
void text_buf_reset(text_buf *b);
void text_buf_free(text_buf *b);

#endif
