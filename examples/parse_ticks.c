/*
 * parse_ticks.c - tick.h and timeutil.h: reading price lines yourself. Reads a price file's
 * lines from stdin (any format `btcstream import` reads), detects the format from the first
 * line, and prints each good tick as "ISO-time close" and each bad line as "line N: reason",
 * then a count. No allocation: the library parses into your structs and buffers.
 *
 *   python3 docs/make_ticks.py --minutes 5 | ./build/example_parse_ticks
 */
#include <stdio.h>
#include <string.h>

#include <btcstream/tick.h>
#include <btcstream/timeutil.h>

int main(void) {
    static char line[BS_MAX_LINE_BYTES + 2];
    bs_format format = BS_FORMAT_AUTO;
    bs_csv_layout layout;
    unsigned long line_no = 0, good = 0, bad = 0;
    while (fgets(line, sizeof line, stdin)) {
        size_t len = strcspn(line, "\r\n");
        line_no++;
        if (format == BS_FORMAT_AUTO) {
            int has_header = 0;
            format = bs_format_detect_layout(line, len, &has_header, &layout);
            if (format == BS_FORMAT_AUTO) {
                fprintf(stderr, "line 1: no known price format\n");
                return 1;
            }
            printf("format: %s\n", bs_format_name(format));
            if (has_header) continue;
        }
        bs_tick tick;
        bs_error err = {{0}};
        bs_status st = format == BS_FORMAT_NAMED_CSV
                           ? bs_tick_parse_csv(&layout, line, len, &tick, &err)
                           : bs_tick_parse(format, line, len, &tick, &err);
        if (st != BS_OK) {
            printf("line %lu: %s (%s)\n", line_no, err.msg, bs_status_str(st));
            bad++;
            continue;
        }
        char when[BS_TIME_ISO_SIZE], close[32];
        bs_time_format_iso(tick.ts_us, when);
        bs_number_format(tick.close, close, sizeof close);
        printf("%s %s\n", when, close);
        good++;
    }
    printf("%lu ticks, %lu bad lines\n", good, bad);
    return 0;
}
