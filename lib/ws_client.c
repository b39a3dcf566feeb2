/*
 * ws_client.c - see ws_client.h. libwebsockets' client, one context a loop, driven by
 * lws_service() in the caller's thread. A timer of our own fires every 50 ms so that
 * lws_service() returns at least that often and the caller's clock work (watchdogs, candle
 * clocks, backoff, stop flags) runs on time even when no byte arrives.
 */
#include "ws_client.h"

#include <dlfcn.h>
#include <libwebsockets.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btcstream/config.h"
#include "lazy_bind.h"

#define WS_FUNCTIONS(X)                                                                            \
    X(lws_create_context)                                                                          \
    X(lws_context_destroy) X(lws_service) X(lws_client_connect_via_info) X(lws_write)              \
        X(lws_callback_on_writable) X(lws_get_opaque_user_data) X(lws_is_final_fragment)           \
            X(lws_remaining_packet_payload) X(lws_set_log_level) X(lws_sul_schedule)               \
                X(lws_close_reason) X(lws_get_ssl)

#define WS_FIELD(fn) __typeof__(fn) *fn;
static struct { WS_FUNCTIONS(WS_FIELD) } lws;
#undef WS_FIELD

/* OpenSSL's verdict on the server's certificate, through libwebsockets' own libssl (optional:
 * a clearer message when a handshake fails, nothing else depends on it) */
static long (*ssl_get_verify_result)(const void *ssl);
static const char *(*x509_error_string)(long n);

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
    *(void **)&ssl_get_verify_result = dlsym(lib, "SSL_get_verify_result");
    *(void **)&x509_error_string = dlsym(lib, "X509_verify_cert_error_string");
    if (loaded) lws.lws_set_log_level(0, NULL); /* errors reach us through the callbacks */
}

#define TICK_US 50000

struct ws_loop {
    struct lws_context *ctx;
    lws_sorted_usec_list_t tick;
    char ca_file[4096];
};

static void tick(lws_sorted_usec_list_t *sul) {
    ws_loop *loop = (ws_loop *)((char *)sul - offsetof(ws_loop, tick));
    lws.lws_sul_schedule(loop->ctx, 0, &loop->tick, tick, TICK_US);
}

/* The connection's end, reported once per open whichever callback comes first. */
static void ended(ws_conn *c, const char *why) {
    if (why && *why && !c->why[0]) snprintf(c->why, sizeof c->why, "%s", why);
    c->wsi = NULL;
    c->closing = 0;
    c->rx_len = 0;
    c->tx_len = 0;
    if (!c->open_pending_close) return;
    c->open_pending_close = 0;
    if (c->h.on_close) c->h.on_close(c->h.ctx, c, c->why[0] ? c->why : "connection closed");
}

static int append_rx(ws_conn *c, const void *in, size_t len) {
    if (c->rx_len + len + 1 > c->rx_cap) {
        size_t cap = c->rx_cap ? c->rx_cap : 4096;
        while (cap < c->rx_len + len + 1) cap *= 2;
        char *rx = realloc(c->rx, cap);
        if (!rx) return -1;
        c->rx = rx;
        c->rx_cap = cap;
    }
    memcpy(c->rx + c->rx_len, in, len);
    c->rx_len += len;
    c->rx[c->rx_len] = '\0';
    return 0;
}

static int writeable(struct lws *wsi, ws_conn *c) {
    if (c->closing) {
        lws.lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, NULL, 0);
        return -1;
    }
    if (c->tx_len == 0) return 0;
    size_t len = c->tx_len;
    c->tx_len = 0;
    if (lws.lws_write(wsi, (unsigned char *)c->tx + LWS_PRE, len, LWS_WRITE_TEXT) < (int)len) {
        snprintf(c->why, sizeof c->why, "sending failed");
        return -1;
    }
    return 0;
}

