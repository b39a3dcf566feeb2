/*
 * test_backfill.c - the REST candle backfill (backfill.h): each exchange's answer read field by
 * field from hand-written answers, the request paths, and the paging loop against a canned HTTP
 * server on 127.0.0.1 (a thread of this test): pages tile the range, fill_empty waits for a
 * later candle before calling a minute empty, the unfinished minute is never delivered,
 * Retry-After is obeyed, Kraken's 720-minute horizon is not asked for.
 */
#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "../lib/backfill_exchange.h" /* private: the exchanges' parsers and paths */
#include "btcstream/backfill.h"
#include "btcstream/timeutil.h"

#define MIN BS_US_PER_MINUTE
/* 2025-01-01T00:00:00Z, a minute boundary */
#define T0 INT64_C(1735689600000000)

/* ---- answers read field by field ------------------------------------------------------------ */

static void parse_ok(const backfill_exchange *ex, const char *body, backfill_page *page) {
    bs_error err = {{0}};
    int limited = -1;
    page->len = 0;
    assert_int_equal(ex->parse(body, strlen(body), page, &limited, &err), BS_OK);
    assert_int_equal(limited, 0);
}

static void test_binance_kline_fields_in_order_with_trades(void **state) {
    (void)state;
    backfill_page p = {0};
    parse_ok(&backfill_binance,
             "[[1735689600000,\"93000.10\",\"93010.5\",\"92990\",\"93005.25\",\"12.5\","
             "1735689659999,\"1162565.6\",321,\"6\",\"558000\",\"0\"],\n"
             " [1735689660000, \"1\", \"3\", \"0.5\", \"2\", \"0\", 1735689719999, \"0\", 0, "
             "\"0\", \"0\", \"0\"]]",
             &p);
    assert_int_equal(p.len, 2);
    assert_true(p.v[0].ts_us == T0);
    assert_true(p.v[0].open == 93000.10 && p.v[0].high == 93010.5 && p.v[0].low == 92990);
    assert_true(p.v[0].close == 93005.25 && p.v[0].volume == 12.5);
    assert_int_equal(p.v[0].trades, 321);
    assert_true(p.v[1].ts_us == T0 + MIN && p.v[1].low == 0.5 && p.v[1].trades == 0);
    parse_ok(&backfill_binance, " [ ] ", &p);
    assert_int_equal(p.len, 0);
    free(p.v);
}

static void test_coinbase_candle_is_time_low_high_open_close_volume(void **state) {
    (void)state;
    backfill_page p = {0};
    parse_ok(&backfill_coinbase,
             "[[1735689660,10,40,20,30,1.25],[1735689600,1.5,2.5,2,2.25,0.001]]", &p);
    assert_int_equal(p.len, 2); /* newest first, as sent: the loop sorts */
    assert_true(p.v[0].ts_us == T0 + MIN);
    assert_true(p.v[0].low == 10 && p.v[0].high == 40 && p.v[0].open == 20 && p.v[0].close == 30);
    assert_true(p.v[0].volume == 1.25);
    assert_int_equal(p.v[0].trades, BS_TRADES_UNKNOWN);
    assert_true(p.v[1].ts_us == T0 && p.v[1].volume == 0.001);
    free(p.v);
}

static void test_kraken_candles_under_its_own_pair_name(void **state) {
    (void)state;
    backfill_page p = {0};
    parse_ok(&backfill_kraken,
             "{\"error\":[],\"result\":{\"XXBTZUSD\":[[1735689600,\"93000.1\",\"93100\","
             "\"92900\",\"93050\",\"93020.7\",\"3.5\",17]],\"last\":1735689540}}",
             &p);
    assert_int_equal(p.len, 1);
    assert_true(p.v[0].ts_us == T0 && p.v[0].open == 93000.1 && p.v[0].high == 93100);
    assert_true(p.v[0].low == 92900 && p.v[0].close == 93050 && p.v[0].volume == 3.5);
    assert_int_equal(p.v[0].trades, 17);
    /* "last" first, then the pair: the key's order does not matter */
    parse_ok(&backfill_kraken, "{\"result\":{\"last\":1,\"XBTUSD\":[]},\"error\":[]}", &p);
    assert_int_equal(p.len, 0);
    free(p.v);
}

