/* Tick parsing and printing: every accepted variant, and each class of bad line. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../lib/swar_digits.h" /* private: the word-at-a-time digit masks */
#include "btcstream/tick.h"

static bs_tick parse_json_ok(const char *line) {
    bs_tick t;
    bs_error err = {{0}};
    bs_status st = bs_tick_parse(BS_FORMAT_JSONL, line, strlen(line), &t, &err);
    if (st != BS_OK) fail_msg("refused %s: %s", line, err.msg);
    return t;
}

static void expect_bad(bs_format format, const char *line, const char *reason_part) {
    bs_tick t;
    bs_error err = {{0}};
    assert_int_equal(bs_tick_parse(format, line, strlen(line), &t, &err), BS_ERR_PARSE);
    if (!strstr(err.msg, reason_part)) fail_msg("reason \"%s\" lacks \"%s\"", err.msg, reason_part);
}

static void test_seed_line_parses(void **state) {
    (void)state;
    bs_tick t =
        parse_json_ok("{\"Datetime\": \"2025-05-12T01:22:54.181814+00:00\", \"Open\": 104579, "
                      "\"High\": 104899, \"Low\": 103480, \"Close\": 104579, \"Volume\": "
                      "\"26503597248\"}");
    assert_int_equal(t.ts_us, INT64_C(1747012974181814));
    assert_true(t.open == 104579.0 && t.high == 104899.0 && t.low == 103480.0);
    assert_true(t.close == 104579.0 && t.volume == 26503597248.0);
}

static void test_numbers_equal_strtod(void **state) {
    (void)state;
    const char *texts[] = {
        "104579",         "23142.31",  "0.00039585",           "1.9265781400000002",
        "-0.5",           "1e3",       "12345678901234567890", "0.1",
        "99999.99999999", "3.14159e-2"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        double v;
        assert_int_equal(bs_number_parse(texts[i], strlen(texts[i]), &v), BS_OK);
        assert_true(v == strtod(texts[i], NULL));
    }
    /* Random decimals with up to 15 digits take the fast path; all must match strtod exactly. */
    srand(7);
    for (int i = 0; i < 100000; i++) {
        char buf[64];
        int whole = rand() % 1000000, frac_digits = rand() % 9;
        long frac = rand() % 100000000;
        snprintf(buf, sizeof buf, "%d.%0*ld", whole, frac_digits + 1,
                 frac % (long)pow(10, frac_digits + 1));
        double v;
        assert_int_equal(bs_number_parse(buf, strlen(buf), &v), BS_OK);
        if (v != strtod(buf, NULL)) fail_msg("%s parsed as %.17g", buf, v);
    }
}

/* Prices in a written line take a word-at-a-time path; every layout of digits must agree with
 * strtod, including the lengths where that path hands over to the byte loop. */
static void test_prices_of_every_digit_layout_equal_strtod(void **state) {
    (void)state;
    srand(3);
    for (int whole = 1; whole <= 16; whole++) {
        for (int fraction = 0; fraction <= 9; fraction++) {
            for (int trial = 0; trial < 200; trial++) {
                char number[40], line[512];
                int n = 0;
                for (int i = 0; i < whole; i++)
                    number[n++] = (char)('0' + (i ? rand() % 10 : 1 + rand() % 9));
                if (fraction) number[n++] = '.';
                for (int i = 0; i < fraction; i++) number[n++] = (char)('0' + rand() % 10);
                number[n] = '\0';
                snprintf(line, sizeof line,
                         "{\"Datetime\": \"2024-05-01T10:00:00.000000+00:00\", \"Open\": %s, "
                         "\"High\": %s, \"Low\": %s, \"Close\": %s, \"Volume\": \"%s\"}",
                         number, number, number, number, number);
                bs_tick t;
                bs_status st = bs_tick_parse(BS_FORMAT_JSONL, line, strlen(line), &t, NULL);
                double expected = strtod(number, NULL);
                assert_int_equal(st, BS_OK);
                if (t.close != expected || t.volume != expected)
                    fail_msg("%s read as %.17g", number, t.close);
            }
        }
    }
}

/* The sixteen-byte mask (SSE2 where built with it) and the portable eight-byte one both equal a
 * byte loop, on bytes biased towards digits and the edges of the digit range. */
