/*
 * stages.h - the batch stages of the pipeline (the course project's run_pipeline.py after the
 * stream), as one library call over a history:
 *
 *   tables       the course project's tables (hour_of_day, daily, moving_avg) into a sink
 *   train        the model in forecast mode, saved as OUT_DIR/model.json
 *   predictions  the test rows' predictions as OUT_DIR/bitcoin_predictions.parquet/
 *   zip          that folder's files as OUT_DIR/bitcoin_predictions.zip
 *   plot         the predictions against the closes as OUT_DIR/output_plot.png
 *   upload       the ZIP to S3 when asked and configured
 *
 * Each stage ends done (with what it wrote), skipped (with why) or failed (with the error).
 * The rule that decides between the last two: "skipped" is only for what was not asked (upload
 * with --no-upload, or without credentials or bucket, as the seed did) or what cannot be tried
 * because an earlier stage failed; a stage that was asked and could not do it (too few ticks to
 * train, an output folder that cannot be written, an upload the server refused) failed. So a
 * caller exits non-zero exactly when bs_stages_run() does not return BS_OK.
 *
 * The stages run in the order above; a stage whose input an earlier stage did not make is
 * skipped and names that stage. Nothing is printed: the caller is told of each stage as it ends
 * (on_stage) and renders the reports.
 */
#ifndef BTCSTREAM_STAGES_H
#define BTCSTREAM_STAGES_H

#include "btcstream/export.h"

#include <stddef.h>
#include <stdint.h>

#include "btcstream/model.h"
#include "btcstream/outputs.h"
#include "btcstream/reader.h"
#include "btcstream/s3.h"
#include "btcstream/sink.h"
#include "btcstream/status.h"

typedef enum { BS_STAGE_DONE, BS_STAGE_SKIPPED, BS_STAGE_FAILED } bs_stage_outcome;

/* "done", "skipped" or "failed". */
BS_API const char *bs_stage_outcome_name(bs_stage_outcome outcome);

enum {
    BS_STAGE_TABLES,
    BS_STAGE_TRAIN,
    BS_STAGE_PREDICTIONS,
    BS_STAGE_ZIP,
    BS_STAGE_PLOT,
    BS_STAGE_UPLOAD,
    BS_STAGE_COUNT
};

typedef struct {
    const char *name; /* "tables", "train", "predictions", "zip", "plot", "upload" */
    bs_stage_outcome outcome;
    bs_status status;               /* failed: the error's code; otherwise BS_OK */
    char detail[BS_ERROR_MSG_SIZE]; /* done: what was written where; skipped, failed: why */
} bs_stage_report;

typedef struct bs_stages_result bs_stages_result;

typedef struct {
    const char *history;           /* the history the stages read */
    const char *out_dir;           /* where the files go; created when missing */
    bs_sink *tables;               /* where the tables go (borrowed); NULL: tables not written */
    const bs_train_options *train; /* NULL: bs_train_defaults() */
    int upload;                    /* 0: the upload stage is skipped as not asked */
    const bs_s3_config *s3;        /* NULL: bs_s3_config_load(NULL) (environment and .env) */
    /* Called as each stage ends, with its report and the results so far; may be NULL. */
    void (*on_stage)(void *ctx, const bs_stage_report *report, const bs_stages_result *so_far);
    void *ctx;
} bs_stages_options;

struct bs_stages_result {
    bs_stage_report stage[BS_STAGE_COUNT]; /* in the order above, all filled */
    size_t failed;                         /* stages that failed */
    bs_output_paths paths;                 /* the files the stages write */
    bs_scan_stats scan;                    /* the tables stage's scan of the history */
    uint64_t ticks;                        /* good ticks in the history */
    int trained;                           /* train is done: `model` holds its results */
    bs_train_result model;                 /* owned; bs_stages_result_free frees it */
    char uploaded_key[1024];               /* upload done: the key in s3->bucket */
};

/*
 * Runs every stage over opts->history. Returns BS_OK when no stage failed; otherwise the status
 * of the first stage that failed, with err holding "STAGE: message". *out is filled in either
 * case (free with bs_stages_result_free).
 */
BS_API bs_status bs_stages_run(const bs_stages_options *opts, bs_stages_result *out, bs_error *err);

/* Frees what *r owns; accepts a zeroed result. */
BS_API void bs_stages_result_free(bs_stages_result *r);

/*
 * The fewest ticks the train stage needs with these options (NULL: the defaults): the feature
 * window's lookback, the horizon, and enough labelled rows for the time split to leave at least
 * the minimum to train and to test. A run that will end with fewer can say so up front.
 */
BS_API size_t bs_stages_min_ticks(const bs_train_options *opts);

/* Lines in a file (0 when it is missing): a cheap count of a history's ticks before a run. */
BS_API bs_status bs_stages_count_lines(const char *path, uint64_t *lines, bs_error *err);

#endif
