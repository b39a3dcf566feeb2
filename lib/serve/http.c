/*
 * http.c - the dashboard's routes on libmicrohttpd: the embedded page, /api/..., /metrics and the
 * /events stream.
 *
 * One thread per connection (MHD_USE_THREAD_PER_CONNECTION): an event stream's content callback
 * waits on the state's condition variable and then writes, so a client that stops reading
 * blocks only its own thread; the follower only takes the state lock for a moment to publish.
 * Every response carries the same security headers (a strict CSP allowing only this origin, no
 * sniffing, no framing) and never an Access-Control-Allow-Origin: other origins cannot read it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "btcstream/timeutil.h"
#include "prometheus.h"
#include "serve_internal.h"
#include "text_buf.h"

#define SSE_KEEPALIVE_US INT64_C(15000000)
#define SSE_HANGUP_CHECK_US INT64_C(1000000) /* how soon a silent stream notices a closed peer */
#define SSE_MAX_TICKS_PER_EVENT 1000
#define API_DEFAULT_TICKS 2000
#define API_MAX_TICKS 20000

static const char csp[] = "default-src 'none'; script-src 'self'; style-src 'self'; "
                          "connect-src 'self'; img-src 'self' data:; base-uri 'none'; "
                          "form-action 'none'; frame-ancestors 'none'";

static void security_headers(struct MHD_Response *r) {
    MHD_add_response_header(r, "Content-Security-Policy", csp);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
}

static enum MHD_Result send_response(struct MHD_Connection *conn, unsigned code,
                                     struct MHD_Response *r, const char *type, const char *cache) {
    if (!r) return MHD_NO;
    security_headers(r);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, cache);
    enum MHD_Result ret = MHD_queue_response(conn, code, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result send_text(struct MHD_Connection *conn, unsigned code, const char *type,
                                 const char *body, size_t len) {
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    return send_response(conn, code, r, type, "no-store");
}

static enum MHD_Result send_buf(struct MHD_Connection *conn, const char *type, text_buf *b) {
    if (b->failed) {
        text_buf_free(b);
        return send_text(conn, 500, "text/plain", "out of memory\n", 14);
    }
    enum MHD_Result ret = send_text(conn, 200, type, b->data ? b->data : "", b->len);
    text_buf_free(b);
    return ret;
}

static uint64_t query_u64(struct MHD_Connection *conn, const char *name, uint64_t dflt) {
    const char *v = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, name);
    if (!v || !*v) return dflt;
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    return (*end || errno || v[0] == '-') ? dflt : (uint64_t)n;
}

/* ---- /events ---------------------------------------------------------------------------- */

typedef struct {
    bs_serve *srv;
    uint64_t after; /* the last tick id this client has */
    uint64_t epoch;
    uint64_t summary_version; /* the last summary this client was sent */
    int fd;                   /* the connection's socket, to notice a peer that left */
    int started;
    text_buf out;
    size_t sent;
} sse_client;

/*
 * A peer that closed its end: MHD only learns it when a write fails, and a quiet stream writes
 * only every 15 s, so without this a closed page would hold a client slot that long.
 */
static int peer_gone(int fd) {
    struct pollfd p = {fd, POLLRDHUP, 0};
    return fd >= 0 && poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR));
}

static int nothing_new(const sse_client *c, const serve_state *s) {
    return !s->stopping && s->epoch == c->epoch && s->last_id <= c->after &&
           s->summary_version == c->summary_version;
}