static void test_kraken_errors_in_the_body(void **state) {
    (void)state;
    backfill_page p = {0};
    bs_error err = {{0}};
    int limited = 0;
    const char *rate = "{\"error\":[\"EAPI:Rate limit exceeded\"]}";
    assert_int_not_equal(backfill_kraken.parse(rate, strlen(rate), &p, &limited, &err), BS_OK);
    assert_int_equal(limited, 1);
    limited = 0;
    const char *pair = "{\"error\":[\"EQuery:Unknown asset pair\"]}";
    assert_int_equal(backfill_kraken.parse(pair, strlen(pair), &p, &limited, &err), BS_ERR_HTTP);
    assert_int_equal(limited, 0);
    assert_non_null(strstr(err.msg, "EQuery:Unknown asset pair"));
    const char *none = "{\"error\":[]}";
    assert_int_equal(backfill_kraken.parse(none, strlen(none), &p, &limited, &err), BS_ERR_PARSE);
    assert_non_null(strstr(err.msg, "no \"result\""));
    free(p.v);
}

static void expect_parse_error(const backfill_exchange *ex, const char *body, const char *words) {
    backfill_page p = {0};
    bs_error err = {{0}};
    int limited = 0;
    assert_int_equal(ex->parse(body, strlen(body), &p, &limited, &err), BS_ERR_PARSE);
    if (!strstr(err.msg, words)) fail_msg("\"%s\" lacks \"%s\"", err.msg, words);
    free(p.v);
}

static void test_malformed_answers_name_the_candle_and_field(void **state) {
    (void)state;
    expect_parse_error(&backfill_binance, "{\"code\":-1121}", "not a JSON array");
    expect_parse_error(&backfill_binance, "[[1735689600000,\"1\",\"2\",\"0.5\",\"x\",\"0\"]]",
                       "candle 0: field close: not a number");
    expect_parse_error(&backfill_binance,
                       "[[1735689600000,\"1\",\"1\",\"1\",\"1\",\"0\",1,\"0\",-3]]",
                       "candle 0: field trades");
    expect_parse_error(&backfill_binance,
                       "[[1735689600000,\"1\",\"1\",\"1\",\"1\",\"0\",1,\"0\",3],[1735689660000,"
                       "\"1\"]]",
                       "candle 1: field high is missing");
    expect_parse_error(&backfill_coinbase, "[[1735689600,1,2,1,2,1]", "not valid JSON");
    expect_parse_error(&backfill_coinbase, "[[1735689600.5,1,2,1,2,1]]", "field time");
    /* times past the year 9999 are refused before they are scaled (fuzz_backfill found that) */
    expect_parse_error(&backfill_coinbase, "[[17356896000000,1,2,1,2,1]]",
                       "candle 0: field time: out of range");
    expect_parse_error(&backfill_binance, "[[17356896689659999,\"1\"]]",
                       "candle 0: field open time: out of range");
    expect_parse_error(&backfill_kraken,
                       "{\"error\":[],\"result\":{\"A\":[[1,\"1\",\"1\",\"1\",\"1\",\"1\",\"1\","
                       "1]],\"B\":[]}}",
                       "two pairs");
    /* values the parser accepts but a candle may not have */
    bs_error err = {{0}};
    bs_tick bad = {T0 + 1, 1, 2, 0.5, 1.5, 1, 1, 0};
    assert_int_equal(backfill_check_candle(&bad, 7, &err), BS_ERR_PARSE);
    assert_non_null(strstr(err.msg, "candle 7 (2025-01-01T00:00:00): its time"));
    bs_tick low = {T0, 1, 2, 1.2, 1.5, 1, 1, 0};
    assert_int_equal(backfill_check_candle(&low, 0, &err), BS_ERR_PARSE);
    bs_tick neg = {T0, 1, 2, -1, 1.5, 1, 1, 0};
    assert_int_equal(backfill_check_candle(&neg, 0, &err), BS_ERR_PARSE);
    bs_tick vol = {T0, 1, 2, 1, 1.5, NAN, 1, 0};
    assert_int_equal(backfill_check_candle(&vol, 0, &err), BS_ERR_PARSE);
    bs_tick good = {T0, 1, 2, 1, 1.5, 0, 0, 0};
    assert_int_equal(backfill_check_candle(&good, 0, &err), BS_OK);
}

