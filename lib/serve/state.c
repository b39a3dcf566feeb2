/*
 * state.c - see state.h. The follower adds ticks and publishes commits; readers copy under the
 * lock and format outside it where they can (the summary is formatted once, at publish).
 */
#include "state.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "btcstream/metrics.h"
#include "btcstream/predictions.h"
#include "btcstream/timeutil.h"

#define HOUR_US INT64_C(3600000000)
#define DAY_US (24 * HOUR_US)
#define RATE_WINDOW_US INT64_C(10000000) /* ticks per second over the last 10 s */

const double serve_latency_bounds[SERVE_LATENCY_BUCKETS] = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, INFINITY};

static void clear_analytics(serve_state *s) {
    s->count = 0;
    s->last_id = 0;
    memset(&s->hour, 0, sizeof s->hour);
    s->hour.start_us = INT64_MIN;
    s->newest_us = INT64_MIN;
    s->late = s->ticks_total = s->persist_n = 0;
    s->last_close = s->prev_close = NAN;
    s->persist_sse = 0;
    s->read_size = 0;
}

bs_status serve_state_init(serve_state *s, size_t recent_ticks, const char *market,
                           const char *predictions_dir, bs_error *err) {
    memset(s, 0, sizeof *s);
    s->cap = recent_ticks ? recent_ticks : 20000;
    snprintf(s->market, sizeof s->market, "%s", market ? market : "default");
    snprintf(s->predictions_dir, sizeof s->predictions_dir, "%s",
             predictions_dir ? predictions_dir : "");
    s->ring = malloc(s->cap * sizeof *s->ring);
    if (!s->ring) return bs_fail(err, BS_ERR_NOMEM, "out of memory for %zu ticks", s->cap);
    bs_aggregate_options o = bs_aggregate_defaults();
    bs_status st = bs_aggregate_new(&o, &s->agg, err);
    if (st != BS_OK) {
        free(s->ring);
        return st;
    }
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->changed, NULL);
    clear_analytics(s);
    return BS_OK;
}

void serve_state_free(serve_state *s) {
    if (!s->ring) return;
    pthread_cond_destroy(&s->changed);
    pthread_mutex_destroy(&s->lock);
    bs_aggregate_free(s->agg);
    free(s->ring);
    text_buf_free(&s->summary);
    s->ring = NULL;
}

void serve_state_reset(serve_state *s) {
    bs_aggregate_options o = bs_aggregate_defaults();
    bs_aggregate *fresh = NULL;
    bs_error err;
    bs_aggregate_new(&o, &fresh, &err); /* can fail only on bad options */
    pthread_mutex_lock(&s->lock);
    bs_aggregate_free(s->agg);
    s->agg = fresh;
    clear_analytics(s);
    s->epoch++;
    pthread_mutex_unlock(&s->lock);
}

/* The newest hour's row, as the `hourly` table defines it (aggregate.h). */
static void hour_add(serve_hour_row *h, const bs_tick *t) {
    if (h->count == 0) {
        h->open_ts = h->close_ts = t->ts_us;
        h->open = t->open;
        h->high = t->high;
        h->low = t->low;
        h->close = t->close;
    }
    if (t->ts_us < h->open_ts) { /* ties go to the tick read first */
        h->open_ts = t->ts_us;
        h->open = t->open;
    }
    if (t->ts_us >= h->close_ts) { /* ties go to the tick read last */
        h->close_ts = t->ts_us;
        h->close = t->close;
    }
    if (t->high > h->high) h->high = t->high;
    if (t->low < h->low) h->low = t->low;
    h->sum += t->close;
    h->count++;
}

