/* cmd_plot.c - `btcstream plot`: the actual-versus-predicted chart as a PNG. */
#include <getopt.h>
#include <stdio.h>

#include "btcstream/plot.h"
#include "btcstream/outputs.h"
#include <string.h>

#include "btcstream/market.h"
#include "cli.h"

static const char usage_text[] =
    "usage: btcstream plot [--predictions " BS_PREDICTIONS_DIR "] [--out output_plot.png]\n"
    "                      [--title TEXT] [--y-label TEXT] [--market M]\n\n"
    "Draws actual (blue, on top) and predicted (red) close prices against time with the\n"
    "prediction interval as a band, and below them the error (actual - predicted), 1200x600\n"
    "pixels, from the predictions folder that 'btcstream train' or 'btcstream run' wrote.\n"
    "  --title TEXT    the chart's title (default: \"" BS_PLOT_DEFAULT_TITLE "\")\n"
    "  --y-label TEXT  the price axis's name, e.g. \"BTC/USDT close\" (default: "
    "\"" BS_PLOT_DEFAULT_Y_LABEL "\")\n"
    "  --market M      the market the predictions must be for (their market column); the\n"
    "                  price axis is then \"M close\" unless --y-label says otherwise\n";

int cmd_plot(int argc, char **argv) {
    static const struct option options[] = {{"predictions", required_argument, 0, 'p'},
                                            {"out", required_argument, 0, 'o'},
                                            {"title", required_argument, 0, 't'},
                                            {"y-label", required_argument, 0, 'y'},
                                            {"market", required_argument, 0, 'm'},
                                            {"help", no_argument, 0, 'h'},
                                            {0, 0, 0, 0}};
    const char *input = BS_PREDICTIONS_DIR, *out = BS_OUTPUT_PLOT, *market = NULL;
    bs_plot_options o = {0};
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        if (c == 'p') input = optarg;
        else if (c == 'o') out = optarg;
        else if (c == 't') o.title = optarg;
        else if (c == 'y') o.y_label = optarg;
        else if (c == 'm') market = optarg;
        else if (c == 'h') return fputs(usage_text, stdout), CLI_OK;
        else return cli_option_error(argv[0], c, argv);
    }
    if (optind < argc) return cli_usage_error(argv[0], "unexpected argument");
    bs_predictions p;
    bs_error err = {{0}};
    if (market && bs_market_check(market, &err) != BS_OK) return cli_usage_error(argv[0], err.msg);
    if (bs_predictions_read(input, &p, &err) != BS_OK) return cli_fail(argv[0], &err);
    char label[BS_MARKET_MAX + 8];
    if (market && p.market[0] && strcmp(market, p.market) != 0) {
        cli_errorf(argv[0], "%s holds predictions for %s, not %s", input, p.market, market);
        bs_predictions_free(&p);
        return CLI_FAIL;
    }
    if (market && !o.y_label) {
        snprintf(label, sizeof label, "%s close", market);
        o.y_label = label;
    }
    bs_status st = bs_plot_predictions_with(&p, out, &o, &err);
    bs_predictions_free(&p);
    if (st != BS_OK) return cli_fail(argv[0], &err);
    printf("wrote %s\n", out);
    return CLI_OK;
}
