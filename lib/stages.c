/*
 * stages.c - the batch stages as a list run by one function (stages.h). Each stage is a
 * function that fills its report; the runner calls them in order, tells the caller after each,
 * and turns the first failure into the call's status. A stage that needs what an earlier one
 * makes checks for it and is skipped, naming that stage, so one failure is reported once.
 */
#include "btcstream/stages.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "btcstream/aggregate.h"
#include "btcstream/archive.h"
#include "btcstream/fsutil.h"
#include "btcstream/plot.h"
#include "btcstream/predictions.h"

/* What the stages share while they run. */
typedef struct {
    const bs_stages_options *opts;
    bs_stages_result *r;
} stage_ctx;

/* Fills the report; returns 0 (so that `return say(...)` ends a stage in one line). */
typedef int (*stage_fn)(stage_ctx *c, bs_stage_report *report);

const char *bs_stage_outcome_name(bs_stage_outcome outcome) {
    static const char *const names[] = {"done", "skipped", "failed"};
    return names[outcome];
}

static int say(bs_stage_report *report, bs_stage_outcome outcome, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int say(bs_stage_report *report, bs_stage_outcome outcome, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(report->detail, sizeof report->detail, fmt, ap);
    va_end(ap);
    report->outcome = outcome;
    return 0;
}

static int failed(bs_stage_report *report, bs_status st, const bs_error *err) {
    report->status = st;
    return say(report, BS_STAGE_FAILED, "%s", err->msg);
}

/* The course project printed these three of the four tables after its run. */
static int run_tables(stage_ctx *c, bs_stage_report *report) {
    static const bs_table_kind kinds[] = {BS_TABLE_HOUR_OF_DAY, BS_TABLE_DAILY,
                                          BS_TABLE_MOVING_AVG};
    bs_aggregate *agg = NULL;
    bs_error err = {{0}};
    bs_status st = bs_aggregate_file(c->opts->history, NULL, NULL, 0, &agg, &c->r->scan, &err);
    if (st == BS_OK) c->r->ticks = bs_aggregate_ticks(agg);
    for (size_t i = 0; st == BS_OK && c->opts->tables && i < 3; i++) {
        bs_table t = {0};
        st = bs_aggregate_table(agg, kinds[i], &t, &err);
        if (st == BS_OK) st = bs_sink_write(c->opts->tables, &t, &err);
        bs_table_free(&t);
    }
    bs_aggregate_free(agg);
    if (st != BS_OK) return failed(report, st, &err);
    return say(report, BS_STAGE_DONE, "%s over %llu ticks of %s",
               c->opts->tables ? "3 tables" : "tables", (unsigned long long)c->r->ticks,
               c->opts->history);
}

static int run_train(stage_ctx *c, bs_stage_report *report) {
    bs_tick_vec ticks = {0};
    bs_error err = {{0}};
    bs_status st = bs_history_load(c->opts->history, NULL, &ticks, NULL, &err);
    size_t need = bs_stages_min_ticks(c->opts->train);
    if (st == BS_OK && ticks.len < need)
        st = bs_fail(&err, BS_ERR_EMPTY,
                     "the model needs at least %zu ticks, the history has %zu (run longer)", need,
                     ticks.len);
    if (st == BS_OK) st = bs_mkdirs(c->opts->out_dir, &err);
    if (st == BS_OK)
        st =
            bs_train(ticks.items, ticks.len, c->opts->train, c->r->paths.model, &c->r->model, &err);
    bs_tick_vec_free(&ticks);
    if (st != BS_OK) return failed(report, st, &err);
    c->r->trained = 1;
    return say(report, BS_STAGE_DONE, "%s (%zu rows to train, %zu to test)", c->r->paths.model,
               c->r->model.rows_train, c->r->model.rows_test);
}

static int run_predictions(stage_ctx *c, bs_stage_report *report) {
    if (!c->r->trained) return say(report, BS_STAGE_SKIPPED, "no model (train did not run)");
    bs_error err = {{0}};
    bs_status st = bs_predictions_write(c->r->paths.predictions, &c->r->model.predictions, &err);
    if (st != BS_OK) return failed(report, st, &err);
    return say(report, BS_STAGE_DONE, "%s/ (%zu rows)", c->r->paths.predictions,
               c->r->model.predictions.rows);
}

static int run_zip(stage_ctx *c, bs_stage_report *report) {
    if (c->r->stage[BS_STAGE_PREDICTIONS].outcome != BS_STAGE_DONE)
        return say(report, BS_STAGE_SKIPPED, "no predictions folder (predictions did not run)");
    bs_error err = {{0}};
    bs_status st = bs_archive_zip_dir(c->r->paths.predictions, c->r->paths.zip, &err);
    if (st != BS_OK) return failed(report, st, &err);
    return say(report, BS_STAGE_DONE, "%s", c->r->paths.zip);
}

static int run_plot(stage_ctx *c, bs_stage_report *report) {
    if (!c->r->trained) return say(report, BS_STAGE_SKIPPED, "no predictions (train did not run)");
    bs_error err = {{0}};
    bs_status st = bs_plot_predictions(&c->r->model.predictions, c->r->paths.plot, &err);
    if (st != BS_OK) return failed(report, st, &err);
    return say(report, BS_STAGE_DONE, "%s", c->r->paths.plot);
}

/* The course project's last step, and the one stage that may be skipped as not asked. */
static int run_upload(stage_ctx *c, bs_stage_report *report) {
    if (!c->opts->upload) return say(report, BS_STAGE_SKIPPED, "not asked");
    bs_s3_config loaded;
    const bs_s3_config *s3 = c->opts->s3;
    if (!s3) {
        bs_s3_config_load(&loaded, NULL);
        s3 = &loaded;
    }
    char reason[160];
    if (!bs_s3_config_ready(s3, reason, sizeof reason))
        return say(report, BS_STAGE_SKIPPED, "%s", reason);
    if (c->r->stage[BS_STAGE_ZIP].outcome != BS_STAGE_DONE)
        return say(report, BS_STAGE_SKIPPED, "no %s (zip did not run)", c->r->paths.zip);
    bs_error err = {{0}};
    bs_status st =
        bs_s3_upload_file(s3, c->r->paths.zip, NULL, NULL, NULL, c->r->uploaded_key, &err);
    if (st != BS_OK) return failed(report, st, &err);
    return say(report, BS_STAGE_DONE, "s3://%s/%s", s3->bucket, c->r->uploaded_key);
}

static const struct {
    const char *name;
    stage_fn run;
} stages[BS_STAGE_COUNT] = {
    {"tables", run_tables}, {"train", run_train}, {"predictions", run_predictions},
    {"zip", run_zip},       {"plot", run_plot},   {"upload", run_upload},
};

bs_status bs_stages_run(const bs_stages_options *opts, bs_stages_result *out, bs_error *err) {
    memset(out, 0, sizeof *out);
    bs_status first = bs_output_paths_make(opts->out_dir, &out->paths, err);
    if (first != BS_OK) return first;
    stage_ctx c = {opts, out};
    for (size_t i = 0; i < BS_STAGE_COUNT; i++) {
        bs_stage_report *report = &out->stage[i];
        report->name = stages[i].name;
        stages[i].run(&c, report);
        if (report->outcome == BS_STAGE_FAILED && out->failed++ == 0) {
            first = report->status;
            bs_fail(err, first, "%s: %s", report->name, report->detail);
        }
        if (opts->on_stage) opts->on_stage(opts->ctx, report, out);
    }
    return first;
}

void bs_stages_result_free(bs_stages_result *r) {
    if (r) bs_train_result_free(&r->model);
}

/*
 * Forecast mode: a row needs BS_FEATURES_LOOKBACK ticks before it and `horizon` after it for its
 * label; the time split tests on labelled / 5 rows and trains on the rest, and bs_train wants at
 * least 10 to train and 2 to test (lib/model.c), so 12 labelled rows. Seed mode has no lookback
 * but a random split; the same count keeps it clear of the minimum there too.
 * tests/test_stages.c trains on exactly this many ticks and on one fewer, to keep it true.
 */
size_t bs_stages_min_ticks(const bs_train_options *opts) {
    bs_train_options defaults = bs_train_defaults();
    if (!opts) opts = &defaults;
    const size_t labelled = 12;
    size_t horizon = opts->horizon > 0 ? (size_t)opts->horizon : 1;
    return BS_FEATURES_LOOKBACK + horizon + labelled;
}

bs_status bs_stages_count_lines(const char *path, uint64_t *lines, bs_error *err) {
    *lines = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) return BS_OK;
    if (fd < 0) return bs_fail(err, BS_ERR_IO, "%s: %s", path, strerror(errno));
    char buf[1 << 16];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        for (char *p = buf; (p = memchr(p, '\n', (size_t)(buf + n - p))) != NULL; p++) (*lines)++;
    int saved = errno;
    close(fd);
    if (n < 0) return bs_fail(err, BS_ERR_IO, "%s: %s", path, strerror(saved));
    return BS_OK;
}
