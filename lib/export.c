/*
 * export.c - one market's stored rows as CSV, JSON lines or Parquet (export_data.h).
 *
 * The rows are loaded whole (the history is sorted and deduplicated here, and a history's rows
 * fit memory as they do for train and predict), then written through one small buffered writer
 * that goes either to a caller's FILE (stdout) or to an atomic file (fsutil.h), so an interrupted
 * export never leaves half a file where the previous one was.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "btcstream/export_data.h"
#include "btcstream/fsutil.h"
#include "btcstream/parquet.h"
#include "btcstream/timeutil.h"

bs_status bs_export_format_parse(const char *name, bs_export_format *out, bs_error *err) {
    if (strcmp(name, "csv") == 0) *out = BS_EXPORT_CSV;
    else if (strcmp(name, "json") == 0) *out = BS_EXPORT_JSON;
    else if (strcmp(name, "parquet") == 0) *out = BS_EXPORT_PARQUET;
    else
        return bs_fail(err, BS_ERR_ARG, "unknown export format \"%s\" (csv, json or parquet)",
                       name);
    return BS_OK;
}

typedef struct {
    bs_tick_vec vec;
    int64_t from_us, to_us;
    int candles, nomem;
} load_ctx;

static int keep_tick(void *ctx, const bs_tick *t) {
    load_ctx *l = ctx;
    if (t->trades >= 0) l->candles = 1;
    if (t->ts_us < l->from_us || t->ts_us >= l->to_us) return 0;
    if (bs_tick_vec_push(&l->vec, t) != BS_OK) return l->nomem = 1;
    return 0;
}

/* After a stable sort, the last of each run of equal instants is the one stored last. */
static size_t keep_last_per_instant(bs_tick *t, size_t n) {
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        if (i + 1 < n && t[i + 1].ts_us == t[i].ts_us) continue;
        t[out++] = t[i];
    }
    return out;
}

bs_status bs_export_load(const char *path, int64_t from_us, int64_t to_us, bs_export_rows *out,
                         bs_error *err) {
    memset(out, 0, sizeof *out);
    load_ctx l = {.from_us = from_us, .to_us = to_us};
    bs_scan_options o = {.format = BS_FORMAT_JSONL};
    bs_status st = bs_scan_file(path, &o, keep_tick, &l, &out->stats, err);
    if (st == BS_ERR_EMPTY) st = BS_OK;
    if (st == BS_OK && l.nomem) st = bs_fail(err, BS_ERR_NOMEM, "%s: out of memory", path);
    if (st == BS_OK) st = bs_tick_vec_sort(&l.vec);
    if (st != BS_OK) {
        if (st == BS_ERR_NOMEM && !err->msg[0]) bs_fail(err, st, "%s: out of memory sorting", path);
        bs_tick_vec_free(&l.vec);
        return st;
    }
    out->rows = l.vec.items;
    out->n = keep_last_per_instant(l.vec.items, l.vec.len);
    out->candles = l.candles;
    return BS_OK;
}

void bs_export_rows_free(bs_export_rows *rows) {
    if (!rows) return;
    free(rows->rows);
    memset(rows, 0, sizeof *rows);
}

/* ---- text output -------------------------------------------------------------------------- */

typedef struct {
    FILE *file;         /* or */
    bs_atomic_file *af; /* the destination */
    char buf[1 << 16];
    size_t len;
    bs_status st;
    bs_error *err;
    const char *name;
} text_out;

static void out_flush(text_out *o) {
    if (o->st != BS_OK || o->len == 0) return;
    if (o->af) o->st = bs_atomic_write(o->af, o->buf, o->len, o->err);
    else if (fwrite(o->buf, 1, o->len, o->file) != o->len)
        o->st = bs_fail(o->err, BS_ERR_IO, "%s: %s", o->name, strerror(errno));
    o->len = 0;
}

