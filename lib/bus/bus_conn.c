/* bus_conn.c - see bus_conn.h. */
#include "bus_conn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SERVERS 16

bs_bus_options bs_bus_defaults(void) {
    bs_bus_options o = {0};
    o.stream = "BTCSTREAM";
    o.subject_prefix = "btcstream";
    o.replicas = 1;
    o.duplicate_window_us = INT64_C(10) * 60 * 1000000;
    o.timeout_us = INT64_C(5) * 1000000;
    o.ack_wait_us = INT64_C(30) * 1000000;
    return o;
}

bs_bus_options bus_resolve(const bs_bus_options *opts) {
    bs_bus_options d = bs_bus_defaults(), o = opts ? *opts : d;
    if (!o.stream || !*o.stream) o.stream = d.stream;
    if (!o.subject_prefix || !*o.subject_prefix) o.subject_prefix = d.subject_prefix;
    if (o.replicas <= 0) o.replicas = d.replicas;
    if (o.duplicate_window_us <= 0) o.duplicate_window_us = d.duplicate_window_us;
    if (o.timeout_us <= 0) o.timeout_us = d.timeout_us;
    if (o.ack_wait_us <= 0) o.ack_wait_us = d.ack_wait_us;
    return o;
}

bs_status bus_fail(bs_error *err, const bus_conn *c, const char *what, natsStatus s,
                   jsErrCode code) {
    const char *text = bus_nats.nats_GetLastError ? NATS(nats_GetLastError)(NULL) : NULL;
    if ((!text || !*text) && bus_nats.natsStatus_GetText) text = NATS(natsStatus_GetText)(s);
    if (!text) text = "error";
    if (code)
        return bs_fail(err, BS_ERR_NET, "%s (%s): %s (JetStream error %d)", what,
                       c ? c->urls : "bus", text, (int)code);
    return bs_fail(err, BS_ERR_NET, "%s (%s): %s", what, c ? c->urls : "bus", text);
}

/* Giving libnats a connected callback is what makes a first connect that fails go on in the
 * background instead of blocking (forever, with unlimited reconnects). */
static void on_connected(natsConnection *nc, void *closure) {
    (void)nc;
    (void)closure;
}

/* Splits "a,b,c" into server URLs, adding "nats://" where the scheme is missing. */
static int split_servers(const char *urls, char *buf, size_t size, const char **out) {
    int n = 0;
    size_t used = 0;
    const char *p = urls;
    while (*p && n < MAX_SERVERS) {
        size_t len = strcspn(p, ",");
        if (len > 0) {
            int scheme = strstr(p, "://") && (size_t)(strstr(p, "://") - p) < len;
            int w = snprintf(buf + used, size - used, "%s%.*s", scheme ? "" : "nats://", (int)len, p);
            if (w < 0 || (size_t)w >= size - used) return -1;
            out[n++] = buf + used;
            used += (size_t)w + 1;
        }
        p += len + (p[len] == ',');
    }
    return n;
}

bs_status bus_conn_open(bus_conn *c, const bs_bus_options *opts, jsOptions *publish_opts,
                        bs_error *err) {
    memset(c, 0, sizeof *c);
    bs_status loaded = bus_nats_load(err);
    if (loaded != BS_OK) return loaded;
    if (!opts || !opts->urls || !*opts->urls)
        return bs_fail(err, BS_ERR_ARG, "--bus needs a server list, e.g. nats://127.0.0.1:4222");
    snprintf(c->urls, sizeof c->urls, "%s", opts->urls);
    char buf[2048];
    const char *servers[MAX_SERVERS];
    int n = split_servers(opts->urls, buf, sizeof buf, servers);
    if (n <= 0) return bs_fail(err, BS_ERR_ARG, "--bus %s: no server in the list", opts->urls);
    natsOptions *no = NULL;
    natsStatus s = NATS(natsOptions_Create)(&no);
    if (s == NATS_OK) s = NATS(natsOptions_SetServers)(no, servers, n);
    if (s == NATS_OK) s = NATS(natsOptions_SetMaxReconnect)(no, -1); /* forever: a collector waits */
    if (s == NATS_OK) s = NATS(natsOptions_SetReconnectWait)(no, 250);
    if (s == NATS_OK) s = NATS(natsOptions_SetRetryOnFailedConnect)(no, true, on_connected, NULL);
    if (s == NATS_OK) s = NATS(natsOptions_SetName)(no, "btcstream");
    if (s == NATS_OK) s = NATS(natsConnection_Connect)(&c->nc, no);
    NATS(natsOptions_Destroy)(no);
    if (s == NATS_NOT_YET_CONNECTED) s = NATS_OK; /* connects in the background */
    if (s != NATS_OK) {
        bs_status st = bus_fail(err, c, "cannot connect to the bus", s, 0);
        bus_conn_close(c);
        return st;
    }
    jsOptions jo;
    if (publish_opts) jo = *publish_opts;
    else NATS(jsOptions_Init)(&jo);
    jo.Wait = opts->timeout_us > 0 ? opts->timeout_us / 1000 : 5000;
    s = NATS(natsConnection_JetStream)(&c->js, c->nc, &jo);
    if (s != NATS_OK) {
        bs_status st = bus_fail(err, c, "cannot open JetStream", s, 0);
        bus_conn_close(c);
        return st;
    }
    return BS_OK;
}

void bus_conn_close(bus_conn *c) {
    if (!c || !bus_nats.jsCtx_Destroy) return;
    NATS(jsCtx_Destroy)(c->js);
    if (c->nc) {
        NATS(natsConnection_Close)(c->nc);
        NATS(natsConnection_Destroy)(c->nc);
    }
    c->js = NULL;
    c->nc = NULL;
}

void bs_bus_subject_token(const char *market, char *out, size_t size) {
    size_t i = 0;
    for (; market[i] && i + 1 < size; i++) {
        char ch = market[i];
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                 ch == '_' || ch == '-';
        out[i] = ok ? ch : '_';
    }
    if (size) out[i] = '\0';
}
