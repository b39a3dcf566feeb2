/*
 * ws_frame.h (private) - the WebSocket protocol (RFC 6455) as a client speaks it, without a
 * socket: reading the server's frames from bytes that arrive in pieces of any size, writing our
 * own (masked) frames, and the opening handshake (its request, and the check of the answer).
 *
 * Why our own rather than libwebsockets' framing: libwebsockets 4.1 (Debian 12's) reads a frame
 * one byte per function call, which cost 0.68 us of CPU for each ~140-byte Binance trade message,
 * more than our parse and candle fold together (bench/feed.sh). Here a frame that lies whole in
 * what the socket gave is handed on where it lies, with no copy; only a message split between
 * reads or into fragments is gathered in a buffer. libwebsockets still does everything around
 * it: the connection, TLS and its verification, and the event loop (ws_client.c).
 *
 * No extension is offered (no permessage-deflate), so a server must not set a reserved bit.
 */
#ifndef BTCSTREAM_WS_FRAME_H
#define BTCSTREAM_WS_FRAME_H

#include <stddef.h>
#include <stdint.h>

enum {
    WS_CONTINUATION = 0x0,
    WS_TEXT = 0x1,
    WS_BINARY = 0x2,
    WS_CLOSE = 0x8,
    WS_PING = 0x9,
    WS_PONG = 0xa,
};

/* Close codes we send (RFC 6455 section 7.4.1). */
enum {
    WS_CLOSE_NORMAL = 1000,
    WS_CLOSE_PROTOCOL = 1002,
    WS_CLOSE_TOO_BIG = 1009,
    WS_CLOSE_INTERNAL = 1011,
};

/* A frame header is at most 14 bytes: 2, an extended length of up to 8, a mask key of 4. */
#define WS_FRAME_HEAD_MAX 14
/* A control frame's payload is at most 125 bytes. */
#define WS_CONTROL_MAX 125

typedef struct {
    /* A whole text or binary message, its fragments joined; valid during the call only. */
    void (*on_message)(void *ctx, const char *msg, size_t len);
    /* A ping, pong or close frame and its payload (at most WS_CONTROL_MAX bytes). */
    void (*on_control)(void *ctx, int opcode, const unsigned char *payload, size_t len);
    void *ctx;
} ws_frame_events;

/*
 * The reader's state between pieces of input. Zero it, set max_message (0: 16 MiB), feed it;
 * ws_reader_free() releases its buffer.
 */
typedef struct {
    unsigned char head[WS_FRAME_HEAD_MAX]; /* a header split between pieces */
    size_t head_len;
    int in_payload; /* a header was read; `left` payload bytes of it are still to come */
    uint64_t left;
    int opcode, fin; /* of the frame being read */
    int message;     /* the opcode of the data message being gathered, 0 when none */
    char *buf;       /* its bytes so far */
    size_t len, cap;
    size_t max_message;
    unsigned char control[WS_CONTROL_MAX];
    size_t control_len;
    int closed; /* a close frame was read: what follows it is ignored */
} ws_reader;

/*
 * Reads the next len bytes of the server's stream, calling ev for every message and control frame
 * they complete. Returns 0, or the close code the connection must end with (WS_CLOSE_PROTOCOL for
 * a frame no server may send, WS_CLOSE_TOO_BIG past max_message, WS_CLOSE_INTERNAL out of memory)
 * with why filled; the reader is then spent until ws_reader_reset().
 */
int ws_reader_feed(ws_reader *r, const unsigned char *in, size_t len, const ws_frame_events *ev,
                   char *why, size_t why_size);

/* Forgets any partial frame or message (a new connection); keeps the buffer and max_message. */
void ws_reader_reset(ws_reader *r);

void ws_reader_free(ws_reader *r);

/*
 * A final client frame: opcode, then payload masked with mask (RFC 6455 requires a client to mask
 * every frame). out needs WS_FRAME_HEAD_MAX + len bytes; returns the bytes written.
 */
size_t ws_frame_encode(int opcode, const void *payload, size_t len, const unsigned char mask[4],
                       unsigned char *out);

/*
 * The upgrade request for path on host (port given unless it is the scheme's default), with the
 * 16 random bytes nonce as its key; key receives the key's text (24 characters and a NUL), which
 * ws_handshake_check() wants back. Returns the request's length, 0 when it does not fit size.
 */
size_t ws_handshake_request(const char *host, int port, int tls, const char *path,
                            const unsigned char nonce[16], char key[25], char *out, size_t size);

/* Where the answer's head ends (just past its blank line) in the len bytes read, 0 if not yet. */
size_t ws_handshake_end(const char *buf, size_t len);

/*
 * Checks the answer's head (status 101, Upgrade and Connection, Sec-WebSocket-Accept derived from
 * key, no extension or subprotocol we did not ask for). Returns 0, or -1 with why filled.
 */
int ws_handshake_check(const char *head, size_t len, const char *key, char *why, size_t why_size);

/* SHA-1 of data (the handshake's accept value needs it; nothing else here does). */
void ws_sha1(const void *data, size_t len, unsigned char digest[20]);

/* Base64 of n bytes into out (4 * ceil(n / 3) characters and a NUL). */
void ws_base64(const unsigned char *in, size_t n, char *out);

#endif
