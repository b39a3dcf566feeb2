/*
 * tick.c - parsing ticks from JSON lines and CSV rows, and printing them back as JSON lines.
 *
 * This is the innermost loop of every load (ten million lines is an ordinary history), so the
 * JSON parser is a small hand-written one for flat objects: it walks the line once, validates
 * the JSON it passes over (unknown keys included) and converts numbers with a fast exact path.
 * Any line it cannot fully trust is refused with a reason naming the field; it never guesses.
 */
#include "btcstream/tick.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btcstream/market.h"
#include "btcstream/timeutil.h"
#include "json_scan.h"
#include "number_parse.h"
#include "swar_digits.h"
#include "tick_fast.h"

static int is_digit(char c) { return number_is_digit(c); }

const char *bs_format_name(bs_format format) {
    switch (format) {
    case BS_FORMAT_AUTO: return "unknown";
    case BS_FORMAT_JSONL: return "JSON lines";
    case BS_FORMAT_BINANCE_CSV: return "OHLCV CSV (Binance klines)";
    case BS_FORMAT_KRAKEN_CSV: return "headerless OHLCVT CSV (Kraken)";
    case BS_FORMAT_DAILY_CSV: return "daily candle CSV";
    case BS_FORMAT_NAMED_CSV: return "CSV with named columns";
    case BS_FORMAT_MARKET_CHART: return "CoinGecko market_chart JSON";
    }
    return "unknown";
}

/* Whether s (len bytes) starts with the first n bytes of prefix (lower case), ignoring case. */
static int starts_with_n_ci(const char *s, size_t len, const char *prefix, size_t n) {
    if (len < n) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != prefix[i]) return 0;
    }
    return 1;
}

static int starts_with_ci(const char *s, size_t len, const char *prefix) {
    return starts_with_n_ci(s, len, prefix, strlen(prefix));
}

/* ---- CSV with named columns ------------------------------------------------------------ */

#define CSV_MAX_FIELDS 16

typedef struct {
    const char *s;
    size_t n;
} slice;

static size_t split_csv(const char *line, size_t len, slice *fields);

/* The first column named like one of names (a name ending in '*' matches as a prefix), or -1. */
static int find_column(const slice *cells, size_t count, const char *const *names) {
    for (size_t c = 0; c < count; c++) {
        for (const char *const *name = names; *name; name++) {
            size_t n = strlen(*name);
            int prefix = (*name)[n - 1] == '*';
            if (prefix ? starts_with_n_ci(cells[c].s, cells[c].n, *name, n - 1)
                       : cells[c].n == n && starts_with_ci(cells[c].s, cells[c].n, *name))
                return (int)c;
        }
    }
    return -1;
}

static int named_layout(const char *line, size_t len, bs_csv_layout *layout) {
    static const char *const time_names[] = {"datetime",   "timestamp", "date", "time",
                                             "open_time",  "open time", "unix", "unix_timestamp",
                                             "snapped_at", NULL};
    static const char *const open_names[] = {"open", NULL}, *const high_names[] = {"high", NULL},
                             *const low_names[] = {"low", NULL};
    static const char *const close_names[] = {"close", "price", NULL};
    static const char *const volume_names[] = {"volume*", "total_volume", NULL};
    if (len == 0 ||
        !((*line >= 'A' && *line <= 'Z') || (*line >= 'a' && *line <= 'z') || *line == '"'))
        return 0;
    slice cells[CSV_MAX_FIELDS];
    size_t count = split_csv(line, len, cells);
    bs_csv_layout l = {
        find_column(cells, count, time_names),  find_column(cells, count, open_names),
        find_column(cells, count, high_names),  find_column(cells, count, low_names),
        find_column(cells, count, close_names), find_column(cells, count, volume_names)};
    if (count < 2 || l.time < 0 || l.close < 0) return 0;
    *layout = l;
    return 1;
}

bs_format bs_format_detect(const char *line, size_t len, int *has_header) {
    bs_csv_layout unused;
    return bs_format_detect_layout(line, len, has_header, &unused);
}