static void add_one(serve_state *s, const bs_tick *t) {
    int64_t hour = bs_time_floor(t->ts_us, HOUR_US);
    if (s->hour.start_us != INT64_MIN && hour < s->hour.start_us) {
        s->late++; /* older than the hour the live view has reached, as the stream counts it */
    } else {
        if (hour != s->hour.start_us) {
            memset(&s->hour, 0, sizeof s->hour);
            s->hour.start_us = hour;
        }
        hour_add(&s->hour, t);
    }
    if (t->ts_us > s->newest_us) s->newest_us = t->ts_us;
    /* The persistence forecast of this tick was the previous close. */
    if (!isnan(s->last_close)) {
        double e = t->close - s->last_close;
        s->persist_sse += e * e;
        s->persist_n++;
    }
    s->prev_close = s->last_close;
    s->last_close = t->close;
    s->ring[s->last_id % s->cap] = *t;
    s->last_id++;
    if (s->count < s->cap) s->count++;
    s->ticks_total++;
}

bs_status serve_state_add(serve_state *s, const bs_tick *ticks, size_t n) {
    bs_status st = BS_OK;
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; i < n && st == BS_OK; i++) {
        st = bs_aggregate_add(s->agg, &ticks[i]);
        add_one(s, &ticks[i]);
    }
    pthread_mutex_unlock(&s->lock);
    return st;
}

/*
 * Reads the model's predictions again when the folder was replaced (predictions.h: it is renamed
 * into place whole, so a new mtime means a new folder). Returns 1 when what is shown changed.
 */
