/*
 * plot.h - the actual-versus-predicted chart of the course project, drawn with PLplot's cairo
 * memory driver and written by png.h: 1200x600. Above, against time: the prediction interval as
 * a light red band (when the predictions carry finite lower and upper bounds), the prediction in
 * red and the actual close in blue drawn last, on top: on minute data the two lines lie within a
 * pixel of each other and whichever is drawn last is the one a user sees. Below, the error
 * (actual - predicted) around 0 with the band about the prediction, where their difference is
 * visible. The legend sits above the chart, off the data; the title and the y axis's name come
 * from the caller (the market and its currency), with neutral defaults. The date labels'
 * spacing and format follow the time span (minutes to years), so they never overlap, and the
 * last one is right-aligned when it would run off the page.
 */
#ifndef BTCSTREAM_PLOT_H
#define BTCSTREAM_PLOT_H

#include "btcstream/export.h"

#include <stdint.h>

#include "btcstream/predictions.h"
#include "btcstream/status.h"

/*
 * Writes the chart of p (at least one row) to png_path, replacing it whole. BS_ERR_UNSUPPORTED
 * when PLplot's memcairo driver is not installed (checked first: PLplot exits the process when
 * asked for a driver it lacks).
 */
BS_API bs_status bs_plot_predictions(const bs_predictions *p, const char *png_path, bs_error *err);

#define BS_PLOT_DEFAULT_TITLE "Actual vs predicted close (gradient-boosted trees)"
#define BS_PLOT_DEFAULT_Y_LABEL "Close"

typedef struct {
    const char *title;   /* NULL: BS_PLOT_DEFAULT_TITLE */
    const char *y_label; /* NULL: BS_PLOT_DEFAULT_Y_LABEL; e.g. "Close (USDT)" */
} bs_plot_options;

/* bs_plot_predictions() with a title and y-axis name (o may be NULL for the defaults). */
BS_API bs_status bs_plot_predictions_with(const bs_predictions *p, const char *png_path,
                                          const bs_plot_options *o, bs_error *err);

#define BS_PLOT_MAX_TICKS 64
#define BS_PLOT_LABEL_SIZE 24

/* The labelled ticks of the time axis. */
typedef struct {
    int count;
    int64_t seconds[BS_PLOT_MAX_TICKS]; /* unix seconds, increasing, on calendar boundaries */
    char label[BS_PLOT_MAX_TICKS][BS_PLOT_LABEL_SIZE]; /* "%H:%M:%S" up to "%Y", by the span */
} bs_plot_ticks;

/*
 * The time axis bs_plot_predictions() draws for [from_s, to_s] (unix seconds): the finest step
 * (1 s up to 50 years) whose labels fit side by side in the chart's width without overlapping.
 */
BS_API void bs_plot_time_ticks(double from_s, double to_s, bs_plot_ticks *out);

#endif