/* Builds the next event into c->out; 0 when stopping or the peer left. Caller holds the lock. */
static int next_event(sse_client *c, serve_state *s) {
    int64_t deadline = bs_now_us() + SSE_KEEPALIVE_US;
    while (nothing_new(c, s)) {
        int64_t now = bs_now_us(), until_us = now + SSE_HANGUP_CHECK_US;
        if (now >= deadline) break;
        if (until_us > deadline) until_us = deadline;
        struct timespec until = {(time_t)(until_us / 1000000), (long)(until_us % 1000000) * 1000};
        if (pthread_cond_timedwait(&s->changed, &s->lock, &until) != 0 && peer_gone(c->fd))
            return 0;
    }
    if (s->stopping) return 0;
    uint64_t first = s->last_id - s->count + 1;
    if (s->epoch != c->epoch || c->after > s->last_id || c->after + 1 < first) {
        /* Ids of another epoch, or older than the ring: the page must load again. */
        c->epoch = s->epoch;
        c->after = s->last_id;
        text_buf_printf(&c->out, "id: %llu:%llu\nevent: reset\ndata: {\"epoch\":%llu}\n\n",
                        (unsigned long long)c->epoch, (unsigned long long)c->after,
                        (unsigned long long)c->epoch);
        return 1;
    }
    if (s->last_id <= c->after && s->summary_version != c->summary_version) {
        /* No new tick, but what the summary shows changed (new predictions, quarantine). */
        c->summary_version = s->summary_version;
        text_buf_printf(&c->out,
                        "id: %llu:%llu\nevent: summary\ndata: ", (unsigned long long)c->epoch,
                        (unsigned long long)c->after);
        text_buf_append(&c->out, s->summary.data, s->summary.len);
        text_buf_lit(&c->out, "\n\n");
        return 1;
    }
    if (s->last_id <= c->after) {
        text_buf_lit(&c->out, ": keepalive\n\n");
        return 1;
    }
    uint64_t upto = s->last_id;
    if (upto - c->after > SSE_MAX_TICKS_PER_EVENT) upto = c->after + SSE_MAX_TICKS_PER_EVENT;
    text_buf_printf(&c->out, "id: %llu:%llu\nevent: ticks\ndata: {\"epoch\":%llu,\"ticks\":",
                    (unsigned long long)c->epoch, (unsigned long long)upto,
                    (unsigned long long)c->epoch);
    serve_state_ticks_locked(s, c->after, (size_t)(upto - c->after), 0, &c->out);
    text_buf_lit(&c->out, ",\"summary\":");
    /* The summary describes the newest tick: send it only with the event that reaches it. */
    if (upto == s->last_id && s->summary.len) {
        text_buf_append(&c->out, s->summary.data, s->summary.len);
        c->summary_version = s->summary_version;
    } else {
        text_buf_lit(&c->out, "null");
    }
    text_buf_lit(&c->out, "}\n\n");
    c->after = upto;
    return 1;
}

static ssize_t sse_read(void *cls, uint64_t pos, char *buf, size_t max) {
    (void)pos;
    sse_client *c = cls;
    if (c->sent == c->out.len) {
        text_buf_reset(&c->out);
        c->sent = 0;
        serve_state *s = &c->srv->state;
        if (!c->started) {
            c->started = 1;
            text_buf_lit(&c->out, "retry: 1000\n: btcstream events\n\n");
        } else {
            pthread_mutex_lock(&s->lock);
            int more = next_event(c, s);
            pthread_mutex_unlock(&s->lock);
            if (!more) return MHD_CONTENT_READER_END_OF_STREAM;
        }
        if (c->out.failed) return MHD_CONTENT_READER_END_WITH_ERROR;
    }
    size_t n = c->out.len - c->sent;
    if (n > max) n = max;
    memcpy(buf, c->out.data + c->sent, n);
    c->sent += n;
    return (ssize_t)n;
}

static void client_gone(serve_state *s) {
    pthread_mutex_lock(&s->lock);
    s->clients--;
    pthread_mutex_unlock(&s->lock);
}

static void sse_free(void *cls) {
    sse_client *c = cls;
    client_gone(&c->srv->state);
    text_buf_free(&c->out);
    free(c);
}

/* "E:N" (as the events' ids) or "N"; 0 when absent or malformed. */
static int parse_event_id(const char *v, uint64_t *epoch, uint64_t *after) {
    unsigned long long e, n;
    char tail;
    if (!v) return 0;
    if (sscanf(v, "%llu:%llu%c", &e, &n, &tail) == 2) {
        *epoch = e;
        *after = n;
        return 1;
    }
    return 0;
}

static enum MHD_Result serve_events(bs_serve *srv, struct MHD_Connection *conn) {
    serve_state *s = &srv->state;
    pthread_mutex_lock(&s->lock);
    if (s->clients >= s->max_clients) {
        s->clients_rejected++;
        size_t cap = s->max_clients;
        pthread_mutex_unlock(&s->lock);
        char body[160];
        int n = snprintf(body, sizeof body,
                         "too many event-stream clients (the cap is %zu); try again later\n", cap);
        struct MHD_Response *r =
            MHD_create_response_from_buffer((size_t)n, body, MHD_RESPMEM_MUST_COPY);
        if (r) MHD_add_response_header(r, "Retry-After", "5");
        return send_response(conn, 503, r, "text/plain; charset=utf-8", "no-store");
    }
    s->clients++;
    s->clients_total++;
    uint64_t epoch = s->epoch, after = s->last_id, version = s->summary_version;
    pthread_mutex_unlock(&s->lock);