static void test_digit_masks_equal_a_byte_loop(void **state) {
    (void)state;
    srand(17);
    for (int trial = 0; trial < 200000; trial++) {
        char bytes[16];
        unsigned expected = 0;
        for (int i = 0; i < 16; i++) {
            int r = rand() % 4;
            bytes[i] = (char)(r == 0 ? rand() % 256 : '0' - 1 + rand() % 12);
            if (!(bytes[i] >= '0' && bytes[i] <= '9')) expected |= 1u << i;
        }
        assert_int_equal(swar_nondigit_bits16(bytes), expected);
        unsigned portable = swar_nondigit_bits8(swar_load8(bytes)) |
                            swar_nondigit_bits8(swar_load8(bytes + 8)) << 8;
        assert_int_equal(portable, expected);
    }
}

static void test_number_refuses_nan_inf_and_junk(void **state) {
    (void)state;
    const char *bad[] = {"NaN", "nan", "Infinity", "-inf", "1e999", "0x10", "", "1.2.3", "12a"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double v;
        assert_int_equal(bs_number_parse(bad[i], strlen(bad[i]), &v), BS_ERR_PARSE);
    }
}

static void test_volume_as_number_string_or_absent(void **state) {
    (void)state;
    bs_tick a = parse_json_ok(
        "{\"Datetime\":\"2025-05-12T01:19:10.542969\",\"Close\":104000.5,\"Volume\":12.5}");
    assert_true(a.volume == 12.5);
    assert_true(a.open == 104000.5 && a.high == 104000.5 && a.low == 104000.5);
    bs_tick b = parse_json_ok("{\"Close\": 1, \"Datetime\": \"2025-05-12T01:19:10Z\", \"extra\": "
                              "[1, {\"x\": null}], \"Volume\": null}");
    assert_true(isnan(b.volume));
    assert_true(b.close == 1.0);
}

static void test_each_bad_line_class_has_a_reason(void **state) {
    (void)state;
    expect_bad(BS_FORMAT_JSONL, "{\"Datetime\": \"2025-05-12T01:22:54\", \"Close\": 1",
               "invalid JSON");
    expect_bad(BS_FORMAT_JSONL, "not json", "not a JSON object");
    expect_bad(BS_FORMAT_JSONL, "{\"Datetime\": \"2025-05-12T01:22:54\"}", "\"Close\": missing");
    expect_bad(BS_FORMAT_JSONL, "{\"Datetime\": \"2025-05-12T01:22:54\", \"Close\": \"abc\"}",
               "\"Close\": not a number");
    expect_bad(BS_FORMAT_JSONL, "{\"Datetime\": \"2025-05-12T01:22:54\", \"Close\": true}",
               "\"Close\": not a number");
    expect_bad(BS_FORMAT_JSONL, "{\"Datetime\": \"2025-05-12T01:22:54\", \"Close\": NaN}",
               "NaN or infinity");
    expect_bad(BS_FORMAT_JSONL, "{\"Datetime\": \"2025-05-12T01:22:54\", \"Close\": Infinity}",
               "NaN or infinity");
    expect_bad(BS_FORMAT_JSONL, "{\"Datetime\": \"2025-05-12T01:22:54\", \"Close\": 0}",
               "not positive");
    expect_bad(BS_FORMAT_JSONL, "{\"Datetime\": \"2025-05-12T01:22:54\", \"Close\": -5}",
               "not positive");
    expect_bad(BS_FORMAT_JSONL,
               "{\"Datetime\": \"2025-05-12T01:22:54\", \"Close\": 5, \"Low\": -1}",
               "\"Low\": price is not positive");
    expect_bad(BS_FORMAT_JSONL, "{\"Datetime\": \"12/05/2025\", \"Close\": 5}",
               "\"Datetime\": bad timestamp");
    expect_bad(BS_FORMAT_JSONL, "{\"Datetime\": 1747012974, \"Close\": 5}",
               "\"Datetime\": not a string");
    expect_bad(BS_FORMAT_JSONL, "{\"Close\": 5}", "\"Datetime\": missing");
    expect_bad(BS_FORMAT_JSONL, "{\"Datetime\": \"2025-05-12T01:22:54\", \"Close\": 5} x",
               "text after");
    char *huge = malloc(BS_MAX_LINE_BYTES + 10);
    memset(huge, ' ', BS_MAX_LINE_BYTES + 9);
    huge[BS_MAX_LINE_BYTES + 9] = '\0';
    expect_bad(BS_FORMAT_JSONL, huge, "longer than");
    free(huge);
}

