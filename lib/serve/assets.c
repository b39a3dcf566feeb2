/*
 * assets.c - the page, its script and style, and uPlot (from npm, fetched at build time by
 * scripts/install-web-deps.sh), embedded in the binary with the assembler's .incbin: the
 * dashboard needs no file at run time and no URL can name a file on disk.
 * BS_SERVE_WEB_SRC (lib/serve/web) and BS_SERVE_UPLOT_DIR (uPlot's dist folder) are set by
 * CMakeLists.txt, which also makes this file rebuild when an asset changes.
 */
#include <string.h>

#include "serve_internal.h"

#define STR2(x) #x
#define STR(x) STR2(x)

/* Each asset: NAME (its bytes) and NAME_end, in .rodata. */
#define INCBIN(name, file)                                                                         \
    __asm__(".section .rodata\n"                                                                   \
            ".balign 16\n" #name ":\n"                                                             \
            ".incbin \"" file "\"\n" #name "_end:\n"                                               \
            ".byte 0\n"                                                                            \
            ".previous\n");                                                                        \
    extern const unsigned char name[], name##_end[]

INCBIN(serve_page_html, STR(BS_SERVE_WEB_SRC) "/index.html");
INCBIN(serve_page_js, STR(BS_SERVE_WEB_SRC) "/app.js");
INCBIN(serve_page_css, STR(BS_SERVE_WEB_SRC) "/style.css");
INCBIN(serve_uplot_js, STR(BS_SERVE_UPLOT_DIR) "/uPlot.iife.min.js");
INCBIN(serve_uplot_css, STR(BS_SERVE_UPLOT_DIR) "/uPlot.min.css");

#define ASSET(path, type, name)                                                                    \
    { path, type, name, 0 }

static const serve_asset assets[] = {
    ASSET("/", "text/html; charset=utf-8", serve_page_html),
    ASSET("/app.js", "text/javascript; charset=utf-8", serve_page_js),
    ASSET("/style.css", "text/css; charset=utf-8", serve_page_css),
    ASSET("/uplot.js", "text/javascript; charset=utf-8", serve_uplot_js),
    ASSET("/uplot.css", "text/css; charset=utf-8", serve_uplot_css),
};

static const unsigned char *const ends[] = {serve_page_html_end, serve_page_js_end,
                                            serve_page_css_end, serve_uplot_js_end,
                                            serve_uplot_css_end};

int serve_asset_find(const char *path, serve_asset *out) {
    for (size_t i = 0; i < sizeof assets / sizeof assets[0]; i++) {
        if (strcmp(assets[i].path, path) != 0) continue;
        *out = assets[i];
        out->size = (size_t)(ends[i] - assets[i].data);
        return 1;
    }
    return 0;
}

size_t serve_assets_total(void) {
    size_t total = 0;
    for (size_t i = 0; i < sizeof assets / sizeof assets[0]; i++)
        total += (size_t)(ends[i] - assets[i].data);
    return total;
}
