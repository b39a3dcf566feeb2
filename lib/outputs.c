/* outputs.c - see outputs.h. */
#include "btcstream/outputs.h"

#include <stdio.h>
#include <stdlib.h>

#include "btcstream/market.h"

static int join(char *buf, const char *dir, const char *name) {
    int n = snprintf(buf, BS_OUTPUT_PATH_MAX, "%s/%s", dir, name);
    return n >= 0 && n < BS_OUTPUT_PATH_MAX;
}

bs_status bs_data_paths_make(const char *data_dir, bs_data_paths *out, bs_error *err) {
    if (!join(out->stream_dir, data_dir, BS_OUTPUT_STREAM_DIR) ||
        !join(out->history, data_dir, BS_OUTPUT_HISTORY))
        return bs_fail(err, BS_ERR_ARG, "data folder name too long: %s", data_dir);
    return BS_OK;
}

bs_status bs_data_paths_market(const char *data_dir, const char *market, bs_data_paths *out,
                               bs_error *err) {
    char root[BS_OUTPUT_PATH_MAX];
    if (!join(root, data_dir, BS_OUTPUT_STREAM_DIR))
        return bs_fail(err, BS_ERR_ARG, "data folder name too long: %s", data_dir);
    bs_status st = bs_market_stream_dir(root, market, out->stream_dir, sizeof out->stream_dir, err);
    if (st == BS_OK) st = bs_market_history(data_dir, market, out->history, sizeof out->history, err);
    return st;
}

int bs_data_dir_is_legacy(const char *data_dir) {
    bs_market_entry *list = NULL;
    size_t n = 0;
    if (bs_market_list(data_dir, &list, &n, NULL) != BS_OK) return 0;
    int legacy = n == 1 && list[0].name[0] == '\0';
    bs_market_list_free(list);
    return legacy;
}

bs_status bs_output_paths_make(const char *out_dir, bs_output_paths *out, bs_error *err) {
    if (!join(out->model, out_dir, BS_OUTPUT_MODEL) ||
        !join(out->predictions, out_dir, BS_OUTPUT_PREDICTIONS) ||
        !join(out->zip, out_dir, BS_OUTPUT_ZIP) || !join(out->plot, out_dir, BS_OUTPUT_PLOT))
        return bs_fail(err, BS_ERR_ARG, "output folder name too long: %s", out_dir);
    return BS_OK;
}
