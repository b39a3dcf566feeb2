/*
 * prometheus.c - see prometheus.h. Every series carries the market label so that the names stay
 * the same when a data dir holds several markets (issue 11). Per-source series (messages,
 * reconnects, stalls, gaps, backfills) and upload results are not here yet: no source reports
 * them to the data dir, and a metric that is always zero would claim what we do not know.
 */
#include "prometheus.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "btcstream/timeutil.h"
#include "btcstream/version.h"

/* Label values escape backslash, double quote and newline (the format's only escapes). */
static void label_value(text_buf *b, const char *v) {
    for (; *v; v++) {
        if (*v == '\\') text_buf_lit(b, "\\\\");
        else if (*v == '"') text_buf_lit(b, "\\\"");
        else if (*v == '\n') text_buf_lit(b, "\\n");
        else text_buf_append(b, v, 1);
    }
}

static void header(text_buf *b, const char *name, const char *type, const char *help) {
    text_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void sample(text_buf *b, const char *name, const char *market, double v) {
    text_buf_printf(b, "%s{market=\"", name);
    label_value(b, market);
    if (isnan(v)) text_buf_lit(b, "\"} NaN\n");
    else text_buf_printf(b, "\"} %.17g\n", v);
}

static void metric(text_buf *b, const char *name, const char *type, const char *help,
                   const char *market, double v) {
    header(b, name, type, help);
    sample(b, name, market, v);
}

static void latency_histogram(text_buf *b, const serve_state *s) {
    const char *name = "btcstream_commit_publish_latency_seconds";
    header(b, name, "histogram",
           "Time from a batch's commit line (the log's mtime) to its event being published.");
    uint64_t cumulative = 0;
    for (size_t i = 0; i < SERVE_LATENCY_BUCKETS; i++) {
        cumulative += s->latency_buckets[i];
        text_buf_printf(b, "%s_bucket{market=\"", name);
        label_value(b, s->market);
        if (isinf(serve_latency_bounds[i])) text_buf_lit(b, "\",le=\"+Inf\"}");
        else text_buf_printf(b, "\",le=\"%g\"}", serve_latency_bounds[i]);
        text_buf_printf(b, " %llu\n", (unsigned long long)cumulative);
    }
    text_buf_printf(b, "%s_sum{market=\"", name);
    label_value(b, s->market);
    text_buf_printf(b, "\"} %.9g\n%s_count{market=\"", s->latency_sum, name);
    label_value(b, s->market);
    text_buf_printf(b, "\"} %llu\n", (unsigned long long)s->latency_count);
}

void serve_prometheus_text(serve_state *s, text_buf *b) {
    pthread_mutex_lock(&s->lock);
    const char *m = s->market;
    double now = (double)bs_now_us() / 1e6;
    int have = s->ticks_total > 0;
    header(b, "btcstream_build_info", "gauge", "The btcstream version serving these metrics.");
    text_buf_printf(b, "btcstream_build_info{version=\"%s\"} 1\n", BS_VERSION);
    metric(b, "btcstream_ticks_committed_total", "counter",
           "Ticks committed to the history (read up to the last commit).", m,
           (double)s->ticks_total);
    metric(b, "btcstream_batches_committed_total", "counter",
           "The stream processor's last committed batch number (counts across restarts).", m,
           (double)s->commit.batch);
    metric(b, "btcstream_batches_observed_total", "counter",
           "Committed batches this server published as events since it started.", m,
           (double)s->batches_seen);
    metric(b, "btcstream_history_committed_bytes", "gauge",
           "Bytes of the history that are committed.", m, (double)s->commit.size);
    latency_histogram(b, s);
    metric(b, "btcstream_newest_tick_timestamp_seconds", "gauge",
           "Time of the newest committed tick (Unix seconds).", m,
           have ? (double)s->newest_us / 1e6 : NAN);
    metric(b, "btcstream_newest_tick_lag_seconds", "gauge",
           "Now minus the newest committed tick's time.", m,
           have ? now - (double)s->newest_us / 1e6 : NAN);
    metric(b, "btcstream_last_commit_timestamp_seconds", "gauge",
           "When the last batch was committed (Unix seconds).", m,
           s->commit.commit_us ? (double)s->commit.commit_us / 1e6 : NAN);
    metric(b, "btcstream_late_ticks_total", "counter",
           "Committed ticks older than the hour the live view had reached.", m, (double)s->late);
    metric(b, "btcstream_quarantined_files", "gauge", "Files in the stream's quarantine folder.", m,
           (double)s->commit.quarantined);
    metric(b, "btcstream_price_close", "gauge", "Close price of the newest committed tick.", m,
           have ? s->last_close : NAN);
    metric(b, "btcstream_persistence_rmse", "gauge",
           "Running RMSE of the persistence forecast (next close = last close).", m,
           s->persist_n ? sqrt(s->persist_sse / (double)s->persist_n) : NAN);
    metric(b, "btcstream_sse_clients", "gauge", "Event-stream clients connected now.", m,
           (double)s->clients);
    metric(b, "btcstream_sse_connections_total", "counter", "Event-stream clients accepted.", m,
           (double)s->clients_total);
    metric(b, "btcstream_sse_rejected_total", "counter",
           "Event-stream clients refused with 503 (over the cap).", m, (double)s->clients_rejected);
    pthread_mutex_unlock(&s->lock);
}
