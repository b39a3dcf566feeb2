/*
 * ws_client.h (private) - WebSocket client connections, several in one thread: libwebsockets for
 * the connection, TLS and the event loop, ws_frame.h for the protocol on top (why: ws_frame.h).
 *
 * A ws_loop is one libwebsockets context: every connection opened on it is served by
 * ws_loop_service() in the caller's thread, so the feeds of several markets share one thread and
 * need no lock. A ws_conn is owned by its caller (embedded in a feed, not allocated here); it
 * holds at most one live connection at a time, and reports its life through ws_handlers:
 * on_open once the handshake is done, on_message with each whole message (fragments are joined
 * here), on_close exactly once for every ws_conn_open() that returned BS_OK, with the reason
 * (a refused connection, a failed TLS verification, a close by the peer or by us).
 *
 * TLS is always verified (certificate chain and host name): the CA bundle is BTCSTREAM_CA_FILE
 * when set, else SSL_CERT_FILE, else the system's. Pings from the server are answered with a
 * pong; a dead peer is the feed's watchdog's business (no message for --stall).
 *
 * libwebsockets is loaded on first use (dlopen, as lazy_libs.c loads libcurl), so the commands
 * that never open a WebSocket do not pay for loading it and OpenSSL.
 */
#ifndef BTCSTREAM_WS_CLIENT_H
#define BTCSTREAM_WS_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "btcstream/status.h"
#include "ws_frame.h"
#include "ws_tls.h"

typedef struct ws_loop ws_loop;
typedef struct ws_conn ws_conn;

typedef struct {
    void (*on_open)(void *ctx, ws_conn *c);
    void (*on_message)(void *ctx, ws_conn *c, const char *msg, size_t len);
    void (*on_close)(void *ctx, ws_conn *c, const char *why);
    void *ctx;
} ws_handlers;

/* One connection; zero it before its first ws_conn_open(). Fields are private to ws_client.c. */
struct ws_conn {
    ws_loop *loop;
    void *wsi; /* struct lws *, NULL when not connected */
    ws_handlers h;
    int state;          /* connecting, TLS handshake, upgrading or open (ws_client.c) */
    int use_tls;        /* wss:// */
    ws_tls *tls;        /* its TLS once connected */
    char host[256];     /* the URL's host: TLS verifies it, the upgrade names it */
    char request[2560]; /* the upgrade request, sent once TCP (and TLS) is up */
    size_t request_len;
    char key[25];    /* its Sec-WebSocket-Key, whose accept value the answer must carry */
    char head[8192]; /* the answer to the upgrade, until its blank line */
    size_t head_len;
    ws_reader reader;  /* the server's frames */
    unsigned char *tx; /* bytes waiting to be sent, LWS_PRE bytes into the buffer */
    size_t tx_len, tx_cap;
    int closing;            /* ws_conn_close() asked: send a close frame when writable, then end */
    int open_pending_close; /* on_close still owed for the current open */
    char why[512];          /* the reason the connection ended, when known */
};

/* A loop; ca_file NULL picks BTCSTREAM_CA_FILE, SSL_CERT_FILE or the system's CA bundle. */
bs_status ws_loop_new(const char *ca_file, ws_loop **out, bs_error *err);

/* Closes every connection (their on_close runs) and frees the loop; accepts NULL. */
void ws_loop_free(ws_loop *loop);

/*
 * Serves the loop's connections: waits for network events at most about wait_ms (the loop wakes
 * itself every 50 ms at the latest) and runs the handlers of what happened.
 */
void ws_loop_service(ws_loop *loop, int wait_ms);

/*
 * Opens url (ws://HOST[:PORT][/PATH] or wss://...) with path appended to the URL's own path
 * ("/" when both are empty). The connection completes later, in ws_loop_service().
 */
bs_status ws_conn_open(ws_loop *loop, ws_conn *c, const char *url, const char *path,
                       const ws_handlers *h, bs_error *err);

/* Queues one text message, sent when the socket is writable; BS_ERR_ARG before on_open. */
bs_status ws_conn_send(ws_conn *c, const char *msg, size_t len, bs_error *err);

/* Asks the connection to close; on_close follows in ws_loop_service(). */
void ws_conn_close(ws_conn *c, const char *why);

/* Frees the buffers of a connection that is closed (after its on_close). */
void ws_conn_release(ws_conn *c);

#endif