static void test_csv_layouts(void **state) {
    (void)state;
    bs_tick t;
    const char *binance = "2023-03-01 00:01:00+00:00,23143.89,23148.8,23137.61,23137.77,0.881378";
    assert_int_equal(bs_tick_parse(BS_FORMAT_BINANCE_CSV, binance, strlen(binance), &t, NULL),
                     BS_OK);
    assert_int_equal(t.ts_us, INT64_C(1677628860000000));
    assert_true(t.open == 23143.89 && t.high == 23148.8 && t.low == 23137.61 &&
                t.close == 23137.77);
    const char *kraken = "1672531740,16513.41,16513.41,16513.41,16513.41,0.00039585,1";
    assert_int_equal(bs_tick_parse(BS_FORMAT_KRAKEN_CSV, kraken, strlen(kraken), &t, NULL), BS_OK);
    assert_int_equal(t.ts_us, INT64_C(1672531740000000));
    assert_true(t.close == 16513.41 && t.volume == 0.00039585);
    /* The daily layout puts close third and high, low last. */
    const char *daily = "2011-08-19 00:00:00,10.9,11.69,1.9265781400000002,1313712000,11.85,10.9";
    assert_int_equal(bs_tick_parse(BS_FORMAT_DAILY_CSV, daily, strlen(daily), &t, NULL), BS_OK);
    assert_int_equal(t.ts_us, INT64_C(1313712000000000));
    assert_true(t.open == 10.9 && t.close == 11.69 && t.high == 11.85 && t.low == 10.9);
    assert_true(t.volume == 1.9265781400000002);
    /* Headerless Binance dumps: epoch milliseconds until 2024, microseconds since 2025; one
     * instant, 2025-01-02 03:04:00 UTC, in every unit (epoch worked out with Python's datetime). */
    const char *epochs[] = {"1735787040", "1735787040000", "1735787040000000",
                            "1735787040000000000"};
    for (size_t i = 0; i < sizeof epochs / sizeof epochs[0]; i++) {
        char line[160];
        snprintf(line, sizeof line,
                 "%s,94000.5,94010,93990,94005.25,1.5,%s,141000.7,88,0.7,65800.3,0", epochs[i],
                 epochs[i]);
        assert_int_equal(bs_tick_parse(BS_FORMAT_KRAKEN_CSV, line, strlen(line), &t, NULL), BS_OK);
        assert_int_equal(t.ts_us, INT64_C(1735787040000000));
        assert_true(t.close == 94005.25 && t.volume == 1.5);
    }
    expect_bad(BS_FORMAT_KRAKEN_CSV, "1672531740,16513.41,nan,16513.41,16513.41,1,1",
               "column 3 (High)");
    expect_bad(BS_FORMAT_BINANCE_CSV, "2023-03-01 00:01:00,1,2,3", "expected 6 columns");
}

/* An epoch past 9999-12-31 cannot be written back with a four-digit year: refused, not stored
 * as another year (1672500021000000969544 was stored as 4969-06-01 and re-imported each time).
 * The last second a history can hold still parses and round-trips. */
static void test_epochs_past_year_9999_are_refused(void **state) {
    (void)state;
    expect_bad(BS_FORMAT_KRAKEN_CSV, "1672500021000000969544,1,1,1,1,1,1", "after 9999-12-31");
    /* 10000-01-01T00:00:00 in nanoseconds, the unit of epochs from 1e17 on */
    expect_bad(BS_FORMAT_KRAKEN_CSV, "253402300800000000000,1,1,1,1,1,1", "after 9999-12-31");
    expect_bad(BS_FORMAT_KRAKEN_CSV, "1e300,1,1,1,1,1,1", "after 9999-12-31");
    bs_tick t;
    const char *last = "9999-12-31 23:59:59,1,1,1,1,1";
    assert_int_equal(bs_tick_parse(BS_FORMAT_BINANCE_CSV, last, strlen(last), &t, NULL), BS_OK);
    assert_int_equal(t.ts_us, INT64_C(253402300799000000));
    char json[BS_TICK_JSON_MAX];
    size_t n = bs_tick_format_json(&t, json);
    assert_non_null(strstr(json, "\"9999-12-31T23:59:59.000000+00:00\""));
    bs_tick back;
    assert_int_equal(bs_tick_parse(BS_FORMAT_JSONL, json, n, &back, NULL), BS_OK);
    assert_int_equal(back.ts_us, t.ts_us);
}

