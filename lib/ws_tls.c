/*
 * ws_tls.c - see ws_tls.h. An SSL object between two memory BIOs: the socket's bytes are written
 * into the read BIO, OpenSSL's output collects in the write BIO, so the socket stays
 * libwebsockets' and OpenSSL never blocks or touches a file descriptor.
 */
#include "ws_tls.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lazy_bind.h"

#define SSL_FUNCTIONS(X)                                                                           \
    X(TLS_client_method)                                                                           \
    X(SSL_CTX_new)                                                                                 \
    X(SSL_CTX_free) X(SSL_CTX_set_verify) X(SSL_CTX_load_verify_locations)                         \
        X(SSL_CTX_set_default_verify_paths) X(SSL_new) X(SSL_free) X(SSL_set_bio)                  \
            X(SSL_set_connect_state) X(SSL_do_handshake) X(SSL_read) X(SSL_write) X(SSL_get_error) \
                X(SSL_ctrl) X(SSL_set1_host) X(SSL_get_verify_result) X(SSL_get0_param)            \
                    X(X509_VERIFY_PARAM_set1_ip_asc) X(BIO_new) X(BIO_free) X(BIO_s_mem)           \
                        X(BIO_write) X(BIO_read) X(BIO_ctrl_pending) X(ERR_get_error)              \
                            X(ERR_error_string_n) X(ERR_clear_error)                               \
                                X(X509_verify_cert_error_string)

#define SSL_FIELD(fn) __typeof__(fn) *fn;
static struct { SSL_FUNCTIONS(SSL_FIELD) } ossl;
#undef SSL_FIELD

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded;

static void load(void) {
    void *lib = dlopen("libssl.so.3", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return;
    int absent = 0;
#define BIND(fn) LAZY_BIND(absent, lib, ossl.fn, #fn);
    SSL_FUNCTIONS(BIND)
#undef BIND
    loaded = absent == 0;
}

struct ws_tls_ctx {
    SSL_CTX *ssl_ctx;
    char ca_file[4096]; /* named in a verification failure: the usual cause is the wrong bundle */
};

struct ws_tls {
    ws_tls_ctx *ctx;
    SSL *ssl;
    BIO *in, *out; /* owned by ssl */
};

/* OpenSSL's oldest queued error, in words (and the queue emptied for the next call). */
static void ssl_error(const char *what, char *why, size_t size) {
    unsigned long e = ossl.ERR_get_error();
    char text[200] = "";
    if (e) ossl.ERR_error_string_n(e, text, sizeof text);
    ossl.ERR_clear_error();
    snprintf(why, size, "%s%s%s", what, text[0] ? ": " : "", text);
}

bs_status ws_tls_ctx_new(const char *ca_file, ws_tls_ctx **out, bs_error *err) {
    *out = NULL;
    pthread_once(&once, load);
    if (!loaded)
        return bs_fail(err, BS_ERR_UNSUPPORTED,
                       "OpenSSL (libssl.so.3, Debian package libssl3) is not installed; wss:// "
                       "needs it");
    ws_tls_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx || !(ctx->ssl_ctx = ossl.SSL_CTX_new(ossl.TLS_client_method()))) {
        free(ctx);
        return bs_fail(err, BS_ERR_NOMEM, "cannot set up TLS (out of memory?)");
    }
    ossl.SSL_CTX_set_verify(ctx->ssl_ctx, SSL_VERIFY_PEER, NULL);
    int ok = ca_file && *ca_file ? ossl.SSL_CTX_load_verify_locations(ctx->ssl_ctx, ca_file, NULL)
                                 : ossl.SSL_CTX_set_default_verify_paths(ctx->ssl_ctx);
    if (!ok) {
        char why[300];
        ssl_error("", why, sizeof why);
        ossl.SSL_CTX_free(ctx->ssl_ctx);
        free(ctx);
        return bs_fail(err, BS_ERR_IO, "%s: cannot load the CA bundle%s",
                       ca_file ? ca_file : "(system)", why);
    }
    snprintf(ctx->ca_file, sizeof ctx->ca_file, "%s", ca_file && *ca_file ? ca_file : "default");
    *out = ctx;
    return BS_OK;
}

void ws_tls_ctx_free(ws_tls_ctx *ctx) {
    if (!ctx) return;
    ossl.SSL_CTX_free(ctx->ssl_ctx);
    free(ctx);
}