bs_format bs_format_detect_layout(const char *line, size_t len, int *has_header,
                                  bs_csv_layout *layout) {
    *has_header = 0;
    while (len > 0 && (*line == ' ' || *line == '\t')) line++, len--;
    /* A UTF-8 byte-order mark is common in CSVs saved by spreadsheets. */
    if (len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) line += 3, len -= 3;
    if (len > 0 && line[0] == '{') return BS_FORMAT_JSONL;
    if (starts_with_ci(line, len, "timestamp,open,close,volume,unix_timestamp,high,low")) {
        *has_header = 1;
        return BS_FORMAT_DAILY_CSV;
    }
    if (starts_with_ci(line, len, "open_time,open,high,low,close")) {
        *has_header = 1;
        return BS_FORMAT_BINANCE_CSV;
    }
    if (len > 0 && is_digit(line[0])) {
        size_t commas = 0;
        for (size_t i = 0; i < len; i++) commas += line[i] == ',';
        if (commas >= 5) return BS_FORMAT_KRAKEN_CSV;
    }
    if (named_layout(line, len, layout)) {
        *has_header = 1;
        return BS_FORMAT_NAMED_CSV;
    }
    return BS_FORMAT_AUTO;
}

/* Whether a JSON document starts with one of the market_chart keys (whitespace allowed). */
static int is_market_chart(const char *p, size_t len) {
    static const char *const keys[] = {"\"prices\"", "\"market_caps\"", "\"total_volumes\""};
    size_t i = 0;
    while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')) i++;
    if (i == len || p[i++] != '{') return 0;
    while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')) i++;
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
        if (len - i >= strlen(keys[k]) && memcmp(p + i, keys[k], strlen(keys[k])) == 0) return 1;
    return 0;
}

/* A line of one cell (no comma) that is not a number: a preamble such as a URL. */
static int is_preamble(const char *line, size_t len) {
    return len > 0 && !memchr(line, ',', len) && !is_digit(line[0]) && line[0] != '{';
}

bs_format bs_format_detect_head(const char *head, size_t len, int *header_lines,
                                bs_csv_layout *layout) {
    *header_lines = 0;
    const char *p = head;
    size_t n = len;
    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3, n -= 3;
    if (is_market_chart(p, n)) return BS_FORMAT_MARKET_CHART;
    const char *nl = memchr(head, '\n', len);
    size_t first = nl ? (size_t)(nl - head) : len;
    int has_header = 0;
    bs_format f = bs_format_detect_layout(head, first, &has_header, layout);
    if (f != BS_FORMAT_AUTO || !nl) {
        *header_lines = has_header;
        return f;
    }
    /* CryptoDataDownload puts its URL on the line before the header. */
    size_t shown = first > 0 && head[first - 1] == '\r' ? first - 1 : first;
    if (!is_preamble(head, shown)) return BS_FORMAT_AUTO;
    const char *second = nl + 1, *end = head + len;
    const char *nl2 = memchr(second, '\n', (size_t)(end - second));
    size_t second_len = nl2 ? (size_t)(nl2 - second) : (size_t)(end - second);
    if (second_len > 0 && second[second_len - 1] == '\r') second_len--;
    f = bs_format_detect_layout(second, second_len, &has_header, layout);
    if (f == BS_FORMAT_AUTO || !has_header) return BS_FORMAT_AUTO;
    *header_lines = 2;
    return f;
}

/* ---- JSON -------------------------------------------------------------------------------- */

/* The price fields (also CSV columns), then the fields only JSON lines carry. */
enum {
    F_DATETIME,
    F_OPEN,
    F_HIGH,
    F_LOW,
    F_CLOSE,
    F_VOLUME,
    F_COUNT,
    F_TRADES = F_COUNT,
    F_RECEIVED,
    F_MARKET,
    F_UNKNOWN
};
static const char *const field_names[] = {"Datetime", "Open",   "High",     "Low",   "Close",
                                          "Volume",   "Trades", "Received", "Market"};

static int field_of(const char *s, size_t n) {
    for (int f = 0; f < F_UNKNOWN; f++)
        if (strlen(field_names[f]) == n && memcmp(field_names[f], s, n) == 0) return f;
    return F_UNKNOWN;
}

static bs_status field_error(bs_error *err, int field, const char *why) {
    return bs_fail(err, BS_ERR_PARSE, "field \"%s\": %s", field_names[field], why);
}