static void out_put(text_out *o, const char *s, size_t n) {
    if (o->len + n > sizeof o->buf) out_flush(o);
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

static void out_str(text_out *o, const char *s) { out_put(o, s, strlen(s)); }

static void out_number(text_out *o, char sep, double v) {
    char num[40];
    num[0] = sep;
    size_t n = isnan(v) ? 0 : bs_number_format(v, num + 1, sizeof num - 1);
    out_put(o, num, n + 1);
}

static void csv_row(text_out *o, const bs_tick *t, int candles) {
    char when[BS_TIME_ISO_SIZE];
    if (candles) bs_time_format(t->ts_us, when);
    else bs_time_format_iso(t->ts_us, when);
    out_str(o, when);
    out_number(o, ',', t->open);
    out_number(o, ',', t->high);
    out_number(o, ',', t->low);
    out_number(o, ',', t->close);
    out_number(o, ',', t->volume);
    if (candles) {
        char trades[32] = ",";
        if (t->trades >= 0) snprintf(trades, sizeof trades, ",%lld", (long long)t->trades);
        out_str(o, trades);
    }
    out_put(o, "\n", 1);
}

static void write_text(const bs_export_rows *r, const char *market, bs_export_format format,
                       text_out *o) {
    if (format == BS_EXPORT_CSV)
        out_str(o, r->candles ? "Start,Open,High,Low,Close,Volume,Trades\n"
                              : "Datetime,Open,High,Low,Close,Volume\n");
    char line[BS_TICK_JSON_MAX];
    const char *m = market && market[0] ? market : NULL;
    for (size_t i = 0; i < r->n && o->st == BS_OK; i++) {
        if (format == BS_EXPORT_CSV) csv_row(o, &r->rows[i], r->candles);
        else out_put(o, line, bs_tick_format_json_market(&r->rows[i], m, line));
    }
    out_flush(o);
}

bs_status bs_export_write_stream(const bs_export_rows *rows, const char *market,
                                 bs_export_format format, FILE *out, bs_error *err) {
    if (format == BS_EXPORT_PARQUET)
        return bs_fail(err, BS_ERR_ARG, "Parquet goes to a file, not a stream (give --out)");
    text_out *o = calloc(1, sizeof *o);
    if (!o) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    *o = (text_out){.file = out, .err = err, .name = "output"};
    write_text(rows, market, format, o);
    bs_status st = o->st;
    if (st == BS_OK && fflush(out) != 0)
        st = bs_fail(err, BS_ERR_IO, "output: %s", strerror(errno));
    free(o);
    return st;
}

/* ---- Parquet ------------------------------------------------------------------------------ */

static bs_status write_parquet(const bs_export_rows *r, const char *market, const char *path,
                               bs_error *err) {
    const bs_parquet_column cols[] = {
        {"market", BS_PARQUET_STRING},
        {r->candles ? "start" : "timestamp", BS_PARQUET_TIMESTAMP_MICROS},
        {"open", BS_PARQUET_DOUBLE},
        {"high", BS_PARQUET_DOUBLE},
        {"low", BS_PARQUET_DOUBLE},
        {"close", BS_PARQUET_DOUBLE},
        {"volume", BS_PARQUET_DOUBLE},
        {"trades", BS_PARQUET_INT64_OPTIONAL}};
    enum { BATCH = 65536 };
    const char **mk = malloc(BATCH * sizeof *mk);
    int64_t *ts = malloc(BATCH * sizeof *ts), *trades = malloc(BATCH * sizeof *trades);
    double *num = malloc(5 * BATCH * sizeof *num);
    bs_parquet_writer *w = NULL;
    bs_status st = !mk || !ts || !trades || !num
                       ? bs_fail(err, BS_ERR_NOMEM, "out of memory")
                       : bs_parquet_writer_open(path, cols, 8, NULL, &w, err);
    for (size_t done = 0; st == BS_OK && done < r->n;) {
        size_t k = r->n - done < BATCH ? r->n - done : BATCH;
        for (size_t i = 0; i < k; i++) {
            const bs_tick *t = &r->rows[done + i];
            mk[i] = market ? market : "";
            ts[i] = t->ts_us;
            num[i] = t->open, num[BATCH + i] = t->high, num[2 * BATCH + i] = t->low;
            num[3 * BATCH + i] = t->close, num[4 * BATCH + i] = t->volume;
            trades[i] = t->trades >= 0 ? t->trades : BS_PARQUET_NULL_INT64;
        }
        const void *values[] = {
            mk, ts, num, num + BATCH, num + 2 * BATCH, num + 3 * BATCH, num + 4 * BATCH, trades};
        st = bs_parquet_write(w, k, values, err);
        done += k;
    }
    if (st == BS_OK) st = bs_parquet_writer_close(w, err);
    else bs_parquet_writer_abort(w);
    free(mk);
    free(ts);
    free(trades);
    free(num);
    return st;
}

bs_status bs_export_write_file(const bs_export_rows *rows, const char *market,
                               bs_export_format format, const char *path, bs_error *err) {
    if (format == BS_EXPORT_PARQUET) return write_parquet(rows, market, path, err);
    text_out *o = calloc(1, sizeof *o);
    if (!o) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    bs_atomic_file af;
    bs_status st = bs_atomic_open(&af, path, err);
    if (st == BS_OK) {
        *o = (text_out){.af = &af, .err = err, .name = path};
        write_text(rows, market, format, o);
        st = o->st;
        if (st == BS_OK) st = bs_atomic_commit(&af, 0, err);
        else bs_atomic_abort(&af);
    }
    free(o);
    return st;
}
