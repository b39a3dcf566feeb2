/*
 * fuzz_ws_frame.c - the WebSocket frame reader (lib/ws_frame.h). The input is the server's side
 * of a connection after the handshake. It is read three times by fresh readers: whole, in pieces
 * whose sizes an LCG seeded by the first byte picks, and a byte at a time. The reader has a fast
 * path for a frame that lies whole in a piece and a slow path for one cut between pieces; how the
 * stream is cut must change nothing, so all three must deliver the same messages and control
 * frames, byte for byte, and end with the same code and reason, the pieced and bytewise readers in
 * the piece that holds the byte where the bytewise one stopped. Every message is at most
 * max_message (small here, so that the too-big path is reached), every control payload at most 125
 * bytes, and a reader reset after its run reads the stream again exactly as a fresh one did.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/ws_frame.h"
#include "fuzz.h"

#define MAX_MESSAGE 4096

/* The events of one run, one record each: opcode (0 for a message), 4-byte length, bytes. */
typedef struct {
    unsigned char *log;
    size_t len, cap;
} events;

static void record(events *e, int opcode, const void *data, size_t n) {
    if (e->len + 5 + n > e->cap) {
        size_t cap = e->cap ? e->cap : 1024;
        while (cap < e->len + 5 + n) cap *= 2;
        unsigned char *log = realloc(e->log, cap);
        if (!log) abort();
        e->log = log;
        e->cap = cap;
    }
    unsigned char *p = e->log + e->len;
    p[0] = (unsigned char)opcode;
    for (int i = 0; i < 4; i++) p[1 + i] = (unsigned char)(n >> (8 * i));
    if (n) memcpy(p + 5, data, n);
    e->len += 5 + n;
}

static void on_message(void *ctx, const char *msg, size_t len) {
    if (len > MAX_MESSAGE) abort();
    record(ctx, 0, msg, len);
}

static void on_control(void *ctx, int opcode, const unsigned char *payload, size_t len) {
    if (len > WS_CONTROL_MAX) abort();
    if (opcode != WS_CLOSE && opcode != WS_PING && opcode != WS_PONG) abort();
    record(ctx, opcode, payload, len);
}

typedef struct {
    events ev;
    int rc;
    char why[256];
    size_t stop; /* the offset just past the piece the reader stopped in (the input's size if 0) */
} run;

/* A piece size for the pieced reader: mostly short (headers cut anywhere), sometimes long. */
static size_t next_piece(uint32_t *s) {
    *s = *s * 1103515245u + 12345u;
    uint32_t v = *s >> 8;
    return v % 4 == 0 ? v % 700 : v % 9;
}

/* Reads data with r in pieces: all at once (piece 0), of size `piece`, or as the LCG says. */
static void read_stream(ws_reader *r, const uint8_t *data, size_t size, size_t piece, uint32_t seed,
                        run *out) {
    ws_frame_events ev = {on_message, on_control, &out->ev};
    char *why = out->why;
    size_t at = 0;
    out->rc = 0;
    do {
        size_t n = piece == 0 ? size : piece == 1 ? 1 : next_piece(&seed);
        if (n > size - at) n = size - at;
        why[0] = '\0';
        out->rc = ws_reader_feed(r, data + at, n, &ev, why, sizeof out->why);
        at += n;
        if (out->rc != 0) {
            if (!why[0] || !memchr(why, '\0', sizeof out->why)) abort();
            if (out->rc != WS_CLOSE_PROTOCOL && out->rc != WS_CLOSE_TOO_BIG &&
                out->rc != WS_CLOSE_INTERNAL)
                abort();
            break;
        }
    } while (at < size);
    out->stop = at;
}

static int same_events(const run *a, const run *b) {
    return a->ev.len == b->ev.len &&
           (a->ev.len == 0 || memcmp(a->ev.log, b->ev.log, a->ev.len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    run whole = {0}, pieced = {0}, bytewise = {0}, again = {0};
    ws_reader r1 = {0}, r2 = {0}, r3 = {0};
    r1.max_message = r2.max_message = r3.max_message = MAX_MESSAGE;
    uint32_t seed = size ? data[0] * 2654435761u + (uint32_t)size : 1;

    read_stream(&r1, data, size, 0, 0, &whole);
    read_stream(&r2, data, size, 2, seed, &pieced);
    read_stream(&r3, data, size, 1, 0, &bytewise);
    /* a reset reader is a fresh one (its buffer kept) */
    ws_reader_reset(&r1);
    read_stream(&r1, data, size, 0, 0, &again);

    if (!same_events(&whole, &pieced) || !same_events(&whole, &bytewise) ||
        !same_events(&whole, &again))
        abort();
    if (whole.rc != pieced.rc || whole.rc != bytewise.rc || whole.rc != again.rc) abort();
    if (whole.rc != 0) {
        if (strcmp(whole.why, pieced.why) != 0 || strcmp(whole.why, bytewise.why) != 0 ||
            strcmp(whole.why, again.why) != 0)
            abort();
        /* the bytewise reader stopped on byte stop - 1: the pieced one in the piece holding it */
        size_t at = bytewise.stop - 1;
        if (pieced.stop <= at) abort();
        /* and the piece before that one ended at or before it: find where that piece began by
         * replaying the LCG */
        uint32_t s = seed;
        size_t begin = 0, end = 0;
        while (end <= at) {
            size_t n = next_piece(&s);
            if (n > size - end) n = size - end;
            begin = end;
            end += n;
        }
        if (pieced.stop != end || begin > at) abort();
    }

    ws_reader_free(&r1);
    ws_reader_free(&r2);
    ws_reader_free(&r3);
    free(whole.ev.log);
    free(pieced.ev.log);
    free(bytewise.ev.log);
    free(again.ev.log);
    return 0;
}
