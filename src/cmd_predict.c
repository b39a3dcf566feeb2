/* cmd_predict.c - `btcstream predict`: the next forecast of a trained model. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>

#include "btcstream/model.h"
#include "btcstream/reader.h"
#include "btcstream/timeutil.h"
#include "btcstream/outputs.h"
#include "cli.h"
#include "market_args.h"

static const char usage_text[] =
    "usage: btcstream predict [--model model.json] [--market M] [--data-dir Data] [--input H]\n\n"
    "Prints the next forecast of a model trained by 'btcstream train' (default: ./model.json,\n"
    "where train writes it), from the newest ticks of the history, with the time it is for: in\n"
    "forecast mode the close HORIZON ticks after the last one (times spaced by the median gap of\n"
    "the newest ticks) and its prediction interval, in seed mode the close at the next expected\n"
    "tick time. The history is --input's, else --market's in --data-dir (default Data; without\n"
    "--market, the data folder's only market).\n";

int cmd_predict(int argc, char **argv) {
    static const struct option options[] = {{"model", required_argument, 0, 'm'},
                                            {"input", required_argument, 0, 'i'},
                                            {"market", required_argument, 0, 'M'},
                                            {"data-dir", required_argument, 0, 'd'},
                                            {"help", no_argument, 0, 'h'},
                                            {0, 0, 0, 0}};
    const char *model = BS_OUTPUT_MODEL, *input = NULL, *market = NULL, *data_dir = NULL;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        if (c == 'm') model = optarg;
        else if (c == 'i') input = optarg;
        else if (c == 'M') market = optarg;
        else if (c == 'd') data_dir = optarg;
        else if (c == 'h') return fputs(usage_text, stdout), CLI_OK;
        else return cli_option_error(argv[0], c, argv);
    }
    if (optind < argc) return cli_usage_error(argv[0], "unexpected argument");
    char history[4096];
    int rc = cli_market_history(argv[0], input, data_dir, market, history, sizeof history, NULL);
    if (rc != CLI_OK) return rc;
    input = history;
    bs_tick_vec ticks = {0};
    bs_scan_stats stats;
    bs_error err = {{0}};
    if (bs_history_load(input, NULL, &ticks, &stats, &err) != BS_OK) return cli_fail(argv[0], &err);
    cli_report_bad_lines(argv[0], input, &stats);
    bs_forecast f;
    bs_status st = bs_predict_next(model, ticks.items, ticks.len, &f, &err);
    bs_tick_vec_free(&ticks);
    if (st != BS_OK) return cli_fail(argv[0], &err);
    char when[BS_TIME_TEXT_SIZE], target[BS_TIME_TEXT_SIZE];
    bs_time_format(f.last_ts_us, when);
    bs_time_format(f.target_ts_us, target);
    if (f.mode == BS_MODE_FORECAST) {
        printf("last close %.2f at %s; forecast %d tick%s ahead, for %s: %.2f (%+.4f%%)",
               f.last_close, when, f.horizon, f.horizon == 1 ? "" : "s", target, f.predicted_close,
               100 * (f.predicted_close / f.last_close - 1));
        if (!isnan(f.lower))
            printf(", %g%% interval %.2f to %.2f", 100 * f.interval_level, f.lower, f.upper);
        printf("\n");
    } else {
        printf("last close %.2f at %s; seed-mode model at the next tick, %s: %.2f\n", f.last_close,
               when, target, f.predicted_close);
    }
    return CLI_OK;
}