static void test_request_paths(void **state) {
    (void)state;
    char path[512];
    bs_error err = {{0}};
    assert_int_equal(
        backfill_binance.page_path("btcusdt", T0, T0 + 1000 * MIN, path, sizeof path, &err), BS_OK);
    assert_string_equal(path, "/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=1735689600000"
                              "&endTime=1735749599999&limit=1000");
    assert_int_equal(
        backfill_coinbase.page_path("BTC-USD", T0, T0 + 299 * MIN, path, sizeof path, &err), BS_OK);
    assert_string_equal(path, "/products/BTC-USD/candles?granularity=60&start=2025-01-01T00:00:00Z"
                              "&end=2025-01-01T04:59:00Z");
    assert_int_equal(backfill_kraken.page_path("BTC/USD", T0, T0 + MIN, path, sizeof path, &err),
                     BS_OK);
    assert_string_equal(path, "/0/public/OHLC?pair=XBTUSD&interval=1&since=1735689599");
    assert_int_equal(backfill_kraken.page_path("ETH/BTC", T0, T0 + MIN, path, sizeof path, &err),
                     BS_OK);
    assert_string_equal(path, "/0/public/OHLC?pair=ETHXBT&interval=1&since=1735689599");
    assert_int_equal(backfill_kraken.page_path("BTCX/USD", T0, T0 + MIN, path, sizeof path, &err),
                     BS_OK);
    assert_string_equal(path, "/0/public/OHLC?pair=BTCXUSD&interval=1&since=1735689599");
    assert_int_equal(backfill_binance.page_path("BTC&x=1", T0, T0 + MIN, path, sizeof path, &err),
                     BS_ERR_ARG);
    assert_int_equal(backfill_coinbase.page_path("BTC/USD", T0, T0 + MIN, path, sizeof path, &err),
                     BS_ERR_ARG);
}

/* ---- a canned HTTP server ------------------------------------------------------------------- */

/* Writes the whole HTTP answer to request number n (0-based) for path into out. */
typedef void (*respond_fn)(int n, const char *path, char *out, size_t size);

typedef struct {
    int fd, port;
    respond_fn respond;
    pthread_t thread;
    char paths[16][512];
    int requests;
} server;

static void *serve(void *arg) {
    server *s = arg;
    static char req[8192], answer[1 << 16];
    for (;;) {
        int c = accept(s->fd, NULL, NULL);
        if (c < 0) return NULL;
        size_t got = 0;
        while (got < sizeof req - 1) {
            ssize_t r = read(c, req + got, sizeof req - 1 - got);
            if (r <= 0) break;
            got += (size_t)r;
            req[got] = '\0';
            if (strstr(req, "\r\n\r\n")) break;
        }
        req[got] = '\0';
        char path[512] = "";
        sscanf(req, "GET %511s", path);
        int n = s->requests++;
        if (n < 16) snprintf(s->paths[n], sizeof s->paths[n], "%s", path);
        s->respond(n, path, answer, sizeof answer);
        size_t len = strlen(answer), off = 0;
        while (off < len) {
            ssize_t w = write(c, answer + off, len - off);
            if (w <= 0) break;
            off += (size_t)w;
        }
        close(c);
    }
}

static void server_start(server *s, respond_fn respond) {
    memset(s, 0, sizeof *s);
    s->respond = respond;
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s->fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(s->fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(s->fd, 8), 0);
    socklen_t len = sizeof a;
    getsockname(s->fd, (struct sockaddr *)&a, &len);
    s->port = ntohs(a.sin_port);
    assert_int_equal(pthread_create(&s->thread, NULL, serve, s), 0);
}

static void server_stop(server *s) {
    shutdown(s->fd, SHUT_RDWR);
    close(s->fd);
    pthread_join(s->thread, NULL);
}

static void http_ok(char *out, size_t size, const char *body) {
    snprintf(out, size,
             "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
             "Connection: close\r\n\r\n%s",
             strlen(body), body);
}

/* Binance klines for the window the path asks, minute m (from T0) closing at 100 + m, except the
 * minutes of `missing`; the minute 9 (the test's "now") is there too, unfinished. */
static const int missing[] = {0, 2, 3, 8};

static int is_missing(int64_t m) {
    for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++)
        if (missing[i] == m) return 1;
    return 0;
}