/* Editors put a UTF-8 byte-order mark before a file's first line; that line is still a tick
 * (a JSON-lines file lost its first one), in JSON and in headerless CSV. */
static void test_byte_order_mark_before_a_line_is_skipped(void **state) {
    (void)state;
    bs_tick t;
    const char *json = "\xEF\xBB\xBF{\"Datetime\": \"2025-05-12T01:22:54Z\", \"Close\": 100}";
    assert_int_equal(bs_tick_parse(BS_FORMAT_JSONL, json, strlen(json), &t, NULL), BS_OK);
    assert_true(t.close == 100 && t.ts_us == INT64_C(1747012974000000));
    const char *kraken = "\xEF\xBB\xBF"
                         "1672531740,16513.41,16513.41,16513.41,16513.41,1,1";
    assert_int_equal(bs_tick_parse(BS_FORMAT_KRAKEN_CSV, kraken, strlen(kraken), &t, NULL), BS_OK);
    assert_int_equal(t.ts_us, INT64_C(1672531740000000));
}

static void test_named_columns_in_any_order(void **state) {
    (void)state;
    int header;
    bs_csv_layout l;
    const char *cdd = "unix,date,symbol,open,high,low,close,Volume BTC,Volume USD";
    assert_int_equal(bs_format_detect_layout(cdd, strlen(cdd), &header, &l), BS_FORMAT_NAMED_CSV);
    assert_int_equal(header, 1);
    assert_true(l.time == 0 && l.open == 3 && l.high == 4 && l.low == 5 && l.close == 6 &&
                l.volume == 7);
    bs_tick t;
    const char *row =
        "1704067260000,2024-01-01 00:01:00,BTC/USD,42001.5,42010,41990.25,42005,0.5,21002.5";
    assert_int_equal(bs_tick_parse_csv(&l, row, strlen(row), &t, NULL), BS_OK);
    assert_int_equal(t.ts_us, INT64_C(1704067260000000));
    assert_true(t.open == 42001.5 && t.high == 42010 && t.low == 41990.25 && t.close == 42005 &&
                t.volume == 0.5);

    const char *gecko = "snapped_at,price,market_cap,total_volume";
    assert_int_equal(bs_format_detect_layout(gecko, strlen(gecko), &header, &l),
                     BS_FORMAT_NAMED_CSV);
    assert_true(l.time == 0 && l.close == 1 && l.volume == 3 && l.open < 0 && l.high < 0 &&
                l.low < 0);
    const char *price = "2024-01-02 00:00:00 UTC,44000.5,8.6e11,2.1e10";
    assert_int_equal(bs_tick_parse_csv(&l, price, strlen(price), &t, NULL), BS_OK);
    assert_true(t.open == 44000.5 && t.high == 44000.5 && t.low == 44000.5 && t.volume == 2.1e10);

    const char *swapped = " \"Close\" , Time ";
    assert_int_equal(bs_format_detect_layout(swapped, strlen(swapped), &header, &l),
                     BS_FORMAT_NAMED_CSV);
    assert_true(l.time == 1 && l.close == 0 && l.volume < 0);
    const char *cells = "101.5,2024-01-01T00:00:00Z";
    assert_int_equal(bs_tick_parse_csv(&l, cells, strlen(cells), &t, NULL), BS_OK);
    assert_true(t.close == 101.5 && t.ts_us == INT64_C(1704067200000000) && isnan(t.volume));
    bs_error err = {{0}};
    assert_int_equal(bs_tick_parse_csv(&l, "101.5", 5, &t, &err), BS_ERR_PARSE);
    assert_non_null(strstr(err.msg, "expected 2 columns"));

    const char *no_close = "time,open,high,low,adj close";
    assert_int_equal(bs_format_detect_layout(no_close, strlen(no_close), &header, &l),
                     BS_FORMAT_AUTO);
}

