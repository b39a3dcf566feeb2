/*
 * ws_frame.c - RFC 6455 frames, read and written (ws_frame.h). The reader works on whatever piece
 * of the stream the socket gave: a frame whose header and payload both lie in the piece goes to
 * the handler from where it lies (the common case, and the fast one); a frame cut by the end of a
 * piece, or a message in fragments, is gathered in the reader's buffer first.
 */
#include "ws_frame.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_MESSAGE ((size_t)16 << 20)

typedef struct {
    size_t head; /* the header's size */
    uint64_t len;
    int opcode, fin;
} frame;

static int fail(char *why, size_t size, int code, const char *what) {
    snprintf(why, size, "%s", what);
    return code;
}

/*
 * Reads a header from the `have` bytes at h. Returns 1 with f filled, 0 when more bytes are
 * needed, or -1 for a header no server may send (why filled).
 */
static int read_header(const unsigned char *h, size_t have, frame *f, char *why, size_t size) {
    if (have < 2) return 0;
    if (h[0] & 0x70)
        return fail(why, size, -1, "a frame sets a reserved bit (no extension was agreed)");
    f->opcode = h[0] & 0x0f;
    f->fin = (h[0] & 0x80) != 0;
    if (f->opcode > WS_BINARY && f->opcode != WS_CLOSE && f->opcode != WS_PING &&
        f->opcode != WS_PONG) {
        snprintf(why, size, "a frame has the unknown opcode %d", f->opcode);
        return -1;
    }
    if (h[1] & 0x80) return fail(why, size, -1, "a frame from the server is masked");
    unsigned short_len = h[1] & 0x7f;
    f->head = short_len == 126 ? 4 : short_len == 127 ? 10 : 2;
    if (have < f->head) return 0;
    if (short_len < 126) f->len = short_len;
    else if (short_len == 126) f->len = (uint64_t)h[2] << 8 | h[3];
    else {
        f->len = 0;
        for (int i = 2; i < 10; i++) f->len = f->len << 8 | h[i];
        if (f->len >> 63) return fail(why, size, -1, "a frame's length sets its top bit");
    }
    if ((f->opcode & 0x8) && (!f->fin || f->len > WS_CONTROL_MAX))
        return fail(why, size, -1, "a control frame is fragmented or over 125 bytes");
    return 1;
}

/* Whether the frame may come now, and room for it: 0, or a close code. */
static int start_frame(ws_reader *r, const frame *f, char *why, size_t size) {
    if (f->opcode == WS_CONTINUATION && !r->message)
        return fail(why, size, WS_CLOSE_PROTOCOL,
                    "a continuation frame with no message to continue");
    if ((f->opcode == WS_TEXT || f->opcode == WS_BINARY) && r->message)
        return fail(why, size, WS_CLOSE_PROTOCOL, "a new message starts inside a fragmented one");
    size_t max = r->max_message ? r->max_message : DEFAULT_MAX_MESSAGE;
    if (!(f->opcode & 0x8) && f->len > max - (r->message ? r->len : 0)) {
        snprintf(why, size, "a message is over %zu bytes", max);
        return WS_CLOSE_TOO_BIG;
    }
    return 0;
}

static int gather(ws_reader *r, const unsigned char *p, size_t n) {
    if (n == 0) return 0; /* buf may still be NULL: no pointer arithmetic, no memcpy on it */
    if (r->len + n > r->cap) {
        size_t cap = r->cap ? r->cap : 4096;
        while (cap < r->len + n) cap *= 2;
        char *buf = realloc(r->buf, cap);
        if (!buf) return -1;
        r->buf = buf;
        r->cap = cap;
    }
    memcpy(r->buf + r->len, p, n);
    r->len += n;
    return 0;
}

