/*
 * bus_publish.c - the producer's side of the bus (bus.h): asynchronous JetStream publishing in
 * which no tick is dropped until the stream has acknowledged it.
 *
 * libnats sends and matches acks on its own thread. Every outcome arrives in on_ack(): an ack
 * frees the message; an error or a timeout (an ack lost in a leader change, writes refused
 * without quorum) hands the message back, and it waits in `retry` until the publishing thread
 * sends it again, same id and all. Resending from the callback itself could block that thread on
 * the in-flight limit, which only that thread's acks release.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "btcstream/market.h"
#include "btcstream/timeutil.h"

#include "bus_conn.h"

#define ACK_WAIT_MS 5000
#define DEFAULT_IN_FLIGHT 4096

struct bs_bus_publisher {
    bus_conn c;
    bs_bus_options o;
    pthread_mutex_t lock; /* guards retry and the counters that on_ack() updates */
    natsMsg **retry;
    size_t retry_len, retry_cap;
    bs_bus_publisher_stats stats;
    int64_t in_flight;
};

/* Queues msg to be sent again; the caller holds the lock. 0 when out of memory. */
static int keep_for_retry(bs_bus_publisher *p, natsMsg *msg) {
    if (p->retry_len == p->retry_cap) {
        size_t cap = p->retry_cap ? p->retry_cap * 2 : 256;
        natsMsg **grown = realloc(p->retry, cap * sizeof *grown);
        if (!grown) return 0;
        p->retry = grown;
        p->retry_cap = cap;
    }
    p->retry[p->retry_len++] = msg;
    return 1;
}

static void on_ack(jsCtx *js, natsMsg *msg, jsPubAck *pa, jsPubAckErr *pae, void *closure) {
    (void)js;
    bs_bus_publisher *p = closure;
    pthread_mutex_lock(&p->lock);
    p->in_flight--;
    if (pa || !pae) p->stats.acked++;
    if ((pa || !pae) || !keep_for_retry(p, msg)) NATS(natsMsg_Destroy)(msg);
    pthread_mutex_unlock(&p->lock);
}

bs_status bs_bus_publisher_open(const bs_bus_options *opts, size_t max_in_flight,
                                bs_bus_publisher **out, bs_error *err) {
    bs_status loaded = bus_nats_load(err);
    if (loaded != BS_OK) return loaded;
    bs_bus_publisher *p = calloc(1, sizeof *p);
    if (!p) return bs_fail(err, BS_ERR_NOMEM, "out of memory");
    p->o = bus_resolve(opts);
    pthread_mutex_init(&p->lock, NULL);
    jsOptions jo;
    NATS(jsOptions_Init)(&jo);
    jo.PublishAsync.MaxPending = (int64_t)(max_in_flight ? max_in_flight : DEFAULT_IN_FLIGHT);
    jo.PublishAsync.AckHandler = on_ack;
    jo.PublishAsync.AckHandlerClosure = p;
    bs_status st = bus_conn_open(&p->c, &p->o, &jo, err);
    if (st != BS_OK) {
        pthread_mutex_destroy(&p->lock);
        free(p);
        return st;
    }
    *out = p;
    return BS_OK;
}

static bs_status send(bs_bus_publisher *p, natsMsg **msg, bs_error *err) {
    jsPubOptions po;
    NATS(jsPubOptions_Init)(&po);
    po.MaxWait = ACK_WAIT_MS;
    pthread_mutex_lock(&p->lock);
    p->in_flight++;
    p->stats.published++;
    pthread_mutex_unlock(&p->lock);
    natsStatus s = NATS(js_PublishMsgAsync)(p->c.js, msg, &po);
    if (s == NATS_OK) return BS_OK;
    pthread_mutex_lock(&p->lock);
    p->in_flight--;
    p->stats.published--;
    pthread_mutex_unlock(&p->lock);
    return bus_fail(err, &p->c, "cannot publish", s, 0);
}

/* Sends again what came back without an ack. A message that cannot be sent now stays queued. */
static bs_status resend(bs_bus_publisher *p, bs_error *err) {
    bs_status st = BS_OK;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        natsMsg *m = p->retry_len ? p->retry[--p->retry_len] : NULL;
        pthread_mutex_unlock(&p->lock);
        if (!m) return st;
        st = send(p, &m, err);
        if (st != BS_OK) {
            pthread_mutex_lock(&p->lock);
            if (!keep_for_retry(p, m)) NATS(natsMsg_Destroy)(m);
            pthread_mutex_unlock(&p->lock);
            return st;
        }
        pthread_mutex_lock(&p->lock);
        p->stats.republished++;
        pthread_mutex_unlock(&p->lock);
    }
}

