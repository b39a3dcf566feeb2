/* outputs.c - see outputs.h. */
#include "btcstream/outputs.h"

#include <stdio.h>

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

bs_status bs_output_paths_make(const char *out_dir, bs_output_paths *out, bs_error *err) {
    if (!join(out->model, out_dir, BS_OUTPUT_MODEL) ||
        !join(out->predictions, out_dir, BS_OUTPUT_PREDICTIONS) ||
        !join(out->zip, out_dir, BS_OUTPUT_ZIP) || !join(out->plot, out_dir, BS_OUTPUT_PLOT))
        return bs_fail(err, BS_ERR_ARG, "output folder name too long: %s", out_dir);
    return BS_OK;
}
