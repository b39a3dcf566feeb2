/*
 * plot.h - the actual-versus-predicted chart of the course project, drawn with PLplot's cairo
 * PNG driver: 1200x600, actual close in blue, predicted in red, against time, with the seed's
 * title and axis names, a legend and a grid. The date labels' spacing and format follow the time
 * span (minutes to years), so they never overlap.
 */
#ifndef BTCSTREAM_PLOT_H
#define BTCSTREAM_PLOT_H

#include "btcstream/predictions.h"
#include "btcstream/status.h"

/*
 * Writes the chart of p (at least one row) to png_path, replacing it whole. BS_ERR_UNSUPPORTED
 * when PLplot's pngcairo driver is not installed (checked first: PLplot exits the process when
 * asked for a driver it lacks).
 */
bs_status bs_plot_predictions(const bs_predictions *p, const char *png_path, bs_error *err);

#endif
