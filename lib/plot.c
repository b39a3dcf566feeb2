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

#define PLOT_WIDTH_PX 1008 /* 0.84 of 1200: the viewport of draw_prices() */
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

/* Approximate width in pixels of a label character at the default font size (digits). */
#define LABEL_GLYPH_PX 13

/* Grid lines and tick marks of the time axis; labels too when with_labels (the lowest panel). A
 * label that would run past the page's right edge is right-aligned on its tick instead of
 * centred, so the last one is never clipped. */
static void draw_time_axis(double xmin, double xmax, double ymin, double ymax, int with_labels,
                           double vp_left, double vp_right) {
    bs_plot_ticks t;
    bs_plot_time_ticks(xmin, xmax, &t);
    double mark = (ymax - ymin) * 0.015;
    for (int i = 0; i < t.count; i++) {
        double x = (double)t.seconds[i], pos = (x - xmin) / (xmax - xmin);
        plcol0(14);
        pljoin(x, ymin, x, ymax);
        plcol0(15);
        pljoin(x, ymin, x, ymin + mark);
        pljoin(x, ymax, x, ymax - mark);
        if (!with_labels) continue;
        double center_px = (vp_left + pos * (vp_right - vp_left)) * CHART_WIDTH;
        double half_px = (double)strlen(t.label[i]) * LABEL_GLYPH_PX / 2;
        plmtex("b", 1.6, pos, center_px + half_px > CHART_WIDTH - 4 ? 1.0 : 0.5, t.label[i]);
    }
}

/* y range of the values (and of the band when given), padded by 5%. */
static void y_bounds(const double *const *series, int count, size_t rows, double *ymin,
                     double *ymax) {
    *ymin = INFINITY;
    *ymax = -INFINITY;
    for (int k = 0; k < count; k++)
        for (size_t i = 0; i < rows; i++) {
            *ymin = fmin(*ymin, series[k][i]);
            *ymax = fmax(*ymax, series[k][i]);
        }
    double pad = (*ymax - *ymin) * 0.05 + 1e-9 * fabs(*ymax) + 1e-9;
    *ymin -= pad;
    *ymax += pad;
}

static void x_bounds(const bs_predictions *p, double *xmin, double *xmax) {
    *xmin = (double)p->timestamp_us[0] / 1e6;
    *xmax = (double)p->timestamp_us[p->rows - 1] / 1e6;
    if (*xmax <= *xmin) { /* one instant: show a minute around it */
        *xmin -= 30;
        *xmax += 30;
    }
}

/* The band is drawn only when every bound is finite (too few held-out rows give infinite ones). */
static int has_band(const bs_predictions *p) {
    if (!p->lower || !p->upper) return 0;
    for (size_t i = 0; i < p->rows; i++)
        if (!isfinite(p->lower[i]) || !isfinite(p->upper[i])) return 0;
    return 1;
}

/*
 * The legend: one row in the margin above the chart's right half, off the data. Drawn as text
 * (a coloured mark, then its name in black) rather than with pllegend, whose boxes sized
 * themselves to the widest name and ran off the page.
 */
static void draw_legend(int band) {
    static const struct {
        int color;
        const char *mark, *name;
        double pos;
    } items[] = {{1, "\u2501\u2501", "Actual", 0.44},
                 {2, "\u2501\u2501", "Predicted", 0.58},
                 {3, "\u2588\u2588", "Prediction interval", 0.74}};
    for (int i = 0; i < (band ? 3 : 2); i++) {
        plcol0(items[i].color);
        plmtex("t", 0.8, items[i].pos, 0.0, items[i].mark);
        plcol0(15);
        plmtex("t", 0.8, items[i].pos + 0.035, 0.0, items[i].name);
    }
}

/* Fills between lo and hi over x (n points) with the current colour. */
static void fill_band(const PLFLT *x, const double *lo, const double *hi, double shift_lo,
                      const double *shift, size_t n, PLFLT *px, PLFLT *py) {
    for (size_t i = 0; i < n; i++) {
        px[i] = x[i];
        py[i] = lo[i] - (shift ? shift[i] : shift_lo);
        px[2 * n - 1 - i] = x[i];
        py[2 * n - 1 - i] = hi[i] - (shift ? shift[i] : shift_lo);
    }
    plfill((PLINT)(2 * n), px, py);
}

static void line(const PLFLT *x, const double *a, const double *b, size_t n, PLFLT *y) {
    for (size_t i = 0; i < n; i++) y[i] = b ? a[i] - b[i] : a[i];
    plline((PLINT)n, x, y);
}

typedef struct {
    const bs_predictions *p;
    PLFLT *x, *y, *px, *py; /* scratch: n, n, 2n, 2n */
    int band;
    double xmin, xmax;
} chart;

#define VP_LEFT 0.11
#define VP_RIGHT 0.95

/* The prices: the band, the forecast in red, the actual close in blue on top of both. */
static void draw_prices(const chart *c, const char *title, const char *y_label) {
    const bs_predictions *p = c->p;
    const double *series[] = {p->close, p->prediction, p->lower, p->upper};
    double ymin, ymax;
    y_bounds(series, c->band ? 4 : 2, p->rows, &ymin, &ymax);
    plvpor(VP_LEFT, VP_RIGHT, 0.42, 0.88);
    plwind(c->xmin, c->xmax, ymin, ymax);
    if (c->band) {
        plcol0(3);
        fill_band(c->x, p->lower, p->upper, 0, NULL, p->rows, c->px, c->py);
    }
    plcol0(14);
    plbox("", 0, 0, "g", 0, 0);
    draw_time_axis(c->xmin, c->xmax, ymin, ymax, 0, VP_LEFT, VP_RIGHT);
    plcol0(15);
    plbox("bc", 0, 0, "bcnstvf", 0, 0); /* f: plain numbers, no "x10^4" */
    plmtex("t", 2.2, 0.0, 0.0, title);
    plmtex("l", 6.0, 0.5, 0.5, y_label); /* clear of the widest price labels */
    plwidth(1.2);
    plcol0(2);
    line(c->x, p->prediction, NULL, p->rows, c->y);
    plcol0(1);
    line(c->x, p->close, NULL, p->rows, c->y);
    plwidth(1.0);
    draw_legend(c->band);
}

