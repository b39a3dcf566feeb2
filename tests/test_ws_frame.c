/*
 * The WebSocket protocol of ws_client.c without a socket (lib/ws_frame.h): SHA-1 and base64 on
 * the FIPS 180 and RFC 4648 vectors, the opening handshake on RFC 6455's example, our masked
 * frames byte for byte, and the frame reader on RFC 6455's examples and on every frame no server
 * may send. The reader has a fast path for a frame that lies whole in a piece and a slow path for
 * one cut between pieces, so every stream here is read whole, in every split into two pieces, a
 * byte at a time and in random (seeded) piece sizes, and must give the same events every time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../lib/ws_frame.h"

/* ------------------------------------------------------------------ SHA-1 and base64 */

static void assert_sha1(const void *data, size_t len, const char *want_hex) {
    unsigned char d[20];
    char hex[41];
    ws_sha1(data, len, d);
    for (int i = 0; i < 20; i++) snprintf(hex + 2 * i, 3, "%02x", d[i]);
    assert_string_equal(hex, want_hex);
}

static void test_sha1_of_abc_is_the_fips_value(void **state) {
    (void)state;
    assert_sha1("abc", 3, "a9993e364706816aba3e25717850c26c9cd0d89d");
}

static void test_sha1_of_nothing_is_the_fips_value(void **state) {
    (void)state;
    assert_sha1("", 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

static void test_sha1_of_56_bytes_pads_into_a_second_block(void **state) {
    (void)state;
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    assert_int_equal(strlen(m), 56);
    /* FIPS 180-2 appendix A.2 (84983E44 1C3BD26E BAAE4AA1 F95129E5 E54670F1); python3's hashlib
     * gives the same. */
    assert_sha1(m, 56, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
}

static void test_sha1_of_a_million_a_is_the_fips_value(void **state) {
    (void)state;
    size_t n = 1000000;
    char *m = malloc(n);
    assert_non_null(m);
    memset(m, 'a', n);
    unsigned char d[20];
    ws_sha1(m, n, d);
    free(m);
    char hex[41];
    for (int i = 0; i < 20; i++) snprintf(hex + 2 * i, 3, "%02x", d[i]);
    assert_string_equal(hex, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

static void test_sha1_at_the_block_and_padding_edges(void **state) {
    (void)state;
    /* Computed with python3 -c "import hashlib; print(hashlib.sha1(b'a' * n).hexdigest())":
     * 55 bytes leave just room for the padding in one block, 56 need a second, 64 is one whole
     * block and a padding block, 63 and 65 sit either side of it. */
    static const struct {
        size_t n;
        const char *hex;
    } cases[] = {
        {55, "c1c8bbdc22796e28c0e15163d20899b65621d65a"},
        {56, "c2db330f6083854c99d4b5bfb6e8f29f201be699"},
        {63, "03f09f5b158a7a8cdad920bddc29b81c18a551f5"},
        {64, "0098ba824b5c16427bd7a1122a5a442a25ec644d"},
        {65, "11655326c708d70319be2610e8a57d9a5b959d3b"},
    };
    char a[65];
    memset(a, 'a', sizeof a);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_sha1(a, cases[i].n, cases[i].hex);
}

static void test_base64_gives_the_rfc4648_vectors(void **state) {
    (void)state;
    static const char *in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *want[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    for (int i = 0; i < 7; i++) {
        char out[16];
        memset(out, 'x', sizeof out);
        ws_base64((const unsigned char *)in[i], strlen(in[i]), out);
        assert_string_equal(out, want[i]);
    }
}

/* ------------------------------------------------------------------ the handshake */

/* RFC 6455 section 1.3: the key of its example, and the accept value the server derives. */
#define RFC_KEY "dGhlIHNhbXBsZSBub25jZQ=="
#define RFC_ACCEPT "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="

static int check(const char *head, char *why, size_t size) {
    why[0] = '\0';
    return ws_handshake_check(head, strlen(head), RFC_KEY, why, size);
}

static void test_handshake_accepts_the_rfc6455_example(void **state) {
    (void)state;
    char why[256];
    assert_int_equal(check("HTTP/1.1 101 Switching Protocols\r\n"
                           "Upgrade: websocket\r\n"
                           "Connection: Upgrade\r\n"
                           "Sec-WebSocket-Accept: " RFC_ACCEPT "\r\n\r\n",
                           why, sizeof why),
                     0);
}

static void test_handshake_headers_are_read_in_any_case_and_connection_as_a_list(void **state) {
    (void)state;
    char why[256];
    assert_int_equal(check("HTTP/1.1 101 Switching Protocols\r\n"
                           "server: test\r\n"
                           "UPGRADE: WebSocket\r\n"
                           "connection: keep-alive, Upgrade\r\n"
                           "sec-websocket-accept:   " RFC_ACCEPT "  \r\n\r\n",
                           why, sizeof why),
                     0);
}

static void test_handshake_refuses_a_200_or_404_naming_the_status_line(void **state) {
    (void)state;
    char why[256];
    assert_int_equal(check("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", why, sizeof why), -1);
    assert_non_null(strstr(why, "HTTP/1.1 200 OK"));
    assert_null(strchr(why, '\r'));
    assert_int_equal(check("HTTP/1.1 404 Not Found\r\n\r\n", why, sizeof why), -1);
    assert_non_null(strstr(why, "HTTP/1.1 404 Not Found"));
}

static void test_handshake_refuses_a_wrong_accept_value(void **state) {
    (void)state;
    char why[256];
    /* the right value with its last letter changed, and the key itself (not hashed) */
    assert_int_equal(check("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                           "Connection: Upgrade\r\n"
                           "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOp=\r\n\r\n",
                           why, sizeof why),
                     -1);
    assert_non_null(strstr(why, "Sec-WebSocket-Accept"));
    assert_int_equal(check("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                           "Connection: Upgrade\r\nSec-WebSocket-Accept: " RFC_KEY "\r\n\r\n",
                           why, sizeof why),
                     -1);
    /* none at all */
    assert_int_equal(check("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                           "Connection: Upgrade\r\n\r\n",
                           why, sizeof why),
                     -1);
}

static void test_handshake_refuses_a_101_without_upgrade(void **state) {
    (void)state;
    char why[256];
    assert_int_equal(check("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
                           "Sec-WebSocket-Accept: " RFC_ACCEPT "\r\n\r\n",
                           why, sizeof why),
                     -1);
    assert_non_null(strstr(why, "Upgrade"));
    /* Upgrade naming another protocol is no better */
    assert_int_equal(check("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n"
                           "Connection: Upgrade\r\nSec-WebSocket-Accept: " RFC_ACCEPT "\r\n\r\n",
                           why, sizeof why),
                     -1);
}

static void test_handshake_refuses_an_extension_we_did_not_offer(void **state) {
    (void)state;
    char why[256];
    assert_int_equal(check("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                           "Connection: Upgrade\r\nSec-WebSocket-Accept: " RFC_ACCEPT "\r\n"
                           "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n",
                           why, sizeof why),
                     -1);
    assert_non_null(strstr(why, "Sec-WebSocket-Extensions"));
}

static void test_handshake_refuses_what_is_not_http(void **state) {
    (void)state;
    char why[256];
    assert_int_equal(check("SSH-2.0-OpenSSH_9.2\r\n\r\n", why, sizeof why), -1);
    assert_non_null(strstr(why, "not HTTP"));
    assert_int_equal(check("HTTP/1.1 1O1 Switching\r\n\r\n", why, sizeof why), -1);
    assert_int_equal(check("HTTP/1.1", why, sizeof why), -1);
    assert_int_equal(check("", why, sizeof why), -1);
}

static void test_handshake_end_is_just_past_the_blank_line(void **state) {
    (void)state;
    const char *head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n";
    size_t n = strlen(head);
    char buf[128];
    memcpy(buf, head, n);
    memcpy(buf + n, "\x81\x05Hello", 7); /* the first frame may follow in the same read */
    assert_int_equal(ws_handshake_end(buf, n + 7), n);
    /* every read that stops before the blank line's last byte: not yet */
    for (size_t len = 0; len < n; len++) assert_int_equal(ws_handshake_end(buf, len), 0);
    /* a bare \n\n, or \r\n\n, is not the end */
    assert_int_equal(ws_handshake_end("HTTP/1.1 101 x\n\nrest", 20), 0);
    assert_int_equal(ws_handshake_end("HTTP/1.1 101 x\r\n\nrest", 21), 0);
}

static void test_handshake_request_key_is_the_base64_of_the_nonce(void **state) {
    (void)state;
    unsigned char nonce[16];
    for (int i = 0; i < 16; i++) nonce[i] = (unsigned char)(i + 1);
    char key[25], out[512];
    size_t n = ws_handshake_request("example.com", 443, 1, "/ws/btcusdt@trade", nonce, key, out,
                                    sizeof out);
    /* 01 02 03 -> 000000 010000 001000 000011 -> A Q I D, and so on by hand */
    assert_string_equal(key, "AQIDBAUGBwgJCgsMDQ4PEA==");
    assert_int_equal(n, strlen(out));
    assert_string_equal(out, "GET /ws/btcusdt@trade HTTP/1.1\r\n"
                             "Host: example.com\r\n"
                             "Upgrade: websocket\r\n"
                             "Connection: Upgrade\r\n"
                             "Sec-WebSocket-Key: AQIDBAUGBwgJCgsMDQ4PEA==\r\n"
                             "Sec-WebSocket-Version: 13\r\n"
                             "User-Agent: btcstream\r\n\r\n");
    assert_int_equal(ws_handshake_end(out, n), n);
}

static void test_handshake_request_host_has_a_port_only_off_the_default(void **state) {
    (void)state;
    unsigned char nonce[16] = {0};
    char key[25], out[512];
    assert_true(ws_handshake_request("h", 80, 0, "/", nonce, key, out, sizeof out) > 0);
    assert_non_null(strstr(out, "\r\nHost: h\r\n"));
    assert_true(ws_handshake_request("h", 443, 1, "/", nonce, key, out, sizeof out) > 0);
    assert_non_null(strstr(out, "\r\nHost: h\r\n"));
    assert_true(ws_handshake_request("h", 443, 0, "/", nonce, key, out, sizeof out) > 0);
    assert_non_null(strstr(out, "\r\nHost: h:443\r\n"));
    assert_true(ws_handshake_request("h", 80, 1, "/", nonce, key, out, sizeof out) > 0);
    assert_non_null(strstr(out, "\r\nHost: h:80\r\n"));
    assert_true(ws_handshake_request("127.0.0.1", 9443, 1, "", nonce, key, out, sizeof out) > 0);
    assert_non_null(strstr(out, "\r\nHost: 127.0.0.1:9443\r\n"));
    assert_non_null(strstr(out, "GET / HTTP/1.1\r\n")); /* an empty path is the root */
}

static void test_handshake_request_too_big_for_the_buffer_gives_0(void **state) {
    (void)state;
    unsigned char nonce[16] = {0};
    char key[25], out[512];
    size_t n = ws_handshake_request("h", 80, 0, "/", nonce, key, out, sizeof out);
    assert_true(n > 0);
    /* it needs n + 1 bytes with its NUL */
    assert_int_equal(ws_handshake_request("h", 80, 0, "/", nonce, key, out, n + 1), n);
    assert_int_equal(ws_handshake_request("h", 80, 0, "/", nonce, key, out, n), 0);
    assert_int_equal(ws_handshake_request("h", 80, 0, "/", nonce, key, out, 10), 0);
}

/* ------------------------------------------------------------------ encoding */

static void assert_unmasks_to(const unsigned char *frame, size_t head, const void *payload,
                              size_t len) {
    const unsigned char *mask = frame + head - 4;
    const unsigned char *p = payload;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)(frame[head + i] ^ mask[i % 4]) != p[i]) fail_msg("byte %zu", i);
}

static void test_encode_masked_hello_is_the_rfc6455_example(void **state) {
    (void)state;
    static const unsigned char mask[4] = {0x37, 0xfa, 0x21, 0x3d};
    static const unsigned char want[] = {0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d,
                                         0x7f, 0x9f, 0x4d, 0x51, 0x58};
    unsigned char out[WS_FRAME_HEAD_MAX + 5];
    assert_int_equal(ws_frame_encode(WS_TEXT, "Hello", 5, mask, out), sizeof want);
    assert_memory_equal(out, want, sizeof want);
    assert_unmasks_to(out, 6, "Hello", 5);
}

static void test_encode_256_bytes_uses_the_16_bit_length(void **state) {
    (void)state;
    static const unsigned char mask[4] = {0x01, 0x80, 0xff, 0x5a};
    unsigned char payload[256], out[WS_FRAME_HEAD_MAX + 256];
    for (int i = 0; i < 256; i++) payload[i] = (unsigned char)i;
    assert_int_equal(ws_frame_encode(WS_TEXT, payload, 256, mask, out), 4 + 4 + 256);
    static const unsigned char head[] = {0x81, 0xfe, 0x01, 0x00, 0x01, 0x80, 0xff, 0x5a};
    assert_memory_equal(out, head, sizeof head);
    assert_unmasks_to(out, 8, payload, 256);
    /* 125 is the last short length, 126 the first 16-bit one */
    assert_int_equal(ws_frame_encode(WS_BINARY, payload, 125, mask, out), 2 + 4 + 125);
    assert_int_equal(out[1], 0x80 | 125);
    assert_int_equal(ws_frame_encode(WS_BINARY, payload, 126, mask, out), 4 + 4 + 126);
    assert_int_equal(out[0], 0x82);
    assert_int_equal(out[1], 0xfe);
    assert_int_equal(out[2], 0x00);
    assert_int_equal(out[3], 126);
}

static void test_encode_65536_bytes_uses_the_64_bit_length(void **state) {
    (void)state;
    static const unsigned char mask[4] = {0xde, 0xad, 0xbe, 0xef};
    size_t n = 65536;
    unsigned char *payload = malloc(n), *out = malloc(WS_FRAME_HEAD_MAX + n);
    assert_non_null(payload);
    assert_non_null(out);
    for (size_t i = 0; i < n; i++) payload[i] = (unsigned char)(i * 7 + 3);
    size_t got = ws_frame_encode(WS_TEXT, payload, n, mask, out);
    static const unsigned char head[] = {0x81, 0xff, 0,    0,    0,    0,    0,
                                         0x01, 0x00, 0x00, 0xde, 0xad, 0xbe, 0xef};
    int head_ok = got == 14 + n && memcmp(out, head, sizeof head) == 0;
    int body_ok = 1;
    for (size_t i = 0; i < n && got == 14 + n; i++)
        if ((unsigned char)(out[14 + i] ^ mask[i % 4]) != payload[i]) body_ok = 0;
    /* 65535 is the last 16-bit length */
    size_t got16 = ws_frame_encode(WS_TEXT, payload, 65535, mask, out);
    int edge_ok = got16 == 4 + 4 + 65535 && out[1] == 0xfe && out[2] == 0xff && out[3] == 0xff;
    free(payload);
    free(out);
    assert_true(head_ok);
    assert_true(body_ok);
    assert_true(edge_ok);
}

/* ------------------------------------------------------------------ reading */

typedef struct {
    int control; /* 0: a message; else the control frame's opcode */
    const unsigned char *data;
    size_t len;
} event;

/* Compares the events a reader delivers with those expected, as they come. */
typedef struct {
    const event *want;
    size_t n_want, got;
    char bad[200]; /* the first difference, empty when none */
} checker;

static void note(checker *c, int control, const unsigned char *data, size_t len) {
    if (c->bad[0]) return;
    const event *w = c->got < c->n_want ? &c->want[c->got] : NULL;
    if (!w)
        snprintf(c->bad, sizeof c->bad, "event %zu (opcode %d, %zu bytes) was not expected", c->got,
                 control, len);
    else if (w->control != control || w->len != len || (len && memcmp(w->data, data, len) != 0))
        snprintf(c->bad, sizeof c->bad, "event %zu: got opcode %d, %zu bytes; want %d, %zu bytes",
                 c->got, control, len, w->control, w->len);
    c->got++;
}

static void on_message(void *ctx, const char *msg, size_t len) {
    note(ctx, 0, (const unsigned char *)msg, len);
}

static void on_control(void *ctx, int opcode, const unsigned char *payload, size_t len) {
    checker *c = ctx;
    if (len > WS_CONTROL_MAX && !c->bad[0])
        snprintf(c->bad, sizeof c->bad, "a control payload of %zu bytes", len);
    note(c, opcode, payload, len);
}

/* How a stream is cut into pieces. */
enum { WHOLE, SPLIT_AT, BYTEWISE, RANDOM };

static uint32_t lcg(uint32_t *s) {
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

/*
 * Feeds in (n bytes) to a fresh reader cut as `how` says (SPLIT_AT: at arg; RANDOM: arg is the
 * seed) and checks the events and the return code; why receives the reason of an error.
 */
static void read_as(const unsigned char *in, size_t n, int how, size_t arg, size_t max_message,
                    const event *want, size_t n_want, int want_rc, char *why, size_t why_size) {
    ws_reader r;
    memset(&r, 0, sizeof r);
    r.max_message = max_message;
    checker c = {want, n_want, 0, ""};
    ws_frame_events ev = {on_message, on_control, &c};
    uint32_t seed = (uint32_t)arg;
    /* random pieces: mostly small ones around headers, now and then a long one */
    size_t limit = lcg(&seed) % 3 == 0 ? 3 : 40;
    int rc = 0, first = 1;
    for (size_t at = 0; at < n || first; first = 0) {
        size_t piece = how == WHOLE          ? n
                       : how == SPLIT_AT     ? (first ? arg : n - at)
                       : how == BYTEWISE     ? 1
                       : lcg(&seed) % 8 == 0 ? lcg(&seed) % (n + 1)
                                             : lcg(&seed) % limit;
        if (piece > n - at) piece = n - at;
        why[0] = '\0';
        rc = ws_reader_feed(&r, in + at, piece, &ev, why, why_size);
        at += piece;
        if (rc != 0) break;
    }
    ws_reader_free(&r);
    const char *names[] = {"whole", "split", "bytewise", "random"};
    if (c.bad[0]) fail_msg("%s %zu: %s", names[how], arg, c.bad);
    if (c.got != n_want) fail_msg("%s %zu: %zu events, want %zu", names[how], arg, c.got, n_want);
    if (rc != want_rc)
        fail_msg("%s %zu: returned %d, want %d (%s)", names[how], arg, rc, want_rc, why);
    if (rc != 0 && why[0] == '\0') fail_msg("%s %zu: no reason given", names[how], arg);
}

/*
 * The stream read whole, in every split into two pieces (the empty ones at either end included),
 * a byte at a time and in 50 random cuts must all give want and want_rc. why receives the reason
 * of the last run.
 */
static void read_every_way(const unsigned char *in, size_t n, size_t max_message, const event *want,
                           size_t n_want, int want_rc, char *why, size_t why_size) {
    read_as(in, n, WHOLE, 0, max_message, want, n_want, want_rc, why, why_size);
    for (size_t i = 0; i <= n; i++)
        read_as(in, n, SPLIT_AT, i, max_message, want, n_want, want_rc, why, why_size);
    read_as(in, n, BYTEWISE, 0, max_message, want, n_want, want_rc, why, why_size);
    for (size_t seed = 1; seed <= 50; seed++)
        read_as(in, n, RANDOM, seed, max_message, want, n_want, want_rc, why, why_size);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define HELLO ((const unsigned char *)"Hello")

static void test_read_unmasked_hello(void **state) {
    (void)state;
    static const unsigned char in[] = {0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f};
    const event want[] = {{0, HELLO, 5}};
    char why[256];
    read_every_way(in, sizeof in, 0, want, N(want), 0, why, sizeof why);
}

/*
 * A piece that ends just after a data frame's header leaves no payload to gather yet. The reader
 * must not pass its still-NULL buffer to memcpy for those 0 bytes (undefined behaviour: the
 * ASan+UBSan build stops on it, lib/ws_frame.c gather()). An empty data frame in the slow path
 * does the same.
 */
static void test_a_piece_ending_with_a_header_gathers_nothing_safely(void **state) {
    (void)state;
    static const unsigned char in[] = {0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f};
    const event want[] = {{0, HELLO, 5}};
    checker c = {want, N(want), 0, ""};
    ws_frame_events ev = {on_message, on_control, &c};
    ws_reader r;
    memset(&r, 0, sizeof r);
    char why[256];
    int rc1 = ws_reader_feed(&r, in, 2, &ev, why, sizeof why); /* the header alone */
    int rc2 = ws_reader_feed(&r, in + 2, 5, &ev, why, sizeof why);
    ws_reader_free(&r);
    assert_int_equal(rc1, 0);
    assert_int_equal(rc2, 0);
    assert_int_equal(c.got, 1);
    assert_string_equal(c.bad, "");
}

static void test_read_fragmented_hello_is_one_message(void **state) {
    (void)state;
    static const unsigned char in[] = {0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f};
    const event want[] = {{0, HELLO, 5}};
    char why[256];
    read_every_way(in, sizeof in, 0, want, N(want), 0, why, sizeof why);
}

static void test_read_unmasked_ping_is_a_control_with_its_payload(void **state) {
    (void)state;
    static const unsigned char in[] = {0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f};
    const event want[] = {{WS_PING, HELLO, 5}};
    char why[256];
    read_every_way(in, sizeof in, 0, want, N(want), 0, why, sizeof why);
}

static void test_read_empty_frames(void **state) {
    (void)state;
    /* an empty text message, an empty pong, an empty first fragment of "lo" */
    static const unsigned char in[] = {0x81, 0x00, 0x8a, 0x00, 0x02, 0x00, 0x80, 0x02, 0x6c, 0x6f};
    const event want[] = {{0, HELLO, 0}, {WS_PONG, HELLO, 0}, {0, HELLO + 3, 2}};
    char why[256];
    read_every_way(in, sizeof in, 0, want, N(want), 0, why, sizeof why);
}

/* A binary message of n bytes behind the header given (the payload counts up from 0). */
static unsigned char *binary_frame(const unsigned char *head, size_t head_len, size_t n,
                                   size_t *total) {
    unsigned char *f = malloc(head_len + n);
    assert_non_null(f);
    memcpy(f, head, head_len);
    for (size_t i = 0; i < n; i++) f[head_len + i] = (unsigned char)(i * 31 + 1);
    *total = head_len + n;
    return f;
}

static void test_read_256_byte_binary_with_16_bit_length(void **state) {
    (void)state;
    static const unsigned char head[] = {0x82, 0x7e, 0x01, 0x00};
    size_t n;
    unsigned char *in = binary_frame(head, sizeof head, 256, &n);
    const event want[] = {{0, in + 4, 256}};
    char why[256];
    read_every_way(in, n, 0, want, N(want), 0, why, sizeof why);
    free(in);
}

static void test_read_65536_byte_binary_with_64_bit_length(void **state) {
    (void)state;
    static const unsigned char head[] = {0x82, 0x7f, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00};
    size_t n;
    unsigned char *in = binary_frame(head, sizeof head, 65536, &n);
    const event want[] = {{0, in + 10, 65536}};
    char why[256];
    read_every_way(in, n, 0, want, N(want), 0, why, sizeof why);
    free(in);
}

static void test_ping_between_fragments_is_delivered_and_the_message_joins(void **state) {
    (void)state;
    static const unsigned char in[] = {0x01, 0x03, 0x48, 0x65, 0x6c, /* "Hel", not final */
                                       0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f, /* ping Hello */
                                       0x80, 0x02, 0x6c, 0x6f};                  /* "lo", final */
    const event want[] = {{WS_PING, HELLO, 5}, {0, HELLO, 5}};
    char why[256];
    read_every_way(in, sizeof in, 0, want, N(want), 0, why, sizeof why);
}

static void test_several_messages_in_one_piece_come_in_order(void **state) {
    (void)state;
    static const unsigned char in[] = {0x81, 0x01, 'a',  0x82, 0x02, 'b',  'c',  0x8a,
                                       0x01, 'p',  0x01, 0x01, 'd',  0x00, 0x01, 'e',
                                       0x80, 0x01, 'f',  0x81, 0x03, 'g',  'h',  'i'};
    const unsigned char *s = in;
    const event want[] = {{0, s + 2, 1},
                          {0, s + 5, 2},
                          {WS_PONG, s + 9, 1},
                          {0, (const unsigned char *)"def", 3},
                          {0, s + 21, 3}};
    char why[256];
    read_every_way(in, sizeof in, 0, want, N(want), 0, why, sizeof why);
}

/* The stream must end the connection with code, giving a reason holding `says`. */
static void assert_refused(const unsigned char *in, size_t n, size_t max_message, const event *want,
                           size_t n_want, int code, const char *says) {
    char why[256];
    read_every_way(in, n, max_message, want, n_want, code, why, sizeof why);
    if (!strstr(why, says)) fail_msg("reason \"%s\" does not say \"%s\"", why, says);
}

static void test_masked_server_frame_is_a_protocol_error(void **state) {
    (void)state;
    /* a good message first (delivered), then RFC 6455's masked Hello, which only a client sends */
    static const unsigned char in[] = {0x81, 0x02, 'o',  'k',  0x81, 0x85, 0x37, 0xfa,
                                       0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58};
    const event want[] = {{0, (const unsigned char *)"ok", 2}};
    assert_refused(in, sizeof in, 0, want, N(want), WS_CLOSE_PROTOCOL, "masked");
}

static void test_reserved_bit_is_a_protocol_error(void **state) {
    (void)state;
    static const unsigned char rsv1[] = {0xc1, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f};
    assert_refused(rsv1, sizeof rsv1, 0, NULL, 0, WS_CLOSE_PROTOCOL, "reserved");
    static const unsigned char rsv3[] = {0x91, 0x00};
    assert_refused(rsv3, sizeof rsv3, 0, NULL, 0, WS_CLOSE_PROTOCOL, "reserved");
}

static void test_unknown_opcode_is_a_protocol_error(void **state) {
    (void)state;
    static const unsigned char op3[] = {0x83, 0x00};
    assert_refused(op3, sizeof op3, 0, NULL, 0, WS_CLOSE_PROTOCOL, "opcode 3");
    static const unsigned char op11[] = {0x8b, 0x01, 'x'};
    assert_refused(op11, sizeof op11, 0, NULL, 0, WS_CLOSE_PROTOCOL, "opcode 11");
}

static void test_continuation_with_no_message_is_a_protocol_error(void **state) {
    (void)state;
    static const unsigned char in[] = {0x80, 0x02, 0x6c, 0x6f};
    assert_refused(in, sizeof in, 0, NULL, 0, WS_CLOSE_PROTOCOL, "continuation");
    /* nor after a message has ended */
    static const unsigned char after[] = {0x81, 0x01, 'a', 0x00, 0x01, 'b'};
    const event want[] = {{0, (const unsigned char *)"a", 1}};
    assert_refused(after, sizeof after, 0, want, N(want), WS_CLOSE_PROTOCOL, "continuation");
}

static void test_new_text_frame_inside_a_fragmented_message_is_a_protocol_error(void **state) {
    (void)state;
    static const unsigned char in[] = {0x01, 0x03, 0x48, 0x65, 0x6c, 0x81, 0x02, 0x6c, 0x6f};
    assert_refused(in, sizeof in, 0, NULL, 0, WS_CLOSE_PROTOCOL, "inside");
    static const unsigned char binary[] = {0x02, 0x01, 'a', 0x02, 0x01, 'b'};
    assert_refused(binary, sizeof binary, 0, NULL, 0, WS_CLOSE_PROTOCOL, "inside");
}

static void test_control_frame_with_fin_clear_is_a_protocol_error(void **state) {
    (void)state;
    static const unsigned char in[] = {0x09, 0x00};
    assert_refused(in, sizeof in, 0, NULL, 0, WS_CLOSE_PROTOCOL, "fragmented");
}

static void test_control_frame_of_126_bytes_is_a_protocol_error(void **state) {
    (void)state;
    unsigned char in[4 + 126];
    in[0] = 0x89, in[1] = 0x7e, in[2] = 0x00, in[3] = 126;
    memset(in + 4, 'p', 126);
    assert_refused(in, sizeof in, 0, NULL, 0, WS_CLOSE_PROTOCOL, "125");
    /* 125 is allowed */
    unsigned char ok[2 + 125];
    ok[0] = 0x89, ok[1] = 125;
    memset(ok + 2, 'p', 125);
    const event want[] = {{WS_PING, ok + 2, 125}};
    char why[256];
    read_every_way(ok, sizeof ok, 0, want, N(want), 0, why, sizeof why);
}

static void test_64_bit_length_with_its_top_bit_set_is_a_protocol_error(void **state) {
    (void)state;
    static const unsigned char in[] = {0x82, 0x7f, 0x80, 0, 0, 0, 0, 0, 0, 0, 'x'};
    assert_refused(in, sizeof in, 0, NULL, 0, WS_CLOSE_PROTOCOL, "top bit");
}

static void test_message_over_max_message_is_too_big(void **state) {
    (void)state;
    static const unsigned char hello[] = {0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f};
    assert_refused(hello, sizeof hello, 4, NULL, 0, WS_CLOSE_TOO_BIG, "over 4 bytes");
    /* in fragments, each under the limit, adding up to over it */
    static const unsigned char frag[] = {0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f};
    assert_refused(frag, sizeof frag, 4, NULL, 0, WS_CLOSE_TOO_BIG, "over 4 bytes");
    /* exactly the limit is fine, whole or in fragments */
    const event want[] = {{0, HELLO, 5}};
    char why[256];
    read_every_way(hello, sizeof hello, 5, want, N(want), 0, why, sizeof why);
    read_every_way(frag, sizeof frag, 5, want, N(want), 0, why, sizeof why);
    /* a 64-bit length far past the default 16 MiB, with no payload behind it */
    static const unsigned char huge[] = {0x82, 0x7f, 0, 0, 0, 0x01, 0, 0, 0, 0};
    assert_refused(huge, sizeof huge, 0, NULL, 0, WS_CLOSE_TOO_BIG, "over 16777216 bytes");
}

static void test_close_frame_ends_reading_until_reset(void **state) {
    (void)state;
    /* close 1000, then a message that must be ignored, then a masked frame (an error if read) */
    static const unsigned char in[] = {0x88, 0x02, 0x03, 0xe8, 0x81, 0x05, 0x48, 0x65, 0x6c,
                                       0x6c, 0x6f, 0x81, 0x85, 0,    0,    0,    0};
    static const unsigned char code[] = {0x03, 0xe8};
    const event want[] = {{WS_CLOSE, code, 2}};
    char why[256];
    read_every_way(in, sizeof in, 0, want, N(want), 0, why, sizeof why);

    ws_reader r;
    memset(&r, 0, sizeof r);
    checker c = {want, N(want), 0, ""};
    ws_frame_events ev = {on_message, on_control, &c};
    int rc1 = ws_reader_feed(&r, in, 11, &ev, why, sizeof why);
    int rc2 = ws_reader_feed(&r, in + 4, 7, &ev, why, sizeof why); /* still closed */
    size_t got_closed = c.got;
    ws_reader_reset(&r);
    const event hello[] = {{0, HELLO, 5}};
    checker c2 = {hello, N(hello), 0, ""};
    ev.ctx = &c2;
    int rc3 = ws_reader_feed(&r, in + 4, 7, &ev, why, sizeof why);
    ws_reader_free(&r);
    assert_int_equal(rc1, 0);
    assert_int_equal(rc2, 0);
    assert_int_equal(got_closed, 1);
    assert_string_equal(c.bad, "");
    assert_int_equal(rc3, 0);
    assert_int_equal(c2.got, 1);
    assert_string_equal(c2.bad, "");
}

static void test_reset_forgets_a_partial_frame_and_message(void **state) {
    (void)state;
    ws_reader r;
    memset(&r, 0, sizeof r);
    char why[256];
    const event want[] = {{0, HELLO, 5}};
    checker c = {want, N(want), 0, ""};
    ws_frame_events ev = {on_message, on_control, &c};
    /* a first fragment, then half of a next header: a dropped connection */
    static const unsigned char cut[] = {0x01, 0x03, 0x48, 0x65, 0x6c, 0x80};
    int rc1 = ws_reader_feed(&r, cut, sizeof cut, &ev, why, sizeof why);
    ws_reader_reset(&r);
    static const unsigned char hello[] = {0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f};
    int rc2 = ws_reader_feed(&r, hello, 3, &ev, why, sizeof why);
    int rc3 = ws_reader_feed(&r, hello + 3, 4, &ev, why, sizeof why);
    ws_reader_free(&r);
    assert_int_equal(rc1, 0);
    assert_int_equal(rc2, 0);
    assert_int_equal(rc3, 0);
    assert_int_equal(c.got, 1);
    assert_string_equal(c.bad, "");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha1_of_abc_is_the_fips_value),
        cmocka_unit_test(test_sha1_of_nothing_is_the_fips_value),
        cmocka_unit_test(test_sha1_of_56_bytes_pads_into_a_second_block),
        cmocka_unit_test(test_sha1_of_a_million_a_is_the_fips_value),
        cmocka_unit_test(test_sha1_at_the_block_and_padding_edges),
        cmocka_unit_test(test_base64_gives_the_rfc4648_vectors),
        cmocka_unit_test(test_handshake_accepts_the_rfc6455_example),
        cmocka_unit_test(test_handshake_headers_are_read_in_any_case_and_connection_as_a_list),
        cmocka_unit_test(test_handshake_refuses_a_200_or_404_naming_the_status_line),
        cmocka_unit_test(test_handshake_refuses_a_wrong_accept_value),
        cmocka_unit_test(test_handshake_refuses_a_101_without_upgrade),
        cmocka_unit_test(test_handshake_refuses_an_extension_we_did_not_offer),
        cmocka_unit_test(test_handshake_refuses_what_is_not_http),
        cmocka_unit_test(test_handshake_end_is_just_past_the_blank_line),
        cmocka_unit_test(test_handshake_request_key_is_the_base64_of_the_nonce),
        cmocka_unit_test(test_handshake_request_host_has_a_port_only_off_the_default),
        cmocka_unit_test(test_handshake_request_too_big_for_the_buffer_gives_0),
        cmocka_unit_test(test_encode_masked_hello_is_the_rfc6455_example),
        cmocka_unit_test(test_encode_256_bytes_uses_the_16_bit_length),
        cmocka_unit_test(test_encode_65536_bytes_uses_the_64_bit_length),
        cmocka_unit_test(test_a_piece_ending_with_a_header_gathers_nothing_safely),
        cmocka_unit_test(test_read_unmasked_hello),
        cmocka_unit_test(test_read_fragmented_hello_is_one_message),
        cmocka_unit_test(test_read_unmasked_ping_is_a_control_with_its_payload),
        cmocka_unit_test(test_read_empty_frames),
        cmocka_unit_test(test_read_256_byte_binary_with_16_bit_length),
        cmocka_unit_test(test_read_65536_byte_binary_with_64_bit_length),
        cmocka_unit_test(test_ping_between_fragments_is_delivered_and_the_message_joins),
        cmocka_unit_test(test_several_messages_in_one_piece_come_in_order),
        cmocka_unit_test(test_masked_server_frame_is_a_protocol_error),
        cmocka_unit_test(test_reserved_bit_is_a_protocol_error),
        cmocka_unit_test(test_unknown_opcode_is_a_protocol_error),
        cmocka_unit_test(test_continuation_with_no_message_is_a_protocol_error),
        cmocka_unit_test(test_new_text_frame_inside_a_fragmented_message_is_a_protocol_error),
        cmocka_unit_test(test_control_frame_with_fin_clear_is_a_protocol_error),
        cmocka_unit_test(test_control_frame_of_126_bytes_is_a_protocol_error),
        cmocka_unit_test(test_64_bit_length_with_its_top_bit_set_is_a_protocol_error),
        cmocka_unit_test(test_message_over_max_message_is_too_big),
        cmocka_unit_test(test_close_frame_ends_reading_until_reset),
        cmocka_unit_test(test_reset_forgets_a_partial_frame_and_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
