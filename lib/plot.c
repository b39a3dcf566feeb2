/*
 * plot.c - see plot.h. PLplot keeps global state and calls exit() on fatal errors, so this file
 * checks everything it can before plinit(): the driver is listed, the data is finite.
 */
#include "btcstream/plot.h"

#include <errno.h>
#include <math.h>
#include <plplot/plplot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btcstream/timeutil.h"

static int have_pngcairo(void) {
    /* plgDevs fills caller-owned arrays, count in: their size, out: the devices found. */
    const char *menu_items[128], *name_items[128];
    const char **menu = menu_items, **names = name_items;
    int count = 128;
    plgDevs(&menu, &names, &count);
    for (int i = 0; i < count; i++)
        if (strcmp(names[i], "pngcairo") == 0) return 1;
    return 0;
}

/* A tick step (seconds) giving at most about eight labels, and the label format that suits it. */
static void choose_ticks(double span, double *step, const char **format) {
    static const struct {
        double seconds;
        const char *format;
    } steps[] = {{1, "%H:%M:%S"},       {5, "%H:%M:%S"},       {15, "%H:%M:%S"},
                 {30, "%H:%M:%S"},      {60, "%H:%M"},         {300, "%H:%M"},
                 {900, "%H:%M"},        {1800, "%H:%M"},       {3600, "%m-%d %H:%M"},
                 {3 * 3600, "%m-%d %H:%M"}, {6 * 3600, "%m-%d %H:%M"}, {12 * 3600, "%m-%d %H:%M"},
                 {86400, "%Y-%m-%d"},   {2 * 86400, "%Y-%m-%d"}, {7 * 86400, "%Y-%m-%d"},
                 {14 * 86400, "%Y-%m-%d"}, {30 * 86400, "%Y-%m"}, {91 * 86400, "%Y-%m"},
                 {182 * 86400, "%Y-%m"}, {365.25 * 86400, "%Y"}, {2 * 365.25 * 86400, "%Y"},
                 {5 * 365.25 * 86400, "%Y"}, {10 * 365.25 * 86400, "%Y"}};
    size_t n = sizeof steps / sizeof steps[0], i = 0;
    while (i + 1 < n && span / steps[i].seconds > 7) i++;
    *step = steps[i].seconds;
    *format = steps[i].format;
}

static void bounds(const bs_predictions *p, double *xmin, double *xmax, double *ymin, double *ymax) {
    *xmin = (double)p->timestamp_us[0] / 1e6;
    *xmax = (double)p->timestamp_us[p->rows - 1] / 1e6;
    *ymin = INFINITY;
    *ymax = -INFINITY;
    for (size_t i = 0; i < p->rows; i++) {
        double lo = fmin(p->close[i], p->prediction[i]), hi = fmax(p->close[i], p->prediction[i]);
        if (lo < *ymin) *ymin = lo;
        if (hi > *ymax) *ymax = hi;
    }
    double pad = (*ymax - *ymin) * 0.05 + 1e-9 * fabs(*ymax) + 1e-9;
    *ymin -= pad;
    *ymax += pad;
    if (*xmax <= *xmin) { /* one instant: show a minute around it */
        *xmin -= 30;
        *xmax += 30;
    }
}

static void draw_legend(void) {
    PLINT opts[] = {PL_LEGEND_LINE, PL_LEGEND_LINE}, colors[] = {1, 2}, styles[] = {1, 1};
    PLINT text_colors[] = {15, 15};
    PLFLT widths[] = {2.0, 2.0};
    const char *text[] = {"Actual", "Predicted"};
    PLFLT width, height;
    pllegend(&width, &height, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX,
             PL_POSITION_TOP | PL_POSITION_LEFT | PL_POSITION_INSIDE, 0.02, 0.03, 0.08, 0, 15, 1,
             0, 0, 2, opts, 1.0, 1.0, 2.0, 1.0, text_colors, text, NULL, NULL, NULL, NULL, colors,
             styles, widths, NULL, NULL, NULL, NULL);
}

static void draw(const bs_predictions *p, const char *file) {
    double xmin, xmax, ymin, ymax, step;
    const char *format;
    bounds(p, &xmin, &xmax, &ymin, &ymax);
    choose_ticks(xmax - xmin, &step, &format);
    plsdev("pngcairo");
    plsfnam(file);
    plspage(100, 100, 1200, 600, 0, 0);
    plscol0(0, 255, 255, 255);  /* background */
    plscol0(15, 0, 0, 0);       /* text and frame */
    plscol0(1, 0, 0, 255);      /* actual: blue */
    plscol0(2, 255, 0, 0);      /* predicted: red */
    plscol0(14, 200, 200, 200); /* grid */
    plinit();
    pladv(0);
    plvpor(0.11, 0.97, 0.13, 0.9);
    plwind(xmin, xmax, ymin, ymax);
    pltimefmt(format);
    plcol0(14);
    plbox("g", step, 0, "g", 0, 0);
    plcol0(15);
    plbox("bcnstd", step, 0, "bcnstvf", 0, 0); /* f: plain numbers, no "x10^4" */
    pllab("Datetime", "", "Actual vs Predicted Bitcoin Close Price (GBTRegressor)");
    plmtex("l", 6.0, 0.5, 0.5, "Close Price (USD)"); /* clear of the widest price labels */
    PLFLT *x = malloc(p->rows * sizeof *x), *y = malloc(p->rows * sizeof *y);
    if (x && y) {
        for (size_t i = 0; i < p->rows; i++) x[i] = (double)p->timestamp_us[i] / 1e6;
        plwidth(1.5);
        plcol0(1);
        for (size_t i = 0; i < p->rows; i++) y[i] = p->close[i];
        plline((PLINT)p->rows, x, y);
        plcol0(2);
        for (size_t i = 0; i < p->rows; i++) y[i] = p->prediction[i];
        plline((PLINT)p->rows, x, y);
    }
    free(x);
    free(y);
    plwidth(1.0);
    draw_legend();
    plend();
}

bs_status bs_plot_predictions(const bs_predictions *p, const char *png_path, bs_error *err) {
    if (p->rows == 0) return bs_fail(err, BS_ERR_EMPTY, "no predictions to plot");
    for (size_t i = 0; i < p->rows; i++)
        if (!isfinite(p->close[i]) || !isfinite(p->prediction[i]))
            return bs_fail(err, BS_ERR_ARG, "prediction row %zu is not finite", i + 1);
    if (!have_pngcairo())
        return bs_fail(err, BS_ERR_UNSUPPORTED,
                       "PLplot's pngcairo driver is missing (install plplot-driver-cairo)");
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp.png", png_path) >= (int)sizeof tmp)
        return bs_fail(err, BS_ERR_ARG, "path too long: %s", png_path);
    FILE *probe = fopen(tmp, "wb"); /* PLplot exits on a file it cannot open: check first */
    if (!probe) return bs_fail(err, BS_ERR_IO, "%s: %s", tmp, strerror(errno));
    fclose(probe);
    draw(p, tmp);
    if (rename(tmp, png_path) != 0) {
        remove(tmp);
        return bs_fail(err, BS_ERR_IO, "%s: %s", png_path, strerror(errno));
    }
    return BS_OK;
}
