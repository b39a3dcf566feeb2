/* stream_render.c - see stream_render.h. */
#include "stream_render.h"

#include <stdio.h>
#include <stdlib.h>

#include "btcstream/sink.h"
#include "btcstream/table.h"
#include "btcstream/timeutil.h"

static void print_rows(const bs_batch_report *r, size_t shown) {
    bs_table t = {"batch", shown, 6, {{0}}};
    static const char *const names[] = {"Datetime", "Open", "High", "Low", "Close", "Volume"};
    for (size_t c = 0; c < 6; c++) {
        t.column[c].name = names[c];
        t.column[c].type = c == 0 ? BS_COLUMN_TIMESTAMP : BS_COLUMN_DOUBLE;
        t.column[c].values.f64 = malloc((shown ? shown : 1) * sizeof(double));
        if (!t.column[c].values.f64) {
            bs_table_free(&t);
            return;
        }
    }
    for (size_t i = 0; i < shown; i++) {
        const bs_tick *k = &r->ticks[i];
        t.column[0].values.i64[i] = k->ts_us;
        double v[] = {k->open, k->high, k->low, k->close, k->volume};
        for (size_t c = 1; c < 6; c++) t.column[c].values.f64[i] = v[c - 1];
    }
    bs_sink_options o = {.out = stdout};
    bs_sink *grid;
    bs_error err = {{0}};
    if (bs_sink_open("table", &o, &grid, &err) == BS_OK) bs_sink_write(grid, &t, &err);
    bs_sink_free(grid);
    bs_table_free(&t);
}

static void print_span(const char *label, const bs_span_stats *s) {
    char start[BS_TIME_TEXT_SIZE];
    bs_time_format(s->start_us, start);
    printf("  %-6s from %s: %llu ticks", label, start, (unsigned long long)s->count);
    if (s->count > 0)
        printf(", avg %.2f, min %.2f, max %.2f", s->avg_close, s->min_close, s->max_close);
    putchar('\n');
}

int stream_render_batch(void *ctx, const bs_batch_report *r) {
    const stream_render *how = ctx;
    if (r->market && r->market[0])
        printf("batch %llu of %s: %zu new row%s", (unsigned long long)r->batch, r->market,
               r->rows, r->rows == 1 ? "" : "s");
    else
        printf("batch %llu: %zu new row%s", (unsigned long long)r->batch, r->rows,
               r->rows == 1 ? "" : "s");
    if (r->quarantined)
        printf(", %zu file%s quarantined", r->quarantined, r->quarantined == 1 ? "" : "s");
    if (r->late) printf(", %zu late", r->late);
    putchar('\n');
    if (!how->quiet && r->rows > 0) {
        size_t shown = r->rows < (size_t)how->max_rows ? r->rows : (size_t)how->max_rows;
        print_rows(r, shown);
        if (shown < r->rows) printf("... and %zu more rows\n", r->rows - shown);
        printf("live:\n");
        print_span("hour", &r->hour);
        print_span("day", &r->day);
        print_span("window", &r->window);
    }
    fflush(stdout);
    return 0;
}

void stream_render_notice(void *ctx, const char *message) {
    (void)ctx;
    fprintf(stderr, "btcstream stream: %s\n", message);
}