/* Reads a number value (a JSON number, or a string holding one); *present = 0 for null. */
static bs_status read_number_field(cursor *c, int field, double *out, int *present, bs_error *err) {
    const char *s;
    size_t n;
    if (c->p < c->end && *c->p == '"') {
        if (!json_read_string(c, &s, &n)) return bs_fail(err, BS_ERR_PARSE, "invalid JSON string");
    } else {
        json_read_token(c, &s, &n);
        if (n == 4 && memcmp(s, "null", 4) == 0) {
            *present = 0;
            return BS_OK;
        }
    }
    if (bs_number_parse(s, n, out) != BS_OK) {
        int nan_or_inf = (n >= 3 && (memcmp(s, "NaN", 3) == 0 || memcmp(s, "nan", 3) == 0)) ||
                         memchr(s, 'I', n) || memchr(s, 'i', n);
        return field_error(err, field, nan_or_inf ? "NaN or infinity" : "not a number");
    }
    *present = 1;
    return BS_OK;
}

static bs_status read_datetime(cursor *c, int64_t *ts, bs_error *err) {
    const char *s;
    size_t n;
    if (c->p >= c->end || *c->p != '"') return field_error(err, F_DATETIME, "not a string");
    if (!json_read_string(c, &s, &n)) return bs_fail(err, BS_ERR_PARSE, "invalid JSON string");
    bs_error time_err = {{0}};
    if (bs_time_parse(s, n, ts, err ? &time_err : NULL) != BS_OK)
        return field_error(err, F_DATETIME, time_err.msg);
    return BS_OK;
}

/* Fills defaults for missing fields and checks that every price is a positive number. */
static bs_status finish_tick(bs_tick *t, const int *present, bs_error *err) {
    if (!present[F_DATETIME]) return field_error(err, F_DATETIME, "missing");
    if (!present[F_CLOSE]) return field_error(err, F_CLOSE, "missing");
    if (!present[F_OPEN]) t->open = t->close;
    if (!present[F_HIGH]) t->high = t->close;
    if (!present[F_LOW]) t->low = t->close;
    if (!present[F_VOLUME]) t->volume = NAN;
    /* Close first: when Open/High/Low were defaulted from it, the message names the real culprit.
     */
    const double prices[] = {t->close, t->open, t->high, t->low};
    const int fields[] = {F_CLOSE, F_OPEN, F_HIGH, F_LOW};
    for (int i = 0; i < 4; i++)
        if (!(prices[i] > 0)) return field_error(err, fields[i], "price is not positive");
    if (present[F_VOLUME] && t->volume < 0) return field_error(err, F_VOLUME, "negative volume");
    return BS_OK;
}

/* "Trades": a whole number of trades, at least 0. */
static bs_status read_trades(cursor *c, int64_t *trades, bs_error *err) {
    double v;
    int present = 0;
    bs_status st = read_number_field(c, F_TRADES, &v, &present, err);
    if (st != BS_OK) return st;
    if (!present) return BS_OK;
    if (!(v >= 0 && v <= 9e15) || v != (double)(int64_t)v)
        return field_error(err, F_TRADES, "not a whole number of trades");
    *trades = (int64_t)v;
    return BS_OK;
}

/* "Market": a market name (market.h), checked; copied to market (BS_MARKET_MAX) when not NULL. */
static bs_status read_market(cursor *c, char *market, bs_error *err) {
    const char *s;
    size_t n;
    char name[BS_MARKET_MAX];
    if (c->p >= c->end || *c->p != '"') return field_error(err, F_MARKET, "not a string");
    if (!json_read_string(c, &s, &n)) return bs_fail(err, BS_ERR_PARSE, "invalid JSON string");
    if (n >= sizeof name) return field_error(err, F_MARKET, "not a market (too long)");
    memcpy(name, s, n);
    name[n] = '\0';
    bs_error why = {{0}};
    if (memchr(s, '\\', n) || bs_market_check(name, &why) != BS_OK)
        return field_error(err, F_MARKET, why.msg[0] ? why.msg : "not a market (escaped)");
    if (market) memcpy(market, name, n + 1);
    return BS_OK;
}