static void test_detects_each_format(void **state) {
    (void)state;
    int header;
    assert_int_equal(bs_format_detect("{\"Datetime\": 1}", 15, &header), BS_FORMAT_JSONL);
    assert_int_equal(header, 0);
    const char *b = "open_time,open,high,low,close,volume";
    assert_int_equal(bs_format_detect(b, strlen(b), &header), BS_FORMAT_BINANCE_CSV);
    assert_int_equal(header, 1);
    const char *d = "timestamp,open,close,volume,unix_timestamp,high,low";
    assert_int_equal(bs_format_detect(d, strlen(d), &header), BS_FORMAT_DAILY_CSV);
    const char *k = "1672531200,16535.97,16535.97,16522.66,16522.66,0.01429883,2";
    assert_int_equal(bs_format_detect(k, strlen(k), &header), BS_FORMAT_KRAKEN_CSV);
    assert_int_equal(header, 0);
    assert_int_equal(bs_format_detect("hello", 5, &header), BS_FORMAT_AUTO);
}

/* The first of %.15g, %.16g, %.17g that reads back: libc's printf as the reference. */
static void printf_shortest(double v, char *buf, size_t cap) {
    for (int precision = 15; precision <= 17; precision++) {
        snprintf(buf, cap, "%.*g", precision, v);
        if (strtod(buf, NULL) == v) return;
    }
}

static void test_number_format_equals_printf_near_powers_of_ten_and_at_random(void **state) {
    (void)state;
    char ours[64], theirs[64];
    for (int e = -4; e <= 9; e++) {
        double p = pow(10, e);
        double around[] = {p, nextafter(p, 0), nextafter(nextafter(p, 0), 0), nextafter(p, 1e300),
                           -nextafter(p, 0)};
        for (size_t i = 0; i < sizeof around / sizeof around[0]; i++) {
            bs_number_format(around[i], ours, sizeof ours);
            printf_shortest(around[i], theirs, sizeof theirs);
            assert_string_equal(ours, theirs);
        }
    }
    srand(13);
    for (int i = 0; i < 300000; i++) {
        uint64_t bits = ((uint64_t)rand() << 31 ^ (uint64_t)rand()) << 22 ^ (uint64_t)rand();
        bits = (bits & 0x000FFFFFFFFFFFFFu) | (uint64_t)(1005 + rand() % 45) << 52;
        double v;
        memcpy(&v, &bits, sizeof v);
        if (i % 3 == 0) v = -v;
        bs_number_format(v, ours, sizeof ours);
        printf_shortest(v, theirs, sizeof theirs);
        if (strcmp(ours, theirs) != 0) fail_msg("%.17g: ours %s, printf %s", v, ours, theirs);
    }
}

static void test_candle_fields_and_market_are_written_and_read_back(void **state) {
    (void)state;
    bs_tick in = {INT64_C(1747012920000000), 100.5, 101, 100, 100.25, 2.5, 7,
                  INT64_C(1747012979250000)};
    char buf[BS_TICK_JSON_MAX];
    size_t n = bs_tick_format_json_market(&in, "kraken:BTC/USD", buf);
    assert_string_equal(buf, "{\"Datetime\": \"2025-05-12T01:22:00.000000+00:00\", "
                             "\"Market\": \"kraken:BTC/USD\", \"Open\": 100.5, \"High\": 101, "
                             "\"Low\": 100, \"Close\": 100.25, \"Volume\": \"2.5\", \"Trades\": 7, "
                             "\"Received\": \"2025-05-12T01:22:59.250000+00:00\"}\n");
    bs_tick out = parse_json_ok(buf);
    assert_int_equal(n, strlen(buf));
    assert_int_equal(out.trades, 7);
    assert_int_equal(out.recv_us, in.recv_us);
    assert_true(out.close == 100.25 && out.volume == 2.5);
    /* an empty minute: zero trades is written, not taken for "unknown" */
    in.trades = 0;
    in.recv_us = 0;
    bs_tick_format_json(&in, buf);
    assert_non_null(strstr(buf, "\"Trades\": 0}"));
    assert_int_equal(parse_json_ok(buf).trades, 0);
    /* a plain tick has neither field, whichever parser path reads it */
    out = parse_json_ok("{\"Datetime\": \"2025-05-12T01:22:00+00:00\", \"Open\": 1, \"High\": 1, "
                        "\"Low\": 1, \"Close\": 1}");
    assert_int_equal(out.trades, BS_TRADES_UNKNOWN);
    assert_int_equal(out.recv_us, 0);
    out = parse_json_ok("{\"Close\": 1, \"Datetime\": \"2025-05-12T01:22:00\"}");
    assert_int_equal(out.trades, BS_TRADES_UNKNOWN);
    expect_bad(BS_FORMAT_JSONL, "{\"Datetime\": \"2025-05-12\", \"Close\": 1, \"Trades\": 1.5}",
               "field \"Trades\": not a whole number");
    expect_bad(BS_FORMAT_JSONL, "{\"Datetime\": \"2025-05-12\", \"Close\": 1, \"Trades\": -1}",
               "field \"Trades\"");
    expect_bad(BS_FORMAT_JSONL, "{\"Datetime\": \"2025-05-12\", \"Close\": 1, \"Received\": 5}",
               "field \"Received\"");
}

