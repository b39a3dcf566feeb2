/*
 * ws_client.c - see ws_client.h. libwebsockets' raw client connections (method "RAW": a TCP byte
 * stream), one context a loop, driven by lws_service() in the caller's thread; on that stream,
 * TLS is ws_tls.h's and the WebSocket protocol ws_frame.h's (each says why it is not
 * libwebsockets'). A connection goes: connecting (TCP), then for wss:// the TLS handshake, then
 * the upgrade (our request, the answer checked), then open (frames both ways).
 *
 * A timer of our own fires every 50 ms so that lws_service() returns at least that often and the
 * caller's clock work (watchdogs, candle clocks, backoff, stop flags) runs on time even when no
 * byte arrives.
 */
#include "ws_client.h"

#include <dlfcn.h>
#include <libwebsockets.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "btcstream/config.h"
#include "lazy_bind.h"

#define WS_FUNCTIONS(X)                                                                            \
    X(lws_create_context)                                                                          \
    X(lws_context_destroy)                                                                         \
    X(lws_service) X(lws_client_connect_via_info) X(lws_write) X(lws_callback_on_writable)         \
        X(lws_get_opaque_user_data) X(lws_set_log_level) X(lws_sul_schedule)

#define WS_FIELD(fn) __typeof__(fn) *fn;
static struct { WS_FUNCTIONS(WS_FIELD) } lws;
#undef WS_FIELD

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded;