static void klines(int n, const char *path, char *out, size_t size) {
    (void)n;
    long long start = 0, end = 0;
    const char *s = strstr(path, "startTime="), *e = strstr(path, "endTime=");
    assert_non_null(s);
    assert_non_null(e);
    start = atoll(s + 10), end = atoll(e + 8);
    char body[8192] = "[";
    for (long long ms = start; ms <= end && ms <= T0 / 1000 + 9 * 60000; ms += 60000) {
        int64_t m = (ms * 1000 - T0) / MIN;
        if (is_missing(m)) continue;
        size_t used = strlen(body);
        snprintf(body + used, sizeof body - used,
                 "%s[%lld,\"%d\",\"%d\",\"%d\",\"%d\",\"1\",0,\"0\",%d]", used > 1 ? "," : "", ms,
                 (int)(100 + m), (int)(100 + m), (int)(100 + m), (int)(100 + m), (int)m + 1);
    }
    strcat(body, "]");
    http_ok(out, size, body);
}

typedef struct {
    bs_tick got[64];
    size_t n;
    int64_t untils[16];
    size_t calls;
} pages;

static bs_status on_page(void *ctx, const bs_tick *candles, size_t n, int64_t until_us,
                         bs_error *err) {
    (void)err;
    pages *p = ctx;
    for (size_t i = 0; i < n && p->n < 64; i++) p->got[p->n++] = candles[i];
    if (p->calls < 16) p->untils[p->calls] = until_us;
    p->calls++;
    return BS_OK;
}

static bs_backfill_options local_opts(const server *s, char *url, size_t size) {
    snprintf(url, size, "http://127.0.0.1:%d", s->port);
    bs_backfill_options o = bs_backfill_defaults();
    o.base_url = url;
    o.now_us = T0 + 9 * MIN + 30 * BS_US_PER_SECOND; /* minute 9 is unfinished */
    o.page_minutes = 3;
    o.timeout_ms = 5000;
    return o;
}

static void test_fill_waits_for_a_later_candle_and_pages_tile_the_range(void **state) {
    (void)state;
    server s;
    server_start(&s, klines);
    char url[64];
    bs_backfill_options o = local_opts(&s, url, sizeof url);
    o.fill_empty = 1;
    pages p = {0};
    bs_backfill_stats st;
    bs_error err = {{0}};
    /* to is past now: cut to minute 9, the unfinished one, exclusive */
    assert_int_equal(
        bs_backfill_fetch("binance:BTCUSDT", T0, T0 + 60 * MIN, &o, on_page, &p, &st, &err), BS_OK);
    server_stop(&s);
    assert_int_equal(s.requests, 3); /* [0,3) [3,6) [6,9) */
    assert_string_equal(s.paths[1], "/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime="
                                    "1735689780000&endTime=1735689959999&limit=3");
    /* Minute 0 leads (never invented), 2 and 3 lie between candles 1 and 4 (filled with 1's
     * close, though 2 ended page 1: page 1 stopped at 2), 8 trails (absent). */
    static const int want[] = {1, 2, 3, 4, 5, 6, 7};
    static const int trades[] = {2, 0, 0, 5, 6, 7, 8};
    static const int close[] = {101, 101, 101, 104, 105, 106, 107};
    assert_int_equal(p.n, 7);
    for (size_t i = 0; i < 7; i++) {
        assert_true(p.got[i].ts_us == T0 + want[i] * MIN);
        assert_int_equal(p.got[i].trades, trades[i]);
        assert_true(p.got[i].close == close[i] && p.got[i].open == close[i]);
        assert_true(p.got[i].volume == (trades[i] ? 1 : 0));
    }
    assert_int_equal(p.calls, 4);
    int64_t untils[] = {T0 + 2 * MIN, T0 + 6 * MIN, T0 + 8 * MIN, T0 + 9 * MIN};
    for (size_t i = 0; i < 4; i++) assert_true(p.untils[i] == untils[i]);
    assert_int_equal(st.candles, 5);
    assert_int_equal(st.filled, 2);
    assert_int_equal(st.absent, 2);
    assert_int_equal(st.pages, 3);
    assert_int_equal(st.pages_planned, 3);
    assert_true(st.to_us == T0 + 9 * MIN && st.done_us == T0 + 9 * MIN);
}

