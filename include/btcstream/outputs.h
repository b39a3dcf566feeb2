/*
 * outputs.h - the names of the files the pipeline reads and writes, defined once (README.md,
 * contract), and the paths they take under a data folder and an output folder.
 *
 *   DATA_DIR/stream/SOURCE/SYMBOL_ENC/   a market's stream files (producer.h, market.h)
 *   DATA_DIR/markets/SOURCE/SYMBOL_ENC/history.json   its history (history.h)
 *   DATA_DIR/stream/                     stream files of a data folder from before markets
 *   DATA_DIR/bitcoin_combined.json       its history (the legacy history)
 *   OUT_DIR/model.json                   the model (model.h)
 *   OUT_DIR/bitcoin_predictions.parquet/ the predictions in Spark's layout (predictions.h)
 *   OUT_DIR/bitcoin_predictions.zip      that folder's files (archive.h)
 *   OUT_DIR/output_plot.png              the plot (plot.h)
 */
#ifndef BTCSTREAM_OUTPUTS_H
#define BTCSTREAM_OUTPUTS_H

#include "btcstream/export.h"

#include "btcstream/status.h"

#define BS_OUTPUT_STREAM_DIR "stream"
#define BS_OUTPUT_HISTORY "bitcoin_combined.json"
#define BS_OUTPUT_MODEL "model.json"
#define BS_OUTPUT_PREDICTIONS "bitcoin_predictions.parquet"
#define BS_OUTPUT_ZIP "bitcoin_predictions.zip"
#define BS_OUTPUT_PLOT "output_plot.png"

#define BS_OUTPUT_PATH_MAX 4096

typedef struct {
    char stream_dir[BS_OUTPUT_PATH_MAX], history[BS_OUTPUT_PATH_MAX];
} bs_data_paths;

typedef struct {
    char model[BS_OUTPUT_PATH_MAX], predictions[BS_OUTPUT_PATH_MAX];
    char zip[BS_OUTPUT_PATH_MAX], plot[BS_OUTPUT_PATH_MAX];
} bs_output_paths;

/* The paths under data_dir; BS_ERR_ARG naming the folder when one does not fit. */
BS_API bs_status bs_data_paths_make(const char *data_dir, bs_data_paths *out, bs_error *err);

/*
 * The paths of market's stream folder and history under data_dir (market.h); BS_ERR_ARG for a
 * bad market or a path that does not fit.
 */
BS_API bs_status bs_data_paths_market(const char *data_dir, const char *market, bs_data_paths *out,
                                      bs_error *err);

/*
 * Whether data_dir is a data folder from before markets: it holds the legacy history and no
 * market's history (bs_market_list()). Such a folder keeps its paths (bs_data_paths_make()).
 */
BS_API int bs_data_dir_is_legacy(const char *data_dir);

/* The paths under out_dir; BS_ERR_ARG naming the folder when one does not fit. */
BS_API bs_status bs_output_paths_make(const char *out_dir, bs_output_paths *out, bs_error *err);

#endif