static int refresh_model(serve_model_forecast *m, const char *dir) {
    struct stat sb;
    if (!dir[0] || stat(dir, &sb) != 0) {
        int was = m->loaded;
        m->loaded = 0;
        return was;
    }
    int64_t mtime = (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec;
    if (m->loaded && mtime == m->mtime_ns) return 0;
    bs_predictions p = {0};
    bs_error err;
    m->loaded = 0;
    if (bs_predictions_read(dir, &p, &err) == BS_OK && p.rows > 0) {
        bs_metrics model, base;
        bs_metrics_compute(p.close, p.prediction, NULL, p.rows, &model);
        m->model_rmse = model.rmse;
        m->baseline_rmse = NAN;
        m->baseline = NAN;
        if (p.baseline) {
            bs_metrics_compute(p.close, p.baseline, NULL, p.rows, &base);
            m->baseline_rmse = base.rmse;
            m->baseline = p.baseline[p.rows - 1];
        }
        m->rows = p.rows;
        m->ts_us = p.timestamp_us[p.rows - 1];
        m->actual = p.close[p.rows - 1];
        m->prediction = p.prediction[p.rows - 1];
        m->mtime_ns = mtime;
        m->loaded = 1;
    }
    bs_predictions_free(&p);
    return 1;
}

static double ticks_per_second(const serve_state *s, int64_t now) {
    uint64_t rows = 0;
    for (size_t i = 0; i < SERVE_RATE_BATCHES; i++)
        if (s->rate_at[i] && now - s->rate_at[i] <= RATE_WINDOW_US) rows += s->rate_rows[i];
    return (double)rows / ((double)RATE_WINDOW_US / 1e6);
}

static void json_time(text_buf *b, const char *name, int64_t us) {
    char text[BS_TIME_TEXT_SIZE];
    bs_time_format(us, text);
    text_buf_printf(b, "\"%s\":\"%s\"", name, text);
}

static void json_field(text_buf *b, const char *name, double v) {
    text_buf_printf(b, ",\"%s\":", name);
    text_buf_json_number(b, v);
}

/* The hourly, daily and moving-average rows holding the newest tick, named as the tables. */
static void build_rows(serve_state *s, text_buf *b) {
    const serve_hour_row *h = &s->hour;
    text_buf_lit(b, "\"hourly\":{");
    json_time(b, "Hour_Start", h->start_us);
    json_field(b, "Open", h->open);
    json_field(b, "High", h->high);
    json_field(b, "Low", h->low);
    json_field(b, "Close", h->close);
    json_field(b, "Avg_Close", h->sum / (double)h->count);
    text_buf_printf(b, ",\"Count\":%llu}", (unsigned long long)h->count);

    bs_span_stats day, win;
    int64_t day_start = bs_time_floor(s->newest_us, DAY_US);
    bs_aggregate_options o = bs_aggregate_defaults();
    int64_t win_start = bs_time_floor(s->newest_us, o.slide_us);
    bs_aggregate_span(s->agg, day_start, day_start + DAY_US, &day);
    bs_aggregate_span(s->agg, win_start, win_start + o.window_us, &win);
    char text[11];
    bs_time_format_day(day_start, text);
    text_buf_printf(b, ",\"daily\":{\"Day\":\"%s\"", text);
    json_field(b, "Daily_Avg_Close", day.avg_close);
    json_field(b, "Daily_Min_Close", day.min_close);
    json_field(b, "Daily_Max_Close", day.max_close);
    text_buf_lit(b, "},\"moving_avg\":{");
    json_time(b, "Start", win_start);
    text_buf_lit(b, ",");
    json_time(b, "End", win_start + o.window_us);
    json_field(b, "Moving_Avg_Close", win.avg_close);
    text_buf_lit(b, "}");
}

static void build_forecast(serve_state *s, text_buf *b) {
    text_buf_lit(b, "\"forecast\":{\"persistence\":{");
    text_buf_printf(b, "\"n\":%llu", (unsigned long long)s->persist_n);
    json_field(b, "next", s->last_close);
    json_field(b, "last_forecast", s->prev_close);
    json_field(b, "last_actual", s->last_close);
    json_field(b, "rmse", s->persist_n ? sqrt(s->persist_sse / (double)s->persist_n) : NAN);
    text_buf_lit(b, "},\"model\":");
    const serve_model_forecast *m = &s->model;
    if (!m->loaded) {
        text_buf_lit(b, "null}");
        return;
    }
    text_buf_printf(b, "{\"rows\":%zu,", m->rows);
    json_time(b, "timestamp", m->ts_us);
    json_field(b, "actual", m->actual);
    json_field(b, "prediction", m->prediction);
    json_field(b, "baseline", m->baseline);
    json_field(b, "rmse", m->model_rmse);
    json_field(b, "baseline_rmse", m->baseline_rmse);
    text_buf_lit(b, "}}");
}

static void build_health(serve_state *s, text_buf *b, int64_t now) {
    const serve_commit *c = &s->commit;
    text_buf_printf(b, "\"health\":{\"batch\":%llu,\"batch_rows\":%llu,\"batch_files\":%zu,",
                    (unsigned long long)c->batch, (unsigned long long)c->rows, c->files);
    text_buf_printf(b, "\"commit_us\":%lld,\"published_us\":%lld,\"committed_bytes\":%lld,",
                    (long long)c->commit_us, (long long)s->observed_us, (long long)c->size);
    text_buf_printf(b, "\"has_log\":%s,\"ticks\":%llu,\"late\":%llu,\"quarantined\":%llu,",
                    c->has_log ? "true" : "false", (unsigned long long)s->ticks_total,
                    (unsigned long long)s->late, (unsigned long long)c->quarantined);
    text_buf_lit(b, "\"ticks_per_s\":");
    text_buf_json_number(b, ticks_per_second(s, now));
    /* Sources do not report gaps or uploads to the data dir yet: say so rather than guess. */
    text_buf_lit(b, ",\"gaps\":null,\"upload\":null,\"error\":");
    text_buf_json_string(b, s->last_error);
    text_buf_lit(b, "}");
}

static void build_summary(serve_state *s, int64_t now) {
    text_buf *b = &s->summary;
    text_buf_reset(b);
    text_buf_lit(b, "{\"market\":");
    text_buf_json_string(b, s->market);
    text_buf_printf(b, ",\"epoch\":%llu,\"last_id\":%llu,\"now_us\":%lld,",
                    (unsigned long long)s->epoch, (unsigned long long)s->last_id, (long long)now);
    if (s->ticks_total == 0) {
        text_buf_lit(b, "\"price\":null,\"hourly\":null,\"daily\":null,\"moving_avg\":null,");
    } else {
        text_buf_printf(b, "\"price\":{\"t\":%lld", (long long)s->newest_us);
        json_field(b, "close", s->last_close);
        text_buf_lit(b, "},");
        build_rows(s, b);
        text_buf_lit(b, ",");
    }
    build_forecast(s, b);
    text_buf_lit(b, ",");
    build_health(s, b, now);
    text_buf_lit(b, "}");
}

void serve_state_publish(serve_state *s, const serve_commit *c, int64_t read_size, uint64_t rows,
                         int live) {
    int64_t now = bs_now_us();
    pthread_mutex_lock(&s->lock);
    s->commit = *c;
    s->read_size = read_size;
    s->observed_us = now;
    if (live && rows > 0) {
        s->batches_seen++;
        s->rate_rows[s->rate_next] = rows;
        s->rate_at[s->rate_next] = now;
        s->rate_next = (s->rate_next + 1) % SERVE_RATE_BATCHES;
        double latency = c->commit_us > 0 ? (double)(now - c->commit_us) / 1e6 : 0;
        if (latency < 0) latency = 0;
        size_t i = 0;
        while (latency > serve_latency_bounds[i]) i++; /* the last bound is +Inf */
        s->latency_buckets[i]++;
        s->latency_count++;
        s->latency_sum += latency;
    }
    refresh_model(&s->model, s->predictions_dir);
    build_summary(s, now);
    s->summary_version++;
    pthread_cond_broadcast(&s->changed);
    pthread_mutex_unlock(&s->lock);
}

void serve_state_refresh_model(serve_state *s) {
    pthread_mutex_lock(&s->lock);
    if (refresh_model(&s->model, s->predictions_dir)) {
        build_summary(s, bs_now_us());
        s->summary_version++;
        pthread_cond_broadcast(&s->changed);
    }
    pthread_mutex_unlock(&s->lock);
}

void serve_state_set_error(serve_state *s, const char *msg) {
    pthread_mutex_lock(&s->lock);
    snprintf(s->last_error, sizeof s->last_error, "%s", msg);
    pthread_mutex_unlock(&s->lock);
}

void serve_state_stop(serve_state *s) {
    pthread_mutex_lock(&s->lock);
    s->stopping = 1;
    pthread_cond_broadcast(&s->changed);
    pthread_mutex_unlock(&s->lock);
}

void serve_state_summary(serve_state *s, text_buf *out) {
    pthread_mutex_lock(&s->lock);
    if (s->summary.len == 0) build_summary(s, bs_now_us());
    text_buf_append(out, s->summary.data, s->summary.len);
    pthread_mutex_unlock(&s->lock);
}

void serve_state_ticks_locked(serve_state *s, uint64_t after, size_t limit, int compact,
                              text_buf *out) {
    uint64_t first = s->last_id - s->count + 1;
    if (after + 1 > first) first = after + 1;
    text_buf_lit(out, "[");
    for (uint64_t id = first; id <= s->last_id && limit > 0; id++, limit--) {
        const bs_tick *t = &s->ring[(id - 1) % s->cap];
        text_buf_printf(out, "%s{\"id\":%llu,\"t\":%lld", id == first ? "" : ",",
                        (unsigned long long)id, (long long)t->ts_us);
        json_field(out, "c", t->close);
        if (!compact) {
            json_field(out, "o", t->open);
            json_field(out, "h", t->high);
            json_field(out, "l", t->low);
            json_field(out, "v", t->volume);
        }
        text_buf_lit(out, "}");
    }
    text_buf_lit(out, "]");
}

void serve_state_ticks(serve_state *s, uint64_t after, size_t limit, int compact, text_buf *out) {
    pthread_mutex_lock(&s->lock);
    /* Without `after`, the most recent `limit` ticks: what a page loads first. */
    if (after == UINT64_MAX) after = s->last_id > limit ? s->last_id - limit : 0;
    text_buf_printf(out, "{\"market\":");
    text_buf_json_string(out, s->market);
    text_buf_printf(out, ",\"epoch\":%llu,\"first_id\":%llu,\"last_id\":%llu,\"ticks\":",
                    (unsigned long long)s->epoch, (unsigned long long)(s->last_id - s->count + 1),
                    (unsigned long long)s->last_id);
    serve_state_ticks_locked(s, after, limit, compact, out);
    text_buf_lit(out, "}");
    pthread_mutex_unlock(&s->lock);
}
