/*
 * ws_tls.h (private) - TLS for the WebSocket client, as a filter between the socket's bytes and
 * the protocol's: OpenSSL over memory buffers. Bytes read from the socket go in with
 * ws_tls_put(), plaintext comes out of ws_tls_read(); plaintext to send goes in with
 * ws_tls_write(), and what the socket must carry comes out of ws_tls_take().
 *
 * Why not libwebsockets' TLS: ws_client.c uses libwebsockets' raw connections (ws_frame.h says
 * why), and libwebsockets 4.1 (Debian 12's) starts TLS on a raw client connection before its
 * socket exists, so every wss:// raw connection fails with EBADF.
 *
 * Verification is always on: the certificate chain against the CA bundle, and the host name (or
 * IP address) of the URL against the certificate. OpenSSL (libssl.so.3, which libwebsockets and
 * libcurl already depend on) is loaded on first use.
 */
#ifndef BTCSTREAM_WS_TLS_H
#define BTCSTREAM_WS_TLS_H

#include <stddef.h>

#include "btcstream/status.h"

typedef struct ws_tls_ctx ws_tls_ctx;
typedef struct ws_tls ws_tls;

/* The settings every connection of a loop shares: ca_file (NULL: the system's bundle). */
bs_status ws_tls_ctx_new(const char *ca_file, ws_tls_ctx **out, bs_error *err);
void ws_tls_ctx_free(ws_tls_ctx *ctx);

/* One connection's TLS, to verify host; the client's first bytes are ready to take at once. */
bs_status ws_tls_new(ws_tls_ctx *ctx, const char *host, ws_tls **out, bs_error *err);
void ws_tls_free(ws_tls *t);

/* Hands over len bytes read from the socket. -1 when out of memory. */
int ws_tls_put(ws_tls *t, const void *in, size_t len);

/* Advances the handshake: 1 when done, 0 while it waits for the server, -1 failed (why). */
int ws_tls_handshake(ws_tls *t, char *why, size_t why_size);

/* Up to cap bytes of plaintext: their count, 0 when none is ready, -1 on an error (why). */
long ws_tls_read(ws_tls *t, void *buf, size_t cap, char *why, size_t why_size);

/* Encrypts len bytes to send (ws_tls_take() then has them). 0, or -1 (why). */
int ws_tls_write(ws_tls *t, const void *plain, size_t len, char *why, size_t why_size);

/* The bytes waiting for the socket: how many, and up to cap of them moved into buf. */
size_t ws_tls_pending(ws_tls *t);
size_t ws_tls_take(ws_tls *t, void *buf, size_t cap);

#endif