static void load(void) {
    void *lib = dlopen("libwebsockets.so.17", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return;
    int absent = 0;
#define BIND(fn) LAZY_BIND(absent, lib, lws.fn, #fn);
    WS_FUNCTIONS(BIND)
#undef BIND
    loaded = absent == 0;
    if (loaded) lws.lws_set_log_level(0, NULL); /* errors reach us through the callbacks */
}

#define TICK_US 50000
/* A TLS record carries at most 16 KiB of plaintext: one read's worth. */
#define PLAIN_CHUNK 16384

struct ws_loop {
    struct lws_context *ctx;
    lws_sorted_usec_list_t tick;
    char ca_file[4096];
    ws_tls_ctx *tls; /* made at the first wss:// connection */
};

static void tick(lws_sorted_usec_list_t *sul) {
    ws_loop *loop = (ws_loop *)((char *)sul - offsetof(ws_loop, tick));
    lws.lws_sul_schedule(loop->ctx, 0, &loop->tick, tick, TICK_US);
}

enum { CONNECTING, TLS_HANDSHAKE, UPGRADING, OPEN };

/* The connection's end, reported once per open whichever callback comes first. */
static void ended(ws_conn *c, const char *why) {
    if (why && *why && !c->why[0]) snprintf(c->why, sizeof c->why, "%s", why);
    c->wsi = NULL;
    c->state = CONNECTING;
    c->closing = 0;
    c->head_len = 0;
    c->tx_len = 0;
    ws_tls_free(c->tls);
    c->tls = NULL;
    ws_reader_reset(&c->reader);
    if (!c->open_pending_close) return;
    c->open_pending_close = 0;
    if (c->h.on_close) c->h.on_close(c->h.ctx, c, c->why[0] ? c->why : "connection closed");
}

/* Unpredictable bytes for the upgrade's key and the frames' masks (RFC 6455 asks for them). */
static void random_bytes(unsigned char *out, size_t n) {
    if (getrandom(out, n, GRND_NONBLOCK) == (ssize_t)n) return;
    struct timespec ts; /* no entropy yet (early boot): the clock, mixed, is the fallback */
    clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t x = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15u ^ (uint64_t)ts.tv_sec;
    for (size_t i = 0; i < n; i++) {
        x ^= x >> 29, x *= 0xbf58476d1ce4e5b9u, x ^= x >> 32;
        out[i] = (unsigned char)x;
    }
}

/* ------------------------------------------------------------------ sending */

/* Room for n more bytes to send, LWS_PRE bytes of headroom ahead of them all (lws_write's rule). */
static unsigned char *tx_room(ws_conn *c, size_t n) {
    if (LWS_PRE + c->tx_len + n > c->tx_cap) {
        size_t cap = c->tx_cap ? c->tx_cap : 1024;
        while (cap < LWS_PRE + c->tx_len + n) cap *= 2;
        unsigned char *tx = realloc(c->tx, cap);
        if (!tx) return NULL;
        c->tx = tx;
        c->tx_cap = cap;
    }
    return c->tx + LWS_PRE + c->tx_len;
}

/* Moves what TLS has for the socket into the send queue. */
static int flush_tls(ws_conn *c) {
    size_t n = ws_tls_pending(c->tls);
    if (n == 0) return 0;
    unsigned char *out = tx_room(c, n);
    if (!out) return -1;
    c->tx_len += ws_tls_take(c->tls, out, n);
    if (c->wsi) lws.lws_callback_on_writable(c->wsi);
    return 0;
}

/*
 * Queues the n bytes that tx_room() returned at `at` (not yet counted in tx_len): as they are on a
 * plain connection, encrypted in their place on a TLS one.
 */
static int commit(ws_conn *c, const unsigned char *at, size_t n) {
    if (!c->tls) {
        c->tx_len += n;
        if (c->wsi) lws.lws_callback_on_writable(c->wsi);
        return 0;
    }
    char why[256];
    if (ws_tls_write(c->tls, at, n, why, sizeof why) != 0) {
        if (!c->why[0]) snprintf(c->why, sizeof c->why, "%s", why);
        return -1;
    }
    return flush_tls(c);
}

/* Queues a frame (masked, as a client's must be); -1 when it cannot. */
static int queue_frame(ws_conn *c, int opcode, const void *payload, size_t len) {
    unsigned char *out = tx_room(c, WS_FRAME_HEAD_MAX + len), mask[4];
    if (!out) return -1;
    random_bytes(mask, sizeof mask);
    return commit(c, out, ws_frame_encode(opcode, payload, len, mask, out));
}

/* Ends the connection after telling the server why (a close frame with the code). */
static void close_with(ws_conn *c, int code, const char *why) {
    if (why && !c->why[0]) snprintf(c->why, sizeof c->why, "%s", why);
    unsigned char payload[2] = {(unsigned char)(code >> 8), (unsigned char)code};
    if (c->state == OPEN && code) queue_frame(c, WS_CLOSE, payload, sizeof payload);
    c->closing = 1;
    if (c->wsi) lws.lws_callback_on_writable(c->wsi);
}

/* ------------------------------------------------------------------ receiving */

static void on_frame_message(void *ctx, const char *msg, size_t len) {
    ws_conn *c = ctx;
    if (c->h.on_message && !c->closing) c->h.on_message(c->h.ctx, c, msg, len);
}

static void on_frame_control(void *ctx, int opcode, const unsigned char *payload, size_t len) {
    ws_conn *c = ctx;
    if (opcode == WS_PING && !c->closing) {
        if (queue_frame(c, WS_PONG, payload, len) != 0) close_with(c, 0, "cannot answer a ping");
    } else if (opcode == WS_CLOSE && !c->closing) {
        int code = len >= 2 ? payload[0] << 8 | payload[1] : 0;
        char why[200];
        if (code)
            snprintf(why, sizeof why, "closed by the server (%d%s%.*s)", code, len > 2 ? ": " : "",
                     (int)(len > 2 ? len - 2 : 0), (const char *)payload + 2);
        else snprintf(why, sizeof why, "closed by the server");
        close_with(c, code && code != 1005 ? code : WS_CLOSE_NORMAL, why); /* the echo it awaits */
    }
}

/* The answer to our upgrade request, read until its blank line; what follows it is frames. */
static int upgrade_answer(ws_conn *c, const char *in, size_t len, size_t *used) {
    size_t keep = len < sizeof c->head - c->head_len ? len : sizeof c->head - c->head_len;
    memcpy(c->head + c->head_len, in, keep);
    size_t old = c->head_len, end = ws_handshake_end(c->head, c->head_len + keep);
    c->head_len += keep;
    *used = keep;
    if (!end) {
        if (c->head_len < sizeof c->head) return 0;
        snprintf(c->why, sizeof c->why, "the server's answer to the upgrade is over %zu bytes",
                 sizeof c->head);
        return -1;
    }
    *used = end - old;
    if (ws_handshake_check(c->head, end, c->key, c->why, sizeof c->why) != 0) return -1;
    c->state = OPEN;
    if (c->h.on_open) c->h.on_open(c->h.ctx, c);
    return 0;
}

/* Bytes of the WebSocket stream (plaintext): the upgrade's answer, then frames. */
static int stream_bytes(ws_conn *c, const unsigned char *in, size_t len) {
    if (c->state == UPGRADING) {
        size_t used;
        if (upgrade_answer(c, (const char *)in, len, &used) != 0) return -1;
        in += used;
        len -= used;
        if (c->state != OPEN) return 0;
    }
    if (c->closing || len == 0) return 0;
    ws_frame_events ev = {on_frame_message, on_frame_control, c};
    char why[256];
    int code = ws_reader_feed(&c->reader, in, len, &ev, why, sizeof why);
    if (code) {
        char text[300];
        snprintf(text, sizeof text, "protocol error: %s", why);
        close_with(c, code, text);
    }
    return 0;
}

/* Our upgrade request goes out (through TLS on wss://). */
static int send_upgrade(ws_conn *c) {
    c->state = UPGRADING;
    unsigned char *out = tx_room(c, c->request_len);
    if (!out) return -1;
    memcpy(out, c->request, c->request_len);
    return commit(c, out, c->request_len);
}

/* Bytes from the socket: through TLS first on a wss:// connection. */
static int received(ws_conn *c, const unsigned char *in, size_t len) {
    if (!c->tls) return stream_bytes(c, in, len);
    char why[300];
    if (ws_tls_put(c->tls, in, len) != 0) return close_with(c, 0, "out of memory"), -1;
    if (c->state == TLS_HANDSHAKE) {
        int done = ws_tls_handshake(c->tls, why, sizeof why);
        if (done < 0) {
            snprintf(c->why, sizeof c->why, "TLS: %s", why);
            return -1;
        }
        if (!done) return flush_tls(c);
        if (send_upgrade(c) != 0) return -1;
    }
    unsigned char plain[PLAIN_CHUNK];
    long n;
    while ((n = ws_tls_read(c->tls, plain, sizeof plain, why, sizeof why)) > 0)
        if (stream_bytes(c, plain, (size_t)n) != 0) return -1;
    if (n < 0 && !c->closing) {
        if (!c->why[0]) snprintf(c->why, sizeof c->why, "%s", why);
        return -1;
    }
    return flush_tls(c); /* what reading made TLS say back, if anything */
}

static int writeable(struct lws *wsi, ws_conn *c) {
    if (c->tx_len) {
        size_t len = c->tx_len;
        c->tx_len = 0;
        if (lws.lws_write(wsi, c->tx + LWS_PRE, len, LWS_WRITE_RAW) < (int)len) {
            if (!c->why[0]) snprintf(c->why, sizeof c->why, "sending failed");
            return -1;
        }
    }
    return c->closing ? -1 : 0; /* libwebsockets sends what it still holds before it closes */
}

/* TCP is up: TLS's first flight, or the upgrade request, goes first. */
static int connected(struct lws *wsi, ws_conn *c) {
    if (c->state != CONNECTING) return 0;
    c->wsi = wsi;
    if (!c->use_tls) return send_upgrade(c);
    bs_error err = {{0}};
    if (ws_tls_new(c->loop->tls, c->host, &c->tls, &err) != BS_OK) {
        snprintf(c->why, sizeof c->why, "%s", err.msg);
        return -1;
    }
    c->state = TLS_HANDSHAKE;
    return flush_tls(c);
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                    size_t len) {
    (void)user;
    ws_conn *c = wsi ? lws.lws_get_opaque_user_data(wsi) : NULL;
    if (!c) return 0;
    switch (reason) {
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        if (in && !c->why[0])
            snprintf(c->why, sizeof c->why, "%.*s", len ? (int)len : (int)strlen(in),
                     (const char *)in);
        ended(c, "connection failed");
        break;
    case LWS_CALLBACK_RAW_CONNECTED:
    case LWS_CALLBACK_RAW_ADOPT: return connected(wsi, c);
    case LWS_CALLBACK_RAW_RX: return received(c, in, len);
    case LWS_CALLBACK_RAW_WRITEABLE: return writeable(wsi, c);
    case LWS_CALLBACK_RAW_CLOSE:
        ended(c, c->state == OPEN        ? "connection closed"
                 : c->state == UPGRADING ? "connection closed during the upgrade"
                                         : "connection closed during the TLS handshake");
        break;
    case LWS_CALLBACK_WSI_DESTROY: ended(c, "connection closed"); break;
    default: break;
    }
    return 0;
}

static const struct lws_protocols protocols[] = {
    {"btcstream-feed", callback, 0, 0, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

/* ------------------------------------------------------------------ loops and connections */

/* The CA bundle: the caller's, BTCSTREAM_CA_FILE, SSL_CERT_FILE, or Debian's bundle. */
static const char *pick_ca(const char *ca_file) {
    const char *env;
    if (ca_file && *ca_file) return ca_file;
    if ((env = bs_config_get("BTCSTREAM_CA_FILE")) && *env) return env;
    if ((env = bs_config_get("SSL_CERT_FILE")) && *env) return env;
    if (access("/etc/ssl/certs/ca-certificates.crt", R_OK) == 0)
        return "/etc/ssl/certs/ca-certificates.crt";
    return NULL;
}

bs_status ws_loop_new(const char *ca_file, ws_loop **out, bs_error *err) {
    *out = NULL;
    pthread_once(&once, load);
    if (!loaded)
        return bs_fail(err, BS_ERR_UNSUPPORTED,
                       "the WebSocket library (libwebsockets.so.17, Debian package "
                       "libwebsockets17) is not installed; exchange sources need it");
    ws_loop *loop = calloc(1, sizeof *loop);
    if (!loop) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    const char *ca = pick_ca(ca_file);
    if (ca && access(ca, R_OK) != 0) {
        free(loop);
        return bs_fail(err, BS_ERR_IO, "%s: cannot read the CA bundle (BTCSTREAM_CA_FILE)", ca);
    }
    if (ca) snprintf(loop->ca_file, sizeof loop->ca_file, "%s", ca);
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = protocols;
    info.connect_timeout_secs = 10;
    info.timeout_secs = 10;
    info.gid = -1;
    info.uid = -1;
    loop->ctx = lws.lws_create_context(&info);
    if (!loop->ctx) {
        free(loop);
        return bs_fail(err, BS_ERR_NET, "cannot create the WebSocket context");
    }
    lws.lws_sul_schedule(loop->ctx, 0, &loop->tick, tick, TICK_US);
    *out = loop;
    return BS_OK;
}

void ws_loop_free(ws_loop *loop) {
    if (!loop) return;
    lws.lws_context_destroy(loop->ctx);
    ws_tls_ctx_free(loop->tls);
    free(loop);
}

void ws_loop_service(ws_loop *loop, int wait_ms) { lws.lws_service(loop->ctx, wait_ms); }

/* Splits ws[s]://HOST[:PORT][/PATH] into its parts (host and path into caller buffers). */
static bs_status parse_url(const char *url, int *tls, char *host, size_t hsize, int *port,
                           char *path, size_t psize, bs_error *err) {
    const char *p;
    if (strncmp(url, "wss://", 6) == 0) *tls = 1, p = url + 6;
    else if (strncmp(url, "ws://", 5) == 0) *tls = 0, p = url + 5;
    else return bs_fail(err, BS_ERR_ARG, "%s: not a ws:// or wss:// URL", url);
    size_t hl = strcspn(p, ":/");
    if (hl == 0 || hl >= hsize) return bs_fail(err, BS_ERR_ARG, "%s: no host in the URL", url);
    memcpy(host, p, hl);
    host[hl] = '\0';
    p += hl;
    *port = *tls ? 443 : 80;
    if (*p == ':') {
        char *end;
        long n = strtol(p + 1, &end, 10);
        if (end == p + 1 || n <= 0 || n > 65535 || (*end && *end != '/'))
            return bs_fail(err, BS_ERR_ARG, "%s: bad port in the URL", url);
        *port = (int)n;
        p = end;
    }
    if (snprintf(path, psize, "%s", p) >= (int)psize)
        return bs_fail(err, BS_ERR_ARG, "%s: URL too long", url);
    size_t n = strlen(path);
    while (n > 0 && path[n - 1] == '/') path[--n] = '\0';
    return BS_OK;
}

bs_status ws_conn_open(ws_loop *loop, ws_conn *c, const char *url, const char *path,
                       const ws_handlers *h, bs_error *err) {
    char full[2048];
    int tls = 0, port = 0;
    bs_status st = parse_url(url, &tls, c->host, sizeof c->host, &port, full, sizeof full, err);
    if (st != BS_OK) return st;
    size_t used = strlen(full);
    if (!(used > 0 && strcmp(path, "/") == 0)) /* "/" adds nothing to a URL with a path */
        snprintf(full + used, sizeof full - used, "%s", path[0] == '/' ? path : "/");
    if (!full[0]) memcpy(full, "/", 2);
    if (tls && !loop->tls &&
        ws_tls_ctx_new(loop->ca_file[0] ? loop->ca_file : NULL, &loop->tls, err) != BS_OK)
        return BS_ERR_NET;
    unsigned char nonce[16];
    random_bytes(nonce, sizeof nonce);
    c->request_len = ws_handshake_request(c->host, port, tls, full, nonce, c->key, c->request,
                                          sizeof c->request);
    if (!c->request_len) return bs_fail(err, BS_ERR_ARG, "%s: URL too long", url);
    c->loop = loop;
    c->h = *h;
    c->why[0] = '\0';
    c->closing = 0;
    c->state = CONNECTING;
    c->use_tls = tls;
    c->head_len = c->tx_len = 0;
    ws_reader_reset(&c->reader);
    struct lws_client_connect_info ci;
    memset(&ci, 0, sizeof ci);
    ci.context = loop->ctx;
    ci.address = c->host;
    ci.port = port;
    ci.ssl_connection = 0; /* TLS is ws_tls.c's, always verified */
    ci.method = "RAW";
    ci.path = "";
    ci.host = c->host;
    ci.origin = c->host;
    ci.local_protocol_name = protocols[0].name;
    ci.opaque_user_data = c;
    c->open_pending_close = 1;
    if (!lws.lws_client_connect_via_info(&ci)) {
        /* a connection that fails at once may or may not have run the error callback */
        c->open_pending_close = 0;
        return bs_fail(err, BS_ERR_NET, "%s: cannot connect%s%s", url, c->why[0] ? ": " : "",
                       c->why);
    }
    return BS_OK;
}

bs_status ws_conn_send(ws_conn *c, const char *msg, size_t len, bs_error *err) {
    if (c->state != OPEN || c->closing)
        return bs_fail(err, BS_ERR_ARG, "the connection is not open");
    if (queue_frame(c, WS_TEXT, msg, len) != 0)
        return bs_fail(err, BS_ERR_NOMEM, "cannot send: %s", c->why[0] ? c->why : "out of memory");
    return BS_OK;
}

void ws_conn_close(ws_conn *c, const char *why) {
    if (!c->open_pending_close || c->closing) return;
    close_with(c, WS_CLOSE_NORMAL, why);
    /* still connecting: the close happens once connected (the writable callback) */
}

void ws_conn_release(ws_conn *c) {
    free(c->tx);
    c->tx = NULL;
    c->tx_cap = c->tx_len = 0;
    ws_tls_free(c->tls);
    c->tls = NULL;
    ws_reader_free(&c->reader);
}
