/*
 * prometheus.h (private) - the dashboard's /metrics body in Prometheus' text exposition format
 * (version 0.0.4), built from the shared state; `promtool check metrics` accepts it (tested).
 */
#ifndef BTCSTREAM_SERVE_PROMETHEUS_H
#define BTCSTREAM_SERVE_PROMETHEUS_H

#include "state.h"
#include "text_buf.h"

#define SERVE_PROMETHEUS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* Appends every metric to out. Locks the state while it reads it. */
void serve_prometheus_text(serve_state *s, text_buf *out);

#endif
