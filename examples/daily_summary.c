/*
 * daily_summary.c - using libbtcstream from your own program: scan a price file (any format the
 * `import` command reads) and print each day's average close.
 *
 *   python3 docs/make_ticks.py > ticks.csv     (or any price file you have)
 *   ./build/example_daily_summary ticks.csv
 */
#include <stdio.h>

#include <btcstream/aggregate.h>
#include <btcstream/timeutil.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s PRICE_FILE\n", argv[0]);
        return 2;
    }
    bs_aggregate *agg = NULL;
    bs_scan_stats stats;
    bs_error err = {{0}};
    /* NULL options: the default 1-hour window sliding by 30 minutes; 0 threads: one per core. */
    if (bs_aggregate_file(argv[1], NULL, NULL, 0, &agg, &stats, &err) != BS_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    bs_table daily;
    if (bs_aggregate_table(agg, BS_TABLE_DAILY, &daily, &err) != BS_OK) {
        fprintf(stderr, "%s\n", err.msg);
        bs_aggregate_free(agg);
        return 1;
    }
    printf("%llu ticks, %llu bad lines, %zu days\n", (unsigned long long)stats.ticks,
           (unsigned long long)stats.bad, daily.rows);
    for (size_t i = 0; i < daily.rows; i++) {
        char day[11];
        bs_time_format_day(daily.column[0].values.i64[i], day);
        printf("%s %.2f\n", day, daily.column[1].values.f64[i]);
    }
    bs_table_free(&daily);
    bs_aggregate_free(agg);
    return 0;
}
