/*
 * plot.c - see plot.h. PLplot keeps global state and calls exit() on fatal errors, so this file
 * checks everything it can before plinit(): the driver is listed, the data is finite.
 *
 * The chart is drawn by PLplot's memcairo driver (the same cairo and pango rendering as
 * pngcairo) into an RGB buffer that starts out white, and written by png.c: pngcairo's own
 * writer spent about 40 ms, half of `btcstream plot`, compressing it (see png.h).
 */
#include "btcstream/plot.h"

#include <errno.h>
#include <math.h>
#include <plplot/plplot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "btcstream/png.h"
#include "btcstream/timeutil.h"

#define CHART_WIDTH 1200
#define CHART_HEIGHT 600

static int have_memcairo(void) {
    /* plgDevs fills caller-owned arrays, count in: their size, out: the devices found. */
    const char *menu_items[128], *name_items[128];
    const char **menu = menu_items, **names = name_items;
    int count = 128;
    plgDevs(&menu, &names, &count);
    for (int i = 0; i < count; i++)
        if (strcmp(names[i], "memcairo") == 0) return 1;
    return 0;
}

/*
 * Date ticks. PLplot's own time axis puts ticks at multiples of a fixed number of seconds from
 * 1970, which cannot follow the calendar: a "year" of 365.25 days lands on 31 December in some
 * years, so the label printed the year before. Ticks here are placed on calendar boundaries
 * (seconds to hours and days from the epoch, whole months and years through the civil calendar)
 * and labelled by strftime. The step is the smallest that leaves every label its width plus a
 * gap, measured with the label's own length, so labels never overlap whatever the span.
 */
typedef struct {
    int64_t seconds; /* fixed step; 0 for a calendar step */
    int months;      /* calendar step in months */
    const char *format;
} tick_unit;

static const tick_unit tick_units[] = {{1, 0, "%H:%M:%S"},
                                       {5, 0, "%H:%M:%S"},
                                       {15, 0, "%H:%M:%S"},
                                       {30, 0, "%H:%M:%S"},
                                       {60, 0, "%H:%M"},
                                       {300, 0, "%H:%M"},
                                       {900, 0, "%H:%M"},
                                       {1800, 0, "%H:%M"},
                                       {3600, 0, "%m-%d %H:%M"},
                                       {3 * 3600, 0, "%m-%d %H:%M"},
                                       {6 * 3600, 0, "%m-%d %H:%M"},
                                       {12 * 3600, 0, "%m-%d %H:%M"},
                                       {86400, 0, "%Y-%m-%d"},
                                       {2 * 86400, 0, "%Y-%m-%d"},
                                       {7 * 86400, 0, "%Y-%m-%d"},
                                       {14 * 86400, 0, "%Y-%m-%d"},
                                       {0, 1, "%Y-%m"},
                                       {0, 2, "%Y-%m"},
                                       {0, 3, "%Y-%m"},
                                       {0, 6, "%Y-%m"},
                                       {0, 12, "%Y"},
                                       {0, 24, "%Y"},
                                       {0, 60, "%Y"},
                                       {0, 120, "%Y"},
                                       {0, 240, "%Y"},
                                       {0, 600, "%Y"}};

#define PLOT_WIDTH_PX 1032 /* 0.86 of 1200: the viewport set in draw() */
#define LABEL_CHAR_PX 14   /* the default font's widest digits at this page size, and some */

/* Seconds since the epoch of the first day of month index mi (year * 12 + month - 1). */
static int64_t month_start(int64_t mi) {
    int64_t year = mi >= 0 ? mi / 12 : -((-mi + 11) / 12);
    return bs_days_from_civil(year, (unsigned)(mi - year * 12 + 1), 1) * 86400;
}

/* The ticks of unit u within [lo, hi] seconds; returns how many (at most BS_PLOT_MAX_TICKS + 1). */
static int unit_ticks(const tick_unit *u, int64_t lo, int64_t hi, int64_t *out) {
    int n = 0;
    if (u->seconds) {
        int64_t t =
            bs_time_floor(lo * BS_US_PER_SECOND, u->seconds * BS_US_PER_SECOND) / BS_US_PER_SECOND;
        for (t = t < lo ? t + u->seconds : t; t <= hi && n <= BS_PLOT_MAX_TICKS; t += u->seconds)
            out[n++] = t;
        return n;
    }
    time_t lo_t = (time_t)lo;
    struct tm tm;
    gmtime_r(&lo_t, &tm);
    int64_t mi = (int64_t)(tm.tm_year + 1900) * 12 + tm.tm_mon;
    if (month_start(mi) < lo) mi++;
    int64_t rem = ((mi % u->months) + u->months) % u->months;
    if (rem) mi += u->months - rem; /* multiples of the step: 2020, 2025 rather than 2021, 2026 */
    for (; month_start(mi) <= hi && n <= BS_PLOT_MAX_TICKS; mi += u->months)
        out[n++] = month_start(mi);
    return n;
}