static bs_status read_field(cursor *c, int field, bs_tick *t, int *present, char *market,
                            bs_error *err) {
    double *slots[] = {NULL, &t->open, &t->high, &t->low, &t->close, &t->volume};
    if (field == F_MARKET) return read_market(c, market, err);
    if (field == F_DATETIME) {
        present[field] = 1;
        return read_datetime(c, &t->ts_us, err);
    }
    if (field == F_TRADES) return read_trades(c, &t->trades, err);
    if (field == F_RECEIVED) {
        bs_status st = read_datetime(c, &t->recv_us, err);
        return st == BS_OK || !err ? st : field_error(err, F_RECEIVED, "not a time");
    }
    if (field == F_UNKNOWN)
        return json_skip_value(c, 1) ? BS_OK : bs_fail(err, BS_ERR_PARSE, "invalid JSON value");
    return read_number_field(c, field, slots[field], &present[field], err);
}

/* The fast path for canonical lines (tick_fast.h): fixed text between the values. */
static const char *expect_text(const char *p, const char *end, const char *text, size_t n) {
    return (size_t)(end - p) >= n && memcmp(p, text, n) == 0 ? p + n : NULL;
}

#define EXPECT(p, text) ((p) ? expect_text((p), end, (text), sizeof(text) - 1) : NULL)
#define DECIMAL(p, out) ((p) ? number_fast_decimal((p), end, (out)) : NULL)

const char *bs_tick_parse_canonical(const char *line, const char *end, bs_tick *t) {
    const char *p = EXPECT(line, "{\"Datetime\": \"");
    if (!p) return NULL;
    t->trades = BS_TRADES_UNKNOWN;
    t->recv_us = 0;
    const char *quote = end - p > 32 && p[32] == '"' /* the length btcstream writes */
                            ? p + 32
                            : memchr(p, '"', (size_t)(end - p) < 40 ? (size_t)(end - p) : 40);
    if (!quote || bs_time_parse(p, (size_t)(quote - p), &t->ts_us, NULL) != BS_OK) return NULL;
    p = DECIMAL(EXPECT(quote, "\", \"Open\": "), &t->open);
    p = DECIMAL(EXPECT(p, ", \"High\": "), &t->high);
    p = DECIMAL(EXPECT(p, ", \"Low\": "), &t->low);
    p = DECIMAL(EXPECT(p, ", \"Close\": "), &t->close);
    if (!p || p >= end) return NULL;
    if (*p == '}') {
        t->volume = NAN;
        p++;
    } else {
        p = EXPECT(DECIMAL(EXPECT(p, ", \"Volume\": \""), &t->volume), "\"}");
        if (!p) return NULL;
    }
    return t->open > 0 && t->high > 0 && t->low > 0 && t->close > 0 ? p : NULL;
}

/* market (BS_MARKET_MAX bytes, may be NULL) receives the line's Market, "" when it has none. */
static bs_status parse_json(const char *line, size_t len, bs_tick *t, char *market,
                            bs_error *err) {
    cursor c = {line, line + len};
    if (market) market[0] = '\0';
    t->trades = BS_TRADES_UNKNOWN;
    t->recv_us = 0;
    int present[F_COUNT] = {0};
    json_skip_ws(&c);
    if (c.p >= c.end || *c.p++ != '{') return bs_fail(err, BS_ERR_PARSE, "not a JSON object");
    json_skip_ws(&c);
    int empty = c.p < c.end && *c.p == '}';
    if (empty) c.p++;
    while (!empty) {
        const char *key;
        size_t key_len;
        if (c.p >= c.end || *c.p != '"' || !json_read_string(&c, &key, &key_len))
            return bs_fail(err, BS_ERR_PARSE, "invalid JSON: expected a key");
        json_skip_ws(&c);
        if (c.p >= c.end || *c.p++ != ':')
            return bs_fail(err, BS_ERR_PARSE, "invalid JSON: expected ':'");
        json_skip_ws(&c);
        bs_status st = read_field(&c, field_of(key, key_len), t, present, market, err);
        if (st != BS_OK) return st;
        json_skip_ws(&c);
        if (c.p < c.end && *c.p == ',') {
            c.p++;
            json_skip_ws(&c);
            continue;
        }
        if (c.p < c.end && *c.p == '}') {
            c.p++;
            break;
        }
        return bs_fail(err, BS_ERR_PARSE, "invalid JSON: expected ',' or '}'");
    }
    json_skip_ws(&c);
    if (c.p != c.end) return bs_fail(err, BS_ERR_PARSE, "invalid JSON: text after the object");
    return finish_tick(t, present, err);
}