/* Below: the error (actual - predicted) around 0, with the band about the forecast. */
static void draw_errors(const chart *c) {
    const bs_predictions *p = c->p;
    double ymin = INFINITY, ymax = -INFINITY;
    for (size_t i = 0; i < p->rows; i++) {
        double e = p->close[i] - p->prediction[i];
        double lo = c->band ? fmin(e, p->lower[i] - p->prediction[i]) : e;
        double hi = c->band ? fmax(e, p->upper[i] - p->prediction[i]) : e;
        ymin = fmin(ymin, fmin(lo, 0));
        ymax = fmax(ymax, fmax(hi, 0));
    }
    double pad = (ymax - ymin) * 0.08 + 1e-9;
    plvpor(VP_LEFT, VP_RIGHT, 0.13, 0.36);
    plwind(c->xmin, c->xmax, ymin - pad, ymax + pad);
    if (c->band) {
        plcol0(3);
        fill_band(c->x, p->lower, p->upper, 0, p->prediction, p->rows, c->px, c->py);
    }
    draw_time_axis(c->xmin, c->xmax, ymin - pad, ymax + pad, 1, VP_LEFT, VP_RIGHT);
    plcol0(15);
    plbox("bc", 0, 0, "bcnstvf", 0, 0);
    plmtex("l", 6.0, 0.5, 0.5, "Error");
    plmtex("b", 3.2, 0.5, 0.5, "Time (UTC)");
    plcol0(14);
    pljoin(c->xmin, 0, c->xmax, 0);
    plcol0(4);
    line(c->x, p->close, p->prediction, p->rows, c->y);
}

/* Draws the chart into rgb (CHART_HEIGHT rows of CHART_WIDTH pixels, R G B), which memcairo
 * draws over rather than clearing: the caller fills it with the background first. */
static bs_status draw(const bs_predictions *p, const bs_plot_options *o, uint8_t *rgb,
                      bs_error *err) {
    chart c = {.p = p, .band = has_band(p)};
    c.x = malloc(p->rows * sizeof *c.x);
    c.y = malloc(p->rows * sizeof *c.y);
    c.px = malloc(2 * p->rows * sizeof *c.px);
    c.py = malloc(2 * p->rows * sizeof *c.py);
    bs_status st = c.x && c.y && c.px && c.py ? BS_OK : bs_fail(err, BS_ERR_NOMEM, "out of memory");
    if (st == BS_OK) {
        for (size_t i = 0; i < p->rows; i++) c.x[i] = (double)p->timestamp_us[i] / 1e6;
        x_bounds(p, &c.xmin, &c.xmax);
        plsdev("memcairo");
        plspage(100, 100, CHART_WIDTH, CHART_HEIGHT, 0, 0);
        plsmem(CHART_WIDTH, CHART_HEIGHT, rgb);
        plscol0(0, 255, 255, 255);  /* background */
        plscol0(15, 0, 0, 0);       /* text and frame */
        plscol0(1, 0, 0, 255);      /* actual: blue */
        plscol0(2, 255, 0, 0);      /* predicted: red */
        plscol0(3, 250, 200, 200);  /* the interval: light red */
        plscol0(4, 90, 90, 90);     /* the error: dark grey */
        plscol0(14, 200, 200, 200); /* grid */
        plinit();
        pladv(0);
        draw_prices(&c, o && o->title ? o->title : BS_PLOT_DEFAULT_TITLE,
                    o && o->y_label ? o->y_label : BS_PLOT_DEFAULT_Y_LABEL);
        draw_errors(&c);
        plend();
    }
    free(c.x);
    free(c.y);
    free(c.px);
    free(c.py);
    return st;
}

bs_status bs_plot_predictions(const bs_predictions *p, const char *png_path, bs_error *err) {
    return bs_plot_predictions_with(p, png_path, NULL, err);
}

bs_status bs_plot_predictions_with(const bs_predictions *p, const char *png_path,
                                   const bs_plot_options *o, bs_error *err) {
    if (p->rows == 0) return bs_fail(err, BS_ERR_EMPTY, "no predictions to plot");
    for (size_t i = 0; i < p->rows; i++)
        if (!isfinite(p->close[i]) || !isfinite(p->prediction[i]))
            return bs_fail(err, BS_ERR_ARG, "prediction row %zu is not finite", i + 1);
    if (!have_memcairo())
        return bs_fail(err, BS_ERR_UNSUPPORTED,
                       "PLplot's memcairo driver is missing (install plplot-driver-cairo)");
    size_t size = (size_t)CHART_WIDTH * CHART_HEIGHT * 3;
    uint8_t *rgb = malloc(size);
    if (!rgb) return bs_fail(err, BS_ERR_NOMEM, "out of memory for a %zu-byte chart", size);
    memset(rgb, 255, size); /* the white background (colour 0 in draw()) */
    bs_status st = draw(p, o, rgb, err);
    if (st == BS_OK) st = bs_png_write_rgb(png_path, rgb, CHART_WIDTH, CHART_HEIGHT, err);
    free(rgb);
    return st;
}
