/*
 * train_report.h - how `btcstream train` prints its results: the text report of one split or
 * of walk-forward folds, one summary row a horizon when several are asked for, and the JSON
 * line a horizon (the same fields, for programs).
 */
#ifndef BTCSTREAM_TRAIN_REPORT_H
#define BTCSTREAM_TRAIN_REPORT_H

#include "btcstream/evaluate.h"
#include "btcstream/model.h"

/* wf NULL: a single split (r); otherwise walk-forward (r is &wf->pooled). */
typedef struct {
    const bs_train_result *r;
    const bs_walk_forward_result *wf;
    size_t window; /* walk-forward's --window (0: expanding) */
    double level;  /* the interval level asked for */
} train_report;

/* The full text report of one horizon. */
void train_report_text(const train_report *t);

/* The header of the one-row-a-horizon table, then its rows. */
void train_report_summary_header(int walk_forward, int folds);
void train_report_summary_row(const train_report *t);

/* One JSON line. */
void train_report_json(const train_report *t);

#endif