    sse_client *c = calloc(1, sizeof *c);
    if (!c) {
        client_gone(s);
        return MHD_NO;
    }
    c->srv = srv;
    /* Resume after what the page has: the browser's Last-Event-ID on a reconnect, else the
     * `after` and `epoch` the page got with its first /api/ticks, else only new ticks. */
    if (!parse_event_id(MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Last-Event-ID"), &epoch,
                        &after)) {
        after = query_u64(conn, "after", after);
        epoch = query_u64(conn, "epoch", epoch);
    }
    c->after = after;
    c->epoch = epoch;
    c->summary_version = version;
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    c->fd = info ? info->connect_fd : -1;
    struct MHD_Response *r =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, sse_read, c, sse_free);
    if (!r) {
        sse_free(c);
        return MHD_NO;
    }
    MHD_add_response_header(r, "X-Accel-Buffering", "no");
    return send_response(conn, 200, r, "text/event-stream; charset=utf-8", "no-store");
}

/* ---- routes ----------------------------------------------------------------------------- */

static enum MHD_Result serve_markets(bs_serve *srv, struct MHD_Connection *conn) {
    text_buf b = {0};
    /* One history per data dir today; the list is what a selector shows when markets land. */
    text_buf_lit(&b, "{\"selected\":");
    text_buf_json_string(&b, srv->state.market);
    text_buf_lit(&b, ",\"markets\":[{\"name\":");
    text_buf_json_string(&b, srv->state.market);
    text_buf_lit(&b, "}]}");
    return send_buf(conn, "application/json", &b);
}

static enum MHD_Result route(bs_serve *srv, struct MHD_Connection *conn, const char *url) {
    serve_asset asset;
    text_buf b = {0};
    if (strcmp(url, "/events") == 0) return serve_events(srv, conn);
    if (strcmp(url, "/api/summary") == 0) {
        serve_state_summary(&srv->state, &b);
        return send_buf(conn, "application/json", &b);
    }
    if (strcmp(url, "/api/ticks") == 0) {
        uint64_t limit = query_u64(conn, "limit", API_DEFAULT_TICKS);
        if (limit > API_MAX_TICKS) limit = API_MAX_TICKS;
        serve_state_ticks(&srv->state, query_u64(conn, "after", UINT64_MAX), (size_t)limit,
                          query_u64(conn, "compact", 0) != 0, &b);
        return send_buf(conn, "application/json", &b);
    }
    if (strcmp(url, "/api/markets") == 0) return serve_markets(srv, conn);
    if (strcmp(url, "/metrics") == 0) {
        serve_prometheus_text(&srv->state, &b);
        return send_buf(conn, SERVE_PROMETHEUS_CONTENT_TYPE, &b);
    }
    if (serve_asset_find(url, &asset)) {
        struct MHD_Response *r =
            MHD_create_response_from_buffer(asset.size, (void *)asset.data, MHD_RESPMEM_PERSISTENT);
        return send_response(conn, 200, r, asset.content_type, "no-cache");
    }
    static const char missing[] = "not found\n";
    return send_text(conn, 404, "text/plain; charset=utf-8", missing, sizeof missing - 1);
}

/*
 * DNS rebinding: a page of another site whose name the attacker points at 127.0.0.1 would be
 * same-origin with us. On loopback, answer only requests that name a loopback host.
 */