/* ---- CSV --------------------------------------------------------------------------------- */

/* Splits on commas, trimming spaces and one pair of double quotes; returns the field count. */
static size_t split_csv(const char *line, size_t len, slice *fields) {
    size_t count = 0;
    const char *p = line, *end = line + len;
    while (count < CSV_MAX_FIELDS) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *stop = comma ? comma : end;
        const char *a = p, *b = stop;
        while (a < b && (*a == ' ' || *a == '\t')) a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\r')) b--;
        if (b - a >= 2 && *a == '"' && b[-1] == '"') a++, b--;
        fields[count].s = a;
        fields[count].n = (size_t)(b - a);
        count++;
        if (!comma) break;
        p = comma + 1;
    }
    return count;
}

/* A time cell: a date-time text, or epoch seconds, or milliseconds, microseconds or nanoseconds
 * when it is that large (1e11 seconds is the year 5138). Binance's kline dumps moved from
 * milliseconds to microseconds in 2025, so both occur in real files. */
static bs_status csv_time(slice cell, int64_t *ts, bs_error *err) {
    double v;
    if (cell.n > 0 && is_digit(cell.s[0]) && bs_number_parse(cell.s, cell.n, &v) == BS_OK) {
        double us = v >= 1e17 ? v / 1e3 : v >= 1e14 ? v : v >= 1e11 ? v * 1e3 : v * 1e6;
        /* A time past 9999 would be stored with a wrong four-digit year (and appended again by
         * every re-import, which could not recognise it). The first test keeps llround defined. */
        if (!(us < 9.2e18) || llround(us) > BS_TIME_MAX_US)
            return bs_fail(err, BS_ERR_PARSE,
                           "column 1 (time): epoch %.*s is after 9999-12-31 (the last time a "
                           "history can hold)",
                           (int)(cell.n < 40 ? cell.n : 40), cell.s);
        *ts = (int64_t)llround(us);
        return BS_OK;
    }
    bs_error time_err = {{0}};
    if (bs_time_parse(cell.s, cell.n, ts, err ? &time_err : NULL) != BS_OK)
        return bs_fail(err, BS_ERR_PARSE, "column 1 (time): %s", time_err.msg);
    return BS_OK;
}

/* Skips a UTF-8 byte-order mark: editors put one before a file's first line, which was then
 * refused as a bad line (a JSON-lines file lost its first tick). */
static void skip_bom(const char **line, size_t *len) {
    if (*len >= 3 && memcmp(*line, "\xEF\xBB\xBF", 3) == 0) *line += 3, *len -= 3;
}

bs_status bs_tick_parse_csv(const bs_csv_layout *layout, const char *line, size_t len, bs_tick *t,
                            bs_error *err) {
    skip_bom(&line, &len);
    t->trades = BS_TRADES_UNKNOWN;
    t->recv_us = 0;
    const int col[F_COUNT] = {layout->time, layout->open,  layout->high,
                              layout->low,  layout->close, layout->volume};
    if (layout->time < 0 || layout->close < 0)
        return bs_fail(err, BS_ERR_ARG, "a CSV layout needs a time and a close column");
    size_t needed = 0;
    for (int f = 0; f < F_COUNT; f++)
        if (col[f] >= 0 && (size_t)col[f] + 1 > needed) needed = (size_t)col[f] + 1;
    slice cells[CSV_MAX_FIELDS];
    size_t count = split_csv(line, len, cells);
    if (count < needed)
        return bs_fail(err, BS_ERR_PARSE, "expected %zu columns, found %zu", needed, count);
    bs_status st = csv_time(cells[col[F_DATETIME]], &t->ts_us, err);
    if (st != BS_OK) return st;
    double *slots[] = {NULL, &t->open, &t->high, &t->low, &t->close, &t->volume};
    int present[F_COUNT] = {1, 0, 0, 0, 0, 0};
    for (int f = F_OPEN; f < F_COUNT; f++) {
        if (col[f] < 0) continue;
        slice cell = cells[col[f]];
        if (bs_number_parse(cell.s, cell.n, slots[f]) != BS_OK)
            return bs_fail(err, BS_ERR_PARSE, "column %d (%s): not a finite number", col[f] + 1,
                           field_names[f]);
        present[f] = 1;
    }
    return finish_tick(t, present, err);
}