static void test_json_output_parses_back_identically(void **state) {
    (void)state;
    bs_tick in = {INT64_C(1747012974181814), 104579,      104899.25,         0.1,
                  1.9265781400000002,        26503597248, BS_TRADES_UNKNOWN, 0};
    char buf[BS_TICK_JSON_MAX];
    size_t n = bs_tick_format_json(&in, buf);
    assert_true(n > 0 && buf[n - 1] == '\n');
    assert_non_null(strstr(buf, "\"Datetime\": \"2025-05-12T01:22:54.181814+00:00\""));
    assert_non_null(strstr(buf, "\"Open\": 104579,"));
    assert_non_null(strstr(buf, "\"Volume\": \"26503597248\""));
    bs_tick out;
    assert_int_equal(bs_tick_parse(BS_FORMAT_JSONL, buf, n - 1, &out, NULL), BS_OK);
    assert_memory_equal(&in, &out, sizeof in);
}

static void test_number_format_is_shortest_and_exact(void **state) {
    (void)state;
    char buf[64];
    const struct {
        double v;
        const char *text;
    } cases[] = {{104579, "104579"},
                 {23142.31, "23142.31"},
                 {0.1, "0.1"},
                 {-0.5, "-0.5"},
                 {0.00039585, "0.00039585"},
                 {1.9265781400000002, "1.9265781400000002"},
                 {30087.543906249997, "30087.543906249997"},
                 {0, "0"},
                 {1e20, "1e+20"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bs_number_format(cases[i].v, buf, sizeof buf);
        assert_string_equal(buf, cases[i].text);
    }
    srand(11);
    for (int i = 0; i < 200000; i++) {
        double v = (double)rand() / RAND_MAX * pow(10, rand() % 14 - 5);
        if (i % 2) v = round(v * 100) / 100;
        size_t n = bs_number_format(v, buf, sizeof buf);
        assert_true(n > 0 && strtod(buf, NULL) == v);
        char shortest[64]; /* no %.Ng with fewer digits may read back as v */
        int p = 1;
        for (; p < 17; p++) {
            snprintf(shortest, sizeof shortest, "%.*g", p, v);
            if (strtod(shortest, NULL) == v) break;
        }
        size_t sig = 0;
        for (const char *c = buf; *c && *c != 'e'; c++) sig += *c >= '0' && *c <= '9';
        const char *first = buf + strspn(buf, "-0.");
        size_t leading = 0;
        for (const char *c = buf; c < first; c++) leading += *c == '0';
        if (sig - leading > (size_t)p && strchr(buf, '.'))
            fail_msg("%s is longer than %s", buf, shortest);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_line_parses),
        cmocka_unit_test(test_numbers_equal_strtod),
        cmocka_unit_test(test_number_refuses_nan_inf_and_junk),
        cmocka_unit_test(test_volume_as_number_string_or_absent),
        cmocka_unit_test(test_each_bad_line_class_has_a_reason),
        cmocka_unit_test(test_csv_layouts),
        cmocka_unit_test(test_epochs_past_year_9999_are_refused),
        cmocka_unit_test(test_byte_order_mark_before_a_line_is_skipped),
        cmocka_unit_test(test_prices_of_every_digit_layout_equal_strtod),
        cmocka_unit_test(test_named_columns_in_any_order),
        cmocka_unit_test(test_digit_masks_equal_a_byte_loop),
        cmocka_unit_test(test_detects_each_format),
        cmocka_unit_test(test_json_output_parses_back_identically),
        cmocka_unit_test(test_candle_fields_and_market_are_written_and_read_back),
        cmocka_unit_test(test_number_format_is_shortest_and_exact),
        cmocka_unit_test(test_number_format_equals_printf_near_powers_of_ten_and_at_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
