/*
 * fuzz_tick_line.c - the tick parser on arbitrary lines: the first line goes through format
 * detection (as a reader's first line does, and as the reader's whole-head detection does),
 * then every line is parsed with the detected format
 * or CSV layout and with each explicit format. A tick that parses must round-trip: written back
 * as JSON and parsed again, it has the same time and close (what cannot round-trip must be
 * refused, not stored wrong).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "btcstream/tick.h"
#include "fuzz.h"

static void check_round_trip(const bs_tick *t) {
    char json[BS_TICK_JSON_MAX];
    size_t n = bs_tick_format_json(t, json);
    if (n == 0 || n >= sizeof json) abort();
    bs_tick back;
    bs_error err = {{0}};
    if (bs_tick_parse(BS_FORMAT_JSONL, json, n, &back, &err) != BS_OK) abort();
    if (back.ts_us != t->ts_us) abort();
    if (!(back.close == t->close || (isnan(back.close) && isnan(t->close)))) abort();
}

static void parse_line(bs_format detected, const bs_csv_layout *layout, const char *line,
                       size_t len) {
    bs_tick t;
    bs_error err = {{0}};
    bs_status st = detected == BS_FORMAT_NAMED_CSV ? bs_tick_parse_csv(layout, line, len, &t, &err)
                                                   : bs_tick_parse(detected, line, len, &t, &err);
    if (st == BS_OK) check_round_trip(&t);
    for (int f = BS_FORMAT_JSONL; f <= BS_FORMAT_DAILY_CSV; f++)
        if (bs_tick_parse((bs_format)f, line, len, &t, &err) == BS_OK) check_round_trip(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > BS_MAX_LINE_BYTES) return 0;
    const char *text = (const char *)data, *end = text + size;
    const char *nl = memchr(text, '\n', size);
    size_t first = nl ? (size_t)(nl - text) : size;
    int has_header = 0;
    bs_csv_layout layout;
    memset(&layout, 0, sizeof layout);
    bs_format detected = bs_format_detect_layout(text, first, &has_header, &layout);
    /* The whole-head detection (preamble lines, market_chart documents) must agree with it or
     * explain itself. */
    int header_lines = 0;
    bs_csv_layout head_layout;
    bs_format head = bs_format_detect_head(text, size, &header_lines, &head_layout);
    if (header_lines < 0 || header_lines > 2) abort();
    if (head == BS_FORMAT_AUTO && detected != BS_FORMAT_AUTO) abort();
    if (detected == BS_FORMAT_AUTO || detected == BS_FORMAT_MARKET_CHART)
        detected = BS_FORMAT_JSONL;
    const char *line = text;
    int number = 0;
    while (line < end) {
        const char *stop = memchr(line, '\n', (size_t)(end - line));
        size_t len = stop ? (size_t)(stop - line) : (size_t)(end - line);
        /* An exact-size copy, so that reading past the line is seen by ASan. */
        char *copy = malloc(len ? len : 1);
        if (!copy) return 0;
        memcpy(copy, line, len);
        if (!(number == 0 && has_header)) parse_line(detected, &layout, copy, len);
        free(copy);
        number++;
        line += len + 1;
    }
    return 0;
}