/* The certificate must name host: as an IP address when it is one, else as a DNS name (and only
 * a DNS name goes in SNI, as RFC 6066 says). */
static int set_peer_name(SSL *ssl, const char *host) {
    unsigned char addr[16];
    if (inet_pton(AF_INET, host, addr) == 1 || inet_pton(AF_INET6, host, addr) == 1)
        return ossl.X509_VERIFY_PARAM_set1_ip_asc(ossl.SSL_get0_param(ssl), host) == 1;
    return ossl.SSL_set1_host(ssl, host) == 1 &&
           ossl.SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                         (void *)host) == 1;
}

bs_status ws_tls_new(ws_tls_ctx *ctx, const char *host, ws_tls **out, bs_error *err) {
    *out = NULL;
    ws_tls *t = calloc(1, sizeof *t);
    if (!t) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    t->ctx = ctx;
    t->ssl = ossl.SSL_new(ctx->ssl_ctx);
    BIO *in = ossl.BIO_new(ossl.BIO_s_mem()), *out_bio = ossl.BIO_new(ossl.BIO_s_mem());
    if (!t->ssl || !in || !out_bio) {
        if (in) ossl.BIO_free(in);
        if (out_bio) ossl.BIO_free(out_bio);
        goto fail;
    }
    ossl.SSL_set_bio(t->ssl, in, out_bio); /* the SSL object owns them from here */
    t->in = in;
    t->out = out_bio;
    if (!set_peer_name(t->ssl, host)) goto fail;
    ossl.SSL_set_connect_state(t->ssl);
    char why[200];
    if (ws_tls_handshake(t, why, sizeof why) < 0) { /* writes the ClientHello */
        ws_tls_free(t);
        return bs_fail(err, BS_ERR_NET, "TLS: %s", why);
    }
    *out = t;
    return BS_OK;
fail:
    ws_tls_free(t);
    return bs_fail(err, BS_ERR_NOMEM, "cannot set up TLS for %s", host);
}

void ws_tls_free(ws_tls *t) {
    if (!t) return;
    if (t->ssl) ossl.SSL_free(t->ssl); /* and both BIOs with it */
    free(t);
}

int ws_tls_put(ws_tls *t, const void *in, size_t len) {
    while (len > 0) {
        int chunk = len > 1 << 30 ? 1 << 30 : (int)len;
        int n = ossl.BIO_write(t->in, in, chunk);
        if (n <= 0) return -1;
        in = (const char *)in + n;
        len -= (size_t)n;
    }
    return 0;
}

int ws_tls_handshake(ws_tls *t, char *why, size_t why_size) {
    int n = ossl.SSL_do_handshake(t->ssl);
    if (n == 1) return 1;
    int e = ossl.SSL_get_error(t->ssl, n);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) return 0;
    long verdict = ossl.SSL_get_verify_result(t->ssl);
    if (verdict != X509_V_OK) {
        ossl.ERR_clear_error();
        snprintf(why, why_size,
                 "the server's certificate did not verify: %.120s (CA bundle %.200s; "
                 "BTCSTREAM_CA_FILE names another)",
                 ossl.X509_verify_cert_error_string(verdict), t->ctx->ca_file);
    } else {
        ssl_error("handshake failed", why, why_size);
    }
    return -1;
}

long ws_tls_read(ws_tls *t, void *buf, size_t cap, char *why, size_t why_size) {
    int n = ossl.SSL_read(t->ssl, buf, cap > 1 << 30 ? 1 << 30 : (int)cap);
    if (n > 0) return n;
    int e = ossl.SSL_get_error(t->ssl, n);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) return 0;
    if (e == SSL_ERROR_ZERO_RETURN) snprintf(why, why_size, "the server ended the TLS session");
    else ssl_error("TLS read failed", why, why_size);
    return -1;
}

int ws_tls_write(ws_tls *t, const void *plain, size_t len, char *why, size_t why_size) {
    if (len == 0) return 0;
    if (len > 1 << 30 || ossl.SSL_write(t->ssl, plain, (int)len) != (int)len) {
        ssl_error("TLS write failed", why, why_size);
        return -1;
    }
    return 0;
}

size_t ws_tls_pending(ws_tls *t) { return ossl.BIO_ctrl_pending(t->out); }

size_t ws_tls_take(ws_tls *t, void *buf, size_t cap) {
    int n = ossl.BIO_read(t->out, buf, cap > 1 << 30 ? 1 << 30 : (int)cap);
    return n > 0 ? (size_t)n : 0;
}