/* Why a connection failed: libwebsockets' words, and OpenSSL's verdict on the certificate. */
static void connection_error(struct lws *wsi, ws_conn *c, const void *in, size_t len) {
    char what[160] = "";
    if (in) snprintf(what, sizeof what, "%.*s", len ? (int)len : (int)strlen(in), (const char *)in);
    void *ssl = lws.lws_get_ssl(wsi);
    long verdict = ssl && ssl_get_verify_result ? ssl_get_verify_result(ssl) : 0;
    if (verdict != 0 && x509_error_string)
        snprintf(c->why, sizeof c->why,
                 "TLS: the server's certificate did not verify: %.120s (CA bundle %.200s; "
                 "BTCSTREAM_CA_FILE names another)",
                 x509_error_string(verdict), c->loop->ca_file[0] ? c->loop->ca_file : "default");
    else if (strstr(what, "SSL"))
        snprintf(c->why, sizeof c->why, "TLS handshake failed (%.150s; CA bundle %.200s)", what,
                 c->loop->ca_file[0] ? c->loop->ca_file : "default");
    else snprintf(c->why, sizeof c->why, "%s", what);
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                    size_t len) {
    (void)user;
    ws_conn *c = wsi ? lws.lws_get_opaque_user_data(wsi) : NULL;
    if (!c) return 0;
    switch (reason) {
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        connection_error(wsi, c, in, len);
        ended(c, "connection failed");
        break;
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
        c->wsi = wsi;
        if (c->h.on_open) c->h.on_open(c->h.ctx, c);
        if (c->tx_len || c->closing) lws.lws_callback_on_writable(wsi);
        break;
    case LWS_CALLBACK_CLIENT_RECEIVE:
        if (append_rx(c, in, len) != 0) {
            snprintf(c->why, sizeof c->why, "out of memory for a message");
            return -1;
        }
        if (lws.lws_is_final_fragment(wsi) && lws.lws_remaining_packet_payload(wsi) == 0) {
            size_t n = c->rx_len;
            c->rx_len = 0;
            if (c->h.on_message) c->h.on_message(c->h.ctx, c, c->rx, n);
            if (c->closing || c->tx_len) lws.lws_callback_on_writable(wsi);
        }
        break;
    case LWS_CALLBACK_CLIENT_WRITEABLE: return writeable(wsi, c);
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
        if (!c->why[0]) snprintf(c->why, sizeof c->why, "closed by the server");
        break;
    case LWS_CALLBACK_CLIENT_CLOSED: ended(c, "connection closed"); break;
    case LWS_CALLBACK_WSI_DESTROY: ended(c, "connection closed"); break;
    default: break;
    }
    return 0;
}

static const struct lws_protocols protocols[] = {
    {"btcstream-feed", callback, 0, 65536, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

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
    info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
    info.client_ssl_ca_filepath = loop->ca_file[0] ? loop->ca_file : NULL;
    info.connect_timeout_secs = 10;
    info.timeout_secs = 10;
    info.gid = -1;
    info.uid = -1;
    loop->ctx = lws.lws_create_context(&info);
    if (!loop->ctx) {
        free(loop);
        return bs_fail(err, BS_ERR_NET, "cannot create the WebSocket context (TLS setup failed?)");
    }
    lws.lws_sul_schedule(loop->ctx, 0, &loop->tick, tick, TICK_US);
    *out = loop;
    return BS_OK;
}

void ws_loop_free(ws_loop *loop) {
    if (!loop) return;
    lws.lws_context_destroy(loop->ctx);
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
    char host[256], full[2048];
    int tls = 0, port = 0;
    bs_status st = parse_url(url, &tls, host, sizeof host, &port, full, sizeof full, err);
    if (st != BS_OK) return st;
    size_t used = strlen(full);
    if (!(used > 0 && strcmp(path, "/") == 0)) /* "/" adds nothing to a URL with a path */
        snprintf(full + used, sizeof full - used, "%s", path[0] == '/' ? path : "/");
    if (!full[0]) memcpy(full, "/", 2);
    c->loop = loop;
    c->h = *h;
    c->why[0] = '\0';
    c->closing = 0;
    c->rx_len = c->tx_len = 0;
    struct lws_client_connect_info ci;
    memset(&ci, 0, sizeof ci);
    ci.context = loop->ctx;
    ci.address = host;
    ci.port = port;
    ci.ssl_connection = tls ? LCCSCF_USE_SSL : 0; /* never ALLOW_SELFSIGNED nor SKIP_..._CHECK */
    ci.path = full;
    ci.host = host;
    ci.origin = host;
    ci.protocol = NULL;
    ci.local_protocol_name = protocols[0].name;
    ci.opaque_user_data = c;
    ci.ietf_version_or_minus_one = -1;
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
    if (c->tx_len) return bs_fail(err, BS_ERR_ARG, "a message is still waiting to be sent");
    char *tx = realloc(c->tx, LWS_PRE + len + 1);
    if (!tx) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    c->tx = tx;
    memcpy(tx + LWS_PRE, msg, len);
    c->tx_len = len;
    if (c->wsi) lws.lws_callback_on_writable(c->wsi);
    return BS_OK;
}

void ws_conn_close(ws_conn *c, const char *why) {
    if (!c->open_pending_close) return;
    if (why && !c->why[0]) snprintf(c->why, sizeof c->why, "%s", why);
    c->closing = 1;
    if (c->wsi) lws.lws_callback_on_writable(c->wsi);
    /* still connecting: the close happens once established (the writable callback) */
}

void ws_conn_release(ws_conn *c) {
    free(c->rx);
    free(c->tx);
    c->rx = c->tx = NULL;
    c->rx_cap = c->rx_len = c->tx_len = 0;
}