static void tick_label(int64_t t, const char *format, char *buf, size_t cap) {
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    if (strftime(buf, cap, format, &tm) == 0) buf[0] = '\0';
}

void bs_plot_time_ticks(double from_s, double to_s, bs_plot_ticks *out) {
    int64_t lo = (int64_t)ceil(from_s), hi = (int64_t)floor(to_s);
    int64_t ticks[BS_PLOT_MAX_TICKS + 1];
    size_t last = sizeof tick_units / sizeof tick_units[0] - 1;
    out->count = 0;
    for (size_t i = 0; i <= last; i++) {
        int n = unit_ticks(&tick_units[i], lo, hi, ticks);
        char sample[BS_PLOT_LABEL_SIZE];
        tick_label(lo, tick_units[i].format, sample, sizeof sample);
        int fits = PLOT_WIDTH_PX / (((int)strlen(sample) + 3) * LABEL_CHAR_PX);
        if (n > fits && i < last) continue;
        out->count = n > BS_PLOT_MAX_TICKS ? BS_PLOT_MAX_TICKS : n;
        for (int k = 0; k < out->count; k++) {
            out->seconds[k] = ticks[k];
            tick_label(ticks[k], tick_units[i].format, out->label[k], BS_PLOT_LABEL_SIZE);
        }
        return;
    }
}

/* Grid lines, tick marks and labels of the time axis (the y axis is PLplot's own). */
static void draw_time_axis(double xmin, double xmax, double ymin, double ymax) {
    bs_plot_ticks t;
    bs_plot_time_ticks(xmin, xmax, &t);
    double mark = (ymax - ymin) * 0.015;
    for (int i = 0; i < t.count; i++) {
        double x = (double)t.seconds[i];
        plcol0(14);
        pljoin(x, ymin, x, ymax);
        plcol0(15);
        pljoin(x, ymin, x, ymin + mark);
        pljoin(x, ymax, x, ymax - mark);
        plmtex("b", 1.6, (x - xmin) / (xmax - xmin), 0.5, t.label[i]);
    }
}

static void bounds(const bs_predictions *p, double *xmin, double *xmax, double *ymin,
                   double *ymax) {
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
             PL_POSITION_TOP | PL_POSITION_LEFT | PL_POSITION_INSIDE, 0.02, 0.03, 0.08, 0, 15, 1, 0,
             0, 2, opts, 1.0, 1.0, 2.0, 1.0, text_colors, text, NULL, NULL, NULL, NULL, colors,
             styles, widths, NULL, NULL, NULL, NULL);
}

/* Draws the chart into rgb (CHART_HEIGHT rows of CHART_WIDTH pixels, R G B), which memcairo
 * draws over rather than clearing: the caller fills it with the background first. */
static void draw(const bs_predictions *p, uint8_t *rgb) {
    double xmin, xmax, ymin, ymax;
    bounds(p, &xmin, &xmax, &ymin, &ymax);
    plsdev("memcairo");
    plspage(100, 100, CHART_WIDTH, CHART_HEIGHT, 0, 0);
    plsmem(CHART_WIDTH, CHART_HEIGHT, rgb);
    plscol0(0, 255, 255, 255);  /* background */
    plscol0(15, 0, 0, 0);       /* text and frame */
    plscol0(1, 0, 0, 255);      /* actual: blue */
    plscol0(2, 255, 0, 0);      /* predicted: red */
    plscol0(14, 200, 200, 200); /* grid */
    plinit();
    pladv(0);
    plvpor(0.11, 0.97, 0.13, 0.9);
    plwind(xmin, xmax, ymin, ymax);
    plcol0(14);
    plbox("", 0, 0, "g", 0, 0);
    draw_time_axis(xmin, xmax, ymin, ymax);
    plcol0(15);
    plbox("bc", 0, 0, "bcnstvf", 0, 0); /* f: plain numbers, no "x10^4" */
    plmtex("b", 3.2, 0.5, 0.5, "Datetime");
    pllab("", "", "Actual vs Predicted Bitcoin Close Price (GBTRegressor)");
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
    if (!have_memcairo())
        return bs_fail(err, BS_ERR_UNSUPPORTED,
                       "PLplot's memcairo driver is missing (install plplot-driver-cairo)");
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp.png", png_path) >= (int)sizeof tmp)
        return bs_fail(err, BS_ERR_ARG, "path too long: %s", png_path);
    size_t size = (size_t)CHART_WIDTH * CHART_HEIGHT * 3;
    uint8_t *rgb = malloc(size);
    if (!rgb) return bs_fail(err, BS_ERR_NOMEM, "out of memory for a %zu-byte chart", size);
    memset(rgb, 255, size); /* the white background (colour 0 in draw()) */
    draw(p, rgb);
    bs_status st = bs_png_write_rgb(tmp, rgb, CHART_WIDTH, CHART_HEIGHT, err);
    free(rgb);
    if (st == BS_OK && rename(tmp, png_path) != 0)
        st = bs_fail(err, BS_ERR_IO, "%s: %s", png_path, strerror(errno));
    if (st != BS_OK) remove(tmp);
    return st;
}