bs_status bs_tick_parse(bs_format format, const char *line, size_t len, bs_tick *out,
                        bs_error *err) {
    if (len > BS_MAX_LINE_BYTES)
        return bs_fail(err, BS_ERR_PARSE, "line longer than %d bytes", BS_MAX_LINE_BYTES);
    skip_bom(&line, &len);
    switch (format) {
    case BS_FORMAT_JSONL:
        if (bs_tick_parse_canonical(line, line + len, out) == line + len) return BS_OK;
        return parse_json(line, len, out, NULL, err);
    /* The fixed layouts: Datetime, Open, High, Low, Close, Volume in the first six columns, or
     * the daily file's order, with close third and high, low last. */
    case BS_FORMAT_BINANCE_CSV:
    case BS_FORMAT_KRAKEN_CSV:
        return bs_tick_parse_csv(&(bs_csv_layout){0, 1, 2, 3, 4, 5}, line, len, out, err);
    case BS_FORMAT_DAILY_CSV:
        return bs_tick_parse_csv(&(bs_csv_layout){0, 1, 5, 6, 2, 3}, line, len, out, err);
    case BS_FORMAT_NAMED_CSV:
        return bs_fail(err, BS_ERR_ARG, "a CSV with named columns needs its layout");
    case BS_FORMAT_MARKET_CHART:
        return bs_fail(err, BS_ERR_ARG, "a market_chart document is read whole, not by line");
    case BS_FORMAT_AUTO: break;
    }
    return bs_fail(err, BS_ERR_ARG, "no format given");
}

bs_status bs_tick_parse_json_market(const char *line, size_t len, bs_tick *out, char *market,
                                    bs_error *err) {
    market[0] = '\0';
    if (len > BS_MAX_LINE_BYTES)
        return bs_fail(err, BS_ERR_PARSE, "line longer than %d bytes", BS_MAX_LINE_BYTES);
    skip_bom(&line, &len);
    /* A canonical line has no Market: the fast path stays the common case's. */
    if (bs_tick_parse_canonical(line, line + len, out) == line + len) return BS_OK;
    return parse_json(line, len, out, market, err);
}

size_t bs_tick_format_json(const bs_tick *t, char *buf) {
    return bs_tick_format_json_market(t, NULL, buf);
}

size_t bs_tick_format_json_market(const bs_tick *t, const char *market, char *buf) {
    char when[BS_TIME_ISO_SIZE], num[32];
    size_t n = 0;
    /* Every piece is bounded (a market is checked to be short, numbers fit 32 bytes), so the
     * line fits BS_TICK_JSON_MAX; the guard keeps a caller's unchecked market from overflowing. */
#define PUT(...)                                                                                   \
    do {                                                                                           \
        int k = snprintf(buf + n, BS_TICK_JSON_MAX - n, __VA_ARGS__);                              \
        if (k < 0 || (size_t)k >= BS_TICK_JSON_MAX - n) return 0;                                  \
        n += (size_t)k;                                                                            \
    } while (0)
    bs_time_format_iso(t->ts_us, when);
    PUT("{\"Datetime\": \"%s\"", when);
    if (market) PUT(", \"Market\": \"%.*s\"", BS_TICK_JSON_MAX / 4, market);
    const double prices[] = {t->open, t->high, t->low, t->close};
    const char *const names[] = {"Open", "High", "Low", "Close"};
    for (int i = 0; i < 4; i++) {
        bs_number_format(prices[i], num, sizeof num);
        PUT(", \"%s\": %s", names[i], num);
    }
    if (!isnan(t->volume)) {
        bs_number_format(t->volume, num, sizeof num);
        PUT(", \"Volume\": \"%s\"", num);
    }
    if (t->trades >= 0) PUT(", \"Trades\": %lld", (long long)t->trades);
    if (t->recv_us != 0) {
        bs_time_format_iso(t->recv_us, when);
        PUT(", \"Received\": \"%s\"", when);
    }
    PUT("}\n");
#undef PUT
    return n;
}
