/* market_args.c - see market_args.h. */
#include <stdio.h>
#include <string.h>

#include "btcstream/outputs.h"

#include "cli.h"
#include "market_args.h"

int cli_market_history(const char *cmd, const char *path_flag, const char *data_dir,
                       const char *market_flag, char *history, size_t size, char *market) {
    bs_error err = {{0}};
    if (market) market[0] = '\0';
    if (market_flag && bs_market_check(market_flag, &err) != BS_OK)
        return cli_usage_error(cmd, err.msg);
    if (path_flag) {
        snprintf(history, size, "%s", path_flag);
        if (market && market_flag) snprintf(market, BS_MARKET_MAX, "%s", market_flag);
        return CLI_OK;
    }
    if (!data_dir) data_dir = CLI_DEFAULT_DATA_DIR;
    bs_status st = bs_market_resolve(data_dir, market_flag, history, size, market, &err);
    if (st == BS_ERR_EMPTY && !market_flag) {
        snprintf(history, size, "%s/%s", data_dir, BS_OUTPUT_HISTORY);
        return CLI_OK;
    }
    return st == BS_OK ? CLI_OK : cli_fail(cmd, &err);
}
