/*
 * bus_conn.h - the connection to JetStream shared by the bus's publisher, consumer and admin
 * (internal). libnats does the work: server list, background reconnects, JetStream API.
 */
#ifndef BTCSTREAM_BUS_CONN_H
#define BTCSTREAM_BUS_CONN_H

#include "bus_nats.h"

#include "btcstream/bus.h"

typedef struct {
    natsConnection *nc;
    jsCtx *js;
    char urls[1024]; /* as given, for messages */
} bus_conn;

/*
 * Connects to the servers of opts->urls (retrying while they are down at first) and opens a
 * JetStream context; publish_opts may set the asynchronous publishing options (NULL: none).
 */
bs_status bus_conn_open(bus_conn *c, const bs_bus_options *opts, jsOptions *publish_opts,
                        bs_error *err);

void bus_conn_close(bus_conn *c);

/* bs_fail() with libnats' words for status s (and JetStream's error code when not 0). */
bs_status bus_fail(bs_error *err, const bus_conn *c, const char *what, natsStatus s,
                   jsErrCode code);

/* The options with defaults filled in. */
bs_bus_options bus_resolve(const bs_bus_options *opts);

#endif