static int host_allowed(const bs_serve *srv, struct MHD_Connection *conn) {
    if (!srv->loopback_only) return 1;
    const char *host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    if (!host) return 1; /* HTTP/1.0 without Host: not a browser */
    size_t len = strcspn(host, ":");
    if (host[0] == '[') len = strcspn(host, "]") + 1; /* [::1]:port */
    return (len == 9 && strncmp(host, "localhost", 9) == 0) ||
           (len == 5 && strncmp(host, "[::1]", 5) == 0) || strncmp(host, "127.", 4) == 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls) {
    (void)version;
    (void)upload_data;
    (void)con_cls;
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
        static const char body[] = "only GET and HEAD\n";
        struct MHD_Response *r =
            MHD_create_response_from_buffer(sizeof body - 1, (void *)body, MHD_RESPMEM_PERSISTENT);
        if (r) MHD_add_response_header(r, "Allow", "GET, HEAD");
        *upload_data_size = 0;
        return send_response(conn, 405, r, "text/plain; charset=utf-8", "no-store");
    }
    if (!host_allowed(cls, conn)) {
        static const char body[] = "this server answers only to a loopback Host\n";
        return send_text(conn, 403, "text/plain; charset=utf-8", body, sizeof body - 1);
    }
    return route(cls, conn, url);
}

/* "HOST:PORT" or "[V6]:PORT" into addr; 0 when malformed. */
static int parse_listen(const char *listen, struct sockaddr_storage *addr, int *v6) {
    char host[64];
    const char *colon = strrchr(listen, ':');
    if (!colon || (size_t)(colon - listen) >= sizeof host) return 0;
    char *end;
    errno = 0;
    long port = strtol(colon + 1, &end, 10);
    if (colon[1] == '\0' || *end || errno || port < 0 || port > 65535) return 0;
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    memset(addr, 0, sizeof *addr);
    size_t hl = strlen(host);
    if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)addr;
        host[hl - 1] = '\0';
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        *v6 = 1;
        return inet_pton(AF_INET6, host + 1, &a->sin6_addr) == 1;
    }
    struct sockaddr_in *a = (struct sockaddr_in *)addr;
    if (strcmp(host, "localhost") == 0) snprintf(host, sizeof host, "127.0.0.1");
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)port);
    *v6 = 0;
    return inet_pton(AF_INET, host, &a->sin_addr) == 1;
}

static void bound_address(bs_serve *srv, int v6, const char *listen) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_LISTEN_FD);
    struct sockaddr_storage sa;
    socklen_t len = sizeof sa;
    char host[INET6_ADDRSTRLEN];
    if (!info || getsockname(info->listen_fd, (struct sockaddr *)&sa, &len) != 0) {
        snprintf(srv->address, sizeof srv->address, "%s", listen);
        return;
    }
    if (v6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&sa;
        inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
        snprintf(srv->address, sizeof srv->address, "[%s]:%u", host, ntohs(a->sin6_port));
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&sa;
        inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
        snprintf(srv->address, sizeof srv->address, "%s:%u", host, ntohs(a->sin_port));
    }
}

bs_status serve_http_start(bs_serve *srv, const char *listen, bs_error *err) {
    struct sockaddr_storage addr;
    int v6 = 0;
    if (!parse_listen(listen, &addr, &v6))
        return bs_fail(err, BS_ERR_ARG,
                       "--listen: \"%s\" is not HOST:PORT (an IPv4 address, [IPv6] or localhost)",
                       listen);
    srv->loopback_only = v6 ? IN6_IS_ADDR_LOOPBACK(&((struct sockaddr_in6 *)&addr)->sin6_addr)
                            : (ntohl(((struct sockaddr_in *)&addr)->sin_addr.s_addr) >> 24) == 127;
    if (!serve_mhd_loaded())
        return bs_fail(err, BS_ERR_UNSUPPORTED,
                       "libmicrohttpd (libmicrohttpd.so.12) is not installed: the dashboard "
                       "needs it (Debian package libmicrohttpd12)");
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL_INTERNAL_THREAD;
    if (v6) flags |= MHD_USE_IPv6;
    /* Room for every SSE client plus page loads, API calls and scrapes beside them. */
    unsigned limit = (unsigned)srv->state.max_clients + 64;
    srv->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_CONNECTION_LIMIT, limit, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
        MHD_OPTION_THREAD_STACK_SIZE, (size_t)(256 * 1024), MHD_OPTION_END);
    if (!srv->daemon)
        return bs_fail(err, BS_ERR_NET, "cannot listen on %s (in use, or not an address here?)",
                       listen);
    bound_address(srv, v6, listen);
    return BS_OK;
}

void serve_http_stop(bs_serve *srv) {
    if (srv->daemon) MHD_stop_daemon(srv->daemon);
    srv->daemon = NULL;
}