static void test_without_fill_missing_minutes_are_absent(void **state) {
    (void)state;
    server s;
    server_start(&s, klines);
    char url[64];
    bs_backfill_options o = local_opts(&s, url, sizeof url);
    bs_tick *all = NULL;
    size_t n = 0;
    int64_t until = 0;
    bs_backfill_stats st;
    bs_error err = {{0}};
    assert_int_equal(bs_backfill_collect("binance:BTCUSDT", T0 + 30 * BS_US_PER_SECOND,
                                         T0 + 9 * MIN, &o, &all, &n, &until, &st, &err),
                     BS_OK);
    server_stop(&s);
    assert_int_equal(n, 5); /* 1 4 5 6 7 */
    assert_true(all[0].ts_us == T0 + MIN && all[4].ts_us == T0 + 7 * MIN);
    assert_true(until == T0 + 9 * MIN);
    assert_int_equal(st.absent, 4);
    assert_int_equal(st.filled, 0);
    free(all);
}

static void retry_after_once(int n, const char *path, char *out, size_t size) {
    if (n == 0)
        snprintf(out, size,
                 "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nContent-Length: 2\r\n"
                 "Connection: close\r\n\r\n{}");
    else klines(n, path, out, size);
}

static void test_retry_after_is_obeyed_then_the_same_page_asked(void **state) {
    (void)state;
    server s;
    server_start(&s, retry_after_once);
    char url[64];
    bs_backfill_options o = local_opts(&s, url, sizeof url);
    pages p = {0};
    bs_backfill_stats st;
    bs_error err = {{0}};
    int64_t t = bs_monotonic_us();
    assert_int_equal(bs_backfill_fetch("binance:BTCUSDT", T0 + 4 * MIN, T0 + 6 * MIN, &o, on_page,
                                       &p, &st, &err),
                     BS_OK);
    int64_t took = bs_monotonic_us() - t;
    server_stop(&s);
    assert_int_equal(s.requests, 2);
    assert_string_equal(s.paths[0], s.paths[1]);
    assert_true(took >= 1000000);
    assert_true(st.waited_ms >= 1000);
    assert_int_equal(st.rate_limited, 1);
    assert_int_equal(st.retries, 1);
    assert_int_equal(p.n, 2);
}

static void test_stop_flag_stops_before_a_request(void **state) {
    (void)state;
    server s;
    server_start(&s, klines);
    char url[64];
    bs_backfill_options o = local_opts(&s, url, sizeof url);
    atomic_int stop = 1;
    o.stop = &stop;
    pages p = {0};
    bs_error err = {{0}};
    assert_int_equal(
        bs_backfill_fetch("binance:BTCUSDT", T0, T0 + 6 * MIN, &o, on_page, &p, NULL, &err),
        BS_ERR_INTERRUPTED);
    server_stop(&s);
    assert_int_equal(s.requests, 0);
}

/* Page 1 with Binance's weight header near its 6000-a-minute budget, then normal pages. */
static void heavy_weight(int n, const char *path, char *out, size_t size) {
    klines(n, path, out, size);
    if (n > 0) return;
    char *headers_end = strstr(out, "\r\n");
    char rest[1 << 16];
    snprintf(rest, sizeof rest, "%s", headers_end);
    snprintf(headers_end, size - (size_t)(headers_end - out), "\r\nX-MBX-USED-WEIGHT-1M: 5000%s",
             rest);
}

static void *stop_soon(void *arg) {
    usleep(200000);
    atomic_store((atomic_int *)arg, 1);
    return NULL;
}

static void test_binance_weight_near_its_budget_waits_for_the_next_minute(void **state) {
    (void)state;
    server s;
    server_start(&s, heavy_weight);
    char url[64];
    bs_backfill_options o = local_opts(&s, url, sizeof url);
    atomic_int stop = 0;
    o.stop = &stop;
    pages p = {0};
    bs_error err = {{0}};
    /* the wait runs to the wall clock's next minute: keep clear of a minute's last second */
    int64_t into = bs_now_us() % MIN;
    if (into > MIN - 2 * BS_US_PER_SECOND) usleep((useconds_t)(MIN - into + 100000));
    pthread_t t;
    pthread_create(&t, NULL, stop_soon, &stop);
    /* two pages; after the first the budget is 83% used: the second waits (up to a minute),
     * and the stop flag ends the wait before it is asked */
    assert_int_equal(bs_backfill_fetch("binance:BTCUSDT", T0 + 3 * MIN, T0 + 9 * MIN, &o, on_page,
                                       &p, NULL, &err),
                     BS_ERR_INTERRUPTED);
    pthread_join(t, NULL);
    server_stop(&s);
    assert_int_equal(s.requests, 1);
    assert_int_equal(p.calls, 1); /* the first page is delivered */
    assert_int_equal(p.n, 2);     /* minutes 4 and 5 */
}

