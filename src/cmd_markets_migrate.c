/*
 * cmd_markets_migrate.c - `btcstream markets migrate --market M [--data-dir Data]`: a data
 * folder from before markets into one market (bs_market_migrate()). The `markets` command
 * dispatches its `migrate` subcommand here, with argv[0] the name to print ("markets migrate").
 */
#include <getopt.h>
#include <stdio.h>

#include "btcstream/market.h"
#include "cli.h"

static const char usage_text[] =
    "usage: btcstream markets migrate --market SOURCE:SYMBOL [--data-dir Data]\n\n"
    "Gives the history of a data folder from before markets, DATA/bitcoin_combined.json, to a\n"
    "market: it moves to DATA/markets/SOURCE/SYMBOL/history.json (one rename, safe against a\n"
    "crash at any step; run it again to finish). The stream root DATA/stream must hold no\n"
    "waiting files for it (run 'btcstream stream --until-idle' first) and no stream processor\n"
    "may run; a market that has a history already is refused (use 'btcstream import\n"
    "DATA/bitcoin_combined.json --market M' to add one to the other). docs/markets.md.\n\n"
    "Options:\n"
    "  --market M    the market the legacy history is (e.g. coingecko:bitcoin/usd)\n"
    "  --data-dir D  the data folder (default Data)\n";

int cmd_markets_migrate(int argc, char **argv) {
    static const struct option options[] = {{"market", required_argument, 0, 'M'},
                                            {"data-dir", required_argument, 0, 'D'},
                                            {"help", no_argument, 0, 'h'},
                                            {0, 0, 0, 0}};
    const char *market = NULL, *data_dir = "Data";
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (c) {
        case 'M': market = optarg; break;
        case 'D': data_dir = optarg; break;
        case 'h': fputs(usage_text, stdout); return CLI_OK;
        default: return cli_option_error(argv[0], c, argv);
        }
    }
    if (optind < argc) return cli_usage_error(argv[0], "unexpected argument");
    if (!market) return cli_usage_error(argv[0], "--market SOURCE:SYMBOL is required");
    bs_error err = {{0}};
    if (bs_market_migrate(data_dir, market, &err) != BS_OK) return cli_fail(argv[0], &err);
    char history[4096];
    bs_market_history(data_dir, market, history, sizeof history, NULL);
    printf("migrated %s/bitcoin_combined.json to market %s: %s\n", data_dir, market, history);
    return CLI_OK;
}