/* The frame being read is complete. */
static void end_frame(ws_reader *r, const ws_frame_events *ev) {
    r->in_payload = 0;
    if (r->opcode & 0x8) {
        if (r->opcode == WS_CLOSE) r->closed = 1;
        if (ev->on_control) ev->on_control(ev->ctx, r->opcode, r->control, r->control_len);
        return;
    }
    if (!r->message) r->message = r->opcode;
    if (!r->fin) return;
    size_t n = r->len;
    r->message = 0;
    r->len = 0;
    if (ev->on_message) ev->on_message(ev->ctx, r->buf ? r->buf : "", n);
}

int ws_reader_feed(ws_reader *r, const unsigned char *in, size_t len, const ws_frame_events *ev,
                   char *why, size_t why_size) {
    const unsigned char *p = in, *end = in + len;
    while (p < end && !r->closed) {
        if (!r->in_payload) {
            frame f;
            int got;
            size_t used;
            if (r->head_len == 0) {
                got = read_header(p, (size_t)(end - p), &f, why, why_size);
                used = got == 1 ? f.head : 0;
            } else {
                size_t old = r->head_len, add = (size_t)(end - p);
                if (add > WS_FRAME_HEAD_MAX - old) add = WS_FRAME_HEAD_MAX - old;
                memcpy(r->head + old, p, add);
                got = read_header(r->head, old + add, &f, why, why_size);
                r->head_len = old + add;
                used = got == 1 ? f.head - old : add;
            }
            if (got < 0) return WS_CLOSE_PROTOCOL;
            if (got == 0) { /* the piece ends inside a header: keep its start for the next */
                if (r->head_len == 0) {
                    r->head_len = (size_t)(end - p);
                    memcpy(r->head, p, r->head_len);
                }
                return 0;
            }
            p += used;
            r->head_len = 0;
            int code = start_frame(r, &f, why, why_size);
            if (code) return code;
            /* the fast path: a whole message that lies in the piece goes on from where it lies */
            if (!r->message && f.fin && !(f.opcode & 0x8) && f.len <= (uint64_t)(end - p)) {
                if (ev->on_message) ev->on_message(ev->ctx, (const char *)p, (size_t)f.len);
                p += f.len;
                continue;
            }
            r->opcode = f.opcode;
            r->fin = f.fin;
            r->left = f.len;
            r->control_len = 0;
            r->in_payload = 1;
        }
        size_t take = (uint64_t)(end - p) < r->left ? (size_t)(end - p) : (size_t)r->left;
        if (r->opcode & 0x8) {
            memcpy(r->control + r->control_len, p, take);
            r->control_len += take;
        } else if (gather(r, p, take) != 0) {
            return fail(why, why_size, WS_CLOSE_INTERNAL, "out of memory for a message");
        }
        p += take;
        r->left -= take;
        if (r->left == 0) end_frame(r, ev);
    }
    return 0;
}

void ws_reader_reset(ws_reader *r) {
    r->head_len = 0;
    r->in_payload = 0;
    r->left = 0;
    r->message = 0;
    r->len = 0;
    r->control_len = 0;
    r->closed = 0;
}

void ws_reader_free(ws_reader *r) {
    free(r->buf);
    r->buf = NULL;
    r->len = r->cap = 0;
}

size_t ws_frame_encode(int opcode, const void *payload, size_t len, const unsigned char mask[4],
                       unsigned char *out) {
    size_t n = 0;
    out[n++] = (unsigned char)(0x80 | (opcode & 0x0f));
    if (len < 126) {
        out[n++] = (unsigned char)(0x80 | len);
    } else if (len <= 0xffff) {
        out[n++] = 0x80 | 126;
        out[n++] = (unsigned char)(len >> 8);
        out[n++] = (unsigned char)len;
    } else {
        out[n++] = 0x80 | 127;
        for (int shift = 56; shift >= 0; shift -= 8)
            out[n++] = (unsigned char)((uint64_t)len >> shift);
    }
    memcpy(out + n, mask, 4);
    n += 4;
    const unsigned char *src = payload;
    for (size_t i = 0; i < len; i++) out[n + i] = src[i] ^ mask[i & 3];
    return n + len;
}
