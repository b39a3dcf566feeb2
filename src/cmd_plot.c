/* cmd_plot.c - `btcstream plot`: the actual-versus-predicted chart as a PNG. */
#include <getopt.h>
#include <stdio.h>

#include "btcstream/plot.h"
#include "cli.h"

static const char usage_text[] =
    "usage: btcstream plot [--predictions " BS_PREDICTIONS_DIR "] [--out output_plot.png]\n\n"
    "Draws actual (blue) and predicted (red) close prices against time, 1200x600 pixels, from the\n"
    "predictions folder that 'btcstream train' or 'btcstream run' wrote.\n";

int cmd_plot(int argc, char **argv) {
    static const struct option options[] = {{"predictions", required_argument, 0, 'p'},
                                            {"out", required_argument, 0, 'o'},
                                            {"help", no_argument, 0, 'h'},
                                            {0, 0, 0, 0}};
    const char *input = BS_PREDICTIONS_DIR, *out = "output_plot.png";
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        if (c == 'p') input = optarg;
        else if (c == 'o') out = optarg;
        else if (c == 'h') return fputs(usage_text, stdout), CLI_OK;
        else return cli_option_error(argv[0], c, argv);
    }
    if (optind < argc) return cli_usage_error(argv[0], "unexpected argument");
    bs_predictions p;
    bs_error err = {{0}};
    if (bs_predictions_read(input, &p, &err) != BS_OK) return cli_fail(argv[0], &err);
    bs_status st = bs_plot_predictions(&p, out, &err);
    bs_predictions_free(&p);
    if (st != BS_OK) return cli_fail(argv[0], &err);
    printf("wrote %s\n", out);
    return CLI_OK;
}
