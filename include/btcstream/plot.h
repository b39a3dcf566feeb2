/*
 * plot.h - the actual-versus-predicted chart of the course project, drawn with PLplot's cairo
 * memory driver and written by png.h: 1200x600, actual close in blue, predicted in red, against
 * time, with the seed's title and axis names, a legend and a grid. The date labels' spacing and
 * format follow the time span (minutes to years), so they never overlap.
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
