/*
 * ws_handshake.c - the WebSocket opening handshake of a client (RFC 6455 section 4): the HTTP
 * upgrade request, and the check of the server's answer, whose Sec-WebSocket-Accept must be the
 * base64 of the SHA-1 of our key and the protocol's fixed GUID. SHA-1 is written out here (FIPS
 * 180-4) rather than taken from OpenSSL: it is thirty lines, and the handshake then needs no
 * symbol of a library loaded behind libwebsockets' back.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ws_frame.h"

static const char GUID[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/* ------------------------------------------------------------------ SHA-1 and base64 */

static uint32_t rotl(uint32_t x, int n) { return x << n | x >> (32 - n); }

static void sha1_block(uint32_t h[5], const unsigned char *block) {
    uint32_t w[80];
    for (int t = 0; t < 16; t++)
        w[t] = (uint32_t)block[4 * t] << 24 | (uint32_t)block[4 * t + 1] << 16 |
               (uint32_t)block[4 * t + 2] << 8 | block[4 * t + 3];
    for (int t = 16; t < 80; t++) w[t] = rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int t = 0; t < 80; t++) {
        uint32_t f, k;
        if (t < 20) f = (b & c) | (~b & d), k = 0x5a827999;
        else if (t < 40) f = b ^ c ^ d, k = 0x6ed9eba1;
        else if (t < 60) f = (b & c) | (b & d) | (c & d), k = 0x8f1bbcdc;
        else f = b ^ c ^ d, k = 0xca62c1d6;
        uint32_t next = rotl(a, 5) + f + e + k + w[t];
        e = d;
        d = c;
        c = rotl(b, 30);
        b = a;
        a = next;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
}

void ws_sha1(const void *data, size_t len, unsigned char digest[20]) {
    uint32_t h[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
    const unsigned char *p = data;
    size_t left = len;
    for (; left >= 64; left -= 64, p += 64) sha1_block(h, p);
    /* the tail, a 1 bit, zeros, and the length in bits: one block or two */
    unsigned char last[128] = {0};
    memcpy(last, p, left);
    last[left] = 0x80;
    size_t blocks = left < 56 ? 1 : 2;
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++) last[blocks * 64 - 1 - i] = (unsigned char)(bits >> (8 * i));
    for (size_t i = 0; i < blocks; i++) sha1_block(h, last + 64 * i);
    for (int i = 0; i < 20; i++) digest[i] = (unsigned char)(h[i / 4] >> (24 - 8 * (i % 4)));
}

void ws_base64(const unsigned char *in, size_t n, char *out) {
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0) |
                     (i + 2 < n ? in[i + 2] : 0);
        out[o++] = digits[v >> 18 & 63];
        out[o++] = digits[v >> 12 & 63];
        out[o++] = i + 1 < n ? digits[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? digits[v & 63] : '=';
    }
    out[o] = '\0';
}

/* ------------------------------------------------------------------ the handshake */

size_t ws_handshake_request(const char *host, int port, int tls, const char *path,
                            const unsigned char nonce[16], char key[25], char *out, size_t size) {
    ws_base64(nonce, 16, key);
    char port_text[16] = "";
    if (port != (tls ? 443 : 80)) snprintf(port_text, sizeof port_text, ":%d", port);
    int n = snprintf(out, size,
                     "GET %s HTTP/1.1\r\nHost: %s%s\r\nUpgrade: websocket\r\n"
                     "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
                     "Sec-WebSocket-Version: 13\r\nUser-Agent: btcstream\r\n\r\n",
                     path && *path ? path : "/", host, port_text, key);
    return n > 0 && (size_t)n < size ? (size_t)n : 0;
}

size_t ws_handshake_end(const char *buf, size_t len) {
    for (size_t i = 3; i < len; i++)
        if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' && buf[i - 3] == '\r')
            return i + 1;
    return 0;
}

/* Does the comma-separated list value (n bytes) hold token, in any case? */
static int has_token(const char *value, size_t n, const char *token) {
    size_t tn = strlen(token);
    for (size_t i = 0; i < n;) {
        while (i < n && (value[i] == ' ' || value[i] == '\t' || value[i] == ',')) i++;
        size_t start = i;
        while (i < n && value[i] != ',') i++;
        size_t end = i;
        while (end > start && (value[end - 1] == ' ' || value[end - 1] == '\t')) end--;
        if (end - start == tn && strncasecmp(value + start, token, tn) == 0) return 1;
    }
    return 0;
}

int ws_handshake_check(const char *head, size_t len, const char *key, char *why, size_t why_size) {
    const char *p = head, *end = head + len;
    const char *eol = memchr(p, '\n', len);
    if (len < 12 || strncmp(p, "HTTP/1.", 7) != 0 || !eol || p[8] != ' ' ||
        !isdigit((unsigned char)p[9]) || !isdigit((unsigned char)p[10]) ||
        !isdigit((unsigned char)p[11])) {
        snprintf(why, why_size, "the server's answer to the upgrade is not HTTP");
        return -1;
    }
    int status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
    if (status != 101) {
        int n = (int)(eol - p);
        while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == '\n')) n--;
        snprintf(why, why_size, "the server answered \"%.*s\" instead of switching to WebSocket",
                 n > 80 ? 80 : n, p);
        return -1;
    }
    char want[29];
    unsigned char digest[20];
    char joined[64];
    snprintf(joined, sizeof joined, "%.24s%s", key, GUID);
    ws_sha1(joined, strlen(joined), digest);
    ws_base64(digest, 20, want);
    int upgrade = 0, connection = 0, accept = 0;
    for (p = eol + 1; p < end; p = eol + 1) {
        eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol) break;
        const char *colon = memchr(p, ':', (size_t)(eol - p));
        if (!colon) continue; /* the blank line that ends the head */
        size_t name = (size_t)(colon - p);
        const char *v = colon + 1, *v_end = eol;
        while (v < v_end && (*v == ' ' || *v == '\t')) v++;
        while (v_end > v && (v_end[-1] == '\r' || v_end[-1] == ' ' || v_end[-1] == '\t')) v_end--;
        size_t vn = (size_t)(v_end - v);
#define IS(h) (name == sizeof h - 1 && strncasecmp(p, h, name) == 0)
        if (IS("Upgrade")) upgrade = has_token(v, vn, "websocket");
        else if (IS("Connection")) connection = has_token(v, vn, "upgrade");
        else if (IS("Sec-WebSocket-Accept")) accept = vn == 28 && memcmp(v, want, 28) == 0;
        else if (IS("Sec-WebSocket-Extensions") || IS("Sec-WebSocket-Protocol")) {
            snprintf(why, why_size, "the server agreed to %.*s we did not offer", (int)name, p);
            return -1;
        }
#undef IS
    }
    if (!upgrade || !connection) {
        snprintf(why, why_size,
                 "the server's 101 answer lacks \"Upgrade: websocket\" or "
                 "\"Connection: Upgrade\"");
        return -1;
    }
    if (!accept) {
        snprintf(why, why_size, "the server's Sec-WebSocket-Accept does not match our key");
        return -1;
    }
    return 0;
}
