/*
 * market_export.c - the markets of a data folder and one market's rows as CSV, through the
 * library (market.h, export_data.h): what `btcstream markets` and `btcstream export` do, in a
 * page of C.
 *
 *   example_market_export DATA_DIR MARKET
 *
 * Prints one line a market ("NAME ROWS rows, MISSING missing minutes") on stderr, then MARKET's
 * rows as CSV on stdout.
 */
#include <stdint.h>
#include <stdio.h>

#include "btcstream/export_data.h"
#include "btcstream/market.h"

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s DATA_DIR MARKET\n", argv[0]);
        return 2;
    }
    bs_error err = {{0}};
    bs_market_entry *list = NULL;
    size_t n = 0;
    if (bs_market_list(argv[1], &list, &n, &err) != BS_OK) goto fail;
    for (size_t i = 0; i < n; i++) {
        bs_market_stats s;
        if (bs_market_stats_scan(list[i].history, &s, &err) != BS_OK) goto fail;
        fprintf(stderr, "%s %llu rows, %llu missing minutes\n",
                list[i].name[0] ? list[i].name : "(no market)", (unsigned long long)s.rows,
                (unsigned long long)s.missing_minutes);
    }
    bs_market_list_free(list);
    list = NULL;

    char history[4096];
    bs_export_rows rows;
    if (bs_market_history(argv[1], argv[2], history, sizeof history, &err) != BS_OK) goto fail;
    if (bs_export_load(history, INT64_MIN, INT64_MAX, &rows, &err) != BS_OK) goto fail;
    bs_status st = bs_export_write_stream(&rows, argv[2], BS_EXPORT_CSV, stdout, &err);
    bs_export_rows_free(&rows);
    if (st == BS_OK) return 0;
fail:
    bs_market_list_free(list);
    fprintf(stderr, "%s: %s\n", argv[0], err.msg);
    return 1;
}