static void kraken_answer(int n, const char *path, char *out, size_t size) {
    (void)n, (void)path;
    http_ok(out, size,
            "{\"error\":[],\"result\":{\"XXBTZUSD\":[[1735732740,\"5\",\"5\",\"5\",\"5\",\"5\","
            "\"1\",1]],\"last\":0}}");
}

static void test_kraken_minutes_past_its_horizon_are_not_asked(void **state) {
    (void)state;
    server s;
    server_start(&s, kraken_answer);
    char url[64];
    bs_backfill_options o = local_opts(&s, url, sizeof url);
    o.page_minutes = 0;
    o.now_us = T0 + 1000 * MIN + BS_US_PER_SECOND * 30; /* oldest kept: minute 281 */
    pages p = {0};
    bs_backfill_stats st;
    bs_error err = {{0}};
    assert_int_equal(
        bs_backfill_fetch("kraken:BTC/USD", T0, T0 + 900 * MIN, &o, on_page, &p, &st, &err), BS_OK);
    server_stop(&s);
    assert_int_equal(s.requests, 1);
    char want[128];
    snprintf(want, sizeof want, "/0/public/OHLC?pair=XBTUSD&interval=1&since=%lld",
             (long long)((T0 + 281 * MIN) / BS_US_PER_SECOND - 1));
    assert_string_equal(s.paths[0], want);
    assert_int_equal(st.unavailable, 281);
    assert_true(p.untils[0] == T0 + 281 * MIN);
    assert_int_equal(p.n, 1); /* minute 719 (1735732740) */
    assert_true(p.got[0].ts_us == INT64_C(1735732740) * BS_US_PER_SECOND);
}

static void test_unknown_source_and_backwards_range(void **state) {
    (void)state;
    pages p = {0};
    bs_error err = {{0}};
    assert_int_equal(
        bs_backfill_fetch("coingecko:bitcoin/usd", T0, T0 + MIN, NULL, on_page, &p, NULL, &err),
        BS_ERR_UNSUPPORTED);
    assert_non_null(strstr(err.msg, "coingecko"));
    assert_int_equal(
        bs_backfill_fetch("binance:BTCUSDT", T0 + MIN, T0 + MIN - 1, NULL, on_page, &p, NULL, &err),
        BS_ERR_ARG);
    assert_non_null(strstr(err.msg, "backwards"));
    /* no whole minute: nothing to do, no request (no server here), not an error */
    bs_backfill_stats st;
    assert_int_equal(bs_backfill_fetch("binance:BTCUSDT", T0 + MIN, T0 + 90 * BS_US_PER_SECOND,
                                       NULL, on_page, &p, &st, &err),
                     BS_OK);
    assert_int_equal(st.requests, 0);
    assert_true(st.done_us == T0 + MIN && st.to_us == T0 + MIN);
    assert_int_equal(bs_backfill_fetch("nocolon", T0, T0 + MIN, NULL, on_page, &p, NULL, &err),
                     BS_ERR_ARG);
    assert_int_equal(p.calls, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_binance_kline_fields_in_order_with_trades),
        cmocka_unit_test(test_coinbase_candle_is_time_low_high_open_close_volume),
        cmocka_unit_test(test_kraken_candles_under_its_own_pair_name),
        cmocka_unit_test(test_kraken_errors_in_the_body),
        cmocka_unit_test(test_malformed_answers_name_the_candle_and_field),
        cmocka_unit_test(test_request_paths),
        cmocka_unit_test(test_fill_waits_for_a_later_candle_and_pages_tile_the_range),
        cmocka_unit_test(test_without_fill_missing_minutes_are_absent),
        cmocka_unit_test(test_retry_after_is_obeyed_then_the_same_page_asked),
        cmocka_unit_test(test_stop_flag_stops_before_a_request),
        cmocka_unit_test(test_binance_weight_near_its_budget_waits_for_the_next_minute),
        cmocka_unit_test(test_kraken_minutes_past_its_horizon_are_not_asked),
        cmocka_unit_test(test_unknown_source_and_backwards_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