bs_status bs_bus_publish(bs_bus_publisher *p, const char *market, const bs_tick *tick,
                         bs_error *err) {
    char token[256], subject[512], id[320], line[BS_TICK_JSON_MAX];
    bs_bus_subject_token(market, token, sizeof token);
    snprintf(subject, sizeof subject, "%s.%s", p->o.subject_prefix, token);
    snprintf(id, sizeof id, "%s|%lld", market, (long long)tick->ts_us);
    /* A market name (market.h) travels in the line, where the processor routes by it; any other
     * label (a bare source name) only names the subject, and the tick goes to the stream's own
     * history. */
    int named = bs_market_check(market, NULL) == BS_OK;
    size_t len = bs_tick_format_json_market(tick, named ? market : NULL, line);
    if (len > 0 && line[len - 1] == '\n') len--;
    bs_error ignored;
    resend(p, &ignored); /* what cannot go now stays queued for the next call or the flush */
    natsMsg *m = NULL;
    natsStatus s = NATS(natsMsg_Create)(&m, subject, NULL, line, (int)len);
    if (s == NATS_OK) s = NATS(natsMsgHeader_Set)(m, "Nats-Msg-Id", id);
    if (s != NATS_OK) {
        NATS(natsMsg_Destroy)(m);
        return bus_fail(err, &p->c, "cannot build a message", s, 0);
    }
    if (send(p, &m, err) != BS_OK) { /* too many in flight, or disconnected: keep it */
        pthread_mutex_lock(&p->lock);
        if (keep_for_retry(p, m)) m = NULL;
        pthread_mutex_unlock(&p->lock);
        if (m) {
            NATS(natsMsg_Destroy)(m);
            return bs_fail(err, BS_ERR_NOMEM, "out of memory keeping a tick for the bus");
        }
    }
    NATS(natsMsg_Destroy)(m); /* NULL when the library or the retry queue took it */
    return BS_OK;
}

bs_status bs_bus_publisher_flush(bs_bus_publisher *p, int64_t timeout_us, bs_error *err) {
    int64_t waited_ms = 0, limit_ms = timeout_us / 1000;
    bs_error last = {{0}};
    for (;;) {
        resend(p, &last);
        pthread_mutex_lock(&p->lock);
        int64_t left = p->in_flight + (int64_t)p->retry_len;
        pthread_mutex_unlock(&p->lock);
        if (left == 0) return BS_OK;
        if (waited_ms >= limit_ms)
            return bs_fail(err, BS_ERR_NET,
                           "bus (%s): %lld ticks not acknowledged yet (%s); they are kept and "
                           "sent again",
                           p->c.urls, (long long)left,
                           last.msg[0] ? last.msg : "no quorum, or the servers are down");
        jsPubOptions po;
        NATS(jsPubOptions_Init)(&po);
        po.MaxWait = 100;
        int64_t started = bs_monotonic_us();
        NATS(js_PublishAsyncComplete)(p->c.js, &po); /* returns at the timeout or when all are in */
        int64_t spent = bs_monotonic_us() - started;
        if (spent < 100000) { /* nothing in flight (all queued for a retry): pace the retries */
            struct timespec ts = {0, (long)(100000 - spent) * 1000};
            nanosleep(&ts, NULL);
        }
        waited_ms += 100;
    }
}

void bs_bus_publisher_stats_get(const bs_bus_publisher *p, bs_bus_publisher_stats *stats) {
    pthread_mutex_lock((pthread_mutex_t *)&p->lock);
    *stats = p->stats;
    stats->waiting = (uint64_t)(p->in_flight + (int64_t)p->retry_len);
    pthread_mutex_unlock((pthread_mutex_t *)&p->lock);
}

void bs_bus_publisher_close(bs_bus_publisher *p) {
    if (!p) return;
    bus_conn_close(&p->c); /* acks still on their way come back through on_ack() first */
    for (size_t i = 0; i < p->retry_len; i++) NATS(natsMsg_Destroy)(p->retry[i]);
    free(p->retry);
    pthread_mutex_destroy(&p->lock);
    free(p);
}
