/*
 * lazy_plplot.c - PLplot, loaded the first time plot.c uses it (as lazy_libs.c does for libcurl
 * and XGBoost).
 *
 * Linked, libplplot and its own dependencies (qhull, shapelib, csironn, freetype, ...) cost every
 * btcstream process ~1.5 ms of loading, though only `plot` and `run` draw. Each PLplot function
 * plot.c calls (the c_ names plplot.h maps them to) is defined here and forwards to the real one.
 * Without PLplot, plgDevs() lists no device, which plot.c reports as a missing driver before it
 * calls anything else; the drawing calls then do nothing.
 */
#include <dlfcn.h>
#include <plplot/plplot.h>
#include <pthread.h>

#include "lazy_bind.h"

static struct {
    void *lib;
    __typeof__(plgDevs) *gdevs;
    __typeof__(c_pladv) *adv;
    __typeof__(c_plbox) *box;
    __typeof__(c_plcol0) *col0;
    __typeof__(c_plend) *end;
    __typeof__(c_plfill) *fill;
    __typeof__(c_plinit) *init;
    __typeof__(c_pljoin) *join;
    __typeof__(c_pllab) *lab;
    __typeof__(c_pllegend) *legend;
    __typeof__(c_plline) *line;
    __typeof__(c_plmtex) *mtex;
    __typeof__(c_plscol0) *scol0;
    __typeof__(c_plsdev) *sdev;
    __typeof__(c_plsmem) *smem;
    __typeof__(c_plspage) *spage;
    __typeof__(c_plvpor) *vpor;
    __typeof__(c_plwidth) *width;
    __typeof__(c_plwind) *wind;
} pl;

static pthread_once_t plplot_once = PTHREAD_ONCE_INIT;

static void load_plplot(void) {
    void *lib = dlopen("libplplot.so.17", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return;
    int absent = 0;
#define BIND(field, name) LAZY_BIND(absent, lib, pl.field, name)
    BIND(gdevs, "plgDevs");
    BIND(adv, "c_pladv");
    BIND(box, "c_plbox");
    BIND(col0, "c_plcol0");
    BIND(end, "c_plend");
    BIND(fill, "c_plfill");
    BIND(init, "c_plinit");
    BIND(join, "c_pljoin");
    BIND(lab, "c_pllab");
    BIND(legend, "c_pllegend");
    BIND(line, "c_plline");
    BIND(mtex, "c_plmtex");
    BIND(scol0, "c_plscol0");
    BIND(sdev, "c_plsdev");
    BIND(smem, "c_plsmem");
    BIND(spage, "c_plspage");
    BIND(vpor, "c_plvpor");
    BIND(width, "c_plwidth");
    BIND(wind, "c_plwind");
#undef BIND
    if (absent == 0) pl.lib = lib;
}

static int have_plplot(void) {
    pthread_once(&plplot_once, load_plplot);
    return pl.lib != NULL;
}

void plgDevs(PLCHAR_VECTOR **menu, PLCHAR_VECTOR **names, int *count) {
    if (have_plplot()) pl.gdevs(menu, names, count);
    else *count = 0;
}

/* The drawing calls: plot.c reaches them only after plgDevs() found the driver. */
#define FORWARD(field, call)                                                                       \
    if (have_plplot()) pl.field call

void c_pladv(PLINT page) { FORWARD(adv, (page)); }
void c_plbox(PLCHAR_VECTOR xopt, PLFLT xtick, PLINT nxsub, PLCHAR_VECTOR yopt, PLFLT ytick,
             PLINT nysub) {
    FORWARD(box, (xopt, xtick, nxsub, yopt, ytick, nysub));
}
void c_plcol0(PLINT icol0) { FORWARD(col0, (icol0)); }
void c_plend(void) { FORWARD(end, ()); }
void c_plinit(void) { FORWARD(init, ()); }
void c_pljoin(PLFLT x1, PLFLT y1, PLFLT x2, PLFLT y2) { FORWARD(join, (x1, y1, x2, y2)); }
void c_pllab(PLCHAR_VECTOR xlabel, PLCHAR_VECTOR ylabel, PLCHAR_VECTOR tlabel) {
    FORWARD(lab, (xlabel, ylabel, tlabel));
}
void c_pllegend(PLFLT_NC_SCALAR p_legend_width, PLFLT_NC_SCALAR p_legend_height, PLINT opt,
                PLINT position, PLFLT x, PLFLT y, PLFLT plot_width, PLINT bg_color, PLINT bb_color,
                PLINT bb_style, PLINT nrow, PLINT ncolumn, PLINT nlegend, PLINT_VECTOR opt_array,
                PLFLT text_offset, PLFLT text_scale, PLFLT text_spacing, PLFLT text_justification,
                PLINT_VECTOR text_colors, PLCHAR_MATRIX text, PLINT_VECTOR box_colors,
                PLINT_VECTOR box_patterns, PLFLT_VECTOR box_scales, PLFLT_VECTOR box_line_widths,
                PLINT_VECTOR line_colors, PLINT_VECTOR line_styles, PLFLT_VECTOR line_widths,
                PLINT_VECTOR symbol_colors, PLFLT_VECTOR symbol_scales, PLINT_VECTOR symbol_numbers,
                PLCHAR_MATRIX symbols) {
    FORWARD(legend, (p_legend_width, p_legend_height, opt, position, x, y, plot_width, bg_color,
                     bb_color, bb_style, nrow, ncolumn, nlegend, opt_array, text_offset, text_scale,
                     text_spacing, text_justification, text_colors, text, box_colors, box_patterns,
                     box_scales, box_line_widths, line_colors, line_styles, line_widths,
                     symbol_colors, symbol_scales, symbol_numbers, symbols));
}
void c_plline(PLINT n, PLFLT_VECTOR x, PLFLT_VECTOR y) { FORWARD(line, (n, x, y)); }
void c_plfill(PLINT n, PLFLT_VECTOR x, PLFLT_VECTOR y) { FORWARD(fill, (n, x, y)); }
void c_plmtex(PLCHAR_VECTOR side, PLFLT disp, PLFLT pos, PLFLT just, PLCHAR_VECTOR text) {
    FORWARD(mtex, (side, disp, pos, just, text));
}
void c_plscol0(PLINT icol0, PLINT r, PLINT g, PLINT b) { FORWARD(scol0, (icol0, r, g, b)); }
void c_plsdev(PLCHAR_VECTOR devname) { FORWARD(sdev, (devname)); }
void c_plsmem(PLINT maxx, PLINT maxy, PLPointer plotmem) { FORWARD(smem, (maxx, maxy, plotmem)); }
void c_plspage(PLFLT xp, PLFLT yp, PLINT xleng, PLINT yleng, PLINT xoff, PLINT yoff) {
    FORWARD(spage, (xp, yp, xleng, yleng, xoff, yoff));
}
void c_plvpor(PLFLT xmin, PLFLT xmax, PLFLT ymin, PLFLT ymax) {
    FORWARD(vpor, (xmin, xmax, ymin, ymax));
}
void c_plwidth(PLFLT width) { FORWARD(width, (width)); }
void c_plwind(PLFLT xmin, PLFLT xmax, PLFLT ymin, PLFLT ymax) {
    FORWARD(wind, (xmin, xmax, ymin, ymax));
}
